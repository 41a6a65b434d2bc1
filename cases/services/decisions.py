"""Decisions with delegation, letters, service (delgivning), appeals and payments.

Every write here. DOMAIN.md §5 (förvaltningslagen 2017:900) and §6 (lag 1930:173).
"""

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import (
    DeadlineKind,
    cancel_deadlines,
    meet_deadlines,
    open_deadline,
    register_kind,
)
from cases.figures import figures_changed
from cases.idempotency import create_once
from cases.language_notices import notice_codes
from cases.models import (
    Appeal,
    AppealRoute,
    Application,
    ApplicationItem,
    Decision,
    DecisionItem,
    DecisionLetter,
    DelegationRule,
    LegalBasis,
    Payment,
    PaymentBatch,
    Person,
    Unit,
    User,
)
from cases.roles import Role
from cases.services.communication import Communication, check_communicated
from cases.services.decision_letters import (
    household_has_children,
    letter_context,
    letter_delivery_for,
    staff_title,
)
from cases.services.errors import DecisionError
from cases.services.legal_bases import (
    check_in_law,  # noqa: F401  (part of this module's interface)
    check_items_in_law,
    legal_basis_for,
)
from cases.services.serving import (  # noqa: F401 – delgivning lives there, re-exported
    APPEAL_WEEKS,
    Timeliness,
    appeal_timeliness,
    decision_serve,
)
from cases.spreadsheets import csv_text, neutralise_csv_text
from cases.workdays import add_working_days, end_of_day, statutory_deadline

APPROVAL = "decision_approval"
APPEAL_FORWARD = "appeal_forward"
# FL 46 §, JO practice: forward the appeal promptly, normally within one week.
FORWARD_WEEKS = 1
# The unit manager is asked to approve within two working days (municipal routine).
APPROVAL_WORKING_DAYS = 2


logger = logging.getLogger(__name__)

register_kind(
    DeadlineKind(
        code=APPROVAL,
        label="Beslut väntar på godkännande",
        remind_before=timedelta(hours=8),
        url=lambda deadline: reverse("decision_detail", args=[deadline.subject_id]),
    )
)
register_kind(
    DeadlineKind(
        code=APPEAL_FORWARD,
        label="Överlämna överklagande till förvaltningsrätten",
        remind_before=timedelta(days=2),
        url=lambda deadline: reverse("appeal_detail", args=[deadline.subject_id]),
    )
)


# --- legal basis and delegation --------------------------------------------------


def _outcome_scope(outcome: str) -> str:
    if outcome == DecisionItem.Outcome.REFUSED:
        return DelegationRule.Outcome.REFUSAL
    return DelegationRule.Outcome.GRANT


def delegation_allows(user: User, *, kind: str, outcome: str, amount: Decimal) -> bool:
    """True if one of the user's roles holds delegation for this item: the rule's
    maximum is inclusive (amount == limit is allowed, limit + 0.01 is not)."""
    roles = [role.value for role in Role if user.has_role(role)]
    rules = DelegationRule.objects.filter(
        is_active=True, item_kind=kind, outcome=_outcome_scope(outcome), role__in=roles
    )
    return any(rule.max_amount is None or amount <= rule.max_amount for rule in rules)


def procedural_delegation_allows(user: User, kind: str) -> bool:
    """True if one of the user's roles holds delegation for a decision in an appeal
    (``cases.models.decisions.PROCEDURAL_KINDS``: avvisning, omprövning)."""
    roles = [role.value for role in Role if user.has_role(role)]
    return DelegationRule.objects.filter(
        is_active=True,
        item_kind=kind,
        outcome=DelegationRule.Outcome.PROCEDURAL,
        role__in=roles,
    ).exists()


def within_delegation(user: User, decision: Decision) -> bool:
    """Every item within the user's delegation; an omprövningsbeslut also needs the
    delegation to change an appealed decision (FL 37–39 §§)."""
    from cases.models.decisions import RECONSIDERATION

    if decision.kind == Decision.Kind.RECONSIDERATION and not procedural_delegation_allows(
        user, RECONSIDERATION
    ):
        return False
    return all(
        delegation_allows(user, kind=item.kind, outcome=item.outcome, amount=item.granted_amount)
        for item in decision.items.all()
    )


