"""Återkrav (SoL 2025:400 33 kap.; 2001:453 9 kap. for bistånd granted before 2025-07-01):
hand-computed amounts, the plan, avstå, the three-year clock, old and new law, the
grounds that need a stated decision, stale forms, double clicks and who may do what."""

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cases.deadlines import deadlines_for
from cases.models import Deadline, Recovery, RecoveryLetter, RecoveryRepayment, RepaymentGround
from cases.roles import Role
from cases.services import recovery as svc
from cases.services.errors import DecisionError
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.recovery_helpers import paid_decision
from cases.workdays import STOCKHOLM

D = Decimal


def at(*args):
    return time_machine.travel(datetime(*args, 12, 0, tzinfo=STOCKHOLM), tick=False)


def _communicate(recovery, actor, **overrides):
    values = {
        "facts": recovery.facts,
        "motivering": "Lön i november och december redovisades inte (33 kap. 1 §).",
        "communicated_on": date(2027, 2, 1),
        "communication_method": "letter",
        "communication_oral_offered": True,
        "communication_exemption": "",
        "communication_note": "Personen har inte hört av sig.",
    }
    values.update(overrides)
    return svc.recovery_save(recovery, actor=actor, version=recovery.version, **values)


@pytest.fixture
def case(caseworker):
    return CaseFactory(caseworker=caseworker, applicant=PersonFactory(first_name="Alva"))


