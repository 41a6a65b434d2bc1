"""Återkrav pages (SoL 33 kap.) – every one through the case gate
(``get_case_for_user``); the unit list through ``Case.objects.visible_to``."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import SUBJECT_UNIT_ATTR, logs_access, record_access
from cases.access_rules import can_change_case, can_change_case_on_page
from cases.deadlines import deadlines_for
from cases.forms_recovery import (
    RecoveryCancelForm,
    RecoveryCourtForm,
    RecoveryDecideForm,
    RecoveryDraftForm,
    RecoveryNewForm,
    RecoveryPlanForm,
    RecoveryRepaymentForm,
    RecoveryWaiverForm,
)
from cases.models import Recovery, RecoveryLetter
from cases.permissions import get_case_for_user, role_required
from cases.roles import Role
from cases.services import recovery as svc
from cases.services.errors import DecisionError


def _recovery(request, recovery_pk, perm="view_case") -> Recovery:
    recovery = (
        Recovery.objects.select_related("debtor", "decided_by").filter(pk=recovery_pk).first()
    )
    if recovery is None:
        raise Http404
    case = get_case_for_user(request.user, recovery.case_id, perm)  # 404 missing/forbidden
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    recovery.case = case
    return recovery


def case_panel_rows() -> dict:
    """The panel's rows, asked with the other panels' (cases.extensions)."""
    from django.db.models import Exists, OuterRef

    from cases.models import Recovery

    return {"recoveries": Exists(Recovery.objects.filter(case=OuterRef("pk")))}


def case_panel_context(request, case) -> dict:
    """The case page's panel: the claims with their balances (fixed query count)."""
    from cases.extensions import case_has_rows

    return {
        "case": case,
        "recoveries": list(svc.recoveries_for_case(case))
        if case_has_rows(case, "recoveries")
        else [],
        # Asked once per page with the case page and its other panels (issue 20).
        "can_change": can_change_case_on_page(request.user, case),
    }


def _persons(case):
    from cases.models import Person

    return (
        Person.objects.filter(memberships__household=case.household)
        .distinct()
        .order_by("last_name", "first_name")
    )


@logs_access("case", id_kwarg="pk")
@require_http_methods(["GET", "POST"])
def recovery_new(request, pk):
    case = get_case_for_user(request.user, pk, "change_case")
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    payments = svc.reclaimable_payments(case)
    form = RecoveryNewForm(request.POST or None, persons=_persons(case), payments=payments)
    if request.method == "POST" and form.is_valid():
        from cases.models import Person

        try:
            recovery = svc.recovery_open(
                case,
                actor=request.user,
                debtor=Person.objects.get(pk=form.cleaned_data["debtor"]),
                ground=form.cleaned_data["ground"],
                facts=form.cleaned_data["facts"],
                lines=form.lines(),
                idempotency_key=form.cleaned_data.get("idempotency_key"),
            )
        except DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Återkravet är registrerat. Kommunicera underlaget innan beslut."
            )
            return redirect("recovery_detail", recovery_pk=recovery.pk)
    elif request.method == "POST":
        messages.error(request, "Kontrollera formuläret – det du skrev finns kvar.")
    return render(request, "cases/recovery_new.html", {"case": case, "form": form})


def _detail_context(request, recovery: Recovery, **forms) -> dict:
    case = recovery.case
    amounts = svc.balance(recovery)
    today = timezone.localdate()
    expected = svc.plan_expected(recovery, today)
    context = {
        "recovery": recovery,
        "case": case,
        "amounts": amounts,
        "lines": recovery.lines.select_related("payment__decision"),
        "repayments": recovery.repayments.all(),
        "waivers": recovery.waivers.select_related("decided_by", "letter"),
        "letters": recovery.letters.all(),
        "ground_reference": svc.ground_reference(recovery),
        "court_last_day": svc.court_last_day(recovery),
        "deadline": deadlines_for(recovery, svc.COURT_CLOCK).first(),
        "plan_expected": expected,
        "plan_behind": max(expected - amounts.repaid, 0) if recovery.monthly_amount else 0,
        "can_change": can_change_case(request.user, case),
        "draft_form": RecoveryDraftForm(
            initial={
                "version": recovery.version,
                "facts": recovery.facts,
                "communicated_on": recovery.communicated_on,
                "communication_method": recovery.communication_method,
                "communication_oral_offered": recovery.communication_oral_offered,
                "communication_exemption": recovery.communication_exemption,
                "communication_note": recovery.communication_note,
                "motivering": recovery.motivering,
            }
        ),
        "decide_form": RecoveryDecideForm(initial={"version": recovery.version}),
        "plan_form": RecoveryPlanForm(
            initial={
                "version": recovery.version,
                "monthly_amount": recovery.monthly_amount,
                "first_month": recovery.first_month,
            }
        ),
        "repayment_form": RecoveryRepaymentForm(initial={"paid_on": today}),
        "waiver_form": RecoveryWaiverForm(initial={"version": recovery.version}),
        "court_form": RecoveryCourtForm(initial={"version": recovery.version}),
        "cancel_form": RecoveryCancelForm(initial={"version": recovery.version}),
    }
    context.update(forms)
    return context


