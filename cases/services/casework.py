"""Cases: opening, status, reassignment, closing, journal and meetings. Every write
here; grants follow the responsible caseworker (DESIGN.md "Roles and access")."""

from datetime import date, datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from cases.access_rules import CHANGE_CASE, VIEW_CASE
from cases.extensions import run_hooks
from cases.figures import figures_changed
from cases.idempotency import create_once, made_with
from cases.models import (
    Case,
    CaseEvent,
    CaseUserObjectPermission,
    ClosingReason,
    FirstContact,
    Household,
    JournalNote,
    Meeting,
    Person,
    SupplementRequest,
    Unit,
    User,
)
from cases.roles import Role
from cases.services.people import PersonError, household_for

# Allowed status changes (STYLE.md: an explicit table, enforced here).
CASE_TRANSITIONS: dict[str, set[str]] = {
    Case.Status.OPEN: {Case.Status.ACTIVE, Case.Status.CLOSED},
    Case.Status.ACTIVE: {Case.Status.CLOSED},
    Case.Status.CLOSED: {Case.Status.ACTIVE},  # reopened, e.g. a new application
}


class CaseError(Exception):
    """The action is not possible now; the message is Swedish, for the user."""


class StaleCase(CaseError):
    def __init__(self):
        super().__init__(_("Ärendet har ändrats av någon annan. Ladda om sidan och försök igen."))


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise StaleCase


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _grant(case: Case, user: User) -> None:
    assign_perm(f"cases.{VIEW_CASE}", user, case)
    assign_perm(f"cases.{CHANGE_CASE}", user, case)


def _revoke_all(case: Case) -> None:
    CaseUserObjectPermission.objects.filter(content_object=case).delete()


def _event(case: Case, actor: User, kind: str, from_value="", to_value="") -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, kind=kind, from_value=str(from_value), to_value=str(to_value)
    )


def _check_caseworker(caseworker: User | None, unit: Unit) -> None:
    if caseworker is None:
        return
    if caseworker.unit_id != unit.pk or not caseworker.has_role(Role.CASEWORKER):
        raise CaseError(_("Handläggaren måste vara handläggare i ärendets enhet."))


