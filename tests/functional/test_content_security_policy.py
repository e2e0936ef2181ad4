"""Pages work under the site's Content-Security-Policy, and the browser tests'
guard catches what the policy refuses and assets that are missing."""

from playwright.sync_api import expect

from .conftest import REPORT_CSP_VIOLATIONS, BrowserGuard


def test_api_docs_draw_offline_under_the_policy(page):
    page.goto("/api/docs")

    # Swagger UI drew the schema from /api/openapi.json: title and operations.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("msknet API")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("List networks").first).to_be_visible()


def test_search_box_icon_loads_from_where_the_nhsuk_stylesheet_asks(page, network):
    page.goto("/")
    page.wait_for_load_state("load")

    # Chromium draws the NHS.UK clear-search icon (a CSS mask at
    # /assets/images/...) once a search box has text in it.
    with page.expect_response("**/assets/images/nhsuk-icon-cross.svg") as icon:
        page.evaluate("""() => {
            const box = document.createElement("input");
            box.className = "nhsuk-input";
            box.type = "search";
            box.value = "physiotherapy";
            box.setAttribute("aria-label", "Search");
            document.querySelector("main").append(box);
            box.focus();
        }""")

    assert icon.value.status == 200


def test_guard_reports_policy_violations_and_missing_assets(browser, live_server,
                                                            _urls_loaded, network):
    # The guard on its own page, so this test can look at what it found
    # instead of failing when the page closes.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    guard = BrowserGuard(live_server.url)
    context.on("page", guard.watch)
    page = context.new_page()
    page.goto("/")
    page.wait_for_load_state("load")

    with page.expect_response("**/static/msknet/no-such-file.css"):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "document.title = 'injected'";
            document.body.append(script);
            const style = document.createElement("style");
            style.textContent = "body { color: red; }";
            document.head.append(style);
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "/static/msknet/no-such-file.css";
            document.head.append(link);
        }""")
    page.wait_for_timeout(200)  # violation reports are queued as tasks
    title = page.title()
    context.close()

    assert title != "injected"
    problems = "\n".join(guard.problems)
    assert "script-src-elem blocked inline" in problems
    assert "style-src-elem blocked inline" in problems
    assert f"404 for stylesheet {live_server.url}/static/msknet/no-such-file.css" in (
        problems
    )
