"""Writes to PDSA cycles: planning one and recording do, study and act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from msknet.core import audit
from msknet.members.models import User

from ..models import Cycle, DriverNode, ImprovementEvent, Measure, NodeKind, QIProject
from .projects import _check_open

CYCLE_FIELDS = ("title", "plan_what", "plan_who", "plan_when", "prediction",
                "measure", "do_notes", "study_notes", "act", "act_notes")


def _check_links(project: QIProject, change_idea: DriverNode,
                 measure: Measure | None, previous: Cycle | None) -> None:
    if change_idea.project_id != project.pk or change_idea.kind != NodeKind.CHANGE_IDEA:
        raise ValueError("A cycle tests one of the project's change ideas")
    if measure is not None and measure.project_id != project.pk:
        raise ValueError("The measure is another project's")
    if previous is not None:
        if previous.project_id != project.pk:
            raise ValueError("The previous cycle is another project's")
        if Cycle.objects.filter(previous=previous).exists():
            raise ValueError(f"'{previous}' already has a cycle after it")


@transaction.atomic
def plan_cycle(*, project: QIProject, by: User, change_idea: DriverNode, title: str,
               plan_what: str, plan_who: str, plan_when: dt.date, prediction: str,
               measure: Measure | None = None,
               previous: Cycle | None = None) -> Cycle:
    _check_open(project)
    _check_links(project, change_idea, measure, previous)
    cycle = project.cycles.create(
        change_idea=change_idea, measure=measure, previous=previous,
        title=title.strip(), plan_what=plan_what.strip(), plan_who=plan_who.strip(),
        plan_when=plan_when, prediction=prediction.strip(), created_by=by,
        updated_by=by,
    )
    audit.record(ImprovementEvent.CYCLE_PLANNED, target=cycle, by=by,
                 network=project.network, project=project.pk, title=cycle.title,
                 previous=previous.pk if previous else None)
    return cycle


@transaction.atomic
def update_cycle(*, cycle: Cycle, by: User, **fields: Any) -> list[str]:
    """Change the plan or record what happened, the study and the decision."""
    _check_open(cycle.project)
    if fields.get("measure") is not None:
        _check_links(cycle.project, cycle.change_idea, fields["measure"], None)
    changed = [name for name in CYCLE_FIELDS
               if name in fields and getattr(cycle, name) != fields[name]]
    for name in changed:
        value = fields[name]
        setattr(cycle, name, value.strip() if isinstance(value, str) else value)
    if changed:
        cycle.updated_by = by
        cycle.save()
        audit.record(ImprovementEvent.CYCLE_UPDATED, target=cycle, by=by,
                     network=cycle.project.network, fields=changed, act=cycle.act)
    return changed
