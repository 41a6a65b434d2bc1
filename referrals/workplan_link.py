"""The link between referrals and work-plan activities, built so that either app can
land first (DESIGN.md "Layout": both depend on ``cases`` only, never on each other).

- Work plans show a linked referral through a resolver that ``referrals`` registers with
  ``workplans.links.register_referral_resolver`` (ReferralsConfig.ready, guarded import):
  ``fn(referral_ids) -> {id: (label, url)}``.
- Referrals turn an agreed next step or a kartläggning into an activity through
  ``workplans.services.activity_add(plan, *, actor, what, responsible, …, referral_id=)``
  when the workplans app provides it and the case has a plan to put it in; otherwise the
  step stays recorded here and says so.
"""

import logging
from datetime import date

from django.db import transaction
from django.urls import reverse

from referrals.models import Referral

logger = logging.getLogger(__name__)


def referral_links(referral_ids) -> dict[int, tuple[str, str]]:
    """Resolver for work-plan activities linked to referrals: a label and the referral's
    page (where the permission gate applies). Labels carry no personal data."""
    referrals = Referral.objects.filter(pk__in=list(referral_ids)).select_related(
        "provider", "service"
    )
    return {
        referral.pk: (
            f"Remiss till {referral.provider.name} – {referral.service.name} "
            f"({referral.get_state_display().lower()})",
            reverse("referrals:referral_detail", args=[referral.pk]),
        )
        for referral in referrals
    }


def _installed() -> bool:
    from django.apps import apps

    return apps.is_installed("workplans")


def register_with_workplans() -> bool:
    if not _installed():
        return False
    try:
        from workplans.links import register_referral_resolver
    except ImportError:
        return False
    register_referral_resolver(referral_links)
    return True


def _activity_add():
    if not _installed():
        return None
    try:
        from workplans.services import activity_add
    except ImportError:
        return None
    return activity_add


def workplans_available() -> bool:
    return _activity_add() is not None


def _plan_for(case, person):
    """The newest work plan of the case – the person's own if they have one."""
    if not _installed():
        return None
    try:
        from workplans.models import WorkPlan
    except ImportError:
        return None
    plans = WorkPlan.objects.filter(case=case).order_by("-created_at", "-pk")
    if person is not None:
        return plans.filter(person=person).first() or plans.first()
    return plans.first()


# workplans.models.Responsible codes for the providers it names; anyone else is "other"
# with the provider's name as the note.
_RESPONSIBLE_BY_KIND = {"education": "sfi", "region": "health_care"}
_RESPONSIBLE_BY_NAME = {
    "arbetsförmedlingen": "arbetsformedlingen",
    "försäkringskassan": "forsakringskassan",
    "budget- och skuldrådgivning": "debt_counselling",
}


def responsible_for_provider(provider) -> tuple[str, str]:
    """(workplans responsible code, note) for an activity the provider carries out."""
    name = provider.name.lower()
    for prefix, code in _RESPONSIBLE_BY_NAME.items():
        if name.startswith(prefix):
            return code, ""
    code = _RESPONSIBLE_BY_KIND.get(provider.kind)
    return (code, provider.name) if code else ("other", provider.name)


ACTIVITY_TEXT_LENGTH = 300  # workplans.Activity.what


def activity_create(
    case,
    *,
    actor,
    what: str,
    responsible: str,
    responsible_note: str = "",
    person=None,
    ends_on: date | None = None,
    referral: Referral | None = None,
) -> tuple[int | None, str]:
    """Add an activity to the case's work plan (``workplans.services.activity_add``).

    Returns (the activity's id, "") or (None, why not): no workplans app, no plan, or the
    plan refused (e.g. it is signed – only a revision changes it; workplans' errors are
    ``CaseError``s with a Swedish message). Runs in a savepoint, so a refusal leaves the
    caller's transaction usable."""
    from cases.services.casework import CaseError

    add = _activity_add()
    if add is None:
        return None, "Arbetsplaner finns inte i Vägen ännu."
    plan = _plan_for(case, person)
    if plan is None:
        return None, "Ärendet har ingen arbetsplan ännu. Upprätta arbetsplanen först."
    text = what.strip()
    if len(text) > ACTIVITY_TEXT_LENGTH:
        text = text[: ACTIVITY_TEXT_LENGTH - 1] + "…"
    kwargs = {
        "actor": actor,
        "what": text,
        "responsible": responsible,
        "responsible_note": responsible_note[:120],
        "ends_on": ends_on,
        "referral_id": referral.pk if referral is not None else None,
    }
    try:
        with transaction.atomic():
            activity = add(plan, **kwargs)
    except CaseError as error:
        logger.info("the work plan refused an activity for case %s", case.pk)
        return None, str(error)
    return activity.pk, ""


def linked_activities(referral: Referral) -> list[str]:
    """Work-plan activities that point at ``referral`` (empty without workplans): in the
    plan versions that are current – a revision copies its activities, and the old
    version's copies are history, not more activities."""
    if not _installed():
        return []
    try:
        from workplans.models import Activity
    except ImportError:
        return []
    activities = (
        Activity.objects.filter(referral_id=referral.pk)
        .exclude(version__status__in=["superseded", "discarded"])
        .select_related("version")
        .order_by("pk")[:20]
    )
    return [
        f"{activity} ({activity.version.get_status_display().lower()})" for activity in activities
    ]
