from django.db import models

from msknet.core.models import audit_types


@audit_types
class CommunityAudit(models.TextChoices):
    EVENT_CREATED = "event_created", "Event arranged"
    """A lead or steering group member arranged an event."""
    EVENT_UPDATED = "event_updated", "Event changed"
    """An event's organiser or a lead changed its details."""
    EVENT_REGISTERED = "event_registered", "Registered for an event"
    """Someone took a place at an event."""
    EVENT_WAITLISTED = "event_waitlisted", "Joined an event's waiting list"
    """Someone registered for a full event and joined its waiting list."""
    EVENT_CANCELLED_PLACE = "event_registration_cancelled", "Event place cancelled"
    """Someone cancelled their place or left the waiting list."""
    EVENT_PROMOTED = "event_promoted", "Given a place from the waiting list"
    """A place came free and the first on the waiting list took it."""
    EVENT_ATTENDANCE_RECORDED = "event_attendance_recorded", "Event attendance recorded"
    """The organiser or a lead recorded who attended."""
    EVENT_MATERIAL_ADDED = "event_material_added", "Event slides or recording added"
    """Slides, a recording or notes were attached after the event."""
    EVENT_MATERIAL_REMOVED = "event_material_removed", "Event slides or recording removed"
    """Slides, a recording or notes were removed from an event."""
    EVENT_REMINDER_SENT = "event_reminder_sent", "Event reminder sent"
    """A registrant was reminded of an event starting within a day."""
    RESOURCE_ADDED = "resource_added", "Resource added to the library"
    """A member added a document or link to the resource library."""
    RESOURCE_UPDATED = "resource_updated", "Library resource changed"
    """A resource's author or a lead changed it."""
    RESOURCE_REMOVED = "resource_removed", "Library resource removed"
    """A resource's author or a lead removed it from the library."""
