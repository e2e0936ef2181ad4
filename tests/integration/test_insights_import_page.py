from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from msknet.insights import tasks, views
from msknet.insights.models import ImportRun, ImportStatus, IndicatorValue
from tests.factories.networks import NetworkFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips"


@pytest.fixture
def page(client, lead, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)
    return reverse("insights-import", args=[network.slug])


def upload(client, url, name="msk_icbs.csv", kind="fingertips", content=None):
    content = content if content is not None else (FIXTURES / name).read_bytes()
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_import_page_shows_form_and_recent_imports(client, page, network):
    ImportRun.objects.create(file_name="earlier.csv", sha256="0" * 64,
                             network=network, source_kind="local", status="failed",
                             finished_at=timezone.now())

    response = client.get(page)

    assert response.status_code == 200
    assert b"Import indicator data" in response.content
    assert b"earlier.csv" in response.content


def test_import_page_small_file_imports_at_once(client, page, lead):
    response = upload(client, page)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insights-import-status",
                                           args=["london", run.pk])
    assert run.status == ImportStatus.SUCCEEDED and run.created_by == lead
    status = client.get(response["Location"])
    assert b"21 new, 0 changed, 0 unchanged, 0 removed" in status.content
    assert b'http-equiv="refresh"' not in status.content


def test_import_page_bad_file_shows_each_problem(client, page):
    response = upload(client, page, "text_in_value.csv")

    status = client.get(response["Location"])

    assert b"There is a problem: nothing was imported" in status.content
    assert b"Row 4, Value: Enter a number or leave it blank, not &#x27;n/a&#x27;" in (
        status.content)
    assert status.content.count(b"<title>Error: ") == 1
    assert not IndicatorValue.objects.exists()


def finished_run(network, file_name):
    return ImportRun.objects.create(
        file_name=file_name, sha256="0" * 64, network=network, source_kind="local",
        status="succeeded", finished_at=timezone.now())


def test_import_page_lists_only_this_networks_imports(client, page, network):
    finished_run(network, "london-waits.csv")
    finished_run(NetworkFactory(slug="nenc"), "nenc-waits.csv")

    response = client.get(page)

    assert b"london-waits.csv" in response.content
    assert b"nenc-waits.csv" not in response.content


def test_import_status_of_another_networks_import_is_not_found(client, page):
    theirs = finished_run(NetworkFactory(slug="nenc"), "nenc-waits.csv")

    response = client.get(reverse("insights-import-status",
                                  args=["london", theirs.pk]))

    assert response.status_code == 404
    assert b"nenc-waits.csv" not in response.content


def test_import_status_of_own_import_shows_it(client, page, network):
    ours = finished_run(network, "london-waits.csv")

    response = client.get(reverse("insights-import-status", args=["london", ours.pk]))

    assert response.status_code == 200
    assert b"london-waits.csv" in response.content


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("data.xlsx", b"x", "fingertips", b"The selected file must be a CSV (.csv)"),
        ("empty.csv", b"", "fingertips", b"The selected file is empty"),
        ("data.csv", b"a\n", "", b"Select what kind of file it is"),
    ],
)
def test_import_page_refuses_bad_uploads(client, page, name, content, kind, message):
    response = upload(client, page, name=name, kind=kind, content=content)

    assert response.status_code == 200
    assert message in response.content
    assert b"<title>Error: Import indicator data" in response.content
    assert not ImportRun.objects.exists()


def test_import_page_refuses_files_over_the_size_limit(client, page, monkeypatch):
    monkeypatch.setattr("msknet.insights.forms.MAX_UPLOAD_BYTES", 10)

    response = upload(client, page)

    assert b"smaller than 25 MB" in response.content


def test_import_page_large_file_runs_in_background(client, page, monkeypatch,
                                                   django_capture_on_commit_callbacks):
    monkeypatch.setattr(views, "INLINE_ROWS", 5)

    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, page)
    run = ImportRun.objects.get()
    queued = client.get(response["Location"])

    assert run.status == ImportStatus.QUEUED and run.file.name.startswith("imports/")
    assert b'<meta http-equiv="refresh" content="2">' in queued.content
    assert b"0 of about 21 rows checked" in queued.content
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED and run.rows_created == 21
    done = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in done.content


def test_import_status_stalled_run_stops_refreshing(client, page, network):
    run = ImportRun.objects.create(file_name="big.csv", sha256="0" * 64,
                                   network=network, source_kind="fingertips",
                                   status="checking")
    ImportRun.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - timezone.timedelta(hours=1))

    response = client.get(reverse("insights-import-status", args=["london", run.pk]))

    assert b"stopped before it finished" in response.content
    assert b'http-equiv="refresh"' not in response.content


def test_run_queued_import_skips_a_run_already_claimed(db):
    run = ImportRun.objects.create(file_name="x.csv", sha256="0" * 64,
                                   source_kind="local", status="checking")

    assert tasks.run_queued_import(run.pk) is None
