"""*Spara beräkningen* clicked while the live preview's request is still on its way
(issue 14: on SQLite the preview's write used to take the lock at the moment of the
save – a 500). The preview request is held by Playwright (``page.route``) until the
save has been clicked, and then let through, so both reach the server together: no
500, and the saved calculation is the one typed."""

from datetime import date

from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Application, User
from cases.norms import monthly_riksnorm
from cases.services.applications import application_register
from cases.tests.factories import CaseFactory, PersonFactory
from tests.browser.test_cases import kronor
from tests.browser.test_login import log_in


def test_save_while_the_preview_is_in_flight(page, live_server, demo_data):
    erik = User.objects.get(username="erik.handlaggare")
    applicant = PersonFactory(first_name="Vera", last_name="Väntesson", birth_date=date(1984, 5, 6))
    case = CaseFactory(caseworker=erik, applicant=applicant)
    application = application_register(
        case, actor=erik, month=date(2026, 11, 1), channel="e_service", applicant=applicant
    )
    server_errors: list[str] = []
    page.on(
        "response",
        lambda response: (
            server_errors.append(f"{response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    held = []
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/arenden/{case.pk}/ansokningar/{application.pk}/")
    expect(page.get_by_role("button", name="Spara beräkningen")).to_be_visible()
    preview_url = page.locator("form[hx-post]").get_attribute("hx-post")
    page.route(f"**{preview_url}", lambda route: held.append(route))

    page.get_by_label("Kostnad rad 1", exact=True).select_option("rent")
    page.get_by_label("Faktisk rad 1", exact=True).fill("8000")
    page.get_by_label("Inkomst rad 1", exact=True).select_option("salary")
    with page.expect_request(lambda request: request.url.endswith(preview_url)):
        page.get_by_label("Godtagen rad 1", exact=True).fill("7500")
        page.get_by_label("Belopp rad 1", exact=True).fill("1500")
    assert held, "the preview request was not sent"

    with page.expect_navigation():
        page.get_by_role("button", name="Spara beräkningen").click()
        for route in held:  # the preview reaches the server while the save is handled
            route.continue_()

    expect(page.locator(".messages")).to_contain_text("Beräkningen är sparad")
    expect(page.locator("#berakning h3")).to_have_text("Sparad beräkning")
    application.refresh_from_db()
    assert application.status == Application.Status.INVESTIGATING
    (rent,) = application.calculation["cost_lines"]
    assert (rent["kind"], rent["actual"], rent["accepted"]) == ("rent", "8000.00", "7500.00")
    expected = monthly_riksnorm(2026, adults=1) + 7500 - 1500
    assert application.result == expected
    expect(page.locator("#berakning-resultat")).to_have_text(kronor(expected))
    assert not server_errors, server_errors
