"""Writes to groups, terms of reference, meetings, decisions, actions and the
programme timeline. Each runs in a transaction and records its audit event."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from msknet.core import audit
from msknet.members.models import Membership, Network, Role, User

from . import notifications
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    GovernanceEvent,
    Group,
    GroupKind,
    GroupMembership,
    GroupRole,
    Meeting,
    Milestone,
    Paper,
    Phase,
    TermsOfReference,
    TermsStatus,
)


class NotANetworkMember(ValueError):
    """Groups, attendance and actions are for members of the group's network."""


class TermsNotDraft(ValueError):
    """Only a draft version of the terms of reference can change or be approved."""


def _check_member(network: Network, user: User) -> None:
    if not Membership.objects.filter(network=network, user=user).exists():
        raise NotANetworkMember(f"{user} is not a member of {network}")


def _unique_slug(network: Network, name: str) -> str:
    base = slugify(name)[:50] or "group"
    slug, n = base, 2
    while Group.objects.filter(network=network, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Groups ---------------------------------------------------------------------


@transaction.atomic
def create_group(
    *,
    network: Network,
    by: User | None,
    name: str,
    purpose: str,
    kind: str = GroupKind.SUBGROUP,
    chair: User | None = None,
) -> Group:
    """Create a group. A new steering group starts with the network's members
    whose role is steering group member or lead."""
    group = Group.objects.create(
        network=network,
        kind=kind,
        name=name.strip(),
        slug=_unique_slug(network, name),
        purpose=purpose.strip(),
        created_by=by,
        updated_by=by,
    )
    if kind == GroupKind.STEERING:
        steering = network.memberships.active().filter(
            role__in=[Role.STEERING, Role.LEAD]
        )
        GroupMembership.objects.bulk_create(
            GroupMembership(group=group, user_id=m.user_id, created_by=by)
            for m in steering
        )
    if chair is not None:
        set_group_member(group=group, by=by, user=chair, role=GroupRole.CHAIR)
    audit.record(GovernanceEvent.GROUP_CREATED, target=group, by=by, network=network)
    return group


@transaction.atomic
def update_group(*, group: Group, by: User, name: str, purpose: str) -> Group:
    group.name = name.strip()
    group.purpose = purpose.strip()
    group.updated_by = by
    group.save()
    audit.record(
        GovernanceEvent.GROUP_UPDATED, target=group, by=by, network=group.network
    )
    return group


@transaction.atomic
def set_group_member(
    *, group: Group, by: User | None, user: User, role: str = GroupRole.MEMBER
) -> GroupMembership:
    """Add a network member to the group, or change their role in it. A new
    chair takes over: the previous chair stays on as a member."""
    _check_member(group.network, user)
    if role == GroupRole.CHAIR:
        group.memberships.filter(role=GroupRole.CHAIR).exclude(user=user).update(
            role=GroupRole.MEMBER
        )
    membership, _ = GroupMembership.objects.update_or_create(
        group=group, user=user, defaults={"role": role},
        create_defaults={"role": role, "created_by": by},
    )
    audit.record(
        GovernanceEvent.GROUP_MEMBER_ADDED,
        target=group,
        by=by,
        network=group.network,
        user=user.pk,
        role=role,
    )
    return membership


@transaction.atomic
def remove_group_member(*, group: Group, by: User, user: User) -> None:
    deleted, _ = group.memberships.filter(user=user).delete()
    if deleted:
        audit.record(
            GovernanceEvent.GROUP_MEMBER_REMOVED,
            target=group,
            by=by,
            network=group.network,
            user=user.pk,
        )


# Terms of reference ---------------------------------------------------------


@transaction.atomic
def save_terms_draft(
    *, group: Group, by: User | None, text: str, change_summary: str = ""
) -> TermsOfReference:
    """Change the group's draft, or start the next version as a draft."""
    draft = group.terms_versions.filter(status=TermsStatus.DRAFT).first()
    if draft is None:
        latest = group.terms_versions.aggregate(n=Max("number"))["n"] or 0
        draft = TermsOfReference(group=group, number=latest + 1, created_by=by)
    draft.text = text.strip()
    draft.change_summary = change_summary.strip()
    draft.updated_by = by
    draft.save()
    audit.record(
        GovernanceEvent.TERMS_DRAFTED,
        target=draft,
        by=by,
        network=group.network,
        number=draft.number,
    )
    notifications.tell_terms_for_approval(draft, by=by)
    return draft


@transaction.atomic
def approve_terms(
    *,
    terms: TermsOfReference,
    by: User | None,
    approved_on: date,
    approved_by_group: str,
) -> TermsOfReference:
    """Record that a named group approved this draft on a date."""
    if not terms.is_draft:
        raise TermsNotDraft(f"Version {terms.number} is already approved")
    terms.status = TermsStatus.APPROVED
    terms.approved_on = approved_on
    terms.approved_by_group = approved_by_group.strip()
    terms.approval_recorded_at = timezone.now()
    terms.approval_recorded_by = by
    terms.updated_by = by
    terms.save()
    audit.record(
        GovernanceEvent.TERMS_APPROVED,
        target=terms,
        by=by,
        network=terms.group.network,
        number=terms.number,
        approved_by_group=terms.approved_by_group,
    )
    return terms


# Meetings -------------------------------------------------------------------

MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "online_link", "notes")


