"""Moving an innovation through triage, and telling those who follow it."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from msknet.communications.models import Kind
from msknet.communications.notify import notify
from msknet.members.models import User

from ..models import DECISION_STAGES, Innovation, InnovationsEvent, Stage, StageChange
from .common import Refused, record

#: Where each stage may go next. A decision may be revisited (an innovation
#: on hold comes back to screening when new evidence arrives).
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.PROPOSED: (Stage.SCREENING, Stage.ON_HOLD, Stage.NOT_TAKEN_FORWARD),
    Stage.SCREENING: (Stage.RECOMMENDED, Stage.ON_HOLD, Stage.NOT_TAKEN_FORWARD),
    Stage.RECOMMENDED: (Stage.ON_HOLD, Stage.NOT_TAKEN_FORWARD, Stage.SCREENING),
    Stage.ON_HOLD: (Stage.SCREENING, Stage.NOT_TAKEN_FORWARD),
    Stage.NOT_TAKEN_FORWARD: (Stage.SCREENING,),
}


def followers(innovation: Innovation) -> QuerySet[User]:
    """Who hears when it moves: its followers, its proposer and the contacts of
    every site adopting it, each once. Whether each is still a member of the
    network is left to `notify`, which checks."""
    return User.objects.filter(
        Q(innovation_follows__innovation=innovation)
        | Q(innovations_proposed=innovation)
        | Q(adoption_contacts__innovation=innovation)
    ).distinct().order_by("full_name", "pk")


def _tell_followers(innovation_pk: int, change_pk: int) -> None:
    innovation = Innovation.objects.select_related("network").get(pk=innovation_pk)
    change = StageChange.objects.get(pk=change_pk)
    body = change.reason
    notify(
        kind=Kind.INNOVATION_STAGE,
        recipients=[u for u in followers(innovation) if u.pk != change.by_id],
        network=innovation.network,
        key=f"innovation-stage-{change.pk}",
        title=f"{innovation.name}: {change.get_stage_to_display().lower()}",
        url=innovation.get_absolute_url(),
        body=body,
    )


@transaction.atomic
def move_to_stage(*, innovation: Innovation, by: Any, stage: str, reason: str = "",
                  meeting: Any = None) -> StageChange:
    """Move the innovation to `stage`, recording who, when and why.

    A move to "not taken forward" needs a reason; a decision (recommended, on
    hold, not taken forward) out of screening may name the governance meeting
    that made it, which must be one of this network's.
    """
    stage = Stage(stage)
    reason = reason.strip()
    if innovation.awaiting_review:
        raise Refused("Review this proposal from the public form before triage")
    if stage not in NEXT_STAGES[innovation.stage]:
        raise Refused(
            f"An innovation that is {innovation.get_stage_display().lower()} "
            f"cannot move to {stage.label.lower()}",
            field="stage",
        )
    if stage == Stage.NOT_TAKEN_FORWARD and not reason:
        raise Refused("Say why it is not taken forward", field="reason")
    if meeting is not None and meeting.group.network_id != innovation.network_id:
        raise Refused("Choose one of this network's meetings", field="meeting")
    change = StageChange.objects.create(
        innovation=innovation, stage_from=innovation.stage, stage_to=stage,
        reason=reason, meeting=meeting, by=by if getattr(by, "pk", None) else None,
    )
    innovation.stage = stage
    innovation.stage_reason = reason
    if stage in DECISION_STAGES:
        innovation.decided_at = timezone.now()
        innovation.decided_by = change.by
        innovation.decision_meeting = meeting
    innovation.updated_by = change.by
    innovation.save()
    record(InnovationsEvent.STAGE_CHANGED, target=innovation, by=by,
           network=innovation.network, stage_from=change.stage_from,
           stage_to=stage.value, meeting=meeting.pk if meeting else None)
    transaction.on_commit(partial(_tell_followers, innovation.pk, change.pk))
    return change
