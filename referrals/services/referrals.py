"""Referrals: sending, the provider's answer, start, follow-ups, end with an outcome,
withdrawal, consent – and what happens to them when their case is reassigned or closed.

Every move goes through ``_move``, which refuses anything not in
``referrals.workflow.TRANSITIONS`` and records a ``ReferralEvent``. The clocks
(``referrals.clocks``) are opened, met and cancelled in the same transaction as the move
that causes them (DESIGN.md "Deadlines").
"""

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import cancel_deadlines, meet_deadlines, open_deadline
from cases.figures import figures_changed, months_between
from cases.idempotency import create_once, made_with
from cases.models import Case, Deadline, Person, User
from referrals.clocks import (
    REFERRAL_FOLLOW_UP,
    REFERRAL_RESPONSE,
    follow_up_due_at,
    follow_up_due_on,
    response_due_at,
)
from referrals.letters import letter_snapshot
from referrals.models import (
    LETTER_FIELDS,
    AgreedStep,
    Mapping,
    ProviderService,
    Referral,
    ReferralEvent,
)
from referrals.models.referrals import MAPPING_LETTER_FIELDS
from referrals.services.common import (
    ReferralError,
    StaleReferral,
    check_case_open,
    check_day,
    check_member,
)
from referrals.workflow import OPEN_STATES, can_move

State = Referral.State
# The outcomes a caseworker chooses from; CASE_CLOSED is set only by closing the case.
CHOOSABLE_OUTCOMES = frozenset(Referral.Outcome.values) - {Referral.Outcome.CASE_CLOSED}


def _clean_shared(shared_fields: Iterable[str], *, person: Person, mapping) -> list[str]:
    shared = set(shared_fields)
    known = {code for code, _label in LETTER_FIELDS}
    if unknown := shared - known:
        raise ReferralError(_("Okända uppgifter att lämna ut: %s.") % ", ".join(sorted(unknown)))
    if "address" in shared and person.is_protected:
        # DOMAIN.md §8: the address of a protected identity never appears in letters.
        raise ReferralError(
            _("Adressen till en person med skyddade personuppgifter lämnas aldrig ut.")
        )
    if shared & MAPPING_LETTER_FIELDS and mapping is None:
        raise ReferralError(
            _("Uppgifter ur kartläggningen kan bara lämnas ut när remissen bygger på en.")
        )
    return [code for code, _label in LETTER_FIELDS if code in shared]


def _event(referral: Referral, *, actor: User, kind: str, on: date | None = None, **fields):
    return ReferralEvent.objects.create(
        referral=referral,
        actor=actor,
        kind=kind,
        occurred_on=on or timezone.localdate(),
        **fields,
    )


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    person: Person,
    service: ProviderService,
    reason: str,
    request: str,
    shared_fields: Iterable[str] = (),
    mapping: Mapping | None = None,
    sent_on: date | None = None,
    step: AgreedStep | None = None,
    idempotency_key: UUID | None = None,
) -> Referral:
    """Send a referral from ``case`` for ``person`` to ``service`` (DOMAIN.md §2.9).

    The person's consent is recorded per letter field (``shared_fields``); a referral
    built on a kartläggning keeps that exact version. If the provider answers within a
    number of working days, the response clock starts now (``referrals.clocks``).
    ``step``: the three-party meeting's agreed step that this referral carries out.
    The same form posted again (``idempotency_key``) returns the referral it sent.
    """
    existing = made_with(Referral.objects.filter(case=case, created_by=actor), idempotency_key)
    if existing is not None:
        return existing
    check_case_open(case)
    check_member(case, person)
    service = ProviderService.objects.select_related("provider").get(pk=service.pk)
    provider = service.provider
    if not (service.is_active and provider.is_active):
        raise ReferralError(_("Insatsen tar inte emot remisser längre."))
    reason, request = reason.strip(), request.strip()
    if not reason:
        raise ReferralError(_("Skriv anledningen till remissen."))
    if not request:
        raise ReferralError(_("Skriv vad som efterfrågas."))
    sent_on = sent_on or timezone.localdate()
    check_day(sent_on, not_before=case.opened_on, what=_("Datum då remissen skickades"))
    if mapping is not None and mapping.person_id != person.pk:
        raise ReferralError(_("Kartläggningen gäller en annan person."))
    if step is not None and (
        step.meeting.case_id != case.pk
        or step.becomes != AgreedStep.Becomes.REFERRAL
        or step.referral_id is not None
    ):
        raise ReferralError(_("Steget från trepartssamtalet kan inte bli den här remissen."))
    shared = _clean_shared(shared_fields, person=person, mapping=mapping)
    due = response_due_at(sent_on, provider.response_days) if provider.response_days else None
    referral, _created = create_once(
        Referral.objects.filter(case=case, created_by=actor),
        idempotency_key,
        lambda: _referral_create(
            actor=actor,
            case=case,
            person=person,
            service=service,
            mapping=mapping,
            reason=reason,
            request=request,
            sent_on=sent_on,
            due=due,
            shared=shared,
            step=step,
            idempotency_key=idempotency_key,
        ),
    )
    return referral


