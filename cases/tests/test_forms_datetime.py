"""Local times that repeat or do not exist (Europe/Stockholm): every form that takes a
date and time (cases.forms_datetime.LocalDateTimeField) asks which one when a typed time
comes twice, refuses a skipped one in Swedish, and never refuses its own default.

The nights: 25 October 2026 and 31 October 2027 the clocks go back (02:00–02:59 twice),
28 March 2027 they go forward (02:00–02:59 does not exist)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.forms import CallbackForm
from cases.forms_casework import MeetingForm
from cases.forms_datetime import AMBIGUOUS_CODE, NONEXISTENT_CODE, LocalDateTimeField
from cases.models import Callback
from cases.services.contacts import first_contact_register
from cases.tests.factories import CaseFactory
from cases.tests.html import rendered_inputs
from cases.workdays import STOCKHOLM
from referrals.forms import ThreePartyMeetingForm

FIRST_0230_2026 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time (CEST)
SECOND_0230_2026 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 standard time (CET)
FIRST_0230_2027 = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
SECOND_0230_2027 = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
SPRING_FORWARD_2027 = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # "02:30" → 03:30 CEST


def field():
    return LocalDateTimeField(label="Tid")


def clean(value, fold=""):
    return field().clean([value, fold])


def error_of(value, fold=""):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        clean(value, fold)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "expected_utc"),
    [
        ("2026-10-25T01:59", datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        ("2026-10-25T03:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        ("2027-03-28T01:59", datetime(2027, 3, 28, 0, 59, tzinfo=UTC)),
        ("2027-03-28T03:00", datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
        ("2027-06-25T09:00", datetime(2027, 6, 25, 7, 0, tzinfo=UTC)),
        ("2027-01-01T00:30", datetime(2026, 12, 31, 23, 30, tzinfo=UTC)),
    ],
)
def test_a_time_that_is_one_instant_is_taken_as_typed(typed, expected_utc):
    assert clean(typed) == expected_utc


def test_a_typed_time_that_comes_twice_asks_which_in_swedish():
    error = error_of("2026-10-25T02:30")

    assert error.code == AMBIGUOUS_CODE
    assert error.messages == [
        "Klockan 02:30 den 25 oktober 2026 fanns två gånger – klockan ställdes tillbaka en "
        "timme den natten (från 03:00 till 02:00). Välj om du menar första gången "
        "(sommartid) eller andra gången (normaltid)."
    ]


@pytest.mark.parametrize(("fold", "expected"), [("0", FIRST_0230_2026), ("1", SECOND_0230_2026)])
def test_the_answer_says_which_of_the_two(fold, expected):
    cleaned = clean("2026-10-25T02:30", fold)
    assert cleaned == expected
    assert cleaned.astimezone(UTC) == expected


def test_a_time_that_does_not_exist_is_refused_in_swedish():
    for fold in ("", "0", "1"):  # no answer makes a skipped hour exist
        error = error_of("2027-03-28T02:30", fold)
        assert error.code == NONEXISTENT_CODE
        assert error.messages == [
            "Klockan 02:30 den 28 mars 2027 finns inte – klockan ställdes fram en timme den "
            "natten (från 02:00 till 03:00). Ange en tid före 02:00 eller från 03:00."
        ]


def test_empty_and_garbled_input():
    assert LocalDateTimeField(required=False).clean(["", ""]) is None
    assert LocalDateTimeField(required=False).clean(["", "0"]) is None
    with pytest.raises(Exception, match="Detta fält måste fyllas i|required"):
        field().clean(["", "1"])
    assert error_of("igår vid lunch").code == "invalid"


@pytest.mark.parametrize(
    "now", [FIRST_0230_2026, SECOND_0230_2026, FIRST_0230_2027, SECOND_0230_2027]
)
def test_the_callback_forms_default_now_is_accepted_in_the_hour_that_comes_twice(now):
    with time_machine.travel(now, tick=False):
        default = timezone.localtime().replace(second=0, microsecond=0)
        html = str(CallbackForm(initial={"made_at": default})["made_at"])
        posted = rendered_inputs(html, "made_at")
        assert posted["made_at"] == f"{now.astimezone(STOCKHOLM):%Y-%m-%d}T02:30"
        assert '<select name="made_at_fold"' in html  # the question is shown, answered
        form = CallbackForm({**posted, "method": "phone", "outcome": "application_sent"})

        assert form.is_valid(), form.errors
        assert form.cleaned_data["made_at"] == now


def test_an_ordinary_default_shows_no_question():
    with time_machine.travel(datetime(2026, 12, 1, 9, 15, tzinfo=UTC), tick=False):
        html = str(CallbackForm(initial={"made_at": timezone.localtime()})["made_at"])
    assert "<select" not in html
    assert rendered_inputs(html, "made_at") == {"made_at": "2026-12-01T10:15", "made_at_fold": ""}
    assert 'id="id_made_at"' in html  # the label's for= still points at the time input
    assert re.search(r'<input type="datetime-local" name="made_at"[^>]*required', html)
    optional = str(CallbackForm()["first_visit_at"])
    assert "datetime-local" in optional and "required" not in optional


def test_a_typed_repeated_time_is_shown_again_with_the_question():
    form = CallbackForm(
        {"made_at": "2026-10-25T02:10", "method": "phone", "outcome": "application_sent"}
    )
    with time_machine.travel(SECOND_0230_2026, tick=False):
        assert not form.is_valid()
    html = str(form["made_at"])
    assert 'value="2026-10-25T02:10"' in html
    assert "Första gången (sommartid, UTC+2)" in html
    assert "Andra gången (normaltid, UTC+1)" in html


def test_the_future_check_uses_the_instant_chosen():
    """At the first 02:30 the second 02:30 is an hour ahead: in the future."""
    data = {"made_at": "2026-10-25T02:30", "method": "phone", "outcome": "application_sent"}
    with time_machine.travel(FIRST_0230_2026, tick=False):
        assert CallbackForm({**data, "made_at_fold": "0"}).is_valid()
        later = CallbackForm({**data, "made_at_fold": "1"})
        assert not later.is_valid()
    assert later.errors["made_at"] == ["Tidpunkten kan inte ligga i framtiden."]


@pytest.mark.django_db
def test_meeting_forms_take_a_repeated_hour_when_told_which(caseworker):
    case = CaseFactory(caseworker=caseworker)
    meeting = MeetingForm(
        {"kind": "follow_up", "planned_at": "2027-10-31T02:45", "planned_at_fold": "1"}
    )
    assert meeting.is_valid(), meeting.errors
    assert meeting.cleaned_data["planned_at"] == datetime(2027, 10, 31, 1, 45, tzinfo=UTC)
    assert (
        MeetingForm({"kind": "follow_up", "planned_at": "2027-10-31T02:45"})
        .errors["planned_at"][0]
        .startswith("Klockan 02:45 den 31 oktober 2027 fanns två gånger")
    )

    three_party = ThreePartyMeetingForm({"held_at": "2027-03-28T02:15"}, case=case)
    assert not three_party.is_valid()
    assert three_party.errors["held_at"][0].startswith("Klockan 02:15 den 28 mars 2027 finns inte")


@pytest.mark.django_db
@pytest.mark.parametrize("now", [FIRST_0230_2026, SECOND_0230_2026, SPRING_FORWARD_2027])
def test_logging_a_callback_at_night_with_the_prefilled_time(
    client, reception, unit, caseworker, now
):
    """The caseworker opens the contact on the night the clocks change and saves the
    callback without touching the time: it is recorded at that instant."""
    with time_machine.travel(now, tick=False):
        contact = first_contact_register(
            actor=reception,
            channel="phone",
            subject="new_application",
            unit=unit,
            assigned_to=caseworker,
            name="Kim Natt",
            received_at=now - timezone.timedelta(hours=1),
        )
        client.force_login(caseworker)
        url = reverse("contact_detail", args=[contact.pk])
        posted = rendered_inputs(client.get(url).content.decode(), "made_at")
        response = client.post(
            url, {**posted, "method": "phone", "outcome": "application_sent"}, follow=True
        )

    assert "Återkopplingen är registrerad" in response.content.decode()
    assert Callback.objects.get(contact=contact).made_at == now
