"""Reads shared by the plan views and panels, each in a fixed number of queries."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from cases.access_rules import can_change_case_on_page
from cases.models import Case, Deadline, User
from workplans import deadlines
from workplans.links import resolve_referrals
from workplans.models import (
    Activity,
    FollowUp,
    FollowUpEntry,
    PlanVersion,
    Signature,
    WorkPlan,
)

# "Plans due soon" on the caseworker's start page: deadlines within this many days.
DUE_SOON = timedelta(days=30)


def activities_with_status(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities annotated with ``current_status``: the latest follow-up's, if any."""
    latest = FollowUpEntry.objects.filter(activity_id=OuterRef("pk")).order_by(
        "-follow_up__held_on", "-follow_up__pk"
    )
    return queryset.annotate(
        followed_status=Subquery(latest.values("status")[:1]),
        followed_comment=Subquery(latest.values("comment")[:1]),
    ).order_by("position", "pk")


def case_page_plans(case: Case) -> list[WorkPlan]:
    """The case page's plans with every version (newest first); activities and valid
    signatures only of the versions still being worked on – of a signed version the
    page shows its number and date. Two queries, four when a version is open."""
    plans = list(
        WorkPlan.objects.filter(case=case)
        .select_related("plan_type", "person")
        .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.order_by("-number")))
    )
    open_versions = [v for plan in plans for v in plan.versions.all() if v.is_open]
    if open_versions:
        prefetch_related_objects(
            open_versions,
            Prefetch("activities", queryset=Activity.objects.order_by("position", "pk")),
            Prefetch(
                "signatures",
                queryset=Signature.objects.filter(voided_at__isnull=True).select_related(
                    "person", "staff"
                ),
            ),
        )
    return plans


def split_versions(plan: WorkPlan) -> tuple[PlanVersion | None, PlanVersion | None]:
    """(the version in force, the version being worked on) from prefetched versions."""
    versions = list(plan.versions.all())
    signed = next((v for v in versions if v.status == PlanVersion.Status.SIGNED), None)
    working = next((v for v in versions if v.is_open), None)
    return signed, working


def case_panel_context(request, case: Case) -> dict:
    """The "Arbetsplan" section of the case page (cases.extensions)."""
    from cases.selectors import adults_today
    from workplans.editor import editor_for
    from workplans.forms import PlanCreateForm

    plans = case_page_plans(case)
    can_change = can_change_case_on_page(request.user, case) and not case.is_closed
    rows = []
    referral_ids = []
    for plan in plans:
        signed, working = split_versions(plan)
        editor = None
        if working is not None:
            working.plan = plan  # the prefetched plan, with its case: no query per version
            referral_ids += [a.referral_id for a in working.activities.all()]
            if can_change and working.is_draft:
                editor = editor_for(working, activities=list(working.activities.all()))
        rows.append({"plan": plan, "signed": signed, "working": working, "editor": editor})
    adults = adults_today(case) if can_change else []  # shared with the case page
    return {
        "case": case,
        "rows": rows,
        "deadline": deadlines.plan_deadline(case),
        "can_change": can_change,
        "create_form": PlanCreateForm(adults=adults) if can_change else None,
        "referrals": resolve_referrals(referral_ids),
    }


def start_panel_context(request) -> dict:
    """The caseworker's "Arbetsplaner att göra": plan and follow-up deadlines due within
    a month (or overdue) and versions waiting for signatures, in four queries."""
    from cases.selectors import case_list

    user: User = request.user
    horizon = timezone.now() + DUE_SOON
    due = list(
        Deadline.objects.filter(
            responsible=user,
            state=Deadline.State.OPEN,
            kind__in=[*deadlines.PLAN_KINDS, deadlines.FOLLOW_UP_DEADLINE],
            due_at__lte=horizon,
        ).order_by("due_at", "pk")[:20]
    )
    follow_up_ids = [d.subject_id for d in due if d.kind == deadlines.FOLLOW_UP_DEADLINE]
    activities = {
        a.pk: a
        for a in Activity.objects.filter(pk__in=follow_up_ids).select_related("version__plan")
    }
    awaiting = list(
        PlanVersion.objects.filter(status=PlanVersion.Status.AWAITING, plan__case__caseworker=user)
        .select_related("plan__plan_type", "plan__person")
        .order_by("ready_at", "pk")[:20]
    )
    case_ids = {d.subject_id for d in due if d.kind in deadlines.PLAN_KINDS}
    case_ids |= {a.version.plan.case_id for a in activities.values()}
    case_ids |= {v.plan.case_id for v in awaiting}
    cases = {c.pk: c for c in case_list(user, mine=False).filter(pk__in=case_ids)}
    items = []
    for deadline in due:
        if deadline.kind in deadlines.PLAN_KINDS:
            case = cases.get(deadline.subject_id)
            if case is not None:
                items.append({"deadline": deadline, "case": case, "activity": None})
        else:
            activity = activities.get(deadline.subject_id)
            case = cases.get(activity.version.plan.case_id) if activity else None
            if case is not None:
                items.append({"deadline": deadline, "case": case, "activity": activity})
    return {
        "items": items,
        "awaiting": [(v, cases[v.plan.case_id]) for v in awaiting if v.plan.case_id in cases],
        "now": timezone.now(),
        # The start page leaves these out of "Mina tidsfrister" (listed here already).
        "shown_deadline_ids": [item["deadline"].pk for item in items],
    }


def plan_versions(plan: WorkPlan) -> list[PlanVersion]:
    return list(plan.versions.select_related("created_by").order_by("-number"))


def version_page(version: PlanVersion) -> dict:
    """Activities (with their current status), signatures (valid and void) and follow-ups
    of one version, in a fixed number of queries."""
    activities = list(activities_with_status(version.activities.all()))
    signatures = list(version.signatures.select_related("person", "staff", "recorded_by"))
    follow_ups = list(
        FollowUp.objects.filter(version=version)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("entries", queryset=FollowUpEntry.objects.select_related("activity"))
        )
    )
    return {
        "activities": activities,
        "signatures": [s for s in signatures if s.voided_at is None],
        "void_signatures": [s for s in signatures if s.voided_at is not None],
        "follow_ups": follow_ups,
        "referrals": resolve_referrals(a.referral_id for a in activities),
    }


def open_follow_up_deadlines(version: PlanVersion) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Activity),
            subject_id__in=version.activities.values("pk"),
            kind=deadlines.FOLLOW_UP_DEADLINE,
            state=Deadline.State.OPEN,
        ).order_by("due_at")
    )
