"""Each role's start page. Later capabilities fill these with their own panels."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import record_access
from cases.access_rules import listed_person_ids, mask_hidden_applicants
from cases.deadlines import url_for
from cases.extensions import start_panels
from cases.forms import MotiveringTemplateForm, OnDutyForm, TransferDecisionForm
from cases.models import Case, Unit, User
from cases.permissions import role_required
from cases.roles import Role
from cases.selectors import (
    case_list,
    open_callbacks_for,
    open_deadlines_for,
    overdue_callbacks,
    pending_transfers,
    unassigned_callbacks,
    unit_access_log,
    unit_staff,
)
from cases.services.motivering import DEFAULT_TEMPLATE
from cases.services.units import unit_motivering_template_set, unit_on_duty_set
from cases.year_turn import year_turn_warning


@role_required(Role.CASEWORKER)
def caseworker_start(request):
    """Caseworker: my work – my callbacks (most urgent first) and the unit's
    unassigned ones."""
    unit = request.user.unit
    my_callbacks = list(open_callbacks_for(request.user))
    unassigned = list(unassigned_callbacks(unit, request.user)) if unit else []
    my_cases = mask_hidden_applicants(
        case_list(request.user, mine=True).exclude(status=Case.Status.CLOSED)[:10]
    )
    # One row for the page, naming every client it listed (lag 2001:454 10 §).
    record_access(
        request,
        subject_type="start_page",
        subject_unit=unit,
        listed_persons=listed_person_ids(my_callbacks, unassigned, my_cases),
    )
    extra_panels = start_panels(request, Role.CASEWORKER)
    # A deadline an extension's panel already lists ("Arbetsplaner att göra") is not
    # repeated under "Mina tidsfrister": panels name them in ``shown_deadline_ids``.
    shown = {pk for _, context in extra_panels for pk in context.get("shown_deadline_ids", ())}
    return render(
        request,
        "cases/start_caseworker.html",
        {
            "today": timezone.localdate(),
            "now": timezone.now(),
            "my_callbacks": my_callbacks,
            "unassigned": unassigned,
            "my_cases": my_cases,
            "extra_panels": extra_panels,
            "my_deadlines": [
                (deadline, url_for(deadline))
                for deadline in open_deadlines_for(request.user).exclude(pk__in=shown)[:10]
            ],
        },
    )


def _managed_unit(request) -> Unit:
    # A unit manager manages the unit they belong to (DESIGN.md: one unit per user).
    unit = request.user.unit
    if unit is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return unit


@role_required(Role.UNIT_MANAGER)
@require_http_methods(["GET", "POST"])
def unit_manager_start(request):
    """Unit manager: my unit – its staff, and the way to its access log."""
    unit = _managed_unit(request)
    staff = list(unit_staff(unit))
    role_counts = {role: 0 for role in Role}
    for member in staff:
        if member.role is not None:
            role_counts[member.role] += 1
    template_post = request.method == "POST" and "motivering_template" in request.POST
    template_form = MotiveringTemplateForm(
        request.POST if template_post else None,
        initial={"motivering_template": unit.motivering_template or str(DEFAULT_TEMPLATE)},
    )
    if template_post and template_form.is_valid():
        try:
            unit_motivering_template_set(
                unit, template_form.cleaned_data["motivering_template"], actor=request.user
            )
        except ValueError as error:
            template_form.add_error(
                "motivering_template", _("Okända fält i mallen: %(f)s") % {"f": error}
            )
        else:
            messages.success(request, _("Mallen för motivering är sparad."))
            return redirect("unit_manager_start")
    on_duty_form = OnDutyForm(
        None if template_post else request.POST or None,
        unit=unit,
        initial={"on_duty": unit.on_duty_id},
    )
    if request.method == "POST" and not template_post and on_duty_form.is_valid():
        unit_on_duty_set(unit, on_duty_form.cleaned_data["on_duty"], actor=request.user)
        messages.success(request, "Jourhavande handläggare är sparad.")
        return redirect("unit_manager_start")
    now = timezone.now()
    overdue = list(overdue_callbacks(unit, now))
    transfers = pending_transfers(unit)
    record_access(
        request,
        subject_type="start_page",
        subject_unit=unit,
        listed_persons=listed_person_ids(overdue, transfers["to_hand_over"]),
    )
    return render(
        request,
        "cases/start_unit_manager.html",
        {
            "unit": unit,
            "staff": staff,
            # Administrators belong to no unit: their count here would always be 0.
            "role_counts": [
                (role.label, role_counts[role]) for role in Role if role != Role.ADMINISTRATOR
            ],
            "overdue": overdue,
            "transfers": transfers,
            "transfer_form": TransferDecisionForm(),
            "extra_panels": start_panels(request, Role.UNIT_MANAGER),
            "now": now,
            "on_duty_form": on_duty_form,
            "template_form": template_form,
            "year_turn": year_turn_warning(timezone.localdate()),
        },
    )


@role_required(Role.UNIT_MANAGER)
def unit_access_log_view(request):
    """The unit's access log (Lag 2001:454 10 §: recurring checks of who read what).
    Reading it is itself logged."""
    unit = _managed_unit(request)
    # Log the read first, so that the page (and its count) includes it.
    record_access(request, subject_type="access_log", subject_id=unit.pk, subject_unit=unit)
    page = Paginator(unit_access_log(unit), 50).get_page(request.GET.get("sida"))
    return render(request, "cases/unit_access_log.html", {"unit": unit, "page": page})


@role_required(Role.ADMINISTRATOR)
def administrator_start(request):
    """Administrator: users, units and roles at a glance, with links into the admin."""
    role_filters = {
        role: Count(
            "members",
            filter=Q(members__is_active=True, members__groups__name=role),
            distinct=True,
        )
        for role in Role
    }
    units = list(
        Unit.objects.annotate(**{f"n_{role.value}": agg for role, agg in role_filters.items()})
    )
    return render(
        request,
        "cases/start_administrator.html",
        {
            "units": units,
            # Escalations and decisions beyond a caseworker's delegation go to the unit
            # manager: an active unit without one has nobody to receive them.
            "units_without_manager": [
                unit for unit in units if unit.is_active and not unit.n_unit_manager
            ],
            "roles": list(Role),
            "users_without_unit": User.objects.filter(is_active=True, unit__isnull=True)
            .exclude(groups__name=Role.ADMINISTRATOR)
            .count(),
            "users_without_role": User.objects.filter(is_active=True, groups__isnull=True).count(),
            "role_groups": Group.objects.filter(name__in=[r.value for r in Role]).count(),
            "year_turn": year_turn_warning(timezone.localdate()),
        },
    )
