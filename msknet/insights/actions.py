"""Importing indicator files: every way in (command line, upload page, background
task) goes through `process_import`, which checks the whole file first and
writes nothing unless every row is good.
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from .importers import read_fingertips, read_local
from .importers.csvfile import NotText, count_data_rows, decode
from .importers.loading import apply, resolve
from .importers.rows import Problem
from .models import ImportRun, ImportStatus, SourceKind

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
    """Keep the file under MEDIA_ROOT/imports/ and import it in the background
    once the current transaction commits."""
    from .tasks import start_in_background

    run = new_run(content=content, file_name=file_name, kind=kind, by=by,
                  network=network, status=ImportStatus.QUEUED)
    run.file.save(file_name, ContentFile(content), save=True)
    transaction.on_commit(partial(start_in_background, run.pk))
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
    plan = resolve(parsed, run.source_kind)
    if plan is None:
        return fail(run, parsed.problems)
    run.status = ImportStatus.SAVING
    run.save()
    try:
        with transaction.atomic():
            apply(plan, run)
            run.status = ImportStatus.SUCCEEDED
            run.finished_at = timezone.now()
            run.save()
    except DatabaseError:
        logger.exception("Import run %s could not be saved", run.pk)
        run.rows_created = run.rows_updated = run.rows_unchanged = run.rows_removed = 0
        run.changes = []
        return fail(run, [Problem(None, "", SAVE_FAILED)])
    return run
