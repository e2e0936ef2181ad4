"""Imports in the background, on the task worker (`msknet worker`).

`queue_import` saves the file and the run (`queued`) and, on commit, queues
`import_queued_run` for a worker, which claims the run and imports it,
writing its progress to the row as it goes; the status page reads the row.
A task handed out twice (its first worker died) finds the run claimed and
does nothing.

A run whose worker died stops updating: `fail_stalled_imports`, run when a
worker starts and every few minutes, marks it failed with a message saying
so, rather than leaving it "checking" or "saving" for ever.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from msknet.core.tasks import ScheduledJob

from .models import ImportRun, ImportStatus
from .models.imports import STALLED_AFTER

logger = logging.getLogger(__name__)

STOPPED = (
    "The import stopped before it finished (the server running it stopped), "
    "so nothing was imported. Upload the file again"
)

SCHEDULES = (
    ScheduledJob(
        name="msknet: fail stalled imports",
        func="msknet.insights.tasks.fail_stalled_imports",
        every="minutes",
        minutes=5,
    ),
)


def queue(run: ImportRun, *, sync: bool | None = None) -> None:
    """Queue a saved run for a worker (after the transaction commits)."""
    from msknet.core.tasks import enqueue

    enqueue(
        "msknet.insights.tasks.import_queued_run",
        run.pk,
        network_pk=run.network_id,
        name=f"Import: {run.file_name}"[:100],
        sync=sync,
    )


def import_queued_run(run_pk: int) -> str:
    """The task: import a queued run; if it fails unexpectedly, mark the run
    failed and fail the task, so the leads see the error."""
    try:
        run = run_queued_import(run_pk)
    except Exception:
        ImportRun.objects.filter(
            pk=run_pk, status__in=(ImportStatus.CHECKING, ImportStatus.SAVING)
        ).update(
            status=ImportStatus.FAILED,
            errors=[{"row": None, "field": "", "message": STOPPED}],
            finished_at=timezone.now(),
        )
        raise
    if run is None:
        return f"Import run {run_pk} was already taken."
    return f"Import run {run_pk}: {run.get_status_display()}."


def run_queued_import(run_pk: int) -> ImportRun | None:
    """Claim a queued run and import its file; None if another worker has it."""
    from .actions import process_import

    claimed = ImportRun.objects.filter(pk=run_pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING, updated_at=timezone.now()
    )
    if not claimed:
        return None
    run = ImportRun.objects.get(pk=run_pk)
    with run.file.open("rb") as f:
        content = f.read()
    return process_import(run, content)


def fail_stalled_imports() -> str:
    """Mark failed every import that has been silent past STALLED_AFTER while
    checking or saving: its worker died."""
    stalled = ImportRun.objects.filter(
        status__in=(ImportStatus.CHECKING, ImportStatus.SAVING),
        updated_at__lt=timezone.now() - STALLED_AFTER,
    )
    failed = stalled.update(
        status=ImportStatus.FAILED,
        errors=[{"row": None, "field": "", "message": STOPPED}],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if failed:
        logger.warning("Marked %s stalled import(s) failed", failed)
    return f"Marked {failed} stalled import{'' if failed == 1 else 's'} failed."
