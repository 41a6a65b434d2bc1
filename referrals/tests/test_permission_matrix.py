"""Every URL of the referrals app against every kind of user: the owner of the case,
a colleague in the unit (read only), a caseworker of another unit, the unit's manager,
another unit's manager, reception, an administrator, anonymous and deactivated users.
A URL without an entry here fails the test (pattern: cases/tests/test_permission_matrix)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.access_rules import can_change_case
from cases.models import AccessLog
from cases.roles import Role
from cases.tests.matrix import FORBIDDEN, NOT_FOUND, OK, STAFF, expect, outcomes
from referrals import urls
from referrals.models import Referral
from referrals.services import StepInput, three_party_meeting_record
from referrals.tests.factories import MAPPING_ANSWERS, ServiceFactory, open_case

CASE_READ = expect(own=OK, colleague=OK, manager=OK)
CASE_WRITE = expect(own=OK, manager=OK)
CASEWORKER_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), own=OK, colleague=OK, other_unit=OK)
CASE_ROLE_PAGE = expect(dict.fromkeys(STAFF, OK), reception=FORBIDDEN, administrator=FORBIDDEN)

# url name -> (method, args over the world, expectations, POST data)
ENTRIES = {
    "my_referrals": ("get", None, CASEWORKER_PAGE, None),
    "unit_referrals": ("get", None, CASE_ROLE_PAGE, None),
    "referral_new": ("get", lambda w: [w["case"].pk], CASE_WRITE, None),
    "referral_detail": ("get", lambda w: [w["referral"].pk], CASE_READ, None),
    "referral_move": ("post", lambda w: [w["referral"].pk], CASE_WRITE, {"to": "accepted"}),
    "referral_follow_up": ("post", lambda w: [w["referral"].pk], CASE_WRITE, {}),
    "referral_consent": ("post", lambda w: [w["referral"].pk], CASE_WRITE, {}),
    "referral_letter": ("get", lambda w: [w["referral"].pk], CASE_READ, None),
    "mapping_detail": ("get", lambda w: [w["case"].pk, w["person"].pk], CASE_READ, None),
    "mapping_edit": ("get", lambda w: [w["case"].pk, w["person"].pk], CASE_WRITE, None),
    "mapping_activity": ("post", lambda w: [w["case"].pk, w["person"].pk], CASE_WRITE, {}),
    "meeting_new": ("get", lambda w: [w["case"].pk], CASE_WRITE, None),
    "step_activity": ("post", lambda w: [w["case"].pk, w["step"].pk], CASE_WRITE, {}),
}


def url_names():
    return sorted(p.name for p in urls.urlpatterns if p.name)


def test_every_referrals_url_has_an_entry():
    missing = set(url_names()) - set(ENTRIES)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


@pytest.fixture
def world(db, make_user, unit, other_unit):
    from referrals.services import mapping_save, referral_create

    own = make_user(Role.CASEWORKER)
    case = open_case(own)
    person = case.household.memberships.get().person
    service = ServiceFactory()
    referral = referral_create(
        actor=own,
        case=case,
        person=person,
        service=service,
        reason="Anledning",
        request="Begäran",
        shared_fields=["identity"],
    )
    mapping_save(actor=own, case=case, person=person, answers=MAPPING_ANSWERS, based_on_version=0)
    meeting = three_party_meeting_record(
        actor=own,
        case=case,
        provider=service.provider,
        participant_name="Kim",
        notes="Anteckning",
        held_at=timezone.now() - timedelta(hours=1),
        steps=[StepInput(what="CV", responsible="client", becomes="activity")],
    )
    users = {
        "own": own,
        "colleague": make_user(Role.CASEWORKER),
        "other_unit": make_user(Role.CASEWORKER, unit=other_unit),
        "manager": make_user(Role.UNIT_MANAGER),
        "other_manager": make_user(Role.UNIT_MANAGER, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
        "deactivated": make_user(Role.CASEWORKER),
    }
    return {
        "users": users,
        "case": case,
        "person": person,
        "referral": referral,
        "step": meeting.steps.get(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ENTRIES))
def test_permission_matrix(client, world, url_name):
    method, args, expected, data = ENTRIES[url_name]
    url = reverse(f"referrals:{url_name}", args=args(world) if args else None)
    got = outcomes(client, world["users"], url, method, data)
    assert got == expected


@pytest.mark.django_db
def test_a_colleague_reads_but_never_changes(client, world):
    colleague, referral = world["users"]["colleague"], world["referral"]
    assert not can_change_case(colleague, world["case"])
    client.force_login(colleague)
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "Nästa steg för remissen" not in page and "Ändra samtycket" not in page
    response = client.post(
        reverse("referrals:referral_move", args=[referral.pk]),
        {"to": "withdrawn", "withdrawn-on": "2026-01-01", "withdrawn-note": "x"},
    )
    assert response.status_code == NOT_FOUND
    referral.refresh_from_db()
    assert referral.state == Referral.State.SENT


@pytest.mark.django_db
def test_a_protected_case_is_reached_only_with_an_explicit_grant(client, make_user):
    from cases.tests.factories import PersonFactory
    from referrals.services import referral_create

    own = make_user(Role.CASEWORKER)
    case = open_case(own, applicant=PersonFactory(protected=True))
    referral = referral_create(
        actor=own,
        case=case,
        person=case.household.memberships.get().person,
        service=ServiceFactory(),
        reason="Anledning",
        request="Begäran",
    )
    url = reverse("referrals:referral_detail", args=[referral.pk])
    for user, expected in (
        (own, 200),
        (make_user(Role.CASEWORKER), 404),
        (make_user(Role.UNIT_MANAGER), 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected
    # …and the lists do not show it either.
    client.force_login(make_user(Role.UNIT_MANAGER))
    assert (
        referral.reference not in client.get(reverse("referrals:unit_referrals")).content.decode()
    )


@pytest.mark.django_db
def test_reads_and_denials_are_in_the_access_log(client, world):
    referral = world["referral"]
    url = reverse("referrals:referral_detail", args=[referral.pk])
    client.force_login(world["users"]["own"])
    client.get(url)
    client.force_login(world["users"]["other_unit"])
    client.get(url)
    rows = AccessLog.objects.filter(subject_type="referral", subject_id=str(referral.pk))
    assert list(rows.order_by("pk").values_list("username", "outcome")) == [
        (world["users"]["own"].username, "allowed"),
        (world["users"]["other_unit"].username, "denied"),
    ]
    assert rows.get(outcome="allowed").subject_unit == world["case"].unit


@pytest.mark.django_db
def test_lists_show_only_visible_cases(client, world, make_user, other_unit):
    from referrals.services import referral_create

    elsewhere = open_case(make_user(Role.CASEWORKER, unit=other_unit))
    hidden = referral_create(
        actor=elsewhere.caseworker,
        case=elsewhere,
        person=elsewhere.household.memberships.get().person,
        service=ServiceFactory(provider__name="Dold insatsgivare"),
        reason="A",
        request="B",
    )
    client.force_login(world["users"]["manager"])
    page = client.get(reverse("referrals:unit_referrals")).content.decode()
    assert world["referral"].person.full_name in page
    assert hidden.person.full_name not in page and "Dold insatsgivare" not in page
