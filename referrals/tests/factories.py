"""Factories for the referrals app: providers with services, and a case opened on a
given date (so referrals can be dated in the past, away from "today")."""

from datetime import date

import factory

from cases.services.casework import case_open
from cases.services.people import household_create
from cases.tests.factories import PersonFactory
from referrals.models import Provider, ProviderService


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Insatsgivare {n}")
    kind = Provider.Kind.STATE_AGENCY
    response_days = 10
    follow_up_days = 30
    address = "Box 1\n123 45 Exempelby"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderService

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")


def open_case(caseworker, *, opened_on=date(2025, 1, 2), applicant=None, unit=None):
    """A case opened on ``opened_on`` with one applicant, through the core's services."""
    unit = unit or caseworker.unit
    applicant = applicant or PersonFactory()
    household = household_create(
        applicant=applicant, unit=unit, valid_from=date(2024, 1, 1), actor=caseworker
    )
    return case_open(
        actor=caseworker, household=household, unit=unit, caseworker=caseworker, opened_on=opened_on
    )


def applicant_of(case):
    return case.household.memberships.get(role="applicant").person


MAPPING_ANSWERS = {
    "made_on": date(2025, 2, 3),
    "education_level": "upper_secondary",
    "education": "Gymnasiet, vård och omsorg",
    "work_experience": "Undersköterska i två år",
    "swedish_level": "good",
    "other_languages": "Arabiska",
    "health": "Ont i ryggen vid tunga lyft",
    "obstacles": "Saknar körkort",
    "own_goals": "Arbeta inom äldreomsorgen",
    "help_wanted": "Praktik och hjälp med CV",
    "employment_service_status": "registered",
    "employment_service_contact": "Inskriven, handläggare Kim",
    "other_contacts": "Vårdcentralen",
    "assessment": "Praktik inom äldreomsorgen",
}
