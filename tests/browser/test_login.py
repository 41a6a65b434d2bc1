"""Each demo user logs in through the real login page – password, then the one-time
code from their authenticator (the demo devices' codes are computed here as the app
would) – and sees their start page."""

import re
import time

import pytest
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD, DEMO_USERS

START_HEADINGS = {
    "reception": "Dagens kontakter",
    "caseworker": "Mitt arbete",
    "unit_manager": "Min enhet",
    "administrator": "Administration",
    "board_secretary": "Socialnämnden",  # the nämnd of the secretary's unit (issue 16)
}


def current_code(username: str) -> str:
    """The code the user's authenticator app shows now – or the next one, when this
    step's code was used already (django-otp accepts each code once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from signin.demo import demo_totp_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now_step = (int(time.time()) - device.t0) // device.step + device.drift
    return demo_totp_code(username, step_offset=1 if device.last_t >= now_step else 0)


def log_in(page, live_server, username, password, *, second_factor=True):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    if second_factor:
        expect(page.get_by_role("heading", level=1)).to_have_text("Ange engångskod")
        page.get_by_role("textbox", name="Engångskod").fill(current_code(username))
        page.get_by_role("button", name="Fortsätt").click()


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda spec: spec.username)
def test_demo_user_logs_in_and_sees_start_page(page, live_server, demo_data, spec):
    log_in(page, live_server, spec.username, DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_contain_text(START_HEADINGS[spec.role.value])
    header = page.get_by_role("banner")
    expect(header).to_contain_text(f"{spec.first_name} {spec.last_name}")
    expect(header).to_contain_text(str(spec.role.label))

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/"))


def test_wrong_password_shows_swedish_error(page, live_server, demo_data):
    log_in(page, live_server, "erik.handlaggare", "fel-lösenord", second_factor=False)

    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    expect(page.get_by_label("Användarnamn")).to_have_value("erik.handlaggare")


def test_skip_link_is_first_tab_stop(page, live_server, demo_data):
    log_in(page, live_server, "sara.handlaggare", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")

    page.keyboard.press("Tab")

    expect(page.locator(":focus")).to_have_text(re.compile("Hoppa till innehållet"))
