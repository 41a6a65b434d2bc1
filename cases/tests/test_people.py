"""Persons, households over time, and protected identities."""

from datetime import date

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cases.models import AccessLog, Household, HouseholdMember, Person
from cases.models.people import VIEW_PROTECTED_PERSON
from cases.roles import Role
from cases.services.people import household_create, household_member_add, household_member_end
from cases.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tolvan(unit):
    # A client of the caseworkers' unit (the person gate: persons are seen through the
    # unit that is responsible for them, a case or a contact – not by everyone).
    return Person.objects.create(
        first_name="Tolvan",
        last_name="Tolvansson",
        personnummer="191212121212",
        street_address="Storgatan 1",
        birth_date=date(1912, 12, 12),
        unit=unit,
    )


@pytest.fixture
def protected():
    return Person.objects.create(
        first_name="Lisa",
        last_name="Prov",
        personnummer="200001052380",
        street_address="Hemlig väg 2",
        protection_level="skyddad_folkbokforing",
    )


def test_household_composition_on_any_date(tolvan, unit, caseworker):
    child = Person.objects.create(first_name="Barn", last_name="T", birth_date=date(2020, 1, 1))
    household = household_create(
        applicant=tolvan, unit=unit, valid_from=date(2026, 1, 1), actor=caseworker
    )
    member = household_member_add(
        household, person=child, role="child", valid_from=date(2026, 3, 1), actor=caseworker
    )
    household_member_end(member, valid_to=date(2026, 6, 30))

    def names(day):
        return sorted(m.person.first_name for m in household.members_on(day))

    assert names(date(2026, 2, 28)) == ["Tolvan"]
    assert names(date(2026, 3, 1)) == ["Barn", "Tolvan"]
    assert names(date(2026, 6, 30)) == ["Barn", "Tolvan"]
    assert names(date(2026, 7, 1)) == ["Tolvan"]
    assert names(date(2025, 12, 31)) == []


def test_membership_cannot_end_before_it_starts(tolvan, unit, caseworker):
    household = household_create(
        applicant=tolvan, unit=unit, valid_from=date(2026, 1, 1), actor=caseworker
    )
    with pytest.raises(ValueError):
        household_member_end(household.memberships.get(), valid_to=date(2025, 12, 31))


def test_search_finds_by_personnummer_and_name_and_hides_address(client, caseworker, tolvan):
    client.force_login(caseworker)

    by_number = client.get(reverse("person_search"), {"q": "121212+1212"}).content.decode()
    by_name = client.get(reverse("person_search"), {"q": "tolv"}).content.decode()

    assert "Tolvan Tolvansson" in by_number and "Tolvan Tolvansson" in by_name
    assert "Storgatan" not in by_number
    assert AccessLog.objects.filter(user=caseworker, subject_type="person_search").count() == 2


def test_protected_person_is_found_only_with_explicit_grant(
    client, caseworker, unit_manager, protected
):
    for user in (caseworker, unit_manager):
        client.force_login(user)
        listing = client.get(reverse("person_search"), {"q": "Lisa"}).content.decode()
        assert "Lisa Prov" not in listing and "Ingen person matchar" in listing
        assert client.get(reverse("person_detail", args=[protected.pk])).status_code == 404

    assign_perm(VIEW_PROTECTED_PERSON, caseworker, protected)
    client.force_login(caseworker)
    listing = client.get(reverse("person_search"), {"q": "Lisa"}).content.decode()
    assert "Lisa Prov" in listing and "Hemlig väg" not in listing
    assert client.get(reverse("person_detail", args=[protected.pk])).status_code == 200
    outcomes = set(
        AccessLog.objects.filter(subject_type="person").values_list("outcome", flat=True)
    )
    assert outcomes == {"allowed", "denied"}


