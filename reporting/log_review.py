"""The access-log review for a unit and month (Lag 2001:454 10 §: systematic, recurring
checks): access by user, by person, and the patterns worth a closer look."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BigIntegerField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast

from cases.models import AccessLog, Case, Person, ProtectionLevel, Unit, User
from cases.workdays import next_month
from reporting.selectors import start_of

# A user who read more than this many cases of others in a month is shown for review.
MANY_OTHER_CASES = 20


@dataclass(frozen=True)
class LogReview:
    month: date
    total: int
    denied: int
    by_user: list[dict]
    by_person: list[dict]
    protected: list[dict]
    flagged: list[dict]


def log_review(unit: Unit, month: date) -> LogReview:
    rows = AccessLog.objects.filter(
        Q(subject_unit=unit) | Q(unit=unit),
        at__gte=start_of(month),
        at__lt=start_of(next_month(month)),
    )
    own_case = Case.objects.filter(
        pk=Cast(OuterRef("subject_id"), BigIntegerField()), caseworker_id=OuterRef("user_id")
    )
    by_user = list(
        rows.values("user_id", "username", "role")
        .annotate(
            total=Count("pk"),
            denied=Count("pk", filter=Q(outcome=AccessLog.Outcome.DENIED)),
            other_cases=Count(
                "subject_id",
                filter=Q(subject_type="case") & ~Q(Exists(own_case)),
                distinct=True,
            ),
        )
        .order_by("-total")
    )
    person_names = {}
    by_person = list(
        rows.filter(subject_type="person")
        .values("subject_id")
        .annotate(total=Count("pk"), users=Count("user_id", distinct=True))
        .order_by("-total")[:20]
    )
    protected_ids = [
        str(pk)
        for pk in Person.objects.exclude(protection_level=ProtectionLevel.NONE).values_list(
            "pk", flat=True
        )
    ]
    protected = list(
        rows.filter(subject_type="person", subject_id__in=protected_ids)
        .values("user_id", "username", "subject_id", "outcome")
        .annotate(total=Count("pk"))
        .order_by("username")
    )
    ids = {int(r["subject_id"]) for r in [*by_person, *protected] if r["subject_id"].isdigit()}
    # Names through Person.full_name: a protected person shows as "Skyddad identitet" to a
    # reviewer without the grant (the trace stays, the identity does not).
    persons = Person.objects.filter(pk__in=ids).only(
        "pk", "first_name", "last_name", "protection_level"
    )
    person_names = {person.pk: person.full_name for person in persons}
    for row in [*by_person, *protected]:
        pk = int(row["subject_id"]) if row["subject_id"].isdigit() else None
        row["person"] = person_names.get(pk) or f"Borttagen person (nr {pk})"
    # Staff by name (the reviewer knows colleagues by name, not by login); a deleted
    # account keeps the username the log row recorded.
    staff_names = {
        pk: f"{first} {last}".strip()
        for pk, first, last in User.objects.filter(
            pk__in={row["user_id"] for row in by_user} | {row["user_id"] for row in protected}
        ).values_list("pk", "first_name", "last_name")
    }
    for row in [*by_user, *protected]:
        row["name"] = staff_names.get(row["user_id"]) or row["username"]
    flagged = [row for row in by_user if row["other_cases"] > MANY_OTHER_CASES or row["denied"]]
    return LogReview(
        month=month,
        total=rows.count(),
        denied=rows.filter(outcome=AccessLog.Outcome.DENIED).count(),
        by_user=by_user,
        by_person=by_person,
        protected=protected,
        flagged=flagged,
    )
