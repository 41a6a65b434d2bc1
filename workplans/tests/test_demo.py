"""Demo plans: every state a caseworker meets – draft, signed, revised and waiting for
signatures, overdue – loaded idempotently with the core's demo data."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Deadline
from workplans.models import PlanVersion, Signature, WorkPlan

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        PlanVersion.objects.values_list(
            "plan__case__pk", "plan__plan_type__code", "number", "status"
        )
    )


def test_demo_plans_cover_every_state_and_load_once():
    call_command("load_demo")
    first = snapshot()
    signatures = Signature.objects.count()

    call_command("load_demo")

    assert snapshot() == first
    assert Signature.objects.count() == signatures
    statuses = {status for *_rest, status in first}
    assert {"draft", "awaiting", "signed"} <= statuses
    revised = [p for p in WorkPlan.objects.all() if p.versions.count() > 1]
    assert revised and revised[0].versions.filter(status="awaiting").exists()
    overdue = Deadline.objects.filter(
        kind="workplan", state=Deadline.State.OPEN, due_at__lt=timezone.now()
    )
    assert overdue.exists()
    assert WorkPlan.objects.filter(plan_type__code="introduktionsplan").exists()
    # One signature waiting for its partner.
    assert PlanVersion.objects.filter(status="awaiting", signatures__party="caseworker").exists()
