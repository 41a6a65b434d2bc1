"""The admin site is for administrators only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CASEWORKER, Role.UNIT_MANAGER, None])
def test_admin_closed_to_non_administrators(client, make_user, role):
    user = make_user(role)
    user.is_staff = True  # even with Django's staff flag set by mistake
    user.save()
    client.force_login(user)

    for url in (reverse("admin:index"), reverse("admin:cases_user_changelist")):
        response = client.get(url, follow=True)
        assert response.status_code == 403
        assert "behörighet" in response.content.decode()


def test_anonymous_admin_goes_to_our_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_administrator_manages_users_and_units_but_no_access_log_edits(client, administrator):
    client.force_login(administrator)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:cases_user_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_unit_changelist")).status_code == 200


def test_admin_refuses_caseworker_without_unit(client, administrator, make_user):
    user = make_user(None, unit=None)
    caseworkers = Group.objects.get(name=Role.CASEWORKER)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:cases_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "title": "",
            "unit": "",
            "groups": [caseworkers.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "måste tillhöra en enhet" in response.content.decode()
    assert not user.groups.exists()