def test_protected_household_member_shown_only_as_protected(
    client, caseworker, unit, tolvan, protected
):
    household = household_create(
        applicant=tolvan, unit=unit, valid_from=date(2026, 1, 1), actor=caseworker
    )
    household_member_add(
        household,
        person=protected,
        role="co_applicant",
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    client.force_login(caseworker)

    body = client.get(
        reverse("person_detail", args=[tolvan.pk]), {"datum": "2026-02-01"}
    ).content.decode()

    assert "Skyddad person" in body and "Lisa" not in body


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.ADMINISTRATOR])
@pytest.mark.parametrize("url_name", ["person_detail", "person_edit"])
def test_reception_and_administrator_cannot_see_persons(client, make_user, tolvan, role, url_name):
    client.force_login(make_user(role))
    assert client.get(reverse(url_name, args=[tolvan.pk])).status_code == 404
    assert client.get(reverse("person_search"), {"q": "Tolvan"}).status_code == 403


def test_person_form_invalid_personnummer_keeps_the_rest(client, caseworker):
    client.force_login(caseworker)

    response = client.post(
        reverse("person_create"),
        {
            "first_name": "Ny",
            "last_name": "Person",
            "personnummer": "19121212-1213",
            "phone": "070-174 06 07",
            "protection_level": "none",
        },
    )

    body = response.content.decode()
    assert "Kontrollsiffran" in body
    assert 'value="070-174 06 07"' in body and 'value="Ny"' in body
    assert not Person.objects.exists()


def test_person_without_personnummer_gets_reserve_number(client, caseworker):
    client.force_login(caseworker)

    client.post(
        reverse("person_create"),
        {"first_name": "Utan", "last_name": "Nummer", "protection_level": "none"},
    )

    assert Person.objects.get().reserve_number.startswith("R")


def test_marking_protected_keeps_access_for_the_caseworker(client, caseworker, tolvan):
    client.force_login(caseworker)

    client.post(
        reverse("person_edit", args=[tolvan.pk]),
        {
            "first_name": "Tolvan",
            "last_name": "Tolvansson",
            "personnummer": "191212121212",
            "protection_level": "sekretessmarkering",
        },
    )

    assert client.get(reverse("person_detail", args=[tolvan.pk])).status_code == 200


def test_unit_manager_grants_access_within_unit(client, unit_manager, caseworker, protected):
    assign_perm(VIEW_PROTECTED_PERSON, unit_manager, protected)
    client.force_login(unit_manager)

    client.post(reverse("person_access", args=[protected.pk]), {"user": caseworker.pk})

    assert caseworker.has_perm(VIEW_PROTECTED_PERSON, protected)


def test_add_member_with_invalid_personnummer_keeps_input(client, caseworker, unit, tolvan):
    household = household_create(
        applicant=tolvan, unit=unit, valid_from=date(2026, 1, 1), actor=caseworker
    )
    client.force_login(caseworker)

    response = client.post(
        reverse("household_add_member", args=[tolvan.pk, household.pk]),
        {
            "personnummer": "20200101-0000",
            "first_name": "Kid",
            "role": "child",
            "valid_from": "2026-02-01",
        },
    )

    body = response.content.decode()
    assert "Kontrollsiffran" in body and 'value="Kid"' in body
    assert HouseholdMember.objects.count() == 1
    assert Household.objects.count() == 1


def test_a_search_shows_at_most_a_hundred_and_says_there_are_more(client, caseworker, unit):
    from cases.views.people import SEARCH_MAX_RESULTS

    PersonFactory.create_batch(SEARCH_MAX_RESULTS + 1, last_name="Vanligsson", unit=unit)
    client.force_login(caseworker)
    first = client.get(reverse("person_search"), {"q": "Vanligsson"})
    body = first.content.decode()
    assert "Fler än 100 personer matchar – de 100 första visas" in body
    assert first.context["page"].paginator.count == SEARCH_MAX_RESULTS
    last = client.get(reverse("person_search"), {"q": "Vanligsson", "sida": "4"})
    assert len(last.context["page"].object_list) == 25
    assert (
        "Fler än" not in client.get(reverse("person_search"), {"q": "Tolvansson"}).content.decode()
    )
