"""Decisions: delegation at its limits, approval, besvärshänvisning, the letter, hostile
input, appeals across holidays and payments without duplicates."""

import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Appeal, Decision, DecisionItem, LegalBasis, Payment
from cases.roles import Role
from cases.services import decisions as svc
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_register,
    application_save_calculation,
)
from cases.services.communication import Communication
from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory

LIMIT = Decimal("15000")  # caseworkers' default delegation for livelihood grants


def calculated_application(caseworker, *, rent="6000", children=0, applicant=None):
    applicant = applicant or PersonFactory(birth_date=date(1985, 3, 3), first_name="Alva")
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    for i in range(children):
        household_member_add(
            case.household,
            person=PersonFactory(birth_date=date(2018 + i, 1, 1)),
            role="child",
            valid_from=date(2026, 1, 1),
            actor=caseworker,
        )
    application = application_register(
        case, actor=caseworker, month=date(2026, 11, 1), channel="e_service", applicant=applicant
    )
    return application_save_calculation(
        application,
        actor=caseworker,
        costs=[CostLine("rent", Decimal(rent), Decimal(rent))],
        incomes=[IncomeLine("child_benefit", Decimal("1250"), applicant.pk)] if children else [],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
    )


def draft(application, author, amount=None, outcome="granted", basis="sol2025-12-1", **kwargs):
    amount = application.result if amount is None else Decimal(amount)
    items = [
        svc.ItemInput(
            kind="livelihood",
            outcome=outcome,
            granted_amount=amount if outcome != "refused" else Decimal(0),
            applied_amount=amount if outcome != "partly" else amount + 100,
            legal_basis=LegalBasis.objects.get(code=basis),
        )
    ]
    kwargs.setdefault("motivering", "Sökanden saknar egna medel (SoL 12 kap. 1 §).")
    if outcome != "granted" or basis.endswith("12-5"):
        kwargs.setdefault("communication", communicated())
    return svc.decision_save_draft(application, actor=author, items=items, **kwargs)


def communicated(**kwargs):
    """Kommunicering done (FL 25 §) – today, by letter, told of the oral right."""
    kwargs.setdefault("communicated_on", timezone.localdate())
    kwargs.setdefault("method", "letter")
    kwargs.setdefault("oral_offered", True)
    return Communication(**kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "final"), [(LIMIT - 1, True), (LIMIT, True), (LIMIT + 1, False)]
)
def test_delegation_at_the_limit(caseworker, unit_manager, amount, final):
    application = calculated_application(caseworker)
    decision = draft(application, caseworker, amount=amount)

    decision = svc.decision_submit(decision, actor=caseworker)

    assert decision.is_final is final
    assert decision.status == ("final" if final else "awaiting_approval")
    assert (
        svc.delegation_allows(caseworker, kind="livelihood", outcome="granted", amount=amount)
        is final
    )


@pytest.mark.django_db
def test_refusal_within_caseworker_delegation_whatever_the_amount(caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(
        draft(application, caseworker, outcome="refused"), actor=caseworker
    )
    assert decision.is_final


@pytest.mark.django_db
def test_above_delegation_waits_and_the_manager_approves(caseworker, unit_manager, make_user):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(
        draft(application, caseworker, amount=LIMIT + 1), actor=caseworker
    )
    assert list(svc.awaiting_approval_for(unit_manager)) == [decision]

    with pytest.raises(svc.DecisionError):
        svc.decision_approve(decision, actor=caseworker)  # the author cannot approve
    with pytest.raises(svc.DecisionError):
        svc.decision_approve(decision, actor=make_user(Role.CASEWORKER))

    decision = svc.decision_approve(decision, actor=unit_manager)
    assert (decision.status, decision.decided_by, decision.author) == (
        "final",
        unit_manager,
        caseworker,
    )
    assert svc.letter_pdf(decision.letter).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_give_exactly_one(caseworker, make_user):
    managers = [make_user(Role.UNIT_MANAGER), make_user(Role.UNIT_MANAGER)]
    application = calculated_application(caseworker)
    decision = svc.decision_submit(
        draft(application, caseworker, amount=LIMIT + 1), actor=caseworker
    )
    barrier, results = threading.Barrier(2), []

    def approve(manager):
        try:
            barrier.wait()
            svc.decision_approve(decision, actor=manager)
            results.append("ok")
        except svc.DecisionError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in managers]
    [t.start() for t in threads]
    [t.join(30) for t in threads]

    assert sorted(results) == ["ok", "refused"]
    decision.refresh_from_db()
    assert decision.is_final and decision.decided_by in managers


