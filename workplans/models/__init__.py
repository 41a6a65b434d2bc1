"""Models of the workplans app: plans with versions and activities, signatures,
follow-ups."""

from .follow_up import FollowUp, FollowUpEntry
from .plans import (
    Activity,
    ActivityStatus,
    DeadlineRule,
    PlanType,
    PlanVersion,
    Responsible,
    WorkPlan,
)
from .signing import Party, Signature

__all__ = [
    "Activity",
    "ActivityStatus",
    "DeadlineRule",
    "FollowUp",
    "FollowUpEntry",
    "Party",
    "PlanType",
    "PlanVersion",
    "Responsible",
    "Signature",
    "WorkPlan",
]
