"""Providers and services are data an administrator keeps in the admin site; the
administrator sees no referrals (case content)."""

import pytest
from django.urls import reverse

from referrals.apps import sync_administrator_permissions

pytestmark = pytest.mark.django_db


def test_the_administrator_manages_providers(client, administrator):
    sync_administrator_permissions()  # idempotent: a second run changes nothing
    client.force_login(administrator)
    assert client.get(reverse("admin:referrals_provider_changelist")).status_code == 200
    response = client.post(
        reverse("admin:referrals_provider_add"),
        {
            "name": "Nya jobbklubben",
            "kind": "municipal",
            "response_days": "5",
            "follow_up_days": "30",
            "is_active": "on",
            "services-TOTAL_FORMS": "1",
            "services-INITIAL_FORMS": "0",
            "services-0-name": "Jobbsökarstöd",
            "services-0-is_active": "on",
        },
    )
    assert response.status_code == 302
    from referrals.models import Provider

    provider = Provider.objects.get(name="Nya jobbklubben")
    assert list(provider.services.values_list("name", flat=True)) == ["Jobbsökarstöd"]
    assert administrator.has_perm("referrals.change_provider")
    assert not administrator.has_perm("referrals.view_referral")


def test_other_roles_do_not_reach_the_admin(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("admin:referrals_provider_changelist"), follow=True)
    assert response.status_code == 403
