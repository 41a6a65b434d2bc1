"""Gallring pages (administrators only; SoL 16 kap. 1 och 4 §§). They show counts by kind
of record and the gallringslogg – never a name, a personnummer or a case."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.access import SUBJECT_UNIT_ATTR, logs_access
from cases.access_rules import can_manage_case
from cases.models import GallringLogEntry, GallringRun
from cases.permissions import get_case_for_user, role_required
from cases.roles import Role
from cases.services import gallring as svc


@role_required(Role.ADMINISTRATOR)
def gallring_overview(request):
    from django.conf import settings

    proposed = GallringRun.objects.filter(state=GallringRun.State.PROPOSED).first()
    return render(
        request,
        "cases/gallring.html",
        {
            "proposed": proposed,
            "runs": GallringRun.objects.exclude(state=GallringRun.State.PROPOSED)[:20],
            "log": GallringLogEntry.objects.all()[:200],
            "research_municipality": settings.VAGEN_GALLRING_RESEARCH_MUNICIPALITY,
            "research_days": settings.VAGEN_GALLRING_RESEARCH_DAYS,
            "access_log_years": settings.VAGEN_ACCESS_LOG_RETENTION_YEARS,
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def gallring_propose_view(request):
    run = svc.gallring_propose()
    messages.success(
        request, f"Provkörningen är klar: {run.total} poster skulle gallras. Inget är raderat ännu."
    )
    return redirect("gallring_overview")


@role_required(Role.ADMINISTRATOR)
@require_POST
def gallring_decide(request, run_pk, action):
    run = GallringRun.objects.filter(pk=run_pk).first()
    if run is None or action not in ("godkann", "avbryt"):
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        if action == "godkann":
            if request.POST.get("confirm") != "1":
                messages.error(request, "Kryssa i att du har granskat provkörningen.")
                return redirect("gallring_overview")
            run = svc.gallring_execute(run, actor=request.user, version=version)
            messages.success(request, f"Gallringen är genomförd: {run.total} poster raderade.")
        else:
            svc.gallring_cancel(run, actor=request.user, version=version)
            messages.success(request, "Provkörningen är avbruten. Inget raderades.")
    except svc.GallringError as error:
        messages.error(request, str(error))
    return redirect("gallring_overview")


# --- gallringsspärr on the case page (the unit's manager) -------------------------


def hold_panel_rows() -> dict:
    """The panel's rows, asked with the other panels' (cases.extensions)."""
    from django.db.models import Exists, OuterRef

    from cases.models import RetentionHold

    return {
        "retention_holds": Exists(
            RetentionHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True)
        )
    }


def hold_panel_context(request, case) -> dict:
    from cases.access_rules import can_manage_case
    from cases.extensions import case_has_rows
    from cases.models import RetentionHold

    return {
        "case": case,
        "holds": list(RetentionHold.objects.filter(case=case, released_at__isnull=True))
        if case_has_rows(case, "retention_holds")
        else [],
        "can_manage": can_manage_case(request.user, case),
    }


@logs_access("case", id_kwarg="pk")
@require_POST
def retention_hold_place_view(request, pk):
    case = get_case_for_user(request.user, pk, "view_case")
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    if not can_manage_case(request.user, case):
        raise Http404
    try:
        svc.retention_hold_place(case, actor=request.user, reason=request.POST.get("reason", ""))
    except svc.GallringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Ärendet är spärrat mot gallring.")
    return redirect("case_detail", pk=case.pk)


@logs_access("case", id_kwarg="pk")
@require_POST
def retention_hold_release_view(request, pk, hold_pk):
    from cases.models import RetentionHold

    case = get_case_for_user(request.user, pk, "view_case")
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    hold = RetentionHold.objects.filter(case=case, pk=hold_pk).first()
    if hold is None or not can_manage_case(request.user, case):
        raise Http404
    svc.retention_hold_release(hold, actor=request.user)
    messages.success(request, "Spärren mot gallring är hävd.")
    return redirect("case_detail", pk=case.pk)
