"""A caseworker maps a person's situation (kartläggning), refers them to
Arbetsförmedlingen from it, records a three-party meeting and closes the referral with
an outcome – through the real pages in Chromium."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Case
from referrals.models import Mapping, Referral
from tests.browser.test_login import log_in


def test_kartlaggning_referral_meeting_and_outcome(page, live_server, demo_data):
    case = Case.objects.get(
        household__memberships__person__first_name="Leo",
        household__memberships__person__last_name="Provsson",
    )
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    page.get_by_role("link", name="Mina ärenden", exact=True).click()
    page.get_by_role("link", name=case.reference).click()

    # The kartläggning: a first save without the person's own words is refused and
    # nothing typed is lost.
    panel = page.get_by_role("region", name="Remisser och kartläggning")
    panel.get_by_role("link", name="Gör kartläggning för Leo").click()
    page.get_by_label("Gymnasium eller motsvarande").check()
    page.get_by_label("Arbetslivserfarenhet").fill("Lagerarbete två somrar")
    page.get_by_label("Modersmål").check()
    page.get_by_label("Inskriven", exact=True).check()
    page.get_by_label("Kontakt med Arbetsförmedlingen").fill("Inskriven i våras, ingen plan")
    page.get_by_role("button", name="Spara kartläggningen").click()
    expect(page.get_by_role("alert")).to_contain_text("det du fyllt i finns kvar")
    expect(page.get_by_label("Arbetslivserfarenhet")).to_have_value("Lagerarbete två somrar")
    expect(page.get_by_label("Inskriven", exact=True)).to_be_checked()
    page.get_by_label("Vilken hjälp personen vill ha").fill("Hitta jobb på lager, ta truckkort")
    page.get_by_label("Egna mål", exact=True).fill("Fast jobb inom logistik")
    page.get_by_role("button", name="Spara kartläggningen").click()
    expect(page.locator(".messages")).to_contain_text("sparad som version 1")
    assert Mapping.objects.get(person__first_name="Leo").work_experience == (
        "Lagerarbete två somrar"
    )

    # A referral to Arbetsförmedlingen, prefilled from the kartläggning.
    page.get_by_role("link", name="Skapa remiss från kartläggningen").click()
    expect(page.get_by_role("textbox", name="Anledning", exact=True)).to_have_value(
        re.compile("Hitta jobb på lager")
    )
    page.get_by_label("Insatsgivare och insats").select_option(
        label="Inskrivning och gemensam planering"
    )
    page.get_by_label("Vad som efterfrågas").fill("Gemensam planering mot lagerarbete")
    page.get_by_label("Namn och personnummer").check()
    page.get_by_label("Egna mål och vilken hjälp personen vill ha").check()
    page.get_by_role("button", name="Skicka remissen").click()
    expect(page.locator(".messages")).to_contain_text("Remissen till Arbetsförmedlingen är skickad")
    expect(page.get_by_role("heading", level=1)).to_have_text("Remiss till Arbetsförmedlingen")
    facts = page.get_by_role("region", name="Remissen", exact=True)
    expect(facts).to_contain_text("Skickad")
    expect(facts.locator("time[data-countdown]")).to_contain_text("om ")

    # The letter carries only what Leo agreed to share.
    letter = page.get_by_role("link", name="Skriv ut remissbrevet (PDF)")
    response = page.request.get(live_server.url + letter.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    in_letter = page.get_by_role("list", name="Uppgifter i remissbrevet")
    expect(in_letter.get_by_role("listitem")).to_have_text(
        ["Namn och personnummer", "Egna mål och vilken hjälp personen vill ha"]
    )

    # Arbetsförmedlingen answers; the stay starts.
    page.get_by_text("Antagen av insatsgivaren", exact=True).click()
    page.get_by_role("button", name="Spara: antagen av insatsgivaren").click()
    expect(facts).to_contain_text("Antagen")
    page.get_by_text("Insatsen har påbörjats", exact=True).click()
    page.get_by_role("button", name="Spara: insatsen har påbörjats").click()
    expect(facts).to_contain_text("Påbörjad")
    expect(facts).to_contain_text("Följs upp")

    # The three-party meeting, with an agreed next step.
    page.get_by_role("link", name="Registrera trepartssamtal").click()
    held = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.get_by_label("Tid").fill(held.strftime("%Y-%m-%dT%H:%M"))
    referral = Referral.objects.get(case=case)
    expect(page.get_by_label("Annan aktör")).to_have_value(str(referral.provider_id))
    page.get_by_label("Deltagare från den andra aktören").fill("Kim Arbetsförmedlare")
    page.get_by_label("Deltagarens roll").fill("arbetsförmedlare")
    page.get_by_label("Anteckningar").fill("Leo och Arbetsförmedlingen planerade truckkort.")
    step = page.get_by_role("group", name="Överenskommet nästa steg 1")
    step.get_by_label("Nästa steg").fill("Truckkortsutbildning")
    step.get_by_label("Ansvarig").select_option(label="Den andra aktören")
    step.get_by_label("Blir").select_option(label="Aktivitet i arbetsplanen")
    page.get_by_role("button", name="Spara trepartssamtalet").click()
    expect(page.locator(".messages")).to_contain_text("Trepartssamtalet är registrerat")
    meetings = page.get_by_role("region", name="Trepartssamtal", exact=True)
    expect(meetings).to_contain_text("Kim Arbetsförmedlare (arbetsförmedlare), Arbetsförmedlingen")
    expect(meetings).to_contain_text("Truckkortsutbildning")
    expect(page.get_by_role("region", name="Historik")).to_contain_text("Uppföljning")

    # The stay ends with its outcome.
    page.get_by_text("Avsluta med resultat", exact=True).click()
    page.get_by_label("Resultat").select_option(label="Arbete")
    page.get_by_role("button", name="Avsluta remissen").click()
    expect(facts).to_contain_text("Avslutad – Arbete")
    expect(page.get_by_role("region", name="Nästa steg för remissen")).to_have_count(0)

    # Back on the case page the referral is there, closed, and the meeting is on the
    # case's list of meetings too.
    page.get_by_role("link", name=f"Ärende {case.reference}").click()
    row = (
        page.get_by_role("region", name="Remisser och kartläggning")
        .get_by_role("row")
        .filter(has_text="Arbetsförmedlingen")
    )
    expect(row).to_contain_text("Avslutad")
    expect(page.get_by_role("region", name="Möten")).to_contain_text("Trepartssamtal")
    referral.refresh_from_db()
    assert (referral.state, referral.outcome, referral.mapping.version) == ("ended", "work", 1)
