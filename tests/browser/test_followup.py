"""The unit manager follows up: dashboard → overdue list, a case review, the month's
log review and the monthly statistics file."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from tests.browser.test_login import log_in


def test_unit_manager_follow_up(page, live_server, demo_data):
    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning: Nord")

    # The demo's overdue callback: from the count to the list.
    page.get_by_role("link", name=re.compile(r"återkopplingar försenade")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Försenade: Återkopplingar")
    expect(page.locator("tr.row--alert")).not_to_have_count(0)

    page.goto(f"{live_server.url}/uppfoljning/arendegenomgangar/")
    page.get_by_label("Handläggare").select_option(label="Erik Holm")
    page.get_by_label("Anteckningar").fill("Gick igenom Eriks ärenden.")
    page.get_by_role("button", name="Spara genomgången").click()
    expect(page.locator(".messages")).to_contain_text("Ärendegenomgången är registrerad")

    page.goto(f"{live_server.url}/uppfoljning/logggranskning/")
    page.get_by_role("button", name="Markera månadens granskning som gjord").click()
    expect(page.get_by_text("Granskad")).to_be_visible()

    # This month, whatever the day (before the 15th the page opens on last month's report).
    page.goto(f"{live_server.url}/uppfoljning/statistik/?manad={timezone.localdate():%Y-%m}")
    # The demo's one household decided this month, its applicant's försörjningshinder.
    hindrances = page.get_by_role("table", name="Försörjningshinder per vuxen")
    expect(hindrances.locator("tfoot")).to_contain_text("1")
    link = page.get_by_role("link", name="Ladda ner CSV till Socialstyrelsen")
    response = page.context.request.get(
        live_server.url + "/uppfoljning/statistik/" + link.get_attribute("href")
    )
    assert response.status == 200
    assert "hushall;;Hushåll med utbetalt bistånd;1;" in response.text()
    assert "forsorjningshinder;uppgift_saknas" not in response.text()
