"""Surveys benchmark: a survey's results, cross-tab, summary, themes and export at size.

For each size in `--sizes` (default 150 and 15,000 responses) and each
database (a throwaway PostgreSQL database at 127.0.0.1:5432, user postgres,
trust auth, migrated once and copied for each size; and, with `--databases
postgres,sqlite`, a throwaway SQLite file) a child process builds one network
over 5 ICBs with one open survey made from the landscape template (4
sections, 13 questions, skip logic), bulk inserted:

- the responses, anonymous, spread over the 30 days it has been open, every
  required question answered, optional ones about 60 % of the time, the
  question shown only on "Something else" answered only then;
- 6 themes on each long free-text question, and about 70 % of its answers
  coded into one or two of them;
- a lead (who reads the results) and a member (who sends one response through
  the API each run).

Then, for each page and read, it prints the median and fastest of `--repeat`
timed runs (after a warm-up), the number of queries (one more run under
`CaptureQueriesContext`, which also names the slowest query), the peak Python
memory (one more run under tracemalloc) and the response size. Pages go
through Django's test client with production settings (middleware, gate,
templates; no server or network). The sizes are printed side by side; the
databases and files are removed on the way out, error or not.

    python benchmarks/surveys/run.py [--sizes 150,15000] [--repeat 5]
        [--databases postgres,sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PG = {"host": HOST, "port": 5432, "user": "postgres", "dbname": "postgres"}
DATABASES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}
SLUG = "bench-surveys"
ICBS = 5
THEMES = ["Waiting lists", "Staffing", "Referral routes", "Joined-up care",
          "Patient education", "Digital tools"]
CODED_SHARE = 0.7
OPTIONAL_SHARE = 0.6
OPEN_DAYS = 30
BATCH = 5000
WORDS = ["waiting", "lists", "physiotherapy", "referral", "staffing", "triage",
         "pain", "clinic", "community", "patients", "exercise", "education",
         "vacancies", "pathway", "self-referral", "advice", "follow-up", "digital"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150,15000",
                        help="numbers of responses, comma-separated")
    parser.add_argument("--responses", type=int, help=argparse.SUPPRESS)  # one size
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per row")
    parser.add_argument("--databases", default="postgres",
                        help="postgres and/or sqlite, comma-separated")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # results file
    parser.add_argument("--migrate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.databases = [name for name in args.databases.split(",") if name]
    unknown = set(args.databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    args.sizes = [args.responses] if args.responses else [
        int(size) for size in args.sizes.split(",") if size]
    if min(args.sizes) < 10 or args.repeat < 1:
        parser.error("need at least 10 responses and 1 run")
    return args


# -- in the child: build the survey --------------------------------------------


def member(network: Any, email: str, name: str, role: str = "member") -> Any:
    from msknet.members.actions.memberships import add_member
    from msknet.members.models import Profession, Sector, User

    user = User.objects.create_user(email=email, full_name=name)
    add_member(user=user, network=network, by=None, role=role, sector=Sector.COMMUNITY,
               profession=Profession.PHYSIOTHERAPIST)
    return user


def sentence(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    return f"Synthetic answer {n}: {words}."


def answers(rng: random.Random, questions: list[Any], n: int) -> dict[Any, Any]:
    """One response's {question: value}, as a respondent would give them."""
    from msknet.surveys.models import QuestionKind

    values: dict[Any, Any] = {}
    for q in questions:
        if q.show_if_question_id is not None:
            shown = values.get(next(p for p in questions if p.pk == q.show_if_question_id))
            if shown is None or q.show_if_answer not in (
                    shown if isinstance(shown, list) else [shown]):
                continue
        if not q.required and rng.random() > OPTIONAL_SHARE:
            continue
        if q.kind == QuestionKind.SINGLE:
            values[q] = rng.choice(q.options)
        elif q.kind == QuestionKind.MULTIPLE:
            values[q] = rng.sample(q.options, rng.randint(1, 3))
        elif q.kind == QuestionKind.LIKERT:
            values[q] = {s: rng.choice(q.options) for s in q.statements}
        elif q.kind == QuestionKind.RATING:
            values[q] = rng.randint(q.scale_min or 1, q.scale_max or 5)
        elif q.kind == QuestionKind.NUMBER:
            values[q] = rng.randint(0, 40)
        elif q.kind == QuestionKind.DATE:
            values[q] = "2026-11-01"
        else:
            values[q] = sentence(rng, n)
    return values


