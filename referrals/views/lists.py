"""Lists: "Mina öppna remisser" with their clocks, and the unit's referrals by provider
and state (with the flagged long stays). Both list only referrals in cases the user may
see (``Case.objects.visible_to``) and write one access-log row per page."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from cases.access import record_access
from cases.permissions import role_required
from cases.roles import Role
from referrals import selectors
from referrals.models import Provider, Referral

PAGE_SIZE = 25


@role_required(Role.CASEWORKER)
def my_referrals(request):
    referrals = selectors.open_referrals_for(request.user)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("sida"))
    record_access(request, subject_type="referral_list", subject_id=len(page.object_list))
    return render(
        request,
        "referrals/my_referrals.html",
        {
            "page": page,
            "counts": selectors.open_counts(referrals.order_by()),
            "now": timezone.now(),
        },
    )


@role_required(Role.UNIT_MANAGER, Role.CASEWORKER)
def unit_referrals(request):
    """The unit's referrals as a table of providers × states (counts link to the list
    below), and the list filtered by provider, state or "flagged"."""
    unit = request.user.unit
    if unit is None:
        raise PermissionDenied
    now = timezone.now()
    referrals = selectors.unit_referrals(request.user, unit)
    provider_id = request.GET.get("insatsgivare", "")
    state = request.GET.get("status", "")
    flagged = request.GET.get("flaggade") == "1"
    listed = referrals
    if provider_id.isdigit():
        listed = listed.filter(provider_id=int(provider_id))
    if state in Referral.State.values:
        listed = listed.filter(state=state)
    if flagged:
        listed = selectors.long_stays(listed, now)
    listed = listed.select_related("provider", "service", "person", "case__caseworker").order_by(
        "-sent_on", "-pk"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("sida"))
    record_access(
        request,
        subject_type="referral_list",
        subject_id=len(page.object_list),
        subject_unit=unit,
    )
    provider = (
        Provider.objects.filter(pk=int(provider_id)).first() if provider_id.isdigit() else None
    )
    return render(
        request,
        "referrals/unit_referrals.html",
        {
            "unit": unit,
            "matrix": selectors.unit_matrix(referrals, now),
            "states": Referral.State.choices,
            "page": page,
            "provider": provider,
            "state": state,
            "state_label": Referral.State(state).label if state in Referral.State.values else "",
            "flagged": flagged,
            "filtered": bool(provider or state or flagged),
            "now": now,
        },
    )
