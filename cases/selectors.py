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


def contacts_for_reception(unit: Unit, today) -> QuerySet:
    """Reception's list: every contact still waiting for a callback (nobody is
    forgotten, whatever day it came in) and the ones answered today."""
    from django.db.models import Q

    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(unit=unit)
        .filter(Q(state=FirstContact.State.OPEN) | Q(received_at__date=today))
        .select_related("person", "assigned_to")
        .order_by("state", "callback_due_at", "pk")
    )


def open_callbacks_for(user: User) -> QuerySet:
    """A caseworker's callbacks, the most urgent first."""
    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(assigned_to=user, state=FirstContact.State.OPEN)
        .select_related("person")
        .order_by("callback_due_at", "pk")
    )


def unassigned_callbacks(unit: Unit) -> QuerySet:
    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(
            unit=unit, assigned_to__isnull=True, state=FirstContact.State.OPEN
        )
        .select_related("person")
        .order_by("callback_due_at", "pk")
    )


def overdue_callbacks(unit: Unit, now) -> QuerySet:
    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(
            unit=unit, state=FirstContact.State.OPEN, callback_due_at__lt=now
        )
        .select_related("person", "assigned_to")
        .order_by("callback_due_at", "pk")
    )


def inbox(user: User) -> QuerySet:
    from cases.models import Notification

    return (
        Notification.objects.filter(recipient=user)
        .select_related("deadline")
        .order_by("-created_at", "-pk")
    )
