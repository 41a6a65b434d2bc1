"""The nämnd's lists: the delegeringsordning, the anmälan av delegationsbeslut (KL 6 kap.
40 §) and the quarterly reports of decisions not executed (SoL 2025:400 34 kap.) – for the
nämnd secretary (every unit of the nämnd) and unit managers (their unit), never for
reception or caseworkers; and the execution clock on a decision (through the case gate).

Every list is shown in the browser and can be downloaded as PDF and CSV; none carries a
client's name or personnummer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import board_reports
from cases.access import SUBJECT_UNIT_ATTR, logs_access, record_access
from cases.forms_board import (
    RECIPIENTS,
    DelayReasonForm,
    DelegationReportDatesForm,
    DelegationReportForm,
    InterruptForm,
    PeriodForm,
    QuarterForm,
    ResumeForm,
    previous_month,
)
from cases.models import DelegationOrder, ExecutionClock
from cases.permissions import (
    BOARD_REPORT_ROLES,
    board_scope_for,
    get_case_for_user,
    get_delegation_report_for_user,
    role_required,
)
from cases.roles import Role
from cases.services import board as board_svc
from cases.services import execution as execution_svc
from cases.services.errors import DecisionError
from cases.spreadsheets import csv_bytes


def _download(request, *, name: str, template: str, context: dict, header, csv_rows):
    """``?ladda-ner=pdf`` / ``csv``: the list as a file; otherwise None (the preview)."""
    wanted = request.GET.get("ladda-ner")
    if wanted == "csv":
        response = HttpResponse(
            csv_bytes(csv_rows, header=header), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if wanted == "pdf":
        from cases.pdf import render_pdf

        response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return None


@role_required(Role.BOARD_SECRETARY)
def board_start(request):
    scope = board_scope_for(request.user)
    start, end = previous_month()
    return render(
        request,
        "cases/board/start.html",
        {
            "scope": scope,
            "reports": board_reports.reports_of(scope.board_name)[:24],
            "form": DelegationReportForm(initial={"period_start": start, "period_end": end}),
            "quarter_form": _default_quarter_form(),
        },
    )


def _default_quarter_form(data=None):
    today = timezone.localdate()
    year, quarter = board_reports.quarter_of(today)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return QuarterForm(data, initial={"year": year, "quarter": quarter, "recipient": "ivo"})


@role_required(Role.BOARD_SECRETARY, Role.UNIT_MANAGER, Role.CASEWORKER, Role.ADMINISTRATOR)
def delegation_order(request):
    """The delegeringsordning as the nämnd adopted it: its points, delegates and limits."""
    from django.conf import settings

    board_name = (
        board_svc.board_name_of(request.user.unit)
        if request.user.unit_id
        else settings.VAGEN_BOARD_NAME
    )
    adoption = (
        DelegationOrder.objects.filter(board_name__in=[board_name, ""])
        .order_by("-valid_from")
        .first()
    )
    rules = board_reports.delegation_order_rules()
    context = {
        "board_name": board_name,
        "adoption": adoption,
        "rules": [
            {
                "point": rule.point,
                "kind": board_reports.kind_label(rule.item_kind),
                "outcome": rule.get_outcome_display(),
                "role": str(Role(rule.role).label) if rule.role in Role.values else rule.role,
                "limit": rule.max_amount,
            }
            for rule in rules
        ],
        "document_title": _("Delegeringsordning"),
    }
    if request.GET.get("ladda-ner") == "pdf":
        from cases.pdf import render_pdf

        response = HttpResponse(
            render_pdf("pdf/delegation_order.html", context), content_type="application/pdf"
        )
        response["Content-Disposition"] = 'attachment; filename="delegeringsordning.pdf"'
        return response
    return render(request, "cases/board/delegation_order.html", context)


@role_required(*BOARD_REPORT_ROLES)
def delegation_list(request):
    """Preview of the decisions under delegation in a period (not yet an anmälan)."""
    scope = board_scope_for(request.user)
    start, end = previous_month()
    form = PeriodForm(request.GET or None, initial={"period_start": start, "period_end": end})
    rows = []
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    elif form.is_bound:
        start = end = None
    if start is not None:
        rows = board_reports.delegation_rows(scope.unit_ids, start=start, end=end)
    context = {
        "scope": scope,
        "form": form,
        "rows": rows,
        "period_start": start,
        "period_end": end,
        "document_title": _("Delegationsbeslut"),
        "report": None,
    }
    if start is not None:
        download = _download(
            request,
            name=f"delegationsbeslut-{start:%Y%m%d}-{end:%Y%m%d}",
            template="pdf/delegation_list.html",
            context=context,
            header=board_reports.DELEGATION_HEADER,
            csv_rows=board_reports.delegation_csv_rows(rows),
        )
        if download is not None:
            return download
    return render(request, "cases/board/delegation_list.html", context)


@role_required(Role.BOARD_SECRETARY)
@require_POST
def delegation_report_new(request):
    scope = board_scope_for(request.user)
    form = DelegationReportForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Ange en giltig period.")]:
            messages.error(request, error)
        return redirect("board_start")
    try:
        report = board_svc.delegation_report_create(
            actor=request.user,
            board_name=scope.board_name,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except DecisionError as error:
        messages.error(request, str(error))
        return redirect("board_start")
    messages.success(request, _("Anmälan är upprättad."))
    return redirect("delegation_report_detail", report_pk=report.pk)


@role_required(*BOARD_REPORT_ROLES)
def delegation_report_detail(request, report_pk):
    report, scope = get_delegation_report_for_user(request.user, report_pk)
    rows = board_reports.delegation_rows(scope.unit_ids, report=report)
    context = {
        "scope": scope,
        "report": report,
        "rows": rows,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "legality_last_day": board_svc.legality_last_day(report),
        "dates_form": DelegationReportDatesForm(
            initial={
                "meeting_on": report.meeting_on,
                "announced_on": report.announced_on,
                "version": report.version,
            }
        ),
        "document_title": _("Anmälan av delegationsbeslut"),
    }
    download = _download(
        request,
        name=f"anmalan-delegationsbeslut-{report.pk}",
        template="pdf/delegation_list.html",
        context=context,
        header=board_reports.DELEGATION_HEADER,
        csv_rows=board_reports.delegation_csv_rows(rows),
    )
    record_access(request, subject_type="delegation_report", subject_id=report.pk)
    return download or render(request, "cases/board/delegation_report.html", context)


@role_required(Role.BOARD_SECRETARY)
@require_POST
def delegation_report_dates(request, report_pk):
    report, _scope = get_delegation_report_for_user(request.user, report_pk)
    form = DelegationReportDatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange datum som ÅÅÅÅ-MM-DD."))
        return redirect("delegation_report_detail", report_pk=report.pk)
    try:
        board_svc.delegation_report_dates(
            report,
            actor=request.user,
            meeting_on=form.cleaned_data["meeting_on"],
            announced_on=form.cleaned_data["announced_on"],
            version=form.cleaned_data["version"],
        )
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Datumen är sparade."))
    return redirect("delegation_report_detail", report_pk=report.pk)


@role_required(*BOARD_REPORT_ROLES)
def non_execution_report(request):
    """The quarter's report of decisions not executed (SoL 34 kap. 1–3 §§): to IVO, to
    the revisorer (the same rows), or the statistics report to kommunfullmäktige."""
    scope = board_scope_for(request.user)
    form = _default_quarter_form(request.GET or None)
    if form.is_bound and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        recipient = form.cleaned_data["recipient"]
    else:
        year, quarter = form.initial["year"], form.initial["quarter"]
        recipient = "ivo"
        if form.is_bound:
            messages.error(request, _("Välj år, kvartal och mottagare."))
    start, end = board_reports.quarter_bounds(year, quarter)
    rows = board_reports.non_execution_rows(scope.unit_ids, year, quarter)
    lines = board_reports.statistics(rows)
    context = {
        "scope": scope,
        "form": form,
        "year": year,
        "quarter": quarter,
        "quarter_start": start,
        "quarter_end": end,
        "recipient": recipient,
        "recipient_label": dict(RECIPIENTS)[recipient],
        "rows": rows,
        "lines": lines,
        "document_title": _("Ej verkställda beslut"),
    }
    is_statistics = recipient == "fullmaktige"
    download = _download(
        request,
        name=f"ej-verkstallda-{year}-k{quarter}-{recipient}",
        template="pdf/non_execution_report.html",
        context=context,
        header=board_reports.STATISTICS_HEADER
        if is_statistics
        else board_reports.NON_EXECUTION_HEADER,
        csv_rows=board_reports.statistics_csv_rows(lines)
        if is_statistics
        else board_reports.non_execution_csv_rows(rows),
    )
    return download or render(request, "cases/board/non_execution.html", context)


# --- the clock on a decision (case gate) ----------------------------------------------------


def _version(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


@login_required
@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def execution_action(request, decision_pk, action):
    """Record the reason for a delay, an interruption or the resumption (SoL 34 kap.)."""
    from cases.models import Decision

    decision = Decision.objects.filter(pk=decision_pk).only("pk", "case_id").first()
    if decision is None:
        from django.http import Http404

        raise Http404
    case = get_case_for_user(request.user, decision.case_id, "change_case")
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    decision = Decision.objects.select_related("case__unit", "case__caseworker").get(pk=decision.pk)
    try:
        if action == "skal":
            form = DelayReasonForm(request.POST)
            clock = ExecutionClock.objects.filter(
                decision=decision, pk=request.POST.get("clock")
            ).first()
            if clock is None or not form.is_valid():
                raise DecisionError(_("Skriv skälet till dröjsmålet."))
            execution_svc.execution_delay_reason(
                clock,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("Skälet är sparat."))
        elif action == "avbrott":
            form = InterruptForm(request.POST)
            if not form.is_valid():
                raise DecisionError(_("Ange datum och skäl för avbrottet."))
            execution_svc.execution_interrupt(
                decision,
                actor=request.user,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Avbrottet är registrerat."))
        elif action == "ateruppta":
            form = ResumeForm(request.POST)
            clock = decision.execution_clocks.filter(ended_on__isnull=True).first()
            if clock is None or not form.is_valid():
                raise DecisionError(_("Det finns inget pågående avbrott att avsluta."))
            execution_svc.execution_resume(
                clock,
                actor=request.user,
                on=form.cleaned_data["on"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("Verkställigheten är återupptagen."))
        else:
            from django.http import Http404

            raise Http404
    except DecisionError as error:
        messages.error(request, str(error))
    return redirect("decision_detail", decision_pk=decision.pk)
