"""Reads shared by several views of the core app."""

from django.db.models import Prefetch, QuerySet

from cases.models import AccessLog, Unit, User


def unit_staff(unit: Unit) -> QuerySet[User]:
    """Active staff of a unit with their groups, in one query plus one prefetch."""
    from django.contrib.auth.models import Group

    return (
        User.objects.filter(unit=unit, is_active=True)
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("name")))
        .order_by("first_name", "last_name")
    )


def unit_access_log(unit: Unit) -> QuerySet[AccessLog]:
    return AccessLog.objects.for_unit(unit).select_related("unit", "subject_unit")