@transaction.atomic
def case_open(
    *,
    actor: User,
    household: Household,
    unit: Unit,
    caseworker: User | None,
    origin_contact: FirstContact | None = None,
    opened_on: date | None = None,
    idempotency_key: UUID | None = None,
) -> Case:
    _check_caseworker(caseworker, unit)
    already_open = _("Hushållet har redan ett öppet ärende.")
    if household.cases.exclude(status=Case.Status.CLOSED).exists():
        raise CaseError(already_open)
    try:
        # The constraint (one open case per household) decides between two at once.
        with transaction.atomic():
            case = Case.objects.create(
                household=household,
                unit=unit,
                caseworker=caseworker,
                origin_contact=origin_contact,
                created_by=actor,
                opened_on=opened_on or timezone.localdate(),
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if household.cases.exclude(status=Case.Status.CLOSED).exists():
            raise CaseError(already_open) from None
        raise
    if caseworker is not None:
        _grant(case, caseworker)
    _event(case, actor, "opened", "", caseworker or "")
    # The personal-meeting indicator counts cases by the month they are opened.
    figures_changed(unit_id=case.unit_id, months=[case.opened_on])
    run_hooks("case_opened", case=case, actor=actor)
    return case


@transaction.atomic
def case_open_for_person(
    *,
    actor: User,
    person: Person,
    unit: Unit,
    caseworker: User | None,
    idempotency_key: UUID | None = None,
) -> Case:
    """Open a case for the person's household (a new one if they have none) – all or
    nothing, so a refused case leaves no household behind. The same form posted again
    (``idempotency_key``) returns the case it opened; two different posts at once for
    one person make one case (the person is locked while their household is found or
    made, and one household has one open case)."""
    existing = made_with(Case.objects.filter(created_by=actor), idempotency_key)
    if existing is not None:
        return existing
    household = _household(person, unit=unit, actor=actor)
    case, _created = create_once(
        Case.objects.filter(created_by=actor),
        idempotency_key,
        lambda: case_open(
            actor=actor,
            household=household,
            unit=unit,
            caseworker=caseworker,
            idempotency_key=idempotency_key,
        ),
    )
    return case


def _household(person: Person, *, unit: Unit, actor: User):
    """The person's household in ``unit`` – never another unit's (a transfer first).
    The person is locked first: two requests at once never make two households."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    try:
        return household_for(person, unit=unit, actor=actor)
    except PersonError as error:
        raise CaseError(str(error)) from error


@transaction.atomic
def case_open_from_contact(*, actor: User, contact: FirstContact) -> Case:
    """Open a case from a first contact, carrying over person, unit and caseworker."""
    contact = FirstContact.objects.select_for_update().get(pk=contact.pk)
    if Case.objects.filter(origin_contact=contact).exists():
        raise CaseError(_("Ett ärende är redan öppnat från den här kontakten."))
    if contact.person is None:
        raise CaseError(_("Kontakten saknar identifierad person. Registrera personen först."))
    household = _household(contact.person, unit=contact.unit, actor=actor)
    caseworker = contact.assigned_to
    if caseworker is None and actor.has_role(Role.CASEWORKER) and actor.unit_id == contact.unit_id:
        caseworker = actor
    return case_open(
        actor=actor,
        household=household,
        unit=contact.unit,
        caseworker=caseworker,
        origin_contact=contact,
    )


@transaction.atomic
def case_set_status(case: Case, status: str, *, actor: User, version: int | None = None) -> Case:
    case = _lock(case)
    _check_version(case, version)
    if status == Case.Status.CLOSED:
        raise CaseError(_("Avsluta ärendet med en avslutsorsak."))
    if status not in CASE_TRANSITIONS[case.status]:
        raise CaseError(
            _("Ett ärende med status %(from)s kan inte få status %(to)s.")
            % {"from": case.get_status_display(), "to": Case.Status(status).label}
        )
    old = case.status
    case.status = status
    if old == Case.Status.CLOSED:
        # Reopened: no longer among the closed households of the month it was closed.
        figures_changed(unit_id=case.unit_id, months=[case.closed_on])
        case.closed_on, case.closing_reason = None, None
        if case.caseworker is not None:
            _grant(case, case.caseworker)
    case.version += 1
    case.save(update_fields=["status", "closed_on", "closing_reason", "version", "updated_at"])
    _event(case, actor, "status", Case.Status(old).label, Case.Status(status).label)
    return case


@transaction.atomic
def case_close(
    case: Case,
    *,
    actor: User,
    reason: ClosingReason,
    closed_on: date | None = None,
    version: int | None = None,
) -> Case:
    """Close with a closing reason (statistics, DOMAIN.md §2.11); grants are revoked."""
    case = _lock(case)
    _check_version(case, version)
    if Case.Status.CLOSED not in CASE_TRANSITIONS[case.status]:
        raise CaseError(_("Ärendet är redan avslutat."))
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise CaseError(_("Avslutsdatum kan inte ligga före öppningsdatum."))
    old = case.status
    case.status, case.closed_on, case.closing_reason = Case.Status.CLOSED, closed_on, reason
    case.version += 1
    case.save(update_fields=["status", "closed_on", "closing_reason", "version", "updated_at"])
    _revoke_all(case)
    # Closed households and closing reasons are counted by the month of closing
    # (reporting.indicators.closed_figures, reporting.statistics).
    figures_changed(unit_id=case.unit_id, months=[closed_on])
    _event(case, actor, "closed", Case.Status(old).label, reason.label)
    run_hooks("case_closed", case=case, actor=actor)
    return case


@transaction.atomic
def case_reassign(case: Case, caseworker: User, *, actor: User, version: int | None = None) -> Case:
    """The unit manager gives the case to another caseworker: the old grants go, the new
    caseworker gets them, and the case's open deadlines follow."""
    from cases.deadlines import reassign_deadlines

    case = _lock(case)
    _check_version(case, version)
    _check_caseworker(caseworker, case.unit)
    if case.is_closed:
        raise CaseError(_("Ett avslutat ärende kan inte fördelas om."))
    old = case.caseworker
    _revoke_all(case)
    case.caseworker = caseworker
    case.version += 1
    case.save(update_fields=["caseworker", "version", "updated_at"])
    _grant(case, caseworker)
    reassign_deadlines(case, caseworker)
    for subject in (
        *case.applications.all(),
        *SupplementRequest.objects.filter(application__case=case),
        *case.decisions.all(),
    ):
        reassign_deadlines(subject, caseworker)
    _event(case, actor, "reassigned", old or "", caseworker)
    run_hooks("case_reassigned", case=case, actor=actor, caseworker=caseworker)
    return case


@transaction.atomic
def journal_note_add(
    case: Case,
    *,
    actor: User,
    text: str,
    kind: str = JournalNote.Kind.NOTE,
    occurred_on: date | None = None,
    communication_method: str = "",
    client_view: str = "",
    corrects: JournalNote | None = None,
    idempotency_key: UUID | None = None,
) -> JournalNote:
    """Add a note (never edited or deleted afterwards). The same ``idempotency_key``
    posted again by the same author on the same case returns the note it made."""
    if not text.strip():
        raise CaseError(_("Skriv anteckningen."))
    if corrects is not None and corrects.case_id != case.pk:
        raise CaseError(_("Rättelsen måste gälla en anteckning i samma ärende."))
    if kind == JournalNote.Kind.COMMUNICATION and not communication_method.strip():
        raise CaseError(_("Ange hur kommuniceringen gjordes."))
    note, _created = create_once(
        JournalNote.objects.filter(case=case, author=actor),
        idempotency_key,
        lambda: JournalNote.objects.create(
            case=case,
            author=actor,
            text=text.strip(),
            kind=JournalNote.Kind.CORRECTION if corrects is not None else kind,
            occurred_on=occurred_on or timezone.localdate(),
            communication_method=communication_method.strip(),
            client_view=client_view.strip(),
            corrects=corrects,
            idempotency_key=idempotency_key,
        ),
    )
    return note


@transaction.atomic
def meeting_plan(
    case: Case,
    *,
    actor: User,
    kind: str,
    planned_at: datetime,
    staff: User | None = None,
    idempotency_key: UUID | None = None,
) -> Meeting:
    """Book a meeting; the same ``idempotency_key`` again returns the booked one."""
    meeting, _created = create_once(
        Meeting.objects.filter(case=case),
        idempotency_key,
        lambda: Meeting.objects.create(
            case=case,
            kind=kind,
            planned_at=planned_at,
            staff=staff or actor,
            idempotency_key=idempotency_key,
        ),
    )
    return meeting


@transaction.atomic
def meeting_record(
    meeting: Meeting, *, actor: User, state: str, client_attended: bool = False, note: str = ""
) -> Meeting:
    """Record how a planned meeting went. A held first visit sets the case's first-visit
    date (the arbetsplan clock, DOMAIN.md §2.2) if it has none."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if state == Meeting.State.PLANNED:
        raise CaseError(_("Välj hur mötet gick."))
    if state == Meeting.State.HELD and meeting.planned_at > timezone.now():
        raise CaseError(_("Ett möte som inte har börjat kan inte vara genomfört."))
    meeting.state = state
    meeting.client_attended = client_attended and state == Meeting.State.HELD
    meeting.note = note.strip()
    meeting.save(update_fields=["state", "client_attended", "note"])
    case = Case.objects.only("unit_id", "opened_on").get(pk=meeting.case_id)
    # Client visits are counted by the month the meeting was planned for.
    figures_changed(unit_id=case.unit_id, months=[meeting.planned_at])
    if state == Meeting.State.HELD and meeting.kind == Meeting.Kind.FIRST_VISIT:
        held_on = timezone.localtime(meeting.planned_at).date()
        if Case.objects.filter(pk=meeting.case_id, first_visit_on__isnull=True).update(
            first_visit_on=held_on
        ):
            # The waiting time counts by the month of the visit, the personal-meeting
            # share by the month the case was opened.
            figures_changed(unit_id=case.unit_id, months=[held_on, case.opened_on])
            run_hooks(
                "first_visit_recorded", case=Case.objects.get(pk=meeting.case_id), actor=actor
            )
    return meeting


@transaction.atomic
def caseworker_work_release(user: User, *, actor: User, keep_unit: Unit | None = None) -> int:
    """The user no longer handles work outside ``keep_unit`` (their directory groups no
    longer give them the caseworker role there – signin.services): their open cases and
    open first contacts in other units get no caseworker and appear on those units'
    manager's start page as *utan handläggare*; the user's grants on those cases go, and
    the open deadlines there lose their responsible person, so the sweep tells the unit
    managers instead (cases.deadlines). Returns the number of cases released."""
    from cases.deadlines import reassign_deadlines
    from cases.models import Deadline

    cases = (
        Case.objects.select_for_update(of=("self",))
        .filter(caseworker=user)
        .exclude(status=Case.Status.CLOSED)
    )
    if keep_unit is not None:
        cases = cases.exclude(unit=keep_unit)
    released = 0
    for case in cases:
        case.caseworker = None
        case.version += 1
        case.save(update_fields=["caseworker", "version", "updated_at"])
        reassign_deadlines(case, None)
        for subject in (
            *case.applications.all(),
            *SupplementRequest.objects.filter(application__case=case),
            *case.decisions.all(),
        ):
            reassign_deadlines(subject, None)
        _event(case, actor, "reassigned", user, "")
        released += 1
    grants = CaseUserObjectPermission.objects.filter(user=user)
    contacts = FirstContact.objects.filter(assigned_to=user, state=FirstContact.State.OPEN)
    deadlines = Deadline.objects.filter(responsible=user, state=Deadline.State.OPEN)
    if keep_unit is not None:
        grants = grants.exclude(content_object__unit=keep_unit)
        contacts = contacts.exclude(unit=keep_unit)
        deadlines = deadlines.exclude(unit=keep_unit)
    grants.delete()
    contacts.update(assigned_to=None)
    deadlines.update(responsible=None)
    return released
