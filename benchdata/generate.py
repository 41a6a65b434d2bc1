"""The generator: households with members, cases and everything that happens in them,
written with COPY in chunks of households (see benchdata.writer).

What a household gets (shares are per case unless said otherwise):

- persons with reserve numbers (never a personnummer) and realistic birth dates: one or
  two adults (a fifth of applicants are 18–24), children 0–17 in half the households, a
  young adult (other_adult) in some; a few with sekretessmarkering, for whom the
  caseworker holds the explicit grant;
- a first contact registered by reception, its callback (most within the 24 working
  hours, some late) and the met callback deadline;
- a case: ~79 % active, ~18 % closed with a closing reason, ~3 % just opened; the first
  visit as a held meeting, later follow-ups, some meetings planned ahead;
- grants (view_case, change_case) for the caseworker on every case that is not closed –
  closing revokes them in the app, so closed cases have none;
- 1–3 monthly applications with costs, incomes and a stored calculation (one call of
  ``cases.calculation.calculate`` per distinct household shape and year), final
  decisions with an item for all but the newest, decisions above the caseworker's
  delegation approved by the unit manager or waiting for approval (with the approval
  deadline), requests for supplements with open or met deadlines;
- each adult's försörjningshinder on every application (a few never recorded);
- arbetsplaner where the workplans app is installed (benchdata.plans) and
  referrals with their clocks where the referrals app is (benchdata.referrals);
- journal notes, case events and access-log rows;
- beside the cases, first contacts still waiting for their callback (open deadlines).
"""

import random
from datetime import date, timedelta

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from benchdata.casework import OBSTACLE_WEIGHTS, CaseworkMixin
from benchdata.plans import PlansMixin
from benchdata.referrals import ReferralsMixin
from benchdata.rows import COLUMNS, CaseRef, Member, local, month_add
from benchdata.staff import UnitStaff, ensure_staff
from benchdata.texts import (
    CITIES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    LANGUAGES,
    LAST_NAMES,
    STREETS,
)
from benchdata.writer import BulkWriter
from cases.deadlines import get_kind
from cases.models import (
    Callback,
    Case,
    CaseEvent,
    CaseUserObjectPermission,
    ClosingReason,
    Deadline,
    Decision,
    FirstContact,
    Household,
    HouseholdMember,
    LegalBasis,
    NormYear,
    Person,
    PersonUserObjectPermission,
    SupplementRequest,
    SupportObstacle,
)
from cases.services.applications import SUPPLEMENT
from cases.services.contacts import CALLBACK, CALLBACK_WORKING_HOURS
from cases.services.decisions import APPROVAL
from cases.workdays import add_working_hours

CHUNK = 2_000  # households per COPY round and transaction

ADULT_INCOMES = (  # (kind, monthly amount, weight) for an adult of the household
    (None, 0, 60),
    ("activity_support", 4_700, 15),
    ("sickness_benefit", 6_200, 8),
    ("salary", 5_500, 10),
    ("akassa", 7_900, 7),
)
CHILD_BENEFIT = {0: 0, 1: 1_250, 2: 2_650, 3: 4_480}  # barnbidrag incl. flerbarnstillägg


