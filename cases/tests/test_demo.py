"""`load_demo`: idempotent, and refused where demo data is not allowed."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from cases.demo import DEMO_PASSWORD, DEMO_USERS
from cases.models import Unit, User

pytestmark = pytest.mark.django_db


def snapshot():
    users = [
        (
            u.username,
            u.first_name,
            u.last_name,
            u.unit.code if u.unit else None,
            u.password,
            tuple(sorted(g.name for g in u.groups.all())),
            u.is_active,
        )
        for u in User.objects.select_related("unit").prefetch_related("groups").order_by("pk")
    ]
    units = list(Unit.objects.order_by("pk").values_list("pk", "code", "name"))
    memberships = User.groups.through.objects.count()
    return users, units, memberships, Group.objects.count()


def test_load_demo_twice_gives_the_same_data():
    call_command("load_demo")
    first = snapshot()

    call_command("load_demo")

    assert snapshot() == first
    assert len(first[0]) == len(DEMO_USERS)
    assert [code for _, code, _ in first[1]] == ["nord", "syd"]


def test_demo_users_have_the_published_password_and_roles():
    call_command("load_demo")

    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == spec.role
        assert (user.unit.code if user.unit else None) == spec.unit_code


def test_load_demo_refused_when_not_allowed(settings):
    settings.VAGEN_DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("load_demo")

    assert not User.objects.exists()
