"""Reads shared by the referrals views, panels and (later) the unit manager's dashboards.
Each returns a queryset with what its page needs joined in, so a list costs a fixed
number of queries however long it is (DESIGN.md "Targets").

Every list starts from ``Case.objects.visible_to(user)``: a referral is seen exactly when
its case is (DESIGN.md "Roles and access")."""

from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.utils import timezone

from cases.models import Case, HouseholdMember, User
from referrals.models import AgreedStep, Mapping, Referral, ThreePartyMeeting
from referrals.workflow import OPEN_STATES

State = Referral.State


def _with_clock(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotate ``clock`` – the instant each referral waits for – for ordering."""
    return referrals.annotate(
        clock=models.Case(
            When(state=State.SENT, then=F("response_due_at")),
            When(state=State.STARTED, then=F("follow_up_due_at")),
            default=None,
        )
    )


def visible_referrals(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(case__in=Case.objects.visible_to(user).values("pk"))


def referrals_for_case(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("provider", "service", "person").order_by(
        "-sent_on", "-pk"
    )


def open_referrals_for(user: User) -> QuerySet[Referral]:
    """ "Mina öppna remisser": referrals in the user's own cases still going somewhere,
    the most urgent clock first (referrals without a running clock last)."""
    return (
        _with_clock(visible_referrals(user).filter(case__caseworker=user, state__in=OPEN_STATES))
        .select_related("provider", "service", "person", "case")
        .order_by(F("clock").asc(nulls_last=True), "sent_on", "pk")
    )


def unit_referrals(user: User, unit) -> QuerySet[Referral]:
    return visible_referrals(user).filter(case__unit=unit)


def long_stays(referrals: QuerySet[Referral], now=None) -> QuerySet[Referral]:
    """Started stays whose follow-up is overdue – flagged (Burlöv 2013, sources/002)."""
    return referrals.filter(state=State.STARTED, follow_up_due_at__lt=now or timezone.now())


def referrals_without_follow_up(unit, now=None) -> QuerySet[Referral]:
    """For the unit manager's dashboards: the unit's flagged stays, with the caseworker."""
    return long_stays(Referral.objects.filter(case__unit=unit), now).select_related(
        "case__caseworker"
    )


def unit_matrix(referrals: QuerySet[Referral], now=None) -> list[dict]:
    """Counts by provider and state, plus the flagged long stays per provider – two
    queries whatever the number of referrals."""
    counts = referrals.values("provider_id", "provider__name", "state").annotate(n=Count("pk"))
    flagged = dict(long_stays(referrals, now).values_list("provider_id").annotate(n=Count("pk")))
    rows: dict[int, dict] = {}
    for row in counts.order_by("provider__name"):
        entry = rows.setdefault(
            row["provider_id"],
            {
                "provider_id": row["provider_id"],
                "provider": row["provider__name"],
                "states": dict.fromkeys(State.values, 0),
                "flagged": flagged.get(row["provider_id"], 0),
            },
        )
        entry["states"][row["state"]] = row["n"]
    for entry in rows.values():
        entry["cells"] = [(value, label, entry["states"][value]) for value, label in State.choices]
        entry["total"] = sum(entry["states"].values())
    return list(rows.values())


def adults_of(case: Case, day=None) -> list:
    """The household's members today who are not children (who a kartläggning or a
    referral is for)."""
    members = case.household.members_on(day or timezone.localdate()).exclude(
        role=HouseholdMember.Role.CHILD
    )
    return [member.person for member in members]


def latest_mappings(person_ids, unit_id: int) -> dict[int, Mapping]:
    """Each person's newest kartläggning made in the unit (another unit's stay there)."""
    newest = Mapping.objects.filter(
        person_id=OuterRef("person_id"), case__unit_id=unit_id
    ).order_by("-version")
    mappings = Mapping.objects.filter(
        person_id__in=list(person_ids),
        case__unit_id=unit_id,
        version=Subquery(newest.values("version")[:1]),
    ).select_related("created_by")
    return {mapping.person_id: mapping for mapping in mappings}


def three_party_meetings(case: Case) -> QuerySet[ThreePartyMeeting]:
    steps = AgreedStep.objects.select_related("service__provider", "referral").order_by("pk")
    return (
        case.three_party_meetings.select_related("provider", "referral__service")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-held_at", "-pk")
    )


def open_steps_to_refer(case: Case) -> QuerySet[AgreedStep]:
    """Agreed steps that should become referrals and have not yet."""
    return AgreedStep.objects.filter(
        meeting__case=case, becomes=AgreedStep.Becomes.REFERRAL, referral__isnull=True
    ).select_related("service__provider")


def open_counts(referrals: QuerySet[Referral], now=None) -> dict:
    """Open referrals per state and the flagged ones, in one query."""
    now = now or timezone.now()
    return referrals.aggregate(
        sent=Count("pk", filter=Q(state=State.SENT)),
        overdue_answers=Count("pk", filter=Q(state=State.SENT, response_due_at__lt=now)),
        accepted=Count("pk", filter=Q(state=State.ACCEPTED)),
        started=Count("pk", filter=Q(state=State.STARTED)),
        flagged=Count("pk", filter=Q(state=State.STARTED, follow_up_due_at__lt=now)),
    )
