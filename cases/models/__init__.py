"""Models of the core app, one module per aggregate."""

from .access import AccessLog
from .contacts import Callback, Channel, FirstContact
from .deadlines import Deadline, Notification
from .people import (
    Household,
    HouseholdMember,
    Person,
    PersonGroupObjectPermission,
    PersonUserObjectPermission,
    ProtectionLevel,
)
from .staff import Unit, User

__all__ = [
    "AccessLog",
    "Callback",
    "Channel",
    "Deadline",
    "FirstContact",
    "Household",
    "HouseholdMember",
    "Notification",
    "Person",
    "PersonGroupObjectPermission",
    "PersonUserObjectPermission",
    "ProtectionLevel",
    "Unit",
    "User",
]