class Generator(CaseworkMixin, PlansMixin, ReferralsMixin):
    def __init__(self, *, households: int, units: int, seed: int, progress=None):
        self.households = households
        self.units = units
        # Fabricated data, reproducible from the seed; nothing secret about it.
        self.rng = random.Random(seed)  # noqa: S311
        self.progress = progress or (lambda message: None)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.this_month = self.today.replace(day=1)
        self.writer = BulkWriter()
        self.columns = dict(COLUMNS)  # and the plan tables, where installed
        self._calculations: dict = {}
        self._calculation_texts: dict = {}
        self._tables: dict = {}
        self._review_cases: dict[int, list[int]] = {}  # caseworker → a few open cases

    # ------------------------------------------------------------------ set-up
    def _prepare(self) -> None:
        self.staff = ensure_staff(self.units, self.rng)
        ct = ContentType.objects.get_for_model
        self.ct_contact = ct(FirstContact).pk
        self.ct_supplement = ct(SupplementRequest).pk
        self.ct_decision = ct(Decision).pk
        case_ct = ct(Case)
        self.perm_view = Permission.objects.get(content_type=case_ct, codename="view_case").pk
        self.perm_change = Permission.objects.get(content_type=case_ct, codename="change_case").pk
        self.perm_person = Permission.objects.get(
            content_type=ct(Person), codename="view_protected_person"
        ).pk
        self.reasons = list(ClosingReason.objects.filter(is_active=True).values_list("pk", "label"))
        obstacles = SupportObstacle.objects.filter(is_active=True).values_list("pk", "code")
        self.obstacle_choices = (
            [pk for pk, _ in obstacles],
            [OBSTACLE_WEIGHTS.get(code, 1) for _, code in obstacles],
        )
        basis = LegalBasis.objects.get(code="sol2025-12-1")
        self.legal_basis = basis.pk
        # Applications only in months the legal basis and the norm tables cover: a new
        # year has no riksnorm until it is loaded, and the generator never invents one –
        # from 1 January until then the newest applications are for last December.
        years = set(
            NormYear.objects.filter(is_active=True, year__lte=self.today.year).values_list(
                "year", flat=True
            )
        )
        earliest = month_add(basis.valid_from.replace(day=1), basis.valid_from.day > 1)
        years = {year for year in years if year >= earliest.year}
        if not years:
            raise ValueError("Ingen riksnorm är inläst för åren sedan lagrummet började gälla.")
        while earliest.year not in years:
            earliest = month_add(earliest, 1)
        self.earliest_month = earliest
        newest = max(years)
        self.latest_month = self.this_month if newest == self.today.year else date(newest, 12, 1)
        self.remind = {
            code: get_kind(code).remind_before for code in (CALLBACK, SUPPLEMENT, APPROVAL)
        }
        self._prepare_plans()
        self._prepare_referrals()

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self._prepare()
        weights = [self.rng.uniform(0.7, 1.3) for _ in self.staff]
        per_unit = self._spread(self.households, weights)
        plan = [s for s, count in zip(self.staff, per_unit, strict=True) for _ in range(count)]
        self.rng.shuffle(plan)
        for start in range(0, len(plan), CHUNK):
            with transaction.atomic():
                for staff in plan[start : start + CHUNK]:
                    self._household(staff)
                if start == 0:
                    self._waiting_contacts()
                self.writer.flush()
                self._sign_written_plans()
            self.progress(f"{min(start + CHUNK, len(plan))} / {len(plan)} hushåll")
        self._case_reviews()
        return dict(self.writer.written)

    def _case_reviews(self) -> None:
        """Ärendegenomgångar through the reporting app's own service, where installed
        (the generator runs without it): one to four per caseworker, three to four months
        apart, the latest with an agreed action ahead (a deadline)."""
        try:
            from reporting.services import case_review_record
        except ImportError:
            return
        rng = self.rng
        wanted = [pk for pks in self._review_cases.values() for pk in pks]
        cases = Case.objects.in_bulk(wanted)
        with transaction.atomic():
            for staff in self.staff:
                for caseworker in staff.caseworkers:
                    own = [cases[pk] for pk in self._review_cases.get(caseworker.pk, [])]
                    held = self.today - timedelta(days=rng.randint(0, 120))
                    for number in range(rng.randint(1, 4)):
                        due_on = self.today + timedelta(days=rng.randint(7, 30))
                        case_review_record(
                            actor=staff.manager,
                            caseworker=caseworker,
                            held_on=held,
                            cases=rng.sample(own, min(3, len(own))),
                            notes="Genomgång av ärenden enligt plan.",
                            actions=[("Följ upp planen", due_on)] if number == 0 else [],
                        )
                        held -= timedelta(days=rng.randint(100, 140))
                        self.writer.written["reporting.CaseReview"] += 1

    @staticmethod
    def _spread(total: int, weights: list[float]) -> list[int]:
        counts = [int(total * w / sum(weights)) for w in weights]
        for i in range(total - sum(counts)):
            counts[i % len(counts)] += 1
        return counts

    # ------------------------------------------------------------- helpers
    def _add(self, model, *values) -> int:
        row_id = self.writer.next_id(model)
        self.writer.add(model, self.columns[model], (row_id, *values))
        return row_id

    def _day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _office_time(self, day: date):
        moment = local(day, self.rng.randint(8, 16), self.rng.choice((0, 15, 30, 45)))
        return min(moment, self.now - timedelta(minutes=5))

    def _request_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _deadline(
        self,
        kind,
        subject_type,
        subject_id,
        *,
        unit_id,
        responsible,
        due_at,
        opened_at,
        met_at=None,
        state=None,
    ) -> None:
        """As cases.deadlines.open_deadline would have left it (and meet_deadlines, or
        cancel_deadlines with ``state``)."""
        remind_at = max(min(opened_at, due_at), due_at - self.remind[kind])
        state = state or (Deadline.State.MET if met_at else Deadline.State.OPEN)
        self._add(
            Deadline, kind, due_at, remind_at, responsible, unit_id, subject_type,
            subject_id, state, Deadline.Stage.NONE, opened_at, met_at,
        )  # fmt: skip

    # ---------------------------------------------------------- households
    def _household(self, staff: UnitStaff) -> None:
        rng = self.rng
        caseworker = staff.pick(rng)
        status, opened_on, closed_on = self._case_dates()
        months = self._application_months(status, opened_on, closed_on)
        if status == Case.Status.ACTIVE and not months:
            status = Case.Status.OPEN

        received_at = self._office_time(opened_on - timedelta(days=rng.randint(0, 7)))
        household_id = self._add(Household, staff.unit.pk, received_at)
        members, household, protected = self._members(
            household_id, received_at, opened_on, caseworker, staff.unit.pk
        )
        first_visit_on = self._first_visit(status, opened_on, closed_on)
        contact_id = self._first_contact(
            staff, caseworker, members[0], received_at, first_visit_on or opened_on
        )

        reason_id, reason_label = rng.choice(self.reasons) if closed_on else (None, "")
        created_at = max(self._office_time(opened_on), received_at)
        case_id = self._add(
            Case, household_id, staff.unit.pk, caseworker.pk, status, opened_on,
            first_visit_on, closed_on, reason_id, contact_id, caseworker.pk, created_at,
            created_at, 1 + bool(months) + bool(closed_on),
        )  # fmt: skip
        case = CaseRef(
            staff=staff,
            caseworker=caseworker,
            id=case_id,
            status=status,
            opened_on=opened_on,
            end=closed_on or self.today,
            first_visit_on=first_visit_on,
            household=household,
            applicant=members[0],
            co_applicant=next((m for m in members if m.role == "co_applicant"), None),
        )
        self._add(CaseEvent, case_id, created_at, caseworker.pk, "opened", "", str(caseworker))
        if status != Case.Status.CLOSED:
            self._add(CaseUserObjectPermission, case_id, self.perm_view, caseworker.pk)
            self._add(CaseUserObjectPermission, case_id, self.perm_change, caseworker.pk)
            reviewable = self._review_cases.setdefault(caseworker.pk, [])
            if len(reviewable) < 10:
                reviewable.append(case_id)
        if protected:
            person = members[0].person_id
            self._add(PersonUserObjectPermission, person, self.perm_person, caseworker.pk)

        self._meetings(case, months)
        self._applications(case, months)
        self._plan(case)
        self._referral(case)
        if months:
            first = local(months[0], 10)
            self._add(CaseEvent, case_id, first, caseworker.pk, "status", "Öppnat", "Aktivt")
        if closed_on:
            closed_at = self._office_time(closed_on)
            self._add(
                CaseEvent, case_id, closed_at, caseworker.pk, "closed", "Aktivt", reason_label
            )
        self._journal(case, len(months))
        self._access_log(case, len(months))

    def _first_contact(self, staff, caseworker, applicant: Member, received_at, visit_on) -> int:
        """Reception registers the contact; the caseworker calls back and books the
        first visit (86 % within the 24 working hours)."""
        rng = self.rng
        due_at = add_working_hours(received_at, CALLBACK_WORKING_HOURS)
        if rng.random() < 0.86:
            made_at = received_at + (due_at - received_at) * rng.uniform(0.05, 0.95)
        else:
            made_at = due_at + timedelta(hours=rng.uniform(1, 60))
        made_at = min(made_at, self.now - timedelta(minutes=1))
        contact_id = self._add(
            FirstContact, received_at, rng.choice(("phone", "phone", "visit", "e_service")),
            applicant.person_id, "", False, "", "new_application", "", staff.unit.pk,
            caseworker.pk, staff.reception.pk, due_at, FirstContact.State.DONE, received_at,
        )  # fmt: skip
        visit_at = local(visit_on, rng.randint(9, 15))
        self._add(
            Callback, contact_id, made_at, caseworker.pk, "phone", "first_visit_booked",
            visit_at, "", made_at,
        )  # fmt: skip
        self._deadline(
            CALLBACK, self.ct_contact, contact_id, unit_id=staff.unit.pk,
            responsible=caseworker.pk, due_at=due_at, opened_at=received_at, met_at=made_at,
        )  # fmt: skip
        return contact_id

    def _case_dates(self) -> tuple[str, date, date | None]:
        rng, today = self.rng, self.today
        draw = rng.random()
        if draw < 0.18:
            first_close = self.earliest_month + timedelta(days=20)
            closed_on = self._day_between(first_close, today - timedelta(days=1))
            opened_on = closed_on - timedelta(days=rng.randint(45, 900))
            return Case.Status.CLOSED, opened_on, closed_on
        if draw < 0.21:
            return Case.Status.OPEN, today - timedelta(days=rng.randint(0, 14)), None
        band = rng.random()
        if band < 0.4:
            days = rng.randint(0, 180)
        elif band < 0.75:
            days = rng.randint(181, 540)
        else:
            days = rng.randint(541, 1460)  # long-term recipients
        return Case.Status.ACTIVE, today - timedelta(days=days), None

    def _application_months(self, status, opened_on, closed_on) -> list[date]:
        if status == Case.Status.OPEN:
            return []
        if closed_on:
            last = month_add(closed_on.replace(day=1), -self.rng.randint(0, 1))
        else:
            # A quarter have not applied for this month yet.
            last = month_add(self.latest_month, -(self.rng.random() < 0.25))
        last = min(last, self.latest_month)
        first = max(opened_on.replace(day=1), self.earliest_month)
        count = self.rng.choices((1, 2, 3), (3, 4, 3))[0]
        months = []
        cursor = last
        while cursor >= first and len(months) < count:
            months.append(cursor)
            cursor = month_add(cursor, -1)
        return sorted(months)

    def _first_visit(self, status, opened_on, closed_on) -> date | None:
        latest = min(closed_on or self.today, self.today - timedelta(days=1))
        if latest <= opened_on:
            return None
        if status == Case.Status.OPEN and self.rng.random() < 0.5:
            return None
        if status == Case.Status.ACTIVE and self.rng.random() < 0.02:
            return None  # never came to the first visit
        return min(opened_on + timedelta(days=self.rng.randint(1, 14)), latest)

    def _members(self, household_id, created_at, opened_on, caseworker, unit_id):
        """The household's persons and memberships; returns the members (applicant
        first), the household's shape (benchdata.rows.Shape without the year) and
        whether the applicant has protected identity."""
        rng, today = self.rng, self.today
        adults = 2 if rng.random() < 0.28 else 1
        children = rng.choices((0, 1, 2, 3), (50, 20, 17, 13))[0]
        applicant_age = rng.randint(18, 24) if rng.random() < 0.2 else rng.randint(25, 64)
        young_adult = None
        if adults == 1 and applicant_age >= 42 and rng.random() < 0.15:
            young_adult = rng.randint(18, 24)
        ages = [("applicant", applicant_age)]
        if adults == 2:
            ages.append(("co_applicant", max(18, applicant_age + rng.randint(-6, 6))))
        if young_adult is not None:
            ages.append(("other_adult", young_adult))
        youngest_parent = min(age for _, age in ages[:adults])
        child_ages = sorted(
            (rng.randint(0, min(17, youngest_parent - 18)) for _ in range(children)), reverse=True
        )
        ages.extend(("child", age) for age in child_ages)

        last_name = rng.choice(LAST_NAMES)
        street = f"{rng.choice(STREETS)} {rng.randint(1, 80)}"
        city, postal = rng.choice(CITIES)
        postal_code = f"{postal} {rng.randint(10, 99)}"
        language = rng.choice(LANGUAGES)
        protected = rng.random() < 0.005
        female_applicant = rng.random() < 0.55
        members = []
        for index, (role, age) in enumerate(ages):
            person_id = self.writer.next_id(Person)
            if index == 0:
                female = female_applicant
            elif role == "co_applicant":
                female = not female_applicant
            else:
                female = rng.random() < 0.5
            first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
            last = (
                rng.choice(LAST_NAMES)
                if role == "co_applicant" and rng.random() < 0.5
                else last_name
            )
            born = today - timedelta(days=age * 365 + rng.randint(0, 364))
            adult = role != "child"
            phone = f"07{rng.randint(0, 9)}-{rng.randint(1000000, 9999999)}" if adult else ""
            self.writer.add(
                Person,
                COLUMNS[Person],
                (
                    person_id, first, last, None, f"R{created_at.year}-{person_id:07d}", born,
                    phone, "", street, postal_code, city, language if adult else "",
                    bool(language) and adult and rng.random() < 0.5,
                    "sekretessmarkering" if protected and index == 0 else "none",
                    created_at, created_at, unit_id, 1,
                ),
            )  # fmt: skip
            valid_from = max(opened_on - timedelta(days=rng.randint(0, 60)), born)
            self._add(
                HouseholdMember, household_id, person_id, role, valid_from, None, caseworker.pk
            )
            members.append(Member(person_id, role, age))
        incomes = []
        for _ in range(adults):
            kind, amount, _weight = rng.choices(ADULT_INCOMES, [w for *_, w in ADULT_INCOMES])[0]
            if kind:
                incomes.append((kind, amount))
        if children:
            incomes.append(("child_benefit", CHILD_BENEFIT[children]))
        rent = (5_200 + 1_100 * (len(ages) - 1)) * rng.choice((90, 100, 115)) // 100
        household = {
            "adults": adults,
            "child_ages": tuple(child_ages),
            "young_adult_age": young_adult,
            "rent": rent,
            "incomes": tuple(sorted(incomes)),
        }
        return members, household, protected

    def _waiting_contacts(self) -> None:
        """First contacts still waiting for their callback: open deadlines, some overdue."""
        rng = self.rng
        for _ in range(max(1, self.households // 100)):
            staff = rng.choice(self.staff)
            received_at = self.now - timedelta(hours=rng.uniform(0.5, 96))
            due_at = add_working_hours(received_at, CALLBACK_WORKING_HOURS)
            assigned = staff.pick(rng).pk if rng.random() < 0.8 else None
            first = rng.choice(rng.choice((FIRST_NAMES_FEMALE, FIRST_NAMES_MALE)))
            contact_id = self._add(
                FirstContact, received_at, rng.choice(("phone", "visit", "e_service")), None,
                f"{first} {rng.choice(LAST_NAMES)}", False,
                f"07{rng.randint(0, 9)}-{rng.randint(1000000, 9999999)}",
                rng.choice(("new_application", "new_application", "ongoing_case", "other")), "",
                staff.unit.pk, assigned, staff.reception.pk, due_at, FirstContact.State.OPEN,
                received_at,
            )  # fmt: skip
            self._deadline(
                CALLBACK, self.ct_contact, contact_id, unit_id=staff.unit.pk,
                responsible=assigned, due_at=due_at, opened_at=received_at,
            )  # fmt: skip
