"""Three-party meetings: the other agency's participant, notes, agreed next steps that
become work-plan activities or referrals; a meeting about a started stay is its
follow-up."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Meeting
from cases.services.casework import meeting_plan
from referrals import workplan_link
from referrals.models import AgreedStep, ThreePartyMeeting
from referrals.services import (
    ReferralError,
    StepInput,
    agreed_step_to_activity,
    referral_accept,
    referral_start,
    three_party_meeting_record,
)
from referrals.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
HELD = datetime(2025, 4, 2, 10, 0, tzinfo=STOCKHOLM)


def record(case, caseworker, provider, **kwargs):
    kwargs.setdefault("held_at", HELD)
    kwargs.setdefault("participant_name", "Kim Förmedlare")
    kwargs.setdefault("notes", "Planerade praktik tillsammans.")
    return three_party_meeting_record(actor=caseworker, case=case, provider=provider, **kwargs)


def test_a_meeting_is_also_the_cases_three_party_meeting(case, caseworker, provider):
    meeting = record(case, caseworker, provider, participant_title="arbetsförmedlare")

    core = meeting.meeting
    assert (core.case, core.kind, core.state, core.planned_at) == (
        case,
        Meeting.Kind.THREE_PARTY,
        Meeting.State.HELD,
        HELD,
    )
    assert core.client_attended
    assert core.note == "Med Kim Förmedlare (arbetsförmedlare), Arbetsförmedlingen."


def test_a_booked_meeting_is_recorded_as_held(case, caseworker, provider):
    booked = meeting_plan(
        case, actor=caseworker, kind=Meeting.Kind.THREE_PARTY, planned_at=HELD - timedelta(days=1)
    )
    meeting = record(case, caseworker, provider, held_at=None, planned_meeting=booked)
    assert meeting.meeting == booked and meeting.held_at == booked.planned_at
    booked.refresh_from_db()
    assert booked.state == Meeting.State.HELD
    assert Meeting.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"participant_name": " "}, "deltog"),
        ({"notes": ""}, "anteckningar"),
        ({"held_at": timezone.now() + timedelta(hours=1)}, "inte har hållits"),
        ({"held_at": datetime(2024, 12, 1, 10, tzinfo=STOCKHOLM)}, "före"),
        (
            {"steps": [StepInput(what="Remiss", responsible="caseworker", becomes="referral")]},
            "vart remissen",
        ),
    ],
)
def test_checks_before_saving(case, caseworker, provider, changes, message):
    with pytest.raises(ReferralError, match=message):
        record(case, caseworker, provider, **changes)
    assert not ThreePartyMeeting.objects.exists()
    assert not Meeting.objects.exists()


def test_a_meeting_about_a_started_stay_is_its_follow_up(referral, case, caseworker, provider):
    referral_accept(referral, actor=caseworker, on=date(2025, 3, 4))
    referral_start(referral, actor=caseworker, on=date(2025, 3, 5))

    record(case, caseworker, provider, referral=referral)

    referral.refresh_from_db()
    assert referral.last_follow_up_on == date(2025, 4, 2)
    assert referral.follow_up_due_at == datetime(2025, 5, 2, 23, 59, tzinfo=STOCKHOLM)
    assert referral.events.latest("pk").note == "Trepartssamtal med Kim Förmedlare."


def test_a_meeting_about_a_sent_referral_is_in_its_history(referral, case, caseworker, provider):
    record(case, caseworker, provider, referral=referral)
    event = referral.events.latest("pk")
    assert (event.kind, event.occurred_on) == ("meeting", date(2025, 4, 2))


def test_a_step_becomes_a_referral_when_the_caseworker_sends_it(
    client, case, caseworker, provider, person
):
    budget = ServiceFactory(provider__name="Budget- och skuldrådgivningen", name="Budgetrådgivning")
    meeting = record(
        case,
        caseworker,
        provider,
        steps=[
            StepInput(
                what="Budgetrådgivning före första lönen",
                responsible="caseworker",
                becomes="referral",
                service=budget,
            )
        ],
    )
    step = meeting.steps.get()
    client.force_login(caseworker)
    url = reverse("referrals:referral_new", args=[case.pk])
    page = client.get(url, {"steg": step.pk}).content.decode()
    assert "Budgetrådgivning före första lönen" in page
    assert f'<option value="{budget.pk}" selected>' in page

    response = client.post(
        url,
        {
            "person": person.pk,
            "service": budget.pk,
            "reason": "Budgetrådgivning före första lönen",
            "request": "Budgetrådgivning",
            "sent_on": "2025-04-03",
            "shared_fields": ["identity"],
            "step": step.pk,
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.referral is not None and step.referral.service == budget
    assert step.is_done


def test_an_activity_step_without_a_work_plan_waits(case, caseworker, provider):
    meeting = record(
        case,
        caseworker,
        provider,
        steps=[StepInput(what="Truckkort", responsible="provider", becomes="activity")],
    )
    step = meeting.steps.get()
    assert step.activity_id is None and not step.is_done
    with pytest.raises(ReferralError, match="arbetsplan"):
        agreed_step_to_activity(step, actor=caseworker)


def test_an_activity_step_goes_into_the_work_plan(
    monkeypatch, case, caseworker, provider, referral
):
    """workplans' activity_add is called with the step, the provider as responsible and
    the referral's id (the fake stands in for the other app, not for the database)."""
    added = []

    class FakeActivity:
        pk = 4711

    def activity_add(plan, **kwargs):
        added.append((plan, kwargs))
        return FakeActivity()

    monkeypatch.setattr(workplan_link, "_activity_add", lambda: activity_add)
    monkeypatch.setattr(workplan_link, "_plan_for", lambda case, person: "planen")

    meeting = record(
        case,
        caseworker,
        provider,
        referral=referral,
        steps=[
            StepInput(
                what="Truckkort",
                responsible="provider",
                becomes="activity",
                due_on=date(2025, 5, 1),
            )
        ],
    )

    assert meeting.steps.get().activity_id == 4711
    assert added == [
        (
            "planen",
            {
                "actor": caseworker,
                "what": "Truckkort",
                "responsible": "arbetsformedlingen",
                "responsible_note": "",
                "ends_on": date(2025, 5, 1),
                "referral_id": referral.pk,
            },
        )
    ]


