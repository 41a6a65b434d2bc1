"""Reception's first contacts and the caseworker's callbacks (DOMAIN.md §2.1)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import SUBJECT_UNIT_ATTR, logs_access, record_access
from cases.access_rules import listed_person_ids
from cases.forms import CallbackForm, FirstContactForm
from cases.permissions import get_contact_for_user, role_required
from cases.personnummer import InvalidPersonnummer, parse
from cases.roles import Role
from cases.selectors import contacts_for_reception
from cases.services.contacts import (
    ContactError,
    callback_record,
    first_contact_register,
    first_contact_take,
    lookup_person,
)

CONTACT_ROLES = (Role.RECEPTION, Role.CASEWORKER, Role.UNIT_MANAGER)


@role_required(Role.RECEPTION)
def reception_start(request):
    """Reception: today's contacts and every contact still waiting for a callback."""
    today = timezone.localdate()
    contacts = list(contacts_for_reception(request.user.unit, today)) if request.user.unit else []
    record_access(
        request,
        subject_type="start_page",
        subject_unit=request.user.unit,
        listed_persons=listed_person_ids(contacts),
    )
    waiting = sum(1 for c in contacts if c.is_open)
    now = timezone.now()
    overdue = sum(1 for c in contacts if c.is_overdue(now))
    return render(
        request,
        "cases/start_reception.html",
        {
            "today": today,
            "now": now,
            "contacts": contacts,
            "waiting": waiting,
            "overdue": overdue,
        },
    )


@role_required(*CONTACT_ROLES)
@require_http_methods(["GET", "POST"])
def contact_create(request):
    initial = {"unit": request.user.unit_id}
    form = FirstContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = first_contact_register(
                actor=request.user,
                channel=data["channel"],
                subject=data["subject"],
                unit=data["unit"],
                assigned_to=data["assigned_to"],
                personnummer=data["personnummer"],
                name=data["name"],
                is_anonymous=data["is_anonymous"],
                phone=data["phone"],
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except ContactError as error:
            form.add_error(None, str(error))
        else:
            due = date_format(
                timezone.localtime(contact.callback_due_at), "LONG_WEEKDAY_DATETIME_FORMAT"
            )
            messages.success(request, f"Kontakten är registrerad. Återkoppling senast {due}.")
            if request.user.has_role(Role.RECEPTION):
                return redirect("reception_start")
            return redirect(
                "caseworker_start" if request.user.has_role(Role.CASEWORKER) else "home"
            )
    return render(request, "cases/contact_form.html", {"form": form})


@role_required(*CONTACT_ROLES)
def person_lookup(request):
    """htmx: is this personnummer known, and where was it routed? Nothing more.
    Protected persons the user has no grant for are "not known"."""
    value = request.GET.get("personnummer", "").strip()
    context = {"value": value}
    if value:
        try:
            number = parse(value)
        except InvalidPersonnummer as error:
            context["error"] = str(error)
        else:
            result = lookup_person(number.normalized, user=request.user)
            record_access(
                request,
                subject_type="person_lookup",
                subject_id=result.person_id or "",
                subject_unit=result.unit,
            )
            context["result"] = result
    return render(request, "cases/_person_lookup.html", context)


@logs_access("first_contact")
@require_http_methods(["GET", "POST"])
def contact_detail(request, pk):
    contact = get_contact_for_user(request.user, pk)
    setattr(request, SUBJECT_UNIT_ATTR, contact.unit)
    now = timezone.localtime().replace(second=0, microsecond=0)
    # The instant, not the wall clock: at 02:30 on the night the clocks go back it says
    # which of the two 02:30s it is, so the form never refuses its own default.
    form = CallbackForm(request.POST or None, initial={"made_at": now})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            callback = callback_record(
                contact,
                actor=request.user,
                made_at=data["made_at"],
                method=data["method"],
                outcome=data["outcome"],
                first_visit_at=data["first_visit_at"],
                note=data["note"],
            )
        except ContactError as error:
            messages.error(request, str(error))
        else:
            if callback.reached_the_person:
                messages.success(request, "Återkopplingen är registrerad.")
            else:
                messages.info(request, "Försöket är registrerat. Kontakten väntar fortfarande.")
        return redirect("contact_detail", pk=contact.pk)
    return render(
        request,
        "cases/contact_detail.html",
        {
            "contact": contact,
            "callbacks": contact.callbacks.select_related("made_by"),
            "form": form,
        },
    )


@logs_access("first_contact")
@require_POST
def contact_take(request, pk):
    contact = get_contact_for_user(request.user, pk)
    setattr(request, SUBJECT_UNIT_ATTR, contact.unit)
    if not request.user.has_role(Role.CASEWORKER):
        messages.error(request, "Bara handläggare kan ta en kontakt.")
    else:
        try:
            first_contact_take(contact, actor=request.user)
        except ContactError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Kontakten ligger nu under Mina återkopplingar.")
    return redirect("contact_detail", pk=contact.pk)
