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
    visible = visible_case_ids(queryset, user)
    return queryset.none() if visible is None else queryset.filter(pk__in=visible)


def visible_case_ids(queryset, user):
    """The ``pk IN (…)`` of ``visible_cases_filter``: the ids of the cases ``user`` may
    see (the unit branch narrowed by ``queryset``), or None when they may see none."""
    from cases.models.casework import HouseholdPersonProtection

    if not (user.is_authenticated and user.is_active):
        return None
    if not (user.has_role(Role.CASEWORKER) or user.has_role(Role.UNIT_MANAGER)):
        return None
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
    return visible


# The gate's ``visible_case_ids`` for one user, compiled once per process (issue 20: the
# ORM spent more time building and compiling the union than PostgreSQL answering it).
# The key is everything its SQL depends on – the user, their unit, their roles and the
# colleagues setting (an inactive user is refused before); grants and protections are
# rows the SQL reads, so a change to them is seen at once. Bounded: cleared when full.
_GATE_SQL: dict[tuple, tuple[str, tuple] | None] = {}
_GATE_SQL_MAX = 4096


def visible_case_ids_sql(user) -> tuple[str, tuple] | None:
    """(SQL, parameters) of ``visible_case_ids(Case.objects.all(), user)``; None when the
    user may see no case."""
    from cases.models.casework import Case

    if not (user.is_authenticated and user.is_active):
        return None
    key = (user.pk, user.unit_id, user.role_names, settings.UNIT_COLLEAGUES_CAN_READ)
    if key not in _GATE_SQL:
        ids = visible_case_ids(Case.objects.all(), user)
        compiled = None if ids is None else ids.query.sql_with_params()
        if len(_GATE_SQL) >= _GATE_SQL_MAX:
            _GATE_SQL.clear()
        _GATE_SQL[key] = compiled
    return _GATE_SQL[key]


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


def can_change_case_on_page(user, case) -> bool:
    """``can_change_case`` asked once per case instance and user while one page is
    built (the case page and each panel plugged into it ask the same question). Only
    for rendering: a service deciding a write asks ``can_change_case`` itself."""
    memo = case.__dict__.setdefault("_can_change_for", {})
    if user.pk not in memo:
        memo[user.pk] = can_change_case(user, case)
    return memo[user.pk]


