"""Demo notifications: what each demo sign-in would have been told by now.

The demo's actions already tell people things as they load (mentions,
replies, actions given, rounds opened, panels named, terms for approval).
This adds what the daily jobs would have found since (join requests left
waiting, actions due or overdue and each sign-in's latest overdue one,
measures whose data is late) and papers for each network's next steering
group meeting, all through the apps' own notification functions and so
through `notify`. Then it settles the
history: what is more than a week old has been read, and everything counts
as emailed except the demo sign-ins' recent daily and weekly ones, so the
digests have something to show them and no synthetic person is emailed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from msknet.governance import notifications as governance
from msknet.governance.models import Action, GroupKind, Meeting
from msknet.improvement import notifications as improvement
from msknet.members import notifications as members

from .models import DEFAULT_DELIVERY, Delivery, Kind, Notification

#: Notifications older than this have been read.
READ_AFTER = timedelta(days=7)
#: What the daily jobs tell people.
JOB_KINDS = (
    Kind.JOIN_REQUEST_WAITING,
    Kind.ACTION_DUE_SOON,
    Kind.ACTION_OVERDUE,
    Kind.MEASURE_NO_DATA,
)


def tell_papers_for_next_steering_meetings(now: datetime) -> int:
    """Papers are up for each network's next steering group meeting."""
    made = 0
    upcoming = (
        Meeting.objects.filter(starts_at__gt=now, group__kind=GroupKind.STEERING)
        .select_related("group__network")
        .order_by("group__network_id", "starts_at")
    )
    told: set[int] = set()
    for meeting in upcoming:
        if meeting.group.network_id in told:
            continue
        told.add(meeting.group.network_id)
        made += governance.tell_papers_published(meeting, by=None)
    return made


def tell_logins_of_their_latest_overdue_action(logins: list[str], today: date) -> int:
    """Each sign-in with an overdue action hears of their latest one."""
    made = 0
    for login in logins:
        action = (
            Action.objects.open()
            .filter(owner__email=login, due_on__lt=today)
            .select_related("owner", "network", "meeting__group__network")
            .order_by("-due_on")
            .first()
        )
        if action is not None:
            made += governance.tell_action_overdue(action, today=today)
    return made


def settle(now: datetime, logins: list[str]) -> None:
    """Mark the old read and everything but the sign-ins' recent digest news emailed."""
    Notification.objects.filter(created_at__lt=now - READ_AFTER).update(
        read_at=now - timedelta(days=6)
    )
    digest_kinds = [
        kind
        for kind, delivery in DEFAULT_DELIVERY.items()
        if delivery in (Delivery.DAILY, Delivery.WEEKLY)
    ]
    recent_digest_news = Q(
        user__email__in=logins,
        kind__in=digest_kinds,
        read_at__isnull=True,
    )
    Notification.objects.filter(emailed_at__isnull=True).exclude(
        recent_digest_news
    ).update(emailed_at=now)


def load_demo_notifications(logins: list[str], now: datetime | None = None) -> None:
    """Notifications in the demo networks, after everything else has loaded.

    `logins` are the demo sign-ins' email addresses.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    members.tell_join_requests_waiting(now=now)  # leads: requests left waiting
    governance.tell_actions_due(today=today)  # owners: due soon, overdue
    tell_logins_of_their_latest_overdue_action(logins, today)
    tell_papers_for_next_steering_meetings(now)  # steering group members
    improvement.tell_overdue_data(today=today)  # measure keepers
    # The jobs' notifications arrive in the early morning, not as the demo loads.
    morning = timezone.localtime(now).replace(hour=7, minute=0, second=0, microsecond=0)
    if morning < now:
        Notification.objects.filter(kind__in=JOB_KINDS, created_at__gt=morning).update(
            created_at=morning
        )
    settle(now, logins)
