"""Writes for nomination rounds: each takes keyword-only arguments and `by=`.

Every action runs in one transaction and records an audit event. An action
refuses what the round's state does not allow (`Refused`, with the message
to show), whoever asks; who may ask is the permission gate's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit
from msknet.governance.models import Meeting
from msknet.members.models import ICB, Network, Topic, User

from . import notifications
from .models import (
    DEFAULT_CRITERIA,
    Comment,
    Criterion,
    Decision,
    Nomination,
    PrioritiesEvent,
    Round,
    RoundStatus,
    Score,
    Scorecard,
    StrategicPriority,
    Support,
    TermLengths,
)
from .strategic_actions import NotThisNetworks, checked_serves


class Refused(Exception):
    """What the round's state does not allow, in words to show the person."""


NOMINATION_FIELDS = (
    "title", "problem", "population", "variation", "benefit_access",
    "benefit_outcomes", "benefit_experience", "inequality", "term", "resources",
    "evidence", "topic",
)
ROUND_FIELDS = (
    "title", "description", "opens_on", "closes_on", "supports_per_member",
    "score_min", "score_max", "score_min_label", "score_max_label",
)
SCALE_FIELDS = ("score_min", "score_max")


def _record(type: str, *, target: Any, by: User, network: Network, **data: Any) -> None:
    audit.record(type, target=target, by=by, network=network, **data)


def _check_serves(network: Network, serves: Iterable[StrategicPriority],
                  already: Iterable[StrategicPriority]) -> list[StrategicPriority]:
    """`strategic_actions.checked_serves`, refused as this app refuses."""
    try:
        return checked_serves(network, serves, already=already)
    except NotThisNetworks as error:
        raise Refused(str(error)) from error


def _check_icbs(network: Network, icbs: Iterable[ICB]) -> list[ICB]:
    icbs = list(icbs)
    allowed = set(network.icbs.values_list("pk", flat=True))
    outside = [icb.short_name for icb in icbs if icb.pk not in allowed]
    if outside:
        raise Refused(f"{', '.join(outside)} is not one of {network.short_name}'s ICBs")
    return icbs


def _check_topic(network: Network, topic: Topic | None) -> None:
    if topic is not None and topic.network_id != network.pk:
        raise Refused(f"{topic.name} is not one of {network.short_name}'s topics")


# Term lengths -------------------------------------------------------------------


def term_lengths(network: Network) -> TermLengths:
    """The network's term lengths (the defaults until a lead changes them)."""
    terms = TermLengths.objects.filter(network=network).first()
    return terms or TermLengths(network=network)


@transaction.atomic
def set_term_lengths(
    *, network: Network, by: User, short_under_months: int, long_over_months: int
) -> TermLengths:
    if long_over_months < short_under_months:
        raise Refused("Long term must start at or after short term ends")
    terms, _ = TermLengths.objects.update_or_create(
        network=network,
        defaults={"short_under_months": short_under_months,
                  "long_over_months": long_over_months, "updated_by": by},
    )
    _record(PrioritiesEvent.TERMS_UPDATED, target=terms, by=by, network=network,
            short_under_months=short_under_months, long_over_months=long_over_months)
    return terms


# Rounds -------------------------------------------------------------------------


@transaction.atomic
def create_round(*, network: Network, by: User, title: str, opens_on: dt.date,
                 closes_on: dt.date, **fields: Any) -> Round:
    """A round with the default screening criteria, each weighted 1."""
    if closes_on < opens_on:
        raise Refused("The closing date must be on or after the opening date")
    round = Round.objects.create(
        network=network, title=title, opens_on=opens_on, closes_on=closes_on,
        created_by=by, updated_by=by,
        **{k: v for k, v in fields.items() if k in ROUND_FIELDS},
    )
    Criterion.objects.bulk_create(
        Criterion(round=round, name=name, description=description, position=i)
        for i, (name, description) in enumerate(DEFAULT_CRITERIA)
    )
    _record(PrioritiesEvent.ROUND_CREATED, target=round, by=by, network=network,
            title=title)
    notifications.tell_round_opened(round)  # if it opens today or already has
    return round


