"""Demo data for `make run`: two units and one user per role (password ``vagen-demo``).

Idempotent: running it again changes nothing. Later capabilities add clients and cases
here, with Skatteverket's test personnummer only (DOMAIN.md §7).

Works in any year without a norm table that is not loaded: the demo's applications are
for the newest month whose year has an active riksnorm (``demo_month``), this month as
long as this year's norm is in. The demo never makes up norm figures for a year.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cases.extensions import run_hooks
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
    DemoUser("nina.sekreterare", "Nina", "Ström", Role.BOARD_SECRETARY, "nord", "Nämndsekreterare"),
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
    run_hooks("demo_loaded")


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
    _demo_cases(units, people)
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


# Households for the demo cases. Adults without a test personnummer get reserve numbers
# (DOMAIN.md §7: only Skatteverket's test numbers may appear in demo data).
# (caseworker, [(first, last, role, birth date, personnummer)], rent, income, status)
DEMO_HOUSEHOLDS = (
    (
        "erik.handlaggare",
        [
            ("Tolvan", "Tolvansson", "applicant", None, "191212121212"),
            ("Greta", "Testsson", "co_applicant", None, "194408139089"),
        ],
        "7200",
        [("pension", "9800")],
        "active",
    ),
    (
        "erik.handlaggare",
        [
            ("Ali", "Exempel", "applicant", None, "199006022397"),
            ("Sam", "Exempel", "child", date(2019, 4, 2), None),
            ("Noor", "Exempel", "child", date(2022, 8, 15), None),
        ],
        "8900",
        [("child_benefit", "2500"), ("housing_allowance", "1800")],
        "ready",
    ),
    (
        "erik.handlaggare",
        [("Maja", "Demosson", "applicant", date(1996, 2, 11), None)],
        "5400",
        [("salary", "3200")],
        "active",
    ),
    (
        "erik.handlaggare",
        [("Leo", "Provsson", "applicant", date(2003, 9, 30), None)],
        "4100",
        [],
        "open",
    ),
    (
        "erik.handlaggare",
        [("Eva", "Stängd", "applicant", date(1979, 1, 20), None)],
        "6000",
        [("akassa", "6500")],
        "closed",
    ),
    (
        "sara.handlaggare",
        [
            ("Omid", "Testar", "applicant", date(1988, 6, 6), None),
            ("Sara", "Testar", "co_applicant", date(1990, 3, 3), None),
            ("Liv", "Testar", "child", date(2012, 12, 1), None),
        ],
        "9500",
        [("salary", "8000"), ("child_benefit", "1250")],
        "active",
    ),
    (
        "sara.handlaggare",
        [("Karin", "Exempeldotter", "applicant", date(1968, 10, 10), None)],
        "5900",
        [("sickness_compensation", "7300")],
        "active",
    ),
    (
        # Decided this month within the caseworker's delegation: a final decision with
        # its letter, counted in the unit's monthly statistics.
        "sara.handlaggare",
        [("Kim", "Beslutsson", "applicant", date(1985, 5, 5), None)],
        "6200",
        [("activity_support", "2000")],
        "decided",
    ),
    (
        "sara.handlaggare",
        [("Johan", "Provare", "applicant", date(1999, 5, 5), None)],
        "4500",
        [],
        "open",
    ),
    (
        "sara.handlaggare",
        [
            ("Fatima", "Demo", "applicant", date(1985, 7, 7), None),
            ("Adam", "Demo", "child", date(2021, 2, 2), None),
        ],
        "7600",
        [("child_benefit", "1250"), ("maintenance_support", "1673")],
        "ready",
    ),
    (
        "omar.handlaggare",
        [("Nils", "Syd", "applicant", date(1975, 11, 11), None)],
        "5200",
        [("activity_support", "4400")],
        "active",
    ),
    (
        "omar.handlaggare",
        [
            ("Amina", "Sydsson", "applicant", date(1992, 4, 4), None),
            ("Yusuf", "Sydsson", "co_applicant", date(1990, 1, 1), None),
        ],
        "8100",
        [("establishment_allowance", "9200")],
        "active",
    ),
    (
        "omar.handlaggare",
        [("Bo", "Söder", "applicant", date(1960, 12, 24), None)],
        "6300",
        [("pension", "8100")],
        "closed",
    ),
)


# Försörjningshinder for the demo's applicants, in turn (DOMAIN.md §9). In a household of
# several adults only the applicant's is recorded, so the statistics page shows what is
# missing.
DEMO_OBSTACLES = (
    "arbetslos_ingen_ersattning",
    "sjukskriven_vantar_sjukpenning",
    "saknar_barnomsorg",
    "arbetar_deltid",
)


def _demo_obstacles(application, persons, worker) -> None:
    from cases.models import SupportObstacle
    from cases.services.applications import application_set_obstacles

    adults = [p for p, role in persons if role != "child"]
    codes = {o.code: o for o in SupportObstacle.objects.filter(code__in=DEMO_OBSTACLES)}
    chosen = {
        person.pk: codes.get(DEMO_OBSTACLES[(application.case_id + i) % len(DEMO_OBSTACLES)])
        for i, person in enumerate(adults[:1] if len(adults) > 1 else adults)
    }
    application_set_obstacles(application, actor=worker, obstacles=chosen)


def demo_month(today: date) -> date:
    """The month the demo's applications are for: ``today``'s month when its year has an
    active riksnorm, else December of the newest loaded year before it (a new year has
    no norm until the administrator loads it; the demo never invents one)."""
    from cases.models import NormYear

    years = NormYear.objects.filter(is_active=True, year__lte=today.year)
    newest = years.order_by("-year").values_list("year", flat=True).first()
    if newest is None:
        raise ValueError("Demodata behöver en inläst riksnorm (migreringen cases 0004).")
    return today.replace(day=1) if newest == today.year else date(newest, 12, 1)


def _months_before(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def _demo_cases(units, people) -> None:
    from decimal import Decimal

    from cases.models import Case, ClosingReason, Person
    from cases.services.applications import (
        CostLine,
        IncomeLine,
        application_register,
        application_save_calculation,
        application_set_status,
    )
    from cases.services.casework import case_close, case_open, journal_note_add
    from cases.services.communication import Communication
    from cases.services.decisions import decision_save_draft, decision_submit, prefill_items
    from cases.services.people import household_create, household_member_add, person_save

    if Case.objects.exists():
        return
    month = demo_month(timezone.localdate())
    # Opened a quarter before the month applied for; the households exist from January.
    opened_on = _months_before(month, 3)
    household_from = date(opened_on.year, 1, 1)
    for username, members, rent, incomes, status in DEMO_HOUSEHOLDS:
        worker = User.objects.get(username=username)
        persons = []
        for first, last, role, born, number in members:
            person = people.get(number) if number else None
            if person is None:
                person = person_save(
                    Person(first_name=first, last_name=last, birth_date=born), actor=worker
                )
            persons.append((person, role))
        household = household_create(
            applicant=persons[0][0], unit=worker.unit, valid_from=household_from, actor=worker
        )
        for person, role in persons[1:]:
            household_member_add(
                household, person=person, role=role, valid_from=household_from, actor=worker
            )
        case = case_open(
            actor=worker,
            household=household,
            unit=worker.unit,
            caseworker=worker,
            opened_on=opened_on,
        )
        journal_note_add(
            case,
            actor=worker,
            text="Nybesök genomfört. Sökande informerad om rätten att ta del av journalen.",
            occurred_on=opened_on + timedelta(days=2),
        )
        if status == "open":
            continue
        co = next((p for p, r in persons if r == "co_applicant"), None)
        application = application_register(
            case,
            actor=worker,
            month=month,
            channel="e_service",
            applicant=persons[0][0],
            co_applicant=co,
        )
        income_lines = [
            IncomeLine(kind, Decimal(amount), persons[0][0].pk) for kind, amount in incomes
        ]
        _demo_obstacles(application, persons, worker)
        application_save_calculation(
            application,
            actor=worker,
            costs=[
                CostLine("rent", Decimal(rent), Decimal(rent)),
                CostLine("home_insurance", Decimal("189"), Decimal("189")),
            ],
            incomes=income_lines,
            lunch_away_ids=set(),
            adjustment=Decimal(0),
            adjustment_reason="",
            household_size=None,
        )
        if status == "ready":
            application_set_status(application, "ready", actor=worker)
        if status == "decided":
            application.refresh_from_db()  # the stored calculation's result
            items = prefill_items(application)
            # A refusal built only on what the household itself told us (FL 25 § första
            # stycket: kommunicering uppenbart obehövlig).
            adverse = any(item.outcome != "granted" for item in items)
            decision = decision_save_draft(
                application,
                actor=worker,
                items=items,
                communication=Communication(exemption="own_information") if adverse else None,
                motivering=(
                    "Hushållets inkomster räcker inte till skälig levnadsnivå enligt "
                    "riksnormen och godtagna kostnader. Socialtjänstlagen 12 kap. 1 §."
                ),
            )
            decision_submit(decision, actor=worker)
        if status == "closed":
            case_close(case, actor=worker, reason=ClosingReason.objects.get(code="work"))
