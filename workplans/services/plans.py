"""Writing plans: create, edit the draft (autosave, with an optimistic lock), make it
ready for signing, reopen, discard, revise. Signing is in services.signing, follow-ups
in services.follow_up.

Invariants (Eslöv, sources/000; DOMAIN.md §2.8):
- Only a DRAFT version is edited. AWAITING (ready for signing) and SIGNED content is
  frozen; a signed plan changes only by a revision – a new version that must be signed
  again – while the signed one stays in force.
- A plan has at most one version being worked on (draft or awaiting) and at most one in
  force (signed), enforced by unique constraints.
- Two people editing the same draft never overwrite each other silently: see
  ``plan_draft_save``.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, HouseholdMember, Person, User
from workplans.errors import StalePlan, WorkPlanError
from workplans.models import (
    Activity,
    ActivityStatus,
    FollowUpEntry,
    PlanType,
    PlanVersion,
    Responsible,
    WorkPlan,
)

# STYLE.md: the allowed status changes of a version, enforced below.
VERSION_TRANSITIONS: dict[str, set[str]] = {
    PlanVersion.Status.DRAFT: {PlanVersion.Status.AWAITING, PlanVersion.Status.DISCARDED},
    PlanVersion.Status.AWAITING: {
        PlanVersion.Status.DRAFT,
        PlanVersion.Status.SIGNED,
        PlanVersion.Status.DISCARDED,
    },
    PlanVersion.Status.SIGNED: {PlanVersion.Status.SUPERSEDED},
    PlanVersion.Status.SUPERSEDED: set(),
    PlanVersion.Status.DISCARDED: set(),
}


def _transition(version: PlanVersion, status: str) -> None:
    if status not in VERSION_TRANSITIONS[version.status]:
        raise WorkPlanError(
            _("En plan med status ”%(from)s” kan inte bli ”%(to)s”.")
            % {"from": version.get_status_display(), "to": PlanVersion.Status(status).label}
        )
    version.status = status


def _lock(version: PlanVersion) -> PlanVersion:
    return (
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("plan__case", "plan__person", "plan__plan_type")
        .get(pk=version.pk)
    )


def _check_case_open(case: Case) -> None:
    if case.is_closed:
        raise WorkPlanError(_("Ärendet är avslutat. Öppna ärendet igen för att arbeta med planen."))


def _check_editable(version: PlanVersion) -> None:
    _check_case_open(version.plan.case)
    if version.status == PlanVersion.Status.DRAFT:
        return
    if version.status == PlanVersion.Status.AWAITING:
        raise WorkPlanError(
            _("Planen väntar på underskrifter och kan inte ändras. Återta den för ändring först.")
        )
    if version.is_frozen:
        raise WorkPlanError(
            _("Planen är undertecknad och kan inte ändras. Revidera planen för att ändra den.")
        )
    raise WorkPlanError(_("Versionen är kasserad."))


def _touch(version: PlanVersion, actor: User, editor: str, fields: list[str]) -> None:
    version.edit_version += 1
    version.last_editor = editor
    version.updated_by = actor
    version.updated_at = timezone.now()
    version.save(update_fields=[*fields, "edit_version", "last_editor", "updated_by", "updated_at"])


def _check_lock(version: PlanVersion, base_edit_version: int | None, editor: str) -> None:
    """The optimistic lock of the autosaving editor. A save is accepted when nobody else
    saved since this editor loaded the version: either the version is still the one it
    loaded (``base_edit_version``), or the last save was this same editor window's
    (``editor``, a random token per loaded editor) – its own autosaves do not make it
    stale. Anything else is another person's (or tab's) change, and is refused."""
    if base_edit_version is None or base_edit_version == version.edit_version:
        return
    if editor and version.last_editor == editor:
        return
    raise StalePlan


def adults_in(case: Case, day: date | None = None) -> list[Person]:
    members = case.household.members_on(day or timezone.localdate())
    return [m.person for m in members if m.role != HouseholdMember.Role.CHILD]


def children_in(case: Case, day: date | None = None) -> list[Person]:
    members = case.household.members_on(day or timezone.localdate())
    return [m.person for m in members if m.role == HouseholdMember.Role.CHILD]


@transaction.atomic
def workplan_create(case: Case, *, actor: User, plan_type: PlanType, person: Person) -> WorkPlan:
    """A new plan with an empty draft (version 1) for an adult of the household."""
    _check_case_open(case)
    if not plan_type.is_active:
        raise WorkPlanError(_("Den typen av plan används inte längre."))
    if person.pk not in {p.pk for p in adults_in(case)}:
        raise WorkPlanError(_("Planen ska gälla en vuxen i ärendets hushåll."))
    existing = PlanVersion.objects.filter(
        plan__case=case,
        plan__person=person,
        plan__plan_type=plan_type,
        status__in=[*PlanVersion.OPEN_STATES, PlanVersion.Status.SIGNED],
    )
    if existing.exists():
        raise WorkPlanError(
            _("%(person)s har redan en %(type)s i ärendet. Revidera den i stället.")
            % {"person": person.full_name, "type": plan_type.label.lower()}
        )
    plan = WorkPlan.objects.create(case=case, person=person, plan_type=plan_type, created_by=actor)
    PlanVersion.objects.create(plan=plan, number=1, created_by=actor, updated_by=actor)
    return plan


@dataclass(frozen=True)
class ActivityInput:
    what: str = ""
    responsible: str = Responsible.CLIENT
    responsible_note: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    follow_up_on: date | None = None
    status: str = ActivityStatus.PLANNED


def _check_activity(data: ActivityInput, position: int) -> None:
    if data.responsible not in Responsible.values:
        raise WorkPlanError(_("Aktivitet %(n)s: välj vem som är ansvarig.") % {"n": position})
    if data.status not in ActivityStatus.values:
        raise WorkPlanError(_("Aktivitet %(n)s: välj status.") % {"n": position})
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise WorkPlanError(
            _("Aktivitet %(n)s: slutdatum kan inte ligga före startdatum.") % {"n": position}
        )


@transaction.atomic
def plan_draft_save(
    version: PlanVersion,
    *,
    actor: User,
    content: dict[str, str],
    activities: dict[int, ActivityInput] | None = None,
    base_edit_version: int | None = None,
    editor: str = "",
) -> PlanVersion:
    """Save the draft's text and its activities (by id) as the editor shows them.

    Refused with StalePlan when someone else changed the draft since the editor loaded
    it (see ``_check_lock``); nothing is saved then, and the editor keeps the input."""
    version = _lock(version)
    _check_editable(version)
    _check_lock(version, base_edit_version, editor)
    unknown = set(content) - set(PlanVersion.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not plan content: {sorted(unknown)}")
    activities = activities or {}
    current = {a.pk: a for a in version.activities.all()}
    if set(activities) - set(current):
        # A row the editor shows was removed by someone else meanwhile.
        raise StalePlan
    ordered = sorted(current.values(), key=lambda a: (a.position, a.pk))
    changed = []
    for position, activity in enumerate(ordered, start=1):
        data = activities.get(activity.pk)
        if data is None:
            continue
        _check_activity(data, position)
        for name, value in vars(data).items():
            setattr(activity, name, value.strip() if isinstance(value, str) else value)
        changed.append(activity)
    Activity.objects.bulk_update(
        changed,
        [
            "what",
            "responsible",
            "responsible_note",
            "starts_on",
            "ends_on",
            "follow_up_on",
            "status",
        ],
    )
    for name, value in content.items():
        setattr(version, name, value.strip())
    _touch(version, actor, editor, list(content))
    return version


def _open_version(plan: WorkPlan) -> PlanVersion:
    version = PlanVersion.objects.filter(plan=plan).open().first()
    if version is None:
        raise WorkPlanError(
            _("Planen har inget utkast. Revidera planen för att lägga till en aktivitet.")
        )
    return version


@transaction.atomic
def activity_add(
    plan: WorkPlan,
    *,
    actor: User,
    what: str = "",
    responsible: str = Responsible.CLIENT,
    responsible_note: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    follow_up_on: date | None = None,
    status: str = ActivityStatus.PLANNED,
    referral_id: int | None = None,
    editor: str = "",
) -> Activity:
    """Add an activity to the plan's draft (also the referrals app's way in, with
    ``referral_id``). Refused when the plan has no draft: a signed plan is revised."""
    version = _lock(_open_version(plan))
    _check_editable(version)
    data = ActivityInput(
        what=what.strip(),
        responsible=responsible,
        responsible_note=responsible_note.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        follow_up_on=follow_up_on,
        status=status,
    )
    last = version.activities.order_by("-position").values_list("position", flat=True).first()
    _check_activity(data, (last or 0) + 1)
    activity = Activity.objects.create(
        version=version, position=(last or 0) + 1, referral_id=referral_id, **vars(data)
    )
    _touch(version, actor, editor, [])
    return activity


@transaction.atomic
def activity_remove(activity: Activity, *, actor: User, editor: str = "") -> None:
    version = _lock(activity.version)
    _check_editable(version)
    Activity.objects.filter(pk=activity.pk, version=version).delete()
    _touch(version, actor, editor, [])


@transaction.atomic
def activity_link_referral(activity: Activity, *, actor: User, referral_id: int | None) -> Activity:
    """Link (or unlink) a draft's activity to a referral."""
    version = _lock(activity.version)
    _check_editable(version)
    Activity.objects.filter(pk=activity.pk).update(referral_id=referral_id)
    _touch(version, actor, "", [])
    activity.referral_id = referral_id
    return activity