def build(responses: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from msknet.members.actions.accounts import create_api_token
    from msknet.members.models import ICB, Network
    from msknet.surveys.catalogue import create_from_template
    from msknet.surveys.models import (
        Answer,
        Coding,
        Question,
        QuestionKind,
        Response,
        SurveyStatus,
        Theme,
    )

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        network = Network.objects.create(
            slug=SLUG, name="Benchmark surveys network", short_name="Bench surveys",
            summary="A synthetic survey for the surveys benchmark.")
        network.icbs.set(list(ICB.objects.order_by("ods_code")[:ICBS]))
        lead = member(network, "bench-lead@example.org", "Bench Lead", role="lead")
        sender = member(network, "bench-member@example.org", "Bench Member")
        survey = create_from_template(network, "landscape", by=lead)
        survey.status = SurveyStatus.OPEN
        survey.opens_at = now - timedelta(days=OPEN_DAYS)
        survey.responses_per_person = 100  # the member sends one a run
        survey.save()
        questions = list(Question.objects.filter(section__survey=survey)
                         .order_by("section__position", "position"))
        made, given = [], []
        for n in range(responses):
            response = Response(id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                survey=survey, respondent=None,
                                submitted_on=today - timedelta(
                                    days=rng.randint(0, OPEN_DAYS - 1)))
            made.append(response)
            given.extend(Answer(response=response, question=q, value=v)
                         for q, v in answers(rng, questions, n).items())
        Response.objects.bulk_create(made, batch_size=BATCH)
        Answer.objects.bulk_create(given, batch_size=BATCH)
        long_text = [q for q in questions if q.kind == QuestionKind.LONG_TEXT]
        Theme.objects.bulk_create(Theme(question=q, name=name, created_by=lead)
                                  for q in long_text for name in THEMES)
        themes = {q.pk: list(q.themes.all()) for q in long_text}
        if given and given[0].pk is None:  # no RETURNING: read them back
            given = list(Answer.objects.filter(question__in=long_text))
        codings = [Coding(answer_id=a.pk, theme=theme, coded_by=lead, coded_at=now)
                   for a in given if a.question_id in themes
                   and rng.random() < CODED_SHARE
                   for theme in rng.sample(themes[a.question_id], rng.randint(1, 2))]
        Coding.objects.bulk_create(codings, batch_size=BATCH)
        _, token = create_api_token(user=sender, name="benchmark")
        _, lead_token = create_api_token(user=lead, name="benchmark")
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum makes
        cursor.execute("ANALYZE")
    texts = [a for a in given if a.question_id in themes]
    return {
        "network": network, "survey": survey, "lead": lead, "token": token,
        "lead_token": lead_token,
        "questions": questions, "text_question": long_text[0], "rng": rng,
        "made": {"responses": len(made), "answers": len(given),
                 "free_text_answers": len(texts),
                 "coded": len({c.answer_id for c in codings}), "codings": len(codings)},
    }


# -- in the child: measure -----------------------------------------------------


def measure(work: Callable[[], Any], repeat: int, check: Callable[[Any], str] | None
            ) -> dict[str, Any]:
    """Median and fastest of `repeat` runs after a warm-up; queries (and the
    slowest) in one more run; peak Python memory in one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    outcome = work()  # warm-up, and the result to check
    figures: dict[str, Any] = {"note": check(outcome) if check else ""}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    figures["median_ms"] = statistics.median(times) * 1000
    figures["min_ms"] = min(times) * 1000
    with CaptureQueriesContext(connection) as captured:
        work()
    queries = captured.captured_queries
    figures["queries"] = len(queries)
    if queries:
        slowest = max(queries, key=lambda q: float(q["time"]))
        figures["slowest_ms"] = float(slowest["time"]) * 1000
        figures["slowest_sql"] = slowest["sql"]
        figures["sql_ms"] = sum(float(q["time"]) for q in queries) * 1000
    tracemalloc.start()
    try:
        work()
        figures["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return figures


def page(client: Any, path: str, expect: str = ""
         ) -> tuple[Callable[[], Any], Callable[[Any], str]]:
    def get() -> Any:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered HTTP {response.status_code}")
        # A streamed response (the responses CSV) does its work as it is read:
        # read it inside the timed run, so its time and queries are counted.
        if response.streaming:
            response.body = b"".join(response.streaming_content)
        return response

    def check(response: Any) -> str:
        body = response.body if response.streaming else response.content
        if expect and expect.encode() not in body:
            raise RuntimeError(f"{path} did not show {expect!r}")
        return f"{len(body) / 1024:,.0f} KiB"

    return get, check


def measure_all(made: dict[str, Any], repeat: int, results: dict[str, Any]) -> None:
    from django.test import Client

    from msknet.surveys.models import Response

    network, survey = made["network"], made["survey"]
    base = f"/n/{network.slug}/surveys/{survey.pk}/"
    lead = Client()
    lead.force_login(made["lead"])
    api = Client()
    auth = {"Authorization": f"Bearer {made['token']}"}
    counter = iter(range(10**6))
    sent_before = Response.objects.filter(survey=survey).count()

    def get_api(path: str) -> Callable[[], Any]:
        def get() -> Any:
            response = api.get(path, headers={
                "Authorization": f"Bearer {made['lead_token']}"})
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered HTTP {response.status_code}")
            return response
        return get

    def send() -> Any:
        payload = {str(q.pk): v for q, v in
                   answers(made["rng"], made["questions"], next(counter)).items()}
        response = api.post(f"/api/networks/{network.slug}/surveys/{survey.pk}/responses",
                            {"answers": payload}, content_type="application/json",
                            headers=auth)
        if response.status_code != 201:
            raise RuntimeError(f"sending answered HTTP {response.status_code}: "
                               f"{response.content[:300]!r}")
        return response

    def sent(response: Any) -> str:
        added = Response.objects.filter(survey=survey).count() - sent_before
        return f"201, {added} response written"

    question = made["text_question"].pk
    rows: list[tuple[str, Callable[[], Any], Callable[[Any], str] | None]] = [
        ("results page, lead", *page(lead, base + "results/")),
        ("cross-tab page (default), lead", *page(lead, base + "crosstab/")),
        ("summary page, lead", *page(lead, base + "summary/")),
        ("themes page, first long-text question, lead",
         *page(lead, base + f"questions/{question}/themes/")),
        ("responses CSV, lead", *page(lead, base + "responses.csv")),
        ("results API (GET, token), lead",
         get_api(f"/api/networks/{network.slug}/surveys/{survey.pk}/results"),
         lambda r: f"{len(r.content) / 1024:,.0f} KiB"),
        ("send one response (API POST), member", send, sent),
    ]
    for label, work, check in rows:
        started = time.perf_counter()
        results["rows"][label] = measure(work, repeat, check)
        print(f"  {label}: {results['rows'][label]['median_ms']:,.1f} ms median "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


def child(results_path: Path, args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    results: dict[str, Any] = {"vendor": connection.vendor, "rows": {},
                               "migrate_s": time.perf_counter() - started}
    print(f"  migrated in {results['migrate_s']:.1f} s", flush=True)
    if args.migrate_only:  # the template the sizes' databases are copied from
        results_path.write_text(json.dumps(results))
        return 0
    started = time.perf_counter()
    made = build(args.sizes[0], args.seed)
    results["build_s"] = time.perf_counter() - started
    results["made"] = made["made"]
    print(f"  built in {results['build_s']:.1f} s: " + ", ".join(
        f"{value:,} {key.replace('_', ' ')}" for key, value in made["made"].items()),
        flush=True)
    measure_all(made, args.repeat, results)
    results_path.write_text(json.dumps(results))
    return 0


# -- in the parent: a child per database and size, then the tables ---------------


def create_database(name: str, template: str = "") -> None:
    import psycopg

    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(database: str, size: int, args: argparse.Namespace, scratch: Path,
              name: str, migrate_only: bool = False) -> dict:
    results_path = scratch / f"{database}-{size}-{migrate_only}.json"
    static = scratch / "static"
    (static / "nhsuk" / "assets").mkdir(parents=True, exist_ok=True)
    if database == "postgres":
        url = f"postgres://postgres@{HOST}:5432/{name}"
    else:
        url = f"sqlite:///{scratch / f'bench-{size}.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msknet.config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "testserver",  # the test client's host
        "MSKNET_PLAIN_STATIC": "true",  # no collectstatic manifest needed
        "MSKNET_REQUIRE_2FA": "false",  # the lead signs in without a code
        "STATIC_ROOT": str(static),
        "EMAIL_URL": "locmem:",
        "MSKNET_VAR_DIR": str(scratch / f"var-{database}-{size}"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, __file__, "--child", str(results_path),
               "--responses", str(size), "--repeat", str(args.repeat),
               "--seed", str(args.seed), *(["--migrate-only"] if migrate_only else [])]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env)
    try:
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
    if returncode:
        raise RuntimeError(f"The {DATABASES[database]} run at {size:,} responses "
                           f"failed (exit {returncode})")
    return json.loads(results_path.read_text())


def load_average() -> str:
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "?"


def print_tables(results: dict[tuple[str, int], dict], args: argparse.Namespace,
                 load: str) -> None:
    print(f"\n{date.today()}, {os.cpu_count()} cores, load average {load}; "
          f"median and fastest of {args.repeat} runs after a warm-up\n")
    for (database, size), result in results.items():
        print(f"{DATABASES[database]}, {size:,} responses: migrate "
              f"{result['migrate_s']:.1f} s, build {result['build_s']:.1f} s; "
              + ", ".join(f"{value:,} {key.replace('_', ' ')}"
                          for key, value in result["made"].items()))
    for database in args.databases:
        columns = [(database, size) for size in args.sizes]
        header = f"\n{DATABASES[database]:<40}"
        for _, size in columns:
            header += (f" | {size:>6,} median {'fastest':>8} {'queries':>7} "
                       f"{'SQL ms':>7} {'peak MiB':>8}")
        header += "  what (largest)"
        print(header)
        print("-" * len(header))
        for label in results[columns[0]]["rows"]:
            line = f"{label:<40}"
            for column in columns:
                row = results[column]["rows"][label]
                line += (f" | {row['median_ms']:>10,.1f} ms {row['min_ms']:>8,.1f} "
                         f"{row['queries']:>7} {row.get('sql_ms', 0):>7,.1f} "
                         f"{row['peak_mib']:>8.1f}")
            print(line + f"  {results[columns[-1]]['rows'][label]['note']}")
        largest = columns[-1]
        print(f"\nThe slowest query of each row, {DATABASES[database]}, "
              f"{largest[1]:,} responses:")
        for label, row in results[largest]["rows"].items():
            if row.get("slowest_sql"):
                sql = re.sub(r"^SELECT .*? FROM ", "SELECT ... FROM ", row["slowest_sql"])
                print(f"- {label}: {row['slowest_ms']:,.1f} ms: {sql[:300]}")
    print("\nSQL ms: the time of the run's queries as Django saw them, in the run "
          "under CaptureQueriesContext.")


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"Stopped by signal {signum}")


def main() -> int:
    args = parse_args()
    if args.child:
        return child(Path(args.child), args)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    load = load_average()
    scratch = Path(tempfile.mkdtemp(prefix="msknet-bench-surveys-"))
    results: dict[tuple[str, int], dict] = {}
    try:
        for database in args.databases:
            template = f"msknet_bench_surveys_{os.getpid()}"
            if database == "postgres":  # migrate once, copy for each size
                print("PostgreSQL, the migrated template:", flush=True)
                create_database(template)
                migrated = run_child(database, 0, args, scratch, template, True)
            try:
                for size in args.sizes:
                    print(f"{DATABASES[database]}, {size:,} responses:", flush=True)
                    name = f"{template}_{size}"
                    if database == "postgres":
                        create_database(name, template)
                        try:
                            results[(database, size)] = run_child(
                                database, size, args, scratch, name)
                        finally:
                            drop_database(name)
                        results[(database, size)]["migrate_s"] = migrated["migrate_s"]
                    else:
                        results[(database, size)] = run_child(database, size, args,
                                                              scratch, name)
            finally:
                if database == "postgres":
                    drop_database(template)
        print_tables(results, args, f"{load} before, {load_average()} after")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