# --- decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    kind: str
    outcome: str
    granted_amount: Decimal
    applied_amount: Decimal | None = None
    legal_basis: LegalBasis | None = None
    description: str = ""
    repayment_ground: str = ""
    advance_benefit: str = ""
    repayment_note: str = ""


def prefill_items(application: Application) -> list[ItemInput]:
    """One item per thing applied for; livelihood gets the calculated amount."""
    today = timezone.localdate()
    items = []
    for item in application.items.all():
        applied: Decimal | None
        if item.kind == ApplicationItem.Kind.LIVELIHOOD:
            amount = application.result if application.result is not None else Decimal(0)
            applied = amount
        else:
            amount = item.amount or Decimal(0)
            applied = item.amount
        items.append(
            ItemInput(
                kind=item.kind,
                outcome=DecisionItem.Outcome.GRANTED
                if amount > 0
                else DecisionItem.Outcome.REFUSED,
                granted_amount=amount,
                applied_amount=applied,
                legal_basis=legal_basis_for(item.kind, today),
                description=item.description,
            )
        )
    return items


def _check_items(items: list[ItemInput]) -> None:
    if not items:
        raise DecisionError(_("Beslutet måste avse minst en sak."))
    for item in items:
        if item.granted_amount < 0:
            raise DecisionError(_("Beviljat belopp kan inte vara negativt."))
        if item.outcome == DecisionItem.Outcome.REFUSED and item.granted_amount != 0:
            raise DecisionError(_("Vid avslag ska beviljat belopp vara 0 kr."))
        if item.outcome != DecisionItem.Outcome.REFUSED and item.granted_amount <= 0:
            raise DecisionError(_("Vid bifall ska beviljat belopp vara större än 0 kr."))
        if (
            item.outcome == DecisionItem.Outcome.GRANTED
            and item.applied_amount is not None
            and item.granted_amount < item.applied_amount
        ):
            raise DecisionError(_("Beviljat belopp är lägre än det sökta – välj delvis bifall."))