def missing_for_signing(version: PlanVersion) -> list[str]:
    """What must be filled in before a version can be signed (Swedish labels)."""
    missing = []
    if not version.goal.strip():
        missing.append(_("målet"))
    if not version.next_step.strip():
        missing.append(_("nästa konkreta steg"))
    activities = list(version.activities.all())
    if not activities:
        missing.append(_("minst en aktivitet"))
    elif any(not a.what.strip() for a in activities):
        missing.append(_("vad varje aktivitet gäller"))
    # Barnperspektivet (Eslöv sources/000 3.2; Norrköping sources/001).
    if children_in(version.plan.case) and not version.children_perspective.strip():
        missing.append(_("barnens perspektiv"))
    if version.number > 1 and not version.revision_reason.strip():
        missing.append(_("varför planen revideras"))
    return missing


@transaction.atomic
def plan_make_ready(
    version: PlanVersion,
    *,
    actor: User,
    base_edit_version: int | None = None,
    editor: str = "",
) -> PlanVersion:
    """Freeze the draft for signing: print it, sign it. Checks that it is complete."""
    version = _lock(version)
    _check_editable(version)
    _check_lock(version, base_edit_version, editor)
    missing = missing_for_signing(version)
    if missing:
        raise WorkPlanError(
            _("Fyll i %(what)s innan planen skrivs under.") % {"what": ", ".join(missing)}
        )
    _transition(version, PlanVersion.Status.AWAITING)
    version.ready_at = timezone.now()
    _touch(version, actor, editor, ["status", "ready_at"])
    return version


