"""Reads shared by several views of the core app."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from cases.models import AccessLog, JournalNote, Unit, User
from cases.roles import Role


def unit_staff(unit: Unit) -> QuerySet[User]:
    """Active staff of a unit with their groups, in one query plus one prefetch."""
    from django.contrib.auth.models import Group

    return (
        User.objects.filter(unit=unit, is_active=True)
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("name")))
        .order_by("first_name", "last_name")
    )


def unit_access_log(unit: Unit) -> QuerySet[AccessLog]:
    return AccessLog.objects.for_unit(unit).select_related("unit", "subject_unit")


def contacts_for_reception(unit: Unit, today) -> QuerySet:
    """Reception's list: every contact still waiting for a callback (nobody is
    forgotten, whatever day it came in) and the ones answered today."""
    from django.db.models import Q

    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(unit=unit)
        .filter(Q(state=FirstContact.State.OPEN) | Q(received_at__date=today))
        .select_related("person", "assigned_to")
        .order_by("state", "callback_due_at", "pk")
    )


def open_callbacks_for(user: User) -> QuerySet:
    """A caseworker's callbacks, the most urgent first."""
    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(assigned_to=user, state=FirstContact.State.OPEN)
        .select_related("person")
        .order_by("callback_due_at", "pk")
    )


def unassigned_callbacks(unit: Unit, user: User | None = None) -> QuerySet:
    """The unit's open contacts nobody has taken. For a caseworker (``user``) without
    the grant, contacts of protected persons are left out: they are routed to granted
    staff or the unit manager only (DOMAIN.md §8)."""
    from django.db.models import Q

    from cases.access_rules import person_grants
    from cases.models import FirstContact, ProtectionLevel

    contacts = FirstContact.objects.filter(
        unit=unit, assigned_to__isnull=True, state=FirstContact.State.OPEN
    )
    if user is not None and not user.has_role(Role.UNIT_MANAGER):
        contacts = contacts.filter(
            Q(person__isnull=True)
            | Q(person__protection_level=ProtectionLevel.NONE)
            | Q(person_id__in=person_grants(user))
        )
    return contacts.select_related("person").order_by("callback_due_at", "pk")


def pending_transfers(unit: Unit) -> dict:
    """Transfers of persons the unit is asked to hand over, and the ones it asked for."""
    from cases.models import PersonTransfer

    pending = PersonTransfer.objects.filter(state=PersonTransfer.State.REQUESTED).select_related(
        "person", "from_unit", "to_unit", "requested_by"
    )
    return {
        "to_hand_over": list(pending.filter(from_unit=unit)[:50]),
        "asked_for": list(pending.filter(to_unit=unit)[:50]),
    }


def overdue_callbacks(unit: Unit, now) -> QuerySet:
    from cases.models import FirstContact

    return (
        FirstContact.objects.filter(
            unit=unit, state=FirstContact.State.OPEN, callback_due_at__lt=now
        )
        .select_related("person", "assigned_to")
        .order_by("callback_due_at", "pk")
    )


def open_deadlines_for(user: User) -> QuerySet:
    from cases.models import Deadline

    return Deadline.objects.filter(responsible=user, state=Deadline.State.OPEN).order_by(
        "due_at", "pk"
    )


def inbox(user: User) -> QuerySet:
    from cases.models import Notification

    return (
        Notification.objects.filter(recipient=user)
        .select_related("deadline")
        .order_by("-created_at", "-pk")
    )


