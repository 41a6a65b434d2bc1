"""A referral: sending it (prefilled from a kartläggning or an agreed step), its page
with the moves the state table allows, follow-ups, consent and the letter (PDF)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import logs_access
from referrals import selectors, workplan_link
from referrals.forms import AnswerForm, ConsentForm, EndForm, FollowUpForm, ReferralForm
from referrals.letters import letter_context
from referrals.models import LETTER_FIELDS, AgreedStep, Mapping, Referral
from referrals.services import (
    ReferralError,
    referral_accept,
    referral_consent_set,
    referral_create,
    referral_decline,
    referral_end,
    referral_follow_up_record,
    referral_start,
    referral_withdraw,
)
from referrals.views.common import can_change, case_for, referral_for
from referrals.workflow import ACTION_LABELS, next_states

State = Referral.State


def _reason_from_mapping(mapping: Mapping) -> str:
    lines = [f"Personen vill ha hjälp med: {mapping.help_wanted}"]
    if mapping.own_goals:
        lines.append(f"Egna mål: {mapping.own_goals}")
    if mapping.assessment:
        lines.append(f"Bedömning: {mapping.assessment}")
    return "\n".join(lines)


@logs_access("case", id_kwarg="case_pk")
@require_http_methods(["GET", "POST"])
def referral_new(request, case_pk):
    case = case_for(request, case_pk, "change_case")
    people = selectors.adults_of(case)
    by_pk = {person.pk: person for person in people}
    source = request.POST if request.method == "POST" else request.GET
    mapping = _mapping_from(source.get("kartlaggning") or source.get("mapping"), by_pk, case)
    step = _step_from(source.get("steg") or source.get("step"), case)
    initial = {"person": people[0].pk if people else None}
    if mapping is not None:
        initial.update(
            person=mapping.person_id, reason=_reason_from_mapping(mapping), mapping=mapping.pk
        )
    if step is not None:
        initial.update(service=step.service_id, reason=step.what, request=step.what, step=step.pk)
    form = ReferralForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = by_pk[data["person"]]
        try:
            referral = referral_create(
                actor=request.user,
                case=case,
                person=person,
                service=data["service"],
                reason=data["reason"],
                request=data["request"],
                shared_fields=data["shared_fields"],
                mapping=mapping if mapping and mapping.person_id == person.pk else None,
                sent_on=data["sent_on"],
                step=step,
                idempotency_key=data["idempotency_key"],
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Remissen till {referral.provider.name} är skickad.")
            return redirect("referrals:referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/referral_new.html",
        {"case": case, "form": form, "mapping": mapping, "step": step},
    )


def _mapping_from(value, people_by_pk, case) -> Mapping | None:
    if not str(value or "").isdigit():
        return None
    return (
        Mapping.objects.filter(
            pk=int(value), person_id__in=list(people_by_pk), case__unit_id=case.unit_id
        )
        .select_related("person")
        .first()
    )


def _step_from(value, case) -> AgreedStep | None:
    if not str(value or "").isdigit():
        return None
    return (
        AgreedStep.objects.filter(
            pk=int(value),
            meeting__case=case,
            becomes=AgreedStep.Becomes.REFERRAL,
            referral__isnull=True,
        )
        .select_related("meeting", "service")
        .first()
    )


def _detail_context(request, referral: Referral, **forms) -> dict:
    version = {"version": referral.version}
    actions = []
    for state in next_states(referral.state):
        bound = forms.get("move_form")
        if bound is not None and bound.prefix == state:
            form = bound
        elif state == State.ENDED:
            form = EndForm(initial=version, prefix=state)
        else:
            form = AnswerForm(initial=version, prefix=state)
        actions.append((state, ACTION_LABELS[state], form))
    shared = set(referral.shared_fields)
    return {
        "referral": referral,
        "case": referral.case,
        "can_change": can_change(request, referral.case),
        "events": list(referral.events.select_related("actor")),
        "meetings": list(selectors.three_party_meetings(referral.case).filter(referral=referral)),
        "actions": actions,
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(initial=version, prefix="uppfoljning"),
        "consent_form": forms.get("consent_form")
        or ConsentForm(
            initial={"shared_fields": referral.shared_fields, **version}, prefix="samtycke"
        ),
        "shared": [label for code, label in LETTER_FIELDS if code in shared],
        "long_stay": referral.is_long_stay(),
        "activities": workplan_link.linked_activities(referral),
        "now": timezone.now(),
    }


@logs_access("referral")
def referral_detail(request, pk):
    referral = referral_for(request, pk)
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral))


def _again(request, referral, **forms):
    """The page again with the form's errors and everything typed kept."""
    messages.error(request, "Kontrollera formuläret – det du skrev finns kvar.")
    return render(
        request, "referrals/referral_detail.html", _detail_context(request, referral, **forms)
    )


