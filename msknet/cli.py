"""The `msknet` command line.

Web commands (`demo`, `serve`, `manage`) set up Django themselves; analytics
commands never import it.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import click

from msknet.analytics.prescribing.cli import prescribing as prescribing_cli
from msknet.prescribing.cli import add_site_commands

PROJECT_DIR = Path(__file__).resolve().parent.parent

add_site_commands(prescribing_cli)  # alerts, and alerts after an import


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msknet.config.settings")
    import django

    django.setup()


def demo_secret_key(var_dir: Path) -> str:
    """A secret key kept under var/ so demo sessions survive a restart."""
    path = var_dir / "demo-secret-key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_site_url(bind: str) -> str | None:
    """The address the demo serves at `bind` (gunicorn's HOST:PORT), for the
    links in its emails and calendar files. A wildcard host (0.0.0.0, ::) is
    reached on this machine as 127.0.0.1; a Unix socket has no address."""
    if bind.startswith(("unix:", "fd://")):
        return None
    host, _, port = bind.rpartition(":")
    if not host:  # a bare host: gunicorn serves it on port 8000
        host, port = bind, "8000"
    host = host.strip("[]")
    if host in {"0.0.0.0", "::"}:  # noqa: S104 - naming the wildcard, not binding
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.group()
@click.version_option(package_name="msknet")
def cli() -> None:
    """msknet: the platform an MSK health improvement network runs on."""


@cli.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `msknet manage migrate`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msknet.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["msknet manage", *args])


def run_gunicorn(bind: str, workers: int, threads: int) -> None:
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "msknet.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    run()


#: Django's own test for a secret key an attacker could guess (check --deploy
#: W009), plus the development key settings.py falls back to.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
INSECURE_KEY_PREFIXES = ("django-insecure-", "insecure-development-key")


def weak_secret_key(key: str) -> bool:
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(INSECURE_KEY_PREFIXES)
    )


def production_problems(*, behind_tls_proxy: bool) -> list[str]:
    """Why the configured site must not be served in production, if it must not.

    A development site (DEBUG=true) is not production and is not checked.
    """
    from django.conf import settings

    if settings.DEBUG:
        return []
    problems = []
    if weak_secret_key(settings.SECRET_KEY):
        problems.append(
            f"SECRET_KEY is weak: use at least {SECRET_KEY_MIN_LENGTH} random "
            "characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    # HTTPS=true is what makes cookies HTTPS-only (settings.py).
    https = settings.SESSION_COOKIE_SECURE
    proxy_ends_tls = behind_tls_proxy or settings.SECURE_PROXY_SSL_HEADER is not None
    if not https and not proxy_ends_tls:
        problems.append(
            "HTTPS is off, so passwords and sessions would cross the network in "
            "plain HTTP. Set HTTPS=true, or, if a proxy in front of msknet ends "
            "TLS, say so with BEHIND_PROXY=true or --behind-tls-proxy."
        )
    return problems


@cli.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
@click.option(
    "--collectstatic/--no-collectstatic",
    default=True,
    show_default=True,
    help="Gather static files for WhiteNoise before starting.",
)
@click.option(
    "--behind-tls-proxy",
    is_flag=True,
    help="A proxy in front ends TLS and talks plain HTTP to msknet, so serve "
    "with HTTPS=false.",
)
def serve(
    bind: str, workers: int, threads: int, collectstatic: bool, behind_tls_proxy: bool
) -> None:
    """Run the production web server (gunicorn, static files by WhiteNoise).

    Settings come from the environment (see dotenv-sample); SECRET_KEY is
    required. It refuses to start with a weak SECRET_KEY, or with HTTPS=false
    unless a proxy that ends TLS is declared (BEHIND_PROXY=true or
    --behind-tls-proxy).

    Example:

    \b
        SECRET_KEY=... DATABASE_URL=postgres://... msknet serve --bind 0.0.0.0:8000
    """
    setup_django()
    from django.core.management import call_command

    problems = production_problems(behind_tls_proxy=behind_tls_proxy)
    if problems:
        raise click.ClickException(
            "msknet serve will not start:\n" + "\n".join(f"- {p}" for p in problems)
        )
    call_command("check", "--deploy", "--fail-level", "ERROR")
    if collectstatic:
        call_command("collectstatic", "--noinput", verbosity=0)
    run_gunicorn(bind, workers, threads)


@cli.command()
@click.option("--reset", is_flag=True, help="Delete the demo database and start again.")
@click.option("--serve/--no-serve", "serve_", default=True, show_default=True)
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
def demo(reset: bool, serve_: bool, bind: str) -> None:
    """Set up the demo on an embedded SQLite database and serve it.

    Migrates, loads realistic synthetic demo data (once), prints the demo
    sign-ins and serves http://127.0.0.1:8000 with the production server.
    """
    var_dir = Path(os.environ.get("MSKNET_VAR_DIR", PROJECT_DIR / "var"))
    os.environ.setdefault("SECRET_KEY", demo_secret_key(var_dir))
    os.environ.setdefault("HTTPS", "false")
    # Links in the demo's emails and calendar files lead to what it serves,
    # and the site answers to that address.
    site_url = demo_site_url(bind)
    hosts = ["127.0.0.1", "localhost"]
    if site_url:
        os.environ.setdefault("SITE_URL", site_url)
        host = urlsplit(site_url).hostname or ""
        hosts += [f"[{host}]" if ":" in host else host]
    os.environ.setdefault("ALLOWED_HOSTS", ",".join(dict.fromkeys(hosts)))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var_dir / 'demo.sqlite3'}")
    # Demo leads sign in without an authenticator app (see the README).
    os.environ.setdefault("MSKNET_REQUIRE_2FA", "false")
    if reset:
        database = var_dir / "demo.sqlite3"
        database.unlink(missing_ok=True)
    setup_django()
    from django.core.management import call_command

    from msknet.demo import DEMO_PASSWORD, demo_logins, load_demo_data

    call_command("migrate", "--noinput", verbosity=0)
    created = load_demo_data()
    click.echo("Demo data loaded." if created else "Demo data already present.")
    call_command("collectstatic", "--noinput", verbosity=0)
    click.echo(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for role, email in demo_logins():
        click.echo(f"  {role:<40} {email}")
    if os.environ["MSKNET_REQUIRE_2FA"].lower() in {"0", "false", "no", "off"}:
        click.echo(
            "\nTwo-factor authentication is optional in the demo, so leads sign in "
            "with the password alone. Production requires it of leads, steering "
            "group members and event organisers (MSKNET_REQUIRE_2FA)."
        )
    if serve_:
        click.echo(f"\nServing http://{bind}/ with a task worker (Ctrl+C to stop)\n")
        with worker_beside():
            run_gunicorn(bind, workers=2, threads=4)


@contextmanager
def worker_beside() -> Iterator[subprocess.Popen[bytes]]:
    """Run `msknet worker` as a child process while the block runs.

    Gunicorn forks its web workers inside the block, and they leave it too
    when they exit: only the process that started the task worker stops it.
    The worker has a process group of its own, so that a signal to the
    demo's group (Ctrl+C) reaches its main process alone, which stops its
    own processes in order (they hang if each is signalled at once).
    """
    owner = os.getpid()
    child = subprocess.Popen(
        [sys.executable, "-m", "msknet.cli", "worker"],
        env=os.environ.copy(),
        start_new_session=True,
    )
    try:
        yield child
    finally:
        if os.getpid() == owner and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


@cli.command()
@click.option(
    "--processes",
    type=int,
    default=None,
    help="Tasks run at once by this worker [default: WORKER_PROCESSES or 2].",
)
def worker(processes: int | None) -> None:
    """Run background tasks and scheduled jobs until stopped.

    Emails, digests, event reminders and indicator imports run here, taking
    their tasks from the database. Run one beside each web server, or
    several: each task is run by one of them. Stop it with SIGTERM or Ctrl+C;
    it finishes the tasks it has started.

    Example:

    \b
        DATABASE_URL=postgres://... msknet worker
    """
    if processes is not None:
        os.environ["WORKER_PROCESSES"] = str(processes)
    setup_django()
    from django.core.management import call_command

    from msknet.core.tasks import on_worker_start

    on_worker_start()
    call_command("qcluster")


@cli.group()
def tasks() -> None:
    """Background tasks: see those that failed."""


@tasks.command("failed")
@click.option("--network", "network_slug", help="A network's failures, by its slug.")
@click.option("--limit", default=50, show_default=True, type=int)
def tasks_failed(network_slug: str | None, limit: int) -> None:
    """List background tasks that failed for good, newest first, with their errors.

    Without --network it lists those tied to no network (scheduled jobs,
    emails about no network), which no lead sees; a network's own failures
    are also on its leads' failed-tasks page.

    Example:

    \b
        msknet tasks failed
        msknet tasks failed --network london
    """
    setup_django()
    from msknet.core.tasks import failed_tasks, short_error
    from msknet.members.models import Network

    network_pk = None
    if network_slug:
        found = Network.objects.filter(slug=network_slug).first()
        if found is None:
            raise click.BadParameter(f"no network {network_slug!r}", param_hint="--network")
        network_pk = found.pk
    failures = list(failed_tasks(network_pk)[:limit])
    if not failures:
        click.echo("No task has failed.")
    for failure in failures:
        when = failure.stopped.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{when}  {failure.name}: {short_error(failure.result)}")


@cli.group()
def network() -> None:
    """Set up the networks a deployment hosts."""


@network.command("create")
@click.option("--slug", required=True, help="Short name in web addresses, e.g. london")
@click.option("--name", required=True, help="Full name of the network")
@click.option("--short-name", required=True, help="Name for headings, e.g. London MSK")
@click.option("--summary", required=True, help="One sentence for listings")
@click.option("--region", "region_code", help="NHS England region code, e.g. Y56")
@click.option("--icb", "icb_codes", multiple=True, help="ICB ODS code; repeat for each")
@click.option("--topic", "topics", multiple=True, help="A topic; repeat for each")
@click.option("--lead-email", required=True, help="The first network lead's email")
@click.option("--lead-name", required=True, help="The first network lead's name")
def network_create(
    slug: str,
    name: str,
    short_name: str,
    summary: str,
    region_code: str | None,
    icb_codes: tuple[str, ...],
    topics: tuple[str, ...],
    lead_email: str,
    lead_name: str,
) -> None:
    """Create a network and its first lead, who can then invite everyone else.

    Example:

    \b
        msknet network create --slug london --name "London MSK Health Improvement
        Network" --short-name "London MSK" --summary "..." --region Y56 --icb QMJ
        --icb QMF --lead-email lead@example.nhs.uk --lead-name "A Lead"
    """
    setup_django()
    from msknet.members.actions.joining import set_password_url
    from msknet.members.actions.networks import create_network
    from msknet.members.models import ICB, Network, Region

    if Network.objects.filter(slug=slug).exists():
        raise click.BadParameter(f"a network with slug {slug!r} exists", param_hint="--slug")
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code.upper()).first()
        if region is None:
            raise click.BadParameter(f"no NHS region {region_code!r}", param_hint="--region")
    icbs = list(ICB.objects.filter(ods_code__in=[c.upper() for c in icb_codes]))
    unknown = sorted({c.upper() for c in icb_codes} - {i.ods_code for i in icbs})
    if unknown:
        raise click.BadParameter(f"unknown ICB code(s): {', '.join(unknown)}",
                                 param_hint="--icb")
    created = create_network(
        slug=slug, name=name, short_name=short_name, summary=summary, region=region,
        icbs=icbs, lead_email=lead_email, lead_name=lead_name, topics=topics,
    )
    lead = created.memberships.get().user
    from django.conf import settings

    click.echo(f"Created {created.name} ({created.get_absolute_url()}).")
    if not lead.has_usable_password():
        click.echo(f"The lead creates a password at {settings.SITE_URL}"
                   f"{set_password_url(lead)}")


from msknet.insights.cli import insights_cli

cli.add_command(insights_cli, name="insights")


from msknet.community.cli import events_cli

cli.add_command(events_cli, name="events")


cli.add_command(prescribing_cli, name="prescribing")


from msknet.communications.cli import notifications_cli

cli.add_command(notifications_cli, name="notifications")


from msknet.communications.news_cli import news_cli

cli.add_command(news_cli, name="news")


from msknet.innovations.cli import innovations_cli

cli.add_command(innovations_cli, name="innovations")


from msknet.landscape.cli import landscape_cli

cli.add_command(landscape_cli, name="landscape")


from msknet.surveys.cli import surveys_cli

cli.add_command(surveys_cli, name="surveys")


if __name__ == "__main__":
    cli()
