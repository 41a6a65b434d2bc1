"""Every list and dashboard has a fixed query count, independent of its rows
(DESIGN.md "Targets")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import sweep
from cases.models import Person
from cases.services.contacts import first_contact_register

pytestmark = pytest.mark.django_db


def add_contacts(n, reception, unit, caseworker, *, days_ago=0):
    for i in range(n):
        first_contact_register(
            actor=reception,
            channel="phone",
            subject="acute_need" if i % 3 == 0 else "new_application",
            unit=unit,
            assigned_to=caseworker if i % 2 else None,
            personnummer="191212121212" if i % 4 == 0 else "",
            name=f"Person {i}",
            received_at=timezone.now() - timezone.timedelta(days=days_ago, minutes=i),
        )
    sweep(timezone.now() + timezone.timedelta(days=10))


def queries(client, url, params=None):
    client.get(url, params)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    ("user_fixture", "url_name", "params"),
    [
        ("reception", "reception_start", None),
        ("caseworker", "caseworker_start", None),
        ("unit_manager", "unit_manager_start", None),
        ("unit_manager", "inbox", None),
        ("caseworker", "person_search", {"q": "Person"}),
    ],
)
def test_fixed_query_count(
    request, client, reception, unit, caseworker, unit_manager, user_fixture, url_name, params
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    add_contacts(3, reception, unit, caseworker, days_ago=8)
    for i in range(3):
        Person.objects.create(first_name="Person", last_name=f"Nr{i}")
    few = queries(client, reverse(url_name), params)

    add_contacts(12, reception, unit, caseworker, days_ago=8)
    for i in range(12):
        Person.objects.create(first_name="Person", last_name=f"Fler{i}")
    many = queries(client, reverse(url_name), params)

    assert few == many
