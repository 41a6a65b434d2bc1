"""Three-party meetings (trepartssamtal): client, caseworker and the other agency.

Burlöv 2013 (sources/002) and Stockholm 2009 (sources/003): the meeting where the person,
the social services and Arbetsförmedlingen (or another agency) plan together, so the
person is not sent between authorities without any action. The agreed next steps become
activities in the work plan or referrals.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.idempotency import create_once, made_with
from cases.models import Case, Meeting, User
from cases.services.casework import meeting_plan, meeting_record
from referrals import workplan_link
from referrals.models import (
    AgreedStep,
    Provider,
    ProviderService,
    Referral,
    ReferralEvent,
    ThreePartyMeeting,
)
from referrals.services.common import ReferralError, check_case_open


@dataclass(frozen=True)
class StepInput:
    what: str
    responsible: str
    becomes: str
    due_on: date | None = None
    service: ProviderService | None = None


def _check_step(step: StepInput) -> None:
    if not step.what.strip():
        raise ReferralError(_("Skriv vad som ska göras i varje nästa steg."))
    if step.responsible not in AgreedStep.Responsible.values:
        raise ReferralError(_("Välj vem som ansvarar för nästa steg."))
    if step.becomes not in AgreedStep.Becomes.values:
        raise ReferralError(_("Välj om nästa steg blir en aktivitet eller en remiss."))
    if step.becomes == AgreedStep.Becomes.REFERRAL and step.service is None:
        raise ReferralError(_("Välj vart remissen i nästa steg ska gå."))


@transaction.atomic
def three_party_meeting_record(
    *,
    actor: User,
    case: Case,
    provider: Provider,
    participant_name: str,
    notes: str,
    held_at: datetime | None = None,
    participant_title: str = "",
    client_attended: bool = True,
    steps: list[StepInput] = (),
    referral: Referral | None = None,
    planned_meeting: Meeting | None = None,
    idempotency_key: UUID | None = None,
) -> ThreePartyMeeting:
    """Record a held three-party meeting.

    It is also recorded as the case's meeting of kind THREE_PARTY – the booked one when
    ``planned_meeting`` is given, else a new one – through the core's meeting services.
    A meeting about a started referral counts as its follow-up. Agreed steps that become
    activities go into the work plan when there is one (``referrals.workplan_link``);
    steps that become referrals wait on the referral page for the caseworker to send them
    (consent is asked per referral). The same form posted again (``idempotency_key``)
    returns the meeting it recorded – one meeting, one set of steps and activities.
    """
    owned = ThreePartyMeeting.objects.filter(case=case, created_by=actor)
    existing = made_with(owned, idempotency_key)
    if existing is not None:
        return existing
    check_case_open(case)
    if referral is not None and referral.case_id != case.pk:
        raise ReferralError(_("Remissen hör till ett annat ärende."))
    participant_name, notes = participant_name.strip(), notes.strip()
    if not participant_name:
        raise ReferralError(_("Skriv vem som deltog från den andra aktören."))
    if not notes:
        raise ReferralError(_("Skriv anteckningar från samtalet."))
    for step in steps:
        _check_step(step)
    summary = f"Med {participant_name}"
    if participant_title.strip():
        summary += f" ({participant_title.strip()})"
    summary += f", {provider.name}."
    record, _created = create_once(
        owned,
        idempotency_key,
        lambda: _record(
            actor=actor,
            case=case,
            provider=provider,
            participant_name=participant_name,
            participant_title=participant_title,
            notes=notes,
            held_at=held_at,
            client_attended=client_attended,
            steps=steps,
            referral=referral,
            planned_meeting=planned_meeting,
            summary=summary,
            idempotency_key=idempotency_key,
        ),
    )
    return record


def _record(
    *,
    actor: User,
    case: Case,
    provider: Provider,
    participant_name: str,
    participant_title: str,
    notes: str,
    held_at: datetime | None,
    client_attended: bool,
    steps: list[StepInput],
    referral: Referral | None,
    planned_meeting: Meeting | None,
    summary: str,
    idempotency_key: UUID | None,
) -> ThreePartyMeeting:
    if planned_meeting is not None:
        if (
            planned_meeting.case_id != case.pk
            or planned_meeting.kind != Meeting.Kind.THREE_PARTY
            or planned_meeting.state != Meeting.State.PLANNED
        ):
            raise ReferralError(_("Det bokade mötet är inte ett planerat trepartssamtal."))
        meeting, held_at = planned_meeting, planned_meeting.planned_at
    else:
        if held_at is None:
            raise ReferralError(_("Ange när samtalet hölls."))
        if held_at > timezone.now():
            raise ReferralError(_("Ett samtal som inte har hållits kan inte registreras."))
        if timezone.localtime(held_at).date() < case.opened_on:
            raise ReferralError(_("Samtalet kan inte ligga före att ärendet öppnades."))
        meeting = meeting_plan(case, actor=actor, kind=Meeting.Kind.THREE_PARTY, planned_at=held_at)
    meeting = meeting_record(
        meeting,
        actor=actor,
        state=Meeting.State.HELD,
        client_attended=client_attended,
        note=summary,
    )
    record = ThreePartyMeeting.objects.create(
        case=case,
        meeting=meeting,
        referral=referral,
        provider=provider,
        participant_name=participant_name,
        participant_title=participant_title.strip(),
        held_at=held_at,
        client_attended=client_attended,
        notes=notes,
        created_by=actor,
        idempotency_key=idempotency_key,
    )
    for step in steps:
        agreed = AgreedStep.objects.create(
            meeting=record,
            what=step.what.strip(),
            responsible=step.responsible,
            due_on=step.due_on,
            becomes=step.becomes,
            service=step.service if step.becomes == AgreedStep.Becomes.REFERRAL else None,
        )
        if step.becomes == AgreedStep.Becomes.ACTIVITY:
            _step_to_activity(agreed, case=case, actor=actor, provider=provider, referral=referral)
    if referral is not None:
        _note_on_referral(referral, record, actor=actor)
    return record


def _responsible(step: AgreedStep, provider: Provider) -> tuple[str, str]:
    """workplans' responsible code (and note) for the step."""
    if step.responsible == AgreedStep.Responsible.PROVIDER:
        return workplan_link.responsible_for_provider(provider)
    return str(step.responsible), ""


