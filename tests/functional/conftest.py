"""Browser tests: Playwright driving Debian's chromium, checked with axe-core."""

import functools
import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("MSKNET_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Browser tests need chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("MSKNET_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _urls_loaded():
    """Import every page and API module before the first browser request.

    The live server would otherwise do it inside the first page load (charts,
    statistics and every app's views), which can outlast a page timeout.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URL modules)
    return True


# Runs in every document before its own scripts: reports each
# Content-Security-Policy violation to the console, where the guard sees it.
CSP_VIOLATION = "Content-Security-Policy violation:"
REPORT_CSP_VIOLATIONS = """(() => {
  document.addEventListener("securitypolicyviolation", (event) => {
    console.error("PREFIX " + JSON.stringify({
      directive: event.effectiveDirective,
      blocked: event.blockedURI || "inline",
      document: event.documentURI,
      source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : "",
    }));
  });
})();""".replace("PREFIX", CSP_VIOLATION)


class PageProblems(AssertionError):
    pass


class BrowserGuard:
    """What went wrong in the browser behind the test's back.

    Every Content-Security-Policy violation on the site's pages (reported by
    the init script above; other sites a journey passes through, such as an
    identity provider, keep their own rules) and every request for the site's
    own assets (stylesheets, scripts, images, fonts, icons) answered 400 or
    above. The `page` fixture fails the test on any of them when it ends.
    """

    ASSET_TYPES = {"stylesheet", "script", "image", "font", "media", "manifest", "other"}

    def __init__(self, origin):
        self.origin = origin
        self.problems = []

    def watch(self, page):
        page.on("console", self.on_console)
        page.on("response", self.on_response)

    def on_console(self, message):
        if not message.text.startswith(CSP_VIOLATION):
            return
        violation = json.loads(message.text.removeprefix(CSP_VIOLATION))
        if violation["document"].startswith(self.origin):
            self.problems.append(
                f"{CSP_VIOLATION} {violation['directive']} blocked "
                f"{violation['blocked']} on {violation['document']} "
                f"{violation['source']}".rstrip()
            )

    def on_response(self, response):
        request = response.request
        if (
            response.status >= 400
            and request.resource_type in self.ASSET_TYPES
            and response.url.startswith(self.origin)
        ):
            self.problems.append(
                f"{response.status} for {request.resource_type} {response.url} "
                f"(asked for by {request.frame.url})"
            )

    def check(self):
        if self.problems:
            raise PageProblems(
                "The browser reported problems:\n"
                + "\n".join(f"- {problem}" for problem in self.problems)
            )


@pytest.fixture
def page(browser, live_server, _urls_loaded):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    guard = BrowserGuard(live_server.url)
    context.on("page", guard.watch)
    page = context.new_page()
    yield page
    context.close()
    guard.check()


class AxeViolations(AssertionError):
    pass


@functools.cache
def axe_source():
    return AXE.read_text()


def assert_accessible(page):
    """No serious or critical axe violations (WCAG 2.2 A/AA rules) on the page."""
    # The NHS header moves navigation links that do not fit into its "More"
    # menu once the page has loaded: check the page as it settles, not midway.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                  "requestAnimationFrame(r)))")
    # Evaluated through the DevTools protocol, not as a <script> element,
    # which the site's Content-Security-Policy would refuse.
    page.evaluate(axe_source())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                            'wcag21aa', 'wcag22aa']},
            resultTypes: ['violations'],
        })"""
    )
    serious = [
        v for v in result["violations"] if v["impact"] in {"serious", "critical"}
    ]
    if serious:
        lines = [f"axe found problems on {page.url}:"]
        for violation in serious:
            targets = [", ".join(n["target"]) for n in violation["nodes"][:5]]
            lines.append(f"- {violation['id']} ({violation['impact']}): "
                         f"{violation['help']} at {targets}")
        raise AxeViolations("\n".join(lines))


@pytest.fixture
def accessible():
    return assert_accessible


def follow_nav_link(page, name):
    """Follow a link in the site header, opening its "More" menu if the link
    did not fit in the header (the NHS header moves those links there)."""
    page.wait_for_load_state("load")
    navigation = page.locator(".nhsuk-header__navigation")
    link = navigation.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        navigation.locator(".nhsuk-header__menu-toggle").click()
    link.click()


@pytest.fixture
def follow_nav():
    return follow_nav_link


def complete_two_factor(page, user):
    """After the password step: enter a code from the person's authenticator
    app if the site asks for one, or add an app if the site sends them to set
    one up (leads, steering group members, event organisers), as they would
    with their phone. Anyone else is already signed in. `user` may be given
    by email address."""
    from urllib.parse import urlparse

    from django.urls import reverse

    from msknet.members.models import User
    from tests.factories.two_factor import app_device, code_for_key, current_code

    if isinstance(user, str):
        user = User.objects.get(email=user)

    sign_in = reverse("sign-in")
    page.wait_for_url(lambda url: urlparse(url).path != sign_in)
    path = urlparse(page.url).path
    if path == reverse("two-factor-verify"):
        page.get_by_label("Security code").fill(current_code(app_device(user)))
        page.get_by_role("button", name="Continue").click()
    elif path == reverse("two-factor-set-up"):
        key = page.locator("#two-factor-secret").inner_text()
        page.get_by_label("Code from your authenticator app").fill(code_for_key(key))
        page.get_by_role("button", name="Continue").click()
        page.get_by_text("I have saved my recovery codes").click()
    page.wait_for_load_state("load")
