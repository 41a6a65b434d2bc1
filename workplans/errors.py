"""Errors of the workplans services; messages are Swedish, for the user."""

from django.utils.translation import gettext as _

from cases.services.casework import CaseError


class WorkPlanError(CaseError):
    """The action on a plan is not possible now (a CaseError, so callers that handle
    the core's errors handle these too)."""


class StalePlan(WorkPlanError):
    def __init__(self):
        super().__init__(
            _(
                "Planen har ändrats av någon annan sedan du öppnade den, så din ändring är "
                "inte sparad. Det du skrev finns kvar i formuläret: kopiera det du vill "
                "behålla, ladda om sidan och för in det igen."
            )
        )