@logs_access("recovery", id_kwarg="recovery_pk")
def recovery_detail(request, recovery_pk):
    recovery = _recovery(request, recovery_pk)
    return render(request, "cases/recovery_detail.html", _detail_context(request, recovery))


ACTIONS = {
    "spara": ("draft_form", RecoveryDraftForm),
    "besluta": ("decide_form", RecoveryDecideForm),
    "plan": ("plan_form", RecoveryPlanForm),
    "betalning": ("repayment_form", RecoveryRepaymentForm),
    "avsta": ("waiver_form", RecoveryWaiverForm),
    "talan": ("court_form", RecoveryCourtForm),
    "avsluta": ("cancel_form", RecoveryCancelForm),
}


def _run(action: str, recovery: Recovery, actor, data: dict) -> str:
    version = data.get("version")
    if action == "spara":
        svc.recovery_save(
            recovery,
            actor=actor,
            version=version,
            facts=data["facts"],
            motivering=data["motivering"],
            communicated_on=data["communicated_on"],
            communication_method=data["communication_method"],
            communication_oral_offered=data["communication_oral_offered"],
            communication_exemption=data["communication_exemption"],
            communication_note=data["communication_note"],
        )
        return "Utkastet är sparat."
    if action == "besluta":
        svc.recovery_decide(
            recovery,
            actor=actor,
            version=version,
            monthly_amount=data["monthly_amount"],
            first_month=data["first_month"],
        )
        return "Återkravet är beslutat och brevet sparat."
    if action == "plan":
        svc.recovery_plan_set(
            recovery,
            actor=actor,
            version=version,
            monthly_amount=data["monthly_amount"],
            first_month=data["first_month"],
        )
        return "Avbetalningsplanen är sparad."
    if action == "betalning":
        svc.recovery_repayment_register(
            recovery,
            actor=actor,
            paid_on=data["paid_on"],
            amount=data["amount"],
            idempotency_key=data.get("idempotency_key"),
        )
        return "Betalningen är registrerad."
    if action == "avsta":
        svc.recovery_waive(
            recovery,
            actor=actor,
            amount=data["amount"],
            motivering=data["motivering"],
            version=version,
            idempotency_key=data.get("idempotency_key"),
        )
        return "Beslutet att avstå är fattat och brevet sparat."
    if action == "talan":
        svc.recovery_court_filed(recovery, actor=actor, filed_on=data["filed_on"], version=version)
        return "Talan i förvaltningsrätten är registrerad."
    svc.recovery_cancel(recovery, actor=actor, note=data["note"], version=version)
    return "Återkravet är avslutat utan återkrav."


@logs_access("recovery", id_kwarg="recovery_pk")
@require_POST
def recovery_action(request, recovery_pk, action):
    recovery = _recovery(request, recovery_pk, "change_case")
    if action not in ACTIONS:
        raise Http404
    name, form_class = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = _run(action, recovery, request.user, form.cleaned_data)
        except DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("recovery_detail", recovery_pk=recovery.pk)
    messages.error(
        request, "Det gick inte att spara – se meddelandet vid formuläret. Det du skrev finns kvar."
    )
    recovery.refresh_from_db()
    recovery.case = get_case_for_user(request.user, recovery.case_id, "change_case")
    return render(
        request,
        "cases/recovery_detail.html",
        _detail_context(request, recovery, **{name: form}),
    )


@logs_access("recovery", id_kwarg="recovery_pk")
def recovery_letter(request, recovery_pk, letter_pk):
    """A letter of the claim exactly as stored."""
    recovery = _recovery(request, recovery_pk)
    letter = RecoveryLetter.objects.filter(recovery=recovery, pk=letter_pk).first()
    if letter is None:
        raise Http404
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("ladda-ner") else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="aterkrav-{recovery.reference}-{letter.pk}.pdf"'
    )
    return response


@role_required(Role.CASEWORKER, Role.UNIT_MANAGER)
def recovery_list(request):
    """Återkrav of the cases the user may see, with balances."""
    status = request.GET.get("status", "")
    recoveries = svc.unit_recoveries(request.user)
    if status == "open":
        recoveries = recoveries.filter(status__in=Recovery.OPEN_STATUSES)
    rows = list(recoveries[:200])
    record_access(
        request,
        subject_type="recovery_list",
        subject_id=len(rows),
        subject_unit=request.user.unit,
        listed_persons=sorted({r.debtor_id for r in rows}),
    )
    return render(request, "cases/recovery_list.html", {"recoveries": rows, "status": status})
