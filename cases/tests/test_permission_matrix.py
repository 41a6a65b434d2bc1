"""Every URL in ``cases`` against every kind of user (issue 4): the expected answer for
each role and relation to the case. A URL without an entry here fails the test."""

from datetime import date, timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from cases.models import (
    Callback,
    GallringRun,
    JournalNote,
    Meeting,
    Notification,
    RetentionHold,
)
from cases.roles import Role
from cases.services.applications import application_register, supplement_request
from cases.services.casework import journal_note_add, meeting_plan
from cases.services.contacts import first_contact_register
from cases.services.people import person_transfer_request
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.matrix import FORBIDDEN, NOT_FOUND, OK, RELATIONS, STAFF, expect, outcomes

CASE_READ = expect(own=OK, colleague=OK, manager=OK)
CASE_WRITE = expect(own=OK, manager=OK)
CASE_MANAGE = expect(manager=OK)
CASE_ROLE_PAGE = expect(dict.fromkeys(STAFF, OK), reception=FORBIDDEN, administrator=FORBIDDEN)
CONTACT = expect(own=OK, colleague=OK, manager=OK)
ANY_STAFF = expect(dict.fromkeys(STAFF, OK))
RECEPTION_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), reception=OK)
CASEWORKER_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), own=OK, colleague=OK, other_unit=OK)
MANAGER_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), manager=OK, other_manager=OK)
ADMIN_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), administrator=OK)
CONTACT_CREATE = expect(dict.fromkeys(STAFF, OK), administrator=FORBIDDEN)
# The person gate (issue 13): a person is seen by their unit (and granted users), never
# by another unit's staff; changed by who may change their case, or the unit's manager.
PERSON = expect(own=OK, colleague=OK, manager=OK)
PERSON_CHANGE = expect(own=OK, manager=OK)
# A person without a household: any caseworker of the unit that registered them.
LONE_PERSON_CHANGE = expect(own=OK, colleague=OK, manager=OK)
PERSON_ROLE_PAGE = expect(
    own=OK,
    colleague=OK,
    other_unit=OK,
    manager=OK,
    other_manager=OK,
    reception=FORBIDDEN,
    administrator=FORBIDDEN,
)
TRANSFER_DECIDE = expect(dict.fromkeys(STAFF, FORBIDDEN), manager=OK, other_manager=NOT_FOUND)
PERSON_ACCESS = expect()  # only for protected persons; the matrix person is not protected

