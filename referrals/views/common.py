"""The way into a case for every referrals view: the one gate, ``get_case_for_user``
(404 for missing and forbidden alike), and the case's unit for the access log."""

from django.http import Http404

from cases.access import SUBJECT_UNIT_ATTR
from cases.access_rules import can_change_case
from cases.models import Case, HouseholdMember, Person
from cases.permissions import get_case_for_user, get_person_for_user
from referrals.models import Referral


def case_for(request, case_pk, perm: str = "view_case") -> Case:
    case = get_case_for_user(request.user, case_pk, perm)
    setattr(request, SUBJECT_UNIT_ATTR, case.unit)
    return case


def referral_for(request, pk, perm: str = "view_case") -> Referral:
    """A referral, authorised through its case."""
    referral = (
        Referral.objects.select_related(
            "provider", "service", "person", "mapping", "created_by", "consent_recorded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    referral.case = case_for(request, referral.case_id, perm)
    return referral


def member_for(request, case: Case, person_pk) -> Person:
    """A person who is or was in the case's household – nobody else through this case,
    and a protected member only for a user with the grant (the person gate)."""
    membership = (
        HouseholdMember.objects.select_related("person")
        .filter(household_id=case.household_id, person_id=person_pk)
        .first()
    )
    if membership is None:
        raise Http404
    return get_person_for_user(request.user, membership.person_id)


def can_change(request, case: Case) -> bool:
    return not case.is_closed and can_change_case(request.user, case)
