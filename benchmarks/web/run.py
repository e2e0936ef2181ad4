"""Web benchmark: latency and throughput of the production server on PostgreSQL.

Creates a throwaway PostgreSQL database (127.0.0.1:5432, user postgres, trust
auth), migrates it, loads the demo plus networks of 300 and 30,000 synthetic
members, starts `msknet serve` (gunicorn, WhiteNoise, DEBUG off) on a free
loopback port, then drives concurrent keep-alive clients at each URL for a
bounded time and request count. Prints p50/p95 latency and requests per
second, each against the trivial `/healthz` view measured in the same run.
Stops the server and drops the database on the way out, error or not.

    python benchmarks/web/run.py [--duration 10] [--clients 16] [--large 30000]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PG = {"host": HOST, "port": 5432, "user": "postgres", "dbname": "postgres"}


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    auth: str = ""  # "", "session" or "token"


@dataclass
class Result:
    target: Target
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    note: str = ""
    statuses: set[int] = field(default_factory=set)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100)[p - 1]


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per URL")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per URL")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--small", type=int, default=300, help="members, small network")
    parser.add_argument("--large", type=int, default=30_000, help="members, large one")
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--threads", type=int, default=4)
    return parser.parse_args()


# -- database -------------------------------------------------------------


def create_database(name: str) -> None:
    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(**PG, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_data(small: int, large: int, clients: int) -> dict[str, str]:
    """Demo data plus two sized networks; cookies and a token for the clients."""
    from django.core.management import call_command
    from django.db import transaction

    from msknet.demo import load_demo_data
    from msknet.demo.bulk import add_synthetic_members
    from msknet.demo.people import PeopleGenerator
    from msknet.members.actions.memberships import add_member
    from msknet.members.models import Network, Organisation, Profession, Sector, User

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    print(f"Migrated in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    load_demo_data()
    print(f"Loaded the demo data in {time.perf_counter() - started:.1f} s")

    london = Network.objects.get(slug="london")
    people = PeopleGenerator(seed=7)
    people.used_emails.update(User.objects.values_list("email", flat=True))
    reader = User.objects.create_user(
        email="bench@example.org", full_name="Bench Reader"
    )
    for count in (small, large):
        started = time.perf_counter()
        with transaction.atomic():
            network = Network.objects.create(
                slug=f"bench-{count}",
                name=f"Benchmark network of {count} members",
                short_name=f"Bench {count}",
                region=london.region,
                summary="Synthetic members for the web benchmark.",
            )
            network.icbs.set(london.icbs.all())
            for topic in london.topics.all():
                network.topics.create(
                    name=topic.name, slug=topic.slug, position=topic.position
                )
            add_synthetic_members(
                network=network,
                count=count - 1,
                people=people,
                age_days=3 * 365,
                organisations=list(Organisation.objects.all()),
            )
            add_member(
                user=reader,
                network=network,
                by=None,
                sector=Sector.ACADEMIC,
                profession=Profession.RESEARCHER,
                directory_listed=True,
            )
        print(
            f"Loaded a network of {network.memberships.count():,} members in "
            f"{time.perf_counter() - started:.1f} s"
        )
    spread = top_innovation()
    if spread is not None:  # the reader reads its network's innovations as a member
        add_member(user=reader, network=spread.network, by=None,
                   sector=Sector.ACADEMIC, profession=Profession.RESEARCHER)
    analyze()  # fresh statistics, as autovacuum would make in time
    return {"token": api_token(reader), **session_cookies(reader, clients)}


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def session_cookies(user: object, clients: int) -> dict[str, str]:
    """A signed-in session, as the sign-in form would make, for each client."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    cookies = {}
    for number in range(clients):
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
        session.save()
        cookies[f"session-{number}"] = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        )
    return cookies


def api_token(user: object) -> str:
    try:
        from msknet.members.actions.accounts import create_api_token
    except ImportError:
        return ""
    return create_api_token(user=user, name="Web benchmark")[1]


# -- server ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    msknet = Path(sys.executable).with_name("msknet")
    command = (
        [str(msknet)]
        if msknet.exists()
        else [sys.executable, "-c", "from msknet.cli import cli; cli()"]
    )
    command += ["serve", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads)]
    # Plain HTTP on loopback, as behind a proxy that ends TLS (HTTPS=false).
    command += ["--behind-tls-proxy"]
    return subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, to stop it and its workers
    )


def wait_until_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server stopped:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"The server did not start:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# -- load -----------------------------------------------------------------


def fetch(connection: http.client.HTTPConnection, path: str, headers: dict) -> int:
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def headers_for(target: Target, client: int, credentials: dict[str, str]) -> dict:
    headers = {"Host": HOST, "Accept": "*/*"}
    if target.auth == "session":
        headers["Cookie"] = credentials[f"session-{client}"]
    elif target.auth == "token":
        headers["Authorization"] = f"Bearer {credentials['token']}"
    return headers


