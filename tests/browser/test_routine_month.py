"""Issue 17's measure: the routine month as a caseworker, from *Mitt arbete* to decided,
lettered and paid (waiting for attestation), in at most 12 actions.

How actions are counted (a regression guard, not a timing test): every click on a link or
button, every field edited (a fill or a select), and every submit – a submit is the click
on its button, counted once. Logging in, page loads and reading are not actions; nothing
is done with the keyboard that is not counted. The steps are listed in ``STEPS`` and the
README."""

from decimal import Decimal

from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Application, Decision, NormYear, Payment
from cases.tests.factories import copy_norm_year
from tests.browser.test_login import log_in

MAX_ACTIONS = 12


class Actions:
    """Counts what the caseworker does, with a name for each step."""

    def __init__(self, page):
        self.page = page
        self.steps: list[str] = []

    def click(self, locator, step: str):
        locator.click()
        self.steps.append(f"klick: {step}")

    def fill(self, locator, value: str, step: str):
        locator.fill(value)
        self.steps.append(f"fält: {step}")


def _decide_previous_month(application: Application, worker) -> None:
    """Setup, not counted: last month was decided (so this month is a routine month)."""
    from cases.services.decisions import decision_save_draft, decision_submit, prefill_items

    decision = decision_save_draft(
        application,
        actor=worker,
        items=prefill_items(application),
        motivering="Hushållets inkomster räcker inte. Socialtjänstlagen 12 kap. 1 §.",
    )
    decision_submit(decision, actor=worker)


def test_the_routine_month_in_at_most_twelve_actions(page, live_server, demo_data):
    from cases.models import User

    erik = User.objects.get(username="erik.handlaggare")
    last = Application.objects.get(applicant__first_name="Tolvan")
    _decide_previous_month(last, erik)
    next_year = last.month.year + 1
    if not NormYear.objects.filter(year=next_year).exists():  # a December demo month
        copy_norm_year(last.month.year, next_year)
    household = last.case.household
    household.payment_day = 25
    household.save()

    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mitt arbete")
    act = Actions(page)

    act.click(
        page.get_by_role("region", name="Mina ärenden")
        .get_by_role("link")
        .filter(has_text=last.case.reference),
        "ärendet under Mina ärenden",
    )
    act.click(page.get_by_role("link", name="Registrera ansökan"), "Registrera ansökan")
    # Month, applicant, co-applicant and the carry-over are prefilled; the caseworker reads.
    expect(page.get_by_text("förs över med faktiska och godtagna belopp")).to_be_visible()
    act.click(page.get_by_role("button", name="Registrera ansökan"), "Registrera ansökan (skicka)")

    expect(page.get_by_text("från förra månaden").first).to_be_visible()
    expect(page.locator("#compare-heading")).to_be_visible()  # the comparison beside the lines
    # The rent went up this month: one edit; Godtagen follows Faktisk.
    rent = page.get_by_label("Faktisk rad 1")
    act.fill(rent, "7350", "ny hyra (Faktisk)")
    expect(page.get_by_label("Godtagen rad 1")).to_have_value("7350")
    expect(page.locator("#berakning")).to_contain_text("inte sparad")
    act.click(page.get_by_role("button", name="Spara beräkningen"), "Spara beräkningen")
    expect(page.locator(".messages")).to_contain_text("Beräkningen är sparad")

    act.click(page.get_by_role("link", name="Beslut", exact=True), "Beslut")
    motivering = page.get_by_label("Motivering")
    expect(motivering).not_to_be_empty()
    with page.context.expect_page() as letter_tab:
        act.click(
            page.get_by_role("button", name="Förhandsgranska brevet"), "Förhandsgranska brevet"
        )
    letter_tab.value.close()
    act.click(page.get_by_role("button", name="Fatta beslutet"), "Fatta beslutet")

    expect(page.locator(".page-head__meta")).to_contain_text("Beslutat")
    expect(page.get_by_role("region", name="Utbetalning")).to_contain_text("Ska attesteras")

    month = Application.objects.get(case=last.case, month__gt=last.month)
    decision = Decision.objects.get(application=month, status=Decision.Status.FINAL)
    assert hasattr(decision, "letter")
    payment = Payment.objects.get(decision=decision)
    assert payment.status == Payment.Status.PROPOSED and payment.amount == month.result
    assert month.costs.get(kind="rent").accepted == Decimal("7350")
    assert payment.pay_on >= decision.decided_on

    print(f"\nRutinmånaden: {len(act.steps)} handlingar")  # noqa: T201 – the measure, in -s output
    for n, step in enumerate(act.steps, 1):
        print(f"  {n}. {step}")  # noqa: T201
    assert len(act.steps) <= MAX_ACTIONS, act.steps


def test_rows_are_added_from_the_keyboard_without_saving(page, live_server, demo_data):
    maja = Application.objects.get(applicant__first_name="Maja")
    saved_costs = maja.costs.count()
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/arenden/{maja.case_id}/ansokningar/{maja.pk}/")
    rows = page.locator("#line-tables fieldset").first.locator("tbody tr")
    before = rows.count()

    page.get_by_role("button", name="Lägg till kostnadsrad").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(before + 1)
    # The new row's type has the focus and no preset; the keyboard fills it in.
    new_kind = f"kostnad-{before}-kind"
    expect(page.locator(f"select[name='{new_kind}']")).to_be_focused()
    expect(page.locator(f"select[name='{new_kind}']")).to_have_value("")
    page.keyboard.type("Hemf")  # picks Hemförsäkring
    page.keyboard.press("Tab")
    page.keyboard.type("250")
    expect(page.locator(f"input[name='kostnad-{before}-accepted']")).to_have_value("250")
    page.get_by_role("button", name="Lägg till kostnadsrad").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(before + 2)
    expect(page.locator(f"input[name='kostnad-{before}-actual']")).to_have_value("250")
    assert maja.costs.count() == saved_costs  # nothing saved until Spara beräkningen


def test_rows_are_added_without_javascript(browser, live_server, demo_data):
    maja = Application.objects.get(applicant__first_name="Maja")
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
        page.goto(f"{live_server.url}/arenden/{maja.case_id}/ansokningar/{maja.pk}/")
        rows = page.locator("#line-tables fieldset").nth(1).locator("tbody tr")
        before = rows.count()
        page.get_by_role("button", name="Lägg till inkomstrad").click()
        expect(rows).to_have_count(before + 1)
        expect(page.locator(f"select[name='inkomst-{before}-kind']")).to_have_attribute(
            "autofocus", ""
        )
    finally:
        context.close()
