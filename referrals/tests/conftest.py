"""Fixtures for the referrals tests."""

from datetime import date

import pytest

from referrals.services import mapping_save, referral_create
from referrals.tests.factories import (
    MAPPING_ANSWERS,
    ProviderFactory,
    ServiceFactory,
    applicant_of,
    open_case,
)


@pytest.fixture
def case(caseworker):
    return open_case(caseworker)


@pytest.fixture
def person(case):
    return applicant_of(case)


@pytest.fixture
def provider(db):
    return ProviderFactory(name="Arbetsförmedlingen", response_days=10, follow_up_days=30)


@pytest.fixture
def service(provider):
    return ServiceFactory(provider=provider, name="Inskrivning och gemensam planering")


@pytest.fixture
def mapping(case, person, caseworker):
    return mapping_save(
        actor=caseworker, case=case, person=person, answers=MAPPING_ANSWERS, based_on_version=0
    )


@pytest.fixture
def make_referral(case, person, service, caseworker):
    def make(**kwargs):
        kwargs.setdefault("actor", caseworker)
        kwargs.setdefault("case", case)
        kwargs.setdefault("person", person)
        kwargs.setdefault("service", service)
        kwargs.setdefault("reason", "Vill arbeta inom vården")
        kwargs.setdefault("request", "Inskrivning och planering")
        kwargs.setdefault("sent_on", date(2025, 3, 3))
        return referral_create(**kwargs)

    return make


@pytest.fixture
def referral(make_referral):
    return make_referral()
