"""Who may see and change which case (DESIGN.md "Roles and access").

- The responsible caseworker holds explicit django-guardian grants (view + change).
- Colleagues in the same unit may read (setting UNIT_COLLEAGUES_CAN_READ, default on).
- The unit manager sees and changes everything in the unit.
- A case whose household includes a protected identity is visible only through an
  explicit grant – not through the unit rules (DOMAIN.md §8).
- Reception and administrators see no case content.
"""

from django.conf import settings
from django.db import models

from cases.roles import Role

VIEW_CASE = "view_case"
CHANGE_CASE = "change_case"


def _grants(user, codename: str):
    from cases.models.casework import CaseUserObjectPermission

    return CaseUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )


def _unit_reader(user) -> bool:
    if user.unit_id is None:
        return False
    if user.has_role(Role.UNIT_MANAGER):
        return True
    return user.has_role(Role.CASEWORKER) and settings.UNIT_COLLEAGUES_CAN_READ


def visible_cases_filter(queryset, user):
    """Cases ``user`` may see: ``pk IN (granted UNION ALL the unit's unprotected)``.

    One IN over a UNION ALL rather than ``granted OR (unit AND NOT protected)``: with
    the OR, PostgreSQL cannot use the unit index and filters every case in the database
    (a unit manager's list took a second at 100 000 households, most of it JIT
    compilation set off by the estimate); with the union it reads the grants and the
    unit's cases by index, and a lookup of one case (``get_case_for_user``) is pushed
    into both branches. The unit branch starts from ``queryset`` itself, so whatever
    the caller narrowed first (a caseworker's own cases) narrows it too, instead of the
    whole unit being read for a list of one person's cases. Same rows, same
    permissions."""
    from cases.models.casework import HouseholdPersonProtection

    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if not (user.has_role(Role.CASEWORKER) or user.has_role(Role.UNIT_MANAGER)):
        return queryset.none()
    granted = _grants(user, VIEW_CASE).order_by()
    visible = granted
    if _unit_reader(user):
        # Granted cases are left out of the unit branch: they are visible anyway, and
        # the protection check is then made only for the rest.
        unit_cases = (
            queryset.filter(unit_id=user.unit_id)
            .exclude(pk__in=granted)
            .exclude(models.Exists(HouseholdPersonProtection.subquery()))
            .values("pk")
            .order_by()
        )
        visible = granted.union(unit_cases, all=True)
    return queryset.filter(pk__in=visible)


def can_change_case(user, case) -> bool:
    """Caseworker with the change grant, or the unit's manager (for a protected case only
    with an explicit grant as well)."""
    from cases.models.casework import Case, CaseUserObjectPermission

    if not (user.is_authenticated and user.is_active):
        return False
    if CaseUserObjectPermission.objects.filter(
        user=user, content_object=case, permission__codename=CHANGE_CASE
    ).exists():
        return True
    if user.has_role(Role.UNIT_MANAGER) and user.unit_id == case.unit_id:
        return Case.objects.visible_to(user).filter(pk=case.pk).exists()
    return False


def can_manage_case(user, case) -> bool:
    """Reassigning and approving are for the unit's manager."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.UNIT_MANAGER)
        and user.unit_id == case.unit_id
    )
