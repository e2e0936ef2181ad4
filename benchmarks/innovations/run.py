"""Innovations benchmark: the spread matrix, map, curve, catalogue and screening at size.

For each database (a throwaway PostgreSQL database at 127.0.0.1:5432, user
postgres, trust auth; and, with `--databases postgres,sqlite`, a throwaway
SQLite file) builds one network with a large spread, bulk inserted:

- `--sites` organisations (default 1,000: GP practices, PCNs, trusts,
  community providers, local authorities) across the network's 5 ICBs;
- `--innovations` innovations recommended for spread (default 60), each
  adopted by a share of the sites (10 % to 50 %, about 30 % on average), each
  adoption with 3 to 6 dated changes over the last two years (about 1 in 10
  ending stopped, with a reason);
- a screening of 20 innovations by a named panel of 8 on the 6 default
  criteria, every panellist having scored every one;
- one member whose organisation is a site, who reads the pages, and a visitor.

Then, for each page or read, it prints the median and fastest of `--repeat`
timed runs (after one warm-up run), the number of queries (one more run under
`CaptureQueriesContext`, which also names the slowest query), the peak Python
memory (one more run under tracemalloc) and, for pages, the response size.
Pages go through Django's test client (the whole middleware stack, templates
rendered, no network); the reads call the app's query functions directly.

Each database runs in a child process of this script; the database and files
are removed on the way out, error or not.

    python benchmarks/innovations/run.py [--sites 1000] [--innovations 60]
        [--repeat 5] [--databases postgres,sqlite]
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
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PG = {"host": HOST, "port": 5432, "user": "postgres", "dbname": "postgres"}
DATABASES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}
SLUG = "bench-spread"
ICBS = 5
SCREENED, PANELLISTS = 20, 8
BATCH = 2000
#: The kinds of site and their shares of the network's organisations.
SITE_MIX = [("gp_practice", 0.70), ("pcn", 0.14), ("nhs_trust", 0.08),
            ("community_provider", 0.05), ("local_authority", 0.03)]
SITE_WORDS = {"gp_practice": "Medical Centre", "pcn": "Primary Care Network",
              "nhs_trust": "NHS Trust", "community_provider": "Community Health",
              "local_authority": "Council"}
PLACES = ["Ashford", "Brookfield", "Castleton", "Dunmore", "Elmstead", "Fairhaven",
          "Greystone", "Hollybank", "Ironbridge", "Juniper", "Kingsmead", "Larkhill",
          "Meadowvale", "Northgate", "Oakridge", "Pinewood", "Queensbury",
          "Riverside", "Stonebridge", "Thornbury", "Upton", "Valley", "Westfield",
          "Yewtree"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000, help="organisations")
    parser.add_argument("--innovations", type=int, default=60,
                        help="innovations recommended for spread")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per row")
    parser.add_argument("--databases", default="postgres",
                        help="postgres and/or sqlite, comma-separated")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # results file
    args = parser.parse_args()
    args.databases = [name for name in args.databases.split(",") if name]
    unknown = set(args.databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    if args.sites < ICBS or args.innovations < 1 or args.repeat < 1:
        parser.error("need at least 5 sites, 1 innovation and 1 run")
    return args


# -- in the child: build the network -------------------------------------------


def history(rng: random.Random, today: date) -> list[tuple[str, str, date]]:
    """3 to 6 dated changes along the path over the last two years, about 1 in
    10 ending stopped: (status from, status to, on)."""
    from msknet.innovations.models import PATH, AdoptionStatus

    count = rng.randint(3, 6)
    start = rng.choice((0, 1)) if count < len(PATH) else 0
    statuses = [str(s) for s in PATH[start:start + count]]
    if rng.random() < 0.1:
        statuses[-1] = AdoptionStatus.STOPPED.value
    days = sorted(rng.sample(range(730), count))
    dates = [today - timedelta(days=730 - day) for day in days]
    previous = ""
    changes = []
    for status, on in zip(statuses, dates, strict=True):
        changes.append((previous, status, on))
        previous = status
    return changes


def member(network: Any, email: str, name: str, organisation: Any = None) -> Any:
    from msknet.members.actions.memberships import add_member
    from msknet.members.models import Profession, Sector, User

    user = User.objects.create_user(email=email, full_name=name)
    add_member(user=user, network=network, by=None, sector=Sector.COMMUNITY,
               profession=Profession.PHYSIOTHERAPIST, organisation=organisation,
               directory_listed=True)
    return user


def build(sites: int, innovations: int, seed: int) -> dict[str, Any]:
    """The network, its sites, innovations, adoptions and screening; returns
    what the measurements need and what was made."""
    from django.db import connection, transaction
    from django.utils import timezone

    from msknet.innovations.models import (
        DEFAULT_CRITERIA,
        Adoption,
        AdoptionChange,
        AdoptionStatus,
        Criterion,
        EvidenceStrength,
        Innovation,
        Kind,
        Score,
        Scorecard,
        ScreeningPanel,
        Stage,
    )
    from msknet.members.models import ICB, Network, Organisation

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        network = Network.objects.create(
            slug=SLUG, name="Benchmark spread network", short_name="Bench spread",
            summary="Synthetic sites and innovations for the innovations benchmark.")
        icbs = list(ICB.objects.order_by("ods_code")[:ICBS])
        network.icbs.set(icbs)

        kinds = [kind for kind, _ in SITE_MIX]
        weights = [share for _, share in SITE_MIX]
        made = Organisation.objects.bulk_create([
            Organisation(
                name=f"{rng.choice(PLACES)} {SITE_WORDS[kind]} {number:04d}",
                type=kind, icb=icbs[number % ICBS], region=icbs[number % ICBS].region)
            for number, kind in enumerate(rng.choices(kinds, weights, k=sites), 1)
        ], batch_size=BATCH)
        organisations = list(Organisation.objects.filter(pk__in=[o.pk for o in made])
                             .order_by("pk")) if made[0].pk is None else made

        def new_innovation(name: str, stage: str, kind: str) -> Innovation:
            return Innovation(
                network=network, name=name, kind=kind, stage=stage,
                summary=f"{name}: a synthetic innovation for the benchmark.",
                problem="People with MSK conditions wait too long for the right care.",
                who_for="Adults with back, neck, joint or muscle pain.",
                evidence_strength=rng.choice(list(EvidenceStrength)),
                decided_at=now - timedelta(days=rng.randint(30, 800))
                if stage == Stage.RECOMMENDED else None,
                created_at=now - timedelta(days=rng.randint(800, 900)))

        Innovation.objects.bulk_create(
            [new_innovation(f"Spread innovation {n:03d}", Stage.RECOMMENDED,
                            rng.choice(list(Kind))) for n in range(1, innovations + 1)]
            + [new_innovation(f"Screened innovation {n:02d}", Stage.SCREENING,
                              rng.choice(list(Kind))) for n in range(1, SCREENED + 1)],
            batch_size=BATCH)
        spread = list(Innovation.objects.filter(network=network, stage=Stage.RECOMMENDED)
                      .order_by("pk"))
        screened = list(Innovation.objects.filter(network=network,
                                                  stage=Stage.SCREENING).order_by("pk"))

        # Each innovation reaches its own share of the sites: 10 % to 50 %.
        shares = {i.pk: rng.uniform(0.1, 0.5) for i in spread}
        adoptions, histories = [], []
        for site in organisations:
            for innovation in spread:
                if rng.random() >= shares[innovation.pk]:
                    continue
                changes = history(rng, today)
                adoptions.append(Adoption(
                    innovation=innovation, site=site, status=changes[-1][1],
                    status_on=changes[-1][2], created_at=now))
                histories.append(changes)
        Adoption.objects.bulk_create(adoptions, batch_size=BATCH)
        if adoptions and adoptions[0].pk is None:  # no RETURNING: read them back
            ids = {(innovation_id, site_id): pk for pk, innovation_id, site_id in
                   Adoption.objects.filter(innovation__network=network)
                   .values_list("pk", "innovation_id", "site_id")}
            for adoption in adoptions:
                adoption.pk = ids[(adoption.innovation_id, adoption.site_id)]
        AdoptionChange.objects.bulk_create(
            (AdoptionChange(
                adoption_id=adoption.pk, status_from=status_from, status_to=status_to,
                on=on, at=now,
                reason="Funding ended" if status_to == AdoptionStatus.STOPPED else "")
             for adoption, changes in zip(adoptions, histories, strict=True)
             for status_from, status_to, on in changes),
            batch_size=BATCH)

        # Screening: 20 innovations, a named panel of 8, the 6 default criteria.
        reader = member(network, "bench-reader@example.org", "Bench Reader",
                        organisation=organisations[0])
        panellists = [member(network, f"bench-panellist-{n}@example.org",
                             f"Bench Panellist {n}") for n in range(1, PANELLISTS + 1)]
        panel = ScreeningPanel.objects.create(network=network)
        panel.panel.set(panellists)
        criteria = Criterion.objects.bulk_create([
            Criterion(network=network, name=name, description=description,
                      position=position, weight=rng.choice((1, 1, 2, 3)))
            for position, (name, description) in enumerate(DEFAULT_CRITERIA)])
        criteria = list(Criterion.objects.filter(network=network).order_by("position"))
        Scorecard.objects.bulk_create([
            Scorecard(innovation=innovation, panellist=panellist)
            for innovation in screened for panellist in panellists])
        Score.objects.bulk_create([
            Score(scorecard=card, criterion=criterion, value=rng.randint(1, 5),
                  comment="A synthetic reason.")
            for card in Scorecard.objects.filter(innovation__in=screened)
            for criterion in criteria])

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum makes
        cursor.execute("ANALYZE")
    counts = {i.pk: 0 for i in spread}
    for adoption in adoptions:
        counts[adoption.innovation_id] += 1
    top = max(counts, key=lambda pk: (counts[pk], -pk))
    return {
        "network": network, "reader": reader, "panellist": panellists[0],
        "top": top,
        "made": {
            "sites": len(organisations), "innovations": len(spread),
            "screened": len(screened), "adoptions": len(adoptions),
            "changes": sum(len(h) for h in histories),
            "sites_with_a_record": len({a.site_id for a in adoptions}),
            "top_sites": counts[top],
            "scores": Score.objects.filter(scorecard__innovation__in=screened).count(),
        },
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


def page(client: Any, path: str, expect: str = "") -> tuple[Callable[[], Any],
                                                            Callable[[Any], str]]:
    def get() -> Any:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered HTTP {response.status_code}")
        return response

    def check(response: Any) -> str:
        body = response.content
        if expect and expect.encode() not in body:
            raise RuntimeError(f"{path} did not show {expect!r}")
        return f"{len(body) / 1024:,.0f} KiB"

    return get, check


def measure_all(made: dict[str, Any], repeat: int, results: dict[str, Any]) -> None:
    from django.test import Client
    from django.utils import timezone

    from msknet.analytics.adoption import adoption_curve
    from msknet.innovations import adoption_queries, screening_queries
    from msknet.innovations.adoption_charts import matrix_csv
    from msknet.innovations.models import AdoptionChange, Innovation

    network, top = made["network"], made["top"]
    innovation = Innovation.objects.select_related("network").get(pk=top)
    base = f"/n/{network.slug}/innovations/"
    member = Client()
    member.force_login(made["reader"])
    panellist = Client()
    panellist.force_login(made["panellist"])
    visitor = Client()
    sites = made["made"]["sites_with_a_record"]
    today = timezone.localdate()
    changes: list[Any] = []

    def fetch_changes() -> list[Any]:
        changes[:] = list(AdoptionChange.objects.filter(adoption__innovation=innovation)
                          .order_by("on", "at", "pk")
                          .values_list("adoption__site_id", "status_to", "on"))
        return changes

    rows: list[tuple[str, Callable[[], Any], Callable[[Any], str] | None]] = [
        ("spread matrix: query (matrix())",
         lambda: adoption_queries.matrix(network),
         lambda m: f"{len(m.rows):,} sites x {len(m.innovations)}"),
        ("spread matrix: query + CSV text (matrix_csv)",
         lambda: matrix_csv(adoption_queries.matrix(network)),
         lambda text: f"{len(text) / 1024:,.0f} KiB"),
        ("spread matrix page, member",
         *page(member, base + "spread/",
               f"{sites} site{'s' if sites != 1 else ''}, ")),
        ("spread CSV, member", *page(member, base + "spread.csv")),
        ("curve, top innovation: query (changes)", fetch_changes,
         lambda rows: f"{len(rows):,} changes"),
        ("curve, top innovation: analytics.adoption",
         lambda: adoption_curve(changes, until=today,
                                statuses=adoption_queries.STATUSES),
         lambda curve: f"{len(curve)} months"),
        ("curve JSON, top innovation, member",
         *page(member, base + f"{top}/adoption/curve.json")),
        ("adoption page (curve + sites), member",
         *page(member, base + f"{top}/adoption/")),
        ("map table: query (map_counts())",
         lambda: adoption_queries.map_counts(network),
         lambda counts: f"{len(counts)} ICBs"),
        ("map page, member", *page(member, base + "spread/map/")),
        ("map page, top innovation, member",
         *page(member, base + f"spread/map/?innovation={top}")),
        ("catalogue page 1, member", *page(member, base, "innovations")),
        ("catalogue page 1, visitor", *page(visitor, base, "innovations")),
        ("catalogue CSV, visitor", *page(visitor, base + "catalogue.csv")),
        ("innovation page, top, member", *page(member, base + f"{top}/")),
        ("innovation page, top, visitor", *page(visitor, base + f"{top}/")),
        ("screening ranking: query (ranking())",
         lambda: screening_queries.ranking(network, made["panellist"]),
         lambda rows: f"{len(rows)} ranked, "
         f"{sum(r.may_see_scores for r in rows)} with scores shown"),
        ("screening page, panellist", *page(panellist, base + "screening/")),
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
    started = time.perf_counter()
    made = build(args.sites, args.innovations, args.seed)
    results["build_s"] = time.perf_counter() - started
    results["made"] = made["made"]
    print(f"  built in {results['build_s']:.1f} s: " + ", ".join(
        f"{value:,} {key.replace('_', ' ')}" for key, value in made["made"].items()),
        flush=True)
    measure_all(made, args.repeat, results)
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


def run_child(database: str, args: argparse.Namespace, scratch: Path) -> dict:
    results_path = scratch / f"{database}.json"
    static = scratch / "static"
    (static / "nhsuk" / "assets").mkdir(parents=True, exist_ok=True)
    if database == "postgres":
        url = f"postgres://postgres@{HOST}:5432/msknet_bench_innov_{os.getpid()}"
    else:
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msknet.config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "testserver",  # the test client's host
        "MSKNET_PLAIN_STATIC": "true",  # no collectstatic manifest needed
        "STATIC_ROOT": str(static),
        "EMAIL_URL": "locmem:",
        "MSKNET_VAR_DIR": str(scratch / f"var-{database}"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, __file__, "--child", str(results_path),
               "--sites", str(args.sites), "--innovations", str(args.innovations),
               "--repeat", str(args.repeat), "--seed", str(args.seed)]
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


def load_average() -> str:
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "?"


def print_tables(results: dict[str, dict], args: argparse.Namespace,
                 load: str) -> None:
    databases = list(results)
    print(f"\n{date.today()}, {os.cpu_count()} cores, load average {load}; "
          f"--sites {args.sites:,} --innovations {args.innovations}, median and "
          f"fastest of {args.repeat} runs after a warm-up\n")
    for database in databases:
        made = results[database]["made"]
        print(f"{DATABASES[database]}: migrate {results[database]['migrate_s']:.1f} s, "
              f"build {results[database]['build_s']:.1f} s; " + ", ".join(
                  f"{value:,} {key.replace('_', ' ')}" for key, value in made.items()))
    header = f"\n{'':<44}"
    for database in databases:
        header += (f" | {DATABASES[database]:>10} {'fastest':>8} {'queries':>7} "
                   f"{'SQL ms':>7} {'peak MiB':>8}")
    header += "  what"
    print(header)
    print("-" * len(header))
    for label in results[databases[0]]["rows"]:
        line = f"{label:<44}"
        for database in databases:
            row = results[database]["rows"][label]
            line += (f" | {row['median_ms']:>7,.1f} ms {row['min_ms']:>8,.1f} "
                     f"{row['queries']:>7} {row.get('sql_ms', 0):>7,.1f} "
                     f"{row['peak_mib']:>8.1f}")
        print(line + f"  {results[databases[0]]['rows'][label]['note']}")
    print("\nSQL ms: the time of the run's queries as Django saw them, in the run "
          "under CaptureQueriesContext.\nThe slowest query of each row, "
          f"{DATABASES[databases[0]]}:")
    for label, row in results[databases[0]]["rows"].items():
        if row.get("slowest_sql"):
            sql = re.sub(r"^SELECT .*? FROM ", "SELECT ... FROM ", row["slowest_sql"])
            print(f"- {label}: {row['slowest_ms']:,.1f} ms: {sql[:300]}")


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"Stopped by signal {signum}")


def main() -> int:
    args = parse_args()
    if args.child:
        return child(Path(args.child), args)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    load = load_average()
    scratch = Path(tempfile.mkdtemp(prefix="msknet-bench-innov-"))
    results: dict[str, dict] = {}
    try:
        for database in args.databases:
            print(f"{DATABASES[database]}:", flush=True)
            if database == "postgres":
                name = f"msknet_bench_innov_{os.getpid()}"
                create_database(name)
                try:
                    results[database] = run_child(database, args, scratch)
                finally:
                    drop_database(name)
            else:
                results[database] = run_child(database, args, scratch)
        print_tables(results, args, f"{load} before, {load_average()} after")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