def test_a_refusal_from_the_work_plan_is_reported(monkeypatch, case, caseworker, provider):
    from cases.services.casework import CaseError

    def activity_add(plan, **kwargs):
        raise CaseError("Planen är undertecknad och kan inte ändras.")

    monkeypatch.setattr(workplan_link, "_activity_add", lambda: activity_add)
    monkeypatch.setattr(workplan_link, "_plan_for", lambda case, person: "planen")
    meeting = record(
        case,
        caseworker,
        provider,
        steps=[StepInput(what="CV", responsible="client", becomes="activity")],
    )
    step = meeting.steps.get()
    assert step.activity_id is None
    with pytest.raises(ReferralError, match="undertecknad"):
        agreed_step_to_activity(step, actor=caseworker)


def test_the_meeting_form_keeps_input_on_errors(client, case, caseworker, provider):
    client.force_login(caseworker)
    url = reverse("referrals:meeting_new", args=[case.pk])
    response = client.post(
        url,
        {
            "held_at": "2025-04-02T10:00",
            "provider": provider.pk,
            "participant_name": "",
            "notes": "Anteckningar som inte får försvinna",
            "steg-TOTAL_FORMS": "3",
            "steg-INITIAL_FORMS": "0",
            "steg-0-what": "Skriva CV",
            "steg-0-responsible": "client",
            "steg-0-becomes": "referral",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anteckningar som inte får försvinna" in page and "Skriva CV" in page
    assert "Välj vart remissen ska gå." in page
    assert not ThreePartyMeeting.objects.exists()


def test_steps_are_linked_to_what_they_became(case, caseworker, provider):
    meeting = record(
        case,
        caseworker,
        provider,
        steps=[
            StepInput(what="A", responsible="client", becomes="activity"),
            StepInput(what="B", responsible="client", becomes="activity"),
        ],
    )
    assert list(meeting.steps.values_list("what", "becomes")) == [
        ("A", AgreedStep.Becomes.ACTIVITY),
        ("B", AgreedStep.Becomes.ACTIVITY),
    ]
