"""Writes for population-health indicators.

Importing files: every way in (command line, upload page, background task)
goes through `process_import`, which checks the whole file first and writes
nothing unless every row is good. Changing an indicator's details (the edit
page, `msknet insights set-indicator`) goes through `update_indicator`.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from msknet.core import audit

from .importers import read_fingertips, read_local
from .importers.csvfile import NotText, count_data_rows, decode
from .importers.loading import (
    fill_saved_limits,
    prepare,
    resolve,
    unchanged_since,
    write,
)
from .importers.rows import Problem
from .models import (
    DataSteward,
    ImportRun,
    ImportStatus,
    Indicator,
    InsightsAudit,
    SourceKind,
    ValueType,
)

logger = logging.getLogger(__name__)

#: Problems kept on a failed run; the rest are counted in a last line.
MAX_PROBLEMS = 5000
READERS = {SourceKind.FINGERTIPS: read_fingertips, SourceKind.LOCAL: read_local}
SAVE_FAILED = (
    "The values could not be saved, so nothing was imported. Try again; if it "
    "happens again, tell the site's administrators"
)


def new_run(
    *, content: bytes, file_name: str, kind: str, by: Any, network: Any = None,
    status: str = ImportStatus.CHECKING,
) -> ImportRun:
    return ImportRun.objects.create(
        created_by=by if getattr(by, "is_authenticated", False) else None,
        network=network,
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        source_kind=kind,
        status=status,
        rows_total=count_data_rows(content),
    )


def import_file(
    *, content: bytes, file_name: str, kind: str, by: Any = None, network: Any = None
) -> ImportRun:
    """Check and import one file now; the returned run says what happened."""
    run = new_run(content=content, file_name=file_name, kind=kind, by=by,
                  network=network)
    return process_import(run, content)


def queue_import(
    *, content: bytes, file_name: str, kind: str, by: Any, network: Any = None
) -> ImportRun:
    """Keep the file under MEDIA_ROOT/imports/ and queue its import for the
    task worker once the current transaction commits."""
    from . import tasks

    run = new_run(content=content, file_name=file_name, kind=kind, by=by,
                  network=network, status=ImportStatus.QUEUED)
    run.file.save(file_name, ContentFile(content), save=True)
    transaction.on_commit(partial(tasks.queue, run))
    return run


def fail(run: ImportRun, problems: list[Problem]) -> ImportRun:
    kept = [p.as_dict() for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        kept.append({"row": None, "field": "", "message":
                     f"… and {len(problems) - MAX_PROBLEMS} more problems"})
    run.status = ImportStatus.FAILED
    run.errors = kept
    run.finished_at = timezone.now()
    run.save()
    return run


def process_import(run: ImportRun, content: bytes) -> ImportRun:
    """Check every row, then write them all in one transaction, or nothing."""
    run.status = ImportStatus.CHECKING
    run.started_at = timezone.now()
    run.save()
    try:
        text = decode(content)
    except NotText as error:
        return fail(run, [Problem(None, "", str(error))])

    def progress(rows: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress=rows, updated_at=timezone.now())

    parsed = READERS[SourceKind(run.source_kind)](text, progress=progress)
    run.rows_read = run.progress = parsed.rows_read
    plan = resolve(parsed, run.source_kind, run.network)
    if plan is None:
        return fail(run, parsed.problems)
    run.status = ImportStatus.SAVING
    run.save()
    # All or nothing, with the write lock held briefly: SQLite lets one
    # connection write at a time, and other writers wait only so long
    # (settings: a busy timeout, WAL so readers never block). So the file is
    # compared with the saved values first, outside the transaction (reads
    # only), and the transaction then only writes, in batched statements.
    # If another import changed those values in between, the comparison is
    # made again inside the transaction, so it is never written stale.
    try:
        writes = prepare(plan, run)
        with transaction.atomic():
            if not unchanged_since(plan, writes):
                writes = prepare(plan, run)
            write(plan, writes, run)
            run.status = ImportStatus.SUCCEEDED
            run.finished_at = timezone.now()
            run.save()
    except DatabaseError:
        logger.exception("Import run %s could not be saved", run.pk)
        run.rows_created = run.rows_updated = run.rows_unchanged = run.rows_removed = 0
        run.changes = []
        return fail(run, [Problem(None, "", SAVE_FAILED)])
    return run


# -- indicator details ------------------------------------------------------

#: What a person may change about an indicator (not its slug or Fingertips ID).
EDITABLE = ("name", "definition", "unit", "value_type", "multiplier", "polarity",
            "source", "method", "period_type")
UNKNOWN_CHOSEN = ("Select what kind of measure it is: only an import can mark it "
                  "as not known")
MULTIPLIER_NOT_POSITIVE = "The multiplier must be more than 0"
PROPORTION_MULTIPLIER = ("A proportion's multiplier must be 1 (a fraction) or 100 "
                         "(a percentage)")


def indicator_problems(*, value_type: str, multiplier: float) -> dict[str, str]:
    """What is wrong with an indicator's value type and multiplier, by field."""
    problems: dict[str, str] = {}
    if value_type == ValueType.UNKNOWN:
        problems["value_type"] = UNKNOWN_CHOSEN
    if multiplier <= 0:
        problems["multiplier"] = MULTIPLIER_NOT_POSITIVE
    elif value_type == ValueType.PROPORTION and multiplier not in (1, 100):
        problems["multiplier"] = PROPORTION_MULTIPLIER
    return problems


