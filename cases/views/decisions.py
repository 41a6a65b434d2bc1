"""Decisions, approvals, letters, appeals and payments – through the case gate."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import language_notices
from cases.access import logs_access, record_access
from cases.access_rules import can_change_case, can_manage_case
from cases.forms_casework import (
    AppealForm,
    CourtOutcomeForm,
    DecisionForm,
    DecisionItemFormSet,
    DismissForm,
    ForwardForm,
    PaymentForm,
    ReconsiderForm,
    ServeForm,
)
from cases.models import Appeal, Decision, Payment, PaymentBatch
from cases.payment_periods import proposed_payment_date
from cases.permissions import role_required
from cases.roles import Role
from cases.services import decisions as svc
from cases.services.communication import Communication, is_adverse
from cases.services.decision_letters import board_for, contact_for
from cases.services.motivering import draft_motivering
from cases.serving import control_notice_due
from cases.views.applications import _application
from cases.views.casework import _case


def _decision(request, decision_pk, perm="view_case") -> Decision:
    decision = (
        Decision.objects.select_related("case", "application__applicant", "author", "decided_by")
        .filter(pk=decision_pk)
        .first()
    )
    if decision is None:
        raise Http404
    _case(request, decision.case_id, perm)  # the gate, the same 404 for missing/forbidden
    return decision


def _items_from(formset) -> list[svc.ItemInput]:
    return [
        svc.ItemInput(
            kind=f.cleaned_data["kind"],
            outcome=f.cleaned_data["outcome"],
            granted_amount=f.cleaned_data["granted_amount"] or 0,
            applied_amount=f.cleaned_data["applied_amount"],
            legal_basis=f.cleaned_data["legal_basis"],
            description=f.cleaned_data["description"],
            repayment_ground=f.cleaned_data["repayment_ground"],
            advance_benefit=f.cleaned_data["advance_benefit"],
            repayment_note=f.cleaned_data["repayment_note"],
        )
        for f in formset.forms
        if f.cleaned_data
    ]


def _item_initial(items) -> list[dict]:
    return [
        {
            "kind": i.kind,
            "outcome": i.outcome,
            "granted_amount": i.granted_amount,
            "applied_amount": i.applied_amount,
            "legal_basis": i.legal_basis.pk if i.legal_basis else None,
            "description": i.description,
            "repayment_ground": i.repayment_ground,
            "advance_benefit": i.advance_benefit,
            "repayment_note": i.repayment_note,
        }
        for i in items
    ]


DRAFT_ACTIONS = ("save", "preview", "decide")


def _save_draft(request, application, decision=None):
    """GET shows the form; POST saves the draft, keeping all input on errors.

    One page for the whole decision (issue 17): *Spara utkast*, *Förhandsgranska brevet*
    (saves and opens the letter in a new tab) and *Fatta beslutet* (saves and decides –
    or sends it to the unit manager when above delegation). The motivering starts from
    the unit's template with the month's figures; the payment is proposed from the
    household's payment day and created when the decision becomes final."""
    draft_text = draft_motivering(application)
    if decision is None:
        initial_items = _item_initial(svc.prefill_items(application))
        initial = {
            "motivering": draft_text,
            "pay_on": proposed_payment_date(application, today=timezone.localdate())
            if application.result
            else None,
        }
    else:
        initial_items = _item_initial(decision.items.select_related("legal_basis"))
        initial = {
            "motivering": decision.motivering,
            "child_impact": decision.child_impact,
            "conditions": decision.conditions,
            "participants": decision.participants,
            "letter_delivery": decision.letter_delivery,
            "version": decision.version,
            "communicated_on": decision.communicated_on,
            "communication_method": decision.communication_method,
            "communication_oral_offered": decision.communication_oral_offered,
            "communication_exemption": decision.communication_exemption,
            "communication_note": decision.communication_note,
            "pay_on": decision.proposed_pay_on,
        }
    protected = application.applicant.is_protected
    form = DecisionForm(request.POST or None, initial=initial, protected_applicant=protected)
    items = DecisionItemFormSet(request.POST or None, prefix="post", initial=initial_items)
    action = request.POST.get("action", "save")
    if action not in DRAFT_ACTIONS:
        action = "save"
    if request.method == "POST" and form.is_valid() and items.is_valid():
        key = form.cleaned_data["idempotency_key"] if decision is None else None
        version = form.cleaned_data["version"]
        if decision is None and key is not None:
            # The same new-decision form posted again (e.g. after *Förhandsgranska
            # brevet*): it continues the draft it made instead of being ignored.
            made = application.decisions.filter(
                idempotency_key=key, status=Decision.Status.DRAFT
            ).first()
            if made is not None:
                decision, key, version = made, None, made.version
        try:
            decision = svc.decision_save_draft(
                application,
                actor=request.user,
                items=_items_from(items),
                motivering=form.cleaned_data["motivering"],
                child_impact=form.cleaned_data["child_impact"],
                conditions=form.cleaned_data["conditions"],
                participants=form.cleaned_data["participants"],
                letter_delivery=form.cleaned_data.get("letter_delivery", ""),
                decision=decision,
                communication=Communication(
                    communicated_on=form.cleaned_data["communicated_on"],
                    method=form.cleaned_data["communication_method"],
                    oral_offered=form.cleaned_data["communication_oral_offered"],
                    exemption=form.cleaned_data["communication_exemption"],
                    note=form.cleaned_data["communication_note"],
                ),
                version=version,
                idempotency_key=key,
                motivering_draft=draft_text,
                proposed_pay_on=form.cleaned_data["pay_on"],
            )
        except svc.DecisionError as error:
            form.add_error(None, str(error))
        else:
            if decision.status != Decision.Status.DRAFT:
                # The form posted again after the decision was made (a double click).
                messages.info(request, _("Beslutet är redan fattat."))
                return redirect("decision_detail", decision_pk=decision.pk)
            if action == "preview":
                return redirect("decision_letter", decision_pk=decision.pk)
            if action == "decide":
                try:
                    decided = svc.decision_submit(decision, actor=request.user)
                except svc.DecisionError as error:
                    messages.error(
                        request,
                        _("Utkastet är sparat men beslutet är inte fattat: %(e)s") % {"e": error},
                    )
                    return redirect("decision_edit", decision_pk=decision.pk)
                if decided.status == Decision.Status.AWAITING_APPROVAL:
                    messages.info(
                        request,
                        _("Beslutet ligger utanför din delegation och väntar på enhetschefen."),
                    )
                else:
                    messages.success(request, _("Beslutet är fattat och brevet är skapat."))
                    if Payment.objects.filter(decision=decided).exists():
                        messages.info(
                            request, _("Utbetalningen är registrerad och väntar på attest.")
                        )
                return redirect("decision_detail", decision_pk=decided.pk)
            messages.success(request, "Beslutsutkastet är sparat.")
            return redirect("decision_detail", decision_pk=decision.pk)
    return render(
        request,
        "cases/decision_form.html",
        {
            "application": application,
            "case": application.case,
            "decision": decision,
            "form": form,
            "items": items,
            "has_children": svc.household_has_children(application),
            "template_used": bool(draft_text),
            "within_delegation": decision is None or svc.within_delegation(request.user, decision),
        },
    )