@transaction.atomic
def plan_reopen(version: PlanVersion, *, actor: User) -> PlanVersion:
    """Back to draft for changes; signatures already given are void (they were given on
    content that will change) and stay in the history."""
    version = _lock(version)
    _check_case_open(version.plan.case)
    _transition(version, PlanVersion.Status.DRAFT)
    version.ready_at = None
    version.signatures.filter(voided_at__isnull=True).update(
        voided_at=timezone.now(), voided_by=actor
    )
    _touch(version, actor, "", ["status", "ready_at"])
    return version


@transaction.atomic
def plan_discard(version: PlanVersion, *, actor: User) -> PlanVersion:
    """Throw away a version that was never signed (a revision not wanted after all)."""
    version = _lock(version)
    _check_case_open(version.plan.case)
    _transition(version, PlanVersion.Status.DISCARDED)
    version.ended_at = timezone.now()
    version.signatures.filter(voided_at__isnull=True).update(
        voided_at=version.ended_at, voided_by=actor
    )
    _touch(version, actor, "", ["status", "ended_at"])
    return version


def current_statuses(version: PlanVersion) -> dict[int, str]:
    """Each activity's status now: the latest follow-up's, else the one in the plan."""
    latest = FollowUpEntry.objects.filter(activity_id=OuterRef("pk")).order_by(
        "-follow_up__held_on", "-follow_up__pk"
    )
    rows = version.activities.annotate(followed=Subquery(latest.values("status")[:1]))
    return {
        pk: followed or status
        for pk, status, followed in rows.values_list("pk", "status", "followed")
    }


@transaction.atomic
def plan_revise(plan: WorkPlan, *, actor: User, reason: str = "") -> PlanVersion:
    """Start a revision: a new draft version copied from the signed one (activities with
    their current status), which must be signed again. The signed version stays in force
    until then (Eslöv, sources/000: "Om omständigheterna så kräver skall den revideras")."""
    plan = WorkPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    _check_case_open(plan.case)
    if PlanVersion.objects.filter(plan=plan).open().exists():
        raise WorkPlanError(_("Det finns redan en version av planen som inte är undertecknad."))
    signed = PlanVersion.objects.filter(plan=plan, status=PlanVersion.Status.SIGNED).first()
    if signed is None:
        raise WorkPlanError(_("Bara en undertecknad plan kan revideras."))
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    content = {name: getattr(signed, name) for name in PlanVersion.CONTENT_FIELDS}
    content["revision_reason"] = reason.strip()
    revision = PlanVersion.objects.create(
        plan=plan, number=number, created_by=actor, updated_by=actor, **content
    )
    statuses = current_statuses(signed)
    Activity.objects.bulk_create(
        Activity(
            version=revision,
            previous=activity,
            status=statuses[activity.pk],
            **{
                name: getattr(activity, name)
                for name in Activity.COMPARED_FIELDS + ("position",)
                if name != "status"
            },
        )
        for activity in signed.activities.all()
    )
    return revision
