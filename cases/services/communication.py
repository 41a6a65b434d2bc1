"""Kommunikation before an adverse decision (FL 25 §; SOSFS 2014:5; SoL 14 kap. 8 §).

Before deciding, the unit tells the person of the material that matters and lets them
comment (FL 25 § första stycket), unless that is obviously unnecessary or one of the
law's grounds applies (FL 25 §; ``CommunicationExemption``). The decision record shows
whether, when and how it was done (SOSFS 2014:5), and the person is told that they may
also give information orally (SoL 14 kap. 8 §). A decision that goes against the person –
an avslag, a delvis bifall or a reduction under SoL 12 kap. 5 § – cannot be made until
the record says one or the other.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CommunicationExemption, CommunicationMethod, Decision, DecisionItem
from cases.services.errors import DecisionError

# SoL 2025:400 12 kap. 5 §: refusal or reduction of försörjningsstöd.
REDUCTION_REFERENCE = "12 kap. 5 §"


@dataclass(frozen=True)
class Communication:
    """What the decision form says about kommunikation; empty when nothing is said."""

    communicated_on: date | None = None
    method: str = ""
    oral_offered: bool = False
    exemption: str = ""
    note: str = ""

    @classmethod
    def of(cls, decision: Decision) -> "Communication":
        return cls(
            communicated_on=decision.communicated_on,
            method=decision.communication_method,
            oral_offered=decision.communication_oral_offered,
            exemption=decision.communication_exemption,
            note=decision.communication_note,
        )

    def check(self) -> None:
        """What can be refused while the draft is saved."""
        if self.communicated_on and self.exemption:
            raise DecisionError(
                _(
                    "Ange antingen när underlaget kommunicerades eller varför det inte "
                    "behövdes – inte båda."
                )
            )
        if self.communicated_on and self.communicated_on > timezone.localdate():
            raise DecisionError(_("Kommuniceringen kan inte ligga i framtiden."))
        if self.communicated_on and self.method not in CommunicationMethod.values:
            raise DecisionError(_("Ange hur underlaget kommunicerades."))
        if self.exemption and self.exemption not in CommunicationExemption.values:
            raise DecisionError(_("Välj ett av skälen i förvaltningslagen 25 §."))

    def apply(self, decision: Decision) -> None:
        decision.communicated_on = self.communicated_on
        decision.communication_method = self.method if self.communicated_on else ""
        decision.communication_oral_offered = bool(self.communicated_on and self.oral_offered)
        decision.communication_exemption = "" if self.communicated_on else self.exemption
        decision.communication_note = self.note.strip()


def is_adverse(decision: Decision) -> bool:
    """The decision goes against the person: an item refused or partly granted, or one
    decided under SoL 12 kap. 5 § (vägran eller nedsättning av försörjningsstöd)."""
    return any(
        item.outcome in (DecisionItem.Outcome.REFUSED, DecisionItem.Outcome.PARTLY)
        or item.legal_basis.reference.startswith(REDUCTION_REFERENCE)
        for item in decision.items.select_related("legal_basis")
    )


def check_communicated(decision: Decision) -> None:
    """Refuse an adverse decision whose record does not say whether the material was
    communicated (FL 25 §, SOSFS 2014:5), and a kommunicering where the person was not
    told of the right to give information orally (SoL 14 kap. 8 §)."""
    if decision.communicated_on and not decision.communication_oral_offered:
        raise DecisionError(
            _(
                "Personen ska ha fått veta att uppgifter också kan lämnas muntligt "
                "(socialtjänstlagen 14 kap. 8 §). Kryssa i det när det är gjort."
            )
        )
    if not is_adverse(decision):
        return
    if decision.communicated_on is None and not decision.communication_exemption:
        raise DecisionError(
            _(
                "Beslutet går personen emot (avslag, delvis bifall eller nedsättning enligt "
                "12 kap. 5 §). Ange när och hur underlaget kommunicerades med personen, "
                "eller varför det inte behövdes (förvaltningslagen 25 §)."
            )
        )
