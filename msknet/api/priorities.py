"""Nomination rounds: rounds, nominations, supports, scores and decisions.

Scores follow the pages' rule (`see_nomination_scores` in the permission
gate): nobody reads a nomination's scores before scoring it themselves, or
before the lead closes screening.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.analytics import prioritisation
from msknet.members.models import Network
from msknet.members.permissions import Permission
from msknet.priorities import actions, queries
from msknet.priorities.models import Decision, Nomination, Round, Term

from .errors import FieldErrors
from .gate import api_gate, api_user
from .pagination import Pagination
from .reference import icb_by_code
from .responses import errors
from .schemas import ICBRef, LongText, RequiredLongText, TopicRef, text

router = Router(tags=["Priorities"])
Title = text(200, min_length=1)
ShortText = text(100)


def load_round(*, network: Network, kwargs: dict[str, Any]) -> Round:
    return get_object_or_404(Round.objects.select_related("network"),
                             network=network, pk=kwargs["round_id"])


def load_nomination(*, network: Network, kwargs: dict[str, Any]) -> Nomination:
    return get_object_or_404(
        Nomination.objects.select_related("round__network", "topic", "nominated_by"),
        round__network=network, pk=kwargs["id"],
    )


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: float


class RoundOut(Schema):
    id: int
    title: str
    description: str
    opens_on: date
    closes_on: date
    status: str = Field(description="upcoming, open, screening or finished")
    supports_per_member: int
    score_min: int
    score_max: int
    score_min_label: str
    score_max_label: str
    criteria: list[CriterionOut]
    panel_named: bool = Field(
        description="True if a named panel scores; false if the steering group does"
    )

    @staticmethod
    def resolve_status(obj: Round) -> str:
        return str(obj.status)

    @staticmethod
    def resolve_criteria(obj: Round) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_panel_named(obj: Round) -> bool:
        return obj.panel.exists()


class NominationOut(Schema):
    id: int
    round_id: int
    title: str
    problem: str
    population: str
    icbs: list[ICBRef]
    variation: str
    benefit_access: str
    benefit_outcomes: str
    benefit_experience: str
    inequality: str
    term: Term
    resources: str
    evidence: str
    topic: TopicRef | None
    nominated_by: str | None = Field(description="The nominator's name")
    supports: int
    decision: str = Field(description="selected, deferred, declined or empty")
    decision_reason: str
    decision_meeting_on: date | None
    decision_minute_reference: str
    created_at: datetime

    @staticmethod
    def resolve_icbs(obj: Nomination) -> list[Any]:
        return list(obj.icbs.all())

    @staticmethod
    def resolve_nominated_by(obj: Nomination) -> str | None:
        return obj.nominated_by.display_name if obj.nominated_by else None

    @staticmethod
    def resolve_supports(obj: Nomination) -> int:
        count = getattr(obj, "support_count", None)
        return obj.supports.count() if count is None else int(count)


class NominationIn(Schema):
    title: Title
    problem: RequiredLongText
    population: RequiredLongText
    icbs: list[text(3)] = Field(default_factory=list, max_length=50,
                                description="ODS codes of the network's ICBs")
    variation: RequiredLongText
    benefit_access: RequiredLongText
    benefit_outcomes: RequiredLongText
    benefit_experience: RequiredLongText
    inequality: RequiredLongText
    term: Term
    resources: RequiredLongText
    evidence: LongText = ""
    topic: text(60) | None = Field(None, description="A topic's slug")


class SupportOut(Schema):
    nomination_id: int
    supported: bool = Field(description="Whether you support it now")
    supports: int = Field(description="How many members support it")
    supports_left: int = Field(description="Your supports left in the round")


class ScoreIn(Schema):
    criterion_id: int
    value: int
    comment: LongText = ""


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(max_length=50)


class ScoreOut(Schema):
    criterion_id: int
    criterion: str
    value: int
    comment: str


class ScorecardOut(Schema):
    panellist: str
    weighted_score: float
    scores: list[ScoreOut]


class NominationScoresOut(Schema):
    nomination_id: int
    score: float | None = Field(description="Mean of panellists' weighted scores")
    low: float | None
    high: float | None
    panellists: int
    scorecards: list[ScorecardOut]


class DecisionIn(Schema):
    decision: Decision
    reason: LongText = Field("", description="Needed when declined")
    meeting_on: date | None = None
    minute_reference: ShortText = ""


class NominationDecisionOut(Schema):
    nomination_id: int = Field(alias="id")
    title: str
    term: Term
    decision: str
    reason: str = Field(alias="decision_reason")
    meeting_on: date | None = Field(alias="decision_meeting_on")
    minute_reference: str = Field(alias="decision_minute_reference")
    decided_at: datetime | None


def refused(error: actions.Refused) -> HttpError:
    return HttpError(409, str(error))


@router.get(
    "/networks/{slug}/priorities/rounds",
    response={200: list[RoundOut], **errors(401, 403, 404, 422)},
    url_name="priority-round-list", operation_id="list_priority_rounds",
    summary="List nomination rounds",
)
@api_gate(Permission.VIEW_PRIORITIES)
@paginate(Pagination)
def round_list(request: HttpRequest, network: Network) -> QuerySet[Round]:
    """Newest first."""
    return Round.objects.for_network(network).prefetch_related("criteria")


@router.get(
    "/networks/{slug}/priorities/rounds/{round_id}",
    response={200: RoundOut, **errors(401, 403, 404)},
    url_name="priority-round-detail", operation_id="get_priority_round",
    summary="Get a nomination round",
)
@api_gate(Permission.VIEW_PRIORITIES, load=load_round, as_="round")
def round_detail(request: HttpRequest, network: Network, round_id: int,
                 round: Round) -> Round:
    return round


@router.get(
    "/networks/{slug}/priorities/rounds/{round_id}/nominations",
    response={200: list[NominationOut], **errors(401, 403, 404, 422)},
    url_name="priority-nomination-list", operation_id="list_nominations",
    summary="List a round's nominations",
)
@api_gate(Permission.VIEW_PRIORITIES, load=load_round, as_="round")
@paginate(Pagination)
def nomination_list(request: HttpRequest, network: Network, round_id: int,
                    round: Round) -> QuerySet[Nomination]:
    """By title, with how many members support each."""
    return queries.nominations(round)


@router.post(
    "/networks/{slug}/priorities/rounds/{round_id}/nominations",
    response={201: NominationOut, **errors(401, 403, 404, 409, 422)},
    url_name="priority-nomination-create", operation_id="create_nomination",
    summary="Nominate a project",
)
@api_gate(Permission.NOMINATE, load=load_round, as_="round")
def nomination_create(request: HttpRequest, network: Network, round_id: int,
                      payload: NominationIn, round: Round) -> Status:
    """409 unless the round is open, or if the title is taken in the round."""
    topic = None
    if payload.topic:
        topic = network.topics.filter(slug=payload.topic).first()
        if topic is None:
            raise FieldErrors({"topic": f"{network} has no topic {payload.topic!r}"})
    icbs = [icb_by_code(code, field="icbs") for code in payload.icbs]
    fields = payload.dict(exclude={"icbs", "topic"})
    try:
        nomination = actions.nominate(round=round, by=api_user(request), icbs=icbs,
                                      topic=topic, **fields)
    except actions.Refused as error:
        if "ICBs" in str(error):
            raise FieldErrors({"icbs": str(error)}) from None
        raise refused(error) from None
    return Status(201, nomination)


@router.get(
    "/networks/{slug}/priorities/nominations/{id}",
    response={200: NominationOut, **errors(401, 403, 404)},
    url_name="priority-nomination-detail", operation_id="get_nomination",
    summary="Get a nomination",
)
@api_gate(Permission.VIEW_PRIORITIES, load=load_nomination, as_="nomination")
def nomination_detail(request: HttpRequest, network: Network, id: int,
                      nomination: Nomination) -> Nomination:
    return nomination


def support_state(nomination: Nomination, user: Any) -> SupportOut:
    supported = queries.supported_by(nomination.round, user)
    return SupportOut(
        nomination_id=nomination.pk, supported=nomination.pk in supported,
        supports=nomination.supports.count(),
        supports_left=nomination.round.supports_per_member - len(supported),
    )


@router.post(
    "/networks/{slug}/priorities/nominations/{id}/support",
    response={200: SupportOut, **errors(401, 403, 404, 409)},
    url_name="priority-support", operation_id="support_nomination",
    summary="Support a nomination",
)
@api_gate(Permission.NOMINATE, load=load_nomination, as_="nomination")
def support(request: HttpRequest, network: Network, id: int,
            nomination: Nomination) -> SupportOut:
    """409 when the round is not open, you already support it, or you have
    used all the round's supports."""
    user = api_user(request)
    try:
        actions.support(nomination=nomination, by=user)
    except actions.Refused as error:
        raise refused(error) from None
    return support_state(nomination, user)


