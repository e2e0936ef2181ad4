"""Imports run on the task worker; one whose worker died is marked failed."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from msknet.core.tasks import on_worker_start
from msknet.insights import actions, tasks
from msknet.insights.actions import new_run
from msknet.insights.models import ImportRun, ImportStatus, IndicatorValue
from tests.tasks import run_queued_tasks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips"


@pytest.fixture
def queued_run(network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = (FIXTURES / "msk_icbs.csv").read_bytes()
    run = new_run(content=content, file_name="msk_icbs.csv", kind="fingertips",
                  by=None, network=network, status=ImportStatus.QUEUED)
    run.file.save("msk_icbs.csv", ContentFile(content))
    return run


def silent_run(network, status, *, minutes):
    run = ImportRun.objects.create(file_name="big.csv", sha256="0" * 64,
                                   network=network, source_kind="fingertips",
                                   status=status)
    ImportRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - timezone.timedelta(minutes=minutes))
    return run


@pytest.mark.slow
def test_a_queued_import_is_run_by_the_task_worker(queued_run):
    tasks.queue(queued_run, sync=False)
    assert ImportRun.objects.get().status == ImportStatus.QUEUED

    run_queued_tasks()

    queued_run.refresh_from_db()
    assert queued_run.status == ImportStatus.SUCCEEDED
    assert IndicatorValue.objects.count() == 21


@pytest.mark.slow
def test_an_import_task_that_breaks_fails_the_run_and_shows_leads_the_error(
    client, lead, network, queued_run, monkeypatch
):
    def broken(run, content):
        run.status = ImportStatus.SAVING
        run.save()
        raise OSError("No space left on device")

    monkeypatch.setattr(actions, "process_import", broken)
    tasks.queue(queued_run, sync=False)

    run_queued_tasks()
    client.force_login(lead)
    status_page = client.get(queued_run.get_absolute_url()).content.decode()
    failures = client.get(reverse("failed-tasks", args=[network.slug])).content.decode()

    queued_run.refresh_from_db()
    assert queued_run.status == ImportStatus.FAILED
    assert "stopped before it finished" in status_page
    assert "Import: msk_icbs.csv" in failures
    assert "No space left on device" in failures


def test_an_import_whose_worker_died_is_marked_failed_not_left_saving(
    client, lead, network
):
    stalled = silent_run(network, ImportStatus.SAVING, minutes=60)
    running = silent_run(network, ImportStatus.CHECKING, minutes=1)

    tasks.fail_stalled_imports()
    client.force_login(lead)
    page = client.get(stalled.get_absolute_url())

    stalled.refresh_from_db()
    running.refresh_from_db()
    assert stalled.status == ImportStatus.FAILED
    assert running.status == ImportStatus.CHECKING
    assert b"Not imported" in page.content
    assert b"the server running it stopped" in page.content


def test_a_starting_worker_marks_its_predecessors_stalled_imports_failed(network):
    stalled = silent_run(network, ImportStatus.CHECKING, minutes=60)

    on_worker_start()

    stalled.refresh_from_db()
    assert stalled.status == ImportStatus.FAILED


def test_stalled_imports_are_looked_for_every_five_minutes(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="msknet: fail stalled imports")

    assert schedule.func == "msknet.insights.tasks.fail_stalled_imports"
    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 5)
