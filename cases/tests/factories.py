"""factory_boy factories for the core models. Staff get their role through ``role=``."""

import factory
from django.contrib.auth.models import Group

from cases.models import NormYear, Unit, User
from cases.roles import Role

TEST_PASSWORD = "test-lösen-123"  # noqa: S105 – test fixtures only


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"enhet{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Testsson{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@kommun.example")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted is not None:
            self.groups.add(Group.objects.get_or_create(name=Role(extracted).value)[0])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Person"

    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = "Testperson"
    birth_date = factory.Faker("date_between", start_date="-60y", end_date="-20y")

    class Params:
        protected = factory.Trait(protection_level="skyddad_folkbokforing")


class CaseFactory(factory.django.DjangoModelFactory):
    """A case for a household with one adult applicant, opened through the service so
    the caseworker holds the grants. ``closed=True`` closes it."""

    class Meta:
        model = "cases.Case"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from datetime import date

        from cases.models import ClosingReason
        from cases.services.casework import case_close, case_open
        from cases.services.people import household_create

        caseworker = kwargs.pop("caseworker")
        unit = kwargs.pop("unit", None) or caseworker.unit
        applicant = kwargs.pop("applicant", None) or PersonFactory()
        closed = kwargs.pop("closed", False)
        household = household_create(
            applicant=applicant, unit=unit, valid_from=date(2026, 1, 1), actor=caseworker
        )
        case = case_open(actor=caseworker, household=household, unit=unit, caseworker=caseworker)
        if closed:
            case = case_close(case, actor=caseworker, reason=ClosingReason.objects.first())
        return case


def copy_norm_year(year_from: int, year_to: int) -> None:
    """A test's own copy of a year's tables – marked so, never official figures."""
    source = NormYear.objects.get(year=year_from)
    copy = NormYear.objects.create(
        year=year_to,
        common_cost_per_extra_person=source.common_cost_per_extra_person,
        prisbasbelopp=source.prisbasbelopp,
        source=f"Testkopia av {year_from}",
        is_active=True,
    )
    for row in source.personal_costs.all():
        row.pk, row.norm_year = None, copy
        row.save()
    for row in source.common_costs.all():
        row.pk, row.norm_year = None, copy
        row.save()