def _referral_create(
    *,
    actor: User,
    case: Case,
    person: Person,
    service: ProviderService,
    mapping: Mapping | None,
    reason: str,
    request: str,
    sent_on: date,
    due,
    shared: list[str],
    step: AgreedStep | None,
    idempotency_key: UUID | None,
) -> Referral:
    provider = service.provider
    referral = Referral.objects.create(
        case=case,
        person=person,
        provider=provider,
        service=service,
        mapping=mapping,
        reason=reason,
        request=request,
        sent_on=sent_on,
        response_due_at=due,
        shared_fields=shared,
        letter_snapshot=letter_snapshot(person, shared, provider),
        consent_recorded_at=timezone.now(),
        consent_recorded_by=actor,
        created_by=actor,
        idempotency_key=idempotency_key,
    )
    _event(referral, actor=actor, kind=ReferralEvent.Kind.CREATED, on=sent_on, to_state=State.SENT)
    if due is not None:
        open_deadline(
            kind=REFERRAL_RESPONSE,
            subject=referral,
            due_at=due,
            unit=case.unit,
            responsible=case.caseworker,
        )
    if step is not None:
        AgreedStep.objects.filter(pk=step.pk, referral__isnull=True).update(referral=referral)
    return referral


def _lock(referral: Referral, version: int | None) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and version != locked.version:
        raise StaleReferral
    return locked


def _move(
    referral: Referral,
    to_state: str,
    *,
    actor: User,
    on: date,
    note: str = "",
    update: dict | None = None,
) -> Referral:
    """The one place a referral changes state: only along the table, always recorded."""
    if not can_move(referral.state, to_state):
        raise ReferralError(
            _("En remiss med status ”%(from)s” kan inte bli ”%(to)s”.")
            % {"from": State(referral.state).label, "to": State(to_state).label}
        )
    old = referral.state
    fields = {"state": to_state, **(update or {})}
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.version += 1
    referral.save(update_fields=[*fields, "version", "updated_at"])
    _event(
        referral,
        actor=actor,
        kind=ReferralEvent.Kind.STATE,
        on=on,
        from_state=old,
        to_state=to_state,
        note=note.strip(),
    )
    return referral


@transaction.atomic
def referral_accept(
    referral: Referral,
    *,
    actor: User,
    on: date | None = None,
    note: str = "",
    version: int | None = None,
) -> Referral:
    """The provider accepted the person; the response clock is met."""
    referral = _lock(referral, version)
    on = on or timezone.localdate()
    check_day(on, not_before=referral.sent_on, what=_("Svarsdatum"))
    _move(referral, State.ACCEPTED, actor=actor, on=on, note=note, update={"answered_on": on})
    meet_deadlines(referral, kind=REFERRAL_RESPONSE)
    return referral


@transaction.atomic
def referral_decline(
    referral: Referral,
    *,
    actor: User,
    reason: str,
    on: date | None = None,
    version: int | None = None,
) -> Referral:
    """The provider declined; the reason is kept (the caseworker plans anew with it)."""
    referral = _lock(referral, version)
    on = on or timezone.localdate()
    if not reason.strip():
        raise ReferralError(_("Skriv varför insatsgivaren avböjde."))
    check_day(on, not_before=referral.sent_on, what=_("Svarsdatum"))
    _move(
        referral,
        State.DECLINED,
        actor=actor,
        on=on,
        note=reason,
        update={"answered_on": on, "decline_reason": reason.strip()},
    )
    meet_deadlines(referral, kind=REFERRAL_RESPONSE)
    return referral


