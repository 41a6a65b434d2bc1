"""A client known in unit Nord applies in unit Syd: the Syd caseworker is told where the
person is known and asks for a transfer, the Nord unit manager hands over, and the Syd
caseworker opens the case – in Chromium (issue 13: moving between units is a deliberate
act; households are never shared)."""

from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Case, Person, PersonTransfer, User
from cases.tests.factories import CaseFactory, PersonFactory
from tests.browser.test_login import log_in

NUMBER = "196408233234"  # Skatteverket's test personnummer, not used by the demo


def test_a_client_of_another_unit_is_transferred_before_a_case_is_opened(
    browser, live_server, demo_data
):
    nord_caseworker = User.objects.get(username="erik.handlaggare")
    client = PersonFactory(first_name="Kalle", last_name="Flyttsson", personnummer=NUMBER)
    nord_case = CaseFactory(caseworker=nord_caseworker, applicant=client, closed=True)

    syd = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm").new_page()
    log_in(syd, live_server, "omar.handlaggare", DEMO_PASSWORD)
    syd.goto(f"{live_server.url}/arenden/nytt/")
    syd.get_by_label("Sökandens personnummer").fill("640823-3234")
    syd.get_by_role("button", name="Öppna ärendet").click()

    expect(syd.get_by_text("Personen är känd i enhet Nord.")).to_be_visible()
    expect(syd.get_by_text("Flyttsson")).to_have_count(0)  # nothing about the person
    assert not Case.objects.filter(unit__code="syd", household=nord_case.household).exists()
    syd.get_by_label("Varför ska personen handläggas här?").fill("Har flyttat till Syd.")
    syd.get_by_role("button", name="Skicka begäran").click()
    expect(syd.get_by_text("Begäran om överflyttning är skickad till enhet Nord.")).to_be_visible()

    nord = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm").new_page()
    log_in(nord, live_server, "maria.enhetschef", DEMO_PASSWORD)
    panel = nord.locator("#overflyttningar")
    expect(panel).to_contain_text("Kalle Flyttsson")
    expect(panel).to_contain_text("Har flyttat till Syd.")
    panel.get_by_role("button", name="Lämna över").click()
    expect(nord.get_by_text("Personen är överlämnad till enhet Syd.")).to_be_visible()
    assert PersonTransfer.objects.get().state == PersonTransfer.State.APPROVED

    syd.goto(f"{live_server.url}/arenden/nytt/")
    syd.get_by_label("Sökandens personnummer").fill("640823-3234")
    syd.get_by_role("button", name="Öppna ärendet").click()
    expect(syd.get_by_role("heading", level=1)).to_contain_text("Ärende")
    case = Case.objects.get(unit__code="syd", household__memberships__person=client)
    assert case.household_id != nord_case.household_id
    assert case.household.unit.code == "syd"
    assert Person.objects.get(pk=client.pk).unit.code == "syd"
