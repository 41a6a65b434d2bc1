"""Models of the core app, one module per aggregate."""

from .access import AccessLog
from .applications import (
    Application,
    ApplicationCost,
    ApplicationIncome,
    ApplicationItem,
    ApplicationObstacle,
    ApplicationSchooling,
    SupplementRequest,
    SupportObstacle,
)
from .casework import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    ClosingReason,
    JournalNote,
    Meeting,
)
from .contacts import Callback, Channel, FirstContact
from .deadlines import Deadline, Notification
from .decisions import (
    Appeal,
    AppealRoute,
    Decision,
    DecisionItem,
    DecisionLetter,
    DelegationRule,
    LegalBasis,
    Payment,
    PaymentBatch,
)
from .norms import NormCommonCost, NormPersonalCost, NormYear, PersonalCostCategory
from .people import (
    Household,
    HouseholdMember,
    Person,
    PersonGroupObjectPermission,
    PersonTransfer,
    PersonUserObjectPermission,
    ProtectionLevel,
)
from .staff import Unit, User

__all__ = [
    "AccessLog",
    "Appeal",
    "AppealRoute",
    "Decision",
    "DecisionItem",
    "DecisionLetter",
    "DelegationRule",
    "LegalBasis",
    "Payment",
    "PaymentBatch",
    "Application",
    "ApplicationCost",
    "ApplicationIncome",
    "ApplicationItem",
    "ApplicationObstacle",
    "ApplicationSchooling",
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "CaseUserObjectPermission",
    "ClosingReason",
    "JournalNote",
    "Meeting",
    "SupplementRequest",
    "SupportObstacle",
    "Callback",
    "Channel",
    "Deadline",
    "FirstContact",
    "Household",
    "HouseholdMember",
    "NormCommonCost",
    "NormPersonalCost",
    "NormYear",
    "Notification",
    "Person",
    "PersonGroupObjectPermission",
    "PersonTransfer",
    "PersonUserObjectPermission",
    "PersonalCostCategory",
    "ProtectionLevel",
    "Unit",
    "User",
]
