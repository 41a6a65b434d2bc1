"""Cases: opening, status, closing, reassignment, who sees what, the journal and meetings
(DOMAIN.md §2, §8) – the services against PostgreSQL."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.models import (
    Case,
    CaseEvent,
    CaseUserObjectPermission,
    ClosingReason,
    Deadline,
    HouseholdMember,
    JournalNote,
    Meeting,
    Person,
)
from cases.permissions import get_case_for_user
from cases.roles import Role
from cases.services.applications import (
    application_register,
    supplement_received,
    supplement_request,
)
from cases.services.casework import (
    CaseError,
    StaleCase,
    case_close,
    case_open,
    case_open_from_contact,
    case_reassign,
    case_set_status,
    journal_note_add,
    meeting_plan,
    meeting_record,
)
from cases.services.contacts import first_contact_register
from cases.services.people import household_create, household_member_add, household_member_end
from cases.tests.factories import CaseFactory, PersonFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db


def local(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def reason() -> ClosingReason:
    return ClosingReason.objects.get(code="work")


def can_change(user, case) -> bool:
    try:
        get_case_for_user(user, case.pk, "change_case")
    except Http404:
        return False
    return True


def can_view(user, case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def new_household(person, unit, actor, valid_from=date(2026, 1, 1)):
    return household_create(applicant=person, unit=unit, valid_from=valid_from, actor=actor)


@pytest.fixture
def colleague(make_user):
    return make_user(Role.CASEWORKER)


@pytest.fixture
def case(caseworker):
    return CaseFactory(caseworker=caseworker)


# ------------------------------------------------------------------------ opening


def test_case_open_grants_view_and_change_to_the_caseworker(caseworker, unit, colleague):
    household = new_household(PersonFactory(), unit, caseworker)

    case = case_open(actor=caseworker, household=household, unit=unit, caseworker=caseworker)

    assert case.status == Case.Status.OPEN
    assert case.opened_on == timezone.localdate()
    assert caseworker.has_perm("cases.view_case", case)
    assert caseworker.has_perm("cases.change_case", case)
    assert get_case_for_user(caseworker, case.pk, "change_case") == case
    # A colleague reads through the unit rule but holds no grant and may not change.
    assert not colleague.has_perm("cases.change_case", case)
    assert not can_change(colleague, case)
    event = case.events.get()
    assert (event.kind, event.actor, event.to_value) == ("opened", caseworker, str(caseworker))


def test_case_open_refuses_a_caseworker_of_another_unit(
    caseworker, unit, other_unit, make_user, unit_manager
):
    household = new_household(PersonFactory(), unit, caseworker)
    stranger = make_user(Role.CASEWORKER, unit=other_unit)

    with pytest.raises(CaseError, match="handläggare i ärendets enhet"):
        case_open(actor=unit_manager, household=household, unit=unit, caseworker=stranger)

    assert not Case.objects.exists()


def test_case_open_refuses_a_responsible_who_is_not_a_caseworker(unit, reception, unit_manager):
    household = new_household(PersonFactory(), unit, unit_manager)

    with pytest.raises(CaseError):
        case_open(actor=unit_manager, household=household, unit=unit, caseworker=reception)

    assert not Case.objects.exists()


def test_case_open_refuses_a_second_open_case_for_the_household(case, caseworker, colleague):
    with pytest.raises(CaseError, match="redan ett öppet ärende"):
        case_open(actor=colleague, household=case.household, unit=case.unit, caseworker=colleague)

    case_set_status(case, Case.Status.ACTIVE, actor=caseworker)
    with pytest.raises(CaseError, match="redan ett öppet ärende"):
        case_open(actor=colleague, household=case.household, unit=case.unit, caseworker=colleague)
    assert Case.objects.filter(household=case.household).count() == 1


def test_a_closed_case_does_not_stop_a_new_one(case, caseworker, colleague):
    case_close(case, actor=caseworker, reason=reason())

    new = case_open(actor=colleague, household=case.household, unit=case.unit, caseworker=colleague)

    assert new.pk != case.pk
    assert new.status == Case.Status.OPEN


@pytest.fixture
def person_without_household(db):
    return Person.objects.create(first_name="Ali", last_name="Exempel", personnummer="199006022397")


def contact_for(reception, unit, *, assigned_to=None, personnummer="199006022397", name=""):
    return first_contact_register(
        actor=reception,
        channel="visit",
        subject="new_application",
        unit=unit,
        assigned_to=assigned_to,
        personnummer=personnummer,
        name=name,
    )


def test_case_open_from_contact_carries_person_unit_and_caseworker(
    reception, unit, caseworker, unit_manager, person_without_household
):
    contact = contact_for(reception, unit, assigned_to=caseworker)
    assert not HouseholdMember.objects.filter(person=person_without_household).exists()

    case = case_open_from_contact(actor=unit_manager, contact=contact)

    assert case.unit == unit
    assert case.caseworker == caseworker
    assert case.origin_contact == contact
    assert case.created_by == unit_manager
    member = case.household.memberships.get()
    assert member.person == person_without_household
    assert member.role == HouseholdMember.Role.APPLICANT
    assert member.valid_to is None
    assert case.household.unit == unit
    assert can_change(caseworker, case)


def test_case_open_from_contact_uses_the_persons_current_household(
    reception, unit, caseworker, person_without_household
):
    household = new_household(person_without_household, unit, caseworker)
    contact = contact_for(reception, unit, assigned_to=caseworker)

    case = case_open_from_contact(actor=caseworker, contact=contact)

    assert case.household == household


def test_case_open_from_an_unassigned_contact_gives_it_to_the_caseworker_opening_it(
    reception, unit, caseworker, person_without_household
):
    contact = contact_for(reception, unit)

    case = case_open_from_contact(actor=caseworker, contact=contact)

    assert case.caseworker == caseworker
    assert can_change(caseworker, case)


def test_case_open_from_contact_refuses_a_contact_without_person(reception, unit, caseworker):
    contact = contact_for(reception, unit, assigned_to=caseworker, personnummer="", name="Kim")
    assert contact.person_id is None

    with pytest.raises(CaseError, match="saknar identifierad person"):
        case_open_from_contact(actor=caseworker, contact=contact)

    assert not Case.objects.exists()


def test_case_open_from_contact_refuses_a_second_case_from_the_same_contact(
    reception, unit, caseworker, person_without_household
):
    contact = contact_for(reception, unit, assigned_to=caseworker)
    first = case_open_from_contact(actor=caseworker, contact=contact)
    case_close(first, actor=caseworker, reason=reason())  # even once the first is closed

    with pytest.raises(CaseError, match="redan öppnat från den här kontakten"):
        case_open_from_contact(actor=caseworker, contact=contact)

    assert Case.objects.count() == 1


# ------------------------------------------------------------------------- status


def case_in(status, caseworker) -> Case:
    case = CaseFactory(caseworker=caseworker)
    if status == Case.Status.ACTIVE:
        case = case_set_status(case, Case.Status.ACTIVE, actor=caseworker)
    elif status == Case.Status.CLOSED:
        case = case_close(case, actor=caseworker, reason=reason())
    assert case.status == status
    return case


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Case.Status.OPEN, Case.Status.ACTIVE),
        (Case.Status.CLOSED, Case.Status.ACTIVE),  # reopened
    ],
)
def test_allowed_status_change(caseworker, start, target):
    case = case_in(start, caseworker)
    version = case.version

    changed = case_set_status(case, target, actor=caseworker, version=version)

    changed.refresh_from_db()
    assert changed.status == target
    assert changed.version == version + 1
    assert changed.closed_on is None
    assert changed.closing_reason is None
    event = changed.events.order_by("-pk").first()
    assert event.kind == "status"
    assert event.to_value == str(Case.Status(target).label)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Case.Status.OPEN, Case.Status.OPEN),
        (Case.Status.ACTIVE, Case.Status.OPEN),
        (Case.Status.ACTIVE, Case.Status.ACTIVE),
        (Case.Status.CLOSED, Case.Status.OPEN),
        (Case.Status.CLOSED, Case.Status.CLOSED),
        (Case.Status.OPEN, Case.Status.CLOSED),  # closing needs a reason: case_close
        (Case.Status.ACTIVE, Case.Status.CLOSED),
    ],
)
def test_refused_status_change(caseworker, start, target):
    case = case_in(start, caseworker)
    version = case.version

    with pytest.raises(CaseError):
        case_set_status(case, target, actor=caseworker, version=version)

    case.refresh_from_db()
    assert case.status == start
    assert case.version == version


def test_closing_an_already_closed_case_is_refused(caseworker):
    case = case_in(Case.Status.CLOSED, caseworker)

    with pytest.raises(CaseError, match="redan avslutat"):
        case_close(case, actor=caseworker, reason=reason())


def test_stale_version_is_refused(case, caseworker, unit_manager, colleague):
    shown = case.version
    case_set_status(case, Case.Status.ACTIVE, actor=caseworker, version=shown)

    with pytest.raises(StaleCase):
        case_close(case, actor=caseworker, reason=reason(), version=shown)
    with pytest.raises(StaleCase):
        case_reassign(case, colleague, actor=unit_manager, version=shown)

    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.caseworker == caseworker
    assert case.version == shown + 1


def test_closing_needs_a_reason(case, caseworker):
    # The database refuses a closed case without a reason, whatever the caller does.
    with pytest.raises(IntegrityError):
        case_close(case, actor=caseworker, reason=None)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert can_change(caseworker, case)


def test_closing_before_opening_date_is_refused(case, caseworker):
    with pytest.raises(CaseError, match="före öppningsdatum"):
        case_close(
            case,
            actor=caseworker,
            reason=reason(),
            closed_on=case.opened_on - timezone.timedelta(days=1),
        )


def test_closing_revokes_every_grant(case, caseworker, make_user):
    helper = make_user(Role.CASEWORKER)
    assign_perm("cases.view_case", helper, case)
    assign_perm("cases.change_case", helper, case)
    closed_on = case.opened_on

    closed = case_close(case, actor=caseworker, reason=reason(), closed_on=closed_on)

    assert (closed.status, closed.closed_on, closed.closing_reason) == (
        Case.Status.CLOSED,
        closed_on,
        reason(),
    )
    assert not CaseUserObjectPermission.objects.filter(content_object=case).exists()
    for former in (caseworker, helper):
        with pytest.raises(Http404):
            get_case_for_user(former, case.pk, "change_case")
    event = closed.events.order_by("-pk").first()
    assert (event.kind, event.to_value) == ("closed", reason().label)


def test_closed_case_without_colleague_reading_is_hidden_from_the_former_caseworker(
    case, caseworker, settings
):
    settings.UNIT_COLLEAGUES_CAN_READ = False
    case_close(case, actor=caseworker, reason=reason())

    with pytest.raises(Http404):
        get_case_for_user(caseworker, case.pk)


def test_reopening_restores_the_caseworkers_grants(case, caseworker):
    closed = case_close(case, actor=caseworker, reason=reason())
    assert not can_change(caseworker, closed)

    reopened = case_set_status(closed, Case.Status.ACTIVE, actor=caseworker)

    assert reopened.status == Case.Status.ACTIVE
    assert get_case_for_user(caseworker, case.pk, "change_case").pk == case.pk
    reopened.refresh_from_db()
    assert (reopened.closed_on, reopened.closing_reason) == (None, None)


# ---------------------------------------------------------------------- reassign


def test_case_reassign_moves_the_grants_and_records_an_event(
    case, caseworker, colleague, unit_manager
):
    version = case.version

    moved = case_reassign(case, colleague, actor=unit_manager, version=version)

    moved.refresh_from_db()
    assert moved.caseworker == colleague
    assert moved.version == version + 1
    with pytest.raises(Http404):
        get_case_for_user(caseworker, case.pk, "change_case")
    assert get_case_for_user(colleague, case.pk, "change_case").pk == case.pk
    assert colleague.has_perm("cases.view_case", moved)
    event = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    assert (event.kind, event.actor, event.from_value, event.to_value) == (
        "reassigned",
        unit_manager,
        str(caseworker),
        str(colleague),
    )


def test_case_reassign_refuses_a_caseworker_of_another_unit(
    case, caseworker, unit_manager, make_user, other_unit
):
    stranger = make_user(Role.CASEWORKER, unit=other_unit)

    with pytest.raises(CaseError):
        case_reassign(case, stranger, actor=unit_manager)

    case.refresh_from_db()
    assert case.caseworker == caseworker
    assert can_change(caseworker, case)


def test_case_reassign_refuses_a_closed_case(case, caseworker, colleague, unit_manager):
    case_close(case, actor=caseworker, reason=reason())

    with pytest.raises(CaseError, match="avslutat ärende"):
        case_reassign(case, colleague, actor=unit_manager)


def supplement_for(case, caseworker, *, month=date(2026, 3, 1)):
    applicant = case.household.memberships.get().person
    application = application_register(
        case, actor=caseworker, month=month, channel="e_service", applicant=applicant
    )
    return supplement_request(
        application,
        actor=caseworker,
        what="Hyreskontrakt",
        due_on=timezone.localdate() + timezone.timedelta(days=7),
    )


def test_case_reassign_moves_the_open_supplement_deadlines(
    case, caseworker, colleague, unit_manager
):
    open_request = supplement_for(case, caseworker, month=date(2026, 3, 1))
    met_request = supplement_for(case, caseworker, month=date(2026, 4, 1))
    supplement_received(met_request, actor=caseworker, received_on=timezone.localdate())

    case_reassign(case, colleague, actor=unit_manager)

    open_deadline = Deadline.objects.get(kind="supplement", subject_id=open_request.pk)
    met_deadline = Deadline.objects.get(kind="supplement", subject_id=met_request.pk)
    assert open_deadline.responsible == colleague
    assert met_deadline.responsible == caseworker  # history stays as it was


def test_supplement_deadline_starts_with_the_caseworker(case, caseworker):
    request = supplement_for(case, caseworker)

    deadline = Deadline.objects.get(kind="supplement", subject_id=request.pk)
    assert deadline.responsible == caseworker
    assert deadline.state == Deadline.State.OPEN


# ------------------------------------------------------------------ who sees what


def test_the_caseworker_sees_and_changes_their_case(case, caseworker):
    assert can_view(caseworker, case)
    assert can_change(caseworker, case)


@pytest.mark.parametrize("colleagues_can_read", [True, False])
def test_a_colleague_reads_only_when_the_unit_allows_it(
    case, colleague, settings, colleagues_can_read
):
    settings.UNIT_COLLEAGUES_CAN_READ = colleagues_can_read

    assert can_view(colleague, case) is colleagues_can_read
    assert not can_change(colleague, case)
    if not colleagues_can_read:
        with pytest.raises(Http404):
            get_case_for_user(colleague, case.pk)


def test_a_caseworker_of_another_unit_sees_nothing(case, make_user, other_unit):
    stranger = make_user(Role.CASEWORKER, unit=other_unit)

    assert not can_view(stranger, case)
    with pytest.raises(Http404):
        get_case_for_user(stranger, case.pk)


def test_the_unit_manager_sees_and_changes_the_units_cases(case, unit_manager, settings):
    settings.UNIT_COLLEAGUES_CAN_READ = False  # does not apply to the manager

    assert can_view(unit_manager, case)
    assert can_change(unit_manager, case)


def test_a_manager_of_another_unit_sees_nothing(case, make_user, other_unit):
    manager = make_user(Role.UNIT_MANAGER, unit=other_unit)

    assert not can_view(manager, case)
    assert not can_change(manager, case)


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.ADMINISTRATOR])
def test_reception_and_administrators_see_no_case(case, make_user, unit, role):
    user = make_user(role, unit=unit)

    assert not can_view(user, case)
    with pytest.raises(Http404):
        get_case_for_user(user, case.pk)


def test_an_inactive_user_sees_nothing_even_with_grants(case, caseworker):
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])

    assert not can_view(caseworker, case)
    assert not can_change(caseworker, case)


def test_anonymous_sees_nothing(case):
    assert not Case.objects.visible_to(AnonymousUser()).exists()


def test_get_case_for_user_answers_404_for_a_missing_or_malformed_case(caseworker):
    for pk in (999_999, "abc", None):
        with pytest.raises(Http404):
            get_case_for_user(caseworker, pk)


@pytest.fixture
def protected_case(case, caseworker):
    household_member_add(
        case.household,
        person=PersonFactory(protected=True),
        role=HouseholdMember.Role.CO_APPLICANT,
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    return case


def test_protected_identity_hides_the_case_from_colleague_and_manager(
    protected_case, caseworker, colleague, unit_manager
):
    assert not can_view(colleague, protected_case)
    assert not can_view(unit_manager, protected_case)
    assert not can_change(unit_manager, protected_case)
    for user in (colleague, unit_manager):
        with pytest.raises(Http404):
            get_case_for_user(user, protected_case.pk)
    # The caseworker holding the grant still works with it.
    assert can_view(caseworker, protected_case)
    assert can_change(caseworker, protected_case)


def test_protection_follows_a_member_who_has_left(case, caseworker, colleague):
    member = household_member_add(
        case.household,
        person=PersonFactory(protected=True),
        role=HouseholdMember.Role.CHILD,
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    household_member_end(member, valid_to=date(2026, 2, 28))

    assert not can_view(colleague, case)
    assert can_view(caseworker, case)


def test_protected_case_reaches_a_manager_with_an_explicit_grant(protected_case, unit_manager):
    assign_perm("cases.view_case", unit_manager, protected_case)

    assert can_view(unit_manager, protected_case)
    assert get_case_for_user(unit_manager, protected_case.pk).pk == protected_case.pk


# ------------------------------------------------------------------------ journal


@pytest.fixture
def note(case, caseworker):
    return journal_note_add(case, actor=caseworker, text="  Nybesök genomfört.  ")


def test_journal_note_is_saved_with_author_and_date(note, caseworker):
    assert note.text == "Nybesök genomfört."
    assert note.author == caseworker
    assert note.kind == JournalNote.Kind.NOTE
    assert note.occurred_on == timezone.localdate()


def test_a_journal_note_cannot_be_changed(note):
    note.text = "Ändrad i efterhand"
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        JournalNote.objects.filter(pk=note.pk).update(text="Ändrad i efterhand")
    with pytest.raises(PermissionError):
        note.case.journal.update(text="Ändrad i efterhand")

    assert JournalNote.objects.get(pk=note.pk).text == "Nybesök genomfört."


def test_a_journal_note_cannot_be_deleted(note):
    with pytest.raises(PermissionError):
        note.delete()
    with pytest.raises(PermissionError):
        JournalNote.objects.filter(pk=note.pk).delete()
    with pytest.raises(PermissionError):
        note.case.journal.all().delete()

    assert JournalNote.objects.filter(pk=note.pk).exists()


def test_a_correction_is_a_new_note_linked_to_the_original(note, case, caseworker):
    correction = journal_note_add(
        case, actor=caseworker, text="Rätt datum är i går.", corrects=note
    )

    assert correction.pk != note.pk
    assert correction.kind == JournalNote.Kind.CORRECTION
    assert correction.corrects == note
    assert list(note.corrections.all()) == [correction]
    original = JournalNote.objects.get(pk=note.pk)
    assert (original.text, original.kind) == ("Nybesök genomfört.", JournalNote.Kind.NOTE)
    assert case.journal.count() == 2


def test_a_correction_must_concern_the_same_case(note, make_user):
    other_worker = make_user(Role.CASEWORKER)
    other_case = CaseFactory(caseworker=other_worker)

    with pytest.raises(CaseError, match="samma ärende"):
        journal_note_add(other_case, actor=other_worker, text="Rättelse", corrects=note)

    assert not other_case.journal.exists()


@pytest.mark.parametrize("method", ["", "   "])
def test_kommunicering_requires_a_method(case, caseworker, method):
    with pytest.raises(CaseError, match="hur kommuniceringen"):
        journal_note_add(
            case,
            actor=caseworker,
            text="Utredningen kommunicerad",
            kind=JournalNote.Kind.COMMUNICATION,
            communication_method=method,
        )

    assert not case.journal.exists()


def test_kommunicering_with_a_method_is_recorded(case, caseworker):
    note = journal_note_add(
        case,
        actor=caseworker,
        text="Utredningen kommunicerad",
        kind=JournalNote.Kind.COMMUNICATION,
        communication_method=" brev ",
        client_view="Håller inte med om hyran.",
    )

    assert note.kind == JournalNote.Kind.COMMUNICATION
    assert note.communication_method == "brev"
    assert note.client_view == "Håller inte med om hyran."


def test_an_empty_note_is_refused(case, caseworker):
    with pytest.raises(CaseError):
        journal_note_add(case, actor=caseworker, text="  \n ")


# ----------------------------------------------------------------------- meetings


def first_visit(case, caseworker, planned_at) -> Meeting:
    return meeting_plan(
        case, actor=caseworker, kind=Meeting.Kind.FIRST_VISIT, planned_at=planned_at
    )


def test_a_held_first_visit_sets_the_first_visit_date_once(case, caseworker):
    first = first_visit(case, caseworker, local(2026, 2, 10, 9, 0))
    later = first_visit(case, caseworker, local(2026, 2, 24, 13, 0))

    meeting_record(first, actor=caseworker, state=Meeting.State.HELD, client_attended=True)
    case.refresh_from_db()
    assert case.first_visit_on == date(2026, 2, 10)

    recorded = meeting_record(later, actor=caseworker, state=Meeting.State.HELD)
    case.refresh_from_db()
    assert recorded.state == Meeting.State.HELD
    assert case.first_visit_on == date(2026, 2, 10)


def test_first_visit_date_is_the_stockholm_date(case, caseworker):
    # 00:30 in Stockholm is still the day before in UTC.
    meeting = first_visit(case, caseworker, local(2026, 2, 10, 0, 30))

    meeting_record(meeting, actor=caseworker, state=Meeting.State.HELD)

    case.refresh_from_db()
    assert case.first_visit_on == date(2026, 2, 10)


@pytest.mark.parametrize("state", [Meeting.State.NO_SHOW, Meeting.State.CANCELLED])
def test_a_first_visit_that_did_not_happen_sets_no_date(case, caseworker, state):
    meeting = first_visit(case, caseworker, local(2026, 2, 10, 9, 0))

    recorded = meeting_record(meeting, actor=caseworker, state=state, client_attended=True)

    case.refresh_from_db()
    assert case.first_visit_on is None
    assert recorded.client_attended is False


def test_a_held_follow_up_sets_no_first_visit_date(case, caseworker):
    meeting = meeting_plan(
        case, actor=caseworker, kind=Meeting.Kind.FOLLOW_UP, planned_at=local(2026, 2, 10, 9)
    )

    meeting_record(meeting, actor=caseworker, state=Meeting.State.HELD)

    case.refresh_from_db()
    assert case.first_visit_on is None


def test_a_meeting_in_the_future_cannot_be_held(case, caseworker):
    meeting = first_visit(case, caseworker, timezone.now() + timezone.timedelta(hours=2))

    with pytest.raises(CaseError, match="inte har börjat"):
        meeting_record(meeting, actor=caseworker, state=Meeting.State.HELD)

    meeting.refresh_from_db()
    case.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED
    assert case.first_visit_on is None


def test_recording_planned_is_refused(case, caseworker):
    meeting = first_visit(case, caseworker, local(2026, 2, 10, 9, 0))

    with pytest.raises(CaseError):
        meeting_record(meeting, actor=caseworker, state=Meeting.State.PLANNED)


@pytest.mark.django_db
def test_case_open_for_person_reuses_the_current_household(caseworker, unit):
    from cases.models import Household
    from cases.services.casework import CaseError, case_open_for_person
    from cases.tests.factories import PersonFactory

    person = PersonFactory()
    case = case_open_for_person(actor=caseworker, person=person, unit=unit, caseworker=caseworker)
    assert case.household.memberships.get().person == person

    with pytest.raises(CaseError):  # the household already has an open case
        case_open_for_person(actor=caseworker, person=person, unit=unit, caseworker=caseworker)
    assert Household.objects.count() == 1
