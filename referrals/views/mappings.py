"""Kartläggning inside a case: the person's versions, a new version (prefilled from the
latest; nothing typed is lost on errors or when someone else saved meanwhile), and an
activity for the work plan drafted from it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import logs_access
from referrals import workplan_link
from referrals.forms import ActivityForm, MappingForm
from referrals.services import ReferralError, StaleMapping, mapping_save, mapping_to_activity
from referrals.services.mappings import MAPPING_FIELDS, mapping_activity_text, unit_mappings
from referrals.views.common import can_change, case_for, member_for


def _versions(person, case):
    return list(
        unit_mappings(person, case.unit_id)
        .select_related("created_by", "case")
        .order_by("-version")
    )


@logs_access("mapping", id_kwarg="person_pk")
def mapping_detail(request, case_pk, person_pk):
    case = case_for(request, case_pk)
    person = member_for(request, case, person_pk)
    versions = _versions(person, case)
    wanted = request.GET.get("version", "")
    mapping = next((m for m in versions if str(m.version) == wanted), None) if wanted else None
    if wanted and mapping is None:
        raise Http404
    mapping = mapping or (versions[0] if versions else None)
    editable = can_change(request, case)
    activity_form = None
    if mapping is not None and editable and workplan_link.workplans_available():
        activity_form = ActivityForm(initial={"what": mapping_activity_text(mapping)})
    return render(
        request,
        "referrals/mapping_detail.html",
        {
            "case": case,
            "person": person,
            "mapping": mapping,
            "versions": versions,
            "is_latest": mapping is not None and mapping == versions[0],
            "can_change": editable,
            "activity_form": activity_form,
        },
    )


@logs_access("mapping", id_kwarg="person_pk")
@require_http_methods(["GET", "POST"])
def mapping_edit(request, case_pk, person_pk):
    case = case_for(request, case_pk, "change_case")
    person = member_for(request, case, person_pk)
    versions = _versions(person, case)
    latest = versions[0] if versions else None
    if request.method == "POST":
        form = MappingForm(request.POST)
    else:
        initial = {name: getattr(latest, name) for name in MAPPING_FIELDS} if latest else {}
        initial.update(
            made_on=timezone.localdate(), based_on_version=latest.version if latest else 0
        )
        form = MappingForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = mapping_save(
                actor=request.user,
                case=case,
                person=person,
                answers=form.answers(),
                based_on_version=form.cleaned_data["based_on_version"],
            )
        except ReferralError as error:
            form.add_error(None, str(error))
            if isinstance(error, StaleMapping):
                # Let the next save go on top of the version the user has now seen.
                data = request.POST.copy()
                data["based_on_version"] = error.latest
                form.data = data
        else:
            messages.success(request, f"Kartläggningen är sparad som version {mapping.version}.")
            return redirect("referrals:mapping_detail", case_pk=case.pk, person_pk=person.pk)
    return render(
        request,
        "referrals/mapping_form.html",
        {"case": case, "person": person, "form": form, "latest": latest},
    )


@logs_access("mapping", id_kwarg="person_pk")
@require_POST
def mapping_activity(request, case_pk, person_pk):
    case = case_for(request, case_pk, "change_case")
    person = member_for(request, case, person_pk)
    mapping = unit_mappings(person, case.unit_id).order_by("-version").first()
    form = ActivityForm(request.POST)
    if mapping is None or not form.is_valid():
        messages.error(request, "Skriv aktiviteten och vem som ansvarar för den.")
    else:
        try:
            mapping_to_activity(mapping, actor=request.user, case=case, **form.cleaned_data)
        except ReferralError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Aktiviteten är tillagd i arbetsplanen.")
    return redirect("referrals:mapping_detail", case_pk=case.pk, person_pk=person.pk)
