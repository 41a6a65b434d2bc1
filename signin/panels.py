"""The unit manager's *Utan handläggare*: open cases and callbacks of the unit that no
caseworker has – e.g. after someone's directory groups stopped giving them the role
(signin.services.directory_roles_apply). Through the gates: visible_to the manager."""

from cases.models import Case, FirstContact

PANEL_ROWS = 20


def unassigned_work(request) -> dict:
    unit = request.user.unit
    if unit is None:
        return {"unassigned_cases": [], "unassigned_contacts": []}
    cases = (
        Case.objects.visible_to(request.user)
        .filter(unit=unit, caseworker__isnull=True)
        .exclude(status=Case.Status.CLOSED)
        .order_by("opened_on", "pk")[:PANEL_ROWS]
    )
    contacts = FirstContact.objects.filter(
        unit=unit, assigned_to__isnull=True, state=FirstContact.State.OPEN
    ).order_by("callback_due_at", "pk")[:PANEL_ROWS]
    return {"unassigned_cases": list(cases), "unassigned_contacts": list(contacts)}
