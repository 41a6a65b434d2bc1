"""Gallring (SoL 2025:400 16 kap. 1 och 4 §§) across the apps, on PostgreSQL.

Two persons, both last touched six years ago (time-machine): one born on the 15th (kept
for research, 16 kap. 4 §) and one born on the 16th (destroyed). Neither has a
personnummer: no number is invented here – they have reserve numbers, and the research
day is the recorded birth date; the personnummer path uses Skatteverket's test number
20000105-2380 (born on the 5th).
"""

import logging
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases import gallring
from cases.access import record_access
from cases.deadlines import open_deadline
from cases.models import (
    AccessLog,
    Appeal,
    Case,
    ClosingReason,
    Deadline,
    Decision,
    DecisionLetter,
    GallringLogEntry,
    GallringRun,
    Household,
    JournalNote,
    Notification,
    Payment,
    Person,
    Recovery,
    RetentionHold,
)
from cases.services import gallring as svc
from cases.services import recovery as recovery_svc
from cases.services.casework import case_close, case_open, journal_note_add
from cases.services.decisions import APPROVAL
from cases.services.people import household_create
from cases.tests.factories import PersonFactory
from cases.tests.recovery_helpers import paid_decision
from cases.workdays import STOCKHOLM, end_of_day
from workplans.models import PlanType, Signature
from workplans.services import workplan_create

SIX_YEARS_AGO = datetime(2020, 5, 4, 10, 0, tzinfo=STOCKHOLM)
TODAY = datetime(2026, 6, 1, 10, 0, tzinfo=STOCKHOLM)
SCAN = b"%PDF-1.4\n% scanned\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _akt(caseworker, *, first_name: str, birth_date: date | None, personnummer: str = ""):
    """A household with one closed case: a note, a decision with a stored letter and its
    payment, a work plan with a scanned signature file, a deadline with a notification and
    an access-log row – everything written on one day six years ago."""
    from django.core.files.base import ContentFile

    person = PersonFactory(
        first_name=first_name,
        last_name="Gallringsson",
        birth_date=birth_date,
        personnummer=personnummer or None,
    )
    household = household_create(
        applicant=person, unit=caseworker.unit, valid_from=date(2020, 5, 1), actor=caseworker
    )
    case = case_open(
        actor=caseworker, household=household, unit=caseworker.unit, caseworker=caseworker
    )
    journal_note_add(case, actor=caseworker, text=f"Besök av {first_name}.")
    payment = paid_decision(case, decided_on=date(2020, 5, 4), amount="5220.00")
    DecisionLetter.objects.create(
        decision=payment.decision, html="<p>brev</p>", pdf=b"%PDF", sha256="x"
    )
    plan = workplan_create(
        case, actor=caseworker, plan_type=PlanType.objects.get(code="arbetsplan"), person=person
    )
    version = plan.versions.get()
    signature = Signature(
        version=version,
        party="client",
        person=person,
        method="in_person",
        signed_on=date(2020, 5, 4),
        content_digest="0" * 64,
        recorded_by=caseworker,
    )
    signature.scanned_copy.save(f"underskrift-{first_name}.pdf", ContentFile(SCAN), save=False)
    signature.save()
    deadline = open_deadline(
        kind=APPROVAL,
        subject=payment.decision,
        due_at=end_of_day(date(2020, 5, 6)),
        unit=caseworker.unit,
    )
    Notification.objects.create(deadline=deadline, stage="overdue", recipient=caseworker)
    case = case_close(case, actor=caseworker, reason=ClosingReason.objects.first())
    return person, case, payment, signature


@pytest.fixture
def world(caseworker):
    """Everything six years old: Ada born on the 15th, Bo on the 16th."""
    with time_machine.travel(SIX_YEARS_AGO, tick=False):
        ada = _akt(caseworker, first_name="Ada", birth_date=date(1980, 1, 15))
        bo = _akt(caseworker, first_name="Bo", birth_date=date(1980, 1, 16))
    return {"ada": ada, "bo": bo}


