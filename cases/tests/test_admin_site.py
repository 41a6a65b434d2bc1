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


@pytest.mark.parametrize(
    "model", ["closingreason", "supportobstacle", "legalbasis", "delegationrule"]
)
def test_administrator_keeps_the_lists_that_are_data_but_never_deletes(
    client, administrator, model
):
    from django.apps import apps

    row = apps.get_model("cases", model).objects.first()
    client.force_login(administrator)

    assert client.get(reverse(f"admin:cases_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:cases_{model}_change", args=[row.pk])).status_code == 200
    assert client.get(reverse(f"admin:cases_{model}_delete", args=[row.pk])).status_code == 403


def test_delegation_rule_offers_only_real_roles(client, administrator):
    from cases.models import DelegationRule

    rule = DelegationRule.objects.first()
    client.force_login(administrator)
    url = reverse("admin:cases_delegationrule_change", args=[rule.pk])

    response = client.post(
        url,
        {
            "item_kind": rule.item_kind,
            "outcome": rule.outcome,
            "role": "chef",
            "max_amount": "1000",
            "is_active": "on",
        },
    )

    assert response.status_code == 200  # the form again, with the error
    assert "Välj ett giltigt alternativ" in response.content.decode()
    rule.refresh_from_db()
    assert rule.role != "chef"
