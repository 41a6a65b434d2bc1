"""Referrals for the generated cases, where the referrals app is installed (without it
there are simply no referrals).

As the app's own services would have left them: a referral is sent some time after the
first visit to one of a few providers (Arbetsförmedlingen, the municipality's labour
market unit, SFI), with its response clock (``referral_response``) met when the provider
answered; a started stay has its follow-up clock (``referral_follow_up``) open – overdue
for some, the "long stays" the unit manager's dashboard counts; closing a case ended its
referrals and cancelled their clocks. Every referral has its history (ReferralEvent).
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType

from benchdata.rows import CaseRef
from cases.deadlines import get_kind
from cases.models import Case, Deadline

# (name, kind, response working days, follow-up days, services)
PROVIDERS = (
    ("Arbetsförmedlingen", "state_agency", 10, 30, ("Rusta och matcha", "Inskrivning")),
    ("Arbetsmarknadsenheten", "municipal", 5, 30, ("Jobbklubb", "Praktik med handledare")),
    ("SFI – Vuxenutbildningen", "education", 10, 60, ("SFI kurs B", "SFI kurs C")),
)
REFERRAL_COLUMNS = {
    "Referral": (
        "id case_id person_id provider_id service_id mapping_id reason request state sent_on "
        "response_due_at answered_on decline_reason started_on follow_up_due_at "
        "last_follow_up_on ended_on outcome outcome_note shared_fields letter_snapshot "
        "consent_recorded_at consent_recorded_by_id created_by_id created_at updated_at version"
    ),
    "ReferralEvent": "id referral_id kind at occurred_on actor_id from_state to_state note",
}
REASONS = (
    ("Behöver stöd att komma närmare arbetsmarknaden.", "Inskrivning och planering."),
    ("Har inte arbetat på flera år och vill börja med praktik.", "Plats i jobbklubb."),
    ("Behöver svenska för att kunna söka arbete.", "Studier i SFI, minst 15 timmar i veckan."),
)
ENDED_OUTCOMES = (("work", 3), ("studies", 2), ("praktik", 2), ("no_result", 3))


class ReferralsMixin:
    def _prepare_referrals(self) -> None:
        self.referral_models = None
        try:
            from referrals import clocks
            from referrals import models as referral_models
        except ImportError:
            return
        self.referral_models = referral_models
        self.referral_clocks = clocks
        self.providers = []
        for name, kind, response_days, follow_up_days, services in PROVIDERS:
            provider, _ = referral_models.Provider.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "response_days": response_days,
                    "follow_up_days": follow_up_days,
                    "address": "Box 1\n123 45 Exempelby",
                },
            )
            service_ids = [
                referral_models.ProviderService.objects.get_or_create(
                    provider=provider, name=service
                )[0].pk
                for service in services
            ]
            self.providers.append((provider, service_ids))
        for name, spec in REFERRAL_COLUMNS.items():
            self.columns[getattr(referral_models, name)] = tuple(spec.split())
        for kind in (clocks.REFERRAL_RESPONSE, clocks.REFERRAL_FOLLOW_UP):
            self.remind[kind] = get_kind(kind).remind_before
        self.ct_referral = ContentType.objects.get_for_model(referral_models.Referral).pk

    def _referral(self, case: CaseRef) -> None:
        if self.referral_models is None or case.first_visit_on is None:
            return
        rng = self.rng
        if rng.random() >= (0.3 if case.status == Case.Status.CLOSED else 0.45):
            return
        first = case.first_visit_on + timedelta(days=7)
        last = min(case.end, self.today) - timedelta(days=1)
        if first > last:
            return
        index = rng.randrange(len(self.providers))
        provider, service_ids = self.providers[index]
        reason, request = REASONS[index]
        sent_on = self._day_between(first, last)
        flow = self._referral_flow(case, provider, sent_on)
        models, clocks, staff = self.referral_models, self.referral_clocks, case.caseworker.pk
        sent_at = self._office_time(sent_on)
        response_due_at = clocks.response_due_at(sent_on, provider.response_days)
        follow_up_due_at = None
        if flow["state"] == "started":
            since = flow["last_follow_up_on"] or flow["started_on"]
            follow_up_due_at = clocks.follow_up_due_at(since, provider.follow_up_days)
        updated_at = self._office_time(flow["last_day"])
        referral_id = self._add(
            models.Referral, case.id, case.applicant.person_id, provider.pk,
            rng.choice(service_ids), None, reason, request, flow["state"], sent_on,
            response_due_at, flow["answered_on"], flow["decline_reason"], flow["started_on"],
            follow_up_due_at, flow["last_follow_up_on"], flow["ended_on"], flow["outcome"], "",
            "[]", "{}", None, None, staff, sent_at, updated_at, 1 + len(flow["events"]),
        )  # fmt: skip
        self._add(
            models.ReferralEvent, referral_id, "created", sent_at, sent_on, staff, "", "sent", ""
        )
        previous = "sent"
        for day, kind, state in flow["events"]:
            self._add(
                models.ReferralEvent, referral_id, kind, self._office_time(day), day, staff,
                previous if kind == "state" else "", state if kind == "state" else "", "",
            )  # fmt: skip
            previous = state if kind == "state" else previous
        self._referral_deadlines(case, referral_id, flow, sent_at, response_due_at)
        if follow_up_due_at is not None:
            since = flow["last_follow_up_on"] or flow["started_on"]
            self._deadline(
                clocks.REFERRAL_FOLLOW_UP, self.ct_referral, referral_id, unit_id=case.unit_id,
                responsible=staff, due_at=follow_up_due_at, opened_at=self._office_time(since),
            )  # fmt: skip

    def _referral_flow(self, case: CaseRef, provider, sent_on: date) -> dict:
        """Where the referral has got to: its state, dates and the events on the way."""
        rng, today = self.rng, self.today
        last = min(case.end, today)
        flow = {
            "state": "sent",
            "answered_on": None,
            "decline_reason": "",
            "started_on": None,
            "last_follow_up_on": None,
            "ended_on": None,
            "outcome": "",
            "events": [],
            "last_day": sent_on,
            "follow_up_days": provider.follow_up_days,
        }

        def step(day: date, state: str, kind: str = "state") -> None:
            flow["events"].append((day, kind, state))
            flow["last_day"] = day
            if kind == "state":
                flow["state"] = state

        answered_on = sent_on + timedelta(days=rng.randint(2, 12))
        if answered_on > last or rng.random() < 0.1:
            if case.status == Case.Status.CLOSED:
                flow["ended_on"], flow["outcome"] = case.end, "case_closed"
                step(case.end, "ended")
            return flow  # still waiting for the provider's answer
        flow["answered_on"] = answered_on
        if rng.random() < 0.08:
            flow["decline_reason"] = "Insatsen har inga lediga platser just nu."
            step(answered_on, "declined")
            return flow
        step(answered_on, "accepted")
        started_on = answered_on + timedelta(days=rng.randint(3, 20))
        if started_on > last:
            if case.status == Case.Status.CLOSED:
                flow["ended_on"], flow["outcome"] = case.end, "case_closed"
                step(case.end, "ended")
            return flow
        flow["started_on"] = started_on
        step(started_on, "started")
        day = started_on
        while rng.random() < 0.6:
            day += timedelta(days=rng.randint(14, provider.follow_up_days))
            if day > last:
                break
            flow["last_follow_up_on"] = day
            step(day, "started", kind="follow_up")
        if case.status == Case.Status.CLOSED:
            flow["ended_on"], flow["outcome"] = case.end, "case_closed"
            step(case.end, "ended")
        elif rng.random() < 0.3:
            ended_on = self._day_between(flow["last_day"], last)
            outcomes, weights = zip(*ENDED_OUTCOMES, strict=True)
            flow["ended_on"], flow["outcome"] = ended_on, rng.choices(outcomes, weights)[0]
            step(ended_on, "ended")
        return flow

    def _referral_deadlines(self, case, referral_id, flow, sent_at, response_due_at) -> None:
        clocks, staff = self.referral_clocks, case.caseworker.pk
        answered = flow["answered_on"]
        closed_with_case = flow["outcome"] == "case_closed"
        self._deadline(
            clocks.REFERRAL_RESPONSE, self.ct_referral, referral_id, unit_id=case.unit_id,
            responsible=staff, due_at=response_due_at, opened_at=sent_at,
            met_at=max(self._office_time(answered), sent_at) if answered else None,
            state=Deadline.State.CANCELLED if closed_with_case and not answered else None,
        )  # fmt: skip
        if flow["state"] == "ended" and flow["started_on"]:
            # The stay's last follow-up clock: met when the stay ended, cancelled when
            # the case was closed (nobody followed up).
            since = flow["last_follow_up_on"] or flow["started_on"]
            opened_at = self._office_time(since)
            ended_at = max(self._office_time(flow["ended_on"]), opened_at)
            self._deadline(
                clocks.REFERRAL_FOLLOW_UP, self.ct_referral, referral_id, unit_id=case.unit_id,
                responsible=staff, opened_at=opened_at,
                due_at=clocks.follow_up_due_at(since, flow["follow_up_days"]),
                met_at=None if closed_with_case else ended_at,
                state=Deadline.State.CANCELLED if closed_with_case else None,
            )  # fmt: skip
