"""The permission gate. Role checks for whole pages live here; the per-case gate
(``get_case_for_user``) joins it when cases exist. Views never check permissions ad hoc."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from cases.roles import Role

if TYPE_CHECKING:
    from cases.models import User


def role_required(*roles: Role) -> Callable:
    """Allow a view to signed-in users holding at least one of ``roles``; others get
    the Swedish 403 page (anonymous users go to the login page)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = cast("User", request.user)  # login_required let only staff through
            if not any(user.has_role(role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def get_contact_for_user(user, contact_id: int):
    """A first contact, for staff who handle its callback: the caseworker it is routed
    to, and caseworkers and unit managers of its unit. Reception and everyone else get
    404 – the same answer as for a contact that does not exist."""
    from django.http import Http404

    from cases.models import FirstContact

    contact = (
        FirstContact.objects.select_related("person", "unit", "assigned_to", "registered_by")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None or not can_handle_contact(user, contact):
        raise Http404
    return contact


def can_handle_contact(user, contact) -> bool:
    """The contact's caseworker and the unit's caseworkers and managers – but a contact
    of a protected person only for those with the grant, and the unit's managers (who
    route it; they too see only what was typed unless granted)."""
    from cases.access_rules import person_grants

    if not user.is_authenticated or not user.is_active:
        return False
    same_unit = user.unit_id is not None and user.unit_id == contact.unit_id
    if contact.person is not None and contact.person.is_protected:
        if same_unit and user.has_role(Role.UNIT_MANAGER):
            return True
        granted = person_grants(user).filter(content_object_id=contact.person_id).exists()
        return granted and (contact.assigned_to_id == user.pk or same_unit)
    if contact.assigned_to_id == user.pk:
        return True
    return same_unit and (user.has_role(Role.CASEWORKER) or user.has_role(Role.UNIT_MANAGER))


PERSON_ROLES = (Role.CASEWORKER, Role.UNIT_MANAGER)


def get_person_for_user(user, person_id, perm: str = "view_person"):
    """The one gate for a person (DESIGN.md "Roles and access"): "view_person" for
    anyone the person is visible to (``Person.objects.visible_to``), "change_person"
    for who may change them (``cases.access_rules.can_change_person``). Raises Http404
    both when the person does not exist and when ``user`` may not – nobody learns which
    persons exist, or that a protected identity does."""
    from django.http import Http404

    from cases.access_rules import CHANGE_PERSON, VIEW_PERSON, can_change_person
    from cases.models import Person

    codename = perm.split(".", 1)[-1]
    if codename not in (VIEW_PERSON, CHANGE_PERSON):
        raise ValueError(f"unknown person permission {perm!r}")
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = Person.objects.visible_to(user).select_related("unit").filter(pk=person_id).first()
    if person is None or (codename == CHANGE_PERSON and not can_change_person(user, person)):
        raise Http404
    return person


def get_case_for_user(user, case_id, perm: str = "view_case"):
    """The one gate for everything inside a case. Raises Http404 both when the case does
    not exist and when ``user`` may not ``perm`` it ("cases.view_case",
    "cases.change_case", or without the app label), so nobody learns which cases exist."""
    from django.db.models.expressions import RawSQL
    from django.http import Http404

    from cases.access_rules import CHANGE_CASE, VIEW_CASE, can_change_case, visible_case_ids_sql
    from cases.models import Case

    codename = perm.split(".", 1)[-1]
    if codename not in (VIEW_CASE, CHANGE_CASE):
        raise ValueError(f"unknown case permission {perm!r}")
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    # visible_to(user), with the visibility's SQL compiled once per user and process.
    visible = visible_case_ids_sql(user)
    case = (
        None
        if visible is None
        else Case.objects.select_related("household", "unit", "caseworker", "closing_reason")
        # The ORM's own compiled SQL and parameters (access_rules), never user input.
        .filter(pk=case_id, pk__in=RawSQL(*visible))  # noqa: S611
        .first()
    )
    if case is None or (codename == CHANGE_CASE and not can_change_case(user, case)):
        raise Http404
    return case


# --- the nämnd's lists (KL 6 kap. 40 §, SoL 2025:400 34 kap.) -------------------------
# Lists without client data. The nämnd secretary sees every unit of the nämnd their own
# unit decides for; a unit manager sees their own unit. Nobody else – not reception, not
# caseworkers, not administrators – and never another nämnd's rows.

BOARD_REPORT_ROLES = (Role.BOARD_SECRETARY, Role.UNIT_MANAGER)


class BoardScope:
    def __init__(self, board_name: str, unit_ids: tuple[int, ...], is_secretary: bool):
        self.board_name = board_name
        self.unit_ids = unit_ids
        self.is_secretary = is_secretary


def board_scope_for(user) -> BoardScope:
    """The units whose decisions ``user`` may list; PermissionDenied for other roles."""
    from cases.services.board import board_name_of, board_units

    if not (user.is_authenticated and user.is_active) or user.unit_id is None:
        raise PermissionDenied
    board_name = board_name_of(user.unit)
    if user.has_role(Role.BOARD_SECRETARY):
        ids = tuple(board_units(board_name).values_list("pk", flat=True))
        return BoardScope(board_name, ids, True)
    if user.has_role(Role.UNIT_MANAGER):
        return BoardScope(board_name, (user.unit_id,), False)
    raise PermissionDenied


def get_delegation_report_for_user(user, report_id):
    """An anmälan of the user's nämnd (404 for another nämnd's and for a missing one)."""
    from django.http import Http404

    from cases.models import DelegationReport

    scope = board_scope_for(user)
    report = DelegationReport.objects.filter(pk=report_id, board_name=scope.board_name).first()
    if report is None:
        raise Http404
    return report, scope