@transaction.atomic
def decision_save_draft(
    application: Application,
    *,
    actor: User,
    items: list[ItemInput],
    motivering: str,
    child_impact: str = "",
    conditions: str = "",
    participants: str = "",
    decision: Decision | None = None,
    version: int | None = None,
    replaces: Decision | None = None,
    letter_delivery: str = "",
    idempotency_key: UUID | None = None,
    communication: Communication | None = None,
    reconsiders: Appeal | None = None,
    motivering_draft: str | None = None,
    proposed_pay_on: date | None = None,
) -> Decision:
    """Create or update a draft decision on an application.

    ``motivering_draft`` is the unit's template as drafted for this month (kept to tell
    whether the caseworker changed it); ``proposed_pay_on`` the payment proposed with the
    decision, created waiting for attestation when it becomes final. ``letter_delivery`` is how
    the letter reaches the applicant; for a protected applicant post to the address is
    never used (``letter_delivery_for``).

    Every item is checked against its legal basis as of today, the draft's decision
    date (``check_in_law``: the law in force, the kinds and outcomes it allows, the
    grounds for repayment – SoL 12 kap., 33 kap. 2–3 §§, 35 kap. 1 §); the appeal
    route of each item is derived from basis + outcome and kept with the item.

    A new draft locks its application first, so two posts at once cannot both see "no
    draft yet" and make two: the same form posted again (same ``idempotency_key``)
    returns the draft it made; another new draft beside an open one is refused."""
    _check_items(items)
    today = timezone.localdate()
    items = [
        item
        if item.legal_basis is not None
        else replace(item, legal_basis=legal_basis_for(item.kind, today))
        for item in items
    ]
    rules = check_items_in_law(items, today)
    communication = communication or Communication()
    communication.check()
    if decision is None:
        Application.objects.select_for_update().filter(pk=application.pk).first()
        application.refresh_from_db(fields=["status"])
        if idempotency_key is not None:
            made = application.decisions.filter(idempotency_key=idempotency_key).first()
            if made is not None:
                return made
        if replaces is None and application.decisions.filter(status=Decision.Status.DRAFT).exists():
            raise DecisionError(
                _("Det finns redan ett beslutsutkast för ansökan. Öppna det och fortsätt där.")
            )
    replacing = replaces is not None or (decision is not None and decision.replaces_id is not None)
    if application.status == Application.Status.DECIDED and not replacing:
        raise DecisionError(_("Ansökan är redan beslutad. Ett nytt beslut ersätter det gamla."))
    if decision is None:
        from cases.services.applications import application_period

        period = application_period(application)
        decision = Decision(
            idempotency_key=idempotency_key,
            case=application.case,
            application=application,
            author=actor,
            # The household's payment period for the month (cases.payment_periods):
            # the calendar month unless its periods run e.g. from the 25th – or, in a
            # broken period, the days the bistånd covers (cases.calculation).
            period_start=application.covered_from or period.start,
            period_end=application.covered_to or period.end,
            replaces=replaces,
            reconsiders=reconsiders,
            kind=Decision.Kind.RECONSIDERATION if reconsiders else Decision.Kind.ORIGINAL,
        )
        if replaces is not None:
            # A decision with a replacement leaves the monthly statistics of its
            # application's month (reporting.statistics: replaced_by is null).
            figures_changed(unit_id=application.case.unit_id, months=[replaces.application.month])
    else:
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Decision.Status.DRAFT:
            raise DecisionError(_("Beslutet är inte längre ett utkast och kan inte ändras."))
        if version is not None and version != decision.version:
            raise DecisionError(
                _("Beslutet har ändrats av någon annan. Ladda om sidan och försök igen.")
            )
        decision.version += 1
    decision.motivering = motivering.strip()
    if motivering_draft is not None:
        decision.motivering_draft = motivering_draft.strip()
    if proposed_pay_on is not None:
        if proposed_pay_on < today:
            raise DecisionError(_("Utbetalningsdagen kan inte ha passerat."))
    decision.proposed_pay_on = proposed_pay_on
    decision.child_impact = child_impact.strip()
    decision.conditions = conditions.strip()
    decision.participants = participants.strip()
    decision.letter_delivery = letter_delivery_for(application.applicant, letter_delivery)
    communication.apply(decision)
    decision.save()
    decision.items.all().delete()
    DecisionItem.objects.bulk_create(
        DecisionItem(
            decision=decision,
            kind=item.kind,
            outcome=item.outcome,
            granted_amount=item.granted_amount,
            applied_amount=item.applied_amount,
            legal_basis=item.legal_basis,
            description=item.description,
            appeal_route=rule.appeal_route,
            appeal_reference=rule.appeal_reference,
            repayment_ground=item.repayment_ground,
            advance_benefit=item.advance_benefit,
            repayment_note=item.repayment_note.strip(),
        )
        for item, rule in zip(items, rules, strict=True)
    )
    return decision


def _check_complete(decision: Decision) -> None:
    """Before a decision becomes final, today – the decision date – is checked again:
    a draft made under a basis that has since gone out of force is refused."""
    items = list(
        decision.items.select_related("legal_basis").prefetch_related("legal_basis__outcomes")
    )
    rules = check_items_in_law(items, timezone.localdate())
    for item, rule in zip(items, rules, strict=True):
        if (item.appeal_route, item.appeal_reference) != (rule.appeal_route, rule.appeal_reference):
            item.appeal_route, item.appeal_reference = rule.appeal_route, rule.appeal_reference
            item.save(update_fields=["appeal_route", "appeal_reference"])
    if not decision.motivering:
        raise DecisionError(
            _("Skriv en motivering: vilka regler som tillämpats och vad som varit avgörande.")
        )
    if decision.motivering_draft and decision.motivering == decision.motivering_draft:
        from cases.services.motivering import template_allowed

        if not template_allowed(decision):
            # FL 32 §: the decisive facts of this decision, not only the template's.
            raise DecisionError(
                _(
                    "Mallens motivering räcker bara för bifall av en fortsättningsmånad. "
                    "Skriv vad som varit avgörande för det här beslutet."
                )
            )
    if household_has_children(decision.application) and not decision.child_impact:
        raise DecisionError(
            _("Hushållet har barn – beskriv hur beslutet påverkar barnen (barnperspektiv).")
        )
    check_communicated(decision)