@transaction.atomic
def create_meeting(
    *,
    group: Group,
    by: User | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    online_link: str = "",
    notes: str = "",
) -> Meeting:
    meeting = Meeting.objects.create(
        group=group,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        notes=notes.strip(),
        created_by=by,
        updated_by=by,
    )
    audit.record(
        GovernanceEvent.MEETING_CREATED, target=meeting, by=by, network=group.network
    )
    return meeting


@transaction.atomic
def update_meeting(*, meeting: Meeting, by: User, **fields: Any) -> Meeting:
    changed = [
        name
        for name in MEETING_FIELDS
        if name in fields and getattr(meeting, name) != fields[name]
    ]
    for name in changed:
        setattr(meeting, name, fields[name])
    if changed:
        meeting.updated_by = by
        meeting.save()
        audit.record(
            GovernanceEvent.MEETING_UPDATED,
            target=meeting,
            by=by,
            network=meeting.network,
            fields=changed,
        )
    return meeting


@transaction.atomic
def save_agenda_item(
    *,
    meeting: Meeting,
    by: User | None,
    title: str,
    position: int | None = None,
    owner: User | None = None,
    minutes: str = "",
    item: AgendaItem | None = None,
) -> AgendaItem:
    """Add an item to the agenda, or change one (its minutes included)."""
    if item is None:
        item = AgendaItem(meeting=meeting)
        if position is None:
            position = (meeting.agenda_items.aggregate(n=Max("position"))["n"] or 0) + 1
    item.title = title.strip()
    if position is not None:
        item.position = position
    item.owner = owner
    item.minutes = minutes.strip()
    item.save()
    audit.record(
        GovernanceEvent.AGENDA_ITEM_SAVED,
        target=item,
        by=by,
        network=meeting.network,
        meeting=meeting.pk,
    )
    return item


@transaction.atomic
def add_paper(*, item: AgendaItem, by: User | None, upload: UploadedFile) -> Paper:
    """Attach a checked file (see `forms.PaperForm`) to an agenda item."""
    name = upload.name or "paper"
    paper = Paper(item=item, file_name=name, size=upload.size or 0, uploaded_by=by)
    paper.file.save(name, upload, save=False)
    paper.save()
    audit.record(
        GovernanceEvent.PAPER_ADDED,
        target=paper,
        by=by,
        network=item.meeting.network,
        file_name=name,
    )
    notifications.tell_papers_published(item.meeting, by=by)
    return paper


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, by: User | None, statuses: Mapping[int, str]
) -> None:
    """Record each group member's attendance: user id to status. A member
    left out keeps no attendance row."""
    member_ids = set(meeting.group.memberships.values_list("user_id", flat=True))
    unknown = set(statuses) - member_ids
    if unknown:
        raise NotANetworkMember(f"Not members of {meeting.group}: {sorted(unknown)}")
    for status in statuses.values():
        if status not in AttendanceStatus.values:
            raise ValueError(f"Unknown attendance status {status!r}")
    meeting.attendance.exclude(user_id__in=list(statuses)).delete()
    for user_id, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting, user_id=user_id, defaults={"status": status}
        )
    audit.record(
        GovernanceEvent.ATTENDANCE_RECORDED,
        target=meeting,
        by=by,
        network=meeting.network,
        present=sum(s == AttendanceStatus.PRESENT for s in statuses.values()),
        apologies=sum(s == AttendanceStatus.APOLOGIES for s in statuses.values()),
    )