def case_list(user: User, *, mine: bool = True, q: str = "", status: str = "", sort: str = ""):
    """Cases ``user`` may see, with the current applicant and the latest application
    annotated so the list needs one query per page whatever its length."""
    from django.db.models import OuterRef, Q, Subquery

    from cases.models import Application, Case, HouseholdMember, Person

    applicant = HouseholdMember.objects.filter(
        household_id=OuterRef("household_id"),
        role=HouseholdMember.Role.APPLICANT,
        valid_to__isnull=True,
    ).order_by("-valid_from")
    latest = Application.objects.filter(case_id=OuterRef("pk")).order_by("-month")
    # Narrow to the user's own cases before the permission filter, which then only
    # looks at those (cases.access_rules.visible_cases_filter).
    narrowed = Case.objects.filter(caseworker=user) if mine else Case.objects.all()
    cases = (
        narrowed.visible_to(user)
        .select_related("caseworker", "unit")
        .annotate(
            applicant_first=Subquery(applicant.values("person__first_name")[:1]),
            applicant_last=Subquery(applicant.values("person__last_name")[:1]),
            applicant_pnr=Subquery(applicant.values("person__personnummer")[:1]),
            applicant_id=Subquery(applicant.values("person_id")[:1]),
            applicant_protection=Subquery(applicant.values("person__protection_level")[:1]),
            latest_month=Subquery(latest.values("month")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
        )
    )
    if status:
        cases = cases.filter(status=status)
    if q:
        # Matched only among persons whose existence the user may know: a protected
        # child's name must not reveal which of the user's cases holds them.
        matching = Person.objects.known_to_lookup(user).search(q).values("pk")
        cases = cases.filter(
            Q(household__memberships__person__in=matching)
            | Q(pk=int(q) if q.isdigit() and len(q) < 10 else None)
        ).distinct()
    order = {
        "namn": ("applicant_last", "applicant_first"),
        "oppnat": ("opened_on", "pk"),
        "-oppnat": ("-opened_on", "-pk"),
        "status": ("status", "-opened_on"),
    }.get(sort, ("-opened_on", "-pk"))
    return cases.order_by(*order)


def members_today(case) -> list:
    """The household's members today (with their persons), read once per case instance:
    the case page and the panels plugged into it (referrals, work plans) share the list
    instead of each asking the database again. For rendering only – services read the
    household themselves, since a write in the same request would make the memo stale."""
    day = timezone.localdate()
    memo = case.__dict__.setdefault("_members_on", {})
    if day not in memo:
        memo[day] = list(case.household.members_on(day))
    return memo[day]


def adults_today(case) -> list:
    """The persons of ``members_today`` who are not children (for the case page's panels;
    a service validating a write reads the household itself)."""
    from cases.models import HouseholdMember

    return [m.person for m in members_today(case) if m.role != HouseholdMember.Role.CHILD]


def open_deadlines_of_case(case) -> QuerySet:
    """The case's open deadlines and those of its supplement requests, as a UNION ALL of
    two lookups on the (subject_type, subject_id) index. With an OR of the two subjects
    PostgreSQL read every open supplement deadline of the database (issue 20: linear in
    the database, not in the case); the two branches are disjoint (different subject
    types), so UNION ALL needs no de-duplication."""
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Deadline, SupplementRequest

    supplements = SupplementRequest.objects.filter(application__case=case).values("pk")
    open_ = Deadline.objects.filter(state=Deadline.State.OPEN)
    own = open_.filter(subject_type=ContentType.objects.get_for_model(case), subject_id=case.pk)
    of_supplements = open_.filter(
        subject_type=ContentType.objects.get_for_model(SupplementRequest),
        subject_id__in=supplements,
    )
    return own.union(of_supplements, all=True).order_by("due_at", "pk")


def case_page(case) -> dict:
    """What the case page shows, each part in a fixed number of queries."""
    return {
        "members": members_today(case),
        # The list shows month, dates, status and amount – not the applicants.
        "applications": list(case.applications.all()[:12]),
        "deadlines": list(open_deadlines_of_case(case)),
        "journal": list(
            # Whether a note was corrected, in the notes' own query (not a prefetch).
            case.journal.select_related("author", "corrects").annotate(
                is_corrected=Exists(JournalNote.objects.filter(corrects=OuterRef("pk")))
            )[:50]
        ),
        "meetings": list(case.meetings.select_related("staff").order_by("-planned_at")[:20]),
        "events": list(case.events.select_related("actor").order_by("-at")[:10]),
    }


def person_known_elsewhere(user: User, personnummer: str):
    """For a number typed by ``user`` that is not among the persons they see: the other
    unit an (unprotected) person with it belongs to – what reception's lookup would
    answer too – or None. A protected identity is never "known elsewhere"."""
    from cases.models import Person
    from cases.services.people import person_unit_elsewhere

    person = (
        Person.objects.known_to_lookup(user)
        .filter(personnummer=personnummer)
        .select_related("unit")
        .first()
    )
    if person is None:
        return None
    return person_unit_elsewhere(person, user.unit)