def _finalise(decision: Decision, decided_by: User) -> Decision:
    if decision.kind == Decision.Kind.RECONSIDERATION:
        from cases.services.appeal_decisions import reconsideration_finalised

        reconsideration_finalised(decision)
    from cases.services.board import delegation_points
    from cases.services.execution import execution_decision_final

    decision.status = Decision.Status.FINAL
    decision.decided_by = decided_by
    decision.decided_on = timezone.localdate()
    # KL 6 kap. 40 §: the point it was taken under and by whom, as the anmälan shows them.
    decision.delegation_point = delegation_points(decided_by, decision)
    decision.decided_by_title = staff_title(decided_by)
    decision.version += 1
    decision.save()
    # Counted in the statistics of its application's month (cases.payment_periods) and,
    # a first decision, in the days-to-decision indicator of the month it is taken.
    figures_changed(
        unit_id=decision.case.unit_id, months=[decision.application.month, decision.decided_on]
    )
    Application.objects.filter(pk=decision.application_id).update(status=Application.Status.DECIDED)
    meet_deadlines(decision, kind=APPROVAL)
    execution_decision_final(decision)  # SoL 34 kap. 1 §
    decision_letter_store(decision)
    _create_proposed_payment(decision)
    if decision.kind == Decision.Kind.ORIGINAL and not decision.case.is_closed:
        from cases.services.applications import next_application_deadline_open

        next_application_deadline_open(decision.case, month=decision.application.month)
    return decision


def _create_proposed_payment(decision: Decision) -> None:
    """The payment proposed with the decision, created as it becomes final, waiting for
    attestation by a second person (attestkontroll). Never before today."""
    if decision.proposed_pay_on is None:
        return
    amount = payable_amount(decision)
    if amount <= 0:
        return
    payment_create(
        decision,
        actor=decision.author,
        payee=decision.application.applicant,
        amount=amount,
        pay_on=max(decision.proposed_pay_on, timezone.localdate()),
    )


@transaction.atomic
def decision_submit(decision: Decision, *, actor: User, version: int | None = None) -> Decision:
    """The author decides: within delegation the decision is final at once; above it,
    it waits for a unit manager's approval (with a deadline in the engine)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.DRAFT:
        raise DecisionError(_("Beslutet är redan skickat."))
    if version is not None and version != decision.version:
        raise DecisionError(
            _("Beslutet har ändrats av någon annan. Ladda om sidan och försök igen.")
        )
    _check_complete(decision)
    if decision.kind == Decision.Kind.RECONSIDERATION:
        from cases.services.appeal_decisions import check_reconsideration_open

        check_reconsideration_open(decision)
    if within_delegation(actor, decision):
        return _finalise(decision, actor)
    decision.status = Decision.Status.AWAITING_APPROVAL
    decision.submitted_at = timezone.now()
    decision.version += 1
    decision.save()
    open_deadline(
        kind=APPROVAL,
        subject=decision,
        due_at=end_of_day(add_working_days(timezone.localdate(), APPROVAL_WORKING_DAYS)),
        unit=decision.case.unit,
        responsible=None,  # the unit's managers are reminded
    )
    return decision


@transaction.atomic
def decision_approve(decision: Decision, *, actor: User) -> Decision:
    """A unit manager approves a decision above the author's delegation. The approver is
    never the author; two approvals at once give exactly one (row lock + status)."""
    decision = Decision.objects.select_for_update().select_related("case").get(pk=decision.pk)
    if decision.status != Decision.Status.AWAITING_APPROVAL:
        raise DecisionError(_("Beslutet väntar inte på godkännande (redan godkänt?)."))
    if actor.pk == decision.author_id:
        raise DecisionError(_("Den som föredragit beslutet kan inte själv godkänna det."))
    if not (actor.has_role(Role.UNIT_MANAGER) and actor.unit_id == decision.case.unit_id):
        raise DecisionError(_("Bara enhetschefen för ärendets enhet kan godkänna."))
    if not within_delegation(actor, decision):
        raise DecisionError(_("Beslutet ligger utanför även din delegation."))
    _check_complete(decision)
    return _finalise(decision, actor)


@transaction.atomic
def decision_return(decision: Decision, *, actor: User) -> Decision:
    """The unit manager sends a decision back to the author as a draft."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.AWAITING_APPROVAL:
        raise DecisionError(_("Beslutet väntar inte på godkännande."))
    decision.status = Decision.Status.DRAFT
    decision.version += 1
    decision.save()
    cancel_deadlines(decision, kind=APPROVAL)
    return decision


