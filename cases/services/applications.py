"""Applications: registering, the lines they are calculated from, the stored
calculation, status, and requests for supplements (with their deadline).

The calculation's input comes from the application and, for SoL 12 kap. 8–9 §§, from
each person's history in the municipality (``cases.assistance_history``): jobbstimulans
per person, the part of a child's yearly prisbasbelopp already used, and the schooling
of 18–20-year-olds recorded on the application (``application_set_schooling``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.assistance_history import child_income_left_out_this_year, jobbstimulans_for
from cases.calculation import (
    ADULT_AGE,
    EARNED_INCOME,
    SCHOOL_YOUTH_MAX_AGE,
    Calculation,
    CalculationError,
    CostInput,
    IncomeInput,
    MemberInput,
    calculate,
)
from cases.deadlines import DeadlineKind, meet_deadlines, open_deadline, register_kind
from cases.figures import figures_changed
from cases.idempotency import create_once
from cases.jobbstimulans import JobbstimulansStatus
from cases.models import (
    Application,
    ApplicationCost,
    ApplicationIncome,
    ApplicationItem,
    ApplicationObstacle,
    ApplicationSchooling,
    Case,
    HouseholdMember,
    NormYear,
    Person,
    SupplementRequest,
    SupportObstacle,
    User,
)
from cases.services.casework import CaseError
from cases.workdays import end_of_day, first_of_month, last_of_month

SUPPLEMENT = "supplement"

APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    Application.Status.RECEIVED: {Application.Status.INVESTIGATING},
    Application.Status.INVESTIGATING: {Application.Status.READY},
    Application.Status.READY: {Application.Status.INVESTIGATING},
    Application.Status.DECIDED: set(),  # decisions (a later capability) set DECIDED
}


def _supplement_url(deadline) -> str:
    # A redirect view finds the application, so lists of deadlines need no lookups.
    return reverse("supplement_open", args=[deadline.subject_id])


register_kind(
    DeadlineKind(
        code=SUPPLEMENT,
        label="Komplettering av ansökan",
        remind_before=timedelta(days=1),
        url=_supplement_url,
    )
)


NEXT_APPLICATION = "next_application"


def _case_url(deadline) -> str:
    return reverse("case_detail", args=[deadline.subject_id])


# The household's next application is due before its next payment period starts
# (brutna utbetalningsperioder, Norrköping 2015 §7.4): opened when a month's decision
# becomes final, met when the next month's application is registered.
register_kind(
    DeadlineKind(
        code=NEXT_APPLICATION,
        label="Nästa ansökan ska vara inne före perioden",
        remind_before=timedelta(days=5),
        url=_case_url,
    )
)


def next_application_deadline_open(case: Case, *, month: date) -> None:
    """After the decision for ``month``: the application for the month after is due by
    the end of the day before that period starts (one open deadline per case)."""
    from cases.deadlines import cancel_deadlines
    from cases.payment_periods import period_for

    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if case.applications.filter(month=following).exists():
        return  # already in (prepared ahead)
    cancel_deadlines(case, kind=NEXT_APPLICATION)
    period = period_for(following, start_day=case.household.period_start_day or 1)
    open_deadline(
        kind=NEXT_APPLICATION,
        subject=case,
        due_at=end_of_day(period.start - timedelta(days=1)),
        unit=case.unit,
        responsible=case.caseworker,
    )


@dataclass(frozen=True)
class CostLine:
    kind: str
    actual: Decimal
    accepted: Decimal
    note: str = ""


@dataclass(frozen=True)
class IncomeLine:
    kind: str
    amount: Decimal
    person_id: int | None = None
    note: str = ""


@transaction.atomic
def application_register(
    case: Case,
    *,
    actor: User,
    month: date,
    channel: str,
    applicant: Person,
    co_applicant: Person | None = None,
    received_on: date | None = None,
    items: Sequence[tuple[str, Decimal | None, str]] = (),
    continue_from_previous: bool = False,
) -> Application:
    """Register an application for ``month``. With ``continue_from_previous`` it is a
    fortsättningsansökan: last month's cost and income lines are copied in, marked *från
    förra månaden* (cases.services.continued_application)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise CaseError(_("Öppna ärendet igen innan en ny ansökan registreras."))
    month = first_of_month(month)
    if case.applications.filter(month=month).exists():
        raise CaseError(
            _("Det finns redan en ansökan för %(month)s.") % {"month": f"{month:%Y-%m}"}
        )
    members = household_in_month(case, month)
    member_ids = {m.person_id for m in members}
    for person in filter(None, (applicant, co_applicant)):
        if person.pk not in member_ids:
            raise CaseError(
                _("%(name)s ingår inte i hushållet %(month)s.")
                % {"name": person.full_name, "month": f"{month:%Y-%m}"}
            )
    if co_applicant is not None and co_applicant.pk == applicant.pk:
        raise CaseError(_("Sökande och medsökande måste vara olika personer."))
    application = Application.objects.create(
        case=case,
        month=month,
        channel=channel,
        applicant=applicant,
        co_applicant=co_applicant,
        received_on=received_on or timezone.localdate(),
        created_by=actor,
    )
    ApplicationItem.objects.bulk_create(
        ApplicationItem(application=application, kind=kind, amount=amount, description=text)
        for kind, amount, text in (items or [(ApplicationItem.Kind.LIVELIHOOD, None, "")])
    )
    _carry_over_obstacles(application, members, actor=actor)
    _carry_over_schooling(application, actor=actor)
    meet_deadlines(case, kind=NEXT_APPLICATION)
    if continue_from_previous:
        from cases.services.continued_application import carry_over_lines, prefill_from_previous

        carry_over_lines(application, prefill_from_previous(case, month))
    if case.status == Case.Status.OPEN:
        from cases.services.casework import case_set_status

        case_set_status(case, Case.Status.ACTIVE, actor=actor)
    return application