def measure(
    target: Target, port: int, args: argparse.Namespace, credentials: dict[str, str]
) -> Result:
    result = Result(target)
    if target.auth == "token" and not credentials["token"]:
        result.note = "skipped: no API token action"
        return result
    probe = http.client.HTTPConnection(HOST, port, timeout=30)
    status = fetch(probe, target.path, headers_for(target, 0, credentials))
    probe.close()
    if status != 200:
        result.note = f"skipped: HTTP {status}"
        return result

    budget = itertools.count()  # next() is atomic under the GIL
    lock = threading.Lock()
    clock = {"began": 0.0, "deadline": 0.0}

    def start_clock() -> None:  # runs once, before any client is released
        clock["began"] = time.perf_counter()
        clock["deadline"] = clock["began"] + args.duration

    start = threading.Barrier(args.clients + 1, action=start_clock)

    def client(number: int) -> None:
        headers = headers_for(target, number, credentials)
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        for _ in range(3):  # warm up this connection and the worker
            fetch(connection, target.path, headers)
        latencies, errors, statuses = [], 0, set()
        start.wait()
        deadline = clock["deadline"]
        while time.perf_counter() < deadline and next(budget) < args.max_requests:
            began = time.perf_counter()
            try:
                status = fetch(connection, target.path, headers)
            except (OSError, http.client.HTTPException):
                # The server closes idle keep-alive connections: reconnect once.
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                try:
                    status = fetch(connection, target.path, headers)
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
                    status = 0
            latencies.append(time.perf_counter() - began)
            if status != 200:
                errors += 1
                statuses.add(status)
        connection.close()
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.statuses |= statuses

    threads = [
        threading.Thread(target=client, args=(number,), daemon=True)
        for number in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - clock["began"]
    result.requests = len(result.latencies)
    return result


def top_innovation() -> object | None:
    """The demo's recommended innovation in use at the most sites, if any."""
    from django.db.models import Count

    from msknet.innovations.models import Innovation

    return (Innovation.objects.public().annotate(sites=Count("adoptions"))
            .select_related("network").order_by("-sites", "pk").first())


def innovation_targets() -> list[Target]:
    """The catalogue, the top innovation's page, the spread matrix and the map
    of the network it belongs to (the demo's NENC); 404s, so skipped, if the
    demo has no innovations."""
    top = top_innovation()
    slug = top.network.slug if top else "nenc"  # type: ignore[attr-defined]
    base = f"/n/{slug}/innovations/"
    one = f"{base}{top.pk if top else 0}/"  # type: ignore[attr-defined]
    return [
        Target(f"Innovations catalogue, public ({slug})", base),
        Target(f"Innovations catalogue, member ({slug})", base, "session"),
        Target(f"Innovation page, member ({slug}, most sites)", one, "session"),
        Target(f"Spread matrix, member ({slug})", base + "spread/", "session"),
        Target(f"Spread map, member ({slug})", base + "spread/map/", "session"),
    ]


def targets(small: int, large: int) -> list[Target]:
    return [
        Target("/healthz (trivial view)", "/healthz"),
        Target("Network home, public (London demo)", "/n/london/"),
        Target(f"Network home, public ({small:,} members)", f"/n/bench-{small}/"),
        Target(f"Network home, public ({large:,} members)", f"/n/bench-{large}/"),
        Target(
            f"Directory page 1, member ({small:,} members)",
            f"/n/bench-{small}/directory/",
            "session",
        ),
        Target(
            f"Directory page 1, member ({large:,} members)",
            f"/n/bench-{large}/directory/",
            "session",
        ),
        Target("API /api/networks, public", "/api/networks"),
        Target(
            f"API members, token ({small:,} members)",
            f"/api/networks/bench-{small}/members",
            "token",
        ),
        Target(
            f"API members, token ({large:,} members)",
            f"/api/networks/bench-{large}/members",
            "token",
        ),
        *innovation_targets(),
    ]


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    base = results[0]
    print(
        f"\n{date.today()}, {os.cpu_count()} cores, PostgreSQL, gunicorn "
        f"{args.workers} workers x {args.threads} threads, {args.clients} clients, "
        f"up to {args.duration:g} s or {args.max_requests:,} requests per URL\n"
    )
    header = (
        f"{'URL':<44} {'requests':>8} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p50 x':>6} {'req/s x':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        if result.note:
            print(f"{result.target.label:<44} {result.note}")
            continue
        p50, p95 = result.percentile(50) * 1000, result.percentile(95) * 1000
        print(
            f"{result.target.label:<44} {result.requests:>8} {result.errors:>6} "
            f"{result.rate:>8.0f} {p50:>8.1f} {p95:>8.1f} "
            f"{p50 / (base.percentile(50) * 1000):>6.1f} "
            f"{result.rate / base.rate:>7.2f}"
            + (f"  (HTTP {sorted(result.statuses)})" if result.statuses else "")
        )
    print(
        "\np50 x: median latency as a multiple of /healthz's; "
        "req/s x: throughput as a fraction of /healthz's."
    )


def print_server_errors(log: Path) -> None:
    """The server log without its access lines: tracebacks and warnings."""
    lines = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if not line.startswith(f"{HOST} - ")
    ]
    print("\nServer errors; the end of its log:\n" + "\n".join(lines[-60:]))


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"Stopped by signal {signum}")


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    name = f"msknet_bench_{os.getpid()}"
    scratch = Path(tempfile.mkdtemp(prefix="msknet-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="msknet.config.settings",
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{name}",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(scratch / "static"),
        MSKNET_VAR_DIR=str(scratch / "var"),
        EMAIL_URL="dummy:",
        LOG_LEVEL="WARNING",
    )
    server = None
    create_database(name)
    try:
        import django

        django.setup()
        credentials = load_data(args.small, args.large, args.clients)
        from django.db import connections

        connections.close_all()
        port = free_port()
        log = scratch / "server.log"
        server = start_server(port, args.workers, args.threads, log)
        wait_until_ready(port, server, log)
        results = []
        for target in targets(args.small, args.large):
            print(f"Measuring {target.path} ...", flush=True)
            results.append(measure(target, port, args, credentials))
        print_table(results, args)
        if any(result.errors or "HTTP 5" in result.note for result in results):
            print_server_errors(log)
    finally:
        if server is not None:
            stop_server(server)
        with contextlib.suppress(Exception):  # Django may never have loaded
            from django.db import connections

            connections.close_all()
        drop_database(name)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
