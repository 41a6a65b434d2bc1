"""Decisions in the browser: within delegation with the letter; above delegation with
the unit manager's approval; an appeal with its forwarding clock."""

import re

from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Application
from tests.browser.test_callbacks import log_out
from tests.browser.test_login import log_in


def open_application(page, live_server, first_name):
    application = Application.objects.get(applicant__first_name=first_name)
    page.goto(f"{live_server.url}/arenden/{application.case_id}/ansokningar/{application.pk}/")
    return application


def decide(page, *, child_impact=None):
    page.get_by_role("link", name="Beslut", exact=True).click()
    page.get_by_label("Motivering").fill(
        "Hushållet saknar egna medel. Socialtjänstlagen 12 kap. 1 §."
    )
    if child_impact:
        page.get_by_label("Barnperspektiv").fill(child_impact)
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator(".messages")).to_contain_text("Beslutsutkastet är sparat")


def test_decision_within_delegation_and_letter(page, live_server, demo_data):
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    open_application(page, live_server, "Maja")
    decide(page)

    page.get_by_role("button", name="Fatta beslutet").click()
    expect(page.locator(".page-head__meta")).to_contain_text("Beslutat")
    letter = page.get_by_role("link", name="Ladda ner brevet")
    response = page.context.request.get(live_server.url + letter.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # Sent and received today (a posting date alone would leave the last day uncertain),
    # appealed today: the forwarding clock appears.
    page.get_by_label("Personen fick beslutet").fill(
        page.get_by_label("Beslutet skickades").input_value()
    )
    page.get_by_role("button", name="Registrera delgivning").click()
    expect(page.locator(".messages")).to_contain_text("Delgivningen är registrerad")
    page.get_by_text("Registrera överklagande").click()
    page.get_by_role("region", name="Överklaganden").get_by_role(
        "button", name="Registrera"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Överklagande av beslut")
    expect(page.get_by_text("I rätt tid", exact=True)).to_be_visible()
    expect(page.locator("time[data-countdown]")).to_contain_text(re.compile(r"^om "))


def test_decision_above_delegation_is_approved_by_the_unit_manager(page, live_server, demo_data):
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    open_application(page, live_server, "Ali")
    decide(page, child_impact="Barnens behov är tillgodosedda genom normen.")

    expect(page.get_by_text("utanför din delegation")).to_be_visible()
    page.get_by_role("button", name="Skicka för godkännande").click()
    expect(page.locator(".page-head__meta")).to_contain_text("Väntar på godkännande")
    log_out(page)

    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)
    page.get_by_role("link", name="Att godkänna").click()
    page.get_by_role("row").filter(has_text="Ali Exempel").get_by_role("link").click()
    page.get_by_role("button", name="Godkänn och fatta beslutet").click()
    expect(page.locator(".messages")).to_contain_text("godkänt och fattat")
    expect(page.locator(".page-head__meta")).to_contain_text("Beslutat")
    expect(page.get_by_text("Föredragande")).to_be_visible()
