"""Demo data for `make run`: two units and one user per role (password ``vagen-demo``).

Idempotent: running it again changes nothing. Later capabilities add clients and cases
here, with Skatteverket's test personnummer only (DOMAIN.md §7).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cases.models import Unit, User
from cases.roles import Role

DEMO_PASSWORD = "vagen-demo"  # noqa: S105 – published in the README, demo only

DEMO_UNITS = (("nord", "Nord"), ("syd", "Syd"))


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    unit_code: str | None
    title: str


DEMO_USERS = (
    DemoUser("anna.reception", "Anna", "Lind", Role.RECEPTION, "nord", "Receptionist"),
    DemoUser("erik.handlaggare", "Erik", "Holm", Role.CASEWORKER, "nord", "Socialsekreterare"),
    DemoUser("sara.handlaggare", "Sara", "Nilsson", Role.CASEWORKER, "nord", "Socialsekreterare"),
    DemoUser("omar.handlaggare", "Omar", "Haddad", Role.CASEWORKER, "syd", "Socialsekreterare"),
    DemoUser("maria.enhetschef", "Maria", "Berg", Role.UNIT_MANAGER, "nord", "Enhetschef"),
    DemoUser("admin", "Adam", "Ek", Role.ADMINISTRATOR, None, "Systemförvaltare"),
)


@transaction.atomic
def load_demo() -> None:
    units = {
        code: Unit.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEMO_UNITS
    }
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    for spec in DEMO_USERS:
        user, created = User.objects.select_related(None).update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@kommun.example",
                "title": spec.title,
                "unit": units[spec.unit_code] if spec.unit_code else None,
                "is_active": True,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([groups[spec.role]])
    _load_people_and_contacts(units)


# Skatteverket's test personnummer only (DOMAIN.md §7).
DEMO_PEOPLE = (
    # personnummer, first name, last name, protection level
    ("191212121212", "Tolvan", "Tolvansson", "none"),
    ("194408139089", "Greta", "Testsson", "none"),
    ("199006022397", "Ali", "Exempel", "none"),
    ("200001052380", "Lisa", "Prov", "skyddad_folkbokforing"),
)


def _load_people_and_contacts(units) -> None:
    from guardian.shortcuts import assign_perm

    from cases.models import FirstContact, Household, HouseholdMember, Person
    from cases.models.people import VIEW_PROTECTED_PERSON
    from cases.personnummer import parse

    people = {}
    for number, first, last, protection in DEMO_PEOPLE:
        people[number], _ = Person.objects.update_or_create(
            personnummer=number,
            defaults={
                "first_name": first,
                "last_name": last,
                "birth_date": parse(number).birth_date,
                "protection_level": protection,
                "phone": "070-174 06 05" if protection == "none" else "",
                "preferred_language": "svenska",
            },
        )
    erik = User.objects.get(username="erik.handlaggare")
    assign_perm(VIEW_PROTECTED_PERSON, erik, people["200001052380"])
    if not Household.objects.filter(memberships__person=people["191212121212"]).exists():
        household = Household.objects.create(unit=units["nord"])
        HouseholdMember.objects.create(
            household=household,
            person=people["191212121212"],
            role=HouseholdMember.Role.APPLICANT,
            valid_from=date(2026, 1, 1),
        )
        HouseholdMember.objects.create(
            household=household,
            person=people["194408139089"],
            role=HouseholdMember.Role.CO_APPLICANT,
            valid_from=date(2026, 3, 1),
        )
    anna = User.objects.get(username="anna.reception")
    if FirstContact.objects.filter(registered_by=anna).exists():
        return  # the demo contacts exist already; dates stay as first loaded
    _demo_contacts(anna, erik, units, people)


def _demo_contacts(anna, erik, units, people) -> None:
    from cases.models import Callback, Channel, FirstContact
    from cases.services.contacts import callback_record, first_contact_register
    from cases.workdays import add_working_days

    now = timezone.now()
    local = timezone.localtime(now)
    three_working_days_ago = add_working_days(local.date(), -3)
    overdue_at = local.replace(
        year=three_working_days_ago.year,
        month=three_working_days_ago.month,
        day=three_working_days_ago.day,
        hour=10,
        minute=15,
    )
    nord = units["nord"]
    first_contact_register(  # overdue: nobody called back
        actor=anna,
        channel=Channel.PHONE,
        subject=FirstContact.Subject.NEW_APPLICATION,
        unit=nord,
        assigned_to=User.objects.get(username="sara.handlaggare"),
        name="Kim Demo",
        phone="070-174 06 01",
        note="Vill ansöka om försörjningsstöd, blev av med jobbet.",
        received_at=overdue_at,
    )
    first_contact_register(  # waiting, routed to Erik
        actor=anna,
        channel=Channel.VISIT,
        subject=FirstContact.Subject.NEW_APPLICATION,
        unit=nord,
        assigned_to=erik,
        personnummer="199006022397",
        phone="070-174 06 02",
        note="Frågar om ansökan för december.",
        received_at=now - timedelta(hours=2),
    )
    first_contact_register(  # waiting, not yet taken by anyone in the unit
        actor=anna,
        channel=Channel.E_SERVICE,
        subject=FirstContact.Subject.ONGOING_CASE,
        unit=nord,
        personnummer="191212121212",
        note="Undrar över utbetalningsdag.",
        received_at=now - timedelta(minutes=40),
    )
    first_contact_register(  # anonymous question
        actor=anna,
        channel=Channel.PHONE,
        subject=FirstContact.Subject.OTHER,
        unit=nord,
        is_anonymous=True,
        phone="070-174 06 03",
        note="Allmän fråga om vem som kan få bistånd.",
        received_at=now - timedelta(minutes=20),
    )
    answered = first_contact_register(  # answered: first visit booked
        actor=anna,
        channel=Channel.PHONE,
        subject=FirstContact.Subject.NEW_APPLICATION,
        unit=nord,
        assigned_to=erik,
        personnummer="194408139089",
        phone="070-174 06 04",
        received_at=now - timedelta(hours=5),
    )
    callback_record(
        answered,
        actor=erik,
        made_at=now - timedelta(hours=1),
        method=Callback.Method.PHONE,
        outcome=Callback.Outcome.FIRST_VISIT_BOOKED,
        first_visit_at=now + timedelta(days=6),
        note="Nybesök bokat.",
    )
    first_contact_register(  # Syd: a contact for Omar's unit
        actor=anna,
        channel=Channel.LETTER,
        subject=FirstContact.Subject.NEW_APPLICATION,
        unit=units["syd"],
        assigned_to=User.objects.get(username="omar.handlaggare"),
        name="Robin Demo",
        received_at=now - timedelta(hours=3),
    )
