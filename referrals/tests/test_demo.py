"""Demo data: providers of every kind, referrals in every state – and loading twice gives
the same data."""

import pytest
from django.core.management import call_command

from referrals.models import Mapping, Provider, ProviderService, Referral, ThreePartyMeeting

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Provider.objects.order_by("pk").values_list()),
        list(ProviderService.objects.order_by("pk").values_list()),
        list(
            Referral.objects.order_by("pk").values_list(
                "pk", "case_id", "service_id", "state", "sent_on", "outcome", "version"
            )
        ),
        list(Mapping.objects.order_by("pk").values_list("pk", "person_id", "version")),
        ThreePartyMeeting.objects.count(),
    )


def test_load_demo_twice_gives_the_same_referrals():
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first


def test_providers_of_every_kind_and_referrals_in_every_state():
    call_command("load_demo")
    assert set(Provider.objects.values_list("kind", flat=True)) == set(Provider.Kind.values)
    assert set(Referral.objects.values_list("state", flat=True)) == set(Referral.State.values)
    assert Mapping.objects.exists()
    assert ThreePartyMeeting.objects.exists()
    assert any(referral.long_stay for referral in Referral.objects.filter(state="started"))
    # Omar's unit has its own referrals; Erik's and Sara's are in Nord.
    assert set(Referral.objects.values_list("case__unit__code", flat=True)) == {"nord", "syd"}
