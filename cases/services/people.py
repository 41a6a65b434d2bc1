"""Persons and households: every write, and the transfer of a person between units."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.deadlines import DeadlineKind, meet_deadlines, open_deadline, register_kind
from cases.figures import figures_changed, months_between
from cases.models import Case, Household, HouseholdMember, Person, PersonTransfer, Unit, User
from cases.models.people import VIEW_PROTECTED_PERSON
from cases.personnummer import parse
from cases.roles import Role
from cases.workdays import add_working_days, end_of_day

PERSON_TRANSFER = "person_transfer"
# A transfer request is answered by the person's unit manager within five working days
# (Vägen's own target, configurable as data later: nobody waits unseen).
TRANSFER_WORKING_DAYS = 5

register_kind(
    DeadlineKind(
        code=PERSON_TRANSFER,
        label="Begärd överflyttning av en person",
        remind_before=timedelta(days=1),
        url=lambda deadline: reverse("unit_manager_start") + "#overflyttningar",
    )
)


class PersonError(Exception):
    """A person or household cannot be changed this way; the message is Swedish."""


class StalePerson(PersonError):
    def __init__(self):
        super().__init__(
            _(
                "Någon annan har ändrat personen medan du skrev. Det du skrev finns kvar – "
                "jämför med uppgifterna nu och spara igen."
            )
        )


class StaleHousehold(PersonError):
    def __init__(self):
        super().__init__(
            _(
                "Någon annan har ändrat hushållet medan du skrev. Det du skrev finns kvar – "
                "jämför med hushållet nu och spara igen."
            )
        )


def household_lock(household: Household, *, version: int | None = None) -> Household:
    """The household locked for a change of membership (call inside the transaction):
    refused (``StaleHousehold``) if ``version`` is not the current one – the form was
    made from a household someone has changed since."""
    current = Household.objects.select_for_update().filter(pk=household.pk).first()
    if current is None:
        raise PersonError(_("Hushållet finns inte längre."))
    if version is not None and current.version != version:
        raise StaleHousehold
    return current


def _household_bump(household: Household) -> None:
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1)
    household.refresh_from_db(fields=["version"])


def _derive(person: Person) -> None:
    if person.personnummer:
        person.birth_date = parse(person.personnummer).birth_date


@transaction.atomic
def person_save(person: Person, *, actor: User, version: int | None = None) -> Person:
    """Create or update a person. A new person belongs to the actor's unit (who
    registered them); an update with ``version`` is refused (``StalePerson``) if someone
    saved in between – never silently overwritten. A person without personnummer gets
    a reserve number; whoever marks a person protected keeps access through an
    explicit grant."""
    _derive(person)
    creating = person.pk is None
    if creating:
        if person.unit_id is None:
            person.unit_id = actor.unit_id
    else:
        current = Person.objects.select_for_update().filter(pk=person.pk).first()
        if current is None:
            raise PersonError(_("Personen finns inte längre."))
        if version is not None and current.version != version:
            raise StalePerson
        person.unit_id = current.unit_id  # moves only by transfer
        person.version = current.version + 1
        if (current.personnummer, current.birth_date) != (person.personnummer, person.birth_date):
            # Sex (household type) and age (young households) come from these, for every
            # month the person was a member (reporting.statistics, .indicators).
            for membership in HouseholdMember.objects.filter(person=person).select_related(
                "household"
            ):
                _members_figures_changed(
                    membership.household, membership.valid_from, membership.valid_to
                )
    person.save()
    if creating and not person.personnummer and not person.reserve_number:
        person.reserve_number = f"R{timezone.localdate():%Y}-{person.pk:07d}"
        person.save(update_fields=["reserve_number"])
    if person.is_protected:
        # Whoever marks the person keeps access, and so do the managers of the person's
        # unit, who decide who else gets it – marking a person protected never hides
        # them from the unit that is responsible for them.
        assign_perm(VIEW_PROTECTED_PERSON, actor, person)
        if person.unit is not None:
            managers = list(person.unit.managers())
            cases = Case.objects.filter(
                unit=person.unit, household__memberships__person=person
            ).distinct()
            for manager in managers:
                assign_perm(VIEW_PROTECTED_PERSON, manager, person)
                for case in cases:
                    assign_perm("cases.view_case", manager, case)
    return person


@transaction.atomic
def person_access_grant(person: Person, user: User, *, actor: User) -> None:
    """Give ``user`` explicit access to a protected person (DOMAIN.md §8: as few staff
    as possible). Only a unit manager of the user's unit may grant."""
    if actor.unit_id is None or user.unit_id != actor.unit_id:
        raise PermissionError("grants are given within the manager's own unit")
    assign_perm(VIEW_PROTECTED_PERSON, user, person)


