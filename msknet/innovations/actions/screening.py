"""Screening innovations: the network's scale, criteria and panel; panellists'
scores; and the lead's decision at a meeting.

A network's screening is set up on first use with `DEFAULT_CRITERIA` and a
1 to 5 scale. Innovations arrive one at a time, so criteria stay open to
change (scores are weighted when read), but a criterion that anything has
been scored on cannot be removed, and the scale cannot change once anything
has been scored: scores on different scales would not compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.governance.models import Meeting
from msknet.members.models import Network, User

from ..models import (
    DECISION_STAGES,
    DEFAULT_CRITERIA,
    Criterion,
    Innovation,
    InnovationsEvent,
    Score,
    Scorecard,
    ScreeningPanel,
    Stage,
    StageChange,
)
from .common import Refused, record
from .stages import move_to_stage

SCALE_FIELDS = ("score_min", "score_max", "score_min_label", "score_max_label")


@transaction.atomic
def set_up(*, network: Network) -> ScreeningPanel:
    """The network's screening, created with the default criteria on first use."""
    panel, created = ScreeningPanel.objects.get_or_create(network=network)
    if created and not network.innovation_criteria.exists():
        Criterion.objects.bulk_create(
            Criterion(network=network, name=name, description=description,
                      position=position)
            for position, (name, description) in enumerate(DEFAULT_CRITERIA)
        )
    return panel


def scoring_started(network: Network) -> bool:
    """Whether any of the network's innovations has been scored."""
    return Score.objects.filter(criterion__network=network).exists()


@transaction.atomic
def update_scale(*, network: Network, by: Any, score_min: int, score_max: int,
                 score_min_label: str, score_max_label: str) -> ScreeningPanel:
    panel = set_up(network=network)
    new = {"score_min": score_min, "score_max": score_max,
           "score_min_label": score_min_label.strip(),
           "score_max_label": score_max_label.strip()}
    changed = [name for name in SCALE_FIELDS if getattr(panel, name) != new[name]]
    if not changed:
        return panel
    if scoring_started(network):
        raise Refused("Innovations have been scored, so the scale cannot change: "
                      "existing scores would no longer compare", field="score_min")
    if score_max <= score_min:
        raise Refused("The highest score must be above the lowest", field="score_max")
    for name in changed:
        setattr(panel, name, new[name])
    panel.updated_by = by
    panel.save()
    record(InnovationsEvent.CRITERIA_UPDATED, target=panel, by=by, network=network,
           scale=changed)
    return panel


def _name_taken(network: Network, name: str, *, but: Criterion | None = None) -> None:
    others = network.innovation_criteria.filter(name__iexact=name)
    if but is not None:
        others = others.exclude(pk=but.pk)
    if others.exists():
        raise Refused("There is already a criterion with that name", field="name")


@transaction.atomic
def add_criterion(*, network: Network, by: Any, name: str, description: str = "",
                  weight: Decimal = Decimal(1)) -> Criterion:
    set_up(network=network)
    name = name.strip()
    _name_taken(network, name)
    criterion = Criterion.objects.create(
        network=network, name=name, description=description.strip(), weight=weight,
        position=network.innovation_criteria.count(),
    )
    record(InnovationsEvent.CRITERIA_UPDATED, target=criterion, by=by,
           network=network, added=criterion.name, weight=str(weight))
    return criterion


@transaction.atomic
def update_criterion(*, criterion: Criterion, by: Any, name: str,
                     description: str = "", weight: Decimal,
                     position: int | None = None) -> Criterion:
    """Change a criterion; `position` (1 for first) moves it among the others."""
    network = criterion.network
    name = name.strip()
    _name_taken(network, name, but=criterion)
    criterion.name, criterion.description = name, description.strip()
    criterion.weight = weight
    criterion.save()
    if position is not None:
        order = [c for c in network.innovation_criteria.all() if c.pk != criterion.pk]
        index = min(max(position, 1), len(order) + 1) - 1
        order.insert(index, criterion)
        for place, item in enumerate(order):
            if item.position != place:
                item.position = place
                item.save(update_fields=["position"])
    record(InnovationsEvent.CRITERIA_UPDATED, target=criterion, by=by,
           network=network, changed=criterion.name, weight=str(weight),
           position=position)
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: Criterion, by: Any) -> None:
    network = criterion.network
    if criterion.scores.exists():
        raise Refused(f"Innovations have been scored on '{criterion.name}', so it "
                      "cannot be removed: their scores would be lost")
    if network.innovation_criteria.count() <= 1:
        raise Refused("Screening needs at least one criterion")
    name = criterion.name
    criterion.delete()
    record(InnovationsEvent.CRITERIA_UPDATED, target=network, by=by,
           network=network, removed=name)


