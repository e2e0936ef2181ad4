"""Writes to measures: definitions, data points (by hand or CSV) and rebases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from msknet.core import audit
from msknet.insights.importers.rows import Problem
from msknet.members.models import User

from .. import notifications
from ..csvdata import parse_points
from ..models import (
    DataPoint,
    Frequency,
    ImprovementEvent,
    Measure,
    QIProject,
    Rebase,
)
from .projects import _check_open

MEASURE_FIELDS = ("kind", "name", "definition", "unit", "improvement", "target",
                  "frequency", "owner")


class DuplicatePoint(Exception):
    """The measure already has a value for that period (and quintile)."""


class DataFileInvalid(Exception):
    """The uploaded file has problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int

    def summary(self) -> str:
        return (f"{self.added} data point{'s' if self.added != 1 else ''} added and "
                f"{self.updated} updated.")


@transaction.atomic
def add_measure(*, project: QIProject, by: User, kind: str, name: str,
                definition: str, improvement: str, unit: str = "",
                target: float | None = None, frequency: str = Frequency.MONTHLY,
                owner: User | None = None) -> Measure:
    _check_open(project)
    measure = project.measures.create(
        kind=kind, name=name.strip(), definition=definition.strip(), unit=unit.strip(),
        improvement=improvement, target=target, frequency=frequency, owner=owner,
    )
    audit.record(ImprovementEvent.MEASURE_ADDED, target=measure, by=by,
                 network=project.network, project=project.pk, name=measure.name)
    return measure


@transaction.atomic
def update_measure(*, measure: Measure, by: User, **fields: Any) -> list[str]:
    _check_open(measure.project)
    changed = [name for name in MEASURE_FIELDS
               if name in fields and getattr(measure, name) != fields[name]]
    for name in changed:
        setattr(measure, name, fields[name])
    if changed:
        measure.save()
        audit.record(ImprovementEvent.MEASURE_UPDATED, target=measure, by=by,
                     network=measure.project.network, fields=changed)
    return changed


def _same_point(measure: Measure, period: dt.date, quintile: int | None):
    return measure.points.filter(period=period, quintile=quintile)


@transaction.atomic
def add_data_point(*, measure: Measure, by: User, period: dt.date, value: float,
                   quintile: int | None = None, annotation: str = "") -> DataPoint:
    """One period's value, entered by hand; refuses a period already there."""
    _check_open(measure.project)
    if _same_point(measure, period, quintile).exists():
        raise DuplicatePoint(
            f"{measure.name} already has a value for {period:%B %Y}"
            + (f" in quintile {quintile}" if quintile else ""))
    before = notifications.read(measure)
    point = measure.points.create(period=period, value=value, quintile=quintile,
                                  annotation=annotation.strip(), created_by=by)
    audit.record(ImprovementEvent.DATA_ADDED, target=measure, by=by,
                 network=measure.project.network, period=period.isoformat(),
                 value=value, quintile=quintile)
    notifications.tell_new_signal(measure, before)
    return point


@transaction.atomic
def add_data_points(*, measure: Measure, by: User,
                    points: list[dict[str, Any]]) -> list[DataPoint]:
    """Several periods' values at once, all or nothing; refuses periods held."""
    _check_open(measure.project)
    for point in points:
        if _same_point(measure, point["period"], point.get("quintile")).exists():
            raise DuplicatePoint(
                f"{measure.name} already has a value for {point['period']:%B %Y}"
                + (f" in quintile {point['quintile']}" if point.get("quintile")
                   else ""))
    before = notifications.read(measure)
    created = [measure.points.create(
        period=p["period"], value=p["value"], quintile=p.get("quintile"),
        annotation=p.get("annotation", "").strip(), created_by=by) for p in points]
    audit.record(ImprovementEvent.DATA_ADDED, target=measure, by=by,
                 network=measure.project.network, points=len(created))
    notifications.tell_new_signal(measure, before)
    return created


@transaction.atomic
def remove_data_point(*, point: DataPoint, by: User) -> None:
    measure = point.measure
    _check_open(measure.project)
    details = {"period": point.period.isoformat(), "value": point.value,
               "quintile": point.quintile}
    point.delete()
    audit.record(ImprovementEvent.DATA_REMOVED, target=measure, by=by,
                 network=measure.project.network, **details)


def import_points(*, measure: Measure, by: User, content: bytes,
                  file_name: str = "") -> ImportResult:
    """Add or replace data points from CSV, all or nothing.

    Raises DataFileInvalid, saving nothing, if any row has a problem. A row
    for a period (and quintile) already held replaces that value.
    """
    _check_open(measure.project)
    parsed = parse_points(content)
    if not parsed.ok:
        raise DataFileInvalid(parsed.problems)
    added = updated = 0
    with transaction.atomic():
        before = notifications.read(measure)
        for row in parsed.rows:
            existing = _same_point(measure, row.period, row.quintile).first()
            if existing is None:
                measure.points.create(period=row.period, value=row.value,
                                      quintile=row.quintile,
                                      annotation=row.annotation, created_by=by)
                added += 1
            elif (existing.value, existing.annotation) != (row.value, row.annotation):
                existing.value, existing.annotation = row.value, row.annotation
                existing.save(update_fields=["value", "annotation"])
                updated += 1
        audit.record(ImprovementEvent.DATA_IMPORTED, target=measure, by=by,
                     network=measure.project.network, file_name=file_name[:200],
                     rows=len(parsed.rows), added=added, updated=updated)
        notifications.tell_new_signal(measure, before)
    return ImportResult(added, updated)


@transaction.atomic
def rebase_measure(*, measure: Measure, by: User, period: dt.date,
                   reason: str) -> Rebase:
    """Recalculate the process limits from `period`; a reason is required."""
    _check_open(measure.project)
    if not reason.strip():
        raise ValueError("Give the reason the limits are recalculated")
    if not measure.points.filter(period=period, quintile__isnull=True).exists():
        raise ValueError(f"{measure.name} has no value for {period:%B %Y}")
    if measure.rebases.filter(period=period).exists():
        raise ValueError(f"The limits already start again from {period:%B %Y}")
    rebase = measure.rebases.create(period=period, reason=reason.strip(), by=by)
    audit.record(ImprovementEvent.MEASURE_REBASED, target=measure, by=by,
                 network=measure.project.network, period=period.isoformat(),
                 reason=rebase.reason)
    return rebase
