"""Innovation screening: the ranking, each innovation's scores, and the decision.

Scores follow the pages' rule (`see_innovation_scores` in the permission
gate): nobody reads an innovation's scores before scoring it themselves, or
before the lead has decided; in the ranking such innovations come after the
ranked ones, unranked, with null scores.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from msknet.governance.models import Meeting
from msknet.innovations import screening_queries as queries
from msknet.innovations.actions import screening as actions
from msknet.innovations.actions.common import Refused
from msknet.innovations.models import Innovation
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .errors import FieldErrors
from .gate import api_gate, api_user, refuse
from .pagination import Pagination
from .responses import errors
from .schemas import LongText

router = Router(tags=["Innovation screening"])


def load_innovation(*, network: Network, kwargs: dict[str, Any]) -> Innovation:
    return get_object_or_404(
        Innovation.objects.select_related("network", "proposed_by"),
        network=network, pk=kwargs["id"],
    )


class ScreeningRowOut(Schema):
    innovation_id: int
    name: str
    rank: int | None = Field(description="Null for those you may not see yet, "
                             "and those nobody has scored")
    score: float | None = Field(description="Mean of panellists' weighted scores")
    low: float | None
    high: float | None
    sd: float | None = Field(description="Sample standard deviation of panellists' "
                             "weighted scores, with two or more")
    panellists: int | None = Field(description="Null until you may see the scores")
    scored: int = Field(description="How many panellists have scored it")
    scored_by_you: bool
    visible: bool = Field(description="Whether you may see its scores yet")


class ScreeningScoreOut(Schema):
    criterion_id: int
    criterion: str
    weight: float
    value: int
    comment: str


class ScreeningScorecardOut(Schema):
    panellist: str
    weighted_score: float
    scores: list[ScreeningScoreOut]


class ScreeningScoresOut(Schema):
    innovation_id: int
    stage: str
    score: float | None = Field(description="Mean of panellists' weighted scores")
    low: float | None
    high: float | None
    sd: float | None
    panellists: int
    scorecards: list[ScreeningScorecardOut]


class ScreeningScoreIn(Schema):
    criterion_id: int
    value: int
    comment: LongText = ""


class ScreeningScoresIn(Schema):
    scores: list[ScreeningScoreIn] = Field(max_length=50)


class ScreeningDecisionIn(Schema):
    stage: Literal["recommended", "on_hold", "not_taken_forward"]
    reason: LongText = Field("", description="Needed when not taken forward")
    meeting_id: int | None = Field(None, description="One of this network's meetings")


class ScreeningDecisionOut(Schema):
    innovation_id: int = Field(alias="id")
    stage: str
    reason: str = Field(alias="stage_reason")
    meeting_id: int | None = Field(alias="decision_meeting_id")
    decided_at: datetime | None


@router.get(
    "/networks/{slug}/innovations/screening",
    response={200: list[ScreeningRowOut], **errors(401, 403, 404, 422)},
    url_name="innovation-screening-ranking",
    operation_id="get_innovation_screening_ranking",
    summary="The ranking of innovations in screening",
)
@api_gate(Permission.VIEW_INNOVATIONS)
@paginate(Pagination)
def ranking(request: HttpRequest, network: Network) -> list[ScreeningRowOut]:
    """For the panel, the steering group and leads (403 for other members).
    Ranked by weighted score; those whose scores you may not see yet follow,
    unranked, with null scores."""
    user = api_user(request)
    if not (has_permission(user, Permission.SCORE_INNOVATIONS, network, network)
            or has_permission(user, Permission.VIEW_INNOVATION_RESULTS, network)):
        raise refuse(user)
    return [
        ScreeningRowOut(
            innovation_id=row.innovation.pk, name=row.innovation.name,
            rank=row.result.rank, score=row.result.score, low=row.result.low,
            high=row.result.high, sd=row.sd,
            panellists=row.result.panellists if row.visible else None,
            scored=row.scored, scored_by_you=row.scored_by_me, visible=row.visible,
        )
        for row in queries.ranking(network, user)
    ]


def scores_of(innovation: Innovation) -> ScreeningScoresOut:
    found = queries.scorecards(innovation)
    return ScreeningScoresOut(
        innovation_id=innovation.pk, stage=innovation.stage,
        score=found.summary.score, low=found.summary.low, high=found.summary.high,
        sd=found.sd, panellists=found.summary.panellists,
        scorecards=[
            ScreeningScorecardOut(
                panellist=card.panellist.display_name, weighted_score=card.weighted,
                scores=[ScreeningScoreOut(
                    criterion_id=s.criterion_id, criterion=s.criterion.name,
                    weight=float(s.criterion.weight), value=s.value,
                    comment=s.comment) for s in card.scores],
            )
            for card in found.cards
        ],
    )


@router.get(
    "/networks/{slug}/innovations/{id}/scores",
    response={200: ScreeningScoresOut, **errors(401, 403, 404)},
    url_name="innovation-scores", operation_id="get_innovation_scores",
    summary="Read an innovation's scores",
)
@api_gate(Permission.SEE_INNOVATION_SCORES, load=load_innovation, as_="innovation")
def scores_read(request: HttpRequest, network: Network, id: int,
                innovation: Innovation) -> ScreeningScoresOut:
    """403 until you have scored the innovation yourself, or it is decided."""
    return scores_of(innovation)


@router.put(
    "/networks/{slug}/innovations/{id}/scores",
    response={200: ScreeningScoresOut, **errors(401, 403, 404, 409, 422)},
    url_name="innovation-scores-submit", operation_id="submit_innovation_scores",
    summary="Score an innovation",
)
@api_gate(Permission.SCORE_INNOVATIONS, load=load_innovation, as_="innovation")
def scores_submit(request: HttpRequest, network: Network, id: int,
                  payload: ScreeningScoresIn,
                  innovation: Innovation) -> ScreeningScoresOut:
    """Your score on every one of the network's criteria, on its scale; sending
    again replaces your scores. Returns everyone's scores, now yours are in.
    422 naming the criterion for a score off the scale or missing."""
    panel = queries.panel_of(network)
    criteria = {c.pk: c for c in queries.criteria(network)}
    problems = {}
    for i, item in enumerate(payload.scores):
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            problems[f"scores.{i}.criterion_id"] = (
                f"The network has no criterion {item.criterion_id}")
        elif not panel.score_min <= item.value <= panel.score_max:
            problems[f"scores.{i}.value"] = (
                f"{criterion.name}: choose a score from {panel.score_min} to "
                f"{panel.score_max}")
    sent = {item.criterion_id for item in payload.scores}
    missing = [c.name for pk, c in criteria.items() if pk not in sent]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        problems["scores"] = f"Score every criterion: no score for {names}"
    if problems:
        raise FieldErrors(problems)
    try:
        actions.submit_scores(
            innovation=innovation, by=api_user(request),
            scores={s.criterion_id: (s.value, s.comment) for s in payload.scores},
        )
    except Refused as error:
        raise HttpError(409, str(error)) from None
    return scores_of(innovation)


@router.post(
    "/networks/{slug}/innovations/{id}/decision",
    response={200: ScreeningDecisionOut, **errors(401, 403, 404, 409, 422)},
    url_name="innovation-decision", operation_id="record_innovation_decision",
    summary="Record the decision on an innovation in screening",
)
@api_gate(Permission.DECIDE_INNOVATIONS, load=load_innovation, as_="innovation")
def decision_record(request: HttpRequest, network: Network, id: int,
                    payload: ScreeningDecisionIn,
                    innovation: Innovation) -> Innovation:
    """Recommended for spread, on hold, or not taken forward (a reason is
    needed, 422), at one of this network's meetings (422 for another's).
    Followers are told. 409 unless the innovation is in screening."""
    if payload.stage == "not_taken_forward" and not payload.reason:
        raise FieldErrors({"reason": "Say why it is not taken forward"})
    meeting = None
    if payload.meeting_id is not None:
        meeting = (Meeting.objects.select_related("group")
                   .filter(pk=payload.meeting_id, group__network=network).first())
        if meeting is None:
            raise FieldErrors({"meeting_id": "Choose one of this network's meetings"})
    try:
        actions.decide(innovation=innovation, by=api_user(request),
                       stage=payload.stage, reason=payload.reason, meeting=meeting)
    except Refused as error:
        if error.field in ("reason", "meeting"):
            field = "reason" if error.field == "reason" else "meeting_id"
            raise FieldErrors({field: str(error)}) from None
        raise HttpError(409, str(error)) from None
    return innovation