def _carry_over_obstacles(
    application: Application, members: list[HouseholdMember], *, actor: User
) -> None:
    """A new month starts with each adult's försörjningshinder from the case's latest
    earlier application, for the caseworker to confirm or change."""
    previous = (
        application.case.applications.filter(month__lt=application.month).order_by("-month").first()
    )
    if previous is None:
        return
    adults = {m.person_id for m in members if m.role != HouseholdMember.Role.CHILD}
    ApplicationObstacle.objects.bulk_create(
        ApplicationObstacle(
            application=application,
            person_id=row.person_id,
            obstacle_id=row.obstacle_id,
            recorded_by=actor,
        )
        for row in previous.obstacles.filter(person_id__in=adults, obstacle__is_active=True)
    )


def _carry_over_schooling(application: Application, *, actor: User) -> None:
    """A new month starts with each young person's schooling from the case's latest
    earlier application (as the försörjningshinder), for those still 18–20."""
    previous = (
        application.case.applications.filter(month__lt=application.month).order_by("-month").first()
    )
    if previous is None:
        return
    youths = {m.person_id for m in application_youths(application)}
    ApplicationSchooling.objects.bulk_create(
        ApplicationSchooling(
            application=application,
            person_id=row.person_id,
            in_school=row.in_school,
            recorded_by=actor,
        )
        for row in previous.schooling.filter(person_id__in=youths)
    )


def application_youths(application: Application) -> list[HouseholdMember]:
    """The young people whose schooling decides SoL 12:9 this month: children of the
    household aged 18–20 (the age the norm uses, on the first day of the month)."""
    return [
        m
        for m in household_in_month(application.case, application.month)
        if m.role == HouseholdMember.Role.CHILD
        and (age := m.person.age_on(application.month)) is not None
        and ADULT_AGE <= age <= SCHOOL_YOUTH_MAX_AGE
    ]


