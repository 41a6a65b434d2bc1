"""Cases: "Mina ärenden", the case page, opening, status, reassignment, closing,
journal and meetings. Every view goes through get_case_for_user and is access-logged."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import SUBJECT_UNIT_ATTR, logs_access, record_access
from cases.access_rules import (
    can_change_case_on_page,
    can_manage_case,
    listed_person_ids,
    mask_hidden_applicants,
)
from cases.extensions import case_panels
from cases.forms import TransferRequestForm
from cases.forms_casework import (
    CaseCloseForm,
    CaseNewForm,
    CaseReassignForm,
    JournalNoteForm,
    MeetingForm,
    MeetingRecordForm,
)
from cases.models import Case, JournalNote, Meeting, Person
from cases.permissions import get_case_for_user, get_contact_for_user, role_required
from cases.roles import Role
from cases.selectors import case_list, case_page, person_known_elsewhere
from cases.services.casework import (
    CaseError,
    case_close,
    case_open_for_person,
    case_open_from_contact,
    case_reassign,
    case_set_status,
    journal_note_add,
    meeting_plan,
    meeting_record,
)
from cases.services.people import known_elsewhere_message

CASE_ROLES = (Role.CASEWORKER, Role.UNIT_MANAGER)


def _case(request, pk, perm="view_case") -> Case:
    case = get_case_for_user(request.user, pk, perm)
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    return case


@role_required(*CASE_ROLES)
def my_cases(request):
    """Mina ärenden (or, with ?alla=1, every case the user may see)."""
    show_all = request.GET.get("alla") == "1" or not request.user.has_role(Role.CASEWORKER)
    q, status, sort = (request.GET.get(k, "").strip() for k in ("q", "status", "sortera"))
    cases = case_list(request.user, mine=not show_all, q=q, status=status, sort=sort)
    page = Paginator(cases, 25).get_page(request.GET.get("sida"))
    page.object_list = mask_hidden_applicants(page.object_list)
    record_access(
        request,
        subject_type="case_list",
        subject_id=len(page.object_list),
        subject_unit=request.user.unit,
        listed_persons=listed_person_ids(page.object_list),
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "sort": sort,
            "show_all": show_all,
            "statuses": Case.Status.choices,
        },
    )


@logs_access("case")
def case_detail(request, pk):
    case = _case(request, pk)
    return render(request, "cases/case_detail.html", _case_context(request, case))


def _case_context(request, case, **forms) -> dict:
    context = case_page(case)
    context.update(
        {
            "case": case,
            "can_change": can_change_case_on_page(request.user, case),
            "can_manage": can_manage_case(request.user, case),
            "journal_form": JournalNoteForm(),
            "meeting_form": MeetingForm(),
            "record_form": MeetingRecordForm(),
            "close_form": CaseCloseForm(initial={"version": case.version}),
            "reassign_form": CaseReassignForm(case=case, initial={"version": case.version}),
            "extra_panels": case_panels(request, case),
            # Each note's correction form has its own key: a double click corrects once.
            "correction_keys": {note.pk: uuid.uuid4() for note in context["journal"]},
        }
    )
    context.update(forms)
    return context


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def case_new(request):
    form = CaseNewForm(request.POST or None, unit=request.user.unit)
    transfer_form = None
    if request.method == "POST" and form.is_valid():
        person = (
            Person.objects.visible_to(request.user)
            .filter(personnummer=form.cleaned_data["personnummer"])
            .first()
        )
        number = form.cleaned_data["personnummer"]
        elsewhere = person_known_elsewhere(request.user, number) if person is None else None
        if elsewhere is not None:
            # Known in another unit: never joined silently – the user asks for a transfer.
            form.add_error("personnummer", known_elsewhere_message(elsewhere))
            transfer_form = TransferRequestForm(initial={"personnummer": number})
        elif person is None:
            form.add_error(
                "personnummer", "Personen finns inte i Vägen. Registrera personen först."
            )
        elif request.user.unit is None:
            form.add_error(None, "Du behöver tillhöra en enhet.")
        else:
            caseworker = form.cleaned_data["caseworker"] or (
                request.user if request.user.has_role(Role.CASEWORKER) else None
            )
            try:
                case = case_open_for_person(
                    actor=request.user,
                    person=person,
                    unit=request.user.unit,
                    caseworker=caseworker,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Ärende {case.reference} är öppnat.")
                return redirect("case_detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form, "transfer_form": transfer_form})


@logs_access("first_contact")
@require_POST
def case_from_contact(request, pk):
    contact = get_contact_for_user(request.user, pk)
    setattr(request, SUBJECT_UNIT_ATTR, contact.unit)
    if not any(request.user.has_role(role) for role in CASE_ROLES):
        raise Http404
    try:
        case = case_open_from_contact(actor=request.user, contact=contact)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("contact_detail", pk=contact.pk)
    messages.success(request, f"Ärende {case.reference} är öppnat från kontakten.")
    return redirect("case_detail", pk=case.pk)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@logs_access("case")
@require_POST
def case_status(request, pk):
    case = _case(request, pk, "change_case")
    try:
        case_set_status(
            case, request.POST.get("status", ""), actor=request.user, version=_version(request)
        )
    except (CaseError, ValueError, KeyError) as error:
        messages.error(request, str(error) if isinstance(error, CaseError) else "Okänd status.")
    else:
        messages.success(request, "Ärendets status är ändrad.")
    return redirect("case_detail", pk=case.pk)


@logs_access("case")
@require_POST
def case_close_view(request, pk):
    case = _case(request, pk, "change_case")
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Välj avslutsorsak och datum.")
    else:
        try:
            case_close(
                case,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
                version=form.cleaned_data["version"],
            )
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Ärendet är avslutat.")
    return redirect("case_detail", pk=case.pk)


@logs_access("case")
@require_POST
def case_reassign_view(request, pk):
    case = _case(request, pk)
    if not can_manage_case(request.user, case):
        raise Http404
    form = CaseReassignForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, "Välj en handläggare i enheten.")
    else:
        try:
            case_reassign(
                case,
                form.cleaned_data["caseworker"],
                actor=request.user,
                version=form.cleaned_data["version"],
            )
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Ärendet är fördelat till {form.cleaned_data['caseworker']}."
            )
    return redirect("case_detail", pk=case.pk)


@logs_access("case")
@require_POST
def journal_add(request, pk):
    case = _case(request, pk, "change_case")
    form = JournalNoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        corrects = None
        if data["corrects"]:
            corrects = JournalNote.objects.filter(case=case, pk=data["corrects"]).first()
            if corrects is None:
                raise Http404
        try:
            journal_note_add(
                case,
                actor=request.user,
                text=data["text"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                communication_method=data["communication_method"],
                client_view=data["client_view"],
                corrects=corrects,
                idempotency_key=data["idempotency_key"],
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Anteckningen är sparad.")
            return redirect(f"{case_detail_url(case)}#journal")
    return _case_page_with(request, case, journal_form=form)


def case_detail_url(case) -> str:
    return reverse("case_detail", args=[case.pk])


def _case_page_with(request, case, **forms):
    """The case page again with a form's errors and the user's input kept."""
    messages.error(request, "Kontrollera formuläret – det du skrev finns kvar.")
    return render(request, "cases/case_detail.html", _case_context(request, case, **forms))


@logs_access("case")
@require_POST
def meeting_add(request, pk):
    case = _case(request, pk, "change_case")
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _case_page_with(request, case, meeting_form=form)
    meeting_plan(
        case,
        actor=request.user,
        kind=form.cleaned_data["kind"],
        planned_at=form.cleaned_data["planned_at"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )
    messages.success(request, "Mötet är bokat.")
    return redirect(f"{case_detail_url(case)}#moten")


@logs_access("case")
@require_POST
def meeting_record_view(request, pk, meeting_pk):
    case = _case(request, pk, "change_case")
    meeting = Meeting.objects.filter(case=case, pk=meeting_pk).first()
    if meeting is None:
        raise Http404
    form = MeetingRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Välj hur mötet gick.")
    else:
        try:
            meeting_record(meeting, actor=request.user, **form.cleaned_data)
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Mötet är registrerat.")
    return redirect(f"{case_detail_url(case)}#moten")