def scoring_started(round: Round) -> bool:
    return Scorecard.objects.filter(nomination__round=round).exists()


@transaction.atomic
def update_round(*, round: Round, by: User, **fields: Any) -> Round:
    changed = [name for name in ROUND_FIELDS
               if name in fields and getattr(round, name) != fields[name]]
    if any(name in SCALE_FIELDS for name in changed) and scoring_started(round):
        raise Refused("Scoring has started, so the scale cannot change: existing "
                      "scores would no longer compare")
    for name in changed:
        setattr(round, name, fields[name])
    if round.closes_on < round.opens_on:
        raise Refused("The closing date must be on or after the opening date")
    if round.score_max <= round.score_min:
        raise Refused("The highest score must be above the lowest")
    if changed:
        round.updated_by = by
        round.save()
        _record(PrioritiesEvent.ROUND_UPDATED, target=round, by=by,
                network=round.network, fields=changed)
        notifications.tell_round_opened(round)  # if new dates open it now
    return round


@transaction.atomic
def close_nominations(*, round: Round, by: User) -> Round:
    """Close the round to nominations now, before its closing date."""
    if round.status != RoundStatus.OPEN:
        raise Refused("Only an open round can be closed to nominations")
    round.closed_at, round.closed_by, round.updated_by = timezone.now(), by, by
    round.save()
    _record(PrioritiesEvent.ROUND_CLOSED, target=round, by=by, network=round.network)
    notifications.tell_scoring_due(round)  # screening starts now
    return round


@transaction.atomic
def close_screening(*, round: Round, by: User) -> Round:
    """Make the scores final: every panellist and lead may then see them all."""
    if round.status != RoundStatus.SCREENING:
        raise Refused("Screening can be closed only after nominations close, once")
    round.screening_closed_at, round.screening_closed_by = timezone.now(), by
    round.updated_by = by
    round.save()
    _record(PrioritiesEvent.SCREENING_CLOSED, target=round, by=by,
            network=round.network)
    return round


@transaction.atomic
def set_panel(*, round: Round, by: User, panellists: Iterable[User]) -> Round:
    """Name who scores the round; nobody named means the steering group does."""
    panellists = list(panellists)
    members = set(round.network.memberships.active().values_list("user_id", flat=True))
    outsiders = [p.display_name for p in panellists if p.pk not in members]
    if outsiders:
        raise Refused(f"{', '.join(outsiders)} is not a member of the network")
    if round.status == RoundStatus.FINISHED:
        raise Refused("Screening has closed: the panel can no longer change")
    before = set(round.panel.values_list("pk", flat=True))
    round.panel.set(panellists)
    _record(PrioritiesEvent.PANEL_SET, target=round, by=by, network=round.network,
            panellists=[p.pk for p in panellists])
    notifications.tell_panel_changed(round, before=before, by=by)
    return round


def _criteria_may_change(round: Round) -> None:
    # Scores given against one set of questions and weights do not compare
    # with scores given against another, so criteria are fixed once any
    # panellist has scored.
    if scoring_started(round):
        raise Refused("Scoring has started, so the criteria and weights cannot "
                      "change: existing scores would no longer compare")


@transaction.atomic
def add_criterion(*, round: Round, by: User, name: str, description: str = "",
                  weight: Decimal = Decimal(1)) -> Criterion:
    _criteria_may_change(round)
    if round.criteria.filter(name__iexact=name.strip()).exists():
        raise Refused("The round already has a criterion with that name")
    criterion = round.criteria.create(
        name=name.strip(), description=description.strip(), weight=weight,
        position=round.criteria.count(),
    )
    _record(PrioritiesEvent.CRITERIA_UPDATED, target=round, by=by,
            network=round.network, added=criterion.name, weight=str(weight))
    return criterion