@transaction.atomic
def person_access_revoke(person: Person, user: User, *, actor: User) -> None:
    if user.pk == actor.pk:
        raise PermissionError("a manager does not revoke their own access")
    remove_perm(VIEW_PROTECTED_PERSON, user, person)


def person_access_holders(person: Person) -> list[User]:
    return list(
        User.objects.filter(
            personuserobjectpermission__content_object=person,
            personuserobjectpermission__permission__codename="view_protected_person",
        ).order_by("first_name", "last_name")
    )


def _adopt(person: Person, unit: Unit) -> None:
    """A person without a responsible unit becomes the unit's when they join one of its
    households (a person already another unit's is moved only by a transfer)."""
    if person.unit_id is None:
        Person.objects.filter(pk=person.pk, unit__isnull=True).update(unit=unit)
        person.unit = unit


def _members_figures_changed(household: Household, first: date, last: date | None = None) -> None:
    """A membership from ``first`` (to ``last``, or still) changed: the household's type,
    persons and adults of those months are counted again (reporting.statistics) – a
    back-dated member changes the months already reported."""
    figures_changed(unit_id=household.unit_id, months=months_between(first, last))


@transaction.atomic
def household_create(*, applicant: Person, unit: Unit, valid_from: date, actor: User) -> Household:
    household = Household.objects.create(unit=unit)
    _adopt(applicant, unit)
    HouseholdMember.objects.create(
        household=household,
        person=applicant,
        role=HouseholdMember.Role.APPLICANT,
        valid_from=valid_from,
        created_by=actor,
    )
    _members_figures_changed(household, valid_from)
    return household


def household_for(person: Person, *, unit: Unit, actor: User) -> Household:
    """The household the person belongs to now *in ``unit``*, or a new one there with
    them as applicant. Households are never shared across units: a person whose current
    household is another unit's must be transferred first (``person_transfer_request``)
    – refused here, so no case is ever opened on another unit's household."""
    membership = (
        HouseholdMember.objects.filter(person=person, valid_to__isnull=True)
        .select_related("household__unit")
        .order_by("-valid_from")
        .first()
    )
    if membership is not None:
        if membership.household.unit_id == unit.pk:
            return membership.household
        raise PersonError(known_elsewhere_message(membership.household.unit))
    if person.unit is not None and person.unit.pk != unit.pk:
        raise PersonError(known_elsewhere_message(person.unit))
    if person.unit_id is None:
        Person.objects.filter(pk=person.pk).update(unit=unit)
        person.unit = unit
    return household_create(
        applicant=person, unit=unit, valid_from=timezone.localdate(), actor=actor
    )


def known_elsewhere_message(unit: Unit) -> str:
    return _(
        "Personen är känd i enhet %(unit)s. Begär överflyttning – enhetschefen där lämnar "
        "över personen och hushållet."
    ) % {"unit": unit.name}


def person_unit_elsewhere(person: Person, unit: Unit | None) -> Unit | None:
    """The other unit a person belongs to (responsible unit, or current household's),
    if it is not ``unit``."""
    membership = (
        HouseholdMember.objects.filter(person=person, valid_to__isnull=True)
        .select_related("household__unit")
        .order_by("-valid_from")
        .first()
    )
    owner = membership.household.unit if membership is not None else person.unit
    if owner is None or (unit is not None and owner.pk == unit.pk):
        return None
    return owner


