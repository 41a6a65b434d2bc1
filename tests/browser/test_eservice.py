"""Min ansökan in the browser, signed in through the real local IdP (pysaml2, the
demo eID of scripts/demo_eid_idp): a first application with two attachments, a couple
where the second adult signs and the caseworker decides, a supplement answered and the
decision letter read, a protected person, a second person who opens nothing of the
first, and the number of actions of a continued application where nothing changed.
Every e-service page is checked with axe-core (WCAG 2.1 A/AA)."""

import re

import pytest
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Application, Case, Decision, FirstContact, NormYear, Person
from cases.services.decisions import letter_pdf
from cases.tests.factories import copy_norm_year
from eservice.models import EApplication
from eservice.services import next_month
from eservice.tests.idp import running_idp, use_idp
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_login import log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


@pytest.fixture(scope="session")
def browser_idp(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("eid-browser")
    with running_idp(f"{live_server.url}/e-tjanst/saml/metadata/", folder) as url:
        yield url


@pytest.fixture
def citizen_page(browser, browser_idp, settings):
    """A citizen's page, under the e-service's own CSP (axe-core is evaluated through the
    DevTools protocol, tests/browser/axe.py, so nothing needs to bypass it)."""
    use_idp(settings, browser_idp)
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def check_axe(page):
    """axe-core (WCAG 2.1 A/AA), the pinned package of package.json (tests/browser/axe.py),
    run under the e-service's own Content-Security-Policy."""
    assert_no_axe_violations(page)


def sign_in(page, live_server, personnummer):
    page.goto(f"{live_server.url}/e-tjanst/logga-in/")
    check_axe(page)
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    expect(page.get_by_role("heading", name="Demo-legitimering – endast test")).to_be_visible()
    page.get_by_label("Annat testpersonnummer (12 siffror)").fill(personnummer)
    page.get_by_role("button", name="Legitimera").click()
    expect(page.get_by_role("heading", name="Mina sidor")).to_be_visible()
    check_axe(page)


def sign_out(page):
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Logga in med e-legitimation")).to_be_visible()


def save_step(page):
    check_axe(page)
    page.get_by_role("button", name="Spara och fortsätt").click()


def ensure_norm_for(month):
    if not NormYear.objects.filter(year=month.year, is_active=True).exists():
        copy_norm_year(month.year - 1, month.year)


def test_single_person_applies_first_time_with_two_attachments(
    citizen_page, live_server, demo_data, tmp_path
):
    page = citizen_page
    sign_in(page, live_server, "198112289874")
    page.get_by_role("button", name="Ansök om ekonomiskt bistånd").click()
    page.get_by_label("Telefonnummer vi kan nå dig på").fill("070-111 22 33")
    page.get_by_label("Hur många barn under 21 år bor hos dig?").fill("0")
    save_step(page)
    page.get_by_label("Boende/hyra").fill("6 200")
    save_step(page)
    page.get_by_label("Lön, netto – dig").fill("abc")
    save_step(page)
    expect(page.get_by_text("Skriv beloppet i kronor med siffror")).to_be_visible()
    page.get_by_label("Lön, netto – dig").fill("3100")
    save_step(page)
    hyresavi = tmp_path / "hyresavi.pdf"
    hyresavi.write_bytes(PDF)
    payslip = tmp_path / "lon.jpg"
    payslip.write_bytes(JPEG)
    for kind, line, path in (
        ("Hyresavi", "Boende/hyra", hyresavi),
        ("Lönespecifikation", "Lön, netto", payslip),
    ):
        page.get_by_label("Vad är det för underlag?").select_option(label=kind)
        page.get_by_label("Vilken uppgift styrker det?").select_option(label=line)
        page.get_by_label("Fil").set_input_files(str(path))
        page.get_by_role("button", name="Ladda upp").click()
        expect(page.get_by_text(path.name)).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Fortsätt till granskning").click()
    expect(page.get_by_text("Boende/hyra: 6200 kr")).to_be_visible()
    check_axe(page)
    page.get_by_label(re.compile("Jag intygar")).check()
    page.get_by_role("button", name="Skriv under och skicka").click()
    expect(page.get_by_text("Tack! Ansökan är inskickad.")).to_be_visible()
    eapplication = EApplication.objects.get(applicant_personnummer="198112289874")
    assert eapplication.attachments.count() == 2
    contact = FirstContact.objects.get(pk=eapplication.first_contact_id)
    assert contact.channel == "e_service" and contact.phone == "070-111 22 33"
    # Reception sees it among today's contacts with its callback clock.
    staff = page.context.browser.new_page()
    log_in(staff, live_server, "anna.reception", DEMO_PASSWORD)
    row = staff.get_by_role("row").filter(has_text="Test Testsson")
    expect(row).to_contain_text("E-tjänst")
    expect(row).to_contain_text(re.compile(r"om \d+ h"))
    staff.close()


def test_couple_applies_second_adult_signs_caseworker_decides(citizen_page, live_server, demo_data):
    page = citizen_page
    month = next_month()
    ensure_norm_for(month)
    sign_in(page, live_server, "191212121212")
    page.get_by_role("button", name=re.compile("Ansök om bistånd för")).click()
    page.get_by_label("Ja, det stämmer").check()
    save_step(page)
    expect(page.get_by_label("Boende/hyra")).to_have_value("7200.00")
    save_step(page)
    save_step(page)
    page.get_by_role("button", name="Fortsätt till granskning").click()
    page.get_by_label(re.compile("Jag intygar")).check()
    page.get_by_role("button", name="Skriv under och skicka").click()
    expect(
        page.get_by_text("Du har skrivit under. Ansökan skickas när alla har skrivit under.")
    ).to_be_visible()
    expect(page.get_by_text("1 person behöver skriva under.")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "194408139089")
    page.get_by_role("link", name=re.compile("granska och skriv under")).click()
    expect(page.get_by_text(re.compile("Tolvan Tolvansson skrev under"))).to_be_visible()
    check_axe(page)
    page.get_by_label(re.compile("Jag intygar")).check()
    page.get_by_role("button", name="Skriv under och skicka").click()
    expect(page.get_by_text("Tack! Ansökan är inskickad.")).to_be_visible()
    expect(page.get_by_text(re.compile("Greta Testsson skrev under"))).to_be_visible()

    application = Application.objects.get(applicant__personnummer="191212121212", month=month)
    assert application.co_applicant.personnummer == "194408139089"
    staff = page.context.browser.new_page()
    log_in(staff, live_server, "erik.handlaggare", DEMO_PASSWORD)
    staff.goto(f"{live_server.url}/arenden/{application.case_id}/")
    panel = staff.get_by_role("region", name="Från e-tjänsten")
    expect(panel).to_contain_text("Uppgivet av sökande jämfört med förra månaden")
    expect(panel).to_contain_text("Tolvan Tolvansson")
    staff.goto(f"{live_server.url}/arenden/{application.case_id}/ansokningar/{application.pk}/")
    expect(staff.locator("input[value='Uppgivet av sökande']").first).to_be_visible()
    staff.get_by_role("button", name="Spara beräkningen").click()
    staff.get_by_role("link", name="Beslut", exact=True).click()
    staff.get_by_label("Motivering").fill(
        "Hushållet saknar egna medel. Socialtjänstlagen 12 kap. 1 §."
    )
    staff.get_by_role("button", name="Spara utkast").click()
    staff.get_by_role("button", name=re.compile("Fatta beslutet|Skicka för godkännande")).click()
    decision = Decision.objects.get(application=application)
    assert decision.status in ("final", "awaiting_approval")
    staff.close()


def test_continued_application_unchanged_in_at_most_eight_actions(
    citizen_page, live_server, demo_data
):
    page = citizen_page
    sign_in(page, live_server, "199006022397")  # Ali: alone with two children
    actions = 0

    def act(locator, how="click"):
        nonlocal actions
        actions += 1
        getattr(locator, how)()

    act(page.get_by_role("button", name=re.compile("Ansök om bistånd för")))
    act(page.get_by_label("Ja, det stämmer"), "check")
    act(page.get_by_role("button", name="Spara och fortsätt"))
    act(page.get_by_role("button", name="Spara och fortsätt"))
    act(page.get_by_role("button", name="Spara och fortsätt"))
    act(page.get_by_role("button", name="Fortsätt till granskning"))
    act(page.get_by_label(re.compile("Jag intygar")), "check")
    act(page.get_by_role("button", name="Skriv under och skicka"))
    expect(page.get_by_text("Tack! Ansökan är inskickad.")).to_be_visible()
    assert actions <= 8, actions
    application = Application.objects.get(
        applicant__personnummer="199006022397", month=next_month()
    )
    last = application.case.applications.exclude(pk=application.pk).latest("month")
    assert {(c.kind, c.actual) for c in application.costs.all()} == {
        (c.kind, c.actual) for c in last.costs.all()
    }
    assert {(i.kind, i.amount) for i in application.incomes.all()} == {
        (i.kind, i.amount) for i in last.incomes.all()
    }
    print(f"continued application, nothing changed: {actions} actions after sign-in")  # noqa: T201


def test_person_answers_supplement_and_reads_decision_letter(
    citizen_page, live_server, demo_data, tmp_path
):
    from django.utils import timezone

    from cases.services.applications import supplement_request

    decision = Decision.objects.filter(status="final", letter__isnull=False).first()
    applicant = decision.application.applicant
    if not applicant.personnummer:
        applicant.personnummer = "198112189876"
        applicant.save(update_fields=["personnummer"])
    supplement = supplement_request(
        decision.application,
        actor=decision.author,
        what="Kontoutdrag för förra månaden",
        due_on=timezone.localdate() + timezone.timedelta(days=7),
    )
    page = citizen_page
    sign_in(page, live_server, applicant.personnummer)
    expect(page.get_by_text("Kontoutdrag för förra månaden")).to_be_visible()
    page.get_by_role("link", name="Svara och skicka underlag").click()
    check_axe(page)
    page.get_by_label("Meddelande").fill("Här är kontoutdraget.")
    statement = tmp_path / "kontoutdrag.pdf"
    statement.write_bytes(PDF)
    page.get_by_label("Bifoga underlag (valfritt)").set_input_files(str(statement))
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack, det är skickat")).to_be_visible()
    supplement.refresh_from_db()
    assert supplement.received_on == timezone.localdate()
    page.get_by_role("link", name="Till Mina sidor").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Hämta beslutsbrevet (PDF)").first.click()
    saved = tmp_path / "brev.pdf"
    download.value.save_as(saved)
    letters = {
        letter_pdf(d.letter)
        for d in Decision.objects.filter(application__applicant=applicant, letter__isnull=False)
    }
    assert saved.read_bytes() in letters


def test_protected_person_applies_and_nothing_leaks(citizen_page, live_server, demo_data):
    page = citizen_page
    lisa = Person.objects.get(personnummer="200001052380")
    assert lisa.is_protected
    sign_in(page, live_server, "200001052380")
    page.get_by_role("button", name="Ansök om ekonomiskt bistånd").click()
    page.get_by_label("Telefonnummer vi kan nå dig på").fill("070-999 99 99")
    save_step(page)
    save_step(page)
    save_step(page)
    page.get_by_role("button", name="Fortsätt till granskning").click()
    page.get_by_label(re.compile("Jag intygar")).check()
    page.get_by_role("button", name="Skriv under och skicka").click()
    expect(page.get_by_text("Tack! Ansökan är inskickad.")).to_be_visible()
    contact = EApplication.objects.get(applicant_personnummer="200001052380").first_contact
    assert contact.name == "" and contact.phone == ""
    staff = page.context.browser.new_page()
    log_in(staff, live_server, "anna.reception", DEMO_PASSWORD)
    body = staff.locator("body").inner_text()
    assert "Lisa" not in body and "070-999 99 99" not in body
    staff.close()


def test_second_person_opens_nothing_of_the_first(citizen_page, live_server, demo_data):
    page = citizen_page
    sign_in(page, live_server, "191212121212")
    page.get_by_role("button", name=re.compile("Ansök om bistånd för")).click()
    draft_url = page.url
    eapplication = EApplication.objects.get(applicant_personnummer="191212121212")
    decision = Decision.objects.filter(
        application__case__household__memberships__person__personnummer="191212121212",
        letter__isnull=False,
    ).first()
    sign_out(page)
    sign_in(page, live_server, "199006022397")
    urls = [draft_url, f"{live_server.url}/e-tjanst/ansokan/{eapplication.pk}/sign/"]
    if decision is not None:
        urls.append(f"{live_server.url}/e-tjanst/beslut/{decision.pk}/brev/")
    for url in urls:
        response = page.goto(url)
        assert response.status == 404, url
    page.goto(f"{live_server.url}/e-tjanst/")
    body = page.locator("body").inner_text()
    assert "Tolvan" not in body and "Greta" not in body
    # The citizen's session opens no staff page either.
    case = Case.objects.filter(household__memberships__person__personnummer="199006022397").first()
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    expect(page).to_have_url(re.compile(r"/logga-in/"))


def test_eservice_in_arabic_is_right_to_left(citizen_page, live_server, demo_data):
    page = citizen_page
    page.goto(f"{live_server.url}/e-tjanst/logga-in/")
    page.get_by_label("Språk").select_option("ar")
    page.get_by_role("button", name="Byt språk").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    check_axe(page)


def test_sign_in_with_the_csp_enforced(page, live_server, browser_idp, settings, demo_data):
    """The e-service's own CSP (form-action 'self', no inline script) lets the sign-in
    through: the start is a link, the IdP's form posts back to our origin."""
    use_idp(settings, browser_idp)
    response = page.goto(f"{live_server.url}/e-tjanst/logga-in/")
    assert "form-action 'self'" in response.headers["content-security-policy"]
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.get_by_role("button", name=re.compile("Tolvan Tolvansson")).click()
    expect(page.get_by_role("heading", name="Mina sidor")).to_be_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["vagen_etjanst"]["path"] == "/e-tjanst/"
    assert cookies["vagen_etjanst"]["httpOnly"]