@transaction.atomic
def update_criterion(*, criterion: Criterion, by: User, name: str,
                     description: str = "", weight: Decimal) -> Criterion:
    round = criterion.round
    _criteria_may_change(round)
    if round.criteria.filter(name__iexact=name.strip()).exclude(
            pk=criterion.pk).exists():
        raise Refused("The round already has a criterion with that name")
    criterion.name, criterion.description = name.strip(), description.strip()
    criterion.weight = weight
    criterion.save()
    _record(PrioritiesEvent.CRITERIA_UPDATED, target=round, by=by,
            network=round.network, changed=criterion.name, weight=str(weight))
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion, by: User) -> None:
    round = criterion.round
    _criteria_may_change(round)
    if round.criteria.count() <= 1:
        raise Refused("A round needs at least one criterion")
    name = criterion.name
    criterion.delete()
    _record(PrioritiesEvent.CRITERIA_UPDATED, target=round, by=by,
            network=round.network, removed=name)


# Nominations --------------------------------------------------------------------


@transaction.atomic
def nominate(*, round: Round, by: User, icbs: Iterable[ICB] = (),
             serves: Iterable[StrategicPriority] = (), **fields: Any) -> Nomination:
    """A member's nomination, while the round is open."""
    if not round.is_open:
        raise Refused("This round is not open for nominations")
    network = round.network
    icbs = _check_icbs(network, icbs)
    _check_topic(network, fields.get("topic"))
    if round.nominations.filter(title__iexact=fields["title"].strip()).exists():
        raise Refused("This round already has a nomination with that title")
    nomination = Nomination.objects.create(
        round=round, nominated_by=by, updated_by=by,
        **{k: v for k, v in fields.items() if k in NOMINATION_FIELDS},
    )
    nomination.icbs.set(icbs)
    nomination.serves.set(_check_serves(network, serves, already=()))
    _record(PrioritiesEvent.NOMINATION_CREATED, target=nomination, by=by,
            network=network, title=nomination.title)
    return nomination


@transaction.atomic
def update_nomination(*, nomination: Nomination, by: User,
                      icbs: Iterable[ICB] | None = None,
                      serves: Iterable[StrategicPriority] | None = None,
                      **fields: Any) -> Nomination:
    """The nominator's changes, until the round closes."""
    round = nomination.round
    if not round.is_open:
        raise Refused("The round has closed: nominations can no longer change")
    network = round.network
    _check_topic(network, fields.get("topic"))
    title = fields.get("title", nomination.title).strip()
    if round.nominations.filter(title__iexact=title).exclude(
            pk=nomination.pk).exists():
        raise Refused("This round already has a nomination with that title")
    changed = [name for name in NOMINATION_FIELDS
               if name in fields and getattr(nomination, name) != fields[name]]
    for name in changed:
        setattr(nomination, name, fields[name])
    nomination.updated_by = by
    nomination.save()
    if icbs is not None:
        icbs = _check_icbs(network, icbs)
        if set(nomination.icbs.all()) != set(icbs):
            nomination.icbs.set(icbs)
            changed.append("icbs")
    if serves is not None:
        serves = _check_serves(network, serves, already=nomination.serves.all())
        if set(nomination.serves.all()) != set(serves):
            nomination.serves.set(serves)
            changed.append("serves")
    _record(PrioritiesEvent.NOMINATION_UPDATED, target=nomination, by=by,
            network=network, fields=changed)
    return nomination


