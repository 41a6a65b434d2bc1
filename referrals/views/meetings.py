"""Recording a three-party meeting (trepartssamtal) with its agreed next steps."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import logs_access
from referrals.forms import StepFormSet, ThreePartyMeetingForm
from referrals.models import AgreedStep, Referral
from referrals.services import (
    ReferralError,
    StepInput,
    agreed_step_to_activity,
    three_party_meeting_record,
)
from referrals.views.common import case_for


@logs_access("case", id_kwarg="case_pk")
@require_http_methods(["GET", "POST"])
def meeting_new(request, case_pk):
    case = case_for(request, case_pk, "change_case")
    source = request.POST if request.method == "POST" else request.GET
    referral = None
    if str(source.get("remiss", "")).isdigit():
        referral = (
            Referral.objects.filter(case=case, pk=int(source["remiss"]))
            .select_related("provider", "service")
            .first()
        )
    initial = {"provider": referral.provider_id} if referral else {}
    form = ThreePartyMeetingForm(request.POST or None, case=case, initial=initial)
    steps = StepFormSet(request.POST or None, prefix="steg")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        data = form.cleaned_data
        step_inputs = [
            StepInput(
                what=step["what"],
                responsible=step["responsible"],
                becomes=step["becomes"],
                due_on=step.get("due_on"),
                service=step.get("service"),
            )
            for step in steps.cleaned_data
            if (step.get("what") or "").strip()
        ]
        try:
            three_party_meeting_record(
                actor=request.user,
                case=case,
                provider=data["provider"],
                participant_name=data["participant_name"],
                participant_title=data["participant_title"],
                notes=data["notes"],
                held_at=data["held_at"],
                client_attended=data["client_attended"],
                steps=step_inputs,
                referral=referral,
                planned_meeting=data["planned_meeting"],
                idempotency_key=data["idempotency_key"],
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Trepartssamtalet är registrerat.")
            if referral is not None:
                return redirect("referrals:referral_detail", pk=referral.pk)
            return redirect(f"{reverse('case_detail', args=[case.pk])}#remisser")
    return render(
        request,
        "referrals/meeting_form.html",
        {"case": case, "form": form, "steps": steps, "referral": referral},
    )


@logs_access("case", id_kwarg="case_pk")
@require_POST
def step_activity(request, case_pk, step_pk):
    case = case_for(request, case_pk, "change_case")
    step = AgreedStep.objects.filter(pk=step_pk, meeting__case=case).first()
    if step is None:
        raise Http404
    try:
        agreed_step_to_activity(step, actor=request.user)
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Steget är tillagt i arbetsplanen.")
    return redirect(f"{reverse('case_detail', args=[case.pk])}#remisser")
