"""What happens inside a generated case: applications with their stored calculation,
decisions, supplements, meetings, journal notes and reads in the access log. A mixin of
benchdata.generate.Generator (which owns the random generator and the writer)."""

import json
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from benchdata.rows import CaseRef, Shape, local, month_end
from benchdata.texts import (
    CHILD_IMPACT,
    JOURNAL_PHRASES,
    MEETING_NOTES,
    MOTIVERING,
    MOTIVERING_REFUSED,
    SUPPLEMENTS,
)
from cases.calculation import MemberInput, calculate
from cases.models import (
    AccessLog,
    Application,
    ApplicationCost,
    ApplicationIncome,
    ApplicationItem,
    ApplicationObstacle,
    Case,
    Decision,
    DecisionItem,
    JournalNote,
    Meeting,
    SupplementRequest,
    User,
)
from cases.norms import norm_table
from cases.services.applications import SUPPLEMENT
from cases.services.decisions import APPROVAL, APPROVAL_WORKING_DAYS
from cases.workdays import add_working_days

# The caseworker's limit for livelihood grants (cases.models.decisions DEFAULT_DELEGATION):
# above it a decision waits for the unit manager, within it the caseworker's decision
# is final at once (cases.services.decisions.decision_submit).
LIVELIHOOD_DELEGATION_LIMIT = Decimal(15000)
AWAITING = "awaiting"  # an application whose decision waits for approval
# How often each försörjningshinder is chosen for a generated adult (others: 1), roughly
# as in Socialstyrelsen's statistics: unemployment and sickness dominate.
OBSTACLE_WEIGHTS = {
    "arbetslos_ingen_ersattning": 30,
    "arbetslos_otillracklig_ersattning": 8,
    "arbetslos_vantar_ersattning": 5,
    "arbetslos_etableringsersattning": 6,
    "arbetar_deltid": 6,
    "arbetshinder_sociala_skal": 14,
    "sjukskriven_ingen_sjukpenning": 10,
    "sjukskriven_otillracklig_sjukpenning": 4,
    "saknar_barnomsorg": 3,
}
MISSING_OBSTACLE_SHARE = 0.06  # adults whose försörjningshinder was never recorded


