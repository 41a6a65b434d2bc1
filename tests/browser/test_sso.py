"""Staff sign in the municipality's way, in the browser, through the real demo IdP
(oidc-provider as a subprocess): SSO with roles and units from the directory's groups,
and local accounts with TOTP (enrolment with the QR code, sign-in, lockout)."""

import base64
import re

from django_otp.oath import TOTP
from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Case, Unit, User
from cases.roles import Role
from cases.tests.factories import CaseFactory, UserFactory


def sso_sign_in(page, live_server, full_name):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    # The IdP's own page (another origin): the tester picks a demo user.
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in med kommunens konto")
    page.get_by_role("button", name=f"Logga in som {full_name}").click()


def sso_sign_out(page):
    page.get_by_role("button", name="Logga ut").click()
    # RP-initiated logout: the IdP asks, ends its session and sends us back.
    page.get_by_role("button", name="Ja, logga ut").click()
    expect(page).to_have_url(re.compile(r"/logga-in/"))


def test_a_caseworker_signs_in_with_sso_and_lands_on_mitt_arbete(page, live_server, demo_data, sso):
    sso_sign_in(page, live_server, "Karin Sjöberg")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    header = page.get_by_role("banner")
    nord = Unit.objects.get(code="nord")
    expect(header).to_contain_text("Karin Sjöberg")
    expect(header).to_contain_text(f"Handläggare · {nord.name}")

    sso_sign_out(page)
    # The IdP session ended too: the next SSO sign-in asks who you are again.
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    expect(page.get_by_role("button", name="Logga in som Karin Sjöberg")).to_be_visible()


def test_a_user_moved_to_another_group_loses_the_old_units_cases(page, live_server, demo_data, sso):
    sso_sign_in(page, live_server, "Karin Sjöberg")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    karin = User.objects.get(username="karin.sjoberg")
    case = CaseFactory(caseworker=karin)
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.title() != "Sidan finns inte"
    sso_sign_out(page)

    sso.set_groups("demo-karin", ["vagen-handlaggare-syd"])
    sso_sign_in(page, live_server, "Karin Sjöberg")

    syd = Unit.objects.get(code="syd")
    expect(page.get_by_role("banner")).to_contain_text(f"Handläggare · {syd.name}")
    response = page.goto(f"{live_server.url}/arenden/{case.pk}/")
    assert response.status == 404
    assert Case.objects.get(pk=case.pk).caseworker is None


def test_a_user_in_no_mapped_group_is_refused_in_swedish(page, live_server, demo_data, sso):
    sso_sign_in(page, live_server, "Ulla Ek")

    expect(page).to_have_url(re.compile(r"/logga-in/"))
    expect(page.get_by_role("status")).to_contain_text("ger ingen behörighet i Vägen")
    expect(page.get_by_role("banner")).not_to_contain_text("Ulla")


def test_totp_enrolment_and_sign_in(page, live_server, demo_data):
    nord = Unit.objects.get(code="nord")
    user = UserFactory(
        username="ny.handlaggare",
        first_name="Nina",
        last_name="Ny",
        role=Role.CASEWORKER,
        unit=nord,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()

    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("ny.handlaggare")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera inloggning med engångskod")
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Kod från appen").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Aktivera").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Engångskoder är aktiverade")
    expect(page.get_by_role("list", name="Reservkoder").get_by_role("listitem")).to_have_count(10)
    first_recovery_code = (
        page.get_by_role("list", name="Reservkoder").locator("code").first.inner_text()
    )
    page.get_by_role("link", name="Fortsätt till Vägen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")

    # The next sign-in asks for a code; a recovery code works too.
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_label("Användarnamn").fill("ny.handlaggare")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ange engångskod")
    page.get_by_role("textbox", name="Engångskod").fill(first_recovery_code)
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    expect(page.get_by_role("status")).to_contain_text("9 reservkoder återstår")


def test_five_wrong_codes_lock_out(page, live_server, demo_data):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("erik.handlaggare")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    for _attempt in range(4):
        page.get_by_role("textbox", name="Engångskod").fill("000000")
        page.get_by_role("button", name="Fortsätt").click()
        expect(page.get_by_text("Fel kod.")).to_be_visible()
    page.get_by_role("textbox", name="Engångskod").fill("000000")
    page.get_by_role("button", name="Fortsätt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen är tillfälligt spärrad")
    page.goto(f"{live_server.url}/mitt-arbete/")
    expect(page).to_have_url(re.compile(r"/logga-in/"))