# url name -> (method, kwargs builder over the world, expectations, POST data)
ENTRIES = {
    "home": (
        "get",
        None,
        expect(**dict.fromkeys(RELATIONS[:5], OK), reception=OK, administrator=OK),
        None,
    ),
    "reception_start": ("get", None, RECEPTION_PAGE, None),
    "caseworker_start": ("get", None, CASEWORKER_PAGE, None),
    "unit_manager_start": ("get", None, MANAGER_PAGE, None),
    "unit_access_log": ("get", None, MANAGER_PAGE, None),
    "administrator_start": ("get", None, ADMIN_PAGE, None),
    "inbox": ("get", None, ANY_STAFF, None),
    "unread_count": ("get", None, ANY_STAFF, None),
    "notifications_read": ("post", None, ANY_STAFF, {}),
    "contact_create": ("get", None, CONTACT_CREATE, None),
    "person_lookup": ("get", None, CONTACT_CREATE, None),
    "contact_detail": ("get", lambda w: [w["contact"].pk], CONTACT, None),
    "contact_take": ("post", lambda w: [w["contact"].pk], CONTACT, {}),
    "case_from_contact": ("post", lambda w: [w["contact"].pk], CONTACT, {}),
    "person_search": ("get", None, PERSON_ROLE_PAGE, None),
    "person_create": ("get", None, PERSON_ROLE_PAGE, None),
    "person_detail": ("get", lambda w: [w["person"].pk], PERSON, None),
    "person_edit": ("get", lambda w: [w["person"].pk], PERSON_CHANGE, None),
    "household_create": ("post", lambda w: [w["lone"].pk], LONE_PERSON_CHANGE, {}),
    "person_transfer_new": ("post", None, PERSON_ROLE_PAGE, {}),
    "person_transfer_decide": (
        "post",
        lambda w: [w["transfer"].pk],
        TRANSFER_DECIDE,
        {"action": "refuse"},
    ),
    "person_access": ("post", lambda w: [w["person"].pk], PERSON_ACCESS, {}),
    "household_add_member": (
        "post",
        lambda w: [w["person"].pk, w["case"].household_id],
        PERSON_CHANGE,
        {
            "first_name": "Ny",
            "birth_date": "2024-01-01",
            "role": "child",
            "valid_from": "2026-02-01",
        },
    ),
    "household_end_member": (
        "post",
        lambda w: [w["person"].pk, w["member"].pk],
        PERSON_CHANGE,
        {"valid_to": "2026-12-31"},
    ),
    "case_list": ("get", None, CASE_ROLE_PAGE, None),
    "case_new": ("get", None, CASE_ROLE_PAGE, None),
    "case_detail": ("get", lambda w: [w["case"].pk], CASE_READ, None),
    "case_status": ("post", lambda w: [w["case"].pk], CASE_WRITE, {"status": "active"}),
    "case_close": ("post", lambda w: [w["case"].pk], CASE_WRITE, {}),
    "case_reassign": ("post", lambda w: [w["case"].pk], CASE_MANAGE, {}),
    "journal_add": ("post", lambda w: [w["case"].pk], CASE_WRITE, {"text": "x", "kind": "note"}),
    "meeting_add": ("post", lambda w: [w["case"].pk], CASE_WRITE, {}),
    "meeting_record": (
        "post",
        lambda w: [w["case"].pk, w["meeting"].pk],
        CASE_WRITE,
        {"state": "no_show"},
    ),
    "application_new": ("get", lambda w: [w["case"].pk], CASE_WRITE, None),
    "application_detail": ("get", lambda w: [w["case"].pk, w["application"].pk], CASE_READ, None),
    "application_preview": ("post", lambda w: [w["case"].pk, w["application"].pk], CASE_READ, {}),
    "application_obstacles": (
        "post",
        lambda w: [w["case"].pk, w["application"].pk],
        CASE_WRITE,
        {},
    ),
    "application_schooling": (
        "post",
        lambda w: [w["case"].pk, w["application"].pk],
        CASE_WRITE,
        {},
    ),
    "case_payment_period": ("get", lambda w: [w["case"].pk], CASE_WRITE, None),
    "application_status": (
        "post",
        lambda w: [w["case"].pk, w["application"].pk],
        CASE_WRITE,
        {"status": "x"},
    ),
    "calculation_statement": (
        "get",
        lambda w: [w["case"].pk, w["application"].pk],
        CASE_READ,
        None,
    ),
    "supplement_add": ("post", lambda w: [w["case"].pk, w["application"].pk], CASE_WRITE, {}),
    "supplement_open": ("get", lambda w: [w["supplement"].pk], CASE_READ, None),
    "supplement_received": (
        "post",
        lambda w: [w["case"].pk, w["application"].pk, w["supplement"].pk],
        CASE_WRITE,
        {},
    ),
}
ENTRIES.update(
    {
        "decision_new": ("get", lambda w: [w["case"].pk, w["application"].pk], CASE_WRITE, None),
        "decision_detail": ("get", lambda w: [w["decision"].pk], CASE_READ, None),
        "decision_edit": ("get", lambda w: [w["draft"].pk], CASE_WRITE, None),
        "decision_submit": ("post", lambda w: [w["draft"].pk], CASE_WRITE, {}),
        "decision_approve": ("post", lambda w: [w["draft"].pk], CASE_MANAGE, {}),
        "decision_return": ("post", lambda w: [w["draft"].pk], CASE_MANAGE, {}),
        "decision_serve": ("post", lambda w: [w["decision"].pk], CASE_WRITE, {}),
        "decision_replace": ("post", lambda w: [w["other_final"].pk], CASE_WRITE, {}),
        "decision_letter": ("get", lambda w: [w["decision"].pk], CASE_READ, None),
        "approvals": ("get", None, MANAGER_PAGE, None),
        "appeal_new": ("post", lambda w: [w["decision"].pk], CASE_WRITE, {}),
        "appeal_list": ("get", None, CASE_ROLE_PAGE, None),
        "appeal_detail": ("get", lambda w: [w["appeal"].pk], CASE_READ, None),
        "appeal_dismissal_letter": (
            "get",
            lambda w: [w["dismissed_appeal"].pk],
            CASE_READ,
            None,
        ),
        "appeal_action": ("post", lambda w: [w["appeal"].pk, "omprova"], CASE_WRITE, {}),
        "payment_new": ("post", lambda w: [w["decision"].pk], CASE_WRITE, {}),
        "payment_list": ("get", None, CASE_ROLE_PAGE, None),
        # Attesting is done by a second person who may read the case (attestkontroll).
        "payment_attest": ("post", lambda w: [w["payment"].pk], CASE_READ, {}),
        "payment_export": ("post", None, MANAGER_PAGE, {}),
        "payment_batch_csv": (
            "get",
            lambda w: [w["batch"].pk],
            expect(dict.fromkeys(STAFF, FORBIDDEN), manager=OK, other_manager=NOT_FOUND),
            None,
        ),
        # Återkrav (SoL 33 kap.): through the case gate; acting needs change_case.
        "recovery_new": ("get", lambda w: [w["case"].pk], CASE_WRITE, None),
        "recovery_list": ("get", None, CASE_ROLE_PAGE, None),
        "recovery_detail": ("get", lambda w: [w["recovery"].pk], CASE_READ, None),
        "recovery_letter": (
            "get",
            lambda w: [w["recovery"].pk, w["recovery"].letters.get().pk],
            CASE_READ,
            None,
        ),
        "recovery_action": ("post", lambda w: [w["recovery"].pk, "betalning"], CASE_WRITE, {}),
        # A gallringsspärr on the case: the unit's manager.
        "retention_hold_place": ("post", lambda w: [w["case"].pk], CASE_MANAGE, {"reason": "x"}),
        "retention_hold_release": (
            "post",
            lambda w: [w["hold"].case_id, w["hold"].pk],
            CASE_MANAGE,
            {},
        ),
        # Gallring (SoL 16 kap.): administrators only.
        "gallring_overview": ("get", None, ADMIN_PAGE, None),
        "gallring_propose": ("post", None, ADMIN_PAGE, {}),
        "gallring_decide": ("post", lambda w: [w["gallring_run"].pk, "avbryt"], ADMIN_PAGE, {}),
    }
)
# The nämnd's lists (issue 16): unit managers (their unit) and the nämnd secretary, who is
# not one of the matrix relations – cases/tests/test_board_permissions.py asks them.
# The delegation order is no secret: every staff role but reception reads it.
NOBODY_HERE = expect(dict.fromkeys(STAFF, FORBIDDEN))
ENTRIES.update(
    {
        "board_start": ("get", None, NOBODY_HERE, None),
        "delegation_order": (
            "get",
            None,
            expect(dict.fromkeys(STAFF, OK), reception=FORBIDDEN),
            None,
        ),
        "delegation_list": ("get", None, MANAGER_PAGE, None),
        "delegation_report_new": ("post", None, NOBODY_HERE, {}),
        "delegation_report_detail": ("get", lambda w: [w["report"].pk], MANAGER_PAGE, None),
        "delegation_report_dates": ("post", lambda w: [w["report"].pk], NOBODY_HERE, {}),
        "non_execution_report": ("get", None, MANAGER_PAGE, None),
        "execution_action": (
            "post",
            lambda w: [w["decision"].pk, "skal"],
            CASE_WRITE,
            {"reason": "x"},
        ),
    }
)
PUBLIC = {"login", "logout"}