@transaction.atomic
def person_transfer_request(
    person: Person, *, actor: User, reason: str, now=None
) -> PersonTransfer:
    """Ask the unit the person belongs to to hand them over to the actor's unit. One
    pending request per person and unit: asking again (a double click, a colleague)
    returns the pending one. The person's unit manager answers within
    ``TRANSFER_WORKING_DAYS`` (a deadline with reminders)."""
    reason = reason.strip()
    if not reason:
        raise PersonError(_("Skriv varför personen ska flyttas över."))
    if actor.unit is None:
        raise PersonError(_("Du behöver tillhöra en enhet."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    from_unit = person_unit_elsewhere(person, actor.unit)
    if from_unit is None:
        raise PersonError(_("Personen hör redan till din enhet."))
    pending = PersonTransfer.objects.filter(
        person=person, to_unit=actor.unit, state=PersonTransfer.State.REQUESTED
    ).first()
    if pending is not None:
        return pending
    transfer = PersonTransfer.objects.create(
        person=person,
        from_unit=from_unit,
        to_unit=actor.unit,
        reason=reason,
        requested_by=actor,
        requested_at=now or timezone.now(),
    )
    today = timezone.localdate(transfer.requested_at)
    open_deadline(
        kind=PERSON_TRANSFER,
        subject=transfer,
        due_at=end_of_day(add_working_days(today, TRANSFER_WORKING_DAYS)),
        unit=from_unit,
        responsible=None,
    )
    return transfer


@transaction.atomic
def person_transfer_decide(
    transfer: PersonTransfer, *, actor: User, approve: bool, note: str = ""
) -> PersonTransfer:
    """The person's unit manager hands over (or refuses). Handing over moves the person
    and the members of their current household to the receiving unit; their households
    here end today and a new household is formed there when the case is opened. An open
    case here must be closed first – a person is never in two units' open cases."""
    transfer = PersonTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.state != PersonTransfer.State.REQUESTED:
        raise PersonError(_("Begäran är redan besvarad."))
    if not (actor.has_role(Role.UNIT_MANAGER) and actor.unit_id == transfer.from_unit_id):
        raise PermissionError("only the manager of the person's unit hands over")
    now = timezone.now()
    if approve:
        membership = (
            HouseholdMember.objects.filter(person=transfer.person, valid_to__isnull=True)
            .select_related("household")
            .order_by("-valid_from")
            .first()
        )
        movers = [transfer.person_id]
        if membership is not None:
            household = membership.household
            if Case.objects.filter(household=household).exclude(status=Case.Status.CLOSED).exists():
                raise PersonError(_("Avsluta ärendet i din enhet innan personen lämnas över."))
            today = timezone.localdate()
            current = household.members_on(today)
            movers = list(current.values_list("person_id", flat=True))
            # The household here ends yesterday at the latest; memberships that began
            # today are ended today (the period must stay ordered).
            household_lock(household)
            for member in current:
                member.valid_to = max(member.valid_from, today - timedelta(days=1))
                member.save(update_fields=["valid_to"])
                _members_figures_changed(household, member.valid_to)
            _household_bump(household)
        Person.objects.filter(pk__in=movers).update(unit=transfer.to_unit)
    transfer.state = PersonTransfer.State.APPROVED if approve else PersonTransfer.State.REFUSED
    transfer.decided_by = actor
    transfer.decided_at = now
    transfer.decision_note = note.strip()
    transfer.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    meet_deadlines(transfer, kind=PERSON_TRANSFER, at=now)
    return transfer


@transaction.atomic
def household_member_add(
    household: Household,
    *,
    person: Person,
    role: str,
    valid_from: date,
    actor: User,
    version: int | None = None,
) -> HouseholdMember:
    """Add a member from ``valid_from``. With ``version`` (the household the form
    showed) a change made by someone else in between is refused (``StaleHousehold``);
    the household is locked, so two adds of the same person at once make one
    membership."""
    household = household_lock(household, version=version)
    if household.members_on(valid_from).filter(person=person).exists():
        raise ValueError("already a member on that date")
    _adopt(person, household.unit)
    member = HouseholdMember.objects.create(
        household=household, person=person, role=role, valid_from=valid_from, created_by=actor
    )
    _members_figures_changed(household, valid_from)
    _household_bump(household)
    return member


@transaction.atomic
def household_member_end(
    member: HouseholdMember, *, valid_to: date, version: int | None = None
) -> HouseholdMember:
    """End a membership on ``valid_to``; refused (``StaleHousehold``) if the household
    changed since the form showed ``version`` – e.g. a colleague ended the same
    membership on another date, which would otherwise be silently overwritten."""
    household = household_lock(member.household, version=version)
    member = HouseholdMember.objects.get(pk=member.pk)
    if member.valid_to is not None:
        raise PersonError(_("Medlemskapet är redan avslutat."))
    if valid_to < member.valid_from:
        raise ValueError("end before start")
    member.valid_to = valid_to
    member.save(update_fields=["valid_to"])
    # No longer a member after valid_to: the months from then on change.
    _members_figures_changed(household, valid_to)
    _household_bump(household)
    return member


@transaction.atomic
def household_payment_period_set(
    household: Household,
    *,
    actor: User,
    period_start_day: int,
    payment_day: int | None,
    version: int | None = None,
) -> Household:
    """The household's payment period and payment day (brutna utbetalningsperioder,
    Norrköping 2015 §7.4; cases.payment_periods). Days 1–28, so every month has them;
    refused on a stale form like every household change."""
    if not 1 <= period_start_day <= 28 or (payment_day is not None and not 1 <= payment_day <= 28):
        raise PersonError(_("Dagarna ska vara mellan 1 och 28."))
    current = household_lock(household, version=version)
    Household.objects.filter(pk=current.pk).update(
        period_start_day=period_start_day, payment_day=payment_day, version=F("version") + 1
    )
    current.refresh_from_db()
    return current
