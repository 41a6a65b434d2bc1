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


def test_two_administrators_saving_one_provider_the_second_is_refused(client, administrator):
    """The provider's change form with its services: a save made from a page opened
    before a colleague's save is refused and shown again with what was typed."""
    from django.test import Client

    from cases.tests.html import admin_post_data
    from referrals.models import Provider
    from referrals.tests.factories import ProviderFactory

    provider = ProviderFactory(name="Arbetsförmedlingen Nord")
    provider.services.create(name="Kartläggning")
    url = reverse("admin:referrals_provider_change", args=[provider.pk])
    alice, bertil = Client(), Client()
    alice.force_login(administrator)
    bertil.force_login(administrator)
    alice_data = admin_post_data(alice.get(url))
    bertil_data = admin_post_data(bertil.get(url))

    assert alice.post(url, {**alice_data, "services-0-name": "Kartläggning 2.0"}).status_code == 302
    refused = bertil.post(url, {**bertil_data, "phone": "010-486 00 00"})

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert "Någon annan har sparat ändringar här medan du skrev" in " ".join(
        form.non_field_errors()
    )
    assert form["phone"].value() == "010-486 00 00"
    provider = Provider.objects.get(pk=provider.pk)
    assert provider.phone == ""
    # Bertil's page still named the service "Kartläggning": saving it would undo Alice's.
    assert list(provider.services.values_list("name", flat=True)) == ["Kartläggning 2.0"]