@router.delete(
    "/networks/{slug}/priorities/nominations/{id}/support",
    response={200: SupportOut, **errors(401, 403, 404, 409)},
    url_name="priority-support-withdraw", operation_id="withdraw_support",
    summary="Withdraw your support",
)
@api_gate(Permission.NOMINATE, load=load_nomination, as_="nomination")
def support_withdraw(request: HttpRequest, network: Network, id: int,
                     nomination: Nomination) -> SupportOut:
    """409 when the round is not open or you do not support it."""
    user = api_user(request)
    try:
        actions.withdraw_support(nomination=nomination, by=user)
    except actions.Refused as error:
        raise refused(error) from None
    return support_state(nomination, user)


def nomination_scores(nomination: Nomination) -> NominationScoresOut:
    weights = {c.pk: float(c.weight) for c in nomination.round.criteria.all()}
    cards = []
    for card in queries.scorecards_for(nomination):
        scores = list(card.scores.all())
        weighted = prioritisation.weighted_score(
            {s.criterion_id: s.value for s in scores}, weights)
        cards.append(ScorecardOut(
            panellist=card.panellist.display_name, weighted_score=weighted,
            scores=[ScoreOut(criterion_id=s.criterion_id, criterion=s.criterion.name,
                             value=s.value, comment=s.comment) for s in scores],
        ))
    summary = prioritisation.summarise(nomination.pk,
                                       [c.weighted_score for c in cards])
    return NominationScoresOut(
        nomination_id=nomination.pk, score=summary.score, low=summary.low,
        high=summary.high, panellists=summary.panellists, scorecards=cards,
    )


