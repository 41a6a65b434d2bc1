"""Applications inside a case: register, calculate (live, with htmx), status, the
calculation statement as PDF, supplements. Authorised through the case."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import logs_access, record_access
from cases.access_rules import can_change_case
from cases.calculation import Calculation, CalculationError
from cases.comparison import compare_with_previous
from cases.forms_casework import (
    ApplicationForm,
    CalculationForm,
    CostFormSet,
    IncomeFormSet,
    ObstacleForm,
    SchoolingForm,
    SupplementForm,
)
from cases.models import AccessLog, Application, ApplicationItem, HouseholdMember, SupplementRequest
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_adults,
    application_jobbstimulans,
    application_period,
    application_preview,
    application_register,
    application_save_calculation,
    application_set_obstacles,
    application_set_schooling,
    application_set_status,
    application_waits_for_norm,
    application_youths,
    household_in_month,
    supplement_received,
    supplement_request,
)
from cases.services.casework import CaseError
from cases.services.continued_application import next_month_for, prefill_from_previous
from cases.views.casework import _case


def _application(request, pk, app_pk, perm="view_case"):
    case = _case(request, pk, perm)
    application = (
        Application.objects.select_related("applicant", "co_applicant", "case__household")
        .filter(case=case, pk=app_pk)
        .first()
    )
    if application is None:
        raise Http404
    return case, application


def _members(case, month):
    return household_in_month(case, month)


@logs_access("case")
@require_http_methods(["GET", "POST"])
def application_new(request, pk):
    """Register an application. The month defaults to the one after the latest, and a
    fortsättningsansökan carries last month's applicant, co-applicant and lines over
    (cases.services.continued_application) – shown here before it is registered."""
    case = _case(request, pk, "change_case")
    today = timezone.localdate()
    month = next_month_for(case, today=today)
    prefill = prefill_from_previous(case, month)
    adults = {}
    for day in (month, today):
        for m in _members(case, day):
            if m.role != HouseholdMember.Role.CHILD:
                adults.setdefault(m.person_id, m.person)
    initial = {"month": month, "continue_from_previous": prefill.previous is not None}
    if prefill.applicant is not None:
        initial["applicant"] = prefill.applicant.pk
    if prefill.co_applicant is not None:
        initial["co_applicant"] = prefill.co_applicant.pk
    form = ApplicationForm(request.POST or None, adults=list(adults.values()), initial=initial)
    if prefill.previous is None:
        del form.fields["continue_from_previous"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = adults
        items = [
            (kind, None, data["item_note"] if kind != ApplicationItem.Kind.LIVELIHOOD else "")
            for kind in data["items"]
        ]
        try:
            application = application_register(
                case,
                actor=request.user,
                month=data["month"],
                channel=data["channel"],
                applicant=people[data["applicant"]],
                co_applicant=people.get(data["co_applicant"]) if data["co_applicant"] else None,
                received_on=data["received_on"],
                items=items,
                continue_from_previous=bool(data.get("continue_from_previous")),
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Ansökan för %(month)s är registrerad.")
                % {"month": f"{application.month:%Y-%m}"},
            )
            for note in application.carry_over_notes:
                messages.warning(request, note)
            return redirect("application_detail", pk=case.pk, app_pk=application.pk)
    return render(
        request,
        "cases/application_new.html",
        {"case": case, "form": form, "prefill": prefill},
    )


def _forms(request, application, data=None):
    members = _members(application.case, application.month)
    people = [m.person for m in members]
    children = [m.person for m in members if m.role == HouseholdMember.Role.CHILD]
    period = application_period(application)
    if data is None:
        calc_form = CalculationForm(
            children=children,
            period=period,
            initial={
                "household_size": application.household_size,
                "lunch_away": application.lunch_away_person_ids,
                "adjustment": application.adjustment or None,
                "adjustment_reason": application.adjustment_reason,
                "covered_from": application.covered_from,
                "covered_to": application.covered_to,
                "version": application.version,
            },
        )
        costs = CostFormSet(
            prefix="kostnad",
            initial=[
                {
                    "kind": c.kind,
                    "actual": c.actual,
                    "accepted": c.accepted,
                    "note": c.note,
                    "carried": c.carried_over,
                }
                for c in application.costs.all()
            ],
        )
        incomes = IncomeFormSet(
            prefix="inkomst",
            form_kwargs={"members": people},
            initial=[
                {
                    "kind": i.kind,
                    "amount": i.amount,
                    "person": i.person_id,
                    "note": i.note,
                    "carried": i.carried_over,
                }
                for i in application.incomes.all()
            ],
        )
    else:
        calc_form = CalculationForm(data, children=children, period=period)
        costs = CostFormSet(data, prefix="kostnad")
        incomes = IncomeFormSet(data, prefix="inkomst", form_kwargs={"members": people})
    return calc_form, costs, incomes


def _lines(costs, incomes):
    cost_lines = [
        CostLine(
            f.cleaned_data["kind"],
            f.cleaned_data["actual"],
            f.cleaned_data["accepted"],
            f.cleaned_data["note"],
        )
        for f in costs.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    income_lines = [
        IncomeLine(
            f.cleaned_data["kind"],
            f.cleaned_data["amount"],
            f.cleaned_data["person"],
            f.cleaned_data["note"],
        )
        for f in incomes.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return cost_lines, income_lines


def _calculate(application, calc_form, costs, incomes, *, save=False, actor=None):
    cost_lines, income_lines = _lines(costs, incomes)
    kwargs = {
        "costs": cost_lines,
        "incomes": income_lines,
        "lunch_away_ids": set(calc_form.cleaned_data["lunch_away"]),
        "adjustment": calc_form.cleaned_data["adjustment"] or Decimal(0),
        "adjustment_reason": calc_form.cleaned_data["adjustment_reason"],
        "household_size": calc_form.cleaned_data["household_size"],
        "covered_from": calc_form.cleaned_data["covered_from"],
        "covered_to": calc_form.cleaned_data["covered_to"],
    }
    if save:
        return application_save_calculation(
            application, actor=actor, version=calc_form.cleaned_data["version"], **kwargs
        )
    return application_preview(application, **kwargs)


ADD_ROW_PREFIXES = ("kostnad", "inkomst")
MAX_LINES = 60


def _pending_calculation(application):
    """The calculation of the stored lines when none is stored (None when it cannot
    be made, or there are no lines)."""
    costs = [CostLine(c.kind, c.actual, c.accepted, c.note) for c in application.costs.all()]
    incomes = [IncomeLine(i.kind, i.amount, i.person_id, i.note) for i in application.incomes.all()]
    if not costs and not incomes:
        return None
    try:
        return application_preview(
            application,
            costs=costs,
            incomes=incomes,
            lunch_away_ids=set(application.lunch_away_person_ids),
            adjustment=application.adjustment,
            adjustment_reason=application.adjustment_reason,
            household_size=application.household_size,
            covered_from=application.covered_from,
            covered_to=application.covered_to,
        )
    except CalculationError:
        return None


def _schooling_form(application, data=None):
    youths = [
        (m.person, m.person.age_on(application.month)) for m in application_youths(application)
    ]
    current = dict(application.schooling.values_list("person_id", "in_school"))
    return SchoolingForm(data, youths=youths, current=current)


def _obstacle_form(application, data=None):
    adults = [m.person for m in application_adults(application)]
    current = {row.person_id: row.obstacle_id for row in application.obstacles.all()}
    return ObstacleForm(data, adults=adults, current=current)


@logs_access("case")
@require_http_methods(["GET", "POST"])
def application_detail(request, pk, app_pk):
    perm = "change_case" if request.method == "POST" else "view_case"
    case, application = _application(request, pk, app_pk, perm)
    add_row = request.POST.get("add_row") if request.method == "POST" else None
    if add_row in ADD_ROW_PREFIXES:
        # *Lägg till rad*: the same form again with one more empty row, nothing saved
        # (htmx swaps in only the table; without JavaScript the whole page comes back).
        data = request.POST.copy()
        total = f"{add_row}-TOTAL_FORMS"
        count = int(data.get(total, "0")) if data.get(total, "0").isdigit() else 0
        data[total] = str(min(count + 1, MAX_LINES))
        calc_form, costs, incomes = _forms(request, application, data)
        stored = Calculation.from_dict(application.calculation) if application.calculation else None
        return _render_detail(
            request, case, application, calc_form, costs, incomes, stored, None, added=add_row
        )
    calc_form, costs, incomes = _forms(request, application, request.POST or None)
    error = None
    if request.method == "POST":
        if calc_form.is_valid() and costs.is_valid() and incomes.is_valid():
            try:
                _calculate(application, calc_form, costs, incomes, save=True, actor=request.user)
            except (CalculationError, CaseError) as exc:
                error = str(exc)
            else:
                application.refresh_from_db(fields=["calculation", "month"])
                if application_waits_for_norm(application):
                    messages.warning(
                        request,
                        _(
                            "Raderna är sparade. Beräkningen väntar på riksnormen för %(year)d "
                            "och görs när den är inlagd och används."
                        )
                        % {"year": application.month.year},
                    )
                else:
                    messages.success(request, "Beräkningen är sparad.")
                return redirect("application_detail", pk=case.pk, app_pk=application.pk)
        messages.error(request, error or "Kontrollera de markerade raderna – inget har sparats.")
    stored = Calculation.from_dict(application.calculation) if application.calculation else None
    return _render_detail(request, case, application, calc_form, costs, incomes, stored, error)


def _render_detail(
    request,
    case,
    application,
    calc_form,
    costs,
    incomes,
    stored,
    error,
    obstacle_form=None,
    schooling_form=None,
    added=None,
):
    waits_for_norm = application_waits_for_norm(application)
    pending = None
    if stored is None and not waits_for_norm and not calc_form.is_bound:
        # Lines kept while the norm was missing (or carried over): computed now, for the
        # caseworker to check and save – shown, not stored, until *Spara beräkningen*.
        pending = _pending_calculation(application)
    if added is not None:
        # The new empty row takes the focus (autofocus: also after an htmx swap and
        # without JavaScript), so typing goes on from the keyboard.
        formset = costs if added == "kostnad" else incomes
        formset.forms[-1].fields["kind"].widget.attrs["autofocus"] = True
    if obstacle_form is None:
        obstacle_form = _obstacle_form(application)
    if schooling_form is None:
        schooling_form = _schooling_form(application)
    return render(
        request,
        "cases/application_detail.html",
        {
            "case": case,
            "application": application,
            "calc_form": calc_form,
            "period": calc_form.period,
            "costs": costs,
            "incomes": incomes,
            "stored": stored,
            "calculation": stored or pending,
            "preview": stored is None and pending is not None,
            "waits_for_norm": waits_for_norm,
            "added": added,
            "carry_over_notes": application.carry_over_notes,
            "error": error,
            "supplement_form": SupplementForm(),
            "supplements": application.supplement_requests.all(),
            "items": application.items.all(),
            "comparison": compare_with_previous(application, stored or pending),
            "decisions": application.decisions.all(),
            "can_change": can_change_case(request.user, case),
            "obstacle_form": obstacle_form,
            "obstacles_missing": obstacle_form.adults_without_obstacle(),
            "schooling_form": schooling_form,
            "schooling_missing": schooling_form.youths_without_record(),
            # SoL 12:8 derived from each person's history – the result, not the cases.
            "jobbstimulans": application_jobbstimulans(application),
        },
    )


@logs_access("case")
@require_POST
def application_obstacles_view(request, pk, app_pk):
    """Save each adult's försörjningshinder; a bad choice keeps what was chosen."""
    case, application = _application(request, pk, app_pk, "change_case")
    form = _obstacle_form(application, request.POST)
    if form.is_valid():
        try:
            application_set_obstacles(
                application, actor=request.user, obstacles=form.obstacles_by_person()
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Försörjningshindren är sparade.")
            return redirect("application_detail", pk=case.pk, app_pk=application.pk)
    messages.error(request, "Försörjningshindren är inte sparade – se det markerade nedan.")
    calc_form, costs, incomes = _forms(request, application)
    stored = Calculation.from_dict(application.calculation) if application.calculation else None
    return _render_detail(request, case, application, calc_form, costs, incomes, stored, None, form)


@logs_access("case")
@require_POST
def application_schooling_view(request, pk, app_pk):
    """Save whether each 18–20-year-old goes to school this month (SoL 12 kap. 9 §)."""
    case, application = _application(request, pk, app_pk, "change_case")
    form = _schooling_form(application, request.POST)
    if form.is_valid():
        try:
            application_set_schooling(
                application, actor=request.user, schooling=form.schooling_by_person()
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Skolgången är sparad."))
            return redirect("application_detail", pk=case.pk, app_pk=application.pk)
    messages.error(request, _("Skolgången är inte sparad – se det markerade nedan."))
    calc_form, costs, incomes = _forms(request, application)
    stored = Calculation.from_dict(application.calculation) if application.calculation else None
    return _render_detail(
        request, case, application, calc_form, costs, incomes, stored, None, schooling_form=form
    )


@require_POST
def application_preview_view(request, pk, app_pk):
    """htmx: the calculation for what is in the form right now; nothing is saved.

    It writes nothing (issue 17: under ``make run`` on SQLite its write collided with
    *Spara beräkningen* and gave a 500). The application page that holds the form logged
    the read of this case (lag 2001:454 10 §) and the preview shows nothing beyond it, so
    a preview is answered only when an allowed read of the case by this user is logged
    within the idle timeout; otherwise it shows no figures and asks for the page to be
    reloaded (which logs the read). A refused request is logged, as every refusal is."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        case, application = _application(request, pk, app_pk)
    except Http404:
        record_access(request, subject_type="case", subject_id=pk, allowed=False)
        raise
    recently = timezone.now() - timedelta(minutes=settings.VAGEN_IDLE_TIMEOUT_MINUTES)
    context = {"application": application, "preview": True}
    if not AccessLog.objects.filter(
        user=request.user,
        subject_type="case",
        subject_id=str(pk),
        outcome=AccessLog.Outcome.ALLOWED,
        at__gte=recently,
    ).exists():
        context["error"] = _("Ladda om sidan för att se beräkningen.")
        return render(request, "cases/_calculation.html", context)
    calc_form, costs, incomes = _forms(request, application, request.POST)
    if calc_form.is_valid() and costs.is_valid() and incomes.is_valid():
        if application_waits_for_norm(application):
            context["error"] = _(
                "Beräkningen väntar på riksnormen för %(year)d. Raderna sparas ändå – "
                "beräkningen görs när normen är inlagd och används."
            ) % {"year": application.month.year}
        else:
            try:
                context["calculation"] = _calculate(application, calc_form, costs, incomes)
            except CalculationError as exc:
                context["error"] = str(exc)
    else:
        context["error"] = "Beräkningen väntar på att raderna är rätt ifyllda."
    return render(request, "cases/_calculation.html", context)


@logs_access("case")
@require_POST
def application_status_view(request, pk, app_pk):
    case, application = _application(request, pk, app_pk, "change_case")
    try:
        application_set_status(application, request.POST.get("status", ""), actor=request.user)
    except (CaseError, KeyError) as error:
        messages.error(request, str(error) if isinstance(error, CaseError) else "Okänd status.")
    else:
        messages.success(request, "Ansökans status är ändrad.")
    return redirect("application_detail", pk=case.pk, app_pk=application.pk)


@logs_access("case")
def calculation_statement_pdf(request, pk, app_pk):
    """The stored calculation as a printable statement (beräkningsunderlag)."""
    from cases.pdf import render_pdf
    from cases.services.decision_letters import adjustment_for

    case, application = _application(request, pk, app_pk)
    if not application.calculation:
        messages.error(request, "Det finns ingen sparad beräkning att skriva ut.")
        return redirect("application_detail", pk=case.pk, app_pk=application.pk)
    calculation = Calculation.from_dict(application.calculation)
    pdf = render_pdf(
        "pdf/calculation_statement.html",
        {
            "document_title": f"Beräkning {application.month:%Y-%m}",
            "case": case,
            "application": application,
            "calculation": calculation,
            "adjustment": adjustment_for(calculation, None),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="berakning-{case.reference}-{application.month:%Y-%m}.pdf"'
    )
    return response


@logs_access("case")
@require_POST
def supplement_add(request, pk, app_pk):
    case, application = _application(request, pk, app_pk, "change_case")
    form = SupplementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ange vad som ska kompletteras och sista dag.")
    else:
        try:
            supplement_request(application, actor=request.user, **form.cleaned_data)
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Begäran om komplettering är registrerad.")
    return redirect("application_detail", pk=case.pk, app_pk=application.pk)


@logs_access("supplement", id_kwarg="supplement_pk")
def supplement_open(request, supplement_pk):
    """Where a supplement deadline's reminder leads: its application, if allowed."""
    supplement = (
        SupplementRequest.objects.select_related("application").filter(pk=supplement_pk).first()
    )
    if supplement is None:
        raise Http404
    application = supplement.application
    _case(request, application.case_id)  # the gate: 404 unless the user may see the case
    return redirect("application_detail", pk=application.case_id, app_pk=application.pk)


@logs_access("case")
@require_POST
def supplement_received_view(request, pk, app_pk, supplement_pk):
    case, application = _application(request, pk, app_pk, "change_case")
    supplement = SupplementRequest.objects.filter(application=application, pk=supplement_pk).first()
    if supplement is None:
        raise Http404
    try:
        supplement_received(supplement, actor=request.user, received_on=timezone.localdate())
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Kompletteringen är registrerad som inkommen.")
    return redirect("application_detail", pk=case.pk, app_pk=application.pk)


@logs_access("case")
@require_http_methods(["GET", "POST"])
def case_payment_period(request, pk):
    """The household's payment period and day (brutna utbetalningsperioder)."""
    from cases.forms_casework import PaymentPeriodForm
    from cases.payment_periods import payment_date, period_for
    from cases.services.people import PersonError, household_payment_period_set

    case = _case(request, pk, "change_case")
    household = case.household
    form = PaymentPeriodForm(
        request.POST or None,
        initial={
            "period_start_day": household.period_start_day,
            "payment_day": household.payment_day,
            "version": household.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            household_payment_period_set(
                household,
                actor=request.user,
                period_start_day=form.cleaned_data["period_start_day"],
                payment_day=form.cleaned_data["payment_day"],
                version=form.cleaned_data["version"],
            )
        except PersonError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Utbetalningsperioden är sparad."))
            return redirect("case_detail", pk=case.pk)
    next_month = next_month_for(case, today=timezone.localdate())
    period = period_for(next_month, start_day=household.period_start_day or 1)
    return render(
        request,
        "cases/payment_period.html",
        {
            "case": case,
            "form": form,
            "period": period,
            "pay_on": payment_date(period, payment_day=household.payment_day),
        },
    )