@pytest.mark.django_db
def test_plan_paid_in_part_then_the_rest_waived(case, caseworker, unit_manager):
    """2 000,00 kr reclaimed (1 200,25 + 799,75), 300,00 a month from January 2027; paid
    300,00 + 300,00 + 150,50 = 750,50; the unit manager waives the remaining 1 249,50."""
    nov = paid_decision(
        case, decided_on=date(2026, 11, 20), amount="7420.50", pay_on=date(2026, 11, 25)
    )
    dec = paid_decision(
        case, decided_on=date(2026, 12, 18), amount="7420.50", pay_on=date(2026, 12, 23)
    )
    debtor = nov.payee
    with at(2027, 1, 20):
        recovery = svc.recovery_open(
            case,
            actor=caseworker,
            debtor=debtor,
            ground="33_1_1",
            facts="Lön från Exempel AB i november och december redovisades inte.",
            lines=[
                svc.LineInput(nov.pk, D("1200.25"), "Lön 1 200,25 kr"),
                svc.LineInput(dec.pk, D("799.75")),
            ],
        )
    assert recovery.law == "2025:400"
    assert (
        svc.ground_reference(recovery) == "33 kap. 1 § första stycket socialtjänstlagen (2025:400)"
    )
    assert [line.month for line in recovery.lines.all()] == [date(2026, 11, 1), date(2026, 12, 1)]
    assert svc.balance(recovery).claimed == D("2000.00")
    # 33 kap. 5 §: three years from the first cost, 2026-11-25 → 2029-11-25, a Sunday →
    # Monday 2029-11-26 (lag 1930:173).
    clock = deadlines_for(recovery, svc.COURT_CLOCK).get()
    assert clock.state == Deadline.State.OPEN
    assert clock.due_at.astimezone(STOCKHOLM).date() == date(2029, 11, 26)
    assert svc.court_last_day(recovery) == date(2029, 11, 26)

    with at(2027, 2, 10):
        with pytest.raises(DecisionError, match="yttra sig"):  # FL 25 § first
            svc.recovery_decide(recovery, actor=caseworker)
        recovery = _communicate(recovery, caseworker)
        recovery = svc.recovery_decide(
            recovery, actor=caseworker, monthly_amount=D("300.00"), first_month=date(2027, 1, 15)
        )
    assert recovery.status == Recovery.Status.DECIDED and recovery.first_month == date(2027, 1, 1)
    letter = recovery.letters.get()
    assert letter.kind == RecoveryLetter.Kind.DECISION and bytes(letter.pdf).startswith(b"%PDF")
    assert "2\xa0000,00" in letter.html and "1\xa0200,25" in letter.html and "799,75" in letter.html
    assert "kan inte överklagas" in letter.html and "33 kap. 4–5 §§" in letter.html
    assert "300,00 kr i månaden" in letter.html

    key = uuid.uuid4()
    with at(2027, 3, 31):
        svc.recovery_repayment_register(
            recovery, actor=caseworker, paid_on=date(2027, 1, 28), amount=D("300.00")
        )
        svc.recovery_repayment_register(
            recovery, actor=caseworker, paid_on=date(2027, 2, 27), amount=D("300.00")
        )
        first = svc.recovery_repayment_register(
            recovery,
            actor=caseworker,
            paid_on=date(2027, 3, 28),
            amount=D("150.50"),
            idempotency_key=key,
        )
        again = svc.recovery_repayment_register(  # a double click
            recovery,
            actor=caseworker,
            paid_on=date(2027, 3, 28),
            amount=D("150.50"),
            idempotency_key=key,
        )
        assert first.pk == again.pk and RecoveryRepayment.objects.count() == 3
        amounts = svc.balance(recovery)
        assert (amounts.repaid, amounts.outstanding) == (D("750.50"), D("1249.50"))
        # The plan: January–March = 900,00 expected, 750,50 paid → 149,50 behind.
        assert svc.plan_expected(recovery, date(2027, 3, 31)) == D("900.00")
        with pytest.raises(DecisionError, match="större än det som återstår"):
            svc.recovery_repayment_register(
                recovery, actor=caseworker, paid_on=date(2027, 3, 30), amount=D("1249.51")
            )
        recovery.refresh_from_db()
        with pytest.raises(DecisionError, match="delegation"):  # caseworkers do not waive
            svc.recovery_waive(recovery, actor=caseworker, amount=D("1249.50"), motivering="Sjuk.")
        with pytest.raises(DecisionError, match="högst det som återstår"):
            svc.recovery_waive(
                recovery, actor=unit_manager, amount=D("1249.51"), motivering="Sjuk."
            )
        waiver = svc.recovery_waive(
            recovery,
            actor=unit_manager,
            amount=D("1249.50"),
            motivering="Personen har långvarig sjukdom och saknar betalningsförmåga.",
            version=recovery.version,
        )
    recovery.refresh_from_db()
    amounts = svc.balance(recovery)
    assert amounts.outstanding == D("0.00") and amounts.waived == D("1249.50")
    assert recovery.status == Recovery.Status.WAIVED
    assert deadlines_for(recovery, svc.COURT_CLOCK).get().state == Deadline.State.MET
    assert waiver.letter.kind == RecoveryLetter.Kind.WAIVER
    assert "1\xa0249,50" in waiver.letter.html and "33 kap. 6 §" in waiver.letter.html
    assert recovery.letters.count() == 2
    annotated = svc.recoveries_for_case(case).get()
    assert (annotated.claimed, annotated.repaid, annotated.waived, annotated.outstanding) == (
        D("2000.00"),
        D("750.50"),
        D("1249.50"),
        D("0.00"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("decided_on", "law", "reference"),
    [
        (date(2025, 6, 30), "2001:453", "9 kap. 1 § socialtjänstlagen (2001:453)"),
        (date(2025, 7, 1), "2025:400", "33 kap. 1 § första stycket socialtjänstlagen (2025:400)"),
    ],
)
def test_the_law_follows_the_grant_date(case, caseworker, decided_on, law, reference):
    """SFS 2025:400 övergångsbestämmelse 5 a: bistånd granted before 2025-07-01 is
    reclaimed under the old law, whenever it was paid and whenever the claim is made."""
    payment = paid_decision(case, decided_on=decided_on, amount="5000.00", pay_on=date(2025, 7, 3))
    with at(2026, 3, 2):
        recovery = svc.recovery_open(
            case,
            actor=caseworker,
            debtor=payment.payee,
            ground="33_1_1",
            facts="Inkomst redovisades inte.",
            lines=[svc.LineInput(payment.pk, D("5000.00"))],
        )
        assert recovery.law == law and svc.ground_reference(recovery) == reference
        recovery = _communicate(recovery, caseworker, communicated_on=date(2026, 2, 20))
        recovery = svc.recovery_decide(recovery, actor=caseworker)
    html = recovery.letters.get().html
    assert (law == "2001:453") == ("9 kap. 3 §" in html)
    assert (law == "2025:400") == ("33 kap. 4–5 §§" in html)
    assert (law == "2001:453") == ("16 kap. 3 §" in html)


@pytest.mark.django_db
def test_should_have_realised_is_not_in_the_old_law_and_mixed_laws_are_two_claims(case, caseworker):
    old = paid_decision(case, decided_on=date(2025, 6, 30), amount="4000.00")
    new = paid_decision(case, decided_on=date(2025, 7, 1), amount="4000.00")
    with at(2026, 3, 2):
        with pytest.raises(DecisionError, match="äldre"):
            svc.recovery_open(
                case,
                actor=caseworker,
                debtor=old.payee,
                ground="33_1_2",
                facts="x",
                lines=[svc.LineInput(old.pk, D("100.00"))],
            )
        with pytest.raises(DecisionError, match="två återkrav"):
            svc.recovery_open(
                case,
                actor=caseworker,
                debtor=old.payee,
                ground="33_1_1",
                facts="x",
                lines=[svc.LineInput(old.pk, D("100.00")), svc.LineInput(new.pk, D("100.00"))],
            )
        ok = svc.recovery_open(
            case,
            actor=caseworker,
            debtor=new.payee,
            ground="33_1_2",
            facts="Borde ha insett.",
            lines=[svc.LineInput(new.pk, D("4000.00"))],
        )
        assert ok.law == "2025:400"
        with pytest.raises(DecisionError, match="Högst 0,00 kr"):  # all of it already claimed
            svc.recovery_open(
                case,
                actor=caseworker,
                debtor=new.payee,
                ground="33_1_1",
                facts="x",
                lines=[svc.LineInput(new.pk, D("0.01"))],
            )
    assert Recovery.objects.count() == 1


@pytest.mark.django_db
def test_advance_needs_a_served_decision_that_stated_the_ground(case, caseworker):
    """33 kap. 2 § 2 a–b: förskott på förmån only if the written, served decision said so."""
    silent = paid_decision(
        case, decided_on=date(2026, 10, 1), amount="3000.00", served_on=date(2026, 10, 5)
    )
    unserved = paid_decision(
        case,
        decided_on=date(2026, 11, 2),
        amount="3000.00",
        repayment_ground=RepaymentGround.ADVANCE,
    )
    stated = paid_decision(
        case,
        decided_on=date(2026, 12, 1),
        amount="3000.00",
        repayment_ground=RepaymentGround.ADVANCE,
        served_on=date(2026, 12, 4),
    )
    with at(2027, 1, 10):
        for payment in (silent, unserved):
            with pytest.raises(DecisionError, match="angav inte grunden"):
                svc.recovery_open(
                    case,
                    actor=caseworker,
                    debtor=payment.payee,
                    ground="33_2",
                    facts="Sjukpenning kom.",
                    lines=[svc.LineInput(payment.pk, D("3000.00"))],
                )
        recovery = svc.recovery_open(
            case,
            actor=caseworker,
            debtor=stated.payee,
            ground="33_2",
            facts="Sjukpenning kom.",
            lines=[svc.LineInput(stated.pk, D("3000.00"))],
        )
    assert svc.ground_reference(recovery) == "33 kap. 2 § socialtjänstlagen (2025:400)"


@pytest.mark.django_db
def test_stale_save_is_refused_and_court_action_only_within_three_years(case, caseworker):
    payment = paid_decision(
        case, decided_on=date(2026, 1, 20), amount="2500.00", pay_on=date(2026, 1, 23)
    )
    with at(2026, 2, 2):
        recovery = svc.recovery_open(
            case,
            actor=caseworker,
            debtor=payment.payee,
            ground="33_1_1",
            facts="Lön.",
            lines=[svc.LineInput(payment.pk, D("2500.00"))],
        )
        stale_version = recovery.version
        _communicate(recovery, caseworker, communicated_on=date(2026, 2, 1))
        with pytest.raises(DecisionError, match="Någon annan"):
            recovery.version = stale_version
            _communicate(
                recovery, caseworker, motivering="Min ändring", communicated_on=date(2026, 2, 1)
            )
        recovery.refresh_from_db()
        assert recovery.motivering.startswith("Lön i november")
        recovery = svc.recovery_decide(recovery, actor=caseworker)
    # 2026-01-23 + 3 years = 2029-01-23 (a Tuesday).
    with at(2029, 1, 24):
        with pytest.raises(DecisionError, match="senast 23 jan 2029"):
            svc.recovery_court_filed(recovery, actor=caseworker, filed_on=date(2029, 1, 24))
        recovery = svc.recovery_court_filed(recovery, actor=caseworker, filed_on=date(2029, 1, 23))
    assert recovery.status == Recovery.Status.COURT
    assert deadlines_for(recovery, svc.COURT_CLOCK).get().state == Deadline.State.MET


# --- pages and permissions ---------------------------------------------------------


def _new_post(payment, key):
    return {
        "idempotency_key": str(key),
        "debtor": str(payment.payee_id),
        "ground": "33_1_1",
        "facts": "Lön redovisades inte.",
        f"amount_{payment.pk}": "1234,56",
        f"note_{payment.pk}": "",
    }


@pytest.mark.django_db
def test_caseworker_opens_a_claim_once_and_sees_it_on_the_case_and_in_the_list(
    client, case, caseworker
):
    payment = paid_decision(case, decided_on=date(2026, 11, 20), amount="7420.50")
    client.force_login(caseworker)
    url = reverse("recovery_new", args=[case.pk])
    assert client.get(url).status_code == 200
    key = uuid.uuid4()
    first = client.post(url, _new_post(payment, key))
    second = client.post(url, _new_post(payment, key))  # double click
    assert first.status_code == second.status_code == 302
    recovery = Recovery.objects.get()
    assert svc.balance(recovery).claimed == D("1234.56")
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert recovery.reference in page and "1\xa0234,56" in page
    listing = client.get(reverse("recovery_list")).content.decode()
    assert recovery.reference in listing
    detail = client.get(reverse("recovery_detail", args=[recovery.pk]))
    assert detail.status_code == 200 and "Kommunicering" in detail.content.decode()
    # Bad input keeps what was typed.
    bad = client.post(url, {**_new_post(payment, uuid.uuid4()), f"amount_{payment.pk}": "9999,00"})
    assert (
        bad.status_code == 200
        and "Högst" in bad.content.decode()
        and "Lön redovisades inte." in bad.content.decode()
    )


@pytest.mark.django_db
def test_only_who_may_change_the_case_acts_and_reception_never_sees(
    client, case, caseworker, make_user, reception, other_unit
):
    payment = paid_decision(case, decided_on=date(2026, 11, 20), amount="7420.50")
    with at(2026, 12, 1):
        recovery = svc.recovery_open(
            case,
            actor=caseworker,
            debtor=payment.payee,
            ground="33_1_1",
            facts="Lön.",
            lines=[svc.LineInput(payment.pk, D("100.00"))],
        )
    colleague = make_user(Role.CASEWORKER)  # same unit: may read, not change
    outsider = make_user(Role.CASEWORKER, unit=other_unit)
    client.force_login(colleague)
    assert client.get(reverse("recovery_detail", args=[recovery.pk])).status_code == 200
    assert client.get(reverse("recovery_new", args=[case.pk])).status_code == 404
    post = client.post(
        reverse("recovery_action", args=[recovery.pk, "avsluta"]),
        {"version": recovery.version, "note": "Nej"},
    )
    assert post.status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("recovery_detail", args=[recovery.pk])).status_code == 404
    assert recovery.reference not in client.get(reverse("recovery_list")).content.decode()
    client.force_login(reception)
    assert client.get(reverse("recovery_detail", args=[recovery.pk])).status_code == 404
    assert client.get(reverse("recovery_list")).status_code == 403
    recovery.refresh_from_db()
    assert recovery.status == Recovery.Status.DRAFT


@pytest.mark.django_db
def test_the_list_and_the_case_panel_have_a_fixed_query_count(client, case, caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    months = iter(range(1, 13))

    def claim():
        payment = paid_decision(case, decided_on=date(2026, next(months), 20), amount="100.00")
        with at(2026, 12, 1):
            svc.recovery_open(
                case,
                actor=caseworker,
                debtor=payment.payee,
                ground="33_1_1",
                facts="Lön.",
                lines=[svc.LineInput(payment.pk, D("100.00"))],
            )

    client.force_login(caseworker)
    client.get(reverse("recovery_list"))  # warm caches (content types, session)
    client.get(reverse("case_detail", args=[case.pk]))
    counts = []
    for _round in range(2):
        claim()
        claim()
        with CaptureQueriesContext(connection) as listing:
            assert client.get(reverse("recovery_list")).status_code == 200
        with CaptureQueriesContext(connection) as panel:
            assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
        counts.append((len(listing), len(panel)))
    assert counts[0] == counts[1], counts
