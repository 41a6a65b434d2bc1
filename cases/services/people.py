"""Persons and households: every write."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Household, HouseholdMember, Person, Unit, User
from cases.models.people import VIEW_PROTECTED_PERSON
from cases.personnummer import parse


def _derive(person: Person) -> None:
    if person.personnummer:
        person.birth_date = parse(person.personnummer).birth_date


@transaction.atomic
def person_save(person: Person, *, actor: User) -> Person:
    """Create or update a person. A person without personnummer gets a reserve number;
    whoever marks a person protected keeps access through an explicit grant."""
    _derive(person)
    creating = person.pk is None
    person.save()
    if creating and not person.personnummer and not person.reserve_number:
        person.reserve_number = f"R{timezone.localdate():%Y}-{person.pk:07d}"
        person.save(update_fields=["reserve_number"])
    if person.is_protected:
        assign_perm(VIEW_PROTECTED_PERSON, actor, person)
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


@transaction.atomic
def household_create(*, applicant: Person, unit: Unit, valid_from: date, actor: User) -> Household:
    household = Household.objects.create(unit=unit)
    HouseholdMember.objects.create(
        household=household,
        person=applicant,
        role=HouseholdMember.Role.APPLICANT,
        valid_from=valid_from,
        created_by=actor,
    )
    return household


def household_for(person: Person, *, unit: Unit, actor: User) -> Household:
    """The household the person belongs to now, or a new one with them as applicant."""
    membership = (
        HouseholdMember.objects.filter(person=person, valid_to__isnull=True)
        .select_related("household")
        .order_by("-valid_from")
        .first()
    )
    if membership is not None:
        return membership.household
    return household_create(
        applicant=person, unit=unit, valid_from=timezone.localdate(), actor=actor
    )


@transaction.atomic
def household_member_add(
    household: Household, *, person: Person, role: str, valid_from: date, actor: User
) -> HouseholdMember:
    if household.members_on(valid_from).filter(person=person).exists():
        raise ValueError("already a member on that date")
    return HouseholdMember.objects.create(
        household=household, person=person, role=role, valid_from=valid_from, created_by=actor
    )


@transaction.atomic
def household_member_end(member: HouseholdMember, *, valid_to: date) -> HouseholdMember:
    if valid_to < member.valid_from:
        raise ValueError("end before start")
    member.valid_to = valid_to
    member.save(update_fields=["valid_to"])
    return member