@transaction.atomic
def application_set_schooling(
    application: Application, *, actor: User, schooling: dict[int, bool | None]
) -> Application:
    """Record for each 18–20-year-old whether they go to grundskola, gymnasieskola or
    comparable basic education this month (person id → True/False; None clears it) –
    SoL 12 kap. 9 §. A decided application keeps what its calculation was made on."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Application.Status.DECIDED:
        raise CaseError(
            _("Ansökan är beslutad – skolgången som beräkningen bygger på ändras inte.")
        )
    youths = {m.person_id for m in application_youths(application)}
    if set(schooling) - youths:
        raise CaseError(_("Skolgång anges bara för barn i hushållet som är 18–20 år den månaden."))
    current = {row.person_id: row for row in application.schooling.all()}
    for person_id, in_school in schooling.items():
        row = current.get(person_id)
        if in_school is None:
            if row is not None:
                row.delete()
        elif row is None:
            ApplicationSchooling.objects.create(
                application=application, person_id=person_id, in_school=in_school, recorded_by=actor
            )
        elif row.in_school != in_school:
            row.in_school, row.recorded_by, row.recorded_at = in_school, actor, timezone.now()
            row.save(update_fields=["in_school", "recorded_by", "recorded_at"])
    return application


def application_jobbstimulans(application: Application) -> list[tuple[Person, JobbstimulansStatus]]:
    """Each member whose income from employment counts as an adult's this month, with
    their SoL 12:8 status derived from their own history in the municipality – the
    derived result only, never other cases' details."""
    members = household_in_month(application.case, application.month)
    in_school = dict(application.schooling.values_list("person_id", "in_school"))
    adults = [
        m.person
        for m in members
        if not _income_left_out_under_12_9(m, application.month, in_school.get(m.person_id))
    ]
    statuses = jobbstimulans_for([p.pk for p in adults], application.month)
    return [(person, statuses[person.pk]) for person in adults]


def _income_left_out_under_12_9(member: HouseholdMember, month: date, in_school) -> bool:
    """A child under 18, or 18–20 and in school (or not yet recorded)."""
    if member.role != HouseholdMember.Role.CHILD:
        return False
    age = member.person.age_on(month)
    if age is None or age > SCHOOL_YOUTH_MAX_AGE:
        return False
    return age < ADULT_AGE or in_school is not False


def application_adults(application: Application) -> list[HouseholdMember]:
    """The adults the application reports försörjningshinder for: everyone in the
    household that month who is not a child."""
    return [
        m
        for m in household_in_month(application.case, application.month)
        if m.role != HouseholdMember.Role.CHILD
    ]


