import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.members.models import Membership, Network, Role

pytestmark = pytest.mark.django_db


def test_network_create_makes_network_and_first_lead():
    result = CliRunner().invoke(cli, [
        "network", "create", "--slug", "gm", "--name", "Greater Manchester MSK Network",
        "--short-name", "GM MSK", "--summary", "MSK in Greater Manchester",
        "--region", "Y62", "--icb", "QOP", "--topic", "Spinal services",
        "--lead-email", "Lead@Example.nhs.uk", "--lead-name", "Sam Lead",
    ])

    assert result.exit_code == 0, result.output
    network = Network.objects.get(slug="gm")
    assert [i.ods_code for i in network.icbs.all()] == ["QOP"]
    assert network.topics.get().name == "Spinal services"
    lead = Membership.objects.get(network=network)
    assert lead.role == Role.LEAD and lead.user.email == "lead@example.nhs.uk"
    assert "/account/set-password/" in result.output


def test_network_create_names_an_unknown_icb():
    result = CliRunner().invoke(cli, [
        "network", "create", "--slug", "x", "--name", "X", "--short-name", "X",
        "--summary", "X", "--icb", "ZZZ", "--lead-email", "a@b.org", "--lead-name", "A",
    ])

    assert result.exit_code == 2
    assert "unknown ICB code(s): ZZZ" in result.output
    assert not Network.objects.exists()


# msknet serve -------------------------------------------------------------------

STRONG_KEY = "k3Y-" + "x7Qp9Lm2Zt" * 6  # 64 characters, 14 different


@pytest.fixture
def gunicorn(monkeypatch):
    """Record what serve would start, instead of starting gunicorn."""
    # The browser tests' conftest sets this for Playwright in the same worker;
    # serve's deployment check rightly refuses it (async.E001).
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    started = []
    monkeypatch.setattr(
        "msknet.cli.run_gunicorn", lambda *args: started.append(args)
    )
    return started


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.SESSION_COOKIE_SECURE = True  # HTTPS=true
    settings.SECURE_PROXY_SSL_HEADER = None
    return settings


def serve(*args):
    return CliRunner().invoke(cli, ["serve", "--no-collectstatic", *args])


def test_serve_starts_with_a_strong_key_over_https(production, gunicorn):
    result = serve("--bind", "0.0.0.0:8000")

    assert result.exit_code == 0, result.output
    assert gunicorn == [("0.0.0.0:8000", 2, 4)]


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Zq81",
        "ab" * 40,  # long, but only two different characters
        "django-insecure-" + "q8Zr2Lp0Xv" * 5,
        "insecure-development-key-do-not-use-in-production",
    ],
)
def test_serve_refuses_a_weak_secret_key(production, gunicorn, key):
    production.SECRET_KEY = key

    result = serve()

    assert result.exit_code == 1
    assert "msknet serve will not start" in result.output
    assert "SECRET_KEY is weak" in result.output
    assert gunicorn == []


def test_serve_refuses_plain_http(production, gunicorn):
    production.SESSION_COOKIE_SECURE = False  # HTTPS=false

    result = serve()

    assert result.exit_code == 1
    assert "HTTPS is off" in result.output
    assert "--behind-tls-proxy" in result.output
    assert gunicorn == []


def test_serve_plain_http_when_told_a_proxy_ends_tls(production, gunicorn):
    production.SESSION_COOKIE_SECURE = False

    flagged = serve("--behind-tls-proxy")
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    from_settings = serve()  # BEHIND_PROXY=true

    assert (flagged.exit_code, from_settings.exit_code) == (0, 0), flagged.output
    assert len(gunicorn) == 2


def test_serve_names_every_problem_at_once(production, gunicorn):
    production.SECRET_KEY = "changeme"
    production.SESSION_COOKIE_SECURE = False

    result = serve()

    assert "SECRET_KEY is weak" in result.output
    assert "HTTPS is off" in result.output


def test_serve_does_not_check_a_development_site(production, gunicorn):
    production.DEBUG = True
    production.SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    production.SESSION_COOKIE_SECURE = False

    result = serve()

    assert result.exit_code == 0, result.output
