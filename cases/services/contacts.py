"""First contacts and callbacks: every write, with its deadline, in one transaction."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access_rules import person_grants
from cases.deadlines import (
    DeadlineKind,
    meet_deadlines,
    notify,
    open_deadline,
    reassign_deadlines,
    register_kind,
)
from cases.figures import figures_changed
from cases.idempotency import create_once
from cases.models import Callback, Deadline, FirstContact, Notification, Person, Unit, User
from cases.roles import Role
from cases.workdays import add_working_hours

CALLBACK = "callback"
# DOMAIN.md §2.1 / §6: first response within 24 hours counted on working days
# (municipal target, Norrköping 2015, sources/001).
CALLBACK_WORKING_HOURS = 24


def _contact_url(deadline: Deadline) -> str:
    return reverse("contact_detail", args=[deadline.subject_id])


register_kind(
    DeadlineKind(
        code=CALLBACK,
        label="Återkoppling till första kontakt",
        remind_before=timezone.timedelta(hours=4),
        url=_contact_url,
    )
)


class ContactError(Exception):
    """A contact cannot take this action now; the message is Swedish, for the user."""


@dataclass(frozen=True)
class PersonLookup:
    """What reception may learn about a personnummer: known or not, and where the person
    was last routed – never case content (DESIGN.md "Roles and access")."""

    known: bool
    unit: Unit | None = None
    caseworker: User | None = None
    person_id: int | None = None


def lookup_person(personnummer: str, *, user: User) -> PersonLookup:
    """A protected person is "not known" to anyone without the grant – the same
    answer as for a number Vägen has never seen."""
    person = Person.objects.known_to_lookup(user).filter(personnummer=personnummer).first()
    if person is None:
        return PersonLookup(known=False)
    last = (
        FirstContact.objects.filter(person=person)
        .select_related("unit", "assigned_to")
        .order_by("-received_at")
        .first()
    )
    return PersonLookup(
        known=True,
        unit=last.unit if last else None,
        caseworker=last.assigned_to if last else None,
        person_id=person.pk,
    )


def _person_for(personnummer: str, name: str, unit: Unit) -> Person | None:
    if not personnummer:
        return None
    # Linked even when protected and invisible to the receptionist: the contact must
    # reach the person's caseworker, and a second record would split the person.
    person = Person.objects.filter(personnummer=personnummer).first()
    if person is not None:
        return person
    first, _sep, last = name.strip().partition(" ")
    from cases.personnummer import parse

    return Person.objects.create(
        personnummer=personnummer,
        first_name=first,
        last_name=last,
        birth_date=parse(personnummer).birth_date,
        unit=unit,
    )


def acute_recipients(unit: Unit) -> list[User]:
    """The unit's on-duty caseworker; if none is set (or inactive), its managers."""
    if unit.on_duty_id is not None and unit.on_duty.is_active:
        return [unit.on_duty]
    return list(unit.managers())


@transaction.atomic
def first_contact_register(
    *,
    actor: User,
    channel: str,
    subject: str,
    unit: Unit,
    assigned_to: User | None = None,
    personnummer: str = "",
    name: str = "",
    is_anonymous: bool = False,
    phone: str = "",
    note: str = "",
    received_at: datetime | None = None,
    idempotency_key: UUID | None = None,
) -> FirstContact:
    """Register a first contact and open its callback deadline (24 working hours). The
    same ``idempotency_key`` posted again by the same person returns the contact it
    registered – no second contact, deadline or acute notification."""
    received_at = received_at or timezone.now()
    if assigned_to is not None and (
        assigned_to.unit_id != unit.pk or not assigned_to.has_role(Role.CASEWORKER)
    ):
        raise ContactError(_("Handläggaren hör inte till den valda enheten."))
    contact, _created = create_once(
        FirstContact.objects.filter(registered_by=actor),
        idempotency_key,
        lambda: _first_contact_create(
            actor=actor,
            channel=channel,
            subject=subject,
            unit=unit,
            assigned_to=assigned_to,
            person=None if is_anonymous else _person_for(personnummer, name, unit),
            name=name,
            is_anonymous=is_anonymous,
            phone=phone,
            note=note,
            received_at=received_at,
            idempotency_key=idempotency_key,
        ),
    )
    return contact


