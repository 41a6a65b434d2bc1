"""Persons and households for caseworkers and unit managers. Every read is logged;
protected identities are found only by users with an explicit grant."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import logs_access, record_access
from cases.forms import EndMembershipForm, HouseholdMemberForm, PersonAccessForm, PersonForm
from cases.models import Household, HouseholdMember, Person
from cases.permissions import PERSON_ROLES, get_person_for_user, role_required
from cases.roles import Role
from cases.services.people import (
    household_create,
    household_member_add,
    household_member_end,
    person_access_grant,
    person_access_holders,
    person_access_revoke,
    person_save,
)


@role_required(*PERSON_ROLES)
def person_search(request):
    text = request.GET.get("q", "").strip()
    results = (
        Person.objects.visible_to(request.user).search(text) if text else Person.objects.none()
    )
    page = Paginator(results, 25).get_page(request.GET.get("sida"))
    if text:
        record_access(request, subject_type="person_search", subject_id=len(page.object_list))
    return render(request, "cases/person_search.html", {"q": text, "page": page})


@role_required(*PERSON_ROLES)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = person_save(form.save(commit=False), actor=request.user)
        messages.success(request, "Personen är sparad.")
        return redirect("person_detail", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form, "person": None})


def _on_date(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return timezone.localdate()


@logs_access("person")
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    day = _on_date(request)
    household_ids = person.memberships.values_list("household_id", flat=True).distinct()
    households = []
    for household in Household.objects.filter(pk__in=household_ids).select_related("unit"):
        members = list(household.members_on(day))
        # Members with protected identity the user may not see are shown only as such.
        visible = set(
            Person.objects.visible_to(request.user)
            .filter(pk__in=[m.person_id for m in members])
            .values_list("pk", flat=True)
        )
        households.append(
            {
                "household": household,
                "members": [(m, m.person_id in visible) for m in members],
                "history": household.memberships.select_related("person").order_by("valid_from"),
            }
        )
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "day": day,
            "households": households,
            "member_form": HouseholdMemberForm(initial={"valid_from": day}),
            "contacts": person.first_contacts.select_related("unit", "assigned_to")[:10],
            "access_holders": person_access_holders(person) if person.is_protected else [],
            "access_form": PersonAccessForm(unit=request.user.unit)
            if person.is_protected and request.user.has_role(Role.UNIT_MANAGER)
            else None,
        },
    )


@logs_access("person")
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person_save(form.save(commit=False), actor=request.user)
        messages.success(request, "Ändringarna är sparade.")
        return redirect("person_detail", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form, "person": person})


@logs_access("person")
@require_POST
def household_new(request, pk):
    person = get_person_for_user(request.user, pk)
    if request.user.unit is None:
        messages.error(request, "Du behöver tillhöra en enhet för att skapa ett hushåll.")
    else:
        household_create(
            applicant=person,
            unit=request.user.unit,
            valid_from=timezone.localdate(),
            actor=request.user,
        )
        messages.success(request, "Hushållet är skapat.")
    return redirect("person_detail", pk=person.pk)


@logs_access("person")
@require_POST
def household_add_member(request, pk, household_pk):
    person = get_person_for_user(request.user, pk)
    household = Household.objects.filter(pk=household_pk, memberships__person=person).first()
    if household is None:
        messages.error(request, "Hushållet hittades inte.")
        return redirect("person_detail", pk=person.pk)
    form = HouseholdMemberForm(request.POST)
    if not form.is_valid():
        return _member_form_again(request, person, household, form)
    data = form.cleaned_data
    member = None
    if data["personnummer"]:
        member = (
            Person.objects.visible_to(request.user)
            .filter(personnummer=data["personnummer"])
            .first()
        )
        if member is None and Person.objects.filter(personnummer=data["personnummer"]).exists():
            form.add_error(
                "personnummer", "Personen kan inte läggas till härifrån. Kontakta enhetschefen."
            )
            return _member_form_again(request, person, household, form)
    if member is None:
        if not data["first_name"]:
            form.add_error("first_name", "Personnumret är nytt för Vägen – ange namn.")
            return _member_form_again(request, person, household, form)
        member = person_save(
            Person(
                first_name=data["first_name"],
                last_name=data["last_name"],
                personnummer=data["personnummer"] or None,
                birth_date=data["birth_date"],
            ),
            actor=request.user,
        )
    try:
        household_member_add(
            household,
            person=member,
            role=data["role"],
            valid_from=data["valid_from"],
            actor=request.user,
        )
    except ValueError:
        form.add_error(None, "Personen ingår redan i hushållet det datumet.")
        return _member_form_again(request, person, household, form)
    messages.success(
        request, f"{member.full_name} ingår i hushållet från {data['valid_from']:%Y-%m-%d}."
    )
    return redirect("person_detail", pk=person.pk)


def _member_form_again(request, person, household, form):
    """The add-member form with its errors and everything the user typed."""
    return render(
        request,
        "cases/household_member_form.html",
        {"person": person, "household": household, "form": form},
    )


@logs_access("person")
@require_POST
def person_access(request, pk):
    """Unit managers grant or revoke explicit access to a protected person."""
    person = get_person_for_user(request.user, pk)
    if not (person.is_protected and request.user.has_role(Role.UNIT_MANAGER)):
        raise Http404
    form = PersonAccessForm(request.POST, unit=request.user.unit)
    if not form.is_valid():
        messages.error(request, "Välj en handläggare i din enhet.")
    elif request.POST.get("action") == "revoke":
        try:
            person_access_revoke(person, form.cleaned_data["user"], actor=request.user)
        except PermissionError:
            messages.error(request, "Du kan inte ta bort din egen behörighet.")
        else:
            messages.success(request, "Behörigheten är borttagen.")
    else:
        person_access_grant(person, form.cleaned_data["user"], actor=request.user)
        messages.success(request, "Behörigheten är given.")
    return redirect("person_detail", pk=person.pk)


@logs_access("person")
@require_POST
def household_end_member(request, pk, member_pk):
    person = get_person_for_user(request.user, pk)
    member = HouseholdMember.objects.filter(
        pk=member_pk, household__memberships__person=person
    ).first()
    form = EndMembershipForm(request.POST)
    if member is None or not form.is_valid():
        messages.error(request, "Ange ett giltigt datum.")
    else:
        try:
            household_member_end(member, valid_to=form.cleaned_data["valid_to"])
        except ValueError:
            messages.error(request, "Slutdatumet kan inte ligga före startdatumet.")
        else:
            messages.success(request, "Medlemskapet är avslutat.")
    return redirect("person_detail", pk=person.pk)
