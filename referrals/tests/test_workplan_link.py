"""The contract with the workplans app (either may land first): agreed steps and a
kartläggning become activities through ``workplans.services.activity_add``, and work
plans show a linked referral through the resolver referrals registers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from referrals import workplan_link
from referrals.services import StepInput, three_party_meeting_record

workplans_services = pytest.importorskip("workplans.services")
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(case, person, caseworker):
    from workplans.models import PlanType

    return workplans_services.workplan_create(
        case,
        actor=caseworker,
        plan_type=PlanType.objects.order_by("ordering").first(),
        person=person,
    )


def test_the_resolver_is_registered_with_workplans(referral):
    from workplans.links import resolve_referrals

    label, url = resolve_referrals([referral.pk])[referral.pk]
    assert label == (
        "Remiss till Arbetsförmedlingen – Inskrivning och gemensam planering (skickad)"
    )
    assert url == reverse("referrals:referral_detail", args=[referral.pk])


def test_an_agreed_step_becomes_a_linked_activity(plan, case, caseworker, provider, referral):
    from workplans.models import Activity

    meeting = three_party_meeting_record(
        actor=caseworker,
        case=case,
        provider=provider,
        participant_name="Kim",
        notes="Planering",
        held_at=datetime(2025, 4, 2, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
        referral=referral,
        steps=[StepInput(what="Truckkort", responsible="provider", becomes="activity")],
    )
    activity = Activity.objects.get(pk=meeting.steps.get().activity_id)
    assert (activity.what, activity.responsible, activity.referral_id) == (
        "Truckkort",
        "arbetsformedlingen",
        referral.pk,
    )
    assert workplan_link.linked_activities(referral) == ["Truckkort (utkast)"]


def test_the_kartlaggning_drafts_an_activity(client, plan, mapping, case, person, caseworker):
    from workplans.models import Activity

    client.force_login(caseworker)
    url = reverse("referrals:mapping_detail", args=[case.pk, person.pk])
    page = client.get(url).content.decode()
    assert "Stöd som personen vill ha: Praktik och hjälp med CV" in page  # prefilled
    response = client.post(
        reverse("referrals:mapping_activity", args=[case.pk, person.pk]),
        {"what": "Praktik inom äldreomsorgen", "responsible": "client"},
    )
    assert response.status_code == 302
    activity = Activity.objects.get(version__plan=plan)
    assert (activity.what, activity.responsible) == ("Praktik inom äldreomsorgen", "client")


def test_without_a_plan_the_step_waits_and_says_why(case, caseworker, provider):
    meeting = three_party_meeting_record(
        actor=caseworker,
        case=case,
        provider=provider,
        participant_name="Kim",
        notes="Planering",
        held_at=datetime(2025, 4, 2, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
        steps=[StepInput(what="CV", responsible="client", becomes="activity")],
    )
    assert meeting.steps.get().activity_id is None
    _id, why = workplan_link.activity_create(
        case, actor=caseworker, what="CV", responsible="client"
    )
    assert "ingen arbetsplan" in why