def _first_contact_create(
    *,
    actor: User,
    channel: str,
    subject: str,
    unit: Unit,
    assigned_to: User | None,
    person: Person | None,
    name: str,
    is_anonymous: bool,
    phone: str,
    note: str,
    received_at: datetime,
    idempotency_key: UUID | None,
) -> FirstContact:
    if person is not None and person.is_protected and assigned_to is not None:
        # A protected identity reaches only staff with the grant: otherwise the contact
        # goes to the unit manager's unassigned list (DOMAIN.md §8).
        if not person_grants(assigned_to).filter(content_object_id=person.pk).exists():
            assigned_to = None
    contact = FirstContact.objects.create(
        received_at=received_at,
        channel=channel,
        person=person,
        # What was typed is kept: it is all that is shown of a protected identity to
        # anyone without the grant.
        name="" if is_anonymous else name.strip(),
        is_anonymous=is_anonymous,
        phone=phone.strip(),
        subject=subject,
        note=note.strip(),
        unit=unit,
        assigned_to=assigned_to,
        registered_by=actor,
        callback_due_at=add_working_hours(received_at, CALLBACK_WORKING_HOURS),
        idempotency_key=idempotency_key,
    )
    figures_changed(unit_id=unit.pk, months=[received_at])  # the callbacks indicator
    deadline = open_deadline(
        kind=CALLBACK,
        subject=contact,
        due_at=contact.callback_due_at,
        unit=unit,
        responsible=assigned_to,
    )
    if subject == FirstContact.Subject.ACUTE_NEED:
        notify(deadline, Notification.Stage.ACUTE, acute_recipients(unit))
    return contact


@transaction.atomic
def first_contact_take(contact: FirstContact, *, actor: User) -> FirstContact:
    """A caseworker takes an unassigned contact of their unit."""
    contact = FirstContact.objects.select_for_update().get(pk=contact.pk)
    if contact.assigned_to_id not in (None, actor.pk):
        raise ContactError(_("Kontakten har redan en handläggare."))
    if contact.assigned_to_id is None:
        contact.assigned_to = actor
        contact.save(update_fields=["assigned_to"])
        reassign_deadlines(contact, actor, kind=CALLBACK)
    return contact


@transaction.atomic
def callback_record(
    contact: FirstContact,
    *,
    actor: User,
    made_at: datetime,
    method: str,
    outcome: str,
    first_visit_at: datetime | None = None,
    note: str = "",
) -> Callback:
    """Record a callback. Reaching the person closes the contact and meets the
    deadline; "no answer" keeps both open. A second submit of a closed contact (double
    click, two tabs) is refused, so nothing is recorded twice."""
    contact = FirstContact.objects.select_for_update().get(pk=contact.pk)
    if not contact.is_open:
        raise ContactError(_("Återkopplingen är redan registrerad."))
    if made_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ContactError(_("Tidpunkten för återkopplingen kan inte ligga i framtiden."))
    callback = Callback.objects.create(
        contact=contact,
        made_at=made_at,
        made_by=actor,
        method=method,
        outcome=outcome,
        first_visit_at=first_visit_at if outcome == Callback.Outcome.FIRST_VISIT_BOOKED else None,
        note=note.strip(),
    )
    if contact.assigned_to_id is None:
        contact.assigned_to = actor
        reassign_deadlines(contact, actor, kind=CALLBACK)
    if callback.reached_the_person:
        contact.state = FirstContact.State.DONE
        meet_deadlines(contact, kind=CALLBACK, at=made_at)
        # The callbacks indicator counts a contact in the month it came in (Stockholm
        # time), whenever it is answered: 31 Dec 23:30 answered 2 Jan is December's.
        figures_changed(unit_id=contact.unit_id, months=[contact.received_at])
    contact.save(update_fields=["assigned_to", "state"])
    return callback
