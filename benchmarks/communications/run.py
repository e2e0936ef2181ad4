"""Communications benchmark: notifications, newsletters and digests at network size.

For each database (a throwaway PostgreSQL database at 127.0.0.1:5432, user
postgres, trust auth; and a throwaway SQLite file) and each network size
(default 1,000 and 10,000 synthetic members, bulk inserted), measures:

1. `notify()` to every member (a round opening, emailed straight away), then
   the tasks it queued (the notification emails, via `emails.deliver`).
2. A newsletter to the whole network: `send_due_news()` (audience, recipient
   rows, one queued task per person; peak Python memory of the same step is
   measured on a second item under tracemalloc), then the queued
   `send_news_email` tasks.
3. A daily digest run (`send_digests(frequency=daily)`) when every member
   has 5 unread notifications, then the emails it queued.
4. A baseline: a bare `send_mail` to each member.

Tasks are queued as in production (django-q2's database queue, `sync` off)
and then run in this process by calling each queued task's function, as a
worker would, without django-q2's process plumbing or result saving.
Emails go to Django's locmem backend. Each database runs in a child process
of this script; the database and files are removed on the way out, error or
not.

    python benchmarks/communications/run.py [--sizes 1000,10000]
        [--databases postgres,sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Self

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PG = {"host": HOST, "port": 5432, "user": "postgres", "dbname": "postgres"}
DATABASES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}
UNREAD_PER_MEMBER = 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="network sizes, comma-separated"
    )
    parser.add_argument(
        "--databases", default="postgres,sqlite", help="postgres and/or sqlite"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # results file
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",") if size]
    args.databases = [name for name in args.databases.split(",") if name]
    unknown = set(args.databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    return args


# -- in the child: one database ------------------------------------------------


class Step:
    """Wall time and number of queries of a block of work.

    Queries are counted with an execute wrapper: CaptureQueriesContext keeps
    only the last 9,000, too few here."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def count(
        self, execute: Any, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> Self:
        from django.db import connection

        self.wrapper = connection.execute_wrapper(self.count)
        self.wrapper.__enter__()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        self.wrapper.__exit__(*exc)


def run_queued_tasks() -> int:
    """Run every queued task by calling its function, as a worker would, until
    none is left (a task may queue others, as a notification queues its email)."""
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    ran = 0
    while True:
        batch = list(OrmQ.objects.order_by("id")[:500])
        if not batch:
            return ran
        for row in batch:
            task = SignedPackage.loads(row.payload)
            func = task["func"]
            (import_string(func) if isinstance(func, str) else func)(
                *task["args"], **task["kwargs"]
            )
            ran += 1
        OrmQ.objects.filter(pk__in=[row.pk for row in batch]).delete()


def make_network(size: int, people: Any) -> Any:
    from django.db import transaction

    from msknet.demo.bulk import add_synthetic_members
    from msknet.members.models import ICB, Network, Organisation

    with transaction.atomic():
        network = Network.objects.create(
            slug=f"bench-{size}",
            name=f"Benchmark network of {size} members",
            short_name=f"Bench {size}",
            summary="Synthetic members for the communications benchmark.",
        )
        network.icbs.set(ICB.objects.all()[:5])
        for position, name in enumerate(("Back pain", "Knees", "Hips")):
            network.topics.create(
                name=name, slug=f"topic-{position}", position=position
            )
        add_synthetic_members(
            network=network,
            count=size,
            people=people,
            age_days=3 * 365,
            organisations=list(Organisation.objects.all()),
        )
    return network


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def record(
    results: dict, size: int, name: str, step: Step | None = None, **figures: Any
) -> None:
    entry = results.setdefault(str(size), {}).setdefault(name, {})
    if step is not None:
        entry["seconds"] = entry.get("seconds", 0.0) + step.seconds
        entry["queries"] = entry.get("queries", 0) + step.queries
    entry.update(figures)