def case_url_names():
    from cases import urls

    return sorted(p.name for p in urls.urlpatterns if p.name)


def test_every_cases_url_has_an_entry():
    missing = set(case_url_names()) - set(ENTRIES) - PUBLIC
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"
    assert get_resolver() is not None


@pytest.fixture
def world(db, make_user, unit, other_unit):
    own = make_user(Role.CASEWORKER)
    applicant = PersonFactory(birth_date=date(1985, 5, 5))
    case = CaseFactory(caseworker=own, applicant=applicant)
    member = case.household.memberships.get()
    application = application_register(
        case, actor=own, month=date(2026, 11, 1), channel="e_service", applicant=applicant
    )
    users = {
        "own": own,
        "colleague": make_user(Role.CASEWORKER),
        "other_unit": make_user(Role.CASEWORKER, unit=other_unit),
        "manager": make_user(Role.UNIT_MANAGER),
        "other_manager": make_user(Role.UNIT_MANAGER, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
        "deactivated": make_user(Role.CASEWORKER),
    }
    contact = first_contact_register(
        actor=users["reception"],
        channel="phone",
        subject="other",
        unit=unit,
        name="Kim",
        assigned_to=own,
        personnummer="191212121212",
    )
    decisions = _decisions(own, users["colleague"], users["manager"], unit)
    from cases.models import DelegationReport

    report = DelegationReport.objects.create(
        board_name="Socialnämnden",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        created_by=users["manager"],
    )
    return {
        **decisions,
        "report": report,
        "users": users,
        "case": case,
        "person": applicant,
        "lone": PersonFactory(unit=unit),
        "transfer": person_transfer_request(
            PersonFactory(unit=unit), actor=users["other_unit"], reason="Flyttat till Syd."
        ),
        "member": member,
        "application": application,
        "contact": contact,
        "meeting": meeting_plan(
            case,
            actor=own,
            kind=Meeting.Kind.FIRST_VISIT,
            planned_at=timezone.now() - timedelta(hours=1),
        ),
        "note": journal_note_add(case, actor=own, text="Första anteckningen"),
        "supplement": supplement_request(
            application, actor=own, what="Kontoutdrag", due_on=timezone.localdate() + timedelta(7)
        ),
    }


def _decisions(own, colleague, manager, unit):
    """A final decision (served, appealed, paid, exported), another final one and a draft,
    each on its own case of ``own``."""
    from datetime import timedelta
    from decimal import Decimal

    from cases.models import Decision, LegalBasis
    from cases.services import decisions as svc

    made = []
    for month in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
        person = PersonFactory(birth_date=date(1980, 1, 1))
        case = CaseFactory(caseworker=own, applicant=person)
        application = application_register(
            case, actor=own, month=month, channel="e_service", applicant=person
        )
        made.append(
            svc.decision_save_draft(
                application,
                actor=own,
                items=[
                    svc.ItemInput(
                        "livelihood",
                        "granted",
                        Decimal(1000),
                        Decimal(1000),
                        LegalBasis.objects.get(code="sol2025-12-1"),
                    )
                ],
                motivering="Motivering.",
            )
        )
    final, other_final, draft = made
    final = svc.decision_submit(final, actor=own)
    other_final = svc.decision_submit(other_final, actor=own)
    svc.decision_serve(final, actor=own, served_on=timezone.localdate(), how="letter")
    appeal = svc.appeal_register(final, actor=own, received_on=timezone.localdate())
    payment = svc.payment_create(
        final,
        actor=own,
        payee=final.application.applicant,
        amount=Decimal(500),
        pay_on=timezone.localdate(),
    )
    paid = svc.payment_create(
        other_final,
        actor=own,
        payee=other_final.application.applicant,
        amount=Decimal(10),
        pay_on=timezone.localdate(),
    )
    svc.payment_attest(paid, actor=colleague)
    batch = svc.payment_batch_export(actor=manager, unit=unit)
    # A late appeal dismissed by an avvisningsbeslut (FL 45 §), with its stored letter.
    long_ago = timezone.localdate() - timedelta(days=60)
    Decision.objects.filter(pk=other_final.pk).update(decided_on=long_ago)
    other_final.refresh_from_db()
    other_final = svc.decision_serve(other_final, actor=own, how="in_person", received_on=long_ago)
    dismissed = svc.appeal_register(other_final, actor=own, received_on=timezone.localdate())
    svc.appeal_dismiss(dismissed, actor=own)
    recovery = _recovery(own, other_final)
    return {
        "recovery": recovery,
        "gallring_run": GallringRun.objects.create(as_of=timezone.localdate()),
        "hold": RetentionHold.objects.create(case=final.case, reason="Begäran", placed_by=manager),
        "decision": final,
        "other_final": other_final,
        "draft": draft,
        "appeal": appeal,
        "dismissed_appeal": dismissed,
        "payment": payment,
        "batch": batch,
    }


def _recovery(own, decision):
    """A decided återkrav of 10 kr on the attested payment, with a stored letter (written
    as rows: rendering a PDF for every request of the matrix would only slow it down)."""
    from decimal import Decimal

    from cases.models import Recovery, RecoveryLetter
    from cases.services import recovery as svc

    recovery = svc.recovery_open(
        decision.case,
        actor=own,
        debtor=decision.application.applicant,
        ground="33_1_1",
        facts="Lön redovisades inte.",
        lines=[svc.LineInput(decision.payment.pk, Decimal(10))],
    )
    Recovery.objects.filter(pk=recovery.pk).update(
        status=Recovery.Status.DECIDED, decided_by=own, decided_on=timezone.localdate()
    )
    RecoveryLetter.objects.create(
        recovery=recovery,
        kind=RecoveryLetter.Kind.DECISION,
        html="<p></p>",
        pdf=b"%PDF-",
        sha256="",
    )
    recovery.refresh_from_db()
    return recovery


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ENTRIES))
def test_permission_matrix(client, world, url_name):
    method, args, expected, data = ENTRIES[url_name]
    url = reverse(url_name, args=args(world) if args else None)
    got = outcomes(client, world["users"], url, method, data)
    assert got == expected


