"""What a decision letter says: everything the template prints is decided here, from the
decision and the legal bases as data (STYLE.md: a template never decides what the law
says).

- FL (2017:900) 31–33 §§: the content and reasons of the decision (every calculation
  line, adjustments and reductions with reason and basis), who decided and who presented,
  and the besvärshänvisning per item: förvaltningsbesvär (FL 44 §: written, to
  förvaltningsrätten, submitted to the nämnd, three weeks from receipt, what it should
  contain) or – for bistånd granted under SoL 12 kap. 2 § – laglighetsprövning only
  (kommunallagen 13 kap. 1, 5 §§: any member of the municipality, straight to the court,
  three weeks from the notice of the justerat protokoll on the anslagstavla).
- SoL (2025:400) 35 kap. 5 §: a decision in a matter under 35:1 applies at once.
- SoL 33 kap. 2 § 2 b and 3 §: the grounds for repayment are stated in the decision.
- The barnperspektiv as written, for households with children (SoL 3 kap. 1 §).
- The nämnd's name and addresses and the caseworker's contact come from the unit, with
  the municipality's settings as fallback – never from the template.

A protected person's address never appears (DOMAIN.md §5, §8): ``address_lines``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.language_notices import language_notice_context
from cases.models import (
    AppealRoute,
    Application,
    ApplicationItem,
    Decision,
    DecisionItem,
    HouseholdMember,
    Person,
    RepaymentGround,
    Unit,
    User,
)
from cases.roles import Role


def _legality_notice(decision: Decision):
    from cases.services.board import legality_notice

    return legality_notice(decision)


def household_has_children(application: Application) -> bool:
    return (
        application.case.household.members_on(application.month)
        .filter(role=HouseholdMember.Role.CHILD)
        .exists()
    )


def letter_delivery_for(person: Person, wanted: str = "") -> str:
    """The delivery a letter to ``person`` may use: anything asked for, except post to
    the address of a protected person – then Skatteverket's forwarding, unless it is
    handed over in person (DOMAIN.md §5, §8)."""
    delivery = Decision.LetterDelivery
    chosen = wanted if wanted in delivery.values else delivery.POST
    if person.is_protected and chosen == delivery.POST:
        return delivery.FORWARDING
    return chosen


def address_lines(person: Person, delivery: str, co_applicant: Person | None = None) -> list[str]:
    """The letter's window. The real address is printed only for post to a person
    without protected identity; through Skatteverket the envelope carries name and
    personnummer and the configured forwarding address; handed over, no address.

    The co-applicant's name follows the applicant's when the letter goes by post or is
    handed over – not through Skatteverket (which forwards to the one person whose
    personnummer is on the envelope), and never when the co-applicant is protected
    (their name beside an address would say where they live)."""
    lines = [person.legal_name]
    chosen = letter_delivery_for(person, delivery)
    if chosen == Decision.LetterDelivery.FORWARDING:
        if person.personnummer:
            lines.append(f"{person.personnummer[:8]}-{person.personnummer[8:]}")
        return lines + list(settings.VAGEN_PROTECTED_MAIL_LINES)
    if co_applicant is not None and not co_applicant.is_protected:
        lines.append(co_applicant.legal_name)
    if chosen == Decision.LetterDelivery.IN_PERSON:
        return lines
    if person.street_address:
        lines += [person.street_address, f"{person.postal_code} {person.city}".strip()]
    return lines


# --- who writes, who decides, how to reach them ---------------------------------------


@dataclass(frozen=True)
class Board:
    """The nämnd: the unit's own details, else the municipality's settings."""

    name: str
    unit_name: str
    postal_lines: tuple[str, ...]
    email: str
    phone: str


def board_for(unit: Unit) -> Board:
    postal = [line.strip() for line in unit.postal_address.splitlines() if line.strip()]
    return Board(
        name=unit.board_name or settings.VAGEN_BOARD_NAME,
        unit_name=unit.name,
        postal_lines=tuple(postal or settings.VAGEN_BOARD_POSTAL_ADDRESS),
        email=unit.email or settings.VAGEN_BOARD_EMAIL,
        phone=unit.phone or settings.VAGEN_BOARD_PHONE,
    )


def staff_title(user: User) -> str:
    """The title a letter gives a member of staff: their own, else the one for their
    role (VAGEN_ROLE_TITLES) – a unit manager is never called Socialsekreterare."""
    if user.title:
        return user.title
    role = user.role
    if role is None:
        return ""
    return settings.VAGEN_ROLE_TITLES.get(role.value) or str(Role(role).label)


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


def _signatory(user: User) -> Signatory:
    return Signatory(name=user.get_full_name() or user.username, title=staff_title(user))


def contact_for(decision: Decision, board: Board) -> Contact:
    """The caseworker the person can call: the case's caseworker, else the author;
    their own phone and e-mail, else the unit's."""
    person = decision.case.caseworker or decision.author
    return Contact(
        name=person.get_full_name() or person.username,
        phone=person.phone or board.phone,
        email=person.email or board.email,
    )


