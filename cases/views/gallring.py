"""Gallring pages (administrators only; SoL 16 kap. 1 och 4 §§). They show counts by kind
of record and the gallringslogg – never a name, a personnummer or a case."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import GallringLogEntry, GallringRun
from cases.permissions import role_required
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
