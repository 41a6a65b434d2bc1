"""What referrals add to the core's pages (cases.extensions): the case page's section
"Remisser och kartläggning", the caseworker's "Mina öppna remisser" and the unit
manager's overview. The case arrives already authorised by the case page's gate."""

from django.utils import timezone

from cases.access_rules import can_change_case_on_page
from cases.extensions import Panel, case_has_rows, register_case_panel, register_start_panel
from cases.roles import Role
from cases.selectors import adults_today
from referrals import selectors

START_PANEL_ROWS = 8


def case_panel_rows() -> dict:
    """The panel's rows, asked with the other panels' (cases.extensions)."""
    from django.db.models import Exists, OuterRef

    from referrals.models import Mapping, Referral, ThreePartyMeeting

    return {
        "referrals": Exists(Referral.objects.filter(case=OuterRef("pk"))),
        "three_party_meetings": Exists(ThreePartyMeeting.objects.filter(case=OuterRef("pk"))),
        # A kartläggning made in the unit of someone ever in the household (a superset
        # of the adults the panel shows: then it reads which ones).
        "mappings": Exists(
            Mapping.objects.filter(
                case__unit_id=OuterRef("unit_id"),
                person__memberships__household_id=OuterRef("household_id"),
            )
        ),
    }


def case_panel_context(request, case) -> dict:
    adults = adults_today(case)  # shared with the case page (issue 20)
    mappings = (
        selectors.latest_mappings((person.pk for person in adults), case.unit_id)
        if adults and case_has_rows(case, "mappings")
        else {}
    )
    return {
        "case": case,
        "can_change": not case.is_closed and can_change_case_on_page(request.user, case),
        "referrals": list(selectors.referrals_for_case(case)[:50])
        if case_has_rows(case, "referrals")
        else [],
        "mappings": [(person, mappings.get(person.pk)) for person in adults],
        "meetings": list(selectors.three_party_meetings(case)[:5])
        if case_has_rows(case, "three_party_meetings")
        else [],
        "now": timezone.now(),
    }


def caseworker_panel_context(request) -> dict:
    referrals = selectors.open_referrals_for(request.user)
    return {
        "referrals": list(referrals[:START_PANEL_ROWS]),
        "counts": selectors.open_counts(referrals.order_by()),
        "now": timezone.now(),
    }


def unit_manager_panel_context(request) -> dict:
    unit = request.user.unit
    if unit is None:
        return {"counts": None}
    return {
        "counts": selectors.open_counts(selectors.unit_referrals(request.user, unit)),
        "unit": unit,
    }


def register() -> None:
    register_case_panel(
        Panel(
            name="referrals",
            template="referrals/_case_panel.html",
            context=case_panel_context,
            order=50,
            rows=case_panel_rows,
        )
    )
    register_start_panel(
        Role.CASEWORKER,
        Panel(
            name="referrals",
            template="referrals/_start_caseworker.html",
            context=caseworker_panel_context,
            order=50,
        ),
    )
    register_start_panel(
        Role.UNIT_MANAGER,
        Panel(
            name="referrals",
            template="referrals/_start_unit_manager.html",
            context=unit_manager_panel_context,
            order=50,
        ),
    )
