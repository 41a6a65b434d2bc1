"""Fixtures for the workplans tests: a case with a household, plans in each state, and
uploaded files kept out of the project's media folder."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.tests.factories import CaseFactory, PersonFactory
from workplans.models import PlanType, Responsible
from workplans.services import (
    activity_add,
    plan_draft_save,
    plan_make_ready,
    workplan_create,
    workplan_sign,
)

SCAN = b"%PDF-1.4\n% scanned signed plan\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def scan(name="underskrift.pdf", content=SCAN):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def applicant(db):
    return PersonFactory(first_name="Kim", last_name="Plansson", birth_date=date(1988, 4, 4))


@pytest.fixture
def case(caseworker, applicant):
    return CaseFactory(caseworker=caseworker, applicant=applicant)


@pytest.fixture
def arbetsplan(db):
    return PlanType.objects.get(code="arbetsplan")


def draft_plan(case, actor, *, activities=2, plan_type=None):
    plan = workplan_create(
        case,
        actor=actor,
        plan_type=plan_type or PlanType.objects.get(code="arbetsplan"),
        person=case.household.memberships.get(role="applicant").person,
    )
    version = plan.versions.get()
    plan_draft_save(
        version,
        actor=actor,
        content={
            "next_step": "Skriva in sig hos Arbetsförmedlingen.",
            "client_view": "Vill arbeta inom vården.",
            "family_situation": "Bor ensam.",
        },
    )
    for i in range(activities):
        activity_add(
            plan,
            actor=actor,
            what=f"Aktivitet {i + 1}",
            responsible=Responsible.CLIENT,
            follow_up_on=timezone.localdate() + timedelta(days=30 + i),
        )
    return plan


def ready_plan(case, actor, **kwargs):
    plan = draft_plan(case, actor, **kwargs)
    plan_make_ready(plan.versions.get(), actor=actor)
    return plan


def signed_plan(case, actor, **kwargs):
    plan = ready_plan(case, actor, **kwargs)
    version = plan.versions.get()
    today = timezone.localdate()
    workplan_sign(
        version,
        actor=actor,
        party="client",
        method="in_person",
        signed_on=today,
        scanned_copy=scan(),
    )
    workplan_sign(version, actor=actor, party="caseworker", method="in_person", signed_on=today)
    return plan
