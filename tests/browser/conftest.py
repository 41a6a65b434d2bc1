"""Playwright harness: Debian's Chromium (never a downloaded browser) against Django's
live test server. Playwright's sync API runs an event loop in this thread, so Django's
async-safety check must be told that the ORM calls in tests are deliberate."""

import os

import pytest

CHROMIUM = os.environ.get("VAGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the CI user is root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine's network is closed: no background fetches, no component updates.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Webbläsartesterna behöver Chromium på {CHROMIUM} (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(transactional_db):
    from cases.demo import load_demo
    from signin.demo import load_demo_signin

    load_demo()
    # The demo users' TOTP devices (their codes: signin.demo.demo_totp_code) and the
    # demo IdP's group mappings, as `make run` loads them.
    load_demo_signin()