def _tell_panel_named(network_pk: int, user_pks: list[int]) -> None:
    network = Network.objects.get(pk=network_pk)
    notify(
        kind=Kind.PANEL_NAMED,
        recipients=User.objects.filter(pk__in=user_pks).order_by("pk"),
        network=network,
        key=f"innovation-panel:{network.pk}",
        title=f"You are on the innovation screening panel: {network.short_name}",
        url=reverse("innovation-screening", args=[network.slug]),
        body="You score the innovations in screening against the network's "
        "criteria. You see the other panellists' scores for an innovation once "
        "you have scored it yourself.",
    )


@transaction.atomic
def set_panel(*, network: Network, by: Any, panellists: Iterable[User]
              ) -> ScreeningPanel:
    """Name who scores; nobody named means the steering group and leads do.
    Newly named panellists are told (not the lead naming themselves)."""
    panellists = list(panellists)
    members = set(network.memberships.active().values_list("user_id", flat=True))
    outsiders = [p.display_name for p in panellists if p.pk not in members]
    if outsiders:
        raise Refused(f"{', '.join(outsiders)} is not a member of the network",
                      field="panellists")
    panel = set_up(network=network)
    before = set(panel.panel.values_list("pk", flat=True))
    panel.panel.set(panellists)
    panel.updated_by = by
    panel.save()
    record(InnovationsEvent.PANEL_SET, target=panel, by=by, network=network,
           panellists=[p.pk for p in panellists])
    newcomers = [p.pk for p in panellists
                 if p.pk not in before and p.pk != getattr(by, "pk", None)]
    if newcomers:
        transaction.on_commit(partial(_tell_panel_named, network.pk, newcomers))
    return panel


@transaction.atomic
def submit_scores(*, innovation: Innovation, by: Any,
                  scores: Mapping[int, tuple[int, str]]) -> Scorecard:
    """A panellist's scores, `{criterion id: (value, comment)}`, on every one of
    the network's criteria; submitting again replaces their earlier scores."""
    if innovation.stage != Stage.SCREENING:
        raise Refused("Innovations are scored only while in screening")
    panel = set_up(network=innovation.network)
    criteria = {c.pk: c for c in innovation.network.innovation_criteria.all()}
    unknown = [pk for pk in scores if pk not in criteria]
    if unknown:
        raise Refused(f"The network has no criterion {unknown[0]}",
                      field=f"score_{unknown[0]}")
    for pk, criterion in criteria.items():
        if pk not in scores:
            raise Refused(f"Choose a score for '{criterion.name}'",
                          field=f"score_{pk}")
        value = scores[pk][0]
        if not panel.score_min <= value <= panel.score_max:
            raise Refused(f"{criterion.name}: choose a score from {panel.score_min} "
                          f"to {panel.score_max}", field=f"score_{pk}")
    scorecard, created = Scorecard.objects.get_or_create(
        innovation=innovation, panellist=by)
    if not created:
        scorecard.scores.all().delete()
        scorecard.save()  # updated_at
    Score.objects.bulk_create(
        Score(scorecard=scorecard, criterion=criteria[pk], value=value,
              comment=comment.strip())
        for pk, (value, comment) in scores.items()
    )
    record(InnovationsEvent.SCORES_SUBMITTED, target=innovation, by=by,
           network=innovation.network, replaced=not created)
    return scorecard


@transaction.atomic
def decide(*, innovation: Innovation, by: Any, stage: str, reason: str = "",
           meeting: Meeting | None = None) -> StageChange:
    """The lead's decision on an innovation in screening: recommended for
    spread, on hold, or not taken forward (with a reason), made at one of
    this network's meetings. Its followers are told (`move_to_stage`)."""
    if innovation.stage != Stage.SCREENING:
        raise Refused("A decision is recorded only for an innovation in screening",
                      field="stage")
    if stage not in DECISION_STAGES:
        raise Refused("Choose recommended for spread, on hold or not taken forward",
                      field="stage")
    change = move_to_stage(innovation=innovation, by=by, stage=stage, reason=reason,
                           meeting=meeting)
    record(InnovationsEvent.DECISION_RECORDED, target=innovation, by=by,
           network=innovation.network, stage=str(stage),
           meeting=meeting.pk if meeting else None,
           scorecards=innovation.scorecards.count())
    return change