@pytest.mark.django_db
def test_protected_case_invisible_without_explicit_grant(client, make_user, unit):
    from guardian.shortcuts import assign_perm

    own = make_user(Role.CASEWORKER)
    case = CaseFactory(caseworker=own, applicant=PersonFactory(protected=True))
    colleague, manager = make_user(Role.CASEWORKER), make_user(Role.UNIT_MANAGER)
    url = reverse("case_detail", args=[case.pk])

    for user, expected in ((own, 200), (colleague, 404), (manager, 404)):
        client.force_login(user)
        assert client.get(url).status_code == expected

    assign_perm("cases.view_case", manager, case)
    client.force_login(manager)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_posting_extra_fields_changes_nothing(client, world, other_unit):
    own = world["users"]["own"]
    case, application = world["case"], world["application"]
    client.force_login(own)
    extra = {
        "caseworker": world["users"]["colleague"].pk,
        "unit": other_unit.pk,
        "status": "closed",
        "result": "999999",
        "created_by": world["users"]["manager"].pk,
        "version": "99",
    }

    client.post(
        reverse("journal_add", args=[case.pk]),
        {"text": "Anteckning", "kind": "note", "occurred_on": "2026-11-02", **extra},
    )
    client.post(
        reverse("meeting_add", args=[case.pk]),
        {"kind": "follow_up", "planned_at": "2026-12-01T10:00", **extra},
    )
    client.post(
        reverse("application_detail", args=[case.pk, application.pk]),
        {
            "kostnad-TOTAL_FORMS": "0",
            "kostnad-INITIAL_FORMS": "0",
            "inkomst-TOTAL_FORMS": "0",
            "inkomst-INITIAL_FORMS": "0",
            **extra,
        },
    )

    case.refresh_from_db()
    application.refresh_from_db()
    assert (case.caseworker, case.unit_id, case.status) == (own, own.unit_id, "active")
    assert application.result != 999999
    assert JournalNote.objects.filter(case=case).count() == 2
    assert not Notification.objects.filter(recipient=world["users"]["colleague"]).exists()
    assert Callback.objects.count() == 0