def decision_replace(
    decision: Decision, *, actor: User, reconsiders: Appeal | None = None
) -> Decision:
    """A final decision is never edited: a new draft that refers to it is made (with
    ``reconsiders``, the omprövningsbeslut after that appeal, FL 37–39 §§). The draft
    starts from the old decision's content, its kommunikation included."""
    if not decision.is_final:
        raise DecisionError(_("Bara ett fattat beslut kan ersättas."))
    items = [
        ItemInput(
            i.kind,
            i.outcome,
            i.granted_amount,
            i.applied_amount,
            i.legal_basis,
            i.description,
            i.repayment_ground,
            i.advance_benefit,
            i.repayment_note,
        )
        for i in decision.items.select_related("legal_basis")
    ]
    return decision_save_draft(
        decision.application,
        actor=actor,
        items=items,
        motivering=decision.motivering,
        child_impact=decision.child_impact,
        conditions=decision.conditions,
        participants=decision.participants,
        letter_delivery=decision.letter_delivery,
        replaces=decision,
        reconsiders=reconsiders,
        communication=Communication.of(decision),
    )


# --- the letter ------------------------------------------------------------------
# What the letter says is decided in cases.services.decision_letters.


def _letter_template(decision: Decision) -> str:
    return (
        "pdf/reconsideration_letter.html"
        if decision.kind == Decision.Kind.RECONSIDERATION
        else "pdf/decision_letter.html"
    )


def decision_letter_preview(decision: Decision) -> tuple[str, bytes]:
    """The letter as it would be sent now (drafts and approvals preview it)."""
    from cases.pdf import render_document

    return render_document(_letter_template(decision), letter_context(decision))


def decision_letter_store(decision: Decision) -> DecisionLetter:
    """Store the letter once, when the decision becomes final: its HTML – what it says,
    with the letter's date – now, in the decision's transaction; the PDF from that HTML
    by a task after the commit (``render_decision_letter``), so the person finalising
    does not wait for the layout. Whoever reads the letter first gets the same PDF
    (``letter_pdf``)."""
    from cases.pdf import document_html

    letter = DecisionLetter.objects.create(
        decision=decision,
        html=document_html(_letter_template(decision), letter_context(decision)),
        pdf=None,
        language_notice=notice_codes(
            decision.application.applicant, decision.application.co_applicant
        ),
    )
    transaction.on_commit(lambda: _enqueue_letter_pdf(letter.pk), robust=True)
    return letter


def _enqueue_letter_pdf(letter_id: int) -> None:
    from cases.tasks import render_decision_letter

    render_decision_letter.delay(letter_id)


def pending_letters_lay_out(
    *, older_than: timedelta = timedelta(minutes=2), limit: int = 200
) -> int:
    """Lay out the letters still without a PDF (their task's message was lost, or – the
    demo loader – nobody queued one), oldest first; the youngest are left to their own
    task. Returns how many were laid out."""
    pending = DecisionLetter.objects.filter(
        pdf__isnull=True, created_at__lte=timezone.now() - older_than
    ).order_by("pk")[:limit]
    count = 0
    for letter in pending:
        try:
            letter_pdf(letter)
        except Exception:  # one letter that cannot be laid out must not hold up the rest
            logger.exception("decision letter layout failed", extra={"letter_id": letter.pk})
            continue
        count += 1
    return count


