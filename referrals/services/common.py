"""What the services share: the error type and the checks every write inside a case makes."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, HouseholdMember, Person
from cases.services.casework import CaseError


class ReferralError(CaseError):
    """The action is not possible now; the message is Swedish, for the user."""


class StaleReferral(ReferralError):
    def __init__(self):
        super().__init__(_("Remissen har ändrats av någon annan. Ladda om sidan och försök igen."))


def check_case_open(case: Case) -> None:
    # Read from the database: the caller's copy of the case may predate its closing.
    if Case.objects.filter(pk=case.pk, status=Case.Status.CLOSED).exists():
        raise ReferralError(_("Ärendet är avslutat."))


def check_member(case: Case, person: Person) -> None:
    """The person must be (or have been) in the case's household."""
    if not HouseholdMember.objects.filter(household_id=case.household_id, person=person).exists():
        raise ReferralError(_("Personen ingår inte i ärendets hushåll."))


def check_day(day: date, *, not_before: date | None = None, what: str) -> None:
    """A date that has happened: not in the future, not before ``not_before``."""
    if day > timezone.localdate():
        raise ReferralError(_("%(what)s kan inte ligga i framtiden.") % {"what": what})
    if not_before is not None and day < not_before:
        raise ReferralError(
            _("%(what)s kan inte ligga före %(day)s.") % {"what": what, "day": f"{not_before}"}
        )