@router.get(
    "/networks/{slug}/priorities/nominations/{id}/scores",
    response={200: NominationScoresOut, **errors(401, 403, 404)},
    url_name="priority-scores", operation_id="get_nomination_scores",
    summary="Read a nomination's scores",
)
@api_gate(Permission.SEE_NOMINATION_SCORES, load=load_nomination, as_="nomination")
def scores_read(request: HttpRequest, network: Network, id: int,
                nomination: Nomination) -> NominationScoresOut:
    """403 until you have scored the nomination yourself, or screening closes."""
    return nomination_scores(nomination)


@router.post(
    "/networks/{slug}/priorities/nominations/{id}/scores",
    response={200: NominationScoresOut, **errors(401, 403, 404, 409, 422)},
    url_name="priority-scores-submit", operation_id="submit_nomination_scores",
    summary="Score a nomination",
)
@api_gate(Permission.SCORE_NOMINATIONS, load=load_nomination, as_="nomination")
def scores_submit(request: HttpRequest, network: Network, id: int,
                  payload: ScoresIn, nomination: Nomination) -> NominationScoresOut:
    """Your score on every criterion of the round, on its scale; sending again
    replaces your scores. Returns everyone's scores, now yours are in. 409
    unless the round is in screening."""
    round = nomination.round
    criteria = set(round.criteria.values_list("pk", flat=True))
    problems = {}
    for i, item in enumerate(payload.scores):
        if item.criterion_id not in criteria:
            problems[f"scores.{i}.criterion_id"] = (
                f"The round has no criterion {item.criterion_id}")
        elif not round.score_min <= item.value <= round.score_max:
            problems[f"scores.{i}.value"] = (
                f"Choose a score from {round.score_min} to {round.score_max}")
    missing = criteria - {item.criterion_id for item in payload.scores}
    if missing:
        problems["scores"] = ("Score every criterion: missing criterion "
                              f"{', '.join(map(str, sorted(missing)))}")
    if problems:
        raise FieldErrors(problems)
    try:
        actions.submit_scores(
            nomination=nomination, by=api_user(request),
            scores={s.criterion_id: (s.value, s.comment) for s in payload.scores},
        )
    except actions.Refused as error:
        raise refused(error) from None
    return nomination_scores(nomination)


@router.get(
    "/networks/{slug}/priorities/rounds/{round_id}/decisions",
    response={200: list[NominationDecisionOut], **errors(401, 403, 404, 422)},
    url_name="priority-decision-list", operation_id="list_nomination_decisions",
    summary="List a round's decisions",
)
@api_gate(Permission.VIEW_PRIORITIES, load=load_round, as_="round")
@paginate(Pagination)
def decision_list(request: HttpRequest, network: Network, round_id: int,
                  round: Round) -> QuerySet[Nomination]:
    """Decided nominations, by title; `decision=selected` for the projects."""
    return round.nominations.exclude(decision="").order_by("title")


@router.post(
    "/networks/{slug}/priorities/nominations/{id}/decision",
    response={200: NominationDecisionOut, **errors(401, 403, 404, 409, 422)},
    url_name="priority-decision-record", operation_id="record_nomination_decision",
    summary="Record the decision on a nomination",
)
@api_gate(Permission.DECIDE_NOMINATIONS, load=load_nomination, as_="nomination")
def decision_record(request: HttpRequest, network: Network, id: int,
                    payload: DecisionIn, nomination: Nomination) -> Nomination:
    """A declined nomination needs a reason (422). 409 while the round is open."""
    if payload.decision == Decision.DECLINED and not payload.reason:
        raise FieldErrors({"reason": "Give the reason the nomination is declined"})
    try:
        return actions.record_decision(
            nomination=nomination, by=api_user(request), decision=payload.decision,
            reason=payload.reason, meeting_on=payload.meeting_on,
            minute_reference=payload.minute_reference,
        )
    except actions.Refused as error:
        raise refused(error) from None

