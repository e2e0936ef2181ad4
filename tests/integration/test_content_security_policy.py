"""The Content-Security-Policy on every response, and templates that keep to it.

docs/decisions/0008-content-security-policy.md explains the policy.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.urls import path, reverse

from msknet.config import urls as site_urls
from msknet.core.gate import public

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, set[str]]:
    """The response's Content-Security-Policy as {directive: {sources}}."""
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == {"'self'"}
    assert directives["script-src"] <= {"'self'"} | {
        source for source in directives["script-src"] if source.startswith("'nonce-")
    }
    assert directives["style-src"] == {"'self'"}
    assert directives["img-src"] == {"'self'", "data:"}
    assert directives["font-src"] == {"'self'", "https://assets.nhs.uk"}
    assert directives["connect-src"] == {"'self'"}
    assert directives["frame-ancestors"] == {"'none'"}
    assert directives["form-action"] == {"'self'"}
    assert directives["base-uri"] == {"'self'"}
    assert directives["object-src"] == {"'none'"}
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def boom(request: HttpRequest):
    raise RuntimeError("a bug")


# This module is the URLconf for the server-error test: the site's URLs and
# one page that fails.
urlpatterns = [path("boom/", public(boom)), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def test_pages_carry_the_policy(client, network):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert_strict(response)


def test_api_responses_carry_the_policy(client, network):
    response = client.get("/api/networks")

    assert response.status_code == 200
    assert_strict(response)


def test_api_docs_carry_the_policy_and_load_only_local_scripts(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert_strict(response)
    assert re.findall(r'<script src="([^"]+)"', response.text) == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]


def test_api_docs_schema_has_no_repeated_keys(client, db):
    # Swagger UI parses the schema as YAML and refuses the whole document
    # ("duplicated mapping key") if an object repeats a key, as a response
    # code given both as 401 and "401" would.
    repeated = []

    def no_repeats(pairs):
        keys = [key for key, _ in pairs]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=no_repeats)

    assert repeated == []


def test_not_found_page_carries_the_policy(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_strict(response)


@pytest.mark.urls(__name__)
def test_server_error_page_carries_the_policy(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert_strict(response)


class ScriptsAndStyles(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' refuses."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = []  # (attributes, body) of <script> without src
        self.style_attributes = []
        self.style_elements = 0
        self.event_handlers = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes.append((tag, attributes["style"]))
        self.event_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "style":
            self.style_elements += 1
        if tag == "script" and "src" not in attributes:
            self._script = (attributes, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.inline_scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def parse(html: str) -> ScriptsAndStyles:
    parser = ScriptsAndStyles()
    parser.feed(html)
    return parser


def test_chart_page_runs_only_its_import_map_inline_with_the_headers_nonce(
    client, network, steering
):
    client.force_login(steering)

    response = client.get(reverse("network-dashboard", args=[network.slug]))

    nonces = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    page = parse(response.text)
    executable = [
        (attributes, body)
        for attributes, body in page.inline_scripts
        if attributes.get("type") != "application/json"  # chart specs: data
    ]
    assert len(executable) == 1
    attributes, body = executable[0]
    assert attributes["type"] == "importmap"
    assert f"'nonce-{attributes['nonce']}'" == nonces[0]
    assert '"vega-interpreter"' in body
    assert page.style_attributes == [] and page.style_elements == 0
    assert page.event_handlers == []


def test_pages_without_charts_have_no_nonce_and_nothing_inline(client, member):
    client.force_login(member)

    response = client.get(reverse("account"))

    assert response.status_code == 200
    assert not any(s.startswith("'nonce-") for s in policy(response)["script-src"])
    page = parse(response.text)
    assert page.inline_scripts == []
    assert page.style_attributes == [] and page.style_elements == 0
    assert page.event_handlers == []


INLINE = re.compile(
    r"<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\b(?:src=|type=\"application/json\"|nonce=))",
    re.IGNORECASE,
)


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    # Emails are not pages: mail clients need inline styles, and no browser
    # applies the site's policy to them.
    templates = sorted(
        template
        for template in (ROOT / "msknet").rglob("templates/**/*.html")
        if "email" not in template.relative_to(ROOT).parts
    )
    assert templates

    found = [
        f"{template.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: "
        f"{match.group(0).strip()}"
        for template in templates
        for text in [template.read_text()]
        for match in INLINE.finditer(text)
    ]

    assert found == []


def test_nhsuk_icons_are_served_where_the_stylesheet_asks_for_them(client):
    stylesheet = (
        ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
        / "nhsuk-frontend.min.css"
    ).read_text()
    icons = sorted(set(re.findall(r"url\((/assets/[^)]+)\)", stylesheet)))
    assert "/assets/images/nhsuk-icon-cross.svg" in icons

    for icon in icons:
        response = client.get(icon)
        body = b"".join(response.streaming_content)
        response.close()
        assert response.status_code == 200, icon
        assert response.headers["Content-Type"] == "image/svg+xml"
        assert body.lstrip().startswith(b"<svg")


def test_form_action_allows_the_single_sign_on_provider_when_configured(
    client, settings
):
    settings.OIDC_ISSUER = "https://login.example.nhs.uk/tenant-1/v2.0"

    response = client.get(reverse("sign-in"))

    assert policy(response)["form-action"] == {
        "'self'",
        "https://login.example.nhs.uk",
    }