@pytest.mark.django_db
def test_household_with_children_needs_child_impact(caseworker):
    application = calculated_application(caseworker, children=2, rent="1000")
    decision = draft(application, caseworker)

    with pytest.raises(svc.DecisionError, match="barnperspektiv"):
        svc.decision_submit(decision, actor=caseworker)

    decision = draft(
        application, caseworker, decision=decision, child_impact="Barnen får sin norm."
    )
    assert svc.decision_submit(decision, actor=caseworker).is_final


@pytest.mark.django_db
def test_motivering_required(caseworker):
    application = calculated_application(caseworker)
    with pytest.raises(svc.DecisionError, match="motivering"):
        svc.decision_submit(draft(application, caseworker, motivering=""), actor=caseworker)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "basis", "administrative", "legality"),
    [
        ("granted", "sol2025-12-1", True, False),
        ("partly", "sol2025-12-1", True, False),
        ("refused", "sol2025-12-1", True, False),
        ("refused", "sol2025-12-5", True, False),
        ("partly", "sol2025-12-5", True, False),
        ("granted", "sol2025-12-2", False, True),
    ],
)
def test_each_outcome_gets_the_right_appeal_notice(
    caseworker, unit_manager, outcome, basis, administrative, legality
):
    application = calculated_application(caseworker)
    decision = draft(
        application,
        caseworker,
        outcome=outcome,
        basis=basis,
        amount=Decimal(1000) if outcome != "refused" else None,
    )
    if not svc.within_delegation(caseworker, decision):
        decision = svc.decision_approve(
            svc.decision_submit(decision, actor=caseworker), actor=unit_manager
        )
    else:
        decision = svc.decision_submit(decision, actor=caseworker)

    html = decision.letter.html
    assert (
        "förvaltningsrätten inom tre veckor" in html
        or "inom tre veckor från den dag du fick del av beslutet" in html
    ) is administrative
    assert ("Laglighetsprövning" in html) is legality
    assert (
        svc.letter_context(decision)["administrative_appeal"],
        svc.letter_context(decision)["legality_appeal"],
    ) == (administrative, legality)


def pdf_text(pdf: bytes) -> str:
    from cases.tests.test_pdf import flat, pdf_pages_text

    return flat("\n".join(pdf_pages_text(pdf)))