def can_manage_case(user, case) -> bool:
    """Reassigning and approving are for the unit's manager."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.UNIT_MANAGER)
        and user.unit_id == case.unit_id
    )


# --- The person (DESIGN.md "Roles and access": the person is guarded like the case) ---

VIEW_PERSON = "view_person"
CHANGE_PERSON = "change_person"


def person_grants(user):
    """Protected persons ``user`` holds the explicit grant for."""
    from cases.models.people import PersonUserObjectPermission

    return (
        PersonUserObjectPermission.objects.filter(
            user=user, permission__codename="view_protected_person"
        )
        .values("content_object_id")
        .order_by()
    )


def visible_persons_filter(queryset, user):
    """Persons ``user`` may see: unprotected persons related to their work and protected
    persons only with the explicit grant (DOMAIN.md §8: as few staff as possible).
    Reception and administrators see none – reception learns only what
    ``lookup_person`` answers.

    Related to their work:

    - a member, at any time, of the household of a case the user may see;
    - the person of a first contact assigned to the user;
    - for unit readers (the unit manager; colleagues while UNIT_COLLEAGUES_CAN_READ):
      a person whose responsible unit is the user's unit, or of a first contact routed
      to the unit.

    Each as a correlated EXISTS on the person's row (issue 20): a lookup of one person
    (the person page's gate) or a search then checks only the rows asked for, by index,
    instead of PostgreSQL first building every person the user may see (200 ms at
    200 000 households, linear in the database). The case branch is
    ``visible_cases_filter`` narrowed to the member's household. Same rows, same
    permissions (tests/test_person_boundary.py; the same sets on the bench data)."""
    from cases.models import Case, FirstContact, HouseholdMember
    from cases.models.people import ProtectionLevel

    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if not (user.has_role(Role.CASEWORKER) or user.has_role(Role.UNIT_MANAGER)):
        return queryset.none()
    cases_of_household = visible_cases_filter(
        Case.objects.filter(household_id=models.OuterRef("household_id")), user
    )
    related = models.Q(
        models.Exists(
            HouseholdMember.objects.filter(person_id=models.OuterRef("pk")).filter(
                models.Exists(cases_of_household)
            )
        )
    ) | models.Q(
        models.Exists(
            FirstContact.objects.filter(assigned_to=user, person_id=models.OuterRef("pk"))
        )
    )
    if _unit_reader(user):
        related |= models.Q(unit_id=user.unit_id) | models.Q(
            models.Exists(
                FirstContact.objects.filter(unit_id=user.unit_id, person_id=models.OuterRef("pk"))
            )
        )
    return queryset.filter(
        models.Q(pk__in=person_grants(user))
        | (models.Q(protection_level=ProtectionLevel.NONE) & related)
    )


def can_see_person(user, person) -> bool:
    from cases.models import Person

    return visible_persons_filter(Person.objects.filter(pk=person.pk), user).exists()


def can_change_person(user, person) -> bool:
    """Who may change a person's details, households and protection level: the unit
    manager of the person's unit, whoever may change a case whose household includes
    the person, and – before any household exists – a caseworker of the unit that
    registered the person, while no case concerns them. Always within what the
    user may see."""
    from cases.models import Case, HouseholdMember

    if not can_see_person(user, person):
        return False
    if user.has_role(Role.UNIT_MANAGER) and user.unit_id is not None:
        if person.unit_id == user.unit_id:
            return True
    households = HouseholdMember.objects.filter(person=person).values("household_id")
    cases = list(Case.objects.filter(household_id__in=households).select_related("unit"))
    if any(can_change_case(user, case) for case in cases):
        return True
    return (
        not cases
        and user.has_role(Role.CASEWORKER)
        and person.unit_id is not None
        and person.unit_id == user.unit_id
    )


def can_change_household(user, household) -> bool:
    """A household is changed within its own unit: by its unit's manager, by whoever may
    change one of its cases, or – while it has no case – by a caseworker of the unit."""
    if not (user.is_authenticated and user.is_active) or user.unit_id != household.unit_id:
        return False
    if user.has_role(Role.UNIT_MANAGER):
        return True
    cases = list(household.cases.all())
    if not cases:
        return user.has_role(Role.CASEWORKER)
    return any(can_change_case(user, case) for case in cases)


PROTECTED_IDENTITY_LABEL = "Skyddad identitet"


def viewer_may_see_identity(person) -> bool:
    """Whether the current viewer (``cases.request_context.current_viewer``) may see a
    protected person's name and number: only with the explicit grant. Outside a
    request (the system writing a letter to the person, a command) there is no viewer
    to hide from. The grants are read once per request."""
    from cases.request_context import current_viewer

    viewer = current_viewer.get()
    if viewer is None:
        return True
    user = getattr(viewer, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    granted = getattr(viewer, "_vagen_person_grants", None)
    if granted is None:
        granted = set(person_grants(user).values_list("content_object_id", flat=True))
        try:
            setattr(viewer, "_vagen_person_grants", granted)  # noqa: B010 – any viewer object
        except AttributeError:
            pass
    return person.pk in granted


class Viewer:
    """A viewer outside a request – a job that writes a file for ``user``."""

    def __init__(self, user):
        self.user = user


def mask_hidden_applicants(cases):
    """Rows of ``cases.selectors.case_list`` carry the applicant's name and number as
    annotations, past ``Person.full_name``: blank them for a protected applicant the
    viewer holds no grant for. Returns the rows (a list) for the page or file."""
    from cases.models import Person

    rows = list(cases)
    for case in rows:
        protection = getattr(case, "applicant_protection", None)
        if protection and protection != "none":
            person = Person(pk=case.applicant_id, protection_level=protection)
            if person.identity_hidden:
                case.applicant_first = PROTECTED_IDENTITY_LABEL
                case.applicant_last = ""
                case.applicant_pnr = ""
    return rows


def listed_person_ids(*groups) -> list[int]:
    """The persons a page listed, for its one access-log row: from contacts
    (``person_id``), case rows (``applicant_id``) and persons (``pk``)."""
    ids: set[int] = set()
    for group in groups:
        for row in group:
            for attribute in ("person_id", "applicant_id"):
                value = getattr(row, attribute, None)
                if value:
                    ids.add(value)
                    break
            else:
                from cases.models import Person

                if isinstance(row, Person):
                    ids.add(row.pk)
    return sorted(ids)