@logs_access("case")
@require_http_methods(["GET", "POST"])
def decision_new(request, pk, app_pk):
    case, application = _application(request, pk, app_pk, "change_case")
    draft = application.decisions.filter(status=Decision.Status.DRAFT).first()
    same_form = (
        request.method == "POST"
        and draft is not None
        and draft.idempotency_key is not None
        and request.POST.get("idempotency_key") == str(draft.idempotency_key)
    )
    if draft is not None and not same_form:
        return redirect("decision_edit", decision_pk=draft.pk)
    return _save_draft(request, application)


@logs_access("decision", id_kwarg="decision_pk")
@require_http_methods(["GET", "POST"])
def decision_edit(request, decision_pk):
    decision = _decision(request, decision_pk, "change_case")
    if decision.status != Decision.Status.DRAFT:
        messages.error(request, "Bara utkast kan ändras. Ett fattat beslut ersätts av ett nytt.")
        return redirect("decision_detail", decision_pk=decision.pk)
    return _save_draft(request, decision.application, decision)


def _language_facts(decision: Decision) -> dict:
    """Which language notice the letter carried (stored) or would carry (draft), and a
    recorded language no catalogue matches (FL 13 §)."""
    application = decision.application
    people = [p for p in (application.applicant, application.co_applicant) if p is not None]
    letter = getattr(decision, "letter", None) if decision.is_final else None
    if letter is not None:
        used = language_notices.describe(letter.language_notice)
    else:
        used = [n.name for n in language_notices.notices_for_people(*people)]
    return {
        "language_notices_used": used,
        "languages_unmatched": [
            lang for lang in map(language_notices.unmatched_language, people) if lang
        ],
        "interpreter_needed": [p for p in people if p.needs_interpreter],
    }


