import os
import subprocess
import sys
from pathlib import Path

import pytest

from msknet.config.settings import parse_email_url

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is a test-only setting.
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x7Gq2-" + "k" * 20 + "-pT9vLw3mZr8sYb4nQe6uJc1aHd5fXo0",
        ALLOWED_HOSTS="msk.example.nhs.uk",
        DEBUG="false",
    )

    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.slow
def test_missing_secret_key_fails_loudly_with_a_hint():
    result = run_manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_email_url_parses_smtp_with_tls():
    parsed = parse_email_url("smtp://user%40nhs.net:p%2Fss@smtp.example.org:587?tls=1")

    assert parsed["EMAIL_HOST"] == "smtp.example.org"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "user@nhs.net"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p/ss"
    assert parsed["EMAIL_USE_TLS"] is True


def test_email_url_rejects_unknown_scheme():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        parse_email_url("carrier-pigeon://loft")
