"""Anmälan av delegationsbeslut (KL 6 kap. 40 §) and laglighetsprövning from the
announcement of the justerat protokoll (KL 13 kap. 5 §), hand-computed, with who may see
the nämnd's lists."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cases.board_reports import delegation_rows
from cases.models import Decision, DelegationReport, Unit
from cases.roles import Role
from cases.services import board as board_svc
from cases.services import decisions as svc
from cases.services.errors import DecisionError
from cases.tests.factories import PersonFactory, UnitFactory
from cases.tests.letters import applied_case, decide, item, letter_text
from cases.workdays import STOCKHOLM

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM), tick=False
    )


def decided(caseworker, on: date, items, *, applied=(), approver=None):
    with at(on):
        application = applied_case(
            caseworker,
            month=date(2026, 1, 1),
            applicant=PersonFactory(first_name="Klara", last_name="Hemlig"),
            items=list(applied),
        )
        return decide(application, caseworker, items, approver=approver)


def livelihood(outcome, amount):
    return item("livelihood", outcome, amount, "sol2025-12-1")


@pytest.fixture
def secretary(make_user):
    return make_user(Role.BOARD_SECRETARY, first_name="Sekreterare")


@pytest.fixture
def month_end(caseworker, unit_manager):
    """Decisions of unit Nord on both sides of 31 January 2026."""
    within = decided(caseworker, date(2026, 1, 30), [livelihood("granted", "1000")])
    refusal = decided(
        caseworker, date(2026, 1, 31), [item("livelihood", "refused", "0", "sol2025-12-1")]
    )
    # Above the caseworker's 15 000 kr: submitted Friday 30 January, approved by the unit
    # manager on Monday 2 February – the decision date is the approval's.
    with at(date(2026, 1, 30)):
        application = applied_case(
            caseworker,
            month=date(2026, 1, 1),
            applicant=PersonFactory(first_name="Klara", last_name="Hemlig"),
        )
        draft = svc.decision_save_draft(
            application,
            actor=caseworker,
            items=[item("livelihood", "granted", "20000", "sol2025-12-1")],
            motivering="Särskilda skäl.",
        )
        waiting = svc.decision_submit(draft, actor=caseworker)
    assert waiting.status == Decision.Status.AWAITING_APPROVAL
    with at(date(2026, 2, 2)):
        above = svc.decision_approve(waiting, actor=unit_manager)
    dental = decided(
        caseworker,
        date(2026, 2, 2),
        [item("dental", "granted", "4000", "sol2025-12-1")],
        applied=[("dental", Decimal(4000), "")],
    )
    return {"within": within, "refusal": refusal, "above": above, "dental": dental}


def test_delegation_list_across_a_month_end(month_end, unit):
    rows = delegation_rows([unit.pk], start=date(2026, 1, 26), end=date(2026, 2, 6))

    cw, chief = "Socialsekreterare", "Enhetschef"
    assert [
        (r.reference, r.decided_on, r.outcome, r.title, r.point, r.above_delegation) for r in rows
    ] == [
        (month_end["within"].reference, date(2026, 1, 30), "Bifall", cw, "1.1", False),
        (month_end["refusal"].reference, date(2026, 1, 31), "Avslag", cw, "1.2", False),
        (month_end["above"].reference, date(2026, 2, 2), "Bifall", chief, "1.3", True),
        (month_end["dental"].reference, date(2026, 2, 2), "Bifall", cw, "2.1", False),
    ]  # fmt: skip
    january = delegation_rows([unit.pk], start=date(2026, 1, 1), end=date(2026, 1, 31))
    # Submitted in January, approved in February: on February's list.
    assert [r.reference for r in january] == [
        month_end["within"].reference,
        month_end["refusal"].reference,
    ]


def test_anmalan_per_period_each_decision_once(month_end, secretary):
    with at(date(2026, 2, 3)):
        with pytest.raises(DecisionError):  # February has not ended
            board_svc.delegation_report_create(
                actor=secretary,
                board_name="Socialnämnden",
                period_start=date(2026, 2, 1),
                period_end=date(2026, 2, 28),
            )
        january = board_svc.delegation_report_create(
            actor=secretary,
            board_name="Socialnämnden",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
        )
    with at(date(2026, 3, 2)):
        with pytest.raises(DecisionError):  # overlaps January's
            board_svc.delegation_report_create(
                actor=secretary,
                board_name="Socialnämnden",
                period_start=date(2026, 1, 15),
                period_end=date(2026, 2, 28),
            )
        february = board_svc.delegation_report_create(
            actor=secretary,
            board_name="Socialnämnden",
            period_start=date(2026, 2, 1),
            period_end=date(2026, 2, 28),
        )
    assert set(january.decisions.all()) == {month_end["within"], month_end["refusal"]}
    assert set(february.decisions.all()) == {month_end["above"], month_end["dental"]}


def test_anmalan_posted_twice_is_one(month_end, secretary, client):
    client.force_login(secretary)
    data = {
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "idempotency_key": "7f1c3c2e-2b8e-4a57-9b39-3f2b8c1d9a10",
    }
    with at(date(2026, 2, 3)):
        first = client.post(reverse("delegation_report_new"), data)
        second = client.post(reverse("delegation_report_new"), data)
    assert first.status_code == second.status_code == 302
    assert DelegationReport.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_list_download_has_no_names_or_personnummer(month_end, secretary, client):
    client.force_login(secretary)
    url = reverse("delegation_list")
    query = {"period_start": "2026-01-26", "period_end": "2026-02-06"}
    page = client.get(url, query).content.decode()
    csv = client.get(url, {**query, "ladda-ner": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    for body in (page, text):
        assert month_end["above"].reference in body
        assert "Hemlig" not in body and "Klara" not in body
        assert "19121212" not in body and "1212121212" not in body
    assert "1.3" in text and "Enhetschef" in text
    pdf = client.get(url, {**query, "ladda-ner": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


# --- laglighetsprövning ---------------------------------------------------------------------


def test_announcement_starts_the_three_weeks_of_laglighetsprovning(caseworker, secretary, client):
    decision = decided(
        caseworker,
        date(2026, 1, 30),
        [
            item("livelihood", "granted", "1000", "sol2025-12-1"),
            item("dental", "granted", "4000", "sol2025-12-2"),
        ],
        applied=[("dental", Decimal(4000), "")],
    )
    with at(date(2026, 2, 3)):
        report = board_svc.delegation_report_create(
            actor=secretary,
            board_name="Socialnämnden",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
        )
    with at(date(2026, 2, 21)):
        with pytest.raises(DecisionError):  # announced before the meeting
            board_svc.delegation_report_dates(
                report,
                actor=secretary,
                meeting_on=date(2026, 2, 17),
                announced_on=date(2026, 2, 16),
            )
        with pytest.raises(DecisionError):  # not yet announced
            board_svc.delegation_report_dates(
                report,
                actor=secretary,
                meeting_on=date(2026, 2, 17),
                announced_on=date(2026, 2, 23),
            )
        report = board_svc.delegation_report_dates(
            report,
            actor=secretary,
            meeting_on=date(2026, 2, 17),
            announced_on=date(2026, 2, 20),
            version=report.version,
        )
        with pytest.raises(DecisionError):  # a stale form
            board_svc.delegation_report_dates(
                report, actor=secretary, meeting_on=None, announced_on=None, version=1
            )
    # Fri 20 February + three weeks = Fri 13 March 2026 (lag 1930:173).
    assert board_svc.legality_last_day(report) == date(2026, 3, 13)

    decision.refresh_from_db()
    dental = decision.items.get(kind="dental")
    with at(date(2026, 3, 2)):
        appeal = svc.appeal_register(
            decision, actor=caseworker, received_on=date(2026, 3, 2), item=dental
        )
        client.force_login(caseworker)
        page = client.get(reverse("appeal_detail", args=[appeal.pk])).content.decode()
        detail = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
        letter = letter_text(svc.decision_letter_preview(decision)[0])
    assert "20 feb 2026" in page and "13 mars 2026" in page
    assert "13 mars 2026" in detail
    assert "Protokollet anslogs den 20 februari 2026" in letter
    assert "senast den 13 mars 2026" in letter


# --- who sees the lists ---------------------------------------------------------------------


@pytest.fixture
def nämnder(make_user, unit, other_unit):
    """Nord and Väst decide for Socialnämnden; Syd for another nämnd."""
    vast = UnitFactory(code="vast", name="Väst")
    Unit.objects.filter(pk=other_unit.pk).update(board_name="Arbetsmarknadsnämnden")
    other_unit.refresh_from_db()
    people = {
        "nord_cw": make_user(Role.CASEWORKER),
        "vast_cw": make_user(Role.CASEWORKER, unit=vast),
        "syd_cw": make_user(Role.CASEWORKER, unit=other_unit),
        "nord_mgr": make_user(Role.UNIT_MANAGER),
        "vast_mgr": make_user(Role.UNIT_MANAGER, unit=vast),
        "secretary": make_user(Role.BOARD_SECRETARY),
        "syd_secretary": make_user(Role.BOARD_SECRETARY, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
    }
    made = {
        name: decided(
            people[f"{name}_cw"],
            date(2026, 1, 15),
            [item("livelihood", "granted", "1000", "sol2025-12-1")],
        )
        for name in ("nord", "vast", "syd")
    }
    return people, made


def _refs(client, user, url, params):
    client.force_login(user)
    with at(date(2026, 7, 2)):
        response = client.get(url, params)
    assert response.status_code == 200
    return {d.reference for d in Decision.objects.all() if d.reference in response.content.decode()}


def test_each_sees_their_nämnd_or_unit_only(client, nämnder):
    people, made = nämnder
    lists = [
        (reverse("delegation_list"), {"period_start": "2026-01-01", "period_end": "2026-01-31"}),
        (reverse("non_execution_report"), {"year": 2026, "quarter": 2, "recipient": "ivo"}),
    ]
    for url, params in lists:
        assert _refs(client, people["secretary"], url, params) == {
            made["nord"].reference,
            made["vast"].reference,
        }
        assert _refs(client, people["syd_secretary"], url, params) == {made["syd"].reference}
        assert _refs(client, people["nord_mgr"], url, params) == {made["nord"].reference}
        assert _refs(client, people["vast_mgr"], url, params) == {made["vast"].reference}


def test_reception_caseworkers_and_administrators_never_see_the_lists(client, nämnder):
    people, _made = nämnder
    with at(date(2026, 2, 3)):
        report = board_svc.delegation_report_create(
            actor=people["secretary"],
            board_name="Socialnämnden",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
        )
    urls = [
        reverse("delegation_list"),
        reverse("non_execution_report"),
        reverse("delegation_report_detail", args=[report.pk]),
        reverse("delegation_report_detail", args=[report.pk]) + "?ladda-ner=csv",
        reverse("non_execution_report") + "?year=2026&quarter=2&recipient=ivo&ladda-ner=csv",
        reverse("board_start"),
    ]
    for who in ("reception", "nord_cw", "syd_cw", "administrator"):
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
    client.force_login(people["syd_secretary"])  # another nämnd's anmälan: not found
    assert client.get(urls[2]).status_code == 404
    client.force_login(people["nord_mgr"])  # reads it, records nothing
    assert client.get(urls[2]).status_code == 200
    assert client.post(reverse("delegation_report_new"), {}).status_code == 403
    dates = reverse("delegation_report_dates", args=[report.pk])
    assert client.post(dates, {"meeting_on": "2026-02-17"}).status_code == 403
    assert client.get(reverse("board_start")).status_code == 403


def test_the_secretary_never_sees_case_data(client, nämnder):
    people, made = nämnder
    client.force_login(people["secretary"])
    decision = made["nord"]
    for url in (
        reverse("decision_detail", args=[decision.pk]),
        reverse("decision_letter", args=[decision.pk]),
        reverse("case_detail", args=[decision.case_id]),
        reverse("person_detail", args=[decision.application.applicant_id]),
        reverse("case_list"),
        reverse("payment_list"),
        reverse("appeal_list"),
        reverse("person_search"),
        reverse("approvals"),
        reverse("reporting:dashboard"),
    ):
        assert client.get(url).status_code in (403, 404), url
    post = client.post(reverse("execution_action", args=[decision.pk, "skal"]), {"reason": "x"})
    assert post.status_code == 404
    assert client.get(reverse("board_start")).status_code == 200


def test_every_report_downloads_as_pdf_and_csv(client, nämnder):
    people, made = nämnder
    client.force_login(people["secretary"])
    url = reverse("non_execution_report")
    with at(date(2026, 7, 2)):
        for recipient in ("ivo", "revisorer", "fullmaktige"):
            query = {"year": 2026, "quarter": 2, "recipient": recipient}
            page = client.get(url, query).content.decode()
            pdf = client.get(url, {**query, "ladda-ner": "pdf"})
            csv = client.get(url, {**query, "ladda-ner": "csv"}).content.decode("utf-8-sig")
            assert pdf.content.startswith(b"%PDF"), recipient
            assert "Hemlig" not in page + csv
            if recipient == "fullmaktige":
                # Counts only: two decisions of the nämnd, none of another's, no references.
                assert made["nord"].reference not in page + csv
                assert "Försörjningsstöd (norm och skäliga kostnader);2;0;2;0;0" in csv
            else:
                assert made["nord"].reference in csv and made["vast"].reference in csv
                assert made["syd"].reference not in csv
        order = client.get(reverse("delegation_order"), {"ladda-ner": "pdf"})
        order_page = client.get(reverse("delegation_order")).content.decode()
    assert order.content.startswith(b"%PDF")
    assert "1.3" in order_page and "Enhetschef" in order_page