def measure_size(size: int, people: Any, results: dict) -> None:
    from django.core import mail
    from django.db import transaction
    from django.utils import timezone
    from django_q.models import OrmQ

    from msknet.communications.digests import send_digests
    from msknet.communications.models import (
        Delivery,
        Kind,
        NewsItem,
        NewsKind,
        NewsRecipient,
        NewsStatus,
        Notification,
        RecipientStatus,
    )
    from msknet.communications.news_tasks import publish, send_due_news
    from msknet.communications.notify import notify
    from msknet.members.models import User

    started = time.perf_counter()
    network = make_network(size, people)
    analyze()
    print(
        f"  {size:,} members loaded in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    members = list(User.objects.filter(memberships__network=network))
    record(results, size, "members", count=len(members))

    # Baseline: a bare send_mail to each member.
    mail.outbox = []
    with Step() as step:
        for person in members:
            mail.send_mail(
                "A round opens", "Nominate a priority.", None, [person.email]
            )
    record(results, size, "baseline", step, emails=len(mail.outbox))

    # 1. A round opens: everyone is told, and emailed straight away.
    mail.outbox = []
    with Step() as step, transaction.atomic():
        made = notify(
            kind=Kind.ROUND_OPENED,
            recipients=members,
            network=network,
            key=f"bench:round:{network.pk}",
            title="Nominations are open for the 2027 priorities",
            url=f"/n/{network.slug}/priorities/",
            body="Tell us what the network should work on next year.",
        )
    record(results, size, "notify", step, made=len(made), queued=OrmQ.objects.count())
    with Step() as step:
        ran = run_queued_tasks()
    record(results, size, "notify tasks", step, tasks=ran, emails=len(mail.outbox))
    print(
        f"  notify: {len(made):,} notifications, {len(mail.outbox):,} emails",
        flush=True,
    )

    # 2. A newsletter to the whole network.
    def newsletter(title: str) -> NewsItem:
        return NewsItem.objects.create(
            network=network,
            kind=NewsKind.NEWSLETTER,
            title=title,
            summary="What happened this month, and what is coming up.",
            body_markdown=NEWSLETTER_BODY,
            blocks=["events", "resources", "decisions", "projects"],
            status=NewsStatus.SCHEDULED,
            send_at=timezone.now() - timedelta(minutes=1),
        )

    mail.outbox = []
    item = newsletter("December newsletter")
    with Step() as step:
        outcome = send_due_news()
    record(results, size, "publish", step, outcome=outcome, queued=OrmQ.objects.count())
    with Step() as step:
        ran = run_queued_tasks()
    item.refresh_from_db()
    sent = item.recipients.filter(status=RecipientStatus.SENT).count()
    record(
        results,
        size,
        "news emails",
        step,
        tasks=ran,
        emails=len(mail.outbox),
        sent=sent,
        status=item.status,
    )
    print(f"  newsletter: {sent:,} sent, item {item.status}", flush=True)

    # The same publish under tracemalloc, for its peak memory only.
    memory_item = newsletter("December newsletter, again")
    tracemalloc.start()
    try:
        publish(memory_item.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    record(results, size, "publish", peak_mib=peak / 2**20)
    OrmQ.objects.all().delete()
    NewsRecipient.objects.filter(item=memory_item).delete()
    NewsItem.objects.filter(pk=memory_item.pk).update(status=NewsStatus.SENT)

    # 3. A daily digest: every member has 5 unread notifications.
    now = timezone.now()
    Notification.objects.filter(read_at__isnull=True).update(read_at=now)
    Notification.objects.bulk_create(
        [
            Notification(
                user=person,
                network=network,
                kind=Kind.DISCUSSION_MENTION,
                key=f"bench:mention:{network.pk}:{number}",
                title=f"Someone mentions you in a discussion ({number + 1})",
                body="Could the physiotherapy leads share the new pathway?",
                url=f"/n/{network.slug}/discussions/{number + 1}/",
                created_at=now - timedelta(hours=number + 1),
            )
            for person in members
            for number in range(UNREAD_PER_MEMBER)
        ],
        batch_size=2000,
    )
    analyze()
    mail.outbox = []
    with Step() as step:
        digests = send_digests(frequency=Delivery.DAILY, now=now)
    record(results, size, "digests", step, digests=digests, queued=OrmQ.objects.count())
    with Step() as step:
        ran = run_queued_tasks()
    record(results, size, "digest emails", step, tasks=ran, emails=len(mail.outbox))
    print(f"  digests: {digests:,} made, {len(mail.outbox):,} emails", flush=True)
    mail.outbox = []


NEWSLETTER_BODY = """\
## From the chair

Thank you to everyone who came to the autumn meeting. We agreed three
priorities for next year: **first-contact physiotherapy**, *hip and knee
waiting lists* and shared decision making for back pain.

- The pathway group meets on the second Tuesday of each month.
- Slides from the meeting are in the [resource library](/resources/).
- Nominations for the steering group close at the end of January.

## Coming up

Our next webinar looks at how three ICBs cut waits for MSK assessment.
"""


def child(results_path: Path, sizes: list[int]) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_q.conf import Conf

    from msknet.demo.people import PeopleGenerator

    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    Conf.SYNC = False  # queue as in production; run_queued_tasks() runs them
    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s", flush=True)
    results: dict[str, Any] = {"vendor": connection.vendor}
    people = PeopleGenerator(seed=11)
    for size in sizes:
        measure_size(size, people, results)
        results_path.write_text(json.dumps(results))
    return 0


# -- in the parent: a child per database, then the table ------------------------


def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(database: str, sizes: list[int], scratch: Path) -> dict:
    results_path = scratch / f"{database}.json"
    if database == "postgres":
        url = f"postgres://postgres@{HOST}:5432/msknet_bench_comms_{os.getpid()}"
    else:
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msknet.config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "false",
        "EMAIL_URL": "locmem:",
        "MSKNET_VAR_DIR": str(scratch / f"var-{database}"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, __file__, "--child", str(results_path)]
    command += ["--sizes", ",".join(map(str, sizes))]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env)
    try:
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
    if returncode:
        raise RuntimeError(f"The {DATABASES[database]} run failed (exit {returncode})")
    return json.loads(results_path.read_text())


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "-"


def print_tables(results: dict[str, dict], sizes: list[int], load: str) -> None:
    databases = list(results)
    print(
        f"\n{date.today()}, {os.cpu_count()} cores, load average before "
        f"{load}; emails to Django's locmem backend; tasks queued in the database "
        f"and run in-process by calling each task's function\n"
    )
    rows = [
        ("bare send_mail, each member (baseline)", ["baseline"], "emails"),
        ("1. notify(), round opening: the call", ["notify"], ""),
        ("   its queued tasks (notification emails)", ["notify tasks"], ""),
        ("   notify total", ["notify", "notify tasks"], "emails"),
        ("2. newsletter: publish (send_due_news)", ["publish"], ""),
        ("   its queued tasks (send_news_email)", ["news emails"], ""),
        ("   newsletter total", ["publish", "news emails"], "emails"),
        ("3. daily digests: send_digests()", ["digests"], ""),
        ("   its queued tasks (digest emails)", ["digest emails"], ""),
        ("   digest total", ["digests", "digest emails"], "emails"),
    ]
    for size in sizes:
        key = str(size)
        header = f"{f'Network of {size:,} members':<42}"
        for database in databases:
            header += f" | {DATABASES[database]:>10} {'queries':>8} {'ms/pers':>7} {'emails/s':>8} {'x mail':>6}"
        print(header)
        print("-" * len(header))
        for label, names, emails_from in rows:
            line = f"{label:<42}"
            for database in databases:
                figures = results[database].get(key)
                if not figures:
                    line += f" | {'-':>10} {'':>8} {'':>7} {'':>8} {'':>6}"
                    continue
                members = figures["members"]["count"]
                seconds = sum(figures[name]["seconds"] for name in names)
                queries = sum(figures[name]["queries"] for name in names)
                per_person = seconds * 1000 / members
                base = figures["baseline"]["seconds"] * 1000 / members
                emails = figures[names[-1]].get("emails", 0) if emails_from else 0
                line += (
                    f" | {seconds:>8.2f} s {queries:>8,} {per_person:>7.2f} "
                    f"{rate(emails, seconds) if emails else '':>8} "
                    f"{per_person / base:>6.0f}"
                )
            print(line)
        line = f"{'   publish peak memory (tracemalloc)':<42}"
        for database in databases:
            figures = results[database].get(key)
            peak = figures["publish"].get("peak_mib") if figures else None
            line += f" | {f'{peak:.1f} MiB' if peak is not None else '-':>10} {'':>8} {'':>7} {'':>8} {'':>6}"
        print(line)
        checks = []
        for database in databases:
            figures = results[database].get(key)
            if figures:
                checks.append(
                    f"{DATABASES[database]}: {figures['notify']['made']:,} notified, "
                    f"{figures['notify tasks']['emails']:,} notification emails, "
                    f"{figures['news emails']['sent']:,} newsletters sent "
                    f"(item {figures['news emails']['status']}), "
                    f"{figures['digest emails']['emails']:,} digests "
                    f"of {UNREAD_PER_MEMBER} notifications"
                )
        print("\n".join(checks) + "\n")
    print(
        "ms/pers: milliseconds per member; x mail: that cost as a multiple of a bare "
        "send_mail to locmem for the same people, in the same run.\nQueries are "
        "those of this process (an execute wrapper), including the queueing "
        "of tasks; a real worker adds its own per task (taking, acknowledging)."
    )


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"Stopped by signal {signum}")


def main() -> int:
    args = parse_args()
    if args.child:
        return child(Path(args.child), args.sizes)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    load = (
        Path("/proc/loadavg").read_text().strip()
        if Path("/proc/loadavg").exists()
        else "?"
    )
    scratch = Path(tempfile.mkdtemp(prefix="msknet-bench-comms-"))
    results: dict[str, dict] = {}
    try:
        for database in args.databases:
            print(f"{DATABASES[database]}:", flush=True)
            if database == "postgres":
                name = f"msknet_bench_comms_{os.getpid()}"
                create_database(name)
                try:
                    results[database] = run_child(database, args.sizes, scratch)
                finally:
                    drop_database(name)
            else:
                results[database] = run_child(database, args.sizes, scratch)
        after = (
            Path("/proc/loadavg").read_text().strip()
            if Path("/proc/loadavg").exists()
            else "?"
        )
        print_tables(results, args.sizes, f"{load}, after {after}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