def _log_row(case, at):
    """An access-log row about ``case`` written at ``at`` (as the views write them)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = case.caseworker
    with time_machine.travel(at, tick=False):
        return record_access(
            request, subject_type="case", subject_id=case.pk, subject_unit=case.unit
        )


@pytest.mark.django_db(transaction=True)
def test_dry_run_keeps_the_15th_and_proposes_the_16th_and_destroys_nothing(world, caplog):
    bo = world["bo"]
    caplog.set_level(logging.INFO)
    with time_machine.travel(TODAY, tick=False):
        run = svc.gallring_propose()
    assert run.state == GallringRun.State.PROPOSED
    assert run.kept_for_research == 1 and run.held == 0
    assert run.candidates == [{"persons": [bo[0].pk], "households": [bo[1].household_id]}]
    # Counts by kind: Bo's akt only.
    assert run.counts["personer"] == 1
    assert run.counts["ärenden"] == 1
    assert run.counts["beslut"] == 1 and run.counts["utbetalningar"] == 1
    assert run.counts["tidsfrister"] >= 2 and run.counts["aviseringar"] == 1
    # Nothing destroyed by a dry run, and no name in the application log.
    assert Person.objects.filter(pk=bo[0].pk).exists() and Case.objects.count() == 2
    assert (
        "Bo" not in caplog.text
        and "Gallringsson" not in caplog.text
        and "gallring dry run" in caplog.text
    )
    # The retried yearly job returns the waiting proposal.
    with time_machine.travel(TODAY, tick=False):
        assert svc.gallring_propose().pk == run.pk
    assert GallringRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_approved_gallring_destroys_everything_and_leaves_the_database_consistent(
    world, administrator, unit_manager
):
    ada, bo = world["ada"], world["bo"]
    bo_person, bo_case, bo_payment, bo_signature = bo
    old_row = _log_row(
        bo_case, datetime(2020, 5, 5, 9, 0, tzinfo=STOCKHOLM)
    )  # past the log's 3 years
    recent_row = _log_row(bo_case, datetime(2025, 9, 1, 9, 0, tzinfo=STOCKHOLM))  # not yet
    ada_row = _log_row(ada[1], datetime(2020, 5, 5, 9, 0, tzinfo=STOCKHOLM))  # subject kept
    bo_file, ada_file = bo_signature.scanned_copy.name, ada[3].scanned_copy.name
    assert default_storage.exists(bo_file) and default_storage.exists(ada_file)
    decision_type = ContentType.objects.get_for_model(Decision)
    with time_machine.travel(TODAY, tick=False):
        run = svc.gallring_propose()
        with pytest.raises(svc.GallringError):  # only administrators approve
            svc.gallring_execute(run, actor=unit_manager, version=run.version)
        with pytest.raises(svc.GallringError, match="Någon annan"):
            svc.gallring_execute(run, actor=administrator, version=run.version - 1)
        run = svc.gallring_execute(run, actor=administrator, version=run.version)
        again = svc.gallring_execute(run, actor=administrator, version=run.version)  # double click
    assert run.state == GallringRun.State.EXECUTED and again.pk == run.pk and run.candidates == []

    # Bo's akt is gone – every kind of row.
    assert not Person.objects.filter(pk=bo_person.pk).exists()
    assert not Case.objects.filter(pk=bo_case.pk).exists()
    assert not Household.objects.filter(pk=bo_case.household_id).exists()
    assert not Payment.objects.filter(pk=bo_payment.pk).exists()
    assert not Decision.objects.filter(case_id=bo_case.pk).exists()
    assert not DecisionLetter.objects.filter(decision_id=bo_payment.decision_id).exists()
    assert not JournalNote.objects.filter(case_id=bo_case.pk).exists()
    assert not Signature.objects.filter(pk=bo_signature.pk).exists()
    assert not Deadline.objects.filter(
        subject_type=decision_type, subject_id=bo_payment.decision_id
    ).exists()
    assert not Deadline.objects.filter(
        subject_id=bo_case.pk, subject_type=ContentType.objects.get_for_model(Case)
    ).exists()
    assert Notification.objects.count() == 1  # Ada's
    assert not default_storage.exists(bo_file), "the stored file of a destroyed row is removed"
    # Ada's akt (born on the 15th) is untouched, with its file.
    assert (
        Person.objects.filter(pk=ada[0].pk).exists() and Case.objects.filter(pk=ada[1].pk).exists()
    )
    assert default_storage.exists(ada_file)
    # The access log: the old row about the destroyed case went, the recent one waits for
    # the log's own retention, the row about Ada's kept case stays.
    remaining = set(AccessLog.objects.values_list("pk", flat=True))
    assert old_row.pk not in remaining and recent_row.pk in remaining and ada_row.pk in remaining
    # The gallringslogg: kinds and counts, never who.
    entries = {e.kind: e.count for e in GallringLogEntry.objects.filter(run=run)}
    assert entries["personer"] == 1 and entries["ärenden"] == 1 and entries["åtkomstlogg"] == 1
    assert all("Bo" not in kind and str(bo_person.pk) != kind for kind in entries)
    # Every foreign key still holds, and no deadline points at a row that is gone.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for deadline in Deadline.objects.all():
        assert deadline.subject is not None
    # A file left behind by nobody: every stored file belongs to a row that exists.
    stored = {s.scanned_copy.name for s in Signature.objects.exclude(scanned_copy="")}
    _dirs, files = default_storage.listdir("")
    assert {f for f in files} <= {name.split("/")[-1] for name in stored}


@pytest.mark.django_db(transaction=True)
def test_open_recovery_open_appeal_and_a_hold_keep_the_akt(caseworker, administrator):
    with time_machine.travel(SIX_YEARS_AGO, tick=False):
        with_recovery = _akt(caseworker, first_name="Cia", birth_date=date(1981, 2, 16))
        with_appeal = _akt(caseworker, first_name="Dan", birth_date=date(1982, 3, 17))
        with_hold = _akt(caseworker, first_name="Eva", birth_date=date(1983, 4, 18))
        free = _akt(caseworker, first_name="Fia", birth_date=date(1984, 5, 19))
        # An open återkrav (draft) on Cia's payment; Dan's decision appealed, not decided.
        recovery_svc.recovery_open(
            with_recovery[1],
            actor=caseworker,
            debtor=with_recovery[0],
            ground="33_1_1",
            facts="Lön.",
            lines=[recovery_svc.LineInput(with_recovery[2].pk, Decimal("100.00"))],
        )
        Appeal.objects.create(
            decision=with_appeal[2].decision,
            received_on=date(2020, 5, 4),
            is_timely=True,
            registered_by=caseworker,
        )
        RetentionHold.objects.create(
            case=with_hold[1], reason="Begäran om utlämnande", placed_by=caseworker
        )
    with time_machine.travel(TODAY, tick=False):
        run = svc.gallring_propose()
        assert run.held == 3
        assert run.candidates == [{"persons": [free[0].pk], "households": [free[1].household_id]}]
        svc.gallring_execute(run, actor=administrator, version=run.version)
    for held in (with_recovery, with_appeal, with_hold):
        assert Case.objects.filter(pk=held[1].pk).exists()
    assert not Case.objects.filter(pk=free[1].pk).exists()
    assert Recovery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_recovery_opened_after_the_dry_run_stops_the_destruction(caseworker, administrator):
    """Approval checks again: what became held after the dry run is not destroyed."""
    with time_machine.travel(SIX_YEARS_AGO, tick=False):
        person, case, payment, _signature = _akt(
            caseworker, first_name="Gun", birth_date=date(1985, 6, 16)
        )
    with time_machine.travel(TODAY, tick=False):
        run = svc.gallring_propose()
        assert len(run.candidates) == 1
        Recovery.objects.create(
            case=case,
            debtor=person,
            ground="33_1_1",
            law="2025:400",
            facts="x",
            created_by=caseworker,
        )
        run = svc.gallring_execute(run, actor=administrator, version=run.version)
    # The new claim is itself a note: the akt is neither due nor destroyed.
    assert Case.objects.filter(pk=case.pk).exists() and run.total == 0


@pytest.mark.django_db
def test_not_yet_five_years_open_cases_and_research_rules(caseworker, settings):
    with time_machine.travel(datetime(2021, 6, 2, 10, 0, tzinfo=STOCKHOLM), tick=False):
        recent = _akt(caseworker, first_name="Hugo", birth_date=date(1986, 7, 16))
    akt = next(a for a in gallring.collect() if recent[0].pk in a.person_ids)
    assert akt.last_note == date(2021, 6, 2)
    assert gallring.due_after(akt.last_note) == date(2026, 6, 2)
    assert gallring.destroy_by(akt.last_note) == date(2027, 12, 31)
    result = gallring.assess([akt], as_of=date(2026, 6, 1))
    assert result.due == [] and result.not_yet == 1  # one day short of five years
    assert gallring.assess([akt], as_of=date(2026, 6, 2)).due == [akt]
    settings.VAGEN_GALLRING_RESEARCH_MUNICIPALITY = True  # a sample municipality keeps all
    assert gallring.assess([akt], as_of=date(2026, 6, 2)).kept_for_research == 1
    settings.VAGEN_GALLRING_RESEARCH_MUNICIPALITY = False
    # The research day from a personnummer when no birth date is recorded (Skatteverket's
    # test number 20000105-2380, born on the 5th), and a samordningsnummer's day − 60.
    assert gallring._day_of("200001052380") == 5
    assert gallring._day_of("197010632391") == 3


@pytest.mark.django_db
def test_gallring_pages_are_for_administrators_only(
    client, world, administrator, unit_manager, caseworker, reception
):
    url = reverse("gallring_overview")
    for user in (unit_manager, caseworker, reception):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(reverse("gallring_propose")).status_code == 403
    client.force_login(administrator)
    with time_machine.travel(TODAY, tick=False):
        assert client.post(reverse("gallring_propose")).status_code == 302
        run = GallringRun.objects.get()
        page = client.get(url).content.decode()
        assert "personer" in page and "Gallringsson" not in page and "Bo" not in page
        # Without the confirmation box nothing happens.
        client.post(reverse("gallring_decide", args=[run.pk, "godkann"]), {"version": run.version})
        assert GallringRun.objects.get().state == GallringRun.State.PROPOSED
        client.force_login(unit_manager)
        assert (
            client.post(
                reverse("gallring_decide", args=[run.pk, "godkann"]),
                {"version": run.version, "confirm": "1"},
            ).status_code
            == 403
        )
        client.force_login(administrator)
        client.post(
            reverse("gallring_decide", args=[run.pk, "godkann"]),
            {"version": run.version, "confirm": "1"},
        )
    assert GallringRun.objects.get().state == GallringRun.State.EXECUTED
    assert not Person.objects.filter(pk=world["bo"][0].pk).exists()


@pytest.mark.django_db
def test_management_command_and_beat_schedule(world, capsys):
    from config.celery_app import app

    assert app.conf.beat_schedule["gallring-dry-run"]["task"] == "cases.tasks.gallring_dry_run"
    with time_machine.travel(TODAY, tick=False):
        call_command("gallring")
    out = capsys.readouterr().out
    assert "personer: 1" in out and "Sparas för forskning (akter): 1" in out and "Bo" not in out
    assert GallringRun.objects.count() == 0  # a preview saves nothing
    with time_machine.travel(TODAY, tick=False):
        from cases.tasks import gallring_dry_run

        pk = gallring_dry_run()
        assert gallring_dry_run() == pk
    assert GallringRun.objects.get().pk == pk


@pytest.mark.django_db
def test_the_unit_manager_places_and_releases_a_hold_on_the_case_page(
    client, caseworker, unit_manager
):
    with time_machine.travel(SIX_YEARS_AGO, tick=False):
        person, case, _payment, _signature = _akt(
            caseworker, first_name="Ines", birth_date=date(1987, 8, 16)
        )
    client.force_login(caseworker)
    assert (
        client.post(reverse("retention_hold_place", args=[case.pk]), {"reason": "x"}).status_code
        == 404
    )
    client.force_login(unit_manager)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Spärra mot gallring" in page
    client.post(reverse("retention_hold_place", args=[case.pk]), {"reason": "Begäran från JO"})
    client.post(
        reverse("retention_hold_place", args=[case.pk]), {"reason": "Begäran från JO"}
    )  # twice
    hold = RetentionHold.objects.get()
    with time_machine.travel(TODAY, tick=False):
        assert svc.gallring_propose().held == 1
        GallringRun.objects.all().delete()
    client.post(reverse("retention_hold_release", args=[case.pk, hold.pk]))
    hold.refresh_from_db()
    assert hold.released_at is not None
    with time_machine.travel(TODAY, tick=False):
        assert len(svc.gallring_propose().candidates) == 1


@pytest.mark.django_db
def test_the_access_log_still_refuses_deletes_outside_gallring_and_newer_rows_within(caseworker):
    from django.db import IntegrityError, InternalError, ProgrammingError, transaction

    from cases.models import AccessLogPurge

    with time_machine.travel(SIX_YEARS_AGO, tick=False):
        _person, case, _payment, _signature = _akt(
            caseworker, first_name="Jon", birth_date=date(1988, 9, 16)
        )
    old = _log_row(case, datetime(2020, 5, 5, 9, 0, tzinfo=STOCKHOLM))
    new = _log_row(case, datetime(2025, 9, 1, 9, 0, tzinfo=STOCKHOLM))
    errors = (IntegrityError, InternalError, ProgrammingError)
    for row in (old, new):
        with pytest.raises(errors), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [row.pk])
    with transaction.atomic():
        AccessLogPurge.objects.create(cutoff=datetime(2023, 6, 1, tzinfo=STOCKHOLM))
        with pytest.raises(errors), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [new.pk])  # too new
        with pytest.raises(errors), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE cases_accesslog SET username = 'x' WHERE id = %s", [old.pk])
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [old.pk])
        AccessLogPurge.objects.all().delete()
    assert set(AccessLog.objects.filter(pk__in=[old.pk, new.pk]).values_list("pk", flat=True)) == {
        new.pk
    }
