"""Decisions and letters right in law (issue 15, part A) – each test is a case a
caseworker meets: the legal basis as a rule, the appeal route per item, the letter's whole
reasoning, and återbetalningsskyldighet stated in the decision."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from cases.calculation import Calculation
from cases.models import Appeal, LegalBasis, LegalBasisOutcome, Unit
from cases.models.legal_bases import DEFAULT_LEGAL_BASES
from cases.roles import Role
from cases.services import decisions as svc
from cases.services.decision_letters import adjustment_for
from cases.tests.letters import applied_case, decide, item, letter_text
from cases.workdays import STOCKHOLM

TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=STOCKHOLM)
NAMND = "Arbetsmarknads- och vuxenutbildningsnämnden"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def norrkoping(unit):
    Unit.objects.filter(pk=unit.pk).update(
        board_name=NAMND,
        postal_address="Box 100\n601 81 Norrköping",
        email="ekonomisktbistand@norrkoping.example",
        phone="011-15 00 00",
    )
    unit.refresh_from_db()
    return unit


def text_of(decision) -> str:
    return letter_text(decision.letter.html)


# --- 1. legal bases as rules ----------------------------------------------------------


@pytest.mark.django_db
def test_avslag_of_forsorjningsstod_cannot_cite_12_2(caseworker):
    """An avslag under 12:2 took the right to förvaltningsbesvär away (issue 15)."""
    application = applied_case(caseworker)
    with pytest.raises(svc.DecisionError) as refused:
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("livelihood", "refused", "0", "sol2025-12-2")],
            motivering="Inkomsterna täcker behovet.",
        )
    message = str(refused.value)
    assert "Avslag kan inte beslutas med stöd av Socialtjänstlag (2025:400) 12 kap. 2 §" in message
    assert "12 kap. 1 §" in message and "förvaltningsbesvär" in message


@pytest.mark.django_db
def test_partly_granted_under_12_2_is_split_so_the_refused_part_can_be_appealed(caseworker):
    application = applied_case(caseworker, items=[("dental", Decimal("9000"), "")])
    with pytest.raises(svc.DecisionError, match="egen rad med 12 kap. 1 §"):
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("dental", "partly", "6000", "sol2025-12-2", applied="9000")],
            motivering="Akut tandvård beviljas, resten avslås.",
        )


@pytest.mark.django_db
def test_old_law_is_refused_for_a_decision_made_today(caseworker):
    application = applied_case(caseworker)
    with pytest.raises(svc.DecisionError) as refused:
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("livelihood", "granted", application.result, "sol2001-4-1")],
            motivering="Sökanden saknar medel.",
        )
    message = str(refused.value)
    assert "gäller inte på beslutsdagen 2026-12-01" in message
    assert "2002-01-01 – 2025-06-30" in message
    assert "Välj Socialtjänstlag (2025:400) 12 kap. 1 §" in message


@pytest.mark.django_db
def test_a_draft_under_the_old_law_cannot_be_decided_after_it_ended(caseworker):
    with time_machine.travel(datetime(2025, 6, 30, 15, 0, tzinfo=STOCKHOLM), tick=False):
        application = applied_case(caseworker, month=date(2025, 6, 1))
        draft = svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("livelihood", "granted", application.result, "sol2001-4-1")],
            motivering="Sökanden saknar medel.",
        )
    with time_machine.travel(datetime(2025, 7, 1, 9, 0, tzinfo=STOCKHOLM), tick=False):
        with pytest.raises(svc.DecisionError, match="gäller inte på beslutsdagen 2025-07-01"):
            svc.decision_submit(draft, actor=caseworker)


@pytest.mark.django_db
def test_12_5_only_reduces_forsorjningsstod(caseworker):
    application = applied_case(caseworker, items=[("dental", Decimal("3000"), "")])
    with pytest.raises(svc.DecisionError, match="kan inte avse tandvård"):
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("dental", "refused", "0", "sol2025-12-5", applied="3000")],
            motivering="Uteblev från praktiken.",
        )


@pytest.mark.django_db
def test_12_5_cannot_grant_in_full(caseworker):
    application = applied_case(caseworker)
    with pytest.raises(svc.DecisionError, match="Bifall kan inte beslutas med stöd av"):
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("livelihood", "granted", application.result, "sol2025-12-5")],
            motivering="x",
        )


@pytest.mark.django_db
def test_old_law_decision_before_the_change_cites_4_kap_2_and_its_own_appeal_rules(
    caseworker, unit_manager
):
    """A 4 kap. 2 § decision printed "12 kap. 2 §" in its appeal notice (issue 15)."""
    with time_machine.travel(datetime(2025, 6, 16, 10, 0, tzinfo=STOCKHOLM), tick=False):
        application = applied_case(
            caseworker, month=date(2025, 6, 1), items=[("furniture", Decimal("2500"), "Säng")]
        )
        decision = decide(
            application,
            caseworker,
            [item("furniture", "granted", "2500", "sol2001-4-2")],
            approver=unit_manager,
        )
    text = text_of(decision)
    assert "Socialtjänstlag (2001:453) 4 kap. 2 §" in text
    assert "12 kap. 2 §" not in text
    assert "Laglighetsprövning" in text and "kommunallagen (2017:725) 13 kap." in text
    assert "Beslutet gäller omedelbart" not in text  # not a 16 kap. 3 § decision


@pytest.mark.django_db
def test_old_law_has_a_4_kap_5_basis_for_the_reduction():
    basis = LegalBasis.objects.get(code="sol2001-4-5")
    assert (str(basis), basis.valid_to) == (
        "Socialtjänstlag (2001:453) 4 kap. 5 §",
        date(2025, 6, 30),
    )
    assert {r.outcome for r in basis.outcomes.all()} == {"partly", "refused"}
    assert basis.allowed_kinds == ["livelihood"]


@pytest.mark.django_db
def test_migrated_lagrum_are_the_ones_a_new_database_is_seeded_with():
    """Migration 0014 and DEFAULT_LEGAL_BASES say the same (a test flush re-seeds)."""
    for row in DEFAULT_LEGAL_BASES:
        basis = LegalBasis.objects.get(code=row["code"])
        for field, value in row.items():
            if field == "outcomes":
                stored = sorted(
                    LegalBasisOutcome.objects.filter(basis=basis).values_list(
                        "outcome", "appeal_route", "appeal_reference"
                    )
                )
                assert stored == sorted(value), row["code"]
            elif field in ("valid_from", "valid_to"):
                assert getattr(basis, field) == (date.fromisoformat(value) if value else None)
            else:
                assert getattr(basis, field) == value, (row["code"], field)


# --- 2. appeal route per item -----------------------------------------------------------


@pytest.mark.django_db
def test_each_item_gets_its_own_appeal_route_in_the_letter(caseworker, unit_manager):
    application = applied_case(
        caseworker, items=[("livelihood", None, ""), ("dental", Decimal("4000"), "Akut")]
    )
    decision = decide(
        application,
        caseworker,
        [
            item("livelihood", "granted", application.result, "sol2025-12-1"),
            item("dental", "granted", "4000", "sol2025-12-2", description="Akut"),
        ],
        approver=unit_manager,
    )
    text = text_of(decision)
    assert (
        "Kan överklagas till förvaltningsrätten (socialtjänstlagen (2025:400) 35 kap. 1 § "
        "första stycket 1)" in text
    )
    assert "Kan bara prövas genom laglighetsprövning (kommunallagen (2017:725) 13 kap.)" in text
    assert "Alla som är medlemmar i kommunen" in text
    assert "protokollet justerats" in text
    assert "inom tre veckor från den dag du fick del av beslutet (förvaltningslagen 44 §)" in text
    routes = dict(decision.items.values_list("kind", "appeal_route"))
    assert routes == {"livelihood": "forvaltningsbesvar", "dental": "laglighetsprovning"}


@pytest.mark.django_db
def test_appeal_of_a_12_2_grant_goes_to_the_court_without_timeliness_or_clock(
    client, caseworker, unit_manager
):
    from cases.deadlines import deadlines_for

    application = applied_case(caseworker, items=[("dental", Decimal("4000"), "")])
    decision = decide(
        application,
        caseworker,
        [item("dental", "granted", "4000", "sol2025-12-2")],
        approver=unit_manager,
    )
    svc.decision_serve(decision, actor=caseworker, served_on=date(2026, 12, 1), how="letter")

    appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 12, 1))

    assert appeal.route == "laglighetsprovning"
    assert appeal.last_day is None  # no rättidsprövning by the unit
    assert not deadlines_for(appeal, svc.APPEAL_FORWARD).exists()  # no forwarding clock
    with pytest.raises(svc.DecisionError, match="omprövas inte av nämnden"):
        svc.appeal_reconsider(appeal, actor=caseworker, changed=False, note="x")
    with pytest.raises(svc.DecisionError):
        svc.appeal_dismiss(appeal, actor=caseworker)
    client.force_login(caseworker)
    page = letter_text(client.get(reverse("appeal_detail", args=[appeal.pk])).content.decode())
    assert "Laglighetsprövning (kommunallagen 13 kap.)" in page
    assert "Ingen rättidsprövning, ingen omprövning och ingen frist för överlämnande" in page
    assert "Rättidsprövning (FL 45 §)" not in page and "Ompröva" not in page
    assert svc.appeal_forward(appeal, actor=caseworker, forwarded_on=date(2026, 12, 1)).forwarded_on


@pytest.mark.django_db
def test_appeal_of_a_mixed_decision_names_the_item(client, caseworker, unit_manager):
    application = applied_case(
        caseworker, items=[("livelihood", None, ""), ("dental", Decimal("4000"), "")]
    )
    decision = decide(
        application,
        caseworker,
        [
            item("livelihood", "refused", "0", "sol2025-12-1", applied=application.result),
            item("dental", "granted", "4000", "sol2025-12-2"),
        ],
        approver=unit_manager,
    )
    svc.decision_serve(decision, actor=caseworker, served_on=date(2026, 12, 1), how="letter")
    with pytest.raises(svc.DecisionError, match="Välj vilken del"):
        svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 12, 1))

    client.force_login(caseworker)
    refusal = decision.items.get(kind="livelihood")
    response = client.post(
        reverse("appeal_new", args=[decision.pk]),
        {"received_on": "2026-12-01", "item": refusal.pk},
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and appeal.item == refusal
    assert appeal.route == "forvaltningsbesvar" and appeal.last_day == date(2026, 12, 22)


# --- 3. the letter shows the whole reasoning -----------------------------------------------


@pytest.mark.django_db
def test_a_12_5_reduction_is_a_line_of_its_own_in_the_letter(caseworker):
    """5 220 + 8 000 − 0 was shown as 11 250 kr without the −1 970 line (issue 15)."""
    reason = "Uteblev utan godtagbart skäl från anvisad praktik 3–14 november."
    application = applied_case(caseworker, adjustment="-1970", adjustment_reason=reason)
    assert application.result == Decimal("11250")
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "partly", "11250", "sol2025-12-5", applied="13220")],
        motivering="Försörjningsstödet sätts ned (12 kap. 5 §).",
    )
    text = text_of(decision)
    assert "Summa riksnorm 5 220,00" in text
    assert (
        "Nedsättning av försörjningsstödet (Socialtjänstlag (2025:400) 12 kap. 5 §): "
        f"{reason} −1 970,00" in text
    )
    assert "Summa efter nedsättning 3 250,00" in text
    assert "Boende/hyra 8 000,00" in text
    assert "Beräknat behov av försörjningsstöd 11 250,00" in text
    assert "−0,00" not in text and "-0,00" not in text


@pytest.mark.django_db
def test_calculation_statement_sums_the_adjustment_below_the_norm(caseworker):
    application = applied_case(caseworker, adjustment="-1970", adjustment_reason="Praktik")
    calculation = Calculation.from_dict(application.calculation)
    text = letter_text(
        render_to_string(
            "pdf/calculation_statement.html",
            {
                "case": application.case,
                "application": application,
                "calculation": calculation,
                "adjustment": adjustment_for(calculation, None),
                "letter_date": date(2026, 12, 1),
            },
        )
    )
    norm, adjustment = text.index("Summa riksnorm 5 220,00"), text.index("Praktik −1 970,00")
    assert norm < adjustment < text.index("Summa efter nedsättning 3 250,00")
    assert "Beräknat behov av försörjningsstöd 11 250,00" in text
    assert "−0,00" not in text


@pytest.mark.django_db
def test_family_letter_prints_the_barnperspektiv_as_written(caseworker, unit_manager):
    application = applied_case(caseworker, children=2)
    written = "Barnen får full norm; fritidsaktiviteterna kan fortsätta."
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "granted", application.result, "sol2025-12-1")],
        child_impact=written,
        approver=unit_manager,
    )
    text = text_of(decision)
    assert "Så påverkar beslutet barnen " + written in text


@pytest.mark.django_db
def test_letter_says_the_decision_applies_at_once(caseworker):
    application = applied_case(caseworker)
    decision = decide(
        application, caseworker, [item("livelihood", "granted", application.result, "sol2025-12-1")]
    )
    assert "Beslutet gäller omedelbart (Socialtjänstlag (2025:400) 35 kap. 5 §)." in text_of(
        decision
    )


@pytest.mark.django_db
def test_unit_manager_signs_with_their_title_and_the_presenter_is_named(caseworker, unit_manager):
    application = applied_case(caseworker)
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "granted", "16000", "sol2025-12-1", applied="16000")],
        approver=unit_manager,
    )
    text = text_of(decision)
    assert f"Beslutet har fattats av {unit_manager.get_full_name()}, enhetschef." in text
    assert f"Föredragande: {caseworker.get_full_name()}, socialsekreterare." in text
    assert "Socialsekreterare" not in text.split("Beslutet har fattats av")[1].split(".")[0]


@pytest.mark.django_db
def test_caseworker_deciding_alone_is_also_the_presenter(caseworker):
    caseworker.title = "Biträdande socialsekreterare"
    caseworker.save()
    application = applied_case(caseworker)
    decision = decide(
        application, caseworker, [item("livelihood", "granted", application.result, "sol2025-12-1")]
    )
    assert (
        f"Beslutet har fattats av {caseworker.get_full_name()}, biträdande socialsekreterare, "
        "som också har föredragit ärendet." in text_of(decision)
    )


@pytest.mark.django_db
def test_letter_names_the_namnd_its_address_and_how_to_reach_the_caseworker(norrkoping, caseworker):
    caseworker.phone = "011-15 12 34"
    caseworker.save()
    application = applied_case(caseworker)
    decision = decide(
        application, caseworker, [item("livelihood", "granted", application.result, "sol2025-12-1")]
    )
    text = text_of(decision)
    assert "Socialnämnden" not in text
    assert f"skicka eller lämna brevet till oss: {NAMND}, Box 100, 601 81 Norrköping" in text
    assert "ekonomisktbistand@norrkoping.example" in text and "011-15 00 00" in text
    assert (
        f"Kontakta {caseworker.get_full_name()}, telefon 011-15 12 34, e-post {caseworker.email}"
        in text
    )


@pytest.mark.django_db
def test_namnd_falls_back_to_the_municipality_settings(caseworker, settings):
    settings.VAGEN_BOARD_NAME = "Vård- och omsorgsnämnden"
    settings.VAGEN_BOARD_POSTAL_ADDRESS = ["Box 1", "123 45 Exempelby"]
    application = applied_case(caseworker)
    decision = decide(
        application, caseworker, [item("livelihood", "granted", application.result, "sol2025-12-1")]
    )
    assert "Vård- och omsorgsnämnden, Box 1, 123 45 Exempelby" in text_of(decision)


@pytest.mark.django_db
def test_co_applicant_is_in_the_address_block(caseworker, unit_manager):
    application = applied_case(caseworker, co_applicant=True)
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "granted", application.result, "sol2025-12-1")],
        approver=unit_manager,
    )
    window = svc.letter_context(decision)["recipient_lines"]
    assert window == ["Alva Lind", "Bo Lind", "Storgatan 1", "602 24 Norrköping"]
    assert "Alva Lind Bo Lind Storgatan 1 602 24 Norrköping" in text_of(decision)


@pytest.mark.django_db
def test_protected_co_applicant_is_not_named_beside_the_address(caseworker, unit_manager):
    application = applied_case(caseworker, co_applicant=True, co_applicant_protected=True)
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "granted", application.result, "sol2025-12-1")],
        approver=unit_manager,
    )
    assert svc.letter_context(decision)["recipient_lines"] == [
        "Alva Lind",
        "Storgatan 1",
        "602 24 Norrköping",
    ]


@pytest.mark.django_db
def test_a_12_2_only_letter_shows_no_calculated_need(caseworker, unit_manager):
    application = applied_case(caseworker, items=[("dental", Decimal("4000"), "")])
    decision = decide(
        application,
        caseworker,
        [item("dental", "granted", "4000", "sol2025-12-2")],
        approver=unit_manager,
    )
    text = text_of(decision)
    assert "Beräknat behov" not in text and "Så har vi räknat" not in text
    assert "Riksnorm" not in text


# --- 4. återbetalningsskyldighet in the decision --------------------------------------------


@pytest.mark.django_db
def test_forskott_pa_a_kassa_states_the_grounds_for_repayment(caseworker):
    """Without the grounds in the served decision the advance cannot be reclaimed
    (SoL 33 kap. 2 §)."""
    application = applied_case(caseworker)
    decision = decide(
        application,
        caseworker,
        [
            item(
                "livelihood",
                "granted",
                application.result,
                "sol2025-12-1",
                repayment_ground="advance",
                advance_benefit="akassa",
                repayment_note="A-kassan har ännu inte beslutat om ersättning för november.",
            )
        ],
    )
    text = text_of(decision)
    assert "Återbetalning" in text
    assert "lämnas som förskott på a-kassa" in text
    assert "A-kassan har ännu inte beslutat om ersättning för november." in text
    assert "Grund för återbetalningsskyldigheten: Socialtjänstlag (2025:400) 33 kap. 2 §." in text


@pytest.mark.django_db
def test_12_2_on_condition_of_repayment_is_stated(caseworker, unit_manager):
    application = applied_case(caseworker, items=[("furniture", Decimal("5000"), "Säng")])
    decision = decide(
        application,
        caseworker,
        [
            item(
                "furniture",
                "granted",
                "5000",
                "sol2025-12-2",
                description="Säng",
                repayment_ground="condition",
                repayment_note="Avbetalning 500 kr i månaden från februari 2027.",
            )
        ],
        approver=unit_manager,
    )
    text = text_of(decision)
    assert "beviljas under villkor att du betalar tillbaka det" in text
    assert "Grund för återbetalningsskyldigheten: Socialtjänstlag (2025:400) 33 kap. 3 §." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("basis", "outcome", "ground", "benefit", "note", "message"),
    [
        ("sol2025-12-1", "granted", "condition", "", "", "bara ställas för bistånd som ges utöver"),
        (
            "sol2025-12-2",
            "granted",
            "advance",
            "akassa",
            "",
            "kan inte krävas tillbaka som förskott",
        ),
        ("sol2025-12-1", "refused", "advance", "akassa", "", "Ett avslag ger inget"),
        ("sol2025-12-1", "granted", "advance", "", "", "Ange vilken förmån"),
        ("sol2025-12-1", "granted", "", "sickness_benefit", "", "välj återbetalningsgrunden"),
        ("sol2025-12-1", "granted", "assets_blocked", "", "", "Beskriv vad som hindrar"),
    ],
)
def test_repayment_the_law_does_not_allow_is_refused(
    caseworker, basis, outcome, ground, benefit, note, message
):
    application = applied_case(caseworker, items=[("furniture", Decimal("2000"), "")])
    granted = "0" if outcome == "refused" else "2000"
    with pytest.raises(svc.DecisionError, match=message):
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[
                item(
                    "furniture",
                    outcome,
                    granted,
                    basis,
                    applied="2000",
                    repayment_ground=ground,
                    advance_benefit=benefit,
                    repayment_note=note,
                )
            ],
            motivering="x",
        )


@pytest.mark.django_db
def test_repayment_through_the_decision_form(client, caseworker):
    application = applied_case(caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("decision_new", args=[application.case_id, application.pk]),
        {
            "post-TOTAL_FORMS": "1",
            "post-INITIAL_FORMS": "0",
            "post-MIN_NUM_FORMS": "1",
            "post-0-kind": "livelihood",
            "post-0-outcome": "granted",
            "post-0-applied_amount": str(application.result),
            "post-0-granted_amount": str(application.result),
            "post-0-legal_basis": LegalBasis.objects.get(code="sol2025-12-1").pk,
            "post-0-repayment_ground": "advance",
            "post-0-advance_benefit": "sickness_benefit",
            "post-0-repayment_note": "",
            "motivering": "Väntar på sjukpenning.",
        },
    )
    assert response.status_code == 302
    saved = application.decisions.get().items.get()
    assert (saved.repayment_ground, saved.advance_benefit) == ("advance", "sickness_benefit")
    assert saved.appeal_route == "forvaltningsbesvar"


@pytest.mark.django_db
def test_decision_form_shows_why_12_2_cannot_refuse(client, caseworker):
    application = applied_case(caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("decision_new", args=[application.case_id, application.pk]),
        {
            "post-TOTAL_FORMS": "1",
            "post-INITIAL_FORMS": "0",
            "post-MIN_NUM_FORMS": "1",
            "post-0-kind": "livelihood",
            "post-0-outcome": "refused",
            "post-0-granted_amount": "0",
            "post-0-legal_basis": LegalBasis.objects.get(code="sol2025-12-2").pk,
            "motivering": "Inkomsterna räcker.",
        },
    )
    assert "Avslag kan inte beslutas med stöd av" in letter_text(response.content.decode())
    assert not application.decisions.exists()


@pytest.mark.django_db
def test_manager_title_comes_from_the_role_when_the_user_has_none(make_user):
    from cases.services.decision_letters import staff_title

    assert staff_title(make_user(Role.UNIT_MANAGER)) == "Enhetschef"
    assert staff_title(make_user(Role.CASEWORKER)) == "Socialsekreterare"
    assert staff_title(make_user(Role.UNIT_MANAGER, title="Sektionschef")) == "Sektionschef"


# --- 5. the table: legal basis × outcome × household -------------------------------------

FB = "Kan överklagas till förvaltningsrätten (socialtjänstlagen (2025:400) 35 kap. 1 §"
FB += " första stycket"
FB_1, FB_2 = f"{FB} 1)", f"{FB} 2)"
LP = "Kan bara prövas genom laglighetsprövning (kommunallagen (2017:725) 13 kap.)"
IMMEDIATE = "Beslutet gäller omedelbart (Socialtjänstlag (2025:400) 35 kap. 5 §)."
CHILDREN = "Så påverkar beslutet barnen"
REASON = "Avböjde anvisad praktik utan godtagbart skäl."

# basis, kind, outcome, reduction, route text, immediate effect, calculation shown
LETTERS = [
    ("sol2025-12-1", "livelihood", "granted", False, FB_1, True, True),
    ("sol2025-12-1", "livelihood", "partly", False, FB_1, True, True),
    ("sol2025-12-1", "livelihood", "refused", False, FB_1, True, True),
    ("sol2025-12-1", "dental", "refused", False, FB_1, True, False),
    ("sol2025-12-5", "livelihood", "partly", True, FB_2, True, True),
    ("sol2025-12-5", "livelihood", "refused", False, FB_2, True, True),
    ("sol2025-12-2", "dental", "granted", False, LP, False, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("children", [0, 2], ids=["ensamstaende", "familj-med-barn"])
@pytest.mark.parametrize(
    ("basis", "kind", "outcome", "reduction", "route", "immediate", "calculation"),
    LETTERS,
    ids=[f"{row[0]}-{row[1]}-{row[2]}" for row in LETTERS],
)
def test_letter_for_each_basis_outcome_and_household(
    norrkoping,
    caseworker,
    unit_manager,
    basis,
    kind,
    outcome,
    reduction,
    route,
    immediate,
    calculation,
    children,
):
    adjustment = "-1970" if reduction else "0"
    application = applied_case(
        caseworker,
        children=children,
        adjustment=adjustment,
        adjustment_reason=REASON if reduction else "",
        items=[(kind, Decimal("4000") if kind == "dental" else None, "")],
    )
    need = application.result if kind == "livelihood" else Decimal("4000")
    granted = {"granted": need, "partly": need, "refused": Decimal(0)}[outcome]
    applied = need + (1970 if outcome == "partly" else 0)
    decision = decide(
        application,
        caseworker,
        [item(kind, outcome, granted, basis, applied=applied)],
        child_impact="Barnens behov är tillgodosedda i normen." if children else "",
        approver=unit_manager,
    )
    text = text_of(decision)

    assert route in text
    assert ("Överklagande till förvaltningsrätten" in text) is (route != LP)
    assert ("Laglighetsprövning" in text) is (route == LP)
    assert (IMMEDIATE in text) is immediate
    assert ("Beräknat behov av försörjningsstöd" in text) is calculation
    assert ("Nedsättning av försörjningsstödet" in text) is reduction
    assert (CHILDREN in text) is bool(children)
    assert NAMND in text and "Socialnämnden" not in text
    assert "−0,00" not in text and "-0,00" not in text
    assert f"Föredragande: {caseworker.get_full_name()}" in text or (
        f"{caseworker.get_full_name()}, socialsekreterare, som också har föredragit" in text
    )


REFUSED = [
    ("sol2025-12-2", "livelihood", "refused", "Avslag kan inte beslutas med stöd av"),
    ("sol2025-12-2", "dental", "partly", "Delvis bifall kan inte beslutas med stöd av"),
    ("sol2025-12-5", "livelihood", "granted", "Bifall kan inte beslutas med stöd av"),
    ("sol2025-12-5", "dental", "refused", "kan inte avse tandvård"),
    ("sol2001-4-1", "livelihood", "granted", "gäller inte på beslutsdagen"),
    ("sol2001-4-2", "dental", "granted", "gäller inte på beslutsdagen"),
    ("sol2001-4-5", "livelihood", "refused", "gäller inte på beslutsdagen"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("children", [0, 2], ids=["ensamstaende", "familj-med-barn"])
@pytest.mark.parametrize(
    ("basis", "kind", "outcome", "message"), REFUSED, ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in REFUSED]
)
def test_no_letter_for_what_the_law_does_not_allow(
    caseworker, basis, kind, outcome, message, children
):
    application = applied_case(caseworker, children=children, items=[(kind, Decimal("4000"), "")])
    granted = "0" if outcome == "refused" else "3000"
    with pytest.raises(svc.DecisionError, match=message):
        svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[
                item(
                    kind,
                    outcome,
                    granted,
                    basis,
                    applied="4000" if outcome != "granted" else granted,
                )
            ],
            motivering="x",
            child_impact="y" if children else "",
        )
    assert not application.decisions.exists()
