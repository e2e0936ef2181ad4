"""`msknet worker` as a real process against the database: it sends what is
queued, and two workers on PostgreSQL run each task once."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.models import OrmQ

from msknet.core.tasks import enqueue

ROOT = Path(__file__).resolve().parents[2]


def database_url(tmp_path: Path) -> str:
    """The test database, as a URL another process can open.

    SQLite's test database lives in this process's memory, so it is copied to
    a file first (what has been queued included).
    """
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_worker(url: str, log: Path, processes: int = 1) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL"}
    }
    env.update(
        DATABASE_URL=url,
        # Tasks are signed: the worker must hold the key that queued them.
        SECRET_KEY=settings.SECRET_KEY,
        EMAIL_URL="console:",
        WORKER_POLL_SECONDS="0.2",
    )
    with log.open("w") as output:  # the worker holds its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "msknet.cli", "worker", "--processes",
             str(processes)],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(done, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.2)


def queue_email(subject: str) -> None:
    enqueue(
        "msknet.core.emails.deliver",
        sync=False,  # for a worker, not at once as elsewhere in the tests
        subject=subject,
        body="Papers for Thursday's meeting are online.",
        to="member@example.org",
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_sends_a_queued_email(tmp_path):
    queue_email("Steering group papers")
    url = database_url(tmp_path)
    log = tmp_path / "worker.log"

    worker = start_worker(url, log)
    try:
        wait_for(lambda: "Subject: Steering group papers" in log.read_text())
    finally:
        stop(worker)

    output = log.read_text()
    assert "To: member@example.org" in output
    assert "Papers for Thursday's meeting are online." in output
    assert worker.returncode == 0, output


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="two workers sharing one queue need a database server (PostgreSQL)",
)
def test_two_workers_on_postgresql_run_each_task_once(tmp_path):
    subjects = [f"Task {n}" for n in range(40)]
    url = database_url(tmp_path)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]

    workers = [start_worker(url, log, processes=2) for log in logs]
    try:
        # Both are taking tasks before any is queued, so both compete for them.
        wait_for(lambda: all("[msknet] running" in log.read_text() for log in logs))
        for subject in subjects:
            queue_email(subject)
        wait_for(lambda: not OrmQ.objects.exists(), seconds=120)
    finally:
        for worker in workers:
            stop(worker)

    outputs = [log.read_text() for log in logs]
    sent = [
        line.removeprefix("Subject: ")
        for output in outputs
        for line in output.splitlines()
        if line.startswith("Subject: ")
    ]
    # Both were taking tasks from the one queue throughout; which of them
    # wins each task is up to the machine's load, but none is sent twice.
    assert sorted(sent) == sorted(subjects)