@logs_access("referral")
@require_POST
def referral_move(request, pk):
    """Answer, start, withdraw or end – whatever the state table allows from here."""
    referral = referral_for(request, pk, "change_case")
    to = request.POST.get("to", "")
    if to not in State.values:
        messages.error(request, "Okänd åtgärd.")
        return redirect("referrals:referral_detail", pk=referral.pk)
    form_class = EndForm if to == State.ENDED else AnswerForm
    form = form_class(request.POST, prefix=to)
    if not form.is_valid():
        return _again(request, referral, move_form=form)
    data = form.cleaned_data
    common = {"actor": request.user, "on": data["on"], "version": data["version"]}
    try:
        if to == State.ENDED:
            referral_end(referral, outcome=data["outcome"], note=data["note"], **common)
        elif to == State.ACCEPTED:
            referral_accept(referral, note=data["note"], **common)
        elif to == State.DECLINED:
            referral_decline(referral, reason=data["note"], **common)
        elif to == State.STARTED:
            referral_start(referral, note=data["note"], **common)
        elif to == State.WITHDRAWN:
            referral_withdraw(referral, note=data["note"], **common)
        else:
            raise ReferralError(
                f"En remiss kan inte få status ”{State(to).label}” genom den här åtgärden."
            )
    except ReferralError as error:
        form.add_error(None, str(error))
        messages.error(request, str(error))
        return _again(request, referral, move_form=form)
    referral.refresh_from_db(fields=["state"])
    messages.success(request, f"Remissen har status ”{referral.get_state_display()}”.")
    return redirect("referrals:referral_detail", pk=referral.pk)


@logs_access("referral")
@require_POST
def referral_follow_up(request, pk):
    referral = referral_for(request, pk, "change_case")
    form = FollowUpForm(request.POST, prefix="uppfoljning")
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral_follow_up_record(
                referral,
                actor=request.user,
                on=data["on"],
                note=data["note"],
                next_on=data["next_on"],
                version=data["version"],
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Uppföljningen är registrerad.")
            return redirect("referrals:referral_detail", pk=referral.pk)
    return _again(request, referral, follow_up_form=form)


@logs_access("referral")
@require_POST
def referral_consent(request, pk):
    referral = referral_for(request, pk, "change_case")
    form = ConsentForm(request.POST, prefix="samtycke")
    if form.is_valid():
        try:
            referral_consent_set(
                referral,
                actor=request.user,
                shared_fields=form.cleaned_data["shared_fields"],
                version=form.cleaned_data["version"],
            )
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Samtycket är ändrat.")
            return redirect("referrals:referral_detail", pk=referral.pk)
    return _again(request, referral, consent_form=form)


@logs_access("referral")
def referral_letter(request, pk):
    """The referral letter to the provider – only what the person agreed to share
    (``referrals.letters.letter_context``)."""
    from cases.pdf import render_pdf

    referral = referral_for(request, pk)
    case = referral.case
    context = letter_context(referral)
    context.update(
        {
            "document_title": f"Remiss {referral.reference}",
            "letter_date": referral.sent_on,
            "case": case,
            "sender": referral.created_by,  # who sent it, even after a reassignment
        }
    )
    pdf = render_pdf("pdf/referral_letter.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="remiss-{referral.reference}.pdf"'
    return response
