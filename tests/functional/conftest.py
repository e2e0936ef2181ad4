"""Browser tests: Playwright driving Debian's chromium, checked with axe-core."""

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


@pytest.fixture
def page(browser, live_server, _urls_loaded):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


def assert_accessible(page):
    """No serious or critical axe violations (WCAG 2.2 A/AA rules) on the page."""
    # The NHS header moves navigation links that do not fit into its "More"
    # menu once the page has loaded: check the page as it settles, not midway.
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                  "requestAnimationFrame(r)))")
    page.add_script_tag(path=str(AXE))
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
