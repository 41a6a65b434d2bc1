"""The error every decision service raises: its message is Swedish and shown as is."""

from cases.services.casework import CaseError


class DecisionError(CaseError):
    pass
