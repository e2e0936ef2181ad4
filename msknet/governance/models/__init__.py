from django.db import models

from msknet.core.models import audit_types

from .decisions import Action, ActionStatus, Decision
from .groups import Group, GroupKind, GroupMembership, GroupRole
from .meetings import AgendaItem, Attendance, AttendanceStatus, Meeting, Paper
from .terms import TermsOfReference, TermsStatus
from .timeline import Milestone, Phase, PhaseStatus


@audit_types
class GovernanceEvent(models.TextChoices):
    GROUP_CREATED = "group_created", "Group created"
    """A lead created a group."""
    GROUP_UPDATED = "group_updated", "Group changed"
    """A lead changed a group's name or purpose."""
    GROUP_MEMBER_ADDED = "group_member_added", "Added to a group"
    """A lead added a member to a group or changed their group role."""
    GROUP_MEMBER_REMOVED = "group_member_removed", "Removed from a group"
    """A lead removed a member from a group."""
    TERMS_DRAFTED = "terms_drafted", "Terms of reference drafted"
    """The chair or a lead saved a draft of the terms of reference."""
    TERMS_APPROVED = "terms_approved", "Terms of reference approved"
    """A lead recorded the approval of a version of the terms of reference."""
    MEETING_CREATED = "meeting_created", "Meeting arranged"
    """The chair or a lead arranged a meeting."""
    MEETING_UPDATED = "meeting_updated", "Meeting changed"
    """The chair or a lead changed a meeting's details or minutes."""
    AGENDA_ITEM_SAVED = "agenda_item_saved", "Agenda item saved"
    """An agenda item or its minutes were added or changed."""
    PAPER_ADDED = "paper_added", "Paper attached"
    """A paper was attached to an agenda item."""
    ATTENDANCE_RECORDED = "attendance_recorded", "Attendance recorded"
    """Who attended a meeting and who sent apologies."""
    DECISION_RECORDED = "decision_recorded", "Decision recorded"
    """A decision was added to the network's decision log."""
    ACTION_RECORDED = "action_recorded", "Action recorded"
    """An action was given to an owner."""
    ACTION_STATUS_CHANGED = "action_status_changed", "Action status changed"
    """An action was marked done, cancelled or reopened."""
    TIMELINE_UPDATED = "timeline_updated", "Programme timeline changed"
    """A lead added or changed a phase or milestone."""


__all__ = [
    "Action",
    "ActionStatus",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Decision",
    "GovernanceEvent",
    "Group",
    "GroupKind",
    "GroupMembership",
    "GroupRole",
    "Meeting",
    "Milestone",
    "Paper",
    "Phase",
    "PhaseStatus",
    "TermsOfReference",
    "TermsStatus",
]
