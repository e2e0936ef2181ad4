"""Start the test identity provider (tests/oidc/provider.mjs) and sign in at it.

The provider is the real `oidc-provider` from npm, run with Node on a free
port on 127.0.0.1; tests point the site's single sign-on settings at it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

PROVIDER_SCRIPT = Path(__file__).with_name("provider.mjs")
PROJECT_DIR = PROVIDER_SCRIPT.parents[2]
CLIENT_ID = "msknet-test"
CLIENT_SECRET = "msknet-test-secret-0123456789"
CALLBACK_PATH = "/account/sso/callback/"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def configure(self, settings, *, display_name="NHS.net (Microsoft Entra ID)"):
        """Point the site's single sign-on at this provider."""
        settings.OIDC_ISSUER = self.issuer
        settings.OIDC_RP_CLIENT_ID = self.client_id
        settings.OIDC_RP_CLIENT_SECRET = self.client_secret
        settings.OIDC_DISPLAY_NAME = display_name
        settings.OIDC_EMAIL_VERIFIED_CLAIM = "email_verified"


def node() -> str:
    found = shutil.which("node")
    if found is None:
        message = "Single sign-on tests need Node.js (node) to run the test provider"
        if os.environ.get("MSKNET_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextmanager
def running_provider(redirect_uris: list[str]) -> Iterator[Provider]:
    """The provider, answering discovery, until the block ends."""
    process = subprocess.Popen(
        [node(), str(PROVIDER_SCRIPT)],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "OIDC_TEST_CLIENT_ID": CLIENT_ID,
            "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_TEST_REDIRECT_URIS": ",".join(redirect_uris),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("ready "):
            raise RuntimeError(f"The test OIDC provider did not start: {line!r}")
        provider = Provider(issuer=line.split()[1])
        wait_for_discovery(provider.issuer)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def wait_for_discovery(issuer: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    url = f"{issuer}/.well-known/openid-configuration"
    while True:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} seconds")
        time.sleep(0.1)


def sign_in_at_provider(
    authorize_url: str, login: str, *, site: str = "http://testserver"
) -> str:
    """Sign in at the provider's login page as `login`, as a browser would.

    Returns the URL the provider sends the person back to (the site's
    callback, with the code and state).
    """
    session = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'value="login"' in response.text:
            # The provider's login form posts back to the interaction URL.
            response = session.post(
                response.url,
                data={"prompt": "login", "login": login, "password": "any"},
                allow_redirects=False,
                timeout=10,
            )
        if response.status_code not in {302, 303}:
            raise AssertionError(
                f"The provider answered {response.status_code}: {response.text[:500]}"
            )
        url = urljoin(response.url, response.headers["Location"])
        if url.startswith(site):
            return url
    raise AssertionError("The provider never sent the person back to the site")
