"""The referral lists and panels have a fixed query count, however many referrals
there are (DESIGN.md "Targets")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.roles import Role
from referrals.services import (
    StepInput,
    referral_accept,
    referral_create,
    referral_start,
    three_party_meeting_record,
)
from referrals.tests.factories import ServiceFactory, open_case

pytestmark = pytest.mark.django_db


def add_referrals(n, caseworker):
    """n cases, each with referrals in three states and a three-party meeting."""
    for i in range(n):
        case = open_case(caseworker)
        person = case.household.memberships.get().person
        service = ServiceFactory(provider__name=f"Insatsgivare {i % 4}")
        for _ in range(3):
            referral = referral_create(
                actor=caseworker,
                case=case,
                person=person,
                service=service,
                reason="Anledning",
                request="Begäran",
                sent_on=date(2025, 2, 3),
            )
        referral_accept(referral, actor=caseworker, on=date(2025, 2, 4))
        referral_start(referral, actor=caseworker, on=date(2025, 2, 5))
        three_party_meeting_record(
            actor=caseworker,
            case=case,
            provider=service.provider,
            participant_name="Kim",
            notes="Anteckning",
            held_at=datetime(2025, 2, 6, 10, tzinfo=ZoneInfo("Europe/Stockholm")),
            referral=referral,
            steps=[StepInput(what="CV", responsible="client", becomes="activity")],
        )
    return case


def queries(client, url, params=None):
    client.get(url, params)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    ("role", "url_name", "params"),
    [
        (Role.CASEWORKER, "referrals:my_referrals", None),
        (Role.CASEWORKER, "caseworker_start", None),
        (Role.UNIT_MANAGER, "referrals:unit_referrals", None),
        (Role.UNIT_MANAGER, "referrals:unit_referrals", {"status": "started"}),
        (Role.UNIT_MANAGER, "referrals:unit_referrals", {"flaggade": "1"}),
    ],
)
def test_lists_have_a_fixed_query_count(client, make_user, caseworker, role, url_name, params):
    viewer = caseworker if role == Role.CASEWORKER else make_user(role)
    client.force_login(viewer)
    add_referrals(2, caseworker)
    few = queries(client, reverse(url_name), params)
    add_referrals(6, caseworker)
    many = queries(client, reverse(url_name), params)
    assert few == many


def test_the_case_page_panel_has_a_fixed_query_count(client, caseworker):
    from referrals.services import mapping_save
    from referrals.tests.factories import MAPPING_ANSWERS

    client.force_login(caseworker)
    case = add_referrals(1, caseworker)
    url = reverse("case_detail", args=[case.pk])
    person = case.household.memberships.get().person
    # One kartläggning and one referral against three and six: the same queries. (With
    # none at all the panel asks nothing more than the case page's "anything?" query,
    # cases.extensions – tests/test_fixed_cost.py.)
    mapping_save(
        actor=caseworker, case=case, person=person, answers=MAPPING_ANSWERS, based_on_version=0
    )
    few = queries(client, url)

    for version in range(1, 3):
        mapping_save(
            actor=caseworker,
            case=case,
            person=person,
            answers=MAPPING_ANSWERS,
            based_on_version=version,
        )
    service = ServiceFactory(provider__name="Ännu en")
    for _ in range(5):
        referral_create(
            actor=caseworker,
            case=case,
            person=person,
            service=service,
            reason="A",
            request="B",
            sent_on=date(2025, 2, 3),
        )
    many = queries(client, url)
    assert few == many