@transaction.atomic
def application_set_obstacles(
    application: Application, *, actor: User, obstacles: dict[int, SupportObstacle | None]
) -> Application:
    """Record each adult's försörjningshinder (person id → obstacle; None clears it).
    The statistics to Socialstyrelsen count them per adult (DOMAIN.md §9)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    adults = {m.person_id for m in application_adults(application)}
    strangers = set(obstacles) - adults
    if strangers:
        raise CaseError(_("Försörjningshinder kan bara anges för vuxna i hushållet den månaden."))
    current = {row.person_id: row for row in application.obstacles.all()}
    for person_id, obstacle in obstacles.items():
        row = current.get(person_id)
        if obstacle is None:
            continue
        changed = row is None or row.obstacle_id != obstacle.pk
        if changed and not obstacle.is_active:
            # One already recorded may stay until it is changed; it is not chosen anew.
            raise CaseError(
                _("%(label)s används inte längre – välj ett annat försörjningshinder.")
                % {"label": obstacle.label}
            )
    for person_id, obstacle in obstacles.items():
        row = current.get(person_id)
        if obstacle is None:
            if row is not None:
                row.delete()
        elif row is None:
            ApplicationObstacle.objects.create(
                application=application, person_id=person_id, obstacle=obstacle, recorded_by=actor
            )
        elif row.obstacle_id != obstacle.pk:
            row.obstacle, row.recorded_by, row.recorded_at = obstacle, actor, timezone.now()
            row.save(update_fields=["obstacle", "recorded_by", "recorded_at"])
    # Counted per adult in the statistics of the application's month (HSLF-FS 2015:30).
    figures_changed(unit_id=application.case.unit_id, months=[application.month])
    return application


def household_in_month(case: Case, month: date) -> list[HouseholdMember]:
    """The household in the month applied for: everyone who belongs to it at some time
    during the month (one row per person, the latest membership)."""
    members = {}
    for member in case.household.members_during(month, last_of_month(month)).order_by("valid_from"):
        members[member.person_id] = member
    return list(members.values())


def build_inputs(
    application: Application,
    *,
    costs: list[CostLine],
    incomes: list[IncomeLine],
    lunch_away_ids: set[int],
) -> dict:
    """The calculation's input for the household on the application's month, with each
    earning person's SoL 12:8 status and each working child's 12:9 limit already used
    this calendar year, both from their history in any case.

    A salary without a person is the applicant's (the form's *Vems* left empty)."""
    month = application.month
    roles = {}
    in_school = dict(application.schooling.values_list("person_id", "in_school"))
    for member in household_in_month(application.case, month):
        person = member.person
        if person.pk == application.applicant_id:
            role = "applicant"
        elif person.pk == application.co_applicant_id:
            role = "co_applicant"
        elif member.role == HouseholdMember.Role.CHILD:
            role = "child"
        else:
            role = "other_adult"
        age = person.age_on(month)
        if age is None:
            raise CalculationError(
                _("Födelsedatum saknas för %(name)s.") % {"name": person.full_name}
            )
        roles[person.pk] = MemberInput(
            label=person.full_name,
            age=age,
            role=role,
            lunch_away=person.pk in lunch_away_ids,
            person_id=person.pk,
            in_school=in_school.get(person.pk),
        )
    earners = {
        i.person_id if i.person_id is not None else application.applicant_id
        for i in incomes
        if i.kind in EARNED_INCOME
    } & set(roles)
    # 12:9 may cover a child-role earner of 20 or under; 12:8 covers the others (an
    # 18–20-year-old not in school included) and never the 12:9 income.
    children = {
        pk for pk in earners if roles[pk].role == "child" and roles[pk].age <= SCHOOL_YOUTH_MAX_AGE
    }
    adults = {
        pk
        for pk in earners
        if pk not in children or (roles[pk].age >= ADULT_AGE and roles[pk].in_school is False)
    }
    return {
        "year": month.year,
        "month": month.month,
        "members": list(roles.values()),
        "costs": [CostInput(c.kind, c.actual, c.accepted, c.note) for c in costs],
        "incomes": [
            IncomeInput(
                kind=i.kind,
                amount=i.amount,
                person_id=person_id,
                label=roles[person_id].label if person_id in roles else "",
                note=i.note,
            )
            for i in incomes
            for person_id in [
                i.person_id
                if i.person_id is not None or i.kind not in EARNED_INCOME
                else application.applicant_id
            ]
        ],
        "household_size": application.household_size,
        "adjustment": application.adjustment,
        "adjustment_reason": application.adjustment_reason,
        "jobbstimulans": jobbstimulans_for(adults, month) if adults else {},
        "child_earned_income_before_this_year_month": (
            child_income_left_out_this_year(children, month, exclude_application=application.pk)
            if children
            else {}
        ),
        "period": application_period(application),
        "covered_from": application.covered_from,
        "covered_to": application.covered_to,
    }


def application_period(application: Application):
    """The household's payment period named by the application's month
    (``cases.payment_periods``; the calendar month unless its periods start later)."""
    from cases.payment_periods import period_for

    return period_for(application.month, start_day=application.case.household.period_start_day or 1)


def application_preview(
    application: Application,
    *,
    costs: list[CostLine],
    incomes: list[IncomeLine],
    lunch_away_ids: set[int],
    adjustment: Decimal,
    adjustment_reason: str,
    household_size: int | None,
    covered_from: date | None = None,
    covered_to: date | None = None,
) -> Calculation:
    """Calculate without saving (the live calculation while the caseworker types).
    ``covered_from``/``covered_to``: a broken period's first/last day (None = the
    period's own)."""
    application.adjustment = adjustment
    application.adjustment_reason = adjustment_reason
    application.household_size = household_size
    application.covered_from = covered_from
    application.covered_to = covered_to
    return calculate(
        **build_inputs(application, costs=costs, incomes=incomes, lunch_away_ids=lunch_away_ids)
    )


