"""Kartläggning: stored per person and version – each save a new version, none ever
overwritten; the form keeps what was typed on errors and when someone else saved first."""

from datetime import date

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.tests.factories import PersonFactory
from referrals.models import Mapping
from referrals.services import ReferralError, StaleMapping, mapping_save
from referrals.tests.factories import MAPPING_ANSWERS, open_case

pytestmark = pytest.mark.django_db


def save(case, person, actor, based_on, **changes):
    return mapping_save(
        actor=actor,
        case=case,
        person=person,
        answers={**MAPPING_ANSWERS, **changes},
        based_on_version=based_on,
    )


def test_each_save_is_a_new_version(case, person, caseworker):
    first = save(case, person, caseworker, 0)
    second = save(case, person, caseworker, 1, help_wanted="Hjälp med körkort")

    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.help_wanted == "Praktik och hjälp med CV"  # untouched
    assert list(Mapping.objects.filter(person=person).values_list("version", flat=True)) == [2, 1]


def test_versions_are_per_person(case, person, caseworker, make_user):
    other_case = open_case(make_user(Role.CASEWORKER))
    other_person = other_case.household.memberships.get().person
    save(case, person, caseworker, 0)
    assert save(other_case, other_person, other_case.caseworker, 0).version == 1


def test_a_version_is_never_changed_or_deleted(mapping):
    mapping.help_wanted = "något annat"
    with pytest.raises(PermissionError):
        mapping.save()
    with pytest.raises(PermissionError):
        Mapping.objects.filter(pk=mapping.pk).update(help_wanted="x")
    with pytest.raises(PermissionError):
        mapping.delete()
    with pytest.raises(PermissionError):
        Mapping.objects.all().delete()


def test_a_save_on_top_of_an_unseen_version_is_refused(case, person, caseworker):
    save(case, person, caseworker, 0)
    save(case, person, caseworker, 1, own_goals="Bli busschaufför")
    with pytest.raises(StaleMapping, match="version 2") as refused:
        save(case, person, caseworker, 1, own_goals="Bli lärare")
    assert refused.value.latest == 2
    assert Mapping.objects.filter(person=person).count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"help_wanted": "  "}, "vilken hjälp"),
        ({"employment_service_status": ""}, "Arbetsförmedlingen"),
        ({"made_on": date(2999, 1, 1)}, "framtiden"),
    ],
)
def test_the_persons_own_view_is_required(case, person, caseworker, changes, message):
    with pytest.raises(ReferralError, match=message):
        save(case, person, caseworker, 0, **changes)
    assert not Mapping.objects.exists()


def test_only_for_a_person_of_the_household(case, caseworker):
    with pytest.raises(ReferralError, match="hushåll"):
        save(case, PersonFactory(), caseworker, 0)


# ---------------------------------------------------------------------------- views


def form_data(**changes):
    data = {key: str(value) for key, value in MAPPING_ANSWERS.items()}
    data["based_on_version"] = "0"
    data.update(changes)
    return data


def test_the_form_keeps_everything_on_a_validation_error(client, case, person, caseworker):
    client.force_login(caseworker)
    url = reverse("referrals:mapping_edit", args=[case.pk, person.pk])
    response = client.post(url, form_data(help_wanted=""))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kontrollera de markerade fälten" in page
    assert "Undersköterska i två år" in page  # what was typed is still there
    assert 'value="registered" ' in page and "checked" in page
    assert not Mapping.objects.exists()


def test_the_form_keeps_everything_when_someone_saved_first(client, case, person, caseworker):
    save(case, person, caseworker, 0)
    client.force_login(caseworker)
    url = reverse("referrals:mapping_edit", args=[case.pk, person.pk])
    response = client.post(url, form_data(own_goals="Mitt eget nya mål"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Någon annan har sparat en ny version" in page
    assert "Mitt eget nya mål" in page
    assert 'name="based_on_version" value="1"' in page  # a second save goes on top
    response = client.post(url, form_data(own_goals="Mitt eget nya mål", based_on_version="1"))
    assert response.status_code == 302
    assert Mapping.objects.get(version=2).own_goals == "Mitt eget nya mål"


def test_a_new_version_starts_from_the_latest(client, mapping, case, person, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("referrals:mapping_edit", args=[case.pk, person.pk]))
    page = response.content.decode()
    assert "Undersköterska i två år" in page
    assert 'name="based_on_version" value="1"' in page


def test_every_version_can_be_read(client, case, person, caseworker):
    save(case, person, caseworker, 0)
    save(case, person, caseworker, 1, own_goals="Nytt mål")
    client.force_login(caseworker)
    url = reverse("referrals:mapping_detail", args=[case.pk, person.pk])
    assert "Nytt mål" in client.get(url).content.decode()
    old = client.get(url, {"version": 1}).content.decode()
    assert "Arbeta inom äldreomsorgen" in old and "inte den senaste" in old
    assert client.get(url, {"version": 9}).status_code == 404


def test_a_person_outside_the_household_is_not_found(client, case, caseworker):
    client.force_login(caseworker)
    stranger = PersonFactory()
    url = reverse("referrals:mapping_detail", args=[case.pk, stranger.pk])
    assert client.get(url).status_code == 404


def test_the_mapping_prefills_a_referral(client, mapping, case, person, caseworker):
    client.force_login(caseworker)
    url = reverse("referrals:referral_new", args=[case.pk])
    page = client.get(url, {"kartlaggning": mapping.pk}).content.decode()
    assert "Personen vill ha hjälp med: Praktik och hjälp med CV" in page
    assert "Egna mål: Arbeta inom äldreomsorgen" in page
    assert f'name="mapping" value="{mapping.pk}"' in page


def test_the_mapping_drafts_a_work_plan_activity(mapping):
    from referrals.services.mappings import mapping_activity_text

    assert mapping_activity_text(mapping) == (
        "Mål: Arbeta inom äldreomsorgen\nStöd som personen vill ha: Praktik och hjälp med CV"
    )