class CaseworkMixin:
    # ------------------------------------------------------------ calculation
    def _calculation(self, shape: Shape) -> tuple[dict, Decimal]:
        """One call of ``calculate`` per shape and year, the norm table read once."""
        if shape not in self._calculations:
            if shape.year not in self._tables:
                self._tables[shape.year] = norm_table(shape.year)
            members = [MemberInput("Sökande", 30, "applicant")]
            if shape.adults == 2:
                members.append(MemberInput("Medsökande", 30, "co_applicant"))
            if shape.young_adult_age is not None:
                members.append(MemberInput("Vuxet barn", shape.young_adult_age, "other_adult"))
            members += [
                MemberInput(f"Barn {i}", age, "child")
                for i, age in enumerate(shape.child_ages, start=1)
            ]
            result = calculate(
                year=shape.year,
                month=1,
                members=members,
                costs=shape.costs(),
                incomes=shape.income_inputs(),
                table=self._tables[shape.year],
            )
            self._calculations[shape] = (result.to_dict(), result.result)
        return self._calculations[shape]

    def _calculation_json(self, shape: Shape, month: date) -> tuple[str, Decimal]:
        stored, result = self._calculation(shape)
        key = (shape, month.month)
        if key not in self._calculation_texts:
            self._calculation_texts[key] = json.dumps({**stored, "month": month.month})
        return self._calculation_texts[key], result

    # ------------------------------------------------------------ applications
    def _application_status(self, month: date, result: Decimal) -> str:
        """Earlier months are decided; the newest month's (this month's while its
        norm is loaded) are at every stage."""
        if month != self.latest_month or self.rng.random() < 0.55:
            return Application.Status.DECIDED
        status = self.rng.choices(
            (Application.Status.RECEIVED, Application.Status.INVESTIGATING, "ready", "submitted"),
            (25, 45, 25, 5),
        )[0]
        if status == "submitted" and result > LIVELIHOOD_DELEGATION_LIMIT:
            return AWAITING  # approval takes at most two working days: a few at a time
        return Application.Status.READY if status in ("ready", "submitted") else status

    def _obstacles(self, case: CaseRef) -> dict[int, int]:
        """Each adult's försörjningshinder for the whole case (person → obstacle)."""
        adults = [m for m in (case.applicant, case.co_applicant) if m is not None]
        chosen = {}
        for member in adults:
            if self.rng.random() >= MISSING_OBSTACLE_SHARE:
                ids, weights = self.obstacle_choices
                chosen[member.person_id] = self.rng.choices(ids, weights)[0]
        return chosen

    def _applications(self, case: CaseRef, months: list[date]) -> None:
        rng, today = self.rng, self.today
        obstacles = self._obstacles(case)
        for month in months:
            received_on = min(
                max(month - timedelta(days=rng.randint(0, 12)), case.opened_on), today
            )
            shape = Shape(year=month.year, **case.household)
            calculation, result = self._calculation_json(shape, month)
            status = self._application_status(month, result)
            calculated = status != Application.Status.RECEIVED
            calculated_at = None
            if calculated:
                calculated_on = min(received_on + timedelta(days=rng.randint(0, 4)), today)
                calculated_at = self._office_time(calculated_on)
            co_applicant = case.co_applicant.person_id if case.co_applicant else None
            application_id = self._add(
                Application, case.id, month, received_on,
                rng.choice(("e_service", "e_service", "e_service", "letter", "visit")),
                case.applicant.person_id, co_applicant,
                Application.Status.READY if status == AWAITING else status, "[]", None,
                Decimal(0), "", calculation if calculated else None,
                calculated_at, result if calculated else None, case.caseworker.pk,
                self._office_time(received_on),
                1 + calculated + (status == Application.Status.DECIDED),
            )  # fmt: skip
            self._add(ApplicationItem, application_id, "livelihood", None, "")
            recorded_at = self._office_time(received_on)
            for person_id, obstacle_id in obstacles.items():
                self._add(
                    ApplicationObstacle, application_id, person_id, obstacle_id,
                    case.caseworker.pk, recorded_at,
                )  # fmt: skip
            for cost in shape.costs():
                self._add(
                    ApplicationCost, application_id, cost.kind, cost.actual, cost.accepted, ""
                )
            for kind, amount in shape.incomes:
                self._add(ApplicationIncome, application_id, kind, Decimal(amount), None, "")
            if status == Application.Status.DECIDED:
                self._decision_final(case, application_id, month, received_on, result)
                if rng.random() < 0.1:
                    self._supplement(case, application_id, received_on, received=True)
            elif status == AWAITING:
                self._decision_awaiting(case, application_id, month, calculated_at, result)
            elif status == Application.Status.INVESTIGATING and rng.random() < 0.3:
                self._supplement(case, application_id, received_on, received=False)

    def _decision_final(self, case: CaseRef, application_id, month, received_on, result) -> None:
        rng, today = self.rng, self.today
        decided_on = min(received_on + timedelta(days=rng.randint(1, 14)), today)
        above = result > LIVELIHOOD_DELEGATION_LIMIT  # approved by the unit manager
        decided_by = case.staff.manager.pk if above else case.caseworker.pk
        created_at = self._office_time(decided_on - timedelta(days=1 if above else 0))
        served_on = decided_on + timedelta(days=1) if decided_on < today else None
        decision_id = self._add(
            Decision, case.id, application_id, Decision.Status.FINAL, month, month_end(month),
            MOTIVERING if result > 0 else MOTIVERING_REFUSED,
            CHILD_IMPACT if case.has_children else "", "", case.caseworker.pk, decided_by, "",
            decided_on, created_at if above else None, None, served_on,
            rng.choice(("letter", "digital")) if served_on else "", created_at, 2, "post",
        )  # fmt: skip
        self._decision_item(decision_id, result)

    def _decision_awaiting(self, case: CaseRef, application_id, month, submitted_at, result):
        decision_id = self._add(
            Decision, case.id, application_id, Decision.Status.AWAITING_APPROVAL, month,
            month_end(month), MOTIVERING, CHILD_IMPACT if case.has_children else "", "",
            case.caseworker.pk, None, "", None, submitted_at, None, None, "", submitted_at, 2,
            "post",
        )  # fmt: skip
        self._decision_item(decision_id, result)
        submitted_on = timezone.localtime(submitted_at).date()
        due_on = add_working_days(submitted_on, APPROVAL_WORKING_DAYS)
        self._deadline(
            APPROVAL, self.ct_decision, decision_id, unit_id=case.unit_id, responsible=None,
            due_at=local(due_on, 23, 59), opened_at=submitted_at,
        )  # fmt: skip

    def _decision_item(self, decision_id: int, result: Decimal) -> None:
        outcome = "granted" if result > 0 else "refused"
        self._add(
            DecisionItem, decision_id, "livelihood", "", self.legal_basis, outcome, result, result
        )

    def _supplement(self, case: CaseRef, application_id, received_on, *, received: bool) -> None:
        rng, today = self.rng, self.today
        requested_on = min(received_on + timedelta(days=rng.randint(0, 3)), today)
        due_on = requested_on + timedelta(days=rng.randint(5, 14))
        arrived = None
        if received:
            arrived = min(requested_on + timedelta(days=rng.randint(1, 10)), today)
        supplement_id = self._add(
            SupplementRequest, application_id, rng.choice(SUPPLEMENTS), requested_on, due_on,
            arrived, case.caseworker.pk,
        )  # fmt: skip
        opened_at = self._office_time(requested_on)
        self._deadline(
            SUPPLEMENT, self.ct_supplement, supplement_id, unit_id=case.unit_id,
            responsible=case.caseworker.pk, due_at=local(due_on, 23, 59), opened_at=opened_at,
            met_at=max(self._office_time(arrived), opened_at) if arrived else None,
        )  # fmt: skip

    # ------------------------------------------------------------ the rest
    def _meetings(self, case: CaseRef, months: list[date]) -> None:
        rng, staff = self.rng, case.caseworker.pk
        if case.first_visit_on:
            self._add(
                Meeting, case.id, "first_visit", self._office_time(case.first_visit_on), "held",
                True, "", staff, rng.choice(MEETING_NOTES),
            )  # fmt: skip
        for month in months:
            day = self._day_between(month, min(month_end(month), case.end))
            if rng.random() < 0.45 and case.first_visit_on and day > case.first_visit_on:
                no_show = rng.random() < 0.06
                self._add(
                    Meeting, case.id, "follow_up", self._office_time(day),
                    "no_show" if no_show else "held", not no_show, "", staff,
                    rng.choice(MEETING_NOTES),
                )  # fmt: skip
        if case.status != Case.Status.CLOSED and rng.random() < 0.25:
            day = self.today + timedelta(days=rng.randint(1, 21))
            kind = "follow_up" if case.first_visit_on else "first_visit"
            planned_at = local(day, rng.randint(9, 15))
            self._add(Meeting, case.id, kind, planned_at, "planned", False, "", staff, "")

    def _journal(self, case: CaseRef, applications: int) -> None:
        rng = self.rng
        for _ in range(1 + applications + rng.randint(0, 2)):
            day = self._day_between(case.opened_on, case.end)
            communication = rng.random() < 0.1
            self._add(
                JournalNote, case.id, "communication" if communication else "note", day,
                rng.choice(JOURNAL_PHRASES), "Telefon" if communication else "", "", None,
                case.caseworker.pk, self._office_time(day),
            )  # fmt: skip

    def _access_log(self, case: CaseRef, applications: int) -> None:
        """The caseworker's reads of the case in the last four months, now and then a
        colleague's, and rarely a denied attempt from another unit."""
        rng = self.rng
        first = max(case.opened_on, self.today - timedelta(days=120))
        readers = [case.caseworker] * (1 + applications + rng.randint(0, 2))
        if rng.random() < 0.08:
            readers.append(rng.choice(case.staff.caseworkers))
        for reader in readers:
            day = self._day_between(first, case.end)
            self._log(reader, case.id, case.unit_id, day, allowed=True)
        if rng.random() < 0.003:
            other = rng.choice(self.staff)
            if other is not case.staff:
                self._log(rng.choice(other.caseworkers), case.id, None, case.end, allowed=False)

    def _log(self, user: User, case_id: int, subject_unit, day: date, *, allowed: bool) -> None:
        self._add(
            AccessLog, self._office_time(day), user.pk, user.username, "caseworker",
            user.unit_id, "case", str(case_id), subject_unit, "case_detail", "GET",
            "allowed" if allowed else "denied", self._request_id(),
        )  # fmt: skip
