"""Plans as agreements: drafting, signing by both parties, frozen once signed, revised
into new versions, follow-ups, and concurrent edits that never overwrite silently."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction
from django.utils import timezone

from cases.models import ClosingReason
from cases.roles import Role
from cases.services.casework import case_close
from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory
from workplans.comparison import compare_versions
from workplans.links import register_referral_resolver, resolve_referrals
from workplans.models import Activity, PlanType, PlanVersion, Signature
from workplans.services import (
    ActivityInput,
    StalePlan,
    WorkPlanError,
    activity_add,
    activity_remove,
    follow_up_record,
    plan_discard,
    plan_draft_save,
    plan_make_ready,
    plan_reopen,
    plan_revise,
    workplan_create,
    workplan_sign,
)
from workplans.signing import (
    CollectResult,
    ElectronicSignatureMethod,
    SignatureEvidence,
    register_signature_method,
)
from workplans.tests.conftest import SCAN, draft_plan, ready_plan, scan, signed_plan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def sign(version, actor, party, **kwargs):
    kwargs.setdefault("method", "in_person")
    kwargs.setdefault("signed_on", TODAY())
    return workplan_sign(version, actor=actor, party=party, **kwargs)


# --- drafting -------------------------------------------------------------------------


def test_a_new_plan_is_an_empty_draft_for_an_adult_of_the_household(case, caseworker, arbetsplan):
    child = PersonFactory(first_name="Barn")
    household_member_add(
        case.household, person=child, role="child", valid_from=TODAY(), actor=caseworker
    )
    with pytest.raises(WorkPlanError, match="vuxen"):
        workplan_create(case, actor=caseworker, plan_type=arbetsplan, person=child)

    plan = draft_plan(case, caseworker, activities=0)
    version = plan.versions.get()
    assert (version.number, version.status, version.goal) == (1, "draft", "Egen försörjning")

    with pytest.raises(WorkPlanError, match="redan en arbetsplan"):
        workplan_create(case, actor=caseworker, plan_type=arbetsplan, person=plan.person)


def test_the_draft_saves_only_what_was_given(case, caseworker):
    plan = draft_plan(case, caseworker, activities=1)
    version = plan.versions.get()
    activity = version.activities.get()

    plan_draft_save(
        version,
        actor=caseworker,
        content={"client_view": "  Ny syn  "},
        activities={activity.pk: ActivityInput(what="Ändrad", responsible="sfi")},
    )

    version.refresh_from_db()
    activity.refresh_from_db()
    assert version.client_view == "Ny syn"
    assert version.next_step == "Skriva in sig hos Arbetsförmedlingen."
    assert (activity.what, activity.responsible) == ("Ändrad", "sfi")


def test_an_activity_period_must_be_ordered(case, caseworker):
    plan = draft_plan(case, caseworker, activities=1)
    version = plan.versions.get()
    activity = version.activities.get()
    with pytest.raises(WorkPlanError, match="Aktivitet 1: slutdatum"):
        plan_draft_save(
            version,
            actor=caseworker,
            content={},
            activities={
                activity.pk: ActivityInput(
                    what="x", starts_on=TODAY(), ends_on=TODAY() - timedelta(days=1)
                )
            },
        )


# --- concurrent edits -----------------------------------------------------------------


def test_concurrent_edits_of_a_draft_never_silently_overwrite(case, caseworker, make_user):
    plan = draft_plan(case, caseworker)
    version = plan.versions.get()
    loaded = version.edit_version  # two editors open the same draft

    plan_draft_save(
        version,
        actor=caseworker,
        content={"next_step": "Eriks text"},
        base_edit_version=loaded,
        editor="erik-tab",
    )
    # Erik's own autosaves continue from the version he loaded.
    plan_draft_save(
        version,
        actor=caseworker,
        content={"next_step": "Eriks text, fortsättning"},
        base_edit_version=loaded,
        editor="erik-tab",
    )
    colleague = make_user(Role.UNIT_MANAGER)
    with pytest.raises(StalePlan) as refused:
        plan_draft_save(
            version,
            actor=colleague,
            content={"next_step": "Chefens text"},
            base_edit_version=loaded,
            editor="maria-tab",
        )
    assert "ändrats av någon annan" in str(refused.value)
    assert "Det du skrev finns kvar" in str(refused.value)
    version.refresh_from_db()
    assert version.next_step == "Eriks text, fortsättning"

    # Now Erik is the stale one: the colleague reloaded and saved.
    plan_draft_save(
        version,
        actor=colleague,
        content={"next_step": "Chefens text"},
        base_edit_version=version.edit_version,
        editor="maria-tab-2",
    )
    with pytest.raises(StalePlan):
        plan_draft_save(
            version,
            actor=caseworker,
            content={"next_step": "Eriks sena ändring"},
            base_edit_version=loaded,
            editor="erik-tab",
        )
    version.refresh_from_db()
    assert version.next_step == "Chefens text"


def test_an_activity_removed_by_someone_else_makes_the_editor_stale(case, caseworker):
    plan = draft_plan(case, caseworker)
    version = plan.versions.get()
    first, second = version.activities.order_by("position")
    loaded = version.edit_version
    activity_remove(second, actor=caseworker, editor="other-tab")

    with pytest.raises(StalePlan):
        plan_draft_save(
            version,
            actor=caseworker,
            content={},
            activities={
                first.pk: ActivityInput(what="a"),
                second.pk: ActivityInput(what="b"),
            },
            base_edit_version=loaded,
            editor="my-tab",
        )


def test_ready_for_signing_needs_the_essentials(case, caseworker, arbetsplan):
    child = PersonFactory(first_name="Liv")
    household_member_add(
        case.household, person=child, role="child", valid_from=TODAY(), actor=caseworker
    )
    plan = workplan_create(case, actor=caseworker, plan_type=arbetsplan, person=case_person(case))
    version = plan.versions.get()
    with pytest.raises(WorkPlanError) as missing:
        plan_make_ready(version, actor=caseworker)
    for what in ("nästa konkreta steg", "minst en aktivitet", "barnens perspektiv"):
        assert what in str(missing.value)

    plan_draft_save(
        version,
        actor=caseworker,
        content={"next_step": "SFI", "children_perspective": "Liv har plats på fritids."},
    )
    activity_add(plan, actor=caseworker, what="SFI", responsible="sfi")
    assert plan_make_ready(version, actor=caseworker).status == "awaiting"


def case_person(case):
    return case.household.memberships.get(role="applicant").person


# --- signing --------------------------------------------------------------------------


def test_a_plan_cannot_be_signed_with_one_signature(case, caseworker):
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()

    sign(version, caseworker, "client", scanned_copy=scan())
    version.refresh_from_db()
    assert version.status == "awaiting"
    assert version.signed_at is None

    with pytest.raises(WorkPlanError, match="redan skrivit under"):
        sign(version, caseworker, "client", scanned_copy=scan())
    version.refresh_from_db()
    assert version.status == "awaiting"

    sign(version, caseworker, "caseworker")
    version.refresh_from_db()
    assert version.status == "signed"
    assert {s.party for s in version.signatures.all()} == {"client", "caseworker"}


def test_the_database_refuses_a_signed_version_without_both_parties_too(case, caseworker):
    # Constraint: one valid signature per party; the status change is the services' job,
    # but two client signatures can never be stored as "both".
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()
    sign(version, caseworker, "client", scanned_copy=scan())
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            version=version,
            party="client",
            person=plan.person,
            method="in_person",
            signed_on=TODAY(),
            content_digest="x",
            recorded_by=caseworker,
        )


def test_signing_needs_a_version_ready_for_signing(case, caseworker):
    plan = draft_plan(case, caseworker)
    with pytest.raises(WorkPlanError, match="klar för underskrift"):
        sign(plan.versions.get(), caseworker, "client", scanned_copy=scan())


def test_the_signatures_record_who_signed_how_and_what(case, caseworker):
    plan = signed_plan(case, caseworker)
    version = plan.versions.get()
    client, staff = version.signatures.order_by("pk")
    assert (client.party, client.person, client.staff) == ("client", plan.person, None)
    assert (staff.party, staff.person, staff.staff) == ("caseworker", None, caseworker)
    assert client.method == "in_person"
    assert client.content_digest == staff.content_digest == version.content_digest()
    # Both signed the same paper: the scan is stored once, under its SHA-256.
    assert client.scanned_copy.name == staff.scanned_copy.name
    assert client.scanned_copy.name.startswith("workplans/underskrifter/")
    assert client.scanned_copy.read() == SCAN


def test_in_person_signing_needs_the_scanned_copy(case, caseworker):
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()
    with pytest.raises(WorkPlanError, match="inskannade"):
        sign(version, caseworker, "client")
    with pytest.raises(WorkPlanError, match="PDF-, JPEG- eller PNG"):
        sign(version, caseworker, "client", scanned_copy=scan("plan.exe"))
    with pytest.raises(WorkPlanError, match="inte en PDF"):
        sign(version, caseworker, "client", scanned_copy=scan("plan.pdf", b"MZ not a pdf"))
    assert not version.signatures.exists()


def test_a_signature_cannot_be_dated_in_the_future_or_before_the_plan(case, caseworker):
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()
    for day in (TODAY() + timedelta(days=1), TODAY() - timedelta(days=1)):
        with pytest.raises(WorkPlanError):
            sign(version, caseworker, "client", signed_on=day, scanned_copy=scan())


class FakeBankId(ElectronicSignatureMethod):
    """An electronic provider as a BankID integration would be written."""

    code = "fake_bankid"
    label = "Test-BankID"

    def __init__(self):
        self.orders = {}

    def start(self, *, version, party, personnummer, text):
        reference = f"order-{len(self.orders) + 1}"
        self.orders[reference] = personnummer
        return reference

    def collect(self, reference):
        return CollectResult(
            "complete",
            SignatureEvidence(
                signed_on=TODAY(),
                reference=reference,
                personnummer=self.orders[reference],
                data={"signature": "PD94bWwg…", "ocspResponse": "MIIH…"},
            ),
        )


def test_an_electronic_method_plugs_in_and_must_be_signed_by_the_client(caseworker, arbetsplan):
    person = PersonFactory(personnummer="191212121212")
    case = CaseFactory(caseworker=caseworker, applicant=person)
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()
    provider = FakeBankId()
    register_signature_method(provider)

    wrong = provider.start(
        version=version, party="client", personnummer="194408139089", text="Arbetsplan"
    )
    with pytest.raises(WorkPlanError, match="inte gjord av planens klient"):
        workplan_sign(
            version,
            actor=caseworker,
            party="client",
            method="fake_bankid",
            signed_on=TODAY(),
            evidence=provider.collect(wrong).evidence,
        )

    order = provider.start(
        version=version, party="client", personnummer=person.personnummer, text="Arbetsplan"
    )
    signature = workplan_sign(
        version,
        actor=caseworker,
        party="client",
        method="fake_bankid",
        signed_on=TODAY(),
        evidence=provider.collect(order).evidence,
    )
    assert (signature.method, signature.evidence_reference) == ("fake_bankid", order)
    assert signature.evidence["ocspResponse"] == "MIIH…"
    assert not signature.scanned_copy


# --- frozen once signed ---------------------------------------------------------------


def test_editing_a_signed_plan_is_impossible_except_by_revision(case, caseworker):
    plan = signed_plan(case, caseworker)
    version = plan.versions.get()
    activity = version.activities.first()

    with pytest.raises(WorkPlanError, match="Revidera planen"):
        plan_draft_save(version, actor=caseworker, content={"next_step": "Ändrat"})
    with pytest.raises(WorkPlanError):
        activity_add(plan, actor=caseworker, what="Ny")
    with pytest.raises(WorkPlanError):
        activity_remove(activity, actor=caseworker)
    with pytest.raises(WorkPlanError):
        plan_reopen(version, actor=caseworker)
    with pytest.raises(WorkPlanError):
        plan_discard(version, actor=caseworker)

    version.refresh_from_db()
    assert version.next_step == "Skriva in sig hos Arbetsförmedlingen."
    assert version.activities.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda v: PlanVersion.objects.filter(pk=v.pk).update(next_step="Ändrat i SQL"),
        lambda v: PlanVersion.objects.filter(pk=v.pk).update(status="draft"),
        lambda v: Activity.objects.filter(version=v).update(what="Ändrat i SQL"),
        lambda v: Activity.objects.create(version=v, what="Smugglad"),
        lambda v: Signature.objects.filter(version=v).update(signed_on=TODAY() - timedelta(1)),
    ],
    ids=["text", "status", "activity", "new-activity", "signature"],
)
def test_the_database_refuses_to_change_a_signed_plan(case, caseworker, change):
    version = signed_plan(case, caseworker).versions.get()
    with (
        pytest.raises((InternalError, IntegrityError, ProgrammingError), match="revidera planen"),
        transaction.atomic(),
    ):
        change(version)


def test_revision_creates_a_new_version_to_sign_while_the_old_one_applies(case, caseworker):
    plan = signed_plan(case, caseworker)
    v1 = plan.versions.get()

    v2 = plan_revise(plan, actor=caseworker, reason="")
    with pytest.raises(WorkPlanError, match="redan en version"):
        plan_revise(plan, actor=caseworker, reason="x")  # one version worked on at a time

    assert v2.status == "draft"
    assert v2.revision_reason == ""
    v1.refresh_from_db()
    assert v1.status == "signed"
    assert [a.previous_id for a in v2.activities.order_by("position")] == list(
        v1.activities.order_by("position").values_list("pk", flat=True)
    )

    with pytest.raises(WorkPlanError, match="varför planen revideras"):
        plan_make_ready(v2, actor=caseworker)
    plan_draft_save(
        v2, actor=caseworker, content={"revision_reason": "Fått praktik", "next_step": "Praktik"}
    )
    plan_make_ready(v2, actor=caseworker)
    sign(v2, caseworker, "client", scanned_copy=scan("v2.pdf", SCAN + b"v2"))
    v1.refresh_from_db()
    assert v1.status == "signed"  # one signature on v2 changes nothing
    sign(v2, caseworker, "caseworker")

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("superseded", "signed")
    assert v1.next_step == "Skriva in sig hos Arbetsförmedlingen."  # history kept


def test_revising_copies_the_followed_up_status(case, caseworker):
    plan = signed_plan(case, caseworker)
    v1 = plan.versions.get()
    first = v1.activities.order_by("position").first()
    follow_up_record(v1, actor=caseworker, held_on=TODAY(), statuses={first.pk: ("done", "Klart")})

    v2 = plan_revise(plan, actor=caseworker, reason="Ny situation")

    assert list(v2.activities.order_by("position").values_list("status", flat=True)) == [
        "done",
        "planned",
    ]
    first.refresh_from_db()
    assert first.status == "planned"  # the signed plan itself is unchanged


def test_versions_are_comparable(case, caseworker):
    plan = signed_plan(case, caseworker)
    v1 = plan.versions.get()
    v2 = plan_revise(plan, actor=caseworker, reason="Praktik")
    first, second = v2.activities.order_by("position")
    plan_draft_save(
        v2,
        actor=caseworker,
        content={"next_step": "Börja praktik"},
        activities={first.pk: ActivityInput(what="Aktivitet 1, omskriven")},
    )
    activity_remove(second, actor=caseworker)
    activity_add(plan, actor=caseworker, what="Praktik på lager")

    comparison = compare_versions(
        v1, PlanVersion.objects.get(pk=v2.pk), list(Activity.objects.filter(version__plan=plan))
    )

    changed = {c.label: (c.before, c.after) for c in comparison.text if c.changed}
    assert changed["Nästa konkreta steg"] == (
        "Skriva in sig hos Arbetsförmedlingen.",
        "Börja praktik",
    )
    assert changed["Varför planen revideras"] == ("", "Praktik")
    kinds = [(c.kind, (c.before or c.after).what) for c in comparison.activities]
    assert kinds == [
        ("changed", "Aktivitet 1"),
        ("added", "Praktik på lager"),
        ("removed", "Aktivitet 2"),
    ]
    assert comparison.has_changes


def test_reopening_voids_the_signatures_given(case, caseworker):
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()
    sign(version, caseworker, "caseworker", scanned_copy=scan())

    plan_reopen(version, actor=caseworker)

    version.refresh_from_db()
    assert version.status == "draft"
    signature = version.signatures.get()
    assert signature.voided_at is not None and signature.voided_by == caseworker
    plan_make_ready(version, actor=caseworker)
    sign(version, caseworker, "client", scanned_copy=scan())
    version.refresh_from_db()
    assert version.status == "awaiting"  # the void signature does not count


def test_a_discarded_revision_leaves_the_signed_plan_in_force(case, caseworker):
    plan = signed_plan(case, caseworker)
    v2 = plan_revise(plan, actor=caseworker, reason="Kanske")
    plan_discard(v2, actor=caseworker)
    assert list(plan.versions.values_list("number", "status")) == [
        (1, "signed"),
        (2, "discarded"),
    ]
    assert plan_revise(plan, actor=caseworker, reason="Ny").number == 3


def test_nothing_changes_in_a_closed_case(case, caseworker):
    plan = draft_plan(case, caseworker)
    case_close(case, actor=caseworker, reason=ClosingReason.objects.first())
    with pytest.raises(WorkPlanError, match="avslutat"):
        plan_draft_save(plan.versions.get(), actor=caseworker, content={"next_step": "x"})


# --- follow-up ------------------------------------------------------------------------


def test_a_follow_up_records_each_activitys_status(case, caseworker):
    plan = signed_plan(case, caseworker)
    version = plan.versions.get()
    first, second = version.activities.order_by("position")

    follow_up = follow_up_record(
        version,
        actor=caseworker,
        held_on=TODAY(),
        note="Bra start",
        client_view="Nöjd",
        statuses={first.pk: ("ongoing", "Påbörjad")},
    )

    entries = {e.activity_id: (e.status, e.comment) for e in follow_up.entries.all()}
    assert entries == {first.pk: ("ongoing", "Påbörjad"), second.pk: ("planned", "")}
    with pytest.raises(WorkPlanError, match="i förväg"):
        follow_up_record(version, actor=caseworker, held_on=TODAY() + timedelta(days=1))


def test_only_the_plan_in_force_is_followed_up(case, caseworker):
    plan = ready_plan(case, caseworker)
    with pytest.raises(WorkPlanError, match="Bara planen som gäller"):
        follow_up_record(plan.versions.get(), actor=caseworker, held_on=TODAY())


# --- the link to referrals ------------------------------------------------------------


def test_referrals_add_linked_activities_to_a_draft_only(case, caseworker):
    plan = draft_plan(case, caseworker, activities=0)
    activity = activity_add(
        plan,
        actor=caseworker,
        what="Remiss till jobbklubb",
        responsible="other",
        responsible_note="Jobbklubben",
        referral_id=4711,
    )
    assert activity.referral_id == 4711
    plan_draft_save(plan.versions.get(), actor=caseworker, content={"next_step": "Jobbklubb"})
    plan_make_ready(plan.versions.get(), actor=caseworker)
    with pytest.raises(WorkPlanError, match="Revidera planen|utkast|underskrifter"):
        activity_add(plan, actor=caseworker, what="Ännu en", referral_id=4712)


def test_referral_resolvers_give_labels_and_links(monkeypatch):
    from workplans import links

    monkeypatch.setattr(links, "_RESOLVERS", [])
    assert resolve_referrals([None]) == {}

    def resolver(ids):
        return {i: (f"Remiss {i}", f"/remisser/{i}/") for i in ids if i < 100}

    register_referral_resolver(resolver)
    assert resolve_referrals([5, 500, None]) == {5: ("Remiss 5", "/remisser/5/")}


def test_plan_types_are_data_seeded_once():
    assert list(PlanType.objects.values_list("code", "deadline_rule", "deadline_amount")) == [
        ("arbetsplan", "months", 3),
        ("introduktionsplan", "months", 3),
        ("jobbplan", "working_days", 5),
    ]
    assert PlanType.objects.filter(starts_clock=True).count() == 1