def letter_pdf(letter: DecisionLetter) -> bytes:
    """The letter's PDF: the stored one, or – before the task has made it – laid out now
    from the stored HTML and stored. Made once: of two at the same moment, the first to
    store wins and both return its bytes."""
    if letter.pdf is None:
        from cases.pdf import pdf_from_html

        pdf = pdf_from_html(letter.html)
        DecisionLetter.objects.filter(pk=letter.pk, pdf__isnull=True).update(
            pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest()
        )
        letter.pdf, letter.sha256 = DecisionLetter.objects.values_list("pdf", "sha256").get(
            pk=letter.pk
        )
    return bytes(letter.pdf or b"")


# --- appeals -----------------------------------------------------------------------


def appeal_route_for(decision: Decision, item: DecisionItem | None) -> str:
    """How an appeal of ``item`` (or of the whole decision) is tried: an item granted
    under SoL 12 kap. 2 § only by laglighetsprövning (kommunallagen 13 kap.), everything
    else by förvaltningsbesvär (SoL 35 kap. 1 §). A decision whose items go different
    ways needs the appealed item named."""
    if item is not None:
        if item.decision_id != decision.pk:
            raise DecisionError(_("Den överklagade delen hör inte till beslutet."))
        return item.route
    routes = {i.route for i in decision.items.select_related("legal_basis")}
    if len(routes) > 1:
        raise DecisionError(
            _(
                "Beslutet har delar som överklagas på olika sätt (förvaltningsbesvär och "
                "laglighetsprövning). Välj vilken del överklagandet gäller."
            )
        )
    return routes.pop() if routes else AppealRoute.ADMINISTRATIVE


@transaction.atomic
def appeal_register(
    decision: Decision,
    *,
    actor: User,
    received_on: date,
    notice_missing: bool = False,
    item: DecisionItem | None = None,
    court_received_on: date | None = None,
    idempotency_key: UUID | None = None,
) -> Appeal:
    """Register an appeal that reached the unit. Förvaltningsbesvär: rättidsprövning
    (FL 44–45 §§, ``appeal_timeliness``) and a forwarding clock (FL 46 §).
    ``court_received_on``: the appeal was sent to förvaltningsrätten, which passed it on –
    if it reached the court within the time it is not late (FL 45 § 2 st.).
    Laglighetsprövning (an item granted under SoL 12 kap. 2 §): neither – the appeal is
    made to förvaltningsrätten, which tries it and its timeliness (kommunallagen 13 kap.
    5 §: three weeks from the notice on the anslagstavla); one that arrives here is passed
    on to the court. The same form posted again (``idempotency_key``) returns the appeal
    it registered."""
    if not decision.is_final:
        raise DecisionError(_("Bara ett fattat beslut kan överklagas."))
    today = timezone.localdate()
    if received_on > today or (court_received_on and court_received_on > today):
        raise DecisionError(_("Inkomstdatum kan inte ligga i framtiden."))
    route = appeal_route_for(decision, item)
    appeal, _created = create_once(
        Appeal.objects.filter(decision=decision, registered_by=actor),
        idempotency_key,
        lambda: _appeal_create(
            decision,
            actor=actor,
            received_on=received_on,
            notice_missing=notice_missing,
            item=item,
            route=route,
            court_received_on=court_received_on,
            idempotency_key=idempotency_key,
        ),
    )
    return appeal


def _appeal_create(
    decision: Decision,
    *,
    actor: User,
    received_on: date,
    notice_missing: bool,
    item: DecisionItem | None,
    route: str,
    court_received_on: date | None,
    idempotency_key: UUID | None,
) -> Appeal:
    if route == AppealRoute.LEGALITY:
        return Appeal.objects.create(
            decision=decision,
            item=item,
            route=route,
            received_on=received_on,
            last_day=None,
            notice_missing_or_wrong=notice_missing,
            is_timely=True,  # not tried by the unit: the court tries it (KL 13 kap.)
            registered_by=actor,
            idempotency_key=idempotency_key,
        )
    timeliness = appeal_timeliness(
        decision,
        received_on,
        notice_missing=notice_missing,
        court_received_on=court_received_on,
    )
    appeal = Appeal.objects.create(
        decision=decision,
        item=item,
        route=route,
        received_on=received_on,
        court_received_on=court_received_on,
        last_day=timeliness.last_day,
        notice_missing_or_wrong=notice_missing,
        is_timely=timeliness.is_timely,
        timeliness_uncertain=timeliness.uncertain,
        registered_by=actor,
        idempotency_key=idempotency_key,
    )
    open_deadline(
        kind=APPEAL_FORWARD,
        subject=appeal,
        due_at=end_of_day(statutory_deadline(received_on, weeks=FORWARD_WEEKS)),
        unit=decision.case.unit,
        responsible=decision.case.caseworker,
    )
    return appeal