def _step_to_activity(step: AgreedStep, *, case, actor, provider, referral) -> str:
    """Put the step into the work plan; "" when done, else why not."""
    responsible, note = _responsible(step, provider)
    activity_id, why_not = workplan_link.activity_create(
        case,
        actor=actor,
        what=step.what,
        responsible=responsible,
        responsible_note=note,
        person=referral.person if referral is not None else None,
        ends_on=step.due_on,
        referral=referral,
    )
    if activity_id is not None:
        AgreedStep.objects.filter(pk=step.pk).update(activity_id=activity_id)
        step.activity_id = activity_id
    return why_not


@transaction.atomic
def agreed_step_to_activity(step: AgreedStep, *, actor: User) -> AgreedStep:
    """Try again to put an agreed step into the work plan (e.g. once a plan exists)."""
    step = (
        AgreedStep.objects.select_for_update(of=("self",))
        .select_related("meeting__provider", "meeting__case", "meeting__referral__person")
        .get(pk=step.pk)
    )
    check_case_open(step.meeting.case)
    if step.becomes != AgreedStep.Becomes.ACTIVITY or step.activity_id is not None:
        raise ReferralError(_("Steget är redan överfört eller är inte en aktivitet."))
    why_not = _step_to_activity(
        step,
        case=step.meeting.case,
        actor=actor,
        provider=step.meeting.provider,
        referral=step.meeting.referral,
    )
    if step.activity_id is None:
        raise ReferralError(why_not)
    return step


def _note_on_referral(referral: Referral, record: ThreePartyMeeting, *, actor: User) -> None:
    from referrals.services.referrals import _follow_up

    held_on = timezone.localtime(record.held_at).date()
    locked = (
        Referral.objects.select_for_update().select_related("provider", "case").get(pk=referral.pk)
    )
    note = _("Trepartssamtal med %(who)s.") % {"who": record.participant_name}
    if locked.state == Referral.State.STARTED and held_on >= locked.started_on:
        _follow_up(locked, actor=actor, on=held_on, note=note)  # counts as a follow-up
    else:
        ReferralEvent.objects.create(
            referral=locked,
            actor=actor,
            kind=ReferralEvent.Kind.MEETING,
            occurred_on=held_on,
            note=note,
        )