@pytest.mark.django_db
def test_letter_has_name_amounts_motivering_and_appeal_text(caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(
        draft(application, caseworker, motivering="Hyran är skälig enligt riktlinjerna."),
        actor=caseworker,
    )
    amount = f"{application.result:,.2f}".replace(",", " ").replace(".", ",")

    for text in (decision.letter.html, pdf_text(svc.letter_pdf(decision.letter))):
        flat = re.sub(r"\s+", " ", text)
        assert "Alva" in flat
        assert amount in flat
        assert "Hyran är skälig enligt riktlinjerna." in flat
        assert "inom tre veckor" in flat


HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd"><div style="background:url(http://evil.example/x)">'


@pytest.mark.django_db
def test_hostile_input_renders_as_text_and_fetches_nothing(caseworker, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the letter tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    applicant = PersonFactory(first_name="<script>x</script>", birth_date=date(1980, 1, 1))
    application = calculated_application(caseworker, applicant=applicant)
    decision = svc.decision_submit(
        draft(application, caseworker, motivering=HOSTILE, conditions=HOSTILE), actor=caseworker
    )

    html = decision.letter.html
    assert "<script" not in html
    assert "<img" not in html
    assert 'style="background' not in html
    assert "&lt;script&gt;" in html
    assert "<script>" in pdf_text(svc.letter_pdf(decision.letter))  # shown as text


@pytest.mark.django_db
def test_final_decision_is_never_edited_only_replaced(caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    with pytest.raises(svc.DecisionError):
        draft(application, caseworker, decision=decision)

    new = svc.decision_replace(decision, actor=caseworker)

    assert new.replaces == decision and new.status == "draft"
    decision.refresh_from_db()
    assert decision.is_final and decision.letter.html


# --- appeals -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("served", "received", "last_day", "timely"),
    [
        (date(2026, 5, 29), date(2026, 6, 22), date(2026, 6, 22), True),  # midsommarafton moves it
        (date(2026, 5, 29), date(2026, 6, 23), date(2026, 6, 22), False),
        (date(2025, 12, 10), date(2025, 12, 31), date(2026, 1, 2), True),  # nyårsafton/-dagen
        (
            date(2026, 3, 13),
            date(2026, 4, 6),
            date(2026, 4, 7),
            True,
        ),  # Fri 3 Apr långfredagen → Tue
        (date(2026, 10, 26), date(2026, 11, 17), date(2026, 11, 16), False),
    ],
)
def test_appeal_timeliness_across_holidays(caseworker, served, received, last_day, timely):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    Decision.objects.filter(pk=decision.pk).update(served_on=served, decided_on=served)
    decision.refresh_from_db()

    appeal = svc.appeal_register(decision, actor=caseworker, received_on=received)

    assert (appeal.last_day, appeal.is_timely) == (last_day, timely)


@pytest.mark.django_db
def test_late_appeal_with_missing_notice_is_timely_and_forwarding_clock_runs(caseworker):
    from cases.deadlines import deadlines_for

    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    Decision.objects.filter(pk=decision.pk).update(
        served_on=date(2026, 9, 1), decided_on=date(2026, 9, 1)
    )
    decision.refresh_from_db()

    appeal = svc.appeal_register(
        decision, actor=caseworker, received_on=date(2026, 11, 2), notice_missing=True
    )
    assert appeal.is_timely
    deadline = deadlines_for(appeal, svc.APPEAL_FORWARD).get()
    assert timezone.localtime(deadline.due_at).date() == date(2026, 11, 9)

    svc.appeal_reconsider(appeal, actor=caseworker, changed=False, note="Inga nya omständigheter.")
    svc.appeal_forward(appeal, actor=caseworker, forwarded_on=date(2026, 11, 5))
    deadline.refresh_from_db()
    assert deadline.state == "met"
    with pytest.raises(svc.DecisionError):
        svc.appeal_reconsider(appeal, actor=caseworker, changed=True, note="För sent (FL 39 §).")
    appeal = svc.appeal_court_outcome(
        appeal, actor=caseworker, outcome="upheld", decided_on=date(2027, 2, 1)
    )
    assert appeal.status == Appeal.Status.COURT_DECIDED


@pytest.mark.django_db
def test_late_appeal_is_dismissed_not_forwarded(caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    Decision.objects.filter(pk=decision.pk).update(
        served_on=date(2026, 9, 1), decided_on=date(2026, 9, 1)
    )
    decision.refresh_from_db()
    appeal = svc.appeal_register(decision, actor=caseworker, received_on=date(2026, 11, 2))

    with pytest.raises(svc.DecisionError, match="avvisas"):
        svc.appeal_forward(appeal, actor=caseworker, forwarded_on=date(2026, 11, 3))
    assert svc.appeal_dismiss(appeal, actor=caseworker).status == Appeal.Status.DISMISSED


# --- payments ------------------------------------------------------------------------


@pytest.mark.django_db
def test_payment_attested_by_another_person_and_exported_once(caseworker, unit_manager, make_user):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    payee = application.applicant
    payment = svc.payment_create(
        decision,
        actor=caseworker,
        payee=payee,
        amount=application.result,
        pay_on=date(2026, 11, 25),
    )
    again = svc.payment_create(
        decision,
        actor=caseworker,
        payee=payee,
        amount=application.result,
        pay_on=date(2026, 11, 25),
    )
    assert again.pk == payment.pk and Payment.objects.count() == 1

    with pytest.raises(svc.DecisionError):
        svc.payment_attest(payment, actor=caseworker)  # the decision's author
    svc.payment_attest(payment, actor=make_user(Role.CASEWORKER))

    batch = svc.payment_batch_export(actor=unit_manager, unit=caseworker.unit)
    assert batch.count == 1 and batch.total == application.result
    assert f"{application.result:.2f}" in batch.csv and "SUMMA" in batch.csv
    assert svc.payment_batch_export(actor=unit_manager, unit=caseworker.unit) is None


@pytest.mark.django_db
def test_payment_cannot_exceed_the_granted_amount(caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    with pytest.raises(svc.DecisionError):
        svc.payment_create(
            decision,
            actor=caseworker,
            payee=application.applicant,
            amount=application.result + 1,
            pay_on=date(2026, 11, 25),
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_payment_requests_create_one(caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    barrier, ids = threading.Barrier(4), []

    def pay():
        try:
            barrier.wait()
            ids.append(
                svc.payment_create(
                    decision,
                    actor=caseworker,
                    payee=application.applicant,
                    amount=Decimal(100),
                    pay_on=date(2026, 11, 25),
                ).pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]

    assert len(set(ids)) == 1 and len(ids) == 4
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_decision_views_for_the_caseworker(client, caseworker):
    application = calculated_application(caseworker)
    client.force_login(caseworker)
    url = reverse("decision_new", args=[application.case_id, application.pk])
    page = client.get(url)
    assert (
        page.status_code == 200
        and str(application.result).split(".")[0][:2] in page.content.decode()
    )

    decision = draft(application, caseworker)
    client.post(reverse("decision_submit", args=[decision.pk]), {"version": decision.version})
    decision.refresh_from_db()
    assert decision.is_final
    letter = client.get(reverse("decision_letter", args=[decision.pk]))
    assert letter["Content-Type"] == "application/pdf" and bytes(letter.content) == svc.letter_pdf(
        decision.letter
    )


@pytest.mark.django_db
def test_decision_form_keeps_input_on_error(client, caseworker):
    application = calculated_application(caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("decision_new", args=[application.case_id, application.pk]),
        {
            "post-TOTAL_FORMS": "1",
            "post-INITIAL_FORMS": "0",
            "post-MIN_NUM_FORMS": "1",
            "post-0-kind": "livelihood",
            "post-0-outcome": "refused",
            "post-0-granted_amount": "500",
            "post-0-legal_basis": LegalBasis.objects.get(code="sol2025-12-1").pk,
            "motivering": "Min text som inte får försvinna",
        },
    )
    body = response.content.decode()
    assert "Vid avslag ska beviljat belopp vara 0 kr" in body
    assert "Min text som inte får försvinna" in body
    assert not Decision.objects.exists()
    assert DecisionItem.objects.count() == 0


@pytest.mark.django_db
def test_the_decision_letter_is_an_accessible_pdf(client, caseworker):
    """PDF/UA-1: tagged, Swedish, titled; the calculation appendix is a tagged table."""
    from cases.tests.pdf_structure import assert_accessible_pdf

    application = calculated_application(caseworker)
    decision = draft(application, caseworker)
    client.force_login(caseworker)
    client.post(reverse("decision_submit", args=[decision.pk]), {"version": decision.version})
    letter = client.get(reverse("decision_letter", args=[decision.pk]))

    found = assert_accessible_pdf(bytes(letter.content))
    assert found["title"] and "/Table" in found["types"] and "/TH" in found["types"]