def _lock_appeal(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)


@transaction.atomic
def appeal_reconsider(appeal: Appeal, *, actor: User, changed: bool, note: str) -> Appeal:
    """FL 37–39 §§: omprövning, possible until the appeal is forwarded (39 §). Not
    changed: recorded on the appeal. Changed: an omprövningsbeslut is drafted from the
    appealed decision (``appeal_decisions.reconsideration_start``); it is a decision of
    its own, with delegation check, letter and besvärshänvisning, and the appeal counts as
    reconsidered when it is made."""
    appeal = _lock_appeal(appeal)
    if appeal.is_legality_review:
        raise DecisionError(
            _(
                "En laglighetsprövning omprövas inte av nämnden: förvaltningsrätten prövar "
                "den direkt (kommunallagen 13 kap.). Lämna den vidare till förvaltningsrätten."
            )
        )
    if appeal.status != Appeal.Status.RECEIVED:
        raise DecisionError(_("Omprövning kan bara göras innan överklagandet lämnats över."))
    if not note.strip():
        raise DecisionError(_("Beskriv omprövningen."))
    if changed:
        from cases.services.appeal_decisions import reconsideration_start

        reconsideration_start(appeal, actor=actor, note=note)
        return appeal
    appeal.status = Appeal.Status.RECONSIDERED
    appeal.reconsidered_changed = changed
    appeal.reconsideration_note = note.strip()
    appeal.save()
    return appeal


@transaction.atomic
def appeal_forward(appeal: Appeal, *, actor: User, forwarded_on: date) -> Appeal:
    appeal = _lock_appeal(appeal)
    if appeal.status not in (Appeal.Status.RECEIVED, Appeal.Status.RECONSIDERED):
        raise DecisionError(_("Överklagandet kan inte lämnas över nu."))
    if not appeal.is_timely:
        raise DecisionError(_("Överklagandet kom in för sent och ska avvisas (FL 45 §)."))
    appeal.status, appeal.forwarded_on = Appeal.Status.FORWARDED, forwarded_on
    appeal.save()
    meet_deadlines(appeal, kind=APPEAL_FORWARD)
    return appeal


@transaction.atomic
def appeal_dismiss(appeal: Appeal, *, actor: User, motivering: str = "") -> Appeal:
    """FL 45 §: a late appeal is dismissed (avvisas) by the unit – by an avvisningsbeslut
    with its own record, delegation check, letter and besvärshänvisning
    (``appeal_decisions.appeal_dismissal_decide``)."""
    from cases.services.appeal_decisions import appeal_dismissal_decide

    appeal_dismissal_decide(appeal, actor=actor, motivering=motivering)
    appeal.refresh_from_db()
    return appeal


@transaction.atomic
def appeal_court_outcome(appeal: Appeal, *, actor: User, outcome: str, decided_on: date) -> Appeal:
    appeal = _lock_appeal(appeal)
    if appeal.status != Appeal.Status.FORWARDED:
        raise DecisionError(_("Domstolens avgörande kan bara registreras efter överlämning."))
    appeal.status, appeal.court_outcome, appeal.court_decided_on = (
        Appeal.Status.COURT_DECIDED,
        outcome,
        decided_on,
    )
    appeal.save()
    return appeal


# --- payments ----------------------------------------------------------------------


def payable_amount(decision: Decision) -> Decimal:
    return decision.items.aggregate(total=Sum("granted_amount"))["total"] or Decimal(0)


