"""A small background-task runner for imports, with no services beyond the database.

The ImportRun row is the task: `queue_import` saves the file and the run
(`queued`), and on commit starts a thread in the same process that claims
the run and imports it, writing its progress to the row as it goes. The
status page reads the row. A run whose process died stops updating and is
shown as stalled (`ImportRun.stalled`).
"""

from __future__ import annotations

import logging
import threading

from django.db import connections

from .models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)


def start_in_background(run_pk: int) -> threading.Thread:
    thread = threading.Thread(
        target=run_in_thread, args=(run_pk,), name=f"insights-import-{run_pk}", daemon=True
    )
    thread.start()
    return thread


def run_in_thread(run_pk: int) -> None:
    try:
        run_queued_import(run_pk)
    except Exception:
        logger.exception("Import run %s failed", run_pk)
    finally:
        connections.close_all()  # this thread's own connections


def run_queued_import(run_pk: int) -> ImportRun | None:
    """Claim a queued run and import its file; None if another worker has it."""
    from .actions import process_import

    claimed = ImportRun.objects.filter(pk=run_pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING
    )
    if not claimed:
        return None
    run = ImportRun.objects.get(pk=run_pk)
    with run.file.open("rb") as f:
        content = f.read()
    return process_import(run, content)