@transaction.atomic
def referral_start(
    referral: Referral,
    *,
    actor: User,
    on: date | None = None,
    note: str = "",
    version: int | None = None,
) -> Referral:
    """The stay has started: the follow-up clock runs from the start date."""
    referral = _lock(referral, version)
    on = on or timezone.localdate()
    check_day(on, not_before=referral.answered_on or referral.sent_on, what=_("Startdatum"))
    due = follow_up_due_at(on, referral.provider.follow_up_days)
    _move(
        referral,
        State.STARTED,
        actor=actor,
        on=on,
        note=note,
        update={"started_on": on, "follow_up_due_at": due},
    )
    _open_follow_up(referral, due)
    _labour_market_changed(referral, on)
    return referral


def _labour_market_changed(referral: Referral, first: date) -> None:
    """A municipal programme running from ``first`` on (or ending then): the adults in
    one counted in the monthly statistics of those months (reporting.statistics) – in
    the units of every household the person belongs to."""
    from cases.models import HouseholdMember

    units = set(
        HouseholdMember.objects.filter(person_id=referral.person_id)
        .values_list("household__unit_id", flat=True)
        .order_by()
    )
    for unit_id in units | {referral.case.unit_id}:
        figures_changed(unit_id=unit_id, months=months_between(first))


def _open_follow_up(referral: Referral, due) -> None:
    open_deadline(
        kind=REFERRAL_FOLLOW_UP,
        subject=referral,
        due_at=due,
        unit=referral.case.unit,
        responsible=referral.case.caseworker,
    )


@transaction.atomic
def referral_end(
    referral: Referral,
    *,
    actor: User,
    outcome: str,
    on: date | None = None,
    note: str = "",
    version: int | None = None,
) -> Referral:
    """The stay is over, with its outcome (arbete, studier, praktik, annan ersättning,
    inget resultat, avbröt) – what the unit's statistics of referrals count."""
    referral = _lock(referral, version)
    if outcome not in CHOOSABLE_OUTCOMES:
        raise ReferralError(_("Välj resultatet av insatsen."))
    on = on or timezone.localdate()
    check_day(on, not_before=referral.started_on, what=_("Slutdatum"))
    return _end(referral, actor=actor, outcome=outcome, on=on, note=note)


def _end(referral: Referral, *, actor: User, outcome: str, on: date, note: str) -> Referral:
    _move(
        referral,
        State.ENDED,
        actor=actor,
        on=on,
        note=note,
        update={"ended_on": on, "outcome": outcome, "outcome_note": note.strip()},
    )
    meet_deadlines(referral, kind=REFERRAL_FOLLOW_UP)
    if referral.started_on is not None:
        _labour_market_changed(referral, on)
    return referral


@transaction.atomic
def referral_withdraw(
    referral: Referral,
    *,
    actor: User,
    note: str,
    on: date | None = None,
    version: int | None = None,
) -> Referral:
    """The caseworker takes back a referral that has not started; its clocks stop."""
    referral = _lock(referral, version)
    if not note.strip():
        raise ReferralError(_("Skriv varför remissen återkallas."))
    on = on or timezone.localdate()
    check_day(on, not_before=referral.sent_on, what=_("Datum"))
    _move(referral, State.WITHDRAWN, actor=actor, on=on, note=note)
    cancel_deadlines(referral)
    return referral


@transaction.atomic
def referral_follow_up_record(
    referral: Referral,
    *,
    actor: User,
    note: str,
    on: date | None = None,
    next_on: date | None = None,
    version: int | None = None,
) -> Referral:
    """A follow-up of a started stay: what was learnt, and when to follow up next – at
    the latest the provider's ``follow_up_days`` later, so no stay goes on unseen."""
    referral = _lock(referral, version)
    if referral.state != State.STARTED:
        raise ReferralError(_("Bara en påbörjad insats kan följas upp."))
    if not note.strip():
        raise ReferralError(_("Skriv vad uppföljningen kom fram till."))
    on = on or timezone.localdate()
    check_day(on, not_before=referral.started_on, what=_("Uppföljningsdatum"))
    return _follow_up(referral, actor=actor, on=on, note=note, next_on=next_on)


