"""First contacts, the 24-working-hour callback and who may see what."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Callback, Deadline, FirstContact, Notification, Person
from cases.roles import Role
from cases.services.contacts import ContactError, callback_record, first_contact_register
from cases.tests.html import rendered_inputs

STOCKHOLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db


def local(*args):
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.fixture
def contact(reception, unit, caseworker):
    return first_contact_register(
        actor=reception,
        channel="phone",
        subject="new_application",
        unit=unit,
        assigned_to=caseworker,
        name="Kim Kontakt",
        phone="070-174 06 01",
        note="Vill ansöka",
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 11, 20, 15, 0), local(2026, 11, 23, 15, 0)),  # Friday afternoon → Monday
        (local(2026, 11, 21, 10, 0), local(2026, 11, 24, 0, 0)),  # Saturday → Tuesday 00:00
        (local(2026, 5, 13, 15, 0), local(2026, 5, 15, 15, 0)),  # before Kristi himmelsfärd
        (local(2026, 6, 18, 9, 30), local(2026, 6, 22, 9, 30)),  # before midsommarafton
        (local(2026, 12, 23, 16, 0), local(2026, 12, 28, 16, 0)),  # before julafton
        (local(2026, 12, 30, 15, 0), local(2027, 1, 4, 15, 0)),  # over the new year
    ],
)
def test_callback_due_on_working_hours(reception, unit, received, due):
    contact = first_contact_register(
        actor=reception,
        channel="visit",
        subject="other",
        unit=unit,
        name="Alex",
        received_at=received,
    )
    assert contact.callback_due_at == due
    deadline = Deadline.objects.get(kind="callback", subject_id=contact.pk)
    assert deadline.due_at == due
    assert deadline.state == Deadline.State.OPEN


def test_acute_need_notifies_on_duty_caseworker_at_once(reception, unit, caseworker, unit_manager):
    unit.on_duty = caseworker
    unit.save()

    contact = first_contact_register(
        actor=reception, channel="visit", subject="acute_need", unit=unit, name="Alex"
    )

    notification = Notification.objects.get()
    assert (notification.recipient, notification.stage) == (caseworker, "acute")
    assert notification.deadline.subject_id == contact.pk


def test_acute_need_without_on_duty_goes_to_the_unit_manager(reception, unit, unit_manager):
    first_contact_register(
        actor=reception, channel="phone", subject="acute_need", unit=unit, is_anonymous=True
    )
    assert Notification.objects.get().recipient == unit_manager


def test_known_personnummer_links_the_person_and_a_new_one_creates_it(reception, unit):
    first = first_contact_register(
        actor=reception,
        channel="phone",
        subject="other",
        unit=unit,
        personnummer="191212121212",
        name="Tolvan Tolvansson",
    )
    second = first_contact_register(
        actor=reception,
        channel="visit",
        subject="other",
        unit=unit,
        personnummer="191212121212",
    )
    assert first.person == second.person
    assert Person.objects.get().birth_date.isoformat() == "1912-12-12"


def test_callback_reaching_the_person_closes_contact_and_meets_deadline(contact, caseworker):
    callback_record(
        contact,
        actor=caseworker,
        made_at=timezone.now(),
        method="phone",
        outcome="application_sent",
    )
    contact.refresh_from_db()
    assert contact.state == FirstContact.State.DONE
    assert Deadline.objects.get(subject_id=contact.pk).state == Deadline.State.MET


def test_no_answer_keeps_contact_and_deadline_open(contact, caseworker):
    callback_record(
        contact, actor=caseworker, made_at=timezone.now(), method="phone", outcome="no_answer"
    )
    contact.refresh_from_db()
    assert contact.is_open
    assert Deadline.objects.get(subject_id=contact.pk).is_open


def test_double_submit_records_one_callback(contact, caseworker):
    kwargs = {
        "actor": caseworker,
        "made_at": timezone.now(),
        "method": "phone",
        "outcome": "application_sent",
    }
    callback_record(contact, **kwargs)
    with pytest.raises(ContactError):
        callback_record(contact, **kwargs)
    assert Callback.objects.count() == 1


# --- views -------------------------------------------------------------------------


def contact_post(**overrides):
    data = {
        "channel": "phone",
        "personnummer": "",
        "name": "Kim Kontakt",
        "phone": "070-174 06 01",
        "subject": "new_application",
        "note": "Vill boka tid",
        "unit": "",
        "assigned_to": "",
    }
    data.update(overrides)
    return data


def test_reception_registers_a_contact(client, reception, unit, caseworker):
    client.force_login(reception)

    response = client.post(
        reverse("contact_create"),
        contact_post(unit=unit.pk, assigned_to=caseworker.pk),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("reception_start")
    assert "Återkoppling senast" in response.content.decode()
    contact = FirstContact.objects.get()
    assert (contact.name, contact.assigned_to, contact.registered_by) == (
        "Kim Kontakt",
        caseworker,
        reception,
    )
    assert "Kim Kontakt" in response.content.decode()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("19121212-1213", "Kontrollsiffran"),
        ("121212+1212", None),  # valid 10-digit form ("+": 100 years or older) is accepted
        ("19121312-1212", "Datumet"),
        ("12345", "10 eller 12 siffror"),
    ],
)
def test_invalid_personnummer_gives_clear_message_and_keeps_input(
    client, reception, unit, number, message
):
    client.force_login(reception)

    response = client.post(
        reverse("contact_create"),
        contact_post(unit=unit.pk, personnummer=number, note="Ska inte försvinna"),
    )

    if message is None:
        assert response.status_code == 302
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Ska inte försvinna" in body
    assert 'value="Kim Kontakt"' in body
    assert 'value="070-174 06 01"' in body
    assert not FirstContact.objects.exists()


def test_contact_needs_someone_or_anonymous(client, reception, unit):
    client.force_login(reception)

    response = client.post(reverse("contact_create"), contact_post(unit=unit.pk, name=""))

    assert "markera att personen vill vara anonym" in response.content.decode()


def test_caseworker_from_other_unit_is_refused(client, reception, unit, other_unit, make_user):
    stranger = make_user(Role.CASEWORKER, unit=other_unit)
    client.force_login(reception)

    response = client.post(
        reverse("contact_create"), contact_post(unit=unit.pk, assigned_to=stranger.pk)
    )

    assert "hör till enhet" in response.content.decode()
    assert not FirstContact.objects.exists()


def test_reception_lookup_reveals_only_known_unit_and_caseworker(client, reception, contact):
    person = Person.objects.create(first_name="Tolvan", last_name="T", personnummer="191212121212")
    contact.person = person
    contact.save()
    client.force_login(reception)

    body = client.get(reverse("person_lookup"), {"personnummer": "19121212-1212"}).content.decode()

    assert "Känd i Vägen" in body
    assert contact.unit.name in body and contact.assigned_to.get_full_name() in body
    assert "Vill ansöka" not in body and "Tolvan" not in body
    assert AccessLog.objects.filter(subject_type="person_lookup", user=reception).exists()


def test_lookup_of_protected_person_without_grant_finds_nothing(client, reception):
    Person.objects.create(
        first_name="Lisa",
        last_name="Prov",
        personnummer="200001052380",
        protection_level="skyddad_folkbokforing",
    )
    client.force_login(reception)

    body = client.get(reverse("person_lookup"), {"personnummer": "20000105-2380"}).content.decode()

    assert "Inte känd" in body


def test_lookup_invalid_number_says_what_is_wrong(client, reception):
    client.force_login(reception)
    body = client.get(reverse("person_lookup"), {"personnummer": "19121212-1213"}).content.decode()
    assert "Kontrollsiffran" in body


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("contact_detail", "get"),
        ("contact_detail", "post"),
        ("contact_take", "post"),
    ],
)
def test_reception_cannot_reach_callback_data(client, reception, contact, url_name, method):
    client.force_login(reception)

    response = getattr(client, method)(reverse(url_name, args=[contact.pk]))

    assert response.status_code == 404
    assert AccessLog.objects.filter(user=reception, outcome="denied").exists()


@pytest.mark.parametrize(
    "url_name", ["caseworker_start", "unit_manager_start", "unit_access_log", "administrator_start"]
)
def test_reception_cannot_reach_caseworker_or_manager_pages(client, reception, contact, url_name):
    client.force_login(reception)
    assert client.get(reverse(url_name)).status_code == 403


def test_reception_list_shows_no_callback_content(client, reception, contact, caseworker):
    callback_record(
        contact,
        actor=caseworker,
        made_at=timezone.now(),
        method="phone",
        outcome="no_answer",
        note="Hemlig anteckning om ärendet",
    )
    client.force_login(reception)

    body = client.get(reverse("reception_start")).content.decode()

    assert "Kim Kontakt" in body
    assert "Hemlig anteckning" not in body
    assert reverse("contact_detail", args=[contact.pk]) not in body


def test_caseworker_of_other_unit_gets_404(client, contact, make_user, other_unit):
    client.force_login(make_user(Role.CASEWORKER, unit=other_unit))
    assert client.get(reverse("contact_detail", args=[contact.pk])).status_code == 404


def test_caseworker_sees_my_callbacks_and_records_one(client, contact, caseworker):
    client.force_login(caseworker)
    start = client.get(reverse("caseworker_start")).content.decode()
    assert "Kim Kontakt" in start and "data-countdown" in start

    url = reverse("contact_detail", args=[contact.pk])
    prefilled = rendered_inputs(client.get(url).content.decode(), "made_at")  # "now"
    response = client.post(
        url,
        {**prefilled, "method": "phone", "outcome": "application_sent", "note": ""},
        follow=True,
    )

    assert "Återkopplingen är registrerad" in response.content.decode()
    assert "Kim Kontakt" not in client.get(reverse("caseworker_start")).content.decode()
    assert AccessLog.objects.filter(subject_type="first_contact", user=caseworker).exists()


def test_booked_first_visit_needs_a_time(client, contact, caseworker):
    client.force_login(caseworker)
    url = reverse("contact_detail", args=[contact.pk])
    prefilled = rendered_inputs(client.get(url).content.decode(), "made_at")  # "now"

    response = client.post(url, {**prefilled, "method": "phone", "outcome": "first_visit_booked"})

    assert "Ange tid för nybesöket" in response.content.decode()
    assert not Callback.objects.exists()


def test_unassigned_contact_can_be_taken(client, reception, unit, caseworker):
    contact = first_contact_register(
        actor=reception, channel="phone", subject="other", unit=unit, name="Alex"
    )
    client.force_login(caseworker)

    client.post(reverse("contact_take", args=[contact.pk]))

    contact.refresh_from_db()
    assert contact.assigned_to == caseworker
    assert Deadline.objects.get(subject_id=contact.pk).responsible == caseworker


def test_unit_manager_sees_overdue_callbacks_and_sets_on_duty(
    client, reception, unit, unit_manager, caseworker
):
    first_contact_register(
        actor=reception,
        channel="phone",
        subject="other",
        unit=unit,
        name="Sen Kontakt",
        received_at=timezone.now() - timezone.timedelta(days=6),
    )
    client.force_login(unit_manager)

    body = client.get(reverse("unit_manager_start")).content.decode()
    assert "Sen Kontakt" in body and "försenad" in body

    client.post(reverse("unit_manager_start"), {"on_duty": caseworker.pk})
    unit.refresh_from_db()
    assert unit.on_duty == caseworker


def test_inbox_shows_own_notifications_and_marks_read(client, reception, unit, unit_manager):
    first_contact_register(
        actor=reception, channel="phone", subject="acute_need", unit=unit, name="Alex"
    )
    client.force_login(reception)
    assert "Inga aviseringar" in client.get(reverse("inbox")).content.decode()

    client.force_login(unit_manager)
    assert 'badge--alert">1<' in client.get(reverse("unread_count")).content.decode()
    body = client.get(reverse("inbox")).content.decode()
    assert "Återkoppling till första kontakt" in body
    client.post(reverse("notifications_read"))
    assert Notification.objects.unread().count() == 0
