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
    from cases.models.casework import HouseholdPersonProtection

    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if not (user.has_role(Role.CASEWORKER) or user.has_role(Role.UNIT_MANAGER)):
        return queryset.none()
    condition = models.Q(pk__in=_grants(user, VIEW_CASE))
    if _unit_reader(user):
        condition |= models.Q(unit_id=user.unit_id, _protected=False)
    return queryset.alias(_protected=models.Exists(HouseholdPersonProtection.subquery())).filter(
        condition
    )


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