@logs_access("decision", id_kwarg="decision_pk")
def decision_detail(request, decision_pk):
    decision = _decision(request, decision_pk)
    user = request.user
    appeals = list(decision.appeals.select_related("dismissal"))
    board = board_for(decision.case.unit)
    return render(
        request,
        "cases/decision_detail.html",
        {
            "decision": decision,
            "board": board,
            "contact": contact_for(decision, board),
            "case": decision.case,
            "items": decision.items.select_related("legal_basis").prefetch_related(
                "legal_basis__outcomes"
            ),
            "can_change": can_change_case(user, decision.case),
            "can_approve": decision.status == Decision.Status.AWAITING_APPROVAL
            and can_manage_case(user, decision.case)
            and user.pk != decision.author_id,
            "within_delegation": svc.within_delegation(user, decision),
            "serve_form": ServeForm(
                initial={
                    "how": decision.served_how or Decision.ServedHow.LETTER,
                    "sent_on": decision.sent_on or timezone.localdate(),
                    "received_on": decision.received_on,
                    "control_notice_on": decision.control_notice_on,
                    "simplified_informed": decision.simplified_informed,
                }
            ),
            "control_notice_due": control_notice_due(decision.sent_on)
            if decision.sent_on
            else None,
            "is_adverse": is_adverse(decision),
            **_language_facts(decision),
            "appeal_form": AppealForm(
                initial={"received_on": timezone.localdate()}, decision=decision
            ),
            "payment_form": PaymentForm(
                payees=[decision.application.applicant],
                initial={
                    "amount": svc.payable_amount(decision),
                    "pay_on": decision.proposed_pay_on
                    or proposed_payment_date(decision.application, today=timezone.localdate()),
                },
            ),
            "payment": Payment.objects.filter(decision=decision).first(),
            "appeals": appeals,
            "replaced_by": decision.replaced_by.all(),
            **_board_facts(decision),
        },
    )


def _board_facts(decision: Decision) -> dict:
    """Delegation, anmälan and laglighetsprövning (KL 6 kap. 40 §, 13 kap. 5 §) and the
    execution clocks (SoL 34 kap.) of a decision."""
    from cases.forms_board import InterruptForm, ResumeForm
    from cases.services.board import legality_notice

    clocks = list(decision.execution_clocks.all())
    return {
        "legality": legality_notice(decision),
        "has_legality_items": any(item.is_legality_only for item in decision.items.all()),
        "execution_clocks": clocks,
        "running_interruption": next(
            (c for c in clocks if c.kind == "interruption" and c.ended_on is None), None
        ),
        "executed": any(c.ending == "executed" for c in clocks),
        "interrupt_form": InterruptForm(),
        "resume_form": ResumeForm(),
        "today": timezone.localdate(),
    }