def payment_create(
    decision: Decision, *, actor: User, payee: Person, amount: Decimal, pay_on: date
) -> Payment:
    """One payment per final decision: a double click or a retried request returns the
    existing payment instead of creating a second (unique decision + row lock)."""
    try:
        with transaction.atomic():
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            existing = Payment.objects.filter(decision=decision).first()
            if existing is not None:
                return existing
            if not decision.is_final:
                raise DecisionError(_("Bara ett fattat beslut kan betalas ut."))
            if amount <= 0 or amount > payable_amount(decision):
                raise DecisionError(
                    _("Beloppet måste vara större än 0 och högst det beviljade beloppet.")
                )
            return Payment.objects.create(
                decision=decision, payee=payee, amount=amount, pay_on=pay_on, created_by=actor
            )
    except IntegrityError:
        return Payment.objects.get(decision=decision)


@transaction.atomic
def payment_attest(payment: Payment, *, actor: User) -> Payment:
    """Attestkontroll: a second person, never the decision's author nor the payment's
    creator, attests. Attesting twice changes nothing."""
    payment = Payment.objects.select_for_update().select_related("decision").get(pk=payment.pk)
    if payment.status != Payment.Status.PROPOSED:
        raise DecisionError(_("Utbetalningen är redan attesterad."))
    if actor.pk in (
        payment.decision.author_id,
        payment.decision.decided_by_id,
        payment.created_by_id,
    ):
        raise DecisionError(
            _("Attesten ska göras av en annan person än den som beslutat eller registrerat.")
        )
    payment.status, payment.attested_by, payment.attested_at = (
        Payment.Status.ATTESTED,
        actor,
        timezone.now(),
    )
    payment.save()
    from cases.services.execution import execution_payment_attested

    execution_payment_attested(payment)  # the decision is executed (SoL 34 kap. 1–2 §§)
    return payment


# The last three: the household's payment period (brutna utbetalningsperioder, Norrköping
# 2015 §7.4) and the statistics month it is reported in (HSLF-FS 2015:30: the month the
# bistånd is for – the application's month names the period, cases.payment_periods).
CSV_HEADER = [
    "utbetalningsdag",
    "belopp",
    "mottagare",
    "personnummer",
    "beslut",
    "enhet",
    "period_fran",
    "period_till",
    "statistikmanad",
]


@transaction.atomic
def payment_batch_export(*, actor: User, unit: Unit) -> PaymentBatch | None:
    """The unit's attested payments not yet exported, as one CSV with totals; each
    payment goes into exactly one file."""
    payments = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(status=Payment.Status.ATTESTED, batch__isnull=True, decision__case__unit=unit)
        .select_related("payee", "decision__application")
        .order_by("pay_on", "pk")
    )
    if not payments:
        return None
    # The one neutralising writer: a payee name typed as "=HYPERLINK(…)" must not run in
    # the spreadsheet the economy office opens the file in. Amounts go in as Decimal,
    # so they stay numbers ("1234.50", decimal point as the payment system reads it).
    rows = [
        [
            payment.pay_on,
            payment.amount,
            payment.payee.full_name,
            payment.payee.personnummer or payment.payee.reserve_number or "",
            payment.decision.reference,
            unit.code,
            payment.decision.period_start,
            payment.decision.period_end,
            f"{payment.decision.application.month:%Y-%m}",
        ]
        for payment in payments
    ]
    total = sum((payment.amount for payment in payments), Decimal(0))
    rows.append(["SUMMA", total, f"{len(payments)} st", "", "", unit.code, "", "", ""])
    text = csv_text(rows, header=CSV_HEADER, decimal_separator=".")
    batch = PaymentBatch.objects.create(
        created_by=actor, unit=unit, count=len(payments), total=total, csv=text
    )
    Payment.objects.filter(pk__in=[p.pk for p in payments]).update(
        batch=batch, status=Payment.Status.EXPORTED
    )
    return batch


def payment_batch_file(batch: PaymentBatch) -> str:
    """The payment file as handed out. A file stored before payee names were neutralised
    is neutralised again on the way out (numbers stay as they were)."""
    return neutralise_csv_text(batch.csv, delimiter=";")


def awaiting_approval_for(user: User):
    return (
        Decision.objects.filter(
            status=Decision.Status.AWAITING_APPROVAL, case__unit_id=user.unit_id or 0
        )
        .exclude(Q(author=user))
        .select_related("case", "author", "application__applicant")
        .order_by("submitted_at", "pk")
    )
