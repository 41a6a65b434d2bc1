"""Återkrav: opening, kommunikation, the decision and its letter, the repayment plan and
repayments, avstå, and the three-year clock (rules in ``cases.models.recovery``).

Which law: bistånd granted before 2025-07-01 is reclaimed under SoL (2001:453) 9 kap.,
later bistånd under SoL (2025:400) 33 kap. (SFS 2025:400, övergångsbestämmelse 5 a).
"Granted" is the decision date of the decision the reclaimed payment was made on. One
claim is under one law: payments on both sides of the date are two claims.

- The claim is the person's own debt to the nämnd and is not appealable (35 kap. 1 §
  does not list 33 kap.; 2001:453 16 kap. 3 § did not list 9 kap.): if the person does not
  pay voluntarily, the nämnd may bring an action in förvaltningsrätten within three years
  of the costs (33 kap. 4–5 §§; 2001:453 9 kap. 3 §). That clock is a deadline.
- Kommunikation first (FL 25 §, SoL 14 kap. 8 §): the decision is adverse by nature.
- 33 kap. 2 § and 3 §: only if the served decision on the bistånd stated the ground for
  repayment (``DecisionItem.repayment_ground``) – checked against the stored decision.
- 33 kap. 1 § andra stycket ("should reasonably have realised") has no counterpart in
  2001:453 9 kap. 1 §, so that ground is refused for bistånd granted under the old law.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.deadlines import (
    DeadlineKind,
    cancel_deadlines,
    meet_deadlines,
    open_deadline,
    register_kind,
)
from cases.idempotency import create_once
from cases.models import (
    Case,
    Payment,
    Person,
    Recovery,
    RecoveryGround,
    RecoveryLetter,
    RecoveryLine,
    RecoveryRepayment,
    RecoveryWaiver,
    RepaymentGround,
    User,
)

# Delegeringsordning points (DelegationRule.item_kind, Outcome.PROCEDURAL).
from cases.models.decisions import KRONOR, RECOVERY, RECOVERY_WAIVER
from cases.roles import Role
from cases.services.errors import DecisionError
from cases.workdays import end_of_day, first_of_month, statutory_deadline

NEW_LAW = "2025:400"
OLD_LAW = "2001:453"
NEW_LAW_FROM = date(2025, 7, 1)  # SFS 2025:400 övergångsbestämmelse 1


COURT_CLOCK = "recovery_court"
COURT_YEARS = 3  # 33 kap. 5 §; 2001:453 9 kap. 3 §

register_kind(
    DeadlineKind(
        code=COURT_CLOCK,
        label="Återkrav: sista dag att väcka talan i förvaltningsrätten",
        remind_before=timedelta(days=90),
        url=lambda deadline: reverse("recovery_detail", args=[deadline.subject_id]),
    )
)


@dataclass(frozen=True)
class LawRefs:
    law_title: str
    grounds: dict[str, str]  # RecoveryGround value -> paragraph
    court: str
    waiver: str
    not_appealable: str


LAWS = {
    NEW_LAW: LawRefs(
        law_title="socialtjänstlagen (2025:400)",
        grounds={
            RecoveryGround.INCORRECT_INFORMATION: "33 kap. 1 § första stycket",
            RecoveryGround.SHOULD_HAVE_REALISED: "33 kap. 1 § andra stycket",
            RecoveryGround.ADVANCE: "33 kap. 2 §",
            RecoveryGround.CONDITION: "33 kap. 3 §",
        },
        court="33 kap. 4–5 §§",
        waiver="33 kap. 6 §",
        not_appealable="35 kap. 1 §",
    ),
    OLD_LAW: LawRefs(
        law_title="socialtjänstlagen (2001:453)",
        grounds={
            RecoveryGround.INCORRECT_INFORMATION: "9 kap. 1 §",
            RecoveryGround.ADVANCE: "9 kap. 2 § första stycket",
            RecoveryGround.CONDITION: "9 kap. 2 § andra stycket",
        },
        court="9 kap. 3 §",
        waiver="9 kap. 4 §",
        not_appealable="16 kap. 3 §",
    ),
}

_ADVANCE_GROUNDS = {
    RepaymentGround.ADVANCE,
    RepaymentGround.LABOUR_CONFLICT,
    RepaymentGround.ASSETS_BLOCKED,
}


def law_for(decided_on: date) -> str:
    """SFS 2025:400 övergångsbestämmelse 5 a: the old law for bistånd granted before
    2025-07-01."""
    return OLD_LAW if decided_on < NEW_LAW_FROM else NEW_LAW


def ground_reference(recovery: Recovery) -> str:
    refs = LAWS[recovery.law]
    return f"{refs.grounds[recovery.ground]} {refs.law_title}"


# --- amounts -----------------------------------------------------------------------


def _sum(queryset, field: str) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    claimed: Decimal
    repaid: Decimal
    waived: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.claimed - self.repaid - self.waived


def balance(recovery: Recovery) -> Balance:
    return Balance(
        claimed=_sum(recovery.lines.all(), "amount"),
        repaid=_sum(recovery.repayments.all(), "amount"),
        waived=_sum(recovery.waivers.all(), "amount"),
    )


def _subtotal(model, field: str = "amount"):
    return Coalesce(
        Subquery(
            model.objects.filter(recovery=OuterRef("pk"))
            .order_by()
            .values("recovery")
            .annotate(total=Sum(field))
            .values("total")
        ),
        Value(Decimal("0.00")),
        output_field=DecimalField(**KRONOR),
    )


def with_balances(queryset: QuerySet[Recovery]) -> QuerySet[Recovery]:
    """Annotate claimed, repaid, waived (one query however many claims)."""
    return queryset.annotate(
        claimed=_subtotal(RecoveryLine),
        repaid=_subtotal(RecoveryRepayment),
        waived=_subtotal(RecoveryWaiver),
    ).annotate(outstanding=F("claimed") - F("repaid") - F("waived"))


def plan_expected(recovery: Recovery, on: date) -> Decimal:
    """What the plan says should have been paid by ``on``: the monthly amount for every
    month from the first month up to and including ``on``'s, never more than the claim
    less what was waived."""
    if not recovery.monthly_amount or not recovery.first_month or on < recovery.first_month:
        return Decimal("0.00")
    months = (on.year - recovery.first_month.year) * 12 + on.month - recovery.first_month.month + 1
    amounts = balance(recovery)
    return min(recovery.monthly_amount * months, amounts.claimed - amounts.waived)


# --- opening -------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    payment_id: int
    amount: Decimal
    note: str = ""


def reclaimable_payments(case: Case) -> QuerySet[Payment]:
    """Payments made on the case's final decisions (attested or sent): what can be
    reclaimed."""
    return (
        Payment.objects.filter(decision__case=case)
        .exclude(status=Payment.Status.PROPOSED)
        .select_related("decision__application")
        .order_by("pay_on", "pk")
    )


def _already_reclaimed(payment: Payment) -> Decimal:
    return _sum(
        RecoveryLine.objects.filter(payment=payment).exclude(
            recovery__status=Recovery.Status.CANCELLED
        ),
        "amount",
    )


def _check_ground(ground: str, law: str, payments: list[Payment]) -> None:
    if ground not in LAWS[law].grounds:
        raise DecisionError(
            _(
                "Biståndet beviljades före den 1 juli 2025 och återkrävs enligt den äldre "
                "socialtjänstlagen (2001:453) 9 kap. Den saknar en regel om återkrav när "
                "personen borde ha insett felet – välj en annan grund."
            )
        )
    if ground in (RecoveryGround.ADVANCE, RecoveryGround.CONDITION):
        wanted = (
            _ADVANCE_GROUNDS if ground == RecoveryGround.ADVANCE else {RepaymentGround.CONDITION}
        )
        for payment in payments:
            decision = payment.decision
            stated = decision.items.filter(repayment_ground__in=wanted).exists()
            if not stated or decision.served_on is None:
                raise DecisionError(
                    _(
                        "Beslut %(reference)s angav inte grunden för återbetalning eller är "
                        "inte delgivet. Återkrav enligt %(paragraph)s kräver ett skriftligt, "
                        "delgivet beslut som angav grunden."
                    )
                    % {"reference": decision.reference, "paragraph": LAWS[law].grounds[ground]}
                )


@transaction.atomic
def recovery_open(
    case: Case,
    *,
    actor: User,
    debtor: Person,
    ground: str,
    facts: str,
    lines: list[LineInput],
    idempotency_key: UUID | None = None,
) -> Recovery:
    """Open a claim on ``case``: the amounts per month and payment, the ground and the
    law (from the grant dates). A double click returns the claim the first click made."""
    existing = Recovery.objects.filter(case=case, created_by=actor)
    if idempotency_key is not None and (
        made := existing.filter(idempotency_key=idempotency_key).first()
    ):
        return made
    if ground not in RecoveryGround.values:
        raise DecisionError(_("Välj grunden för återkravet."))
    if not facts.strip():
        raise DecisionError(_("Beskriv vad som hänt – vilka uppgifter som var fel och när."))
    if not case.household.memberships.filter(person=debtor).exists():
        raise DecisionError(_("Den återbetalningsskyldiga ska tillhöra ärendets hushåll."))
    if not lines:
        raise DecisionError(_("Ange minst en utbetalning och beloppet som återkrävs."))
    payments = {
        p.pk: p for p in reclaimable_payments(case).filter(pk__in=[x.payment_id for x in lines])
    }
    if len({x.payment_id for x in lines}) != len(lines):
        raise DecisionError(_("Samma utbetalning står på två rader."))
    chosen = []
    for line in lines:
        payment = payments.get(line.payment_id)
        if payment is None:
            raise DecisionError(_("Utbetalningen finns inte i ärendet eller är inte gjord."))
        if line.amount <= 0:
            raise DecisionError(_("Beloppet som återkrävs ska vara större än 0 kr."))
        left = payment.amount - _already_reclaimed(payment)
        if line.amount > left:
            raise DecisionError(
                _("Högst %(left)s kr av utbetalningen %(day)s kan återkrävas.")
                % {"left": _kr(left), "day": date_format(payment.pay_on, "DATE_FORMAT")}
            )
        chosen.append(payment)
    laws = {law_for(p.decision.decided_on) for p in chosen}
    if len(laws) > 1:
        raise DecisionError(
            _(
                "Utbetalningarna gäller bistånd beviljat både före och efter den 1 juli 2025. "
                "Den äldre lagen gäller för det som beviljades före (SFS 2025:400, "
                "övergångsbestämmelse 5 a) – gör två återkrav."
            )
        )
    law = laws.pop()
    _check_ground(ground, law, chosen)

    def create() -> Recovery:
        recovery = Recovery.objects.create(
            case=case,
            debtor=debtor,
            ground=ground,
            law=law,
            facts=facts.strip(),
            created_by=actor,
            idempotency_key=idempotency_key,
        )
        RecoveryLine.objects.bulk_create(
            RecoveryLine(
                recovery=recovery,
                payment=payments[line.payment_id],
                # The month the bistånd was for: the month its application names
                # (a period from the 25th or a broken period starts later, payment_periods).
                month=payments[line.payment_id].decision.application.month,
                amount=line.amount,
                note=line.note.strip(),
            )
            for line in lines
        )
        # 33 kap. 5 §: action within three years of the costs – counted from the first
        # payment reclaimed (the earliest cost), lag 1930:173.
        first_cost = min(p.pay_on for p in chosen)
        open_deadline(
            kind=COURT_CLOCK,
            subject=recovery,
            due_at=end_of_day(statutory_deadline(first_cost, years=COURT_YEARS)),
            unit=case.unit,
            responsible=case.caseworker,
        )
        return recovery

    recovery, _created = create_once(existing, idempotency_key, create)
    return recovery


def court_last_day(recovery: Recovery) -> date | None:
    first = (
        recovery.lines.order_by("payment__pay_on").values_list("payment__pay_on", flat=True).first()
    )
    return statutory_deadline(first, years=COURT_YEARS) if first else None


def _kr(amount: Decimal) -> str:
    from cases.templatetags.vagen import kronor

    return f"{kronor(amount)} kr"


def _lock(recovery: Recovery, version: int | None) -> Recovery:
    locked = Recovery.objects.select_for_update().get(pk=recovery.pk)
    if version is not None and version != locked.version:
        raise DecisionError(
            _(
                "Någon annan har sparat ändringar i återkravet sedan du öppnade det. Läs om "
                "sidan – det du skrev finns kvar i formuläret."
            )
        )
    return locked


# --- draft: kommunikation and motivering ------------------------------------------


@transaction.atomic
def recovery_save(
    recovery: Recovery,
    *,
    actor: User,
    version: int | None,
    facts: str,
    motivering: str,
    communicated_on: date | None,
    communication_method: str,
    communication_oral_offered: bool,
    communication_exemption: str,
    communication_note: str,
) -> Recovery:
    """Save the draft: what happened, the kommunikation (FL 25 §) and the motivering."""
    from cases.services.communication import Communication

    recovery = _lock(recovery, version)
    if recovery.status != Recovery.Status.DRAFT:
        raise DecisionError(_("Återkravet är redan beslutat och kan inte ändras."))
    communication = Communication(
        communicated_on=communicated_on,
        method=communication_method,
        oral_offered=communication_oral_offered,
        exemption=communication_exemption,
        note=communication_note,
    )
    communication.check()
    communication.apply(recovery)
    if not facts.strip():
        raise DecisionError(_("Beskriv vad som hänt – vilka uppgifter som var fel och när."))
    recovery.facts = facts.strip()
    recovery.motivering = motivering.strip()
    recovery.version += 1
    recovery.save()
    return recovery


def _check_communicated(recovery: Recovery) -> None:
    """FL 25 §, SOSFS 2014:5, SoL 14 kap. 8 §: a claim always goes against the person."""
    if recovery.communicated_on is None and not recovery.communication_exemption:
        raise DecisionError(
            _(
                "Personen ska få yttra sig innan återkravet beslutas. Ange när och hur "
                "underlaget kommunicerades, eller varför det inte behövdes (förvaltningslagen "
                "25 §)."
            )
        )
    if recovery.communicated_on and not recovery.communication_oral_offered:
        raise DecisionError(
            _(
                "Personen ska ha fått veta att uppgifter också kan lämnas muntligt "
                "(socialtjänstlagen 14 kap. 8 §)."
            )
        )


def _delegated(actor: User, kind: str) -> bool:
    from cases.services.decisions import procedural_delegation_allows

    return procedural_delegation_allows(actor, kind)


def _check_plan(monthly_amount: Decimal | None, first_month: date | None) -> None:
    if monthly_amount is None and first_month is None:
        return
    if monthly_amount is None or first_month is None:
        raise DecisionError(_("Ange både belopp per månad och första månaden för planen."))
    if monthly_amount <= 0:
        raise DecisionError(_("Beloppet per månad ska vara större än 0 kr."))


@transaction.atomic
def recovery_decide(
    recovery: Recovery,
    *,
    actor: User,
    version: int | None = None,
    monthly_amount: Decimal | None = None,
    first_month: date | None = None,
) -> Recovery:
    """The återkravsbeslut (FL 31–32 §§): kommunikation done, motivering written, within
    the actor's delegation; the letter is made once and stored. A second click on a claim
    already decided returns it unchanged."""
    recovery = _lock(recovery, None)
    if recovery.status == Recovery.Status.DECIDED:
        return recovery
    if version is not None and version != recovery.version:
        raise DecisionError(
            _("Någon annan har sparat ändringar i återkravet sedan du öppnade det. Läs om sidan.")
        )
    if recovery.status != Recovery.Status.DRAFT:
        raise DecisionError(_("Återkravet är redan avslutat."))
    _check_communicated(recovery)
    if not recovery.motivering:
        raise DecisionError(
            _("Skriv en motivering: de regler och omständigheter som avgjort (FL 32 §).")
        )
    if not _delegated(actor, RECOVERY):
        raise DecisionError(_("Du har inte delegation att besluta om återkrav."))
    _check_plan(monthly_amount, first_month)
    recovery.status = Recovery.Status.DECIDED
    recovery.decided_by = actor
    recovery.decided_on = timezone.localdate()
    if monthly_amount is not None and first_month is not None:
        recovery.monthly_amount = monthly_amount
        recovery.first_month = first_of_month(first_month)
    recovery.version += 1
    recovery.save()
    _store_letter(recovery, RecoveryLetter.Kind.DECISION)
    return recovery


@transaction.atomic
def recovery_plan_set(
    recovery: Recovery,
    *,
    actor: User,
    version: int | None,
    monthly_amount: Decimal,
    first_month: date,
) -> Recovery:
    """Agree or change the repayment plan of a decided claim."""
    recovery = _lock(recovery, version)
    if recovery.status != Recovery.Status.DECIDED:
        raise DecisionError(_("En avbetalningsplan kan bara göras för ett beslutat återkrav."))
    _check_plan(monthly_amount, first_month)
    recovery.monthly_amount = monthly_amount
    recovery.first_month = first_of_month(first_month)
    recovery.version += 1
    recovery.save(update_fields=["monthly_amount", "first_month", "version"])
    return recovery


def _settle_if_done(recovery: Recovery) -> None:
    amounts = balance(recovery)
    if amounts.outstanding > 0:
        return
    # Settled: repaid in full, or the rest waived (avstått) – then it reads as waived.
    recovery.status = Recovery.Status.WAIVED if amounts.waived > 0 else Recovery.Status.PAID
    recovery.version += 1
    recovery.save(update_fields=["status", "version"])
    meet_deadlines(recovery, kind=COURT_CLOCK)


@transaction.atomic
def recovery_repayment_register(
    recovery: Recovery,
    *,
    actor: User,
    paid_on: date,
    amount: Decimal,
    idempotency_key: UUID | None = None,
) -> RecoveryRepayment:
    """A repayment received. Never more than the outstanding balance; the claim is
    settled when the balance reaches exactly 0 kr."""
    recovery = _lock(recovery, None)
    existing = RecoveryRepayment.objects.filter(recovery=recovery, registered_by=actor)
    if idempotency_key is not None and (
        made := existing.filter(idempotency_key=idempotency_key).first()
    ):
        return made
    if recovery.status not in (Recovery.Status.DECIDED, Recovery.Status.COURT):
        raise DecisionError(_("Betalningar kan bara registreras på ett beslutat återkrav."))
    if amount <= 0:
        raise DecisionError(_("Beloppet ska vara större än 0 kr."))
    if paid_on > timezone.localdate():
        raise DecisionError(_("Betalningsdagen kan inte ligga i framtiden."))
    outstanding = balance(recovery).outstanding
    if amount > outstanding:
        raise DecisionError(
            _("Beloppet är större än det som återstår (%(left)s).") % {"left": _kr(outstanding)}
        )
    repayment, _created = create_once(
        existing,
        idempotency_key,
        lambda: RecoveryRepayment.objects.create(
            recovery=recovery,
            paid_on=paid_on,
            amount=amount,
            registered_by=actor,
            idempotency_key=idempotency_key,
        ),
    )
    _settle_if_done(recovery)
    return repayment


@transaction.atomic
def recovery_waive(
    recovery: Recovery,
    *,
    actor: User,
    amount: Decimal,
    motivering: str,
    version: int | None = None,
    idempotency_key: UUID | None = None,
) -> RecoveryWaiver:
    """Avstå (SoL 2025:400 33 kap. 6 §; 2001:453 9 kap. 4 §) from all or part of what
    is outstanding: a decision of its own, within delegation, with motivering and letter."""
    recovery = _lock(recovery, None)
    existing = RecoveryWaiver.objects.filter(recovery=recovery, decided_by=actor)
    if idempotency_key is not None and (
        made := existing.filter(idempotency_key=idempotency_key).first()
    ):
        return made
    if version is not None and version != recovery.version:
        raise DecisionError(
            _("Någon annan har ändrat återkravet sedan du öppnade det. Läs om sidan.")
        )
    if recovery.status not in (Recovery.Status.DECIDED, Recovery.Status.COURT):
        raise DecisionError(
            _("Nämnden kan bara avstå från ett beslutat återkrav som inte är betalt.")
        )
    if not _delegated(actor, RECOVERY_WAIVER):
        raise DecisionError(
            _("Du har inte delegation att avstå från återkrav. Enhetschefen kan fatta beslutet.")
        )
    if not motivering.strip():
        raise DecisionError(_("Skriv varför nämnden avstår från kravet."))
    outstanding = balance(recovery).outstanding
    if amount <= 0 or amount > outstanding:
        raise DecisionError(
            _("Beloppet ska vara större än 0 kr och högst det som återstår (%(left)s).")
            % {"left": _kr(outstanding)}
        )

    def create() -> RecoveryWaiver:
        waiver = RecoveryWaiver.objects.create(
            recovery=recovery,
            amount=amount,
            motivering=motivering.strip(),
            decided_by=actor,
            decided_on=timezone.localdate(),
            idempotency_key=idempotency_key,
        )
        waiver.letter = _store_letter(recovery, RecoveryLetter.Kind.WAIVER, waiver=waiver)
        waiver.save(update_fields=["letter"])
        return waiver

    waiver, _created = create_once(existing, idempotency_key, create)
    recovery.version += 1
    recovery.save(update_fields=["version"])
    _settle_if_done(recovery)
    return waiver


@transaction.atomic
def recovery_court_filed(
    recovery: Recovery, *, actor: User, filed_on: date, version: int | None = None
) -> Recovery:
    """The nämnd brought an action in förvaltningsrätten (33 kap. 4 §) – only within three
    years of the costs (33 kap. 5 §)."""
    recovery = _lock(recovery, version)
    if recovery.status == Recovery.Status.COURT:
        return recovery
    if recovery.status != Recovery.Status.DECIDED:
        raise DecisionError(
            _("Talan kan bara väckas för ett beslutat återkrav som inte är betalt.")
        )
    last_day = court_last_day(recovery)
    if filed_on > timezone.localdate():
        raise DecisionError(_("Dagen kan inte ligga i framtiden."))
    if last_day and filed_on > last_day:
        raise DecisionError(
            _("Talan måste väckas senast %(day)s – tre år från kostnaden (%(ref)s).")
            % {"day": date_format(last_day, "DATE_FORMAT"), "ref": LAWS[recovery.law].court}
        )
    recovery.status = Recovery.Status.COURT
    recovery.court_filed_on = filed_on
    recovery.version += 1
    recovery.save(update_fields=["status", "court_filed_on", "version"])
    meet_deadlines(recovery, kind=COURT_CLOCK)
    return recovery


@transaction.atomic
def recovery_cancel(
    recovery: Recovery, *, actor: User, note: str, version: int | None = None
) -> Recovery:
    """Close a claim under investigation without a decision (e.g. after the person's
    answer showed it was right)."""
    recovery = _lock(recovery, version)
    if recovery.status == Recovery.Status.CANCELLED:
        return recovery
    if recovery.status != Recovery.Status.DRAFT:
        raise DecisionError(
            _("Ett beslutat återkrav avslutas genom betalning eller beslut att avstå.")
        )
    if not note.strip():
        raise DecisionError(_("Skriv varför återkravet avslutas."))
    recovery.status = Recovery.Status.CANCELLED
    recovery.closed_note = note.strip()
    recovery.version += 1
    recovery.save(update_fields=["status", "closed_note", "version"])
    cancel_deadlines(recovery, kind=COURT_CLOCK)
    return recovery


# --- letters -------------------------------------------------------------------------


def letter_context(recovery: Recovery, kind: str, waiver: RecoveryWaiver | None = None) -> dict:
    from cases.language_notices import language_notice_context
    from cases.services.decision_letters import (
        address_lines,
        board_for,
        letter_delivery_for,
        staff_title,
    )

    refs = LAWS[recovery.law]
    amounts = balance(recovery)
    debtor = recovery.debtor
    decider = waiver.decided_by if waiver else recovery.decided_by
    return {
        "document_title": (
            f"Beslut om återkrav {recovery.reference}"
            if kind == RecoveryLetter.Kind.DECISION
            else f"Beslut att avstå från återkrav {recovery.reference}"
        ),
        "kind": kind,
        "recovery": recovery,
        "waiver": waiver,
        "lines": list(recovery.lines.select_related("payment")),
        "amounts": amounts,
        "ground_label": RecoveryGround(recovery.ground).label,
        "ground_reference": ground_reference(recovery),
        "law_title": refs.law_title,
        "court_reference": f"{refs.court} {refs.law_title}",
        "waiver_reference": f"{refs.waiver} {refs.law_title}",
        "not_appealable_reference": f"{refs.not_appealable} {refs.law_title}",
        "court_last_day": court_last_day(recovery),
        "debtor": debtor,
        "recipient_lines": address_lines(debtor, letter_delivery_for(debtor)),
        "board": board_for(recovery.case.unit),
        "decider_name": decider.get_full_name() if decider else "",
        "decider_title": staff_title(decider) if decider else "",
        "letter_date": waiver.decided_on if waiver else recovery.decided_on,
        **language_notice_context(debtor, None, recovery.case),
    }


def letter_render(recovery: Recovery, kind: str, waiver: RecoveryWaiver | None = None):
    from cases.pdf import render_document

    return render_document("pdf/recovery_letter.html", letter_context(recovery, kind, waiver))


def _store_letter(
    recovery: Recovery, kind: str, *, waiver: RecoveryWaiver | None = None
) -> RecoveryLetter:
    html, pdf = letter_render(recovery, kind, waiver)
    return RecoveryLetter.objects.create(
        recovery=recovery, kind=kind, html=html, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest()
    )


# --- reads -------------------------------------------------------------------------


def recoveries_for_case(case: Case) -> QuerySet[Recovery]:
    return with_balances(case.recoveries.select_related("debtor"))


def unit_recoveries(user: User) -> QuerySet[Recovery]:
    """The claims of the cases ``user`` may see (Case.objects.visible_to)."""
    return with_balances(
        Recovery.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case", "debtor", "case__caseworker")
        .order_by("status", "-created_at")
    )


def may_decide_waiver(user: User) -> bool:
    return user.has_role(Role.UNIT_MANAGER) and _delegated(user, RECOVERY_WAIVER)