def _action(request, decision, action, success: str | None):
    try:
        action()
    except svc.DecisionError as error:
        messages.error(request, str(error))
    else:
        if success:
            messages.success(request, success)
    return redirect("decision_detail", decision_pk=decision.pk)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def decision_submit(request, decision_pk):
    decision = _decision(request, decision_pk, "change_case")

    def act():
        result = svc.decision_submit(decision, actor=request.user, version=_version(request))
        if result.status == Decision.Status.AWAITING_APPROVAL:
            messages.info(
                request, "Beslutet ligger utanför din delegation och väntar på enhetschefen."
            )
        else:
            # Taken within the caseworker's delegation: decided, not "sent".
            messages.success(request, "Beslutet är fattat.")

    return _action(request, decision, act, None)


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def decision_approve(request, decision_pk):
    decision = _decision(request, decision_pk)
    if not can_manage_case(request.user, decision.case):
        raise Http404
    return _action(
        request,
        decision,
        lambda: svc.decision_approve(decision, actor=request.user),
        "Beslutet är godkänt och fattat.",
    )


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def decision_return(request, decision_pk):
    decision = _decision(request, decision_pk)
    if not can_manage_case(request.user, decision.case):
        raise Http404
    return _action(
        request,
        decision,
        lambda: svc.decision_return(decision, actor=request.user),
        "Beslutet är skickat tillbaka som utkast.",
    )


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def decision_serve(request, decision_pk):
    decision = _decision(request, decision_pk, "change_case")
    form = ServeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ange datum och sätt för delgivningen.")
        return redirect("decision_detail", decision_pk=decision.pk)
    return _action(
        request,
        decision,
        lambda: svc.decision_serve(decision, actor=request.user, **form.cleaned_data),
        "Delgivningen är registrerad.",
    )


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def decision_replace(request, decision_pk):
    decision = _decision(request, decision_pk, "change_case")
    try:
        new = svc.decision_replace(decision, actor=request.user)
    except svc.DecisionError as error:
        messages.error(request, str(error))
        return redirect("decision_detail", decision_pk=decision.pk)
    messages.success(request, "Ett nytt beslutsutkast som ersätter det gamla är skapat.")
    return redirect("decision_edit", decision_pk=new.pk)


@logs_access("decision", id_kwarg="decision_pk")
def decision_letter(request, decision_pk):
    """The stored letter exactly as sent; for a draft, a marked preview."""
    decision = _decision(request, decision_pk)
    letter = getattr(decision, "letter", None) if decision.is_final else None
    if letter is not None:
        pdf = svc.letter_pdf(letter)
        name = f"beslut-{decision.reference}.pdf"
    else:
        pdf = svc.decision_letter_preview(decision)[1]
        name = f"forhandsgranskning-{decision.reference}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("ladda-ner") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@role_required(Role.UNIT_MANAGER)
def approvals(request):
    """Unit manager: decisions waiting for my approval."""
    waiting = list(svc.awaiting_approval_for(request.user))
    record_access(request, subject_type="decision_list", subject_id=len(waiting))
    return render(request, "cases/approvals.html", {"waiting": waiting})


# --- appeals -----------------------------------------------------------------------


