"""The unit manager's follow-up pages. Every page is for unit managers and shows only
their own unit; reading case-related figures is access-logged."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import record_access
from cases.deadlines import url_for
from cases.models import Appeal, Application, Case
from cases.permissions import role_required
from cases.roles import Role
from reporting.aggregates import current_rows, stored_indicators, stored_statistics
from reporting.charts import bar_chart
from reporting.forms import CaseReviewForm, LogReviewForm
from reporting.log_review import log_review
from reporting.models import AccessLogReview, CaseReview
from reporting.selectors import caseload, overdue_deadlines
from reporting.services import ReviewError, access_log_review_mark, case_review_record
from reporting.statistics import (
    HOUSEHOLD_TYPES,
    month_to_report,
    month_to_show,
    report_due,
    statistics_csv,
)

MISSING_SHOWN = 50  # applications listed as missing försörjningshinder

GROUP_LABELS = {
    "callbacks": "Återkopplingar",
    "plans": "Planer",
    "referrals": "Remisser",
    "other": "Övriga tidsfrister",
}


def _month(request, default=None) -> date:
    """The month asked for (``?manad=ÅÅÅÅ-MM``), else ``default`` – a date, or a function
    giving one, called only when no month was asked for – else this month."""
    value = request.GET.get("manad", "")
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        if callable(default):
            default = default()
        return (default or timezone.localdate()).replace(day=1)


def _statistics_default_month(unit) -> date:
    """``month_to_show``, told from the stored figures whether the month to report has
    households (then the search through every month is not needed)."""
    today = timezone.localdate()
    report_month = month_to_report(today)
    stored = current_rows(unit, [report_month])[report_month]
    return month_to_show(unit, today, report_month_has_data=stored.households > 0)


@role_required(Role.UNIT_MANAGER)
def dashboard(request):
    unit = request.user.unit
    rows = caseload(unit)
    record_access(request, subject_type="unit_dashboard", subject_id=unit.pk, subject_unit=unit)
    # The unit's decisions awaiting approval: caseload() counted them per author (an
    # author no longer among the rows counts in its "nobody" row) – not a second query.
    waiting = sum(row.waiting_approval for row in rows)
    running_appeals = Appeal.objects.filter(
        decision__case__unit=unit, status__in=[Appeal.Status.RECEIVED, Appeal.Status.RECONSIDERED]
    ).count()
    totals = {group: sum(row.group(group).overdue for row in rows) for group in GROUP_LABELS}
    this_month = timezone.localdate().replace(day=1)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "unit": unit,
            "rows": rows,
            "groups": GROUP_LABELS,
            "totals": totals,
            "waiting": waiting,
            "running_appeals": running_appeals,
            "open_cases": sum(r.open_cases for r in rows),
            "log_reviewed": AccessLogReview.objects.filter(unit=unit, month=this_month).exists(),
            "review_target": settings.VAGEN_INDICATOR_TARGETS["reviews_per_year"],
        },
    )


@role_required(Role.UNIT_MANAGER)
def overdue(request):
    unit = request.user.unit
    group = request.GET.get("grupp", "")
    responsible = request.GET.get("handlaggare")
    responsible_id = int(responsible) if responsible and responsible.isdigit() else None
    if responsible == "0":
        responsible_id = 0
    deadlines = list(overdue_deadlines(unit, group=group, responsible_id=responsible_id)[:500])
    record_access(
        request, subject_type="overdue_list", subject_id=len(deadlines), subject_unit=unit
    )
    return render(
        request,
        "reporting/overdue.html",
        {
            "unit": unit,
            "items": [(d, url_for(d)) for d in deadlines],
            "group_label": GROUP_LABELS.get(group, "Alla tidsfrister"),
        },
    )


@role_required(Role.UNIT_MANAGER)
def indicators(request):
    unit = request.user.unit
    last = _month(request)
    # From the stored monthly figures (reporting.aggregates): the same as computing them
    # from the facts, at a cost that does not grow with the unit's history.
    indicators, closed = stored_indicators(unit, last_month=last)
    items = [(indicator, bar_chart(indicator)) for indicator in indicators]
    return render(
        request,
        "reporting/indicators.html",
        {"unit": unit, "items": items, "closed": closed, "last": last},
    )


@role_required(Role.UNIT_MANAGER)
@require_http_methods(["GET", "POST"])
def case_reviews(request):
    unit = request.user.unit
    form = CaseReviewForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_review_record(
                actor=request.user,
                caseworker=data["caseworker"],
                held_on=data["held_on"],
                cases=list(data["cases"]),
                notes=data["notes"],
                actions=form.actions(),
            )
        except ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Ärendegenomgången är registrerad.")
            return redirect("reporting:case_reviews")
    reviews = (
        CaseReview.objects.filter(unit=unit)
        .select_related("caseworker")
        .prefetch_related("actions")
        .order_by("-held_on")[:50]
    )
    return render(request, "reporting/case_reviews.html", {"form": form, "reviews": reviews})


@role_required(Role.UNIT_MANAGER)
def log_review_view(request):
    unit = request.user.unit
    month = _month(request, timezone.localdate().replace(day=1))
    review = log_review(unit, month)
    done = (
        AccessLogReview.objects.filter(unit=unit, month=month).select_related("reviewed_by").first()
    )
    record_access(
        request, subject_type="access_log_review", subject_id=f"{month:%Y-%m}", subject_unit=unit
    )
    return render(
        request,
        "reporting/log_review.html",
        {"unit": unit, "review": review, "done": done, "form": LogReviewForm(), "month": month},
    )


@role_required(Role.UNIT_MANAGER)
@require_POST
def log_review_done(request):
    unit = request.user.unit
    month = _month(request)
    form = LogReviewForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    access_log_review_mark(actor=request.user, unit=unit, month=month, notes=notes)
    messages.success(request, f"Granskningen för {month:%Y-%m} är markerad som gjord.")
    return redirect(f"{reverse('reporting:log_review')}?manad={month:%Y-%m}")


def _missing_obstacles(user, stats) -> list[Application]:
    """The applications to complete before the file is sent – only those the manager may
    open (a protected person's case stays out of the list, though counted)."""
    if not stats.missing_applications:
        return []
    return list(
        Application.objects.filter(
            pk__in=stats.missing_applications, case__in=Case.objects.visible_to(user)
        )
        .select_related("case__caseworker", "applicant")
        .order_by("case__caseworker__first_name", "case_id")[:MISSING_SHOWN]
    )


@role_required(Role.UNIT_MANAGER)
def statistics(request):
    unit = request.user.unit
    month = _month(request, default=lambda: _statistics_default_month(unit))
    stats = stored_statistics(unit, month)  # reporting.aggregates
    record_access(
        request, subject_type="monthly_statistics", subject_id=f"{month:%Y-%m}", subject_unit=unit
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(statistics_csv(stats, unit), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="statistik-{unit.code}-{month:%Y-%m}.csv"'
        )
        return response
    return render(
        request,
        "reporting/statistics.html",
        {
            "unit": unit,
            "stats": stats,
            "types": HOUSEHOLD_TYPES,
            "month": month,
            "due": report_due(month),
            "missing": _missing_obstacles(request.user, stats),
            "in_progress": month >= timezone.localdate().replace(day=1),
        },
    )