PROTECTED_PERSON_URLS = {
    "person_detail": ("get", None),
    "person_edit": ("get", None),
    "household_create": ("post", {}),
    "person_access": ("post", {}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(PROTECTED_PERSON_URLS))
def test_a_protected_person_only_with_the_grant(client, make_user, url_name):
    """The relation "user without the protected person's grant": the caseworker of the
    person's own case and the unit manager get 404 – as for a missing person – until
    they hold the grant."""
    from guardian.shortcuts import assign_perm

    from cases.models.people import VIEW_PROTECTED_PERSON

    own, manager = make_user(Role.CASEWORKER), make_user(Role.UNIT_MANAGER)
    person = PersonFactory(protected=True, unit=own.unit)
    method, data = PROTECTED_PERSON_URLS[url_name]
    url = reverse(url_name, args=[person.pk])
    users = {"own": own, "manager": manager, "deactivated": make_user(Role.CASEWORKER)}
    got = outcomes(client, users, url, method, data)
    assert (got["own"], got["manager"]) == (NOT_FOUND, NOT_FOUND)

    for user in (own, manager):
        assign_perm(VIEW_PROTECTED_PERSON, user, person)
    got = outcomes(client, users, url, method, data)
    expected_own = NOT_FOUND if url_name == "person_access" else OK  # managers grant
    assert (got["own"], got["manager"]) == (expected_own, OK)