def _appeal(request, appeal_pk, perm="view_case") -> Appeal:
    appeal = (
        Appeal.objects.select_related(
            "decision__case", "decision__application__applicant", "item__legal_basis"
        )
        .filter(pk=appeal_pk)
        .first()
    )
    if appeal is None:
        raise Http404
    _case(request, appeal.decision.case_id, perm)
    return appeal


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def appeal_new(request, decision_pk):
    decision = _decision(request, decision_pk, "change_case")
    form = AppealForm(request.POST, decision=decision)
    if not form.is_valid():
        messages.error(request, "Ange när överklagandet kom in.")
        return redirect("decision_detail", decision_pk=decision.pk)
    try:
        appeal = svc.appeal_register(
            decision,
            actor=request.user,
            received_on=form.cleaned_data["received_on"],
            notice_missing=form.cleaned_data["notice_missing"],
            item=form.cleaned_data["item"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            court_received_on=form.cleaned_data["court_received_on"],
        )
    except svc.DecisionError as error:
        messages.error(request, str(error))
        return redirect("decision_detail", decision_pk=decision.pk)
    messages.success(request, "Överklagandet är registrerat.")
    return redirect("appeal_detail", appeal_pk=appeal.pk)


@logs_access("appeal", id_kwarg="appeal_pk")
def appeal_detail(request, appeal_pk):
    appeal = _appeal(request, appeal_pk)
    from cases.deadlines import deadlines_for

    decision = appeal.decision
    from cases.services.board import legality_notice

    return render(
        request,
        "cases/appeal_detail.html",
        {
            "appeal": appeal,
            "legality": legality_notice(decision),
            "timeliness": svc.appeal_timeliness(
                decision,
                appeal.received_on,
                notice_missing=appeal.notice_missing_or_wrong,
                court_received_on=appeal.court_received_on,
            ),
            "reconsiderations": appeal.reconsiderations.select_related("decided_by"),
            "dismissal": getattr(appeal, "dismissal", None),
            "dismiss_form": DismissForm(),
            "decision": appeal.decision,
            "case": appeal.decision.case,
            "can_change": can_change_case(request.user, appeal.decision.case),
            "deadline": deadlines_for(appeal, svc.APPEAL_FORWARD).first(),
            "reconsider_form": ReconsiderForm(),
            "forward_form": ForwardForm(),
            "court_form": CourtOutcomeForm(),
        },
    )


@logs_access("appeal", id_kwarg="appeal_pk")
@require_POST
def appeal_action(request, appeal_pk, action):
    appeal = _appeal(request, appeal_pk, "change_case")
    forms = {
        "omprova": ReconsiderForm,
        "overlamna": ForwardForm,
        "dom": CourtOutcomeForm,
        "avvisa": DismissForm,
    }
    form = forms[action](request.POST) if action in forms else None
    if form is not None and not form.is_valid():
        messages.error(request, "Kontrollera uppgifterna.")
        return redirect("appeal_detail", appeal_pk=appeal.pk)
    data = form.cleaned_data if form else {}
    calls = {
        "omprova": lambda: svc.appeal_reconsider(appeal, actor=request.user, **data),
        "overlamna": lambda: svc.appeal_forward(appeal, actor=request.user, **data),
        "dom": lambda: svc.appeal_court_outcome(appeal, actor=request.user, **data),
        "avvisa": lambda: svc.appeal_dismiss(appeal, actor=request.user, **data),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except svc.DecisionError as error:
        messages.error(request, str(error))
        return redirect("appeal_detail", appeal_pk=appeal.pk)
    draft = appeal.reconsiderations.filter(status=Decision.Status.DRAFT).first()
    if action == "omprova" and data.get("changed") and draft is not None:
        messages.success(
            request,
            "Ett omprövningsbeslut är påbörjat. Ändra det och fatta beslutet – "
            "det får ett eget brev med besvärshänvisning.",
        )
        return redirect("decision_edit", decision_pk=draft.pk)
    if action == "avvisa":
        messages.success(request, "Avvisningsbeslutet är fattat och brevet sparat.")
    else:
        messages.success(request, "Överklagandet är uppdaterat.")
    return redirect("appeal_detail", appeal_pk=appeal.pk)


@logs_access("appeal", id_kwarg="appeal_pk")
def appeal_dismissal_letter(request, appeal_pk):
    """The avvisningsbeslut's letter exactly as stored (FL 45 §)."""
    appeal = _appeal(request, appeal_pk)
    dismissal = getattr(appeal, "dismissal", None)
    if dismissal is None:
        raise Http404
    response = HttpResponse(bytes(dismissal.pdf), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("ladda-ner") else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="avvisningsbeslut-{dismissal.reference}.pdf"'
    )
    return response


@role_required(Role.CASEWORKER, Role.UNIT_MANAGER)
def appeal_list(request):
    """The unit's appeal register with its clocks."""
    from cases.models import Case

    visible = Case.objects.visible_to(request.user).values("pk")
    appeals = list(
        Appeal.objects.filter(decision__case__in=visible)
        .select_related("decision__case", "decision__application__applicant")
        .order_by("status", "-received_on")[:200]
    )
    record_access(request, subject_type="appeal_list", subject_id=len(appeals))
    return render(request, "cases/appeal_list.html", {"appeals": appeals})


# --- payments ----------------------------------------------------------------------


@logs_access("decision", id_kwarg="decision_pk")
@require_POST
def payment_new(request, decision_pk):
    decision = _decision(request, decision_pk, "change_case")
    form = PaymentForm(request.POST, payees=[decision.application.applicant])
    if not form.is_valid():
        messages.error(request, "Kontrollera mottagare, belopp och datum.")
        return redirect("decision_detail", decision_pk=decision.pk)
    data = form.cleaned_data
    try:
        svc.payment_create(
            decision,
            actor=request.user,
            payee=decision.application.applicant,
            amount=data["amount"],
            pay_on=data["pay_on"],
        )
    except svc.DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Utbetalningen är registrerad och väntar på attest.")
    return redirect("decision_detail", decision_pk=decision.pk)


@role_required(Role.CASEWORKER, Role.UNIT_MANAGER)
def payment_list(request):
    """Attest list: the unit's payments waiting for a second person, and the files."""
    from cases.models import Case

    visible = Case.objects.visible_to(request.user).values("pk")
    waiting = list(
        Payment.objects.filter(status=Payment.Status.PROPOSED, decision__case__in=visible)
        .select_related("payee", "decision", "created_by")
        .order_by("pay_on", "pk")
    )
    attested = list(
        Payment.objects.filter(
            status=Payment.Status.ATTESTED, decision__case__unit=request.user.unit
        )
        .select_related("payee", "decision")
        .order_by("pay_on", "pk")
    )
    batches = PaymentBatch.objects.filter(unit=request.user.unit)[:20]
    record_access(request, subject_type="payment_list", subject_id=len(waiting))
    return render(
        request,
        "cases/payment_list.html",
        {
            "waiting": waiting,
            "attested": attested,
            "batches": batches,
            "total_attested": sum(p.amount for p in attested),
        },
    )


@logs_access("payment", id_kwarg="payment_pk")
@require_POST
def payment_attest(request, payment_pk):
    payment = Payment.objects.select_related("decision").filter(pk=payment_pk).first()
    if payment is None:
        raise Http404
    _case(request, payment.decision.case_id)
    try:
        svc.payment_attest(payment, actor=request.user)
    except svc.DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Utbetalningen är attesterad.")
    return redirect("payment_list")


@role_required(Role.UNIT_MANAGER)
@require_POST
def payment_export(request):
    batch = svc.payment_batch_export(actor=request.user, unit=request.user.unit)
    if batch is None:
        messages.info(request, "Det finns inga attesterade utbetalningar att skicka.")
    else:
        messages.success(request, f"Betalfil med {batch.count} utbetalningar, {batch.total} kr.")
    return redirect("payment_list")


@role_required(Role.UNIT_MANAGER)
def payment_batch_csv(request, batch_pk):
    batch = PaymentBatch.objects.filter(pk=batch_pk, unit=request.user.unit).first()
    if batch is None:
        raise Http404
    record_access(request, subject_type="payment_batch", subject_id=batch.pk)
    response = HttpResponse(svc.payment_batch_file(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="betalfil-{batch.pk}.csv"'
    return response
