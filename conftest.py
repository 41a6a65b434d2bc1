"""Fixtures shared by every test package."""

import pytest

from cases.roles import Role
from cases.tests.factories import UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(code="nord", name="Nord")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="syd", name="Syd")


@pytest.fixture
def make_user(db, unit):
    """make_user(Role.CASEWORKER, unit=...) -> a saved user with that role."""

    def make(role: Role | None, **kwargs):
        kwargs.setdefault("unit", None if role == Role.ADMINISTRATOR else unit)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def caseworker(make_user):
    return make_user(Role.CASEWORKER)


@pytest.fixture
def unit_manager(make_user):
    return make_user(Role.UNIT_MANAGER)


@pytest.fixture
def reception(make_user):
    return make_user(Role.RECEPTION)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)
