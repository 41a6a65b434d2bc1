"""Persons and households for caseworkers and unit managers, and transfers of a person
between units. Every view goes through the person gate (``get_person_for_user``), every
read is logged with the person's unit; what is shown about a person is filtered by what
the viewer may see (DESIGN.md "Roles and access")."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import SUBJECT_UNIT_ATTR, logs_access, record_access
from cases.access_rules import can_change_household, can_change_person, listed_person_ids
from cases.forms import (
    EndMembershipForm,
    HouseholdMemberForm,
    PersonAccessForm,
    PersonForm,
    TransferDecisionForm,
    TransferRequestForm,
)
from cases.models import Case, Household, HouseholdMember, Person, PersonTransfer
from cases.permissions import PERSON_ROLES, get_person_for_user, role_required
from cases.roles import Role
from cases.selectors import person_known_elsewhere
from cases.services.people import (
    PersonError,
    StaleHousehold,
    household_create,
    household_member_add,
    household_member_end,
    known_elsewhere_message,
    person_access_grant,
    person_access_holders,
    person_access_revoke,
    person_save,
    person_transfer_decide,
    person_transfer_request,
    person_unit_elsewhere,
)


def _person(request, pk, perm="view_person") -> Person:
    person = get_person_for_user(request.user, pk, perm)
    setattr(request, SUBJECT_UNIT_ATTR, person.unit)
    return person


# A search shows at most this many persons (four pages): a name shared by thousands in
# the municipality is narrowed by typing more, and neither the page nor its count has to
# check every one of them against the gate (issue 20: 815 ms at 200 000 households).
SEARCH_MAX_RESULTS = 100


@role_required(*PERSON_ROLES)
def person_search(request):
    text = request.GET.get("q", "").strip()
    results = (
        Person.objects.visible_to(request.user).search(text) if text else Person.objects.none()
    )
    # One more than shown tells whether there are more.
    capped = list(results[: SEARCH_MAX_RESULTS + 1])
    more = len(capped) > SEARCH_MAX_RESULTS
    page = Paginator(capped[:SEARCH_MAX_RESULTS], 25).get_page(request.GET.get("sida"))
    if text:
        record_access(
            request,
            subject_type="person_search",
            subject_id=len(page.object_list),
            subject_unit=request.user.unit,
            listed_persons=listed_person_ids(page.object_list),
        )
    return render(
        request,
        "cases/person_search.html",
        {"q": text, "page": page, "more": more, "max_results": SEARCH_MAX_RESULTS},
    )


@role_required(*PERSON_ROLES)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None)
    transfer_form = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data.get("personnummer")
        existing = Person.objects.filter(personnummer=number).first() if number else None
        if existing is None:
            person = person_save(form.save(commit=False), actor=request.user)
            messages.success(request, "Personen är sparad.")
            return redirect("person_detail", pk=person.pk)
        if Person.objects.visible_to(request.user).filter(pk=existing.pk).exists():
            form.add_error("personnummer", "Personen finns redan bland dina personer.")
        elif (unit := person_known_elsewhere(request.user, number)) is not None:
            form.add_error("personnummer", known_elsewhere_message(unit))
            transfer_form = TransferRequestForm(initial={"personnummer": number})
        else:
            # A protected identity the user holds no grant for: the same answer as for a
            # new number (a redirect and a receipt), nothing saved, nothing confirmed.
            # The attempt is in the access log for the person's unit.
            record_access(
                request,
                subject_type="person",
                subject_id=existing.pk,
                subject_unit_id=existing.unit_id,
                allowed=False,
            )
            messages.success(request, "Uppgifterna är mottagna.")
            return redirect("person_search")
    return render(
        request,
        "cases/person_form.html",
        {"form": form, "person": None, "transfer_form": transfer_form},
    )


def _on_date(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return timezone.localdate()


@logs_access("person")
def person_detail(request, pk):
    person = _person(request, pk)
    user = request.user
    day = _on_date(request)
    household_ids = person.memberships.values_list("household_id", flat=True).distinct()
    # Only the households of the viewer's unit or of a case they may see: what the
    # person's household was in another unit is that unit's (never shared).
    shown = Household.objects.filter(pk__in=household_ids).filter(
        Q(unit_id=user.unit_id) | Q(cases__in=Case.objects.visible_to(user))
    )
    households = []
    for household in shown.distinct().select_related("unit"):
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
                "can_change": can_change_household(user, household),
            }
        )
    contacts = person.first_contacts.filter(Q(unit_id=user.unit_id) | Q(assigned_to=user))
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "day": day,
            "households": households,
            "member_form": HouseholdMemberForm(initial={"valid_from": day}),
            "contacts": contacts.select_related("unit", "assigned_to")[:10],
            "can_change": can_change_person(user, person),
            "access_holders": person_access_holders(person) if person.is_protected else [],
            "access_form": PersonAccessForm(unit=request.user.unit)
            if person.is_protected and request.user.has_role(Role.UNIT_MANAGER)
            else None,
        },
    )


@logs_access("person")
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = _person(request, pk, "change_person")
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data.get("personnummer")
        if number and Person.objects.filter(personnummer=number).exclude(pk=person.pk).exists():
            form.add_error("personnummer", "Personnumret kan inte användas för den här personen.")
        else:
            try:
                person_save(
                    form.save(commit=False),
                    actor=request.user,
                    version=form.cleaned_data.get("version"),
                )
            except PersonError as error:
                form.add_error(None, str(error))
                # Saving again after comparing goes through: the version shown now is
                # the current one (what was typed stays).
                form.data = form.data.copy()
                form.data["version"] = str(
                    Person.objects.filter(pk=person.pk).values_list("version", flat=True).first()
                )
            else:
                messages.success(request, "Ändringarna är sparade.")
                return redirect("person_detail", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form, "person": person})


@logs_access("person")
@require_POST
def household_new(request, pk):
    person = _person(request, pk, "change_person")
    elsewhere = person_unit_elsewhere(person, request.user.unit)
    if request.user.unit is None:
        messages.error(request, "Du behöver tillhöra en enhet för att skapa ett hushåll.")
    elif elsewhere is not None:
        messages.error(request, known_elsewhere_message(elsewhere))
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
    person = _person(request, pk)
    household = (
        Household.objects.filter(pk=household_pk, memberships__person=person).distinct().first()
    )
    if household is None or not can_change_household(request.user, household):
        raise Http404
    form = HouseholdMemberForm(request.POST)
    if not form.is_valid():
        return _member_form_again(request, person, household, form)
    try:
        # One transaction: a refused (stale) add leaves no new person behind either.
        with transaction.atomic():
            return _household_add_member(request, person, household, form)
    except StaleHousehold as error:
        form.add_error(None, str(error))
        return _member_form_again(request, person, household, form, current_version=True)


def _household_add_member(request, person, household, form):
    data = form.cleaned_data
    member = None
    if data["personnummer"]:
        member = (
            Person.objects.visible_to(request.user)
            .filter(personnummer=data["personnummer"])
            .first()
        )
        elsewhere = (
            person_unit_elsewhere(member, household.unit)
            if member is not None
            else person_known_elsewhere(request.user, data["personnummer"])
        )
        if elsewhere is not None:
            # Households are never shared across units: the person is transferred first.
            form.add_error("personnummer", known_elsewhere_message(elsewhere))
            return _member_form_again(request, person, household, form)
        if member is None and Person.objects.filter(personnummer=data["personnummer"]).exists():
            # A protected identity without the grant: answered as a new number until a
            # name is given, and then never linked from here (nor confirmed).
            if not data["first_name"]:
                form.add_error("first_name", "Personnumret är nytt för Vägen – ange namn.")
            else:
                form.add_error(
                    "personnummer",
                    "Personen kan inte läggas till härifrån. Kontakta enhetschefen.",
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
                unit=household.unit,
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
            version=data.get("version"),
        )
    except ValueError:
        form.add_error(None, "Personen ingår redan i hushållet det datumet.")
        return _member_form_again(request, person, household, form)
    messages.success(
        request, f"{member.full_name} ingår i hushållet från {data['valid_from']:%Y-%m-%d}."
    )
    return redirect("person_detail", pk=person.pk)


def _member_form_again(request, person, household, form, *, current_version=False):
    """The add-member form with its errors and everything the user typed; after a
    refused stale save it carries the household's version now, so saving again (after
    looking at the household) goes through."""
    if current_version:
        household.refresh_from_db(fields=["version"])
        form.data = form.data.copy()
        form.data["version"] = str(household.version)
    return render(
        request,
        "cases/household_member_form.html",
        {"person": person, "household": household, "form": form},
    )


@logs_access("person")
@require_POST
def person_access(request, pk):
    """Unit managers grant or revoke explicit access to a protected person."""
    person = _person(request, pk)
    manages = request.user.has_role(Role.UNIT_MANAGER) and person.unit_id in (
        None,
        request.user.unit_id,
    )
    if not (person.is_protected and manages):
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
    person = _person(request, pk)
    member = (
        HouseholdMember.objects.filter(pk=member_pk, household__memberships__person=person)
        .select_related("household")
        .distinct()
        .first()
    )
    if member is None or not can_change_household(request.user, member.household):
        raise Http404
    form = EndMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ange ett giltigt datum.")
        return redirect("person_detail", pk=person.pk)
    try:
        household_member_end(
            member,
            valid_to=form.cleaned_data["valid_to"],
            version=form.cleaned_data.get("version"),
        )
    except ValueError:
        messages.error(request, "Slutdatumet kan inte ligga före startdatumet.")
    except StaleHousehold as error:
        # Shown again with the date typed, beside the household as it is now.
        form.add_error(None, str(error))
        member.household.refresh_from_db(fields=["version"])
        form.data = form.data.copy()
        form.data["version"] = str(member.household.version)
        member.refresh_from_db()
        return render(
            request,
            "cases/household_end_member_form.html",
            {
                "person": person,
                "member": member,
                "household": member.household,
                "members": member.household.members_on(timezone.localdate()),
                "form": form,
            },
        )
    except PersonError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Medlemskapet är avslutat.")
    return redirect("person_detail", pk=person.pk)


@role_required(*PERSON_ROLES)
@require_POST
def person_transfer_new(request):
    """Ask the unit a person belongs to to hand them over to the user's unit."""
    form = TransferRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/transfer_request.html", {"transfer_form": form}, status=200)
    person = (
        Person.objects.known_to_lookup(request.user)
        .filter(personnummer=form.cleaned_data["personnummer"])
        .first()
    )
    if person is None:
        raise Http404
    try:
        transfer = person_transfer_request(
            person, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except PersonError as error:
        form.add_error(None, str(error))
        return render(request, "cases/transfer_request.html", {"transfer_form": form})
    record_access(
        request,
        subject_type="person_transfer",
        subject_id=transfer.pk,
        subject_unit=transfer.from_unit,
    )
    messages.success(
        request,
        f"Begäran om överflyttning är skickad till enhet {transfer.from_unit.name}. "
        "Du ser personen här när enhetschefen där har lämnat över.",
    )
    return redirect("home")


@role_required(Role.UNIT_MANAGER)
@require_POST
def person_transfer_decide_view(request, transfer_pk):
    """The person's unit manager hands the person over, or refuses."""
    transfer = get_object_or_404(
        PersonTransfer.objects.select_related("person", "from_unit", "to_unit"),
        pk=transfer_pk,
        from_unit_id=request.user.unit_id,
    )
    form = TransferDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    action = request.POST.get("action")
    if action not in ("approve", "refuse"):
        # Neither button (a stale or hand-made post): nothing is decided by default.
        messages.error(request, "Välj Lämna över eller Avslå.")
        return redirect("unit_manager_start")
    approve = action == "approve"
    try:
        person_transfer_decide(transfer, actor=request.user, approve=approve, note=note)
    except PersonError as error:
        messages.error(request, str(error))
    else:
        record_access(
            request,
            subject_type="person_transfer",
            subject_id=transfer.pk,
            subject_unit=transfer.from_unit,
        )
        messages.success(
            request,
            f"Personen är överlämnad till enhet {transfer.to_unit.name}."
            if approve
            else "Begäran om överflyttning är avslagen.",
        )
    return redirect("unit_manager_start")
