"""Saving an import: all or nothing, and, on SQLite, without locking others out."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection

from msknet.insights.actions import SAVE_FAILED, import_file
from msknet.insights.importers import loading
from msknet.insights.models import (
    Area,
    ImportRun,
    ImportStatus,
    Indicator,
    IndicatorValue,
)

from .helpers import fixture_rows, to_csv

ROOT = Path(__file__).resolve().parents[3]


def fingertips_with_new_indicator_and_practices(practices: int) -> bytes:
    """The ICB fixture as a new indicator, plus GP practices (new areas)."""
    rows = fixture_rows()
    for row in rows[1:]:
        row[0], row[1] = "99999", "Waits for first MSK appointment"
    template = list(rows[6])
    for n in range(practices):
        practice = list(template)
        practice[2:7] = ["E54000050", "NENC", f"A8{n:04d}", f"Practice {n}", "GPs"]
        rows.append(practice)
    return to_csv(rows)


class FailOnNthValueInsert:
    """A database error on the nth INSERT into the values table."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.inserts = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "insights_indicatorvalue"'):
            self.inserts += 1
            if self.inserts == self.n:
                raise DatabaseError("disk I/O error")
        return execute(sql, params, many, context)


@pytest.mark.django_db
def test_import_failing_part_way_through_saving_writes_nothing(monkeypatch):
    monkeypatch.setattr(loading, "WRITE_BATCH", 5)  # several INSERTs of values
    content = fingertips_with_new_indicator_and_practices(practices=12)
    areas_before = Area.objects.count()
    failure = FailOnNthValueInsert(3)

    with connection.execute_wrapper(failure):
        run = import_file(content=content, file_name="waits.csv", kind="fingertips")

    assert failure.inserts == 3  # two batches of values went in before it failed
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.errors == [{"row": None, "field": "", "message": SAVE_FAILED}]
    assert run.rows_created == 0 and run.changes == []
    assert not Indicator.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert Area.objects.count() == areas_before  # no practice was kept


@pytest.mark.django_db
def test_import_of_the_same_file_after_a_failed_save_imports_it_all(monkeypatch):
    monkeypatch.setattr(loading, "WRITE_BATCH", 5)
    content = fingertips_with_new_indicator_and_practices(practices=12)
    with connection.execute_wrapper(FailOnNthValueInsert(3)):
        import_file(content=content, file_name="waits.csv", kind="fingertips")

    run = import_file(content=content, file_name="waits.csv", kind="fingertips")

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert IndicatorValue.objects.count() == run.rows_created == 21 + 12
    assert ImportRun.objects.filter(status=ImportStatus.FAILED).count() == 1


@pytest.mark.django_db
def test_import_compares_again_when_another_import_changed_its_values(monkeypatch):
    # Another import saves the same values while this one is comparing: this
    # one must not write what it compared against stale values.
    content = fingertips_with_new_indicator_and_practices(practices=0)
    import_file(content=content, file_name="first.csv", kind="fingertips")
    newer = content.replace(b",16.9967,", b",18.5,")
    prepare = loading.prepare
    calls = []

    def prepare_while_another_imports(plan, run):
        calls.append(run.file_name)
        writes = prepare(plan, run)
        if len(calls) == 1:
            import_file(content=newer, file_name="meanwhile.csv", kind="fingertips")
        return writes

    monkeypatch.setattr("msknet.insights.actions.prepare",
                        prepare_while_another_imports)

    run = import_file(content=content, file_name="again.csv", kind="fingertips")

    assert calls == ["again.csv", "meanwhile.csv", "again.csv"]  # compared again
    assert run.status == ImportStatus.SUCCEEDED
    assert run.rows_updated == 1  # the other import's change, put back
    value = IndicatorValue.objects.get(area__code="E92000001", period="2022")
    assert value.value == pytest.approx(16.9967)


# SQLite: another write while a long import saves -----------------------------

CONCURRENT_WRITE = r"""
import json, sys, threading, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

call_command("migrate", verbosity=0)
connections.settings["default"]["OPTIONS"]["timeout"] = 1  # seconds
journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
connections.close_all()

from msknet.insights.actions import import_file
from msknet.insights.importers import loading
from msknet.insights.models import ImportRun

comparing = threading.Event()
existing_values = loading.existing_values

def slow_existing_values(plan, scopes):
    # A long file: comparing it with the saved values takes a while.
    comparing.set()
    time.sleep(3)
    return existing_values(plan, scopes)

loading.existing_values = slow_existing_values
result = {"journal_mode": journal}

def long_import():
    try:
        run = import_file(content=open(sys.argv[1], "rb").read(),
                          file_name="long.csv", kind="fingertips")
        result["import"] = run.status
    except Exception as error:
        result["import"] = repr(error)
    finally:
        connections.close_all()

def other_write():
    comparing.wait(30)
    time.sleep(0.5)
    try:
        ImportRun.objects.create(file_name="other.csv", sha256="0" * 64,
                                 source_kind="local", status="failed",
                                 finished_at=timezone.now())
        result["other"] = "saved"
    except Exception as error:
        result["other"] = repr(error)
    finally:
        connections.close_all()

threads = [threading.Thread(target=long_import), threading.Thread(target=other_write)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(60)
print(json.dumps(result))
"""


@pytest.mark.slow
def test_sqlite_write_succeeds_while_a_long_import_is_saving(tmp_path):
    csv = tmp_path / "long.csv"
    csv.write_bytes(fingertips_with_new_indicator_and_practices(practices=200))
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="msknet.config.settings", DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'msknet.sqlite3'}",
        MSKNET_VAR_DIR=str(tmp_path), MSKNET_DATA_DIR=str(tmp_path / "data"),
    )

    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITE, str(csv)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"journal_mode": "wal", "import": "succeeded",
                       "other": "saved"}
