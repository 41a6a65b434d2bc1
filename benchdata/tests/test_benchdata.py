"""seed_bench (benchdata): what the fabricated benchmark data looks like, that the
pages work on it, and that a reset removes it and nothing else."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from benchdata import UNIT_CODE_PREFIX
from benchdata.reset import reset
from cases.models import (
    AccessLog,
    Application,
    Case,
    CaseUserObjectPermission,
    Deadline,
    Decision,
    DecisionItem,
    NormYear,
    Person,
    Unit,
    User,
)
from cases.roles import Role
from cases.tests.factories import CaseFactory, copy_norm_year
from cases.workdays import STOCKHOLM

pytestmark = pytest.mark.django_db


def seed(**options):
    options = {"households": 100, "units": 2, "seed": 3, "verbosity": 0, **options}
    call_command("seed_bench", **options)


def bench_cases():
    return Case.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX)


def test_refused_where_demo_data_is_not_allowed(settings):
    settings.VAGEN_DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="VAGEN_DEMO_DATA_ALLOWED"):
        seed()
    assert not Unit.objects.filter(code__startswith=UNIT_CODE_PREFIX).exists()


def test_the_explicit_flag_overrides_the_setting(settings):
    settings.VAGEN_DEMO_DATA_ALLOWED = False
    seed(i_know_this_is_not_production=True)
    assert bench_cases().count() == 100


def test_units_staff_and_persons():
    seed()
    units = Unit.objects.filter(code__startswith=UNIT_CODE_PREFIX)
    assert units.count() == 2
    for unit in units:
        assert unit.managers().count() == 1
        assert 10 <= unit.members_with_role(Role.CASEWORKER).count() <= 15
    persons = Person.objects.filter(
        memberships__household__unit__code__startswith=UNIT_CODE_PREFIX
    ).distinct()
    assert persons.count() >= 100
    assert not persons.filter(personnummer__isnull=False).exists()  # never a real one
    assert not persons.filter(reserve_number__isnull=True).exists()
    assert not persons.filter(birth_date__isnull=True).exists()


def test_grants_follow_the_rules_of_the_app():
    """The caseworker holds view and change on every case that is not closed; closing
    revokes grants, so closed cases have none."""
    seed()
    grants = CaseUserObjectPermission.objects.filter(content_object__in=bench_cases())
    for case in bench_cases().select_related("caseworker"):
        held = set(
            grants.filter(content_object=case, user=case.caseworker).values_list(
                "permission__codename", flat=True
            )
        )
        assert held == (set() if case.is_closed else {"view_case", "change_case"})
    assert bench_cases().filter(status=Case.Status.CLOSED, closing_reason__isnull=False).exists()


def test_applications_decisions_and_deadlines():
    seed()
    applications = Application.objects.filter(case__in=bench_cases())
    assert applications.exists()
    calculated = applications.exclude(status=Application.Status.RECEIVED)
    assert not calculated.filter(Q(calculation__isnull=True) | Q(result__isnull=True)).exists()
    finals = Decision.objects.filter(case__in=bench_cases(), status=Decision.Status.FINAL)
    assert finals.exists()
    assert not finals.annotate(n=Count("items")).filter(n=0).exists()
    items = DecisionItem.objects.filter(decision__in=finals)
    assert not items.exclude(legal_basis__code="sol2025-12-1").exists()
    deadlines = Deadline.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX)
    assert deadlines.filter(kind="callback", state=Deadline.State.MET).exists()
    assert deadlines.filter(state=Deadline.State.OPEN).exists()
    assert AccessLog.objects.filter(subject_type="case", unit__code__startswith=UNIT_CODE_PREFIX)


def test_the_pages_work_on_generated_data(client):
    seed()
    caseworker = (
        User.objects.filter(cases__in=bench_cases().exclude(status=Case.Status.CLOSED))
        .distinct()
        .first()
    )
    client.force_login(caseworker)
    assert client.get(reverse("case_list")).status_code == 200
    for case in Case.objects.visible_to(caseworker).filter(caseworker=caseworker)[:5]:
        assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    manager = caseworker.unit.managers().get()
    client.force_login(manager)
    for name in ("reporting:dashboard", "reporting:indicators", "reporting:statistics"):
        assert client.get(reverse(name)).status_code == 200


def test_reset_removes_the_generated_data_and_nothing_else(caseworker):
    other = CaseFactory(caseworker=caseworker)
    someone = other.household.memberships.get().person
    AccessLog.objects.create(
        user=caseworker, username=caseworker.username, subject_type="case", outcome="allowed"
    )
    seed()
    bench_log = AccessLog.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count()
    assert bench_cases().exists()

    reset()

    assert not bench_cases().exists()
    assert not Person.objects.filter(memberships__household__unit__code__startswith="bench")
    assert Case.objects.filter(pk=other.pk).exists()
    assert Person.objects.filter(pk=someone.pk).exists()
    # The access log holds other rows too, so it is left as it is: append-only.
    assert AccessLog.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count() == bench_log
    assert AccessLog.objects.filter(user=caseworker).count() == 1
    # Staff stay (the log names them) and are reused by the next run.
    staff = User.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count()
    seed(reset=True)
    assert bench_cases().count() == 100
    assert User.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count() == staff


def test_reset_empties_an_access_log_of_generated_rows_only():
    seed()
    assert AccessLog.objects.exists()
    reset()
    assert not AccessLog.objects.exists()
    assert Unit.objects.filter(code__startswith=UNIT_CODE_PREFIX).count() == 2


def test_plans_as_the_workplans_app_leaves_them():
    pytest.importorskip("workplans")
    from workplans.models import PlanVersion

    seed()
    signed = PlanVersion.objects.filter(plan__case__in=bench_cases(), status="signed")
    assert signed.exists()
    for version in signed.prefetch_related("signatures")[:10]:
        signatures = list(version.signatures.all())
        assert {s.party for s in signatures} == {"client", "caseworker"}
        assert {s.content_digest for s in signatures} == {version.content_digest()}
    plan_deadlines = Deadline.objects.filter(kind="workplan", unit__code__startswith="bench")
    assert plan_deadlines.count() == bench_cases().count()  # one per case, as the hook
    assert not plan_deadlines.filter(
        state=Deadline.State.OPEN, subject_id__in=signed.values("plan__case")
    ).exists()


def test_obstacles_recorded_per_adult_on_applications():
    from cases.models import ApplicationObstacle

    seed()
    applications = Application.objects.filter(case__in=bench_cases())
    obstacles = ApplicationObstacle.objects.filter(application__in=applications)
    assert obstacles.exists()
    # Only for the application's adults: applicant or co-applicant.
    assert not obstacles.exclude(
        Q(person=models.F("application__applicant"))
        | Q(person=models.F("application__co_applicant"))
    ).exists()
    # A few adults never had one recorded (the statistics' "uppgift saknas").
    assert applications.filter(obstacles__isnull=True).exists()


def test_referrals_as_the_referrals_app_leaves_them():
    pytest.importorskip("referrals")
    from referrals.models import Referral

    seed(households=200)
    referrals = Referral.objects.filter(case__in=bench_cases())
    assert referrals.count() > 20
    assert {"sent", "started", "ended"} <= set(referrals.values_list("state", flat=True))
    for referral in referrals.prefetch_related("events"):
        assert referral.events.first().kind == "created"
        assert referral.sent_on >= referral.case.first_visit_on
        if referral.state == "started":
            assert referral.follow_up_due_at is not None
            assert Deadline.objects.filter(
                kind="referral_follow_up", subject_id=referral.pk, state=Deadline.State.OPEN
            ).exists()
        if referral.case.status == Case.Status.CLOSED:
            assert referral.state in ("ended", "declined")
    responses = Deadline.objects.filter(kind="referral_response", subject_id__in=referrals)
    assert responses.count() == referrals.count()
    answered = referrals.filter(answered_on__isnull=False)
    assert not responses.filter(subject_id__in=answered).exclude(state="met").exists()
    # No referral deadline refers to anything but a generated referral.
    referral_deadlines = Deadline.objects.filter(kind__startswith="referral")
    assert not referral_deadlines.exclude(subject_id__in=referrals).exists()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 1, 1, 0, 30, tzinfo=STOCKHOLM),  # a new year without its norm
        datetime(2027, 10, 31, 2, 30, tzinfo=STOCKHOLM),  # the hour that comes twice
    ],
)
def test_any_year_within_the_loaded_norm_years(now):
    years = set(NormYear.objects.values_list("year", flat=True))
    with time_machine.travel(now, tick=False):
        seed(households=40)
    applications = Application.objects.filter(case__in=bench_cases())
    assert applications.exists()
    newest = max(applications.values_list("month", flat=True))
    assert newest == date(2026, 12, 1)  # last December: 2027 has no norm loaded
    # The newest month is at every stage, earlier ones decided (as with this year's norm).
    assert applications.filter(month=newest).exclude(status="decided").exists()
    assert not applications.filter(month__lt=newest).exclude(status="decided").exists()
    assert set(NormYear.objects.values_list("year", flat=True)) == years  # none invented
    assert not bench_cases().filter(opened_on__gt=now.date()).exists()


def test_this_years_applications_once_its_norm_is_loaded():
    copy_norm_year(2026, 2027)
    with time_machine.travel(datetime(2027, 3, 15, 10, 0, tzinfo=STOCKHOLM), tick=False):
        seed(households=40)
    months = set(Application.objects.filter(case__in=bench_cases()).values_list("month", flat=True))
    assert max(months) == date(2027, 3, 1)


def test_refused_without_any_norm():
    NormYear.objects.update(is_active=False)
    with pytest.raises(CommandError, match="riksnorm"):
        seed()
