"""Reception logs a contact; the caseworker calls back; an overdue one reaches the
unit manager – through the real pages in Chromium."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import User
from cases.services.contacts import first_contact_register
from tests.browser.test_login import log_in


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/"))


def test_contact_from_reception_to_callback(page, live_server, demo_data):
    log_in(page, live_server, "anna.reception", DEMO_PASSWORD)
    page.get_by_role("link", name="Registrera ny kontakt").click()
    page.get_by_label("Telefon", exact=True).check()
    page.get_by_label("Personnummer").fill("19900602-2397")
    expect(page.locator("#person-lookup")).to_contain_text("Känd i Vägen")
    page.get_by_label("Telefon för återkoppling").fill("070-174 06 09")
    page.get_by_label("Ny ansökan").check()
    page.get_by_label("Kort anteckning").fill("Ringer om ansökan i webbläsartestet")
    page.get_by_label("Handläggare").select_option(label="Erik Holm (Nord)")
    page.get_by_role("button", name="Registrera kontakten").click()
    expect(page.locator(".messages")).to_contain_text("Återkoppling senast")
    log_out(page)

    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    callbacks = page.get_by_role("region", name="Mina återkopplingar")
    row = callbacks.get_by_role("row").filter(has_text="Ali Exempel").filter(has_text="Telefon")
    expect(row.locator("time[data-countdown]")).to_contain_text("om ")
    row.get_by_role("link", name="Ali Exempel").click()

    page.get_by_label("Ansökningsblankett skickad").check()
    page.get_by_role("button", name="Spara återkopplingen").click()
    expect(page.locator(".messages")).to_contain_text("Återkopplingen är registrerad")
    expect(page.locator("time[data-countdown]")).to_have_count(0)

    page.get_by_role("link", name="Mitt arbete").click()
    expect(
        page.get_by_role("region", name="Mina återkopplingar")
        .get_by_role("row")
        .filter(has_text="Ali Exempel")
        .filter(has_text="Telefon")
    ).to_have_count(0)


def test_overdue_callback_shows_for_unit_manager(page, live_server, demo_data):
    first_contact_register(
        actor=User.objects.get(username="anna.reception"),
        channel="phone",
        subject="new_application",
        unit=User.objects.get(username="maria.enhetschef").unit,
        name="Försenad Person",
        received_at=timezone.now() - timezone.timedelta(days=7),
    )
    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)

    overdue = page.get_by_role("region", name="Försenade återkopplingar")
    row = overdue.get_by_role("row").filter(has_text="Försenad Person")
    expect(row).to_have_count(1)
    expect(row.locator("time.countdown--overdue")).to_contain_text("försenad")
