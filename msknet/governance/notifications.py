"""What governance tells people: actions given to them, due and overdue;
papers for their groups' meetings; terms of reference waiting for approval.

Plain functions over `msknet.communications.notify.notify`, called from the
actions (inside their transaction) and from the daily job in `tasks`. Each
names its happening with a key, so nobody is told about it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.text import Truncator

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.members.notifications import members_who_may
from msknet.members.permissions import Permission

from .models import Action, Meeting, TermsOfReference

#: Owners are reminded of an action due within this many days.
DUE_SOON_DAYS = 3
#: Actions that fell overdue longer ago than this are left alone: the daily
#: job tells owners as their actions fall overdue, not about an old backlog
#: (when the job first runs, or after the worker was stopped for weeks).
OVERDUE_LOOKBACK_DAYS = 28


def _what(action: Action) -> str:
    return Truncator(" ".join(action.description.split())).chars(120)


def _where(action: Action) -> str:
    return action.meeting.group.name


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def tell_action_assigned(action: Action, *, by: Any) -> int:
    """Tell the owner an action is theirs, unless they gave it to themselves.

    The key names the owner, so someone given the action later is told too.
    """
    if by is not None and by.pk == action.owner_id:
        return 0
    meeting = action.meeting
    made = notify(
        kind=Kind.ACTION_ASSIGNED,
        recipients=[action.owner],
        network=action.network,
        key=f"action:{action.pk}:assigned:{action.owner_id}",
        title=f"Action for you, due {_day(action.due_on)}: {_what(action)} "
        f"({_where(action)})",
        url=action.get_absolute_url(),
        body=f"Agreed at {meeting.title} on "
        f"{_day(timezone.localdate(meeting.starts_at))}. Mark it done on the "
        "meeting's page when it is.",
    )
    return len(made)


def _due_in(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def tell_action_due_soon(action: Action, *, today: dt.date) -> int:
    """Remind the owner of an open action due within 3 days, once per due date."""
    days = (action.due_on - today).days
    made = notify(
        kind=Kind.ACTION_DUE_SOON,
        recipients=[action.owner],
        network=action.network,
        key=f"action:{action.pk}:due:{action.due_on.isoformat()}",
        title=f"Action due {_due_in(days)}: {_what(action)} ({_where(action)})",
        url=action.get_absolute_url(),
        body=f"Due on {_day(action.due_on)}.",
    )
    return len(made)


def tell_action_overdue(action: Action, *, today: dt.date) -> int:
    """Tell the owner an open action is past its due date, once per due date."""
    made = notify(
        kind=Kind.ACTION_OVERDUE,
        recipients=[action.owner],
        network=action.network,
        key=f"action:{action.pk}:overdue:{action.due_on.isoformat()}",
        title=f"Action overdue since {_day(action.due_on)}: {_what(action)} "
        f"({_where(action)})",
        url=action.get_absolute_url(),
        body="Mark it done when it is, or cancelled if it is no longer needed, "
        "on the meeting's page.",
    )
    return len(made)


def tell_actions_due(*, today: dt.date | None = None) -> int:
    """The daily reminders: open actions due within 3 days (today included)
    to their owners, and open actions that fell overdue in the last 4
    weeks. How many notifications were made; running it again makes none."""
    today = today or timezone.localdate()
    open_actions = Action.objects.open().select_related(
        "owner", "network", "meeting__group__network"
    )
    made = 0
    for action in open_actions.filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    ):
        made += tell_action_due_soon(action, today=today)
    for action in open_actions.filter(
        due_on__lt=today,
        due_on__gte=today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS),
    ):
        made += tell_action_overdue(action, today=today)
    return made


def tell_papers_published(meeting: Meeting, *, by: Any) -> int:
    """Tell the group's members that papers are up for a meeting.

    There is no separate step to publish papers: they are published as they
    are attached. So that a chair attaching five papers sends one
    notification, not five, each member is told at most once a day per
    meeting (the key holds the day); papers added on a later day are news
    again. Whoever attached the paper is not told.
    """
    group = meeting.group
    today = timezone.localdate()
    starts = timezone.localtime(meeting.starts_at)
    people = [m.user for m in group.memberships.select_related("user")]
    made = notify(
        kind=Kind.PAPERS_PUBLISHED,
        recipients=[p for p in people if by is None or p.pk != by.pk],
        network=group.network,
        key=f"meeting:{meeting.pk}:papers:{today.isoformat()}",
        title=f"Papers for {meeting.title} on {_day(starts.date())} ({group.name})",
        url=meeting.get_absolute_url(),
        body=f"The meeting is on {starts:%A %-d %B %Y at %H:%M}. "
        "The papers are on the meeting's page, beside its agenda.",
    )
    return len(made)


def tell_terms_for_approval(terms: TermsOfReference, *, by: Any) -> int:
    """Tell those who may approve terms of reference (APPROVE_TERMS) that a
    version is up for approval.

    A draft is up for approval from when it is first saved; there is no
    separate step. Each approver is told once per version (the key names
    the version), not each time the draft changes, and not if they saved it.
    """
    group = terms.group
    approvers = members_who_may(group.network, Permission.APPROVE_TERMS)
    if by is not None:
        approvers = approvers.exclude(pk=by.pk)
    made = notify(
        kind=Kind.TOR_FOR_APPROVAL,
        recipients=approvers,
        network=group.network,
        key=f"terms:{terms.pk}:approval",
        title=f"Terms of reference version {terms.number} for approval: "
        f"{group.name}",
        url=terms.get_absolute_url(),
        body=(f"What changed: {terms.change_summary}. " if terms.change_summary
              else "") + "Record the approval once the group has agreed them.",
    )
    return len(made)