# --- the items: basis, appeal route, repayment ----------------------------------------


@dataclass(frozen=True)
class LetterItem:
    item: DecisionItem
    label: str
    basis: str
    route: str
    appeal_reference: str
    repayment: str

    @property
    def is_legality_only(self) -> bool:
        return self.route == AppealRoute.LEGALITY


def repayment_text(item: DecisionItem) -> str:
    """The grounds for repayment as the decision states them (SoL 33 kap. 2 § 2 b,
    3 § 3; old law 9 kap. 2 §), or "" when the item is not repayable."""
    ground = item.repayment_ground
    if not ground:
        return ""
    basis = item.legal_basis
    reference = f"{basis.law} {basis.repayment_reference}".strip()
    note = item.repayment_note.strip()
    amount = _kronor(item.granted_amount)
    if ground == RepaymentGround.ADVANCE:
        benefit = item.get_advance_benefit_display() if item.advance_benefit else ""
        if item.advance_benefit == "other" and note:
            benefit = note
        text = _(
            "Biståndet på %(amount)s lämnas som förskott på %(benefit)s. När %(benefit)s "
            "betalas ut för samma tid ska du betala tillbaka det du har fått i förskott."
        ) % {"amount": amount, "benefit": benefit}
    elif ground == RepaymentGround.LABOUR_CONFLICT:
        text = _(
            "Biståndet på %(amount)s lämnas till dig som är indragen i en arbetskonflikt. "
            "Du kan bli skyldig att betala tillbaka det."
        ) % {"amount": amount}
    elif ground == RepaymentGround.ASSETS_BLOCKED:
        text = _(
            "Biståndet på %(amount)s lämnas eftersom du på grund av förhållanden som du inte "
            "har kunnat råda över är hindrad från att förfoga över dina inkomster och "
            "tillgångar. Du kan bli skyldig att betala tillbaka det."
        ) % {"amount": amount}
    else:
        text = _("Biståndet på %(amount)s beviljas under villkor att du betalar tillbaka det.") % {
            "amount": amount
        }
    if note and not (ground == RepaymentGround.ADVANCE and item.advance_benefit == "other"):
        text = f"{text} {note}"
    return f"{text} " + _("Grund för återbetalningsskyldigheten: %(reference)s.") % {
        "reference": reference
    }


def _kronor(amount: Decimal) -> str:
    whole, _sep, ore = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{ore} kr"


def _letter_items(items: list[DecisionItem]) -> list[LetterItem]:
    result = []
    for item in items:
        rule = item.legal_basis.rule_for(item.outcome)
        reference = item.appeal_reference or (rule.appeal_reference if rule else "")
        label = item.get_kind_display()
        if item.description:
            label = f"{label} ({item.description})"
        result.append(
            LetterItem(
                item=item,
                label=label,
                basis=str(item.legal_basis),
                route=item.route,
                appeal_reference=reference,
                repayment=repayment_text(item),
            )
        )
    return result


