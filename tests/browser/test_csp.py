"""The Content-Security-Policy in a real browser (issue 13): everyday pages of each role
load with no violation reported – no inline script, handler or style blocked – and
what runs on them still works: htmx's live calculation and polling, the SVG charts and
bars of the unit manager's pages, the countdowns of vagen.js."""

import pytest
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from tests.browser.test_callbacks import log_out
from tests.browser.test_decisions import open_application
from tests.browser.test_login import log_in

# Playwright's init scripts run outside the page's CSP: this listener sees every
# violation, reported or not, including those in fragments htmx swaps in.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error collected."""
    console = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.csp_console = console
    return page


def assert_no_violations(page, where: str) -> None:
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], where
    assert [text for text in page.csp_console if "Content Security Policy" in text] == [], where


def test_everyday_pages_load_without_a_csp_violation(watched, live_server, demo_data):
    page = watched
    page.goto(f"{live_server.url}/logga-in/")
    assert_no_violations(page, "login")

    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_violations(page, "caseworker's start page")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mina ärenden", exact=True
    ).click()
    page.locator("table a[href^='/arenden/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("EB-")
    assert_no_violations(page, "case page")

    # htmx still works under the policy: the live calculation while typing.
    open_application(page, live_server, "Maja")
    page.get_by_label("Kostnad rad 1", exact=True).select_option("rent")
    page.get_by_label("Faktisk rad 1", exact=True).fill("8100")
    page.get_by_label("Godtagen rad 1", exact=True).fill("7100")
    expect(page.locator("#berakning h3")).to_have_text("Beräkning medan du skriver (inte sparad)")
    assert_no_violations(page, "application page with the live calculation")

    # And an htmx request of the kind the unread count polls with (every 60 s).
    with page.expect_response(lambda response: "/aviseringar/olasta/" in response.url) as polled:
        page.evaluate(
            "htmx.ajax('GET', document.querySelector('#unread-count').getAttribute('hx-get'),"
            " {target: '#unread-count', swap: 'outerHTML'})"
        )
    assert polled.value.status == 200
    expect(page.locator("#unread-count")).to_contain_text("Aviseringar")
    assert_no_violations(page, "unread count swapped in")
    log_out(page)

    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)
    for path, what in (
        ("/uppfoljning/", "dashboard with its bars"),
        ("/uppfoljning/indikatorer/", "indicators with their SVG charts"),
        ("/uppfoljning/statistik/", "monthly statistics"),
        ("/uppfoljning/export/", "export page"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_violations(page, what)
    page.goto(f"{live_server.url}/uppfoljning/indikatorer/")
    chart = page.locator("svg.chart__svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 50  # drawn, styled by vagen.css
    log_out(page)

    log_in(page, live_server, "anna.reception", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_violations(page, "reception's start page")
    assert [text for text in page.csp_console if "Refused" in text] == []


def test_the_admin_site_loads_without_a_csp_violation(watched, live_server, demo_data):
    """Django's admin and django-import-export's pages: their scripts are static files.
    The norm export page's inline onchange= is blocked – and reported – so its "select
    all" box is wired by static/js/admin-export.js instead; that one report is expected."""
    page = watched
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    for path in ("/admin/", "/admin/cases/normyear/", "/admin/cases/normyear/import/"):
        page.goto(live_server.url + path)
        assert_no_violations(page, path)
    page.goto(f"{live_server.url}/admin/cases/normyear/")
    page.locator("#content-main a[href$='/change/']").first.click()
    assert_no_violations(page, "norm year change form")

    page.goto(f"{live_server.url}/admin/cases/normyear/export/")
    toggle = page.locator("input.select-toggle")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()
    toggle.uncheck()
    expect(fields.first).not_to_be_checked()  # wired without the inline handler
    toggle.check()
    expect(fields.first).to_be_checked()
    violations = page.evaluate("window.__cspViolations")
    assert violations and all(
        v.startswith(("script-src-attr", "style-src-attr")) for v in violations
    )