@dataclass(frozen=True)
class IndicatorUpdate:
    """What `update_indicator` did."""

    indicator: Indicator
    changed: list[str]
    limits_filled: int = 0
    limits_left: int = 0

    def summary(self) -> str:
        """One paragraph for a success banner or the command line."""
        if not self.changed:
            return f"Nothing changed: {self.indicator.name} already had these details"
        fields = ", ".join(
            str(Indicator._meta.get_field(name).verbose_name) for name in self.changed
        )
        text = f"{self.indicator.name} is saved ({fields} changed)."
        if self.limits_filled:
            values = "value" if self.limits_filled == 1 else "values"
            text += (f" Confidence limits were computed for {self.limits_filled} "
                     f"{values} from their counts and denominators.")
        if self.limits_left:
            values = "value has" if self.limits_left == 1 else "values have"
            text += (f" {self.limits_left} {values} counts that cannot give limits "
                     "(a denominator of 0, or a count above its denominator).")
        return text


@transaction.atomic
def update_indicator(*, indicator: Indicator, by: Any, **details: Any) -> IndicatorUpdate:
    """Change an indicator's details (only those given); record who did it.

    A person cannot set the value type to "unknown" (only imports do), and
    the multiplier must be positive: 1 or 100 for a proportion. When the value
    type changes from unknown to a proportion or a rate, the saved values'
    missing limits are computed from their counts and denominators, as an
    import would have done.
    """
    not_editable = sorted(set(details) - set(EDITABLE))
    if not_editable:
        raise TypeError(f"update_indicator cannot change {', '.join(not_editable)}")
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    was = current.value_type
    problems = indicator_problems(
        value_type=details.get("value_type", current.value_type),
        multiplier=details.get("multiplier", current.multiplier),
    )
    if "value_type" not in details and was == ValueType.UNKNOWN:
        problems.pop("value_type", None)  # left as an import set it
    if problems:
        raise ValidationError(problems)
    changed = [name for name in EDITABLE
               if name in details and details[name] != getattr(current, name)]
    if not changed:
        return IndicatorUpdate(indicator=current, changed=[])
    for name in changed:
        setattr(current, name, details[name])
    current.updated_by = by if getattr(by, "is_authenticated", False) else None
    current.save()
    logger.info("Indicator %s: %s changed by user %s", current.slug,
                ", ".join(changed), getattr(current.updated_by, "pk", None))
    filled = left = 0
    if was == ValueType.UNKNOWN and current.value_type in (ValueType.PROPORTION,
                                                           ValueType.RATE):
        filled, left = fill_saved_limits(current)
    return IndicatorUpdate(indicator=current, changed=changed, limits_filled=filled,
                           limits_left=left)


# -- data stewards ------------------------------------------------------------


@transaction.atomic
def add_data_steward(*, user: Any, by: Any = None) -> bool:
    """Make `user` a data steward; False, changing nothing, if they are one."""
    steward, created = DataSteward.objects.get_or_create(
        user=user,
        defaults={"created_by": by if getattr(by, "is_authenticated", False) else None},
    )
    if created:
        audit.record(InsightsAudit.STEWARD_ADDED, target=steward.user, by=by)
    return created


@transaction.atomic
def remove_data_steward(*, user: Any, by: Any = None) -> bool:
    """Take away `user`'s data steward role; False if they did not have it."""
    removed, _ = DataSteward.objects.filter(user=user).delete()
    if removed:
        audit.record(InsightsAudit.STEWARD_REMOVED, target=user, by=by)
    return bool(removed)