# --- the calculation ------------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    """The adjustment line of the calculation, with its reason and basis: a reduction
    under 12:5 (the livelihood item's basis says so) or an individual calculation of the
    norm (12:7)."""

    label: str
    reason: str
    reference: str


def adjustment_for(calculation, livelihood: DecisionItem | None) -> Adjustment | None:
    if calculation is None or not calculation.adjustment:
        return None
    basis = livelihood.legal_basis if livelihood is not None else None
    if basis is not None and basis.reduces_livelihood and calculation.adjustment < 0:
        return Adjustment(
            label=_("Nedsättning av försörjningsstödet"),
            reason=calculation.adjustment_reason,
            reference=f"{basis.law} {basis.reference}",
        )
    reference = ""
    if basis is not None and basis.calculation_reference:
        reference = f"{basis.law} {basis.calculation_reference}"
    label = (
        _("Högre belopp än riksnormen")
        if calculation.adjustment > 0
        else _("Lägre belopp än riksnormen")
    )
    return Adjustment(label=label, reason=calculation.adjustment_reason, reference=reference)


# --- the letter -----------------------------------------------------------------------


def letter_context(decision: Decision) -> dict:
    """Everything ``templates/pdf/decision_letter.html`` prints. The decision date is
    the date the decision is made (``decided_on``; today for a draft's preview)."""
    from cases.calculation import Calculation

    application = decision.application
    applicant = application.applicant
    items = list(
        decision.items.select_related("legal_basis").prefetch_related("legal_basis__outcomes")
    )
    letter_items = _letter_items(items)
    board = board_for(decision.case.unit)
    livelihood = next((i for i in items if i.kind == ApplicationItem.Kind.LIVELIHOOD), None)
    # A decision with no försörjningsstöd item (12:2 dental care, say) shows no
    # "beräknat behov" for försörjningsstöd that was not decided.
    calculation = (
        Calculation.from_dict(application.calculation)
        if application.calculation and livelihood is not None
        else None
    )
    immediate = sorted(
        {
            f"{i.legal_basis.law} {i.legal_basis.immediate_effect_reference}"
            for i in items
            if i.legal_basis.immediate_effect_reference
        }
    )
    administrative = [i for i in letter_items if not i.is_legality_only]
    legality = [i for i in letter_items if i.is_legality_only]
    decider = decision.decided_by or decision.author
    has_children = household_has_children(application)
    return {
        "document_title": f"Beslut om ekonomiskt bistånd {decision.reference}",
        "decision": decision,
        "items": items,
        "letter_items": letter_items,
        "applicant": applicant,
        "co_applicant": application.co_applicant,
        "calculation": calculation,
        "adjustment": adjustment_for(calculation, livelihood),
        "total_granted": sum((i.granted_amount for i in items), Decimal(0)),
        "administrative_appeal": bool(administrative),
        "legality_appeal": bool(legality),
        "administrative_items": administrative,
        "legality_items": legality,
        "immediate_effect_references": immediate,
        "repayments": [i for i in letter_items if i.repayment],
        "child_impact": decision.child_impact if has_children else "",
        "decider": _signatory(decider),
        "decided_by_author": decider.pk == decision.author_id,
        "presenter": _signatory(decision.author),
        "board": board,
        "contact": contact_for(decision, board),
        "notice_board": settings.VAGEN_NOTICE_BOARD,
        # KL 13 kap. 5 §: once the protocol where the decision was reported is announced,
        # a letter made afterwards names the day and the last day of laglighetsprövning.
        "legality_notice": _legality_notice(decision) if legality else None,
        "recipient_lines": address_lines(
            applicant, decision.letter_delivery, application.co_applicant
        ),
        "letter_delivery": letter_delivery_for(applicant, decision.letter_delivery),
        "letter_date": decision.decided_on or timezone.localdate(),
        # FL 13 §: a short notice in the person's language beside the binding Swedish text.
        **language_notice_context(application.applicant, application.co_applicant, decision.case),
    }