@transaction.atomic
def add_comment(*, nomination: Nomination, by: User, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise Refused("Enter a comment")
    comment = nomination.comments.create(author=by, body=body)
    _record(PrioritiesEvent.COMMENT_ADDED, target=comment, by=by,
            network=nomination.round.network, nomination=nomination.pk)
    return comment


# Supports -----------------------------------------------------------------------


def supports_used(round: Round, user: User) -> int:
    return Support.objects.filter(nomination__round=round, user=user).count()


@transaction.atomic
def support(*, nomination: Nomination, by: User) -> Support:
    """Back a nomination, within the round's number of supports per member."""
    # Lock the round so two supports sent at once cannot both pass the limit.
    round = Round.objects.select_for_update().get(pk=nomination.round_id)
    if round.status != RoundStatus.OPEN:
        raise Refused("Supports can be given only while the round is open")
    if nomination.nominated_by_id == by.pk:
        raise Refused("You cannot support your own nomination")
    if nomination.supports.filter(user=by).exists():
        raise Refused("You already support this nomination")
    used = supports_used(round, by)
    if used >= round.supports_per_member:
        raise Refused(
            f"You have used all {round.supports_per_member} of your supports in "
            "this round: withdraw one to support this nomination"
        )
    backing = nomination.supports.create(user=by)
    _record(PrioritiesEvent.SUPPORT_ADDED, target=nomination, by=by,
            network=round.network)
    return backing


@transaction.atomic
def withdraw_support(*, nomination: Nomination, by: User) -> None:
    if not nomination.round.is_open:
        raise Refused("Supports can be withdrawn only while the round is open")
    deleted, _ = nomination.supports.filter(user=by).delete()
    if not deleted:
        raise Refused("You do not support this nomination")
    _record(PrioritiesEvent.SUPPORT_WITHDRAWN, target=nomination, by=by,
            network=nomination.round.network)


# Screening ----------------------------------------------------------------------


@transaction.atomic
def submit_scores(*, nomination: Nomination, by: User,
                  scores: Mapping[int, tuple[int, str]]) -> Scorecard:
    """A panellist's scores, `{criterion id: (value, comment)}`, for every
    criterion; submitting again replaces their earlier scores.
    """
    round = nomination.round
    if round.status != RoundStatus.SCREENING:
        raise Refused("Nominations can be scored only after the round closes to "
                      "nominations and before screening closes")
    criteria = {c.pk: c for c in round.criteria.all()}
    missing = [c.name for pk, c in criteria.items() if pk not in scores]
    if missing:
        raise Refused(f"Score every criterion: {', '.join(missing)} has no score")
    unknown = [pk for pk in scores if pk not in criteria]
    if unknown:
        raise Refused(f"The round has no criterion {unknown[0]}")
    for pk, (value, _) in scores.items():
        if not round.score_min <= value <= round.score_max:
            raise Refused(f"{criteria[pk].name}: choose a score from "
                          f"{round.score_min} to {round.score_max}")
    scorecard, created = Scorecard.objects.get_or_create(
        nomination=nomination, panellist=by)
    if not created:
        scorecard.scores.all().delete()
        scorecard.save()  # updated_at
    Score.objects.bulk_create(
        Score(scorecard=scorecard, criterion=criteria[pk], value=value,
              comment=comment.strip())
        for pk, (value, comment) in scores.items()
    )
    _record(PrioritiesEvent.SCORES_SUBMITTED, target=nomination, by=by,
            network=round.network, replaced=not created)
    return scorecard


# Decisions ----------------------------------------------------------------------


@transaction.atomic
def record_decision(*, nomination: Nomination, by: User, decision: str,
                    reason: str = "", meeting_on: dt.date | None = None,
                    minute_reference: str = "", meeting: Meeting | None = None
                    ) -> Nomination:
    """The lead's decision, as made at a steering group meeting.

    `meeting` links the decision to a meeting recorded in the network's
    governance (its date is then the meeting's, unless one is given).
    """
    if not nomination.round.nominations_closed:
        raise Refused("Decisions are recorded after the round closes to nominations")
    if decision not in Decision.values:
        raise Refused("Choose selected, deferred or declined")
    reason = reason.strip()
    if decision == Decision.DECLINED and not reason:
        raise Refused("Give the reason the nomination is declined")
    if meeting is not None:
        if meeting.group.network_id != nomination.round.network_id:
            raise Refused("Choose a meeting of this network")
        meeting_on = meeting_on or timezone.localdate(meeting.starts_at)
    nomination.decision = decision
    nomination.decision_meeting = meeting
    nomination.decision_reason = reason
    nomination.decision_meeting_on = meeting_on
    nomination.decision_minute_reference = minute_reference.strip()
    nomination.decided_at, nomination.decided_by = timezone.now(), by
    nomination.save()
    _record(PrioritiesEvent.DECISION_RECORDED, target=nomination, by=by,
            network=nomination.round.network, decision=decision)
    return nomination
