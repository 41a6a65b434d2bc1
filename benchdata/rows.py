"""The shapes the generator works with: the columns it COPYs per model, the household
shape a calculation depends on, and the case being generated."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from benchdata.staff import UnitStaff
from cases.calculation import CostInput, IncomeInput
from cases.models import (
    AccessLog,
    Application,
    ApplicationCost,
    ApplicationIncome,
    ApplicationItem,
    ApplicationObstacle,
    Callback,
    Case,
    CaseEvent,
    CaseUserObjectPermission,
    Deadline,
    Decision,
    DecisionItem,
    FirstContact,
    Household,
    HouseholdMember,
    JournalNote,
    Meeting,
    Person,
    PersonUserObjectPermission,
    SupplementRequest,
    User,
)
from cases.workdays import STOCKHOLM

_COLUMNS = {
    Person: (
        "id first_name last_name personnummer reserve_number birth_date phone email "
        "street_address postal_code city preferred_language needs_interpreter "
        "protection_level created_at updated_at unit_id version"
    ),
    Household: "id unit_id created_at",
    HouseholdMember: "id household_id person_id role valid_from valid_to created_by_id",
    FirstContact: (
        "id received_at channel person_id name is_anonymous phone subject note unit_id "
        "assigned_to_id registered_by_id callback_due_at state created_at"
    ),
    Callback: "id contact_id made_at made_by_id method outcome first_visit_at note created_at",
    Deadline: (
        "id kind due_at remind_at responsible_id unit_id subject_type_id subject_id state "
        "stage opened_at met_at"
    ),
    Case: (
        "id household_id unit_id caseworker_id status opened_on first_visit_on closed_on "
        "closing_reason_id origin_contact_id created_by_id created_at updated_at version"
    ),
    CaseUserObjectPermission: "id content_object_id permission_id user_id",
    PersonUserObjectPermission: "id content_object_id permission_id user_id",
    CaseEvent: "id case_id at actor_id kind from_value to_value",
    Meeting: "id case_id kind planned_at state client_attended other_participants staff_id note",
    JournalNote: (
        "id case_id kind occurred_on text communication_method client_view corrects_id "
        "author_id written_at"
    ),
    Application: (
        "id case_id month received_on channel applicant_id co_applicant_id status "
        "lunch_away_person_ids household_size adjustment adjustment_reason "
        "calculation calculated_at result created_by_id created_at version"
    ),
    ApplicationItem: "id application_id kind amount description",
    ApplicationObstacle: "id application_id person_id obstacle_id recorded_by_id recorded_at",
    ApplicationCost: "id application_id kind actual accepted note",
    ApplicationIncome: "id application_id kind amount person_id note",
    SupplementRequest: "id application_id what requested_on due_on received_on requested_by_id",
    Decision: (
        "id case_id application_id status period_start period_end motivering child_impact "
        "conditions author_id decided_by_id participants decided_on submitted_at replaces_id "
        "served_on served_how created_at version letter_delivery"
    ),
    DecisionItem: (
        "id decision_id kind description legal_basis_id outcome applied_amount granted_amount"
    ),
    AccessLog: (
        "id at user_id username role unit_id subject_type subject_id subject_unit_id "
        "view_name method outcome request_id"
    ),
}
COLUMNS = {model: tuple(spec.split()) for model, spec in _COLUMNS.items()}


@dataclass(frozen=True)
class Shape:
    """What a calculation depends on; households of one shape share one calculation."""

    year: int
    adults: int
    child_ages: tuple[int, ...]
    young_adult_age: int | None
    rent: int
    incomes: tuple[tuple[str, int], ...]

    @property
    def size(self) -> int:
        return self.adults + len(self.child_ages) + (self.young_adult_age is not None)

    def costs(self) -> list[CostInput]:
        electricity = Decimal(250 + 60 * self.size)
        return [
            CostInput("rent", Decimal(self.rent), Decimal(self.rent)),
            CostInput("household_electricity", electricity, electricity),
        ]

    def income_inputs(self) -> list[IncomeInput]:
        return [IncomeInput(kind, Decimal(amount)) for kind, amount in self.incomes]


@dataclass(frozen=True)
class Member:
    person_id: int
    role: str
    age: int


@dataclass
class CaseRef:
    """The case being generated and what its parts need to know about it."""

    staff: UnitStaff
    caseworker: User
    id: int
    status: str
    opened_on: date
    end: date  # closing day, or today
    first_visit_on: date | None
    household: dict  # Shape fields except the year
    applicant: Member
    co_applicant: Member | None

    @property
    def unit_id(self) -> int:
        return self.staff.unit.pk

    @property
    def has_children(self) -> bool:
        return bool(self.household["child_ages"])


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def month_add(month: date, delta: int) -> date:
    index = month.year * 12 + month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return month_add(month, 1) - timedelta(days=1)
