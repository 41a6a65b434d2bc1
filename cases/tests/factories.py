"""factory_boy factories for the core models. Staff get their role through ``role=``."""

import factory
from django.contrib.auth.models import Group

from cases.models import Unit, User
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
