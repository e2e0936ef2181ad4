"""What nomination rounds tell people: a round opens, nominations close soon,
you are on the screening panel, you have nominations to score.

Plain functions over `msknet.communications.notify.notify`, called from the
actions (inside their transaction) and from the daily job in `tasks`. A
round opens and closes to nominations by its dates as well as by the
lead's hand, so the daily job catches what no action saw. Each function
names its happening with a key, so nobody is told about it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.members.models import Membership, User
from msknet.members.notifications import members_who_may
from msknet.members.permissions import Permission

from .models import Round, RoundStatus, Scorecard

#: Members are reminded when nominations close within this many days.
CLOSING_SOON_DAYS = 3
#: A panellist with nominations still to score is reminded every this many
#: days while screening lasts.
SCORING_REMINDER_DAYS = 3


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _where(round: Round) -> str:
    return f"{round.title} ({round.network.short_name})"


def _screening_url(round: Round) -> str:
    return reverse(
        "priorities-screening",
        kwargs={"network_slug": round.network.slug, "round_id": round.pk},
    )


def members_of(round: Round) -> QuerySet[User]:
    """The round's network's active members."""
    members = Membership.objects.for_network(round.network).active()
    return User.objects.filter(pk__in=members.values("user_id")).order_by("pk")


def panellists(round: Round) -> list[User]:
    """Who scores the round: its named panel, or with nobody named, those
    whose role lets them score (the steering group and leads), as the
    permission gate's rule for SCORE_NOMINATIONS has it."""
    named = list(round.panel.order_by("pk"))
    return named or list(members_who_may(round.network, Permission.SCORE_NOMINATIONS))


# A round opens --------------------------------------------------------------


def tell_round_opened(round: Round, *, today: dt.date | None = None) -> int:
    """Tell every member that the round is open for nominations, once.

    Whoever joins the network while the round is open is told on the next
    daily run: the round is news to them too.
    """
    today = today or timezone.localdate()
    if round.status_on(today) != RoundStatus.OPEN:
        return 0
    made = notify(
        kind=Kind.ROUND_OPENED,
        recipients=members_of(round),
        network=round.network,
        key=f"round:{round.pk}:opened",
        title=f"Nominations open until {_day(round.closes_on)}: {_where(round)}",
        url=round.get_absolute_url(),
        body="Nominate a problem worth a network improvement project, and "
        f"support up to {round.supports_per_member} of the nominations.",
    )
    return len(made)


# Nominations close soon -----------------------------------------------------


def _closes_in(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def tell_round_closing(round: Round, *, today: dt.date | None = None) -> int:
    """Remind the members who have not nominated in the round that it closes
    to nominations within 3 days, once.

    Members who have nominated are left alone: they have taken part, and
    the round's page shows them its closing date. A round that opened today
    waits a day, so nobody hears "open" and "closing" the same morning.
    """
    today = today or timezone.localdate()
    days = (round.closes_on - today).days
    if (
        round.status_on(today) != RoundStatus.OPEN
        or days > CLOSING_SOON_DAYS
        or round.opens_on >= today
    ):
        return 0
    nominated = round.nominations.values("nominated_by_id")
    made = notify(
        kind=Kind.ROUND_CLOSING,
        recipients=members_of(round).exclude(pk__in=nominated),
        network=round.network,
        key=f"round:{round.pk}:closing",
        title=f"Nominations close {_closes_in(days)}: {_where(round)}",
        url=round.get_absolute_url(),
        body=f"The last day to nominate is {_day(round.closes_on)}.",
    )
    return len(made)


# The panel ------------------------------------------------------------------


def tell_panel_named(round: Round, people: Iterable[User]) -> int:
    """Tell people they are on the round's screening panel, once per round."""
    if round.status == RoundStatus.SCREENING:
        when = "Nominations have closed: you can score them now."
    else:
        when = (f"Scoring starts when nominations close on {_day(round.closes_on)}; "
                "you will be told then.")
    made = notify(
        kind=Kind.PANEL_NAMED,
        recipients=people,
        network=round.network,
        key=f"round:{round.pk}:panel",
        title=f"You are on the screening panel: {_where(round)}",
        url=_screening_url(round),
        body=f"{when} The panel scores each nomination against the round's "
        "criteria.",
    )
    return len(made)


def screening_began_on(round: Round) -> dt.date:
    """The day screening began: the lead closed nominations, or the day
    after the closing date."""
    if round.closed_at is not None:
        return timezone.localdate(round.closed_at)
    return round.closes_on + dt.timedelta(days=1)


def tell_scoring_due(round: Round, *, today: dt.date | None = None) -> int:
    """While the round is in screening: tell a steering group that scores it
    (no panel named) that they are its panel, once; and remind each
    panellist who still has nominations to score.

    A reminder goes out when screening begins and then every 3 days while
    any are unscored (the key holds the first day of each 3-day stretch from
    the day screening began), so running this daily reminds without
    nagging. Scoring is in the daily digest unless the person chooses
    otherwise.
    """
    today = today or timezone.localdate()
    if round.status_on(today) != RoundStatus.SCREENING:
        return 0
    made = 0
    scorers = panellists(round)
    if not round.panel.exists():
        made += tell_panel_named(round, scorers)
    nominations = set(round.nominations.values_list("pk", flat=True))
    if not nominations:
        return made
    scored: dict[int, set[int]] = {}
    for panellist_id, nomination_id in Scorecard.objects.filter(
        nomination__round=round
    ).values_list("panellist_id", "nomination_id"):
        scored.setdefault(panellist_id, set()).add(nomination_id)
    began = screening_began_on(round)
    stretch = max((today - began).days, 0) // SCORING_REMINDER_DAYS
    since = began + dt.timedelta(days=stretch * SCORING_REMINDER_DAYS)
    for person in scorers:
        left = len(nominations - scored.get(person.pk, set()))
        if not left:
            continue
        made += len(notify(
            kind=Kind.SCORING_DUE,
            recipients=[person],
            network=round.network,
            key=f"round:{round.pk}:scoring:{since.isoformat()}",
            title=f"{left} nomination{'' if left == 1 else 's'} to score: "
            f"{_where(round)}",
            url=_screening_url(round),
            body="Score each nomination against the round's criteria; the lead "
            "closes screening once the panel has scored.",
        ))
    return made


# The daily job --------------------------------------------------------------


def tell_rounds_due(*, today: dt.date | None = None) -> int:
    """The daily run: rounds that opened, rounds closing within 3 days and
    rounds in screening. How many notifications were made; running it
    again the same day makes none."""
    today = today or timezone.localdate()
    live = Round.objects.filter(
        screening_closed_at__isnull=True, opens_on__lte=today
    ).select_related("network")
    made = 0
    for round in live.filter(closed_at__isnull=True, closes_on__gte=today):
        made += tell_round_opened(round, today=today)
        made += tell_round_closing(round, today=today)
    for round in live.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today)):
        made += tell_scoring_due(round, today=today)
    return made


def tell_panel_changed(round: Round, *, before: set[int], by: Any) -> int:
    """After the lead sets the panel: tell newly named panellists (not the
    lead naming themselves), and if screening is under way, bring the
    round's scorers up to date as the daily job would."""
    made = 0
    newcomers = [p for p in round.panel.order_by("pk")
                 if p.pk not in before and (by is None or p.pk != by.pk)]
    if newcomers:
        made += tell_panel_named(round, newcomers)
    if round.status == RoundStatus.SCREENING:
        made += tell_scoring_due(round)
    return made