# Decisions and actions ------------------------------------------------------


@transaction.atomic
def record_decision(
    *,
    meeting: Meeting,
    by: User | None,
    text: str,
    decided_on: date | None = None,
    item: AgendaItem | None = None,
) -> Decision:
    """Add a decision to the network's log, numbered within its year."""
    network = meeting.network
    # Lock the network row so two decisions recorded at once get two numbers.
    Network.objects.select_for_update().filter(pk=network.pk).first()
    decided_on = decided_on or timezone.localtime(meeting.starts_at).date()
    year = decided_on.year
    latest = Decision.objects.filter(network=network, year=year).aggregate(
        n=Max("number")
    )["n"]
    decision = Decision.objects.create(
        network=network,
        meeting=meeting,
        item=item,
        year=year,
        number=(latest or 0) + 1,
        text=text.strip(),
        decided_on=decided_on,
        created_by=by,
    )
    audit.record(
        GovernanceEvent.DECISION_RECORDED,
        target=decision,
        by=by,
        network=network,
        reference=decision.reference,
    )
    return decision


@transaction.atomic
def record_action(
    *,
    meeting: Meeting,
    by: User | None,
    description: str,
    owner: User,
    due_on: date,
    item: AgendaItem | None = None,
    decision: Decision | None = None,
) -> Action:
    _check_member(meeting.network, owner)
    action = Action.objects.create(
        network=meeting.network,
        meeting=meeting,
        item=item,
        decision=decision,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=by,
        updated_by=by,
    )
    audit.record(
        GovernanceEvent.ACTION_RECORDED,
        target=action,
        by=by,
        network=meeting.network,
        owner=owner.pk,
    )
    notifications.tell_action_assigned(action, by=by)
    return action


@transaction.atomic
def set_action_status(*, action: Action, by: User | None, status: str) -> Action:
    """Mark an action done or cancelled, or reopen it."""
    if status not in ActionStatus.values:
        raise ValueError(f"Unknown action status {status!r}")
    if action.status == status:
        return action
    previous = action.status
    action.status = status
    action.closed_at = None if status == ActionStatus.OPEN else timezone.now()
    action.updated_by = by
    action.save()
    audit.record(
        GovernanceEvent.ACTION_STATUS_CHANGED,
        target=action,
        by=by,
        network=action.network,
        previous=previous,
        status=status,
    )
    return action


# Programme timeline ---------------------------------------------------------


@transaction.atomic
def save_phase(
    *,
    network: Network,
    by: User | None,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    status: str,
    description: str = "",
    phase: Phase | None = None,
) -> Phase:
    phase = phase or Phase(network=network)
    phase.title = title.strip()
    phase.starts_on = starts_on
    phase.ends_on = ends_on
    phase.status = status
    phase.description = description.strip()
    phase.updated_by = by
    phase.save()
    audit.record(
        GovernanceEvent.TIMELINE_UPDATED, target=phase, by=by, network=network
    )
    return phase


@transaction.atomic
def save_milestone(
    *,
    network: Network,
    by: User | None,
    title: str,
    due_on: date,
    done: bool = False,
    milestone: Milestone | None = None,
) -> Milestone:
    milestone = milestone or Milestone(network=network)
    milestone.title = title.strip()
    milestone.due_on = due_on
    milestone.done = done
    milestone.updated_by = by
    milestone.save()
    audit.record(
        GovernanceEvent.TIMELINE_UPDATED, target=milestone, by=by, network=network
    )
    return milestone
