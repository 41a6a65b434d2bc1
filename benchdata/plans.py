"""Arbetsplaner for the generated cases, where the workplans app is installed (without
it there are simply no plans).

As the app's own hooks and services would have left them: every case gets the plan
deadline of the clock plan type, counted from the first visit (from the opening until
there is one). Most
cases that have been going for a while have a plan signed by both parties (version 1,
frozen: written as "awaiting" and turned "signed" after its activities and signatures,
as the database triggers demand, with the fingerprint of what was signed) and the
deadline met – late in some; newer ones have an open deadline, some a draft; closing a
case cancelled an open deadline. An activity followed up after today has its open
follow-up deadline.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from benchdata.rows import CaseRef, local
from cases.deadlines import get_kind
from cases.models import Case, Deadline

ACTIVITIES = (
    ("Söka arbete enligt handlingsplan hos Arbetsförmedlingen", "arbetsformedlingen"),
    ("Delta i SFI, minst 15 timmar i veckan", "sfi"),
    ("Kontakt med budget- och skuldrådgivningen", "debt_counselling"),
    ("Läkarbesök och intyg om arbetsförmåga", "health_care"),
    ("Praktik via kommunens arbetsmarknadsenhet", "other"),
)
PLAN_COLUMNS = {
    "WorkPlan": "id case_id person_id plan_type_id created_by_id created_at",
    "PlanVersion": (
        "id plan_id number status goal next_step client_view family_situation "
        "children_perspective revision_reason edit_version last_editor created_by_id "
        "created_at updated_by_id updated_at ready_at signed_at ended_at"
    ),
    "Activity": (
        "id version_id position what responsible responsible_note starts_on ends_on "
        "follow_up_on status referral_id previous_id"
    ),
    "Signature": (
        "id version_id party person_id staff_id method signed_on content_digest scanned_copy "
        "evidence_reference evidence recorded_by_id recorded_at voided_at voided_by_id"
    ),
}


class PlansMixin:
    def _prepare_plans(self) -> None:
        self.plans = None
        try:
            from workplans import deadlines as plan_deadlines
            from workplans import models as plan_models
        except ImportError:
            return
        plan_type = plan_deadlines.clock_plan_type()
        if plan_type is None:
            return
        self.plans = plan_models
        self.plan_type = plan_type
        self.plan_kind = plan_deadlines.kind_for(plan_type)
        self.follow_up_kind = plan_deadlines.FOLLOW_UP_DEADLINE
        self.ct_case = ContentType.objects.get_for_model(Case).pk
        self.ct_activity = ContentType.objects.get_for_model(plan_models.Activity).pk
        for name, spec in PLAN_COLUMNS.items():
            self.columns[getattr(plan_models, name)] = tuple(spec.split())
        for kind in (self.plan_kind, self.follow_up_kind):
            self.remind[kind] = get_kind(kind).remind_before
        self._signed_versions: list[int] = []

    def _plan(self, case: CaseRef) -> None:
        if self.plans is None:
            return
        rng = self.rng
        start = case.first_visit_on or case.opened_on
        due_at = local(self.plan_type.due_on(start), 23, 59)
        opened_at = self._office_time(start)
        signed_on = start + timedelta(days=rng.randint(7, 110))
        last_possible = min(case.end, self.today - timedelta(days=1))
        if case.first_visit_on and signed_on <= last_possible:
            self._signed_plan(case, signed_on)
            met_at = self._office_time(signed_on)
            self._deadline(
                self.plan_kind, self.ct_case, case.id, unit_id=case.unit_id,
                responsible=case.caseworker.pk, due_at=due_at, opened_at=opened_at,
                met_at=max(met_at, opened_at),
            )  # fmt: skip
            return
        self._deadline(
            self.plan_kind, self.ct_case, case.id, unit_id=case.unit_id,
            responsible=case.caseworker.pk, due_at=due_at, opened_at=opened_at,
            state=Deadline.State.CANCELLED if case.status == Case.Status.CLOSED else None,
        )  # fmt: skip
        if case.status != Case.Status.CLOSED and case.first_visit_on and rng.random() < 0.4:
            self._draft_plan(case)

    def _plan_rows(self, case: CaseRef, day: date, status: str, signed_on: date | None):
        """WorkPlan and version 1; returns (version id, the version's content fields)."""
        plans, staff = self.plans, case.caseworker.pk
        created_at = self._office_time(day)
        plan_id = self._add(
            plans.WorkPlan, case.id, case.applicant.person_id, self.plan_type.pk, staff,
            created_at,
        )  # fmt: skip
        content = {
            "goal": "Egen försörjning genom arbete",
            "next_step": "Inskrivning hos Arbetsförmedlingen inom två veckor.",
            "client_view": "Vill börja arbeta så snart som möjligt.",
            "family_situation": "Hyreslägenhet, inga kända hinder för arbete.",
            "children_perspective": (
                "Barnomsorg är ordnad under aktivitetstiden." if case.has_children else ""
            ),
            "revision_reason": "",
        }
        signed_at = self._office_time(signed_on) if signed_on else None
        ready_at = signed_at - timedelta(days=1) if signed_at else None
        version_id = self._add(
            plans.PlanVersion, plan_id, 1, status, *content.values(), 1, "", staff, created_at,
            staff, signed_at or created_at, ready_at, signed_at, None,
        )  # fmt: skip
        return plan_id, version_id, content

    def _draft_plan(self, case: CaseRef) -> None:
        day = self._day_between(case.first_visit_on, self.today)
        self._plan_rows(case, day, "draft", None)

    def _signed_plan(self, case: CaseRef, signed_on: date) -> None:
        plans, rng = self.plans, self.rng
        draft_on = max(case.first_visit_on, signed_on - timedelta(days=rng.randint(1, 14)))
        plan_id, version_id, content = self._plan_rows(case, draft_on, "awaiting", signed_on)
        activities = []
        for position, (what, responsible) in enumerate(rng.sample(ACTIVITIES, rng.randint(2, 3))):
            follow_up = signed_on + timedelta(days=rng.choice((30, 60, 90)))
            values = {
                "what": what,
                "responsible": responsible,
                "responsible_note": "",
                "starts_on": signed_on,
                "ends_on": signed_on + timedelta(days=180),
                # Only follow-ups still ahead: one in the past would need a follow-up.
                "follow_up_on": follow_up if follow_up > self.today else None,
                "status": "ongoing",
                "referral_id": None,
            }
            activity_id = self._add(plans.Activity, version_id, position, *values.values(), None)
            activities.append(plans.Activity(**values))
            if values["follow_up_on"] and case.status != Case.Status.CLOSED:
                self._deadline(
                    self.follow_up_kind, self.ct_activity, activity_id, unit_id=case.unit_id,
                    responsible=case.caseworker.pk, due_at=local(follow_up, 23, 59),
                    opened_at=self._office_time(signed_on),
                )  # fmt: skip
        version = plans.PlanVersion(plan_id=plan_id, number=1, **content)
        digest = version.content_digest(activities)
        recorded_at = self._office_time(signed_on)
        for party, person, staff in (
            ("client", case.applicant.person_id, None),
            ("caseworker", None, case.caseworker.pk),
        ):
            self._add(
                plans.Signature, version_id, party, person, staff, "in_person", signed_on,
                digest, "", "", "{}", case.caseworker.pk, recorded_at, None, None,
            )  # fmt: skip
        self._signed_versions.append(version_id)

    def _sign_written_plans(self) -> None:
        """After the chunk's COPY: the versions become agreements (frozen)."""
        if self.plans is None or not self._signed_versions:
            return
        table = connection.ops.quote_name(self.plans.PlanVersion._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = 'signed' WHERE id = ANY(%s)",  # noqa: S608
                [self._signed_versions],
            )
        self._signed_versions = []