def _follow_up(
    referral: Referral, *, actor: User, on: date, note: str, next_on: date | None = None
) -> Referral:
    days = referral.provider.follow_up_days
    latest = follow_up_due_on(on, days)
    if next_on is not None:
        if next_on <= on:
            raise ReferralError(_("Nästa uppföljning ska ligga efter den här."))
        if next_on > latest:
            raise ReferralError(
                _("Nästa uppföljning får ligga högst %(days)s dagar fram (senast %(day)s).")
                % {"days": days, "day": f"{latest}"}
            )
    due = follow_up_due_at(next_on, 0) if next_on is not None else follow_up_due_at(on, days)
    if referral.last_follow_up_on is None or on >= referral.last_follow_up_on:
        referral.last_follow_up_on, referral.follow_up_due_at = on, due
        referral.version += 1
        referral.save(
            update_fields=["last_follow_up_on", "follow_up_due_at", "version", "updated_at"]
        )
        meet_deadlines(referral, kind=REFERRAL_FOLLOW_UP)
        _open_follow_up(referral, due)
    _event(referral, actor=actor, kind=ReferralEvent.Kind.FOLLOW_UP, on=on, note=note.strip())
    return referral


@transaction.atomic
def referral_consent_set(
    referral: Referral,
    *,
    actor: User,
    shared_fields: Iterable[str],
    version: int | None = None,
) -> Referral:
    """The person changes what the letter may tell the provider (e.g. withdraws consent
    for their health). The change is recorded with what was shared before."""
    referral = _lock(referral, version)
    if referral.state not in OPEN_STATES:
        raise ReferralError(_("Samtycket kan bara ändras för en pågående remiss."))
    person = referral.person
    shared = _clean_shared(shared_fields, person=person, mapping=referral.mapping)
    labels = dict(LETTER_FIELDS)
    before = ", ".join(str(labels[c]) for c in referral.shared_fields) or "inget"
    after = ", ".join(str(labels[c]) for c in shared) or "inget"
    referral.shared_fields = shared
    referral.letter_snapshot = letter_snapshot(person, shared, referral.provider)
    referral.consent_recorded_at, referral.consent_recorded_by = timezone.now(), actor
    referral.version += 1
    referral.save(
        update_fields=[
            "shared_fields",
            "letter_snapshot",
            "consent_recorded_at",
            "consent_recorded_by",
            "version",
            "updated_at",
        ]
    )
    _event(
        referral,
        actor=actor,
        kind=ReferralEvent.Kind.CONSENT,
        note=f"Får lämnas ut: {after} (tidigare: {before}).",
    )
    return referral


# ---------------------------------------------------------------- hooks from ``cases``


def referrals_follow_case(*, case: Case, actor: User, caseworker: User, **kwargs) -> None:
    """``case_reassigned``: the clocks of the case's referrals go to the new caseworker."""
    Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Referral),
        subject_id__in=Referral.objects.filter(case=case).values("pk"),
        state=Deadline.State.OPEN,
    ).update(responsible=caseworker)


def referrals_close_with_case(*, case: Case, actor: User, **kwargs) -> None:
    """``case_closed``: nothing stays open on a closed case. A referral not yet started is
    withdrawn; a started stay ends with the outcome "Ärendet avslutades" (not a guess at
    work or studies – the closing reason says why the case closed)."""
    on = max(case.closed_on or timezone.localdate(), case.opened_on)
    open_referrals = Referral.objects.select_for_update().filter(case=case, state__in=OPEN_STATES)
    for referral in open_referrals.select_related("provider"):
        note = _("Ärendet avslutades.")
        cancel_deadlines(referral)  # stopped, not met: nobody followed up
        if referral.state == State.STARTED:
            _end(
                referral,
                actor=actor,
                outcome=Referral.Outcome.CASE_CLOSED,
                on=max(on, referral.started_on),
                note=note,
            )
        else:
            _move(referral, State.WITHDRAWN, actor=actor, on=max(on, referral.sent_on), note=note)
