"""Legal bases as rules: the default basis for a date, and the check that refuses what
the law does not allow – with a Swedish message saying why (issue 15; DOMAIN.md §3).

The rules themselves are data (``cases.models.legal_bases``); this module applies them.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import (
    AdvanceBenefit,
    ApplicationItem,
    DecisionItem,
    LegalBasis,
    LegalBasisOutcome,
    RepaymentGround,
    RepaymentRule,
)
from cases.services.errors import DecisionError  # noqa: F401 – raised here, re-exported


def legal_basis_for(kind: str, on: date) -> LegalBasis:
    """The default legal basis for an item decided on ``on``: the one marked as default
    that is in force that day and covers the kind (DOMAIN.md §3: the law in force on
    the decision date – SoL 2025:400 from 2025-07-01, SoL 2001:453 before)."""
    for basis in LegalBasis.objects.in_force(on).filter(is_default=True).order_by("code"):
        if basis.covers(kind):
            return basis
    raise DecisionError(
        _("Det finns inget lagrum som gäller den %(day)s för %(kind)s.")
        % {"day": date_format(on, "SHORT_DATE_FORMAT"), "kind": _kind_label(kind)}
    )


def _kind_label(kind: str) -> str:
    return str(ApplicationItem.Kind(kind).label) if kind in ApplicationItem.Kind else kind


def check_in_law(
    *,
    kind: str,
    outcome: str,
    basis: LegalBasis,
    on: date,
    repayment_ground: str = "",
    advance_benefit: str = "",
    repayment_note: str = "",
) -> LegalBasisOutcome:
    """Refuse what the law does not allow, saying why; return the allowed outcome with
    its appeal route. ``on`` is the decision date (the day the decision is made).

    - The basis must be in force on the decision date: SoL (2025:400) from 2025-07-01,
      SoL (2001:453) to 2025-06-30 (SFS 2025:400 transitional provisions 1–2; the old
      law keeps governing appeals of and återkrav for decisions made before, points 5–6
      – those decisions keep their basis and are not decided again here).
    - The basis must cover the kind of item (12:5 only försörjningsstöd, SoL 12 kap. 5 §).
    - The outcome must be one the basis allows: 12 kap. 2 § only grants bistånd beyond
      12:1; a refusal of an application is a 12:1 decision, appealable by
      förvaltningsbesvär (SoL 35 kap. 1 § första stycket 1), a refused or reduced
      försörjningsstöd under 12:5 likewise (35:1 2). Only bistånd granted under 12:2 is
      reached by laglighetsprövning alone (kommunallagen 13 kap.).
    - Återbetalningsskyldighet must be stated in the decision: for 12:1 bistånd only as
      förskott på förmån, in a labour conflict or when the person cannot dispose of
      their income (SoL 33 kap. 2 §); for 12:2 bistånd only on condition of repayment
      (33 kap. 3 §). Nothing is repaid of what is refused.
    """
    if not basis.in_force_on(on):
        valid_to = _("tills vidare")
        if basis.valid_to:
            valid_to = date_format(basis.valid_to, "SHORT_DATE_FORMAT")
        message = _(
            "%(basis)s gäller inte på beslutsdagen %(day)s (lagrummet gäller %(start)s – "
            "%(end)s). Ett beslut ska ange den lag som gäller den dag beslutet fattas."
        ) % {
            "basis": basis,
            "day": date_format(on, "SHORT_DATE_FORMAT"),
            "start": date_format(basis.valid_from, "SHORT_DATE_FORMAT"),
            "end": valid_to,
        }
        try:
            message += " " + _("Välj %(basis)s.") % {"basis": legal_basis_for(kind, on)}
        except DecisionError:
            pass
        raise DecisionError(message)
    if not basis.covers(kind):
        raise DecisionError(
            _("%(basis)s kan inte avse %(kind)s. %(note)s")
            % {"basis": basis, "kind": _kind_label(kind).lower(), "note": basis.usage_note}
        )
    rule = basis.rule_for(outcome)
    if rule is None:
        label = DecisionItem.Outcome(outcome).label if outcome in DecisionItem.Outcome else outcome
        raise DecisionError(
            _("%(outcome)s kan inte beslutas med stöd av %(basis)s. %(note)s")
            % {"outcome": label, "basis": basis, "note": basis.usage_note}
        )
    _check_repayment(
        basis=basis,
        outcome=outcome,
        ground=repayment_ground,
        benefit=advance_benefit,
        note=repayment_note,
    )
    return rule


def _check_repayment(*, basis: LegalBasis, outcome: str, ground: str, benefit: str, note: str):
    if benefit and ground != RepaymentGround.ADVANCE:
        raise DecisionError(
            _("Du har angett en förmån: välj återbetalningsgrunden förskott på förmån.")
        )
    if not ground:
        return
    if ground not in RepaymentGround.values:
        raise DecisionError(_("Okänd grund för återbetalning."))
    if outcome == DecisionItem.Outcome.REFUSED:
        raise DecisionError(
            _("Ett avslag ger inget att betala tillbaka – ta bort återbetalningen.")
        )
    reclaimable = (
        RepaymentGround.ADVANCE,
        RepaymentGround.LABOUR_CONFLICT,
        RepaymentGround.ASSETS_BLOCKED,
    )
    if ground in reclaimable and basis.repayment_rule != RepaymentRule.RECLAIMABLE:
        raise DecisionError(
            _(
                "Bistånd enligt %(basis)s kan inte krävas tillbaka som förskott, vid "
                "arbetskonflikt eller hinder att förfoga över inkomster – det gäller bara "
                "bistånd enligt rätten till bistånd (socialtjänstlagen 33 kap. 2 §)."
            )
            % {"basis": basis}
            + (
                " " + _("Bistånd utöver rätten kan i stället ges under villkor om återbetalning.")
                if basis.repayment_rule == RepaymentRule.CONDITIONAL
                else ""
            )
        )
    if ground == RepaymentGround.CONDITION and basis.repayment_rule != RepaymentRule.CONDITIONAL:
        raise DecisionError(
            _(
                "Villkor om återbetalning kan bara ställas för bistånd som ges utöver rätten "
                "till bistånd (12 kap. 2 §, socialtjänstlagen 33 kap. 3 §). Bistånd enligt "
                "%(basis)s kan bara krävas tillbaka om det lämnas som förskott på förmån, vid "
                "arbetskonflikt eller när personen är hindrad att förfoga över sina inkomster "
                "(33 kap. 2 §)."
            )
            % {"basis": basis}
        )
    if ground == RepaymentGround.ADVANCE and not benefit:
        raise DecisionError(_("Ange vilken förmån eller ersättning biståndet är förskott på."))
    if benefit == AdvanceBenefit.OTHER and not note.strip():
        raise DecisionError(_("Skriv vilken förmån eller ersättning biståndet är förskott på."))
    if ground == RepaymentGround.ASSETS_BLOCKED and not note.strip():
        raise DecisionError(
            _(
                "Beskriv vad som hindrar personen från att förfoga över sina inkomster och "
                "tillgångar – beslutet ska ange grunden för återbetalningen (33 kap. 2 §)."
            )
        )


def check_items_in_law(items, on: date) -> list[LegalBasisOutcome]:
    return [
        check_in_law(
            kind=item.kind,
            outcome=item.outcome,
            basis=item.legal_basis,
            on=on,
            repayment_ground=item.repayment_ground,
            advance_benefit=item.advance_benefit,
            repayment_note=item.repayment_note,
        )
        for item in items
    ]