@transaction.atomic
def application_save_calculation(
    application: Application,
    *,
    actor: User,
    costs: list[CostLine],
    incomes: list[IncomeLine],
    lunch_away_ids: set[int],
    adjustment: Decimal,
    adjustment_reason: str,
    household_size: int | None,
    version: int | None = None,
    covered_from: date | None = None,
    covered_to: date | None = None,
) -> Application:
    """Store the lines and the calculation made from them. The stored calculation is
    what is shown later, whatever the norm tables say by then."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if version is not None and version != application.version:
        raise CaseError(_("Ansökan har ändrats av någon annan. Ladda om sidan och försök igen."))
    if application.status == Application.Status.DECIDED:
        raise CaseError(_("En beslutad ansökan kan inte räknas om."))
    waits_for_norm = not norm_year_active(application.month.year)
    calculation = None
    if waits_for_norm:
        # Next year's riksnorm is not switched on yet (December, preparing January):
        # the lines are kept and the month computes once the table is active – nothing
        # typed is lost. The same input is checked as far as it can be without a norm.
        application.adjustment = adjustment
        application.adjustment_reason = adjustment_reason
        application.household_size = household_size
        application.covered_from = covered_from
        application.covered_to = covered_to
        # What the calculation would refuse is refused now too (nothing is saved).
        from cases.calculation import covered_part

        covered_part(application_period(application), covered_from, covered_to)
    else:
        calculation = application_preview(
            application,
            costs=costs,
            incomes=incomes,
            lunch_away_ids=lunch_away_ids,
            adjustment=adjustment,
            adjustment_reason=adjustment_reason,
            household_size=household_size,
            covered_from=covered_from,
            covered_to=covered_to,
        )
    application.costs.all().delete()
    application.incomes.all().delete()
    ApplicationCost.objects.bulk_create(
        ApplicationCost(
            application=application, kind=c.kind, actual=c.actual, accepted=c.accepted, note=c.note
        )
        for c in costs
    )
    ApplicationIncome.objects.bulk_create(
        ApplicationIncome(
            application=application,
            kind=i.kind,
            amount=i.amount,
            person_id=i.person_id,
            note=i.note,
        )
        for i in incomes
    )
    application.lunch_away_person_ids = sorted(lunch_away_ids)
    application.calculation = calculation.to_dict() if calculation else None
    application.calculated_at = timezone.now() if calculation else None
    application.result = calculation.result if calculation else None
    if application.status == Application.Status.RECEIVED:
        application.status = Application.Status.INVESTIGATING
    application.version += 1
    application.save()
    return application


def norm_year_active(year: int) -> bool:
    """Whether the riksnorm for ``year`` is switched on (SoF 2025:468 12 kap. 2–3 §§:
    the norm is set per calendar year; ``cases.norms.norm_table`` checks it is whole)."""
    return NormYear.objects.filter(year=year, is_active=True).exists()


def application_waits_for_norm(application: Application) -> bool:
    """A month whose year has no active riksnorm yet: prepared, not computable."""
    return application.calculation is None and not norm_year_active(application.month.year)


@transaction.atomic
def application_set_status(application: Application, status: str, *, actor: User) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if status not in APPLICATION_TRANSITIONS[application.status]:
        raise CaseError(_("Ansökans status kan inte ändras så."))
    if status == Application.Status.READY and application.calculation is None:
        raise CaseError(_("Gör beräkningen innan ansökan är klar för beslut."))
    application.status = status
    application.save(update_fields=["status"])
    return application


@transaction.atomic
def supplement_request(
    application: Application,
    *,
    actor: User,
    what: str,
    due_on: date,
    idempotency_key: UUID | None = None,
) -> SupplementRequest:
    """Request a supplement with its deadline; the same ``idempotency_key`` again
    returns the request it made (one deadline, one reminder)."""
    if due_on < timezone.localdate():
        raise CaseError(_("Sista dag för kompletteringen kan inte ha passerat."))

    def create() -> SupplementRequest:
        request = SupplementRequest.objects.create(
            application=application,
            what=what.strip(),
            due_on=due_on,
            requested_by=actor,
            idempotency_key=idempotency_key,
        )
        case = application.case
        open_deadline(
            kind=SUPPLEMENT,
            subject=request,
            due_at=end_of_day(due_on),
            unit=case.unit,
            responsible=case.caseworker,
        )
        return request

    request, _created = create_once(
        SupplementRequest.objects.filter(application=application, requested_by=actor),
        idempotency_key,
        create,
    )
    return request


@transaction.atomic
def supplement_received(
    request: SupplementRequest, *, actor: User, received_on: date
) -> SupplementRequest:
    request = SupplementRequest.objects.select_for_update().get(pk=request.pk)
    if request.received_on is not None:
        raise CaseError(_("Kompletteringen är redan registrerad som inkommen."))
    request.received_on = received_on
    request.save(update_fields=["received_on"])
    meet_deadlines(request, kind=SUPPLEMENT)
    return request
