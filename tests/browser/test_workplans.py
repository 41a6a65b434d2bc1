"""A caseworker drafts a work plan with two activities on the case page, prints it,
records both signatures and sees the deadline met; then revises it and sees the new
version waiting for signatures – through the real pages in Chromium."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Case
from tests.browser.test_login import log_in

SCAN = {
    "name": "underskriven-plan.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n%%EOF\n",
}


def fill_activity(page, number, *, what, responsible, follow_up):
    activity = page.get_by_role("group", name=f"Aktivitet {number}", exact=True)
    expect(activity).to_be_visible()
    activity.get_by_label("Aktivitet", exact=True).fill(what)
    activity.get_by_label(re.compile(r"^Ansvarig( \*)?$")).select_option(label=responsible)
    activity.get_by_label("Från", exact=True).fill(timezone.localdate().isoformat())
    activity.get_by_label("Följs upp", exact=True).fill(follow_up.isoformat())


def test_draft_print_sign_and_revise_a_work_plan(page, live_server, demo_data):
    case = Case.objects.get(
        household__memberships__person__first_name="Leo",
        household__memberships__person__last_name="Provsson",
    )
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/arenden/{case.pk}/")

    panel = page.get_by_role("region", name="Arbetsplan")
    expect(panel).to_contain_text("Arbetsplan ska vara undertecknad")
    expect(panel).to_contain_text("Ingen plan ännu")
    panel.get_by_label("Typ av plan").select_option(label="Arbetsplan")
    panel.get_by_role("button", name="Upprätta plan").click()
    expect(page.locator(".messages")).to_contain_text("Arbetsplan är påbörjad")

    # The editor is on the case page; typing saves the draft.
    panel = page.get_by_role("region", name="Arbetsplan")
    panel.get_by_label("Nästa konkreta steg").fill("Skriva in sig hos Arbetsförmedlingen i veckan.")
    panel.get_by_label("Klientens egen syn").fill("Leo vill bli elektriker.")
    panel.get_by_label("Hela familjens situation").fill("Bor ensam i hyresrätt.")
    expect(panel.get_by_role("status")).to_contain_text("Utkastet är sparat")

    today = timezone.localdate()
    panel.get_by_role("button", name="Lägg till aktivitet").click()
    fill_activity(
        page,
        1,
        what="Skriva in sig hos Arbetsförmedlingen",
        responsible="Klienten",
        follow_up=today + timezone.timedelta(days=14),
    )
    panel.get_by_role("button", name="Lägg till aktivitet").click()
    expect(
        page.get_by_role("group", name="Aktivitet 1", exact=True).get_by_label(
            "Aktivitet", exact=True
        )
    ).to_have_value("Skriva in sig hos Arbetsförmedlingen")  # saved before the redraw
    fill_activity(
        page,
        2,
        what="Studie- och yrkesvägledning",
        responsible="SFI / vuxenutbildningen",
        follow_up=today + timezone.timedelta(days=30),
    )
    panel.get_by_role("button", name="Klar för underskrift").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetsplan för Leo Provsson")
    expect(page.locator(".plan-status")).to_contain_text("Väntar på underskrifter")

    # Print: the PDF of this version.
    pdf_link = page.get_by_role("link", name="Skriv ut version 1 (PDF)")
    response = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # Both sign on the printed paper; the scan is attached with the client's signature.
    client = page.get_by_role("group", name=re.compile("Klientens underskrift"))
    client.get_by_label("Inskannad kopia").set_input_files(SCAN)
    client.get_by_role("button", name="Registrera klientens underskrift").click()
    expect(page.locator(".messages")).to_contain_text("Klientens underskrift är registrerad")
    expect(page.get_by_role("region", name="Underskrifter")).to_contain_text("1 av 2 underskrifter")
    expect(page.locator(".plan-status")).to_contain_text("Väntar på underskrifter")

    staff = page.get_by_role("group", name=re.compile("Handläggarens underskrift"))
    staff.get_by_role("button", name="Registrera handläggarens underskrift").click()
    expect(page.locator(".messages")).to_contain_text("Båda har skrivit under")
    expect(page.locator(".plan-status")).to_contain_text("Undertecknad – gäller")

    page.get_by_role("link", name=re.compile("Ärende EB-")).click()
    panel = page.get_by_role("region", name="Arbetsplan")
    expect(panel).to_contain_text("Tidsfristen är klar")
    expect(panel).to_contain_text("Version 1, undertecknad")

    # Circumstances change: revise.
    panel.get_by_role("link", name="Arbetsplan för Leo Provsson").click()
    revise = page.get_by_role("region", name="Revidera planen")
    revise.get_by_label("Varför planen revideras").fill("Leo har fått en praktikplats.")
    revise.get_by_role("button", name="Revidera planen").click()
    expect(page.locator(".messages")).to_contain_text("Version 2 är ett utkast")

    editor = page.get_by_role("region", name="Planen")
    editor.get_by_label("Nästa konkreta steg").fill("Börja praktiken på måndag.")
    editor.get_by_role("button", name="Klar för underskrift").click()

    expect(page.locator(".plan-status")).to_contain_text("Version 2")
    expect(page.locator(".plan-status")).to_contain_text("Väntar på underskrifter")
    expect(page.locator(".plan-status")).to_contain_text("Version 1 gäller")
    expect(page.get_by_role("region", name="Underskrifter")).to_contain_text("0 av 2 underskrifter")
    page.get_by_role("link", name="Jämför versioner").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jämför version 1 och 2")
    expect(page.get_by_role("main")).to_contain_text("Börja praktiken på måndag.")
