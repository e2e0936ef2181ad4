from .audit import CommunityAudit
from .common import Visibility
from .events import (
    Attendance,
    Event,
    EventKind,
    EventMaterial,
    MaterialKind,
    Registration,
    RegistrationStatus,
)
from .resources import Resource, ResourceAudience, ResourceAudienceTag, ResourceKind

__all__ = [
    "Attendance",
    "CommunityAudit",
    "Event",
    "EventKind",
    "EventMaterial",
    "MaterialKind",
    "Registration",
    "RegistrationStatus",
    "Resource",
    "ResourceAudience",
    "ResourceAudienceTag",
    "ResourceKind",
    "Visibility",
]
