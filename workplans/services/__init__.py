"""Every write in the workplans app (STYLE.md: services named <noun>_<verb>, with an
``actor``, validated before saving, in a transaction). Other apps import from here, e.g.
the referrals app: ``from workplans.services import activity_add``."""

from workplans.errors import StalePlan, WorkPlanError
from workplans.services.follow_up import follow_up_record
from workplans.services.plans import (
    ActivityInput,
    activity_add,
    activity_link_referral,
    activity_remove,
    plan_discard,
    plan_draft_save,
    plan_make_ready,
    plan_reopen,
    plan_revise,
    workplan_create,
)
from workplans.services.signing import workplan_sign

__all__ = [
    "ActivityInput",
    "StalePlan",
    "WorkPlanError",
    "activity_add",
    "activity_link_referral",
    "activity_remove",
    "follow_up_record",
    "plan_discard",
    "plan_draft_save",
    "plan_make_ready",
    "plan_reopen",
    "plan_revise",
    "workplan_create",
    "workplan_sign",
]
