"""`make demo` end to end: the demo command sets up and serves the site."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def status_and_policy(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        response.read()
        return response.status, response.headers["Content-Security-Policy"]


@pytest.mark.slow
@pytest.mark.server
def test_demo_command_serves_the_demo_with_its_sign_ins(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS",
                     "DJANGO_ALLOW_ASYNC_UNSAFE", "MSKNET_DATA_DIR"}
    }
    env.update(MSKNET_VAR_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path / "static"))
    log = tmp_path / "demo.log"
    with log.open("w") as output:  # the server holds its own copy
        server = subprocess.Popen(
            [sys.executable, "-m", "msknet.cli", "demo", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
    try:
        # A timeout, not a speed goal: migrating and loading the demo takes about
        # a minute on a quiet machine, several on a busy one.
        deadline = time.monotonic() + 300
        while True:
            try:
                status, home = fetch(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.5)
        _, network = fetch(f"http://127.0.0.1:{port}/n/nenc/")
        _, prescribing = fetch(f"http://127.0.0.1:{port}/n/nenc/prescribing/")
        _, sign_in = fetch(f"http://127.0.0.1:{port}/account/sign-in/")
        # The collected static files: everything the chart page names (its
        # scripts, stylesheets and import map) and the NHS.UK icons at /assets/.
        assets = sorted(set(re.findall(r'"(/static/[^"]+)"', prescribing)))
        assets.append("/assets/images/nhsuk-icon-cross.svg")
        served = {a: status_and_policy(f"http://127.0.0.1:{port}{a}") for a in assets}
        _, page_policy = status_and_policy(f"http://127.0.0.1:{port}/n/nenc/prescribing/")
        # The task worker started beside the web server.
        while not re.search(r"Q Cluster [\w-]+ \[msknet\] running", log.read_text()):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        output = log.read_text()

    assert status == 200
    assert "London MSK Health Improvement Network" in home
    assert "North East and North Cumbria" in network
    assert "Practices with the largest potential reductions" in prescribing
    assert 'name="password"' in sign_in
    assert any("vega-interpreter" in asset for asset in served)
    assert {asset: status for asset, (status, _) in served.items()} == dict.fromkeys(
        assets, 200
    )
    assert "script-src 'self' 'nonce-" in page_policy
    assert "lead@london.example.nhs.uk" in output
    assert "password for all: msk-demo-2026" in output
    assert "Two-factor authentication is optional in the demo" in output
    # The task worker stopped with the web server.
    assert re.search(r"Q Cluster [\w-]+ has stopped", output), output
