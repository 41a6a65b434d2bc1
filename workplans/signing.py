"""How a signature is given: pluggable signature methods.

A method is registered with ``register_signature_method`` and named by its ``code`` in
``Signature.method``. ``services.signing.workplan_sign`` asks the method to ``check`` the
evidence before the signature is stored; it never needs to know which method it is.

Shipped: ``InPersonOnPaper`` – both parties sign the printed plan (which carries the
version's content digest), and a scanned copy is attached.

Electronic methods (BankID) subclass ``ElectronicSignatureMethod``: ``start`` asks the
provider to sign the text of the version (its content digest included) for the client's
personnummer and returns an order reference; the page polls ``collect`` (htmx) until it
answers complete or failed; on complete the view calls ``workplan_sign`` with the
``SignatureEvidence`` that ``collect`` returned (signed personnummer, the provider's
signature and OCSP data), and ``check`` verifies that the right person signed. Nothing
else changes: register the method in an AppConfig.ready() and add the two views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _

from workplans.errors import WorkPlanError

if TYPE_CHECKING:
    from django.core.files import File

    from workplans.models import PlanVersion, Signature


@dataclass(frozen=True)
class SignatureEvidence:
    """What a method knows about one signature."""

    signed_on: date
    reference: str = ""  # e.g. BankID orderRef
    data: dict = field(default_factory=dict)  # e.g. BankID signature, ocspResponse
    personnummer: str = ""  # who signed, as the electronic provider identified them


@dataclass(frozen=True)
class CollectResult:
    status: Literal["pending", "complete", "failed"]
    evidence: SignatureEvidence | None = None
    message: str = ""  # Swedish, for the person waiting (e.g. "Starta BankID-appen")


class SignatureMethod:
    code: str = ""
    label: str = ""
    electronic: bool = False

    def check(
        self,
        *,
        version: PlanVersion,
        party: str,
        evidence: SignatureEvidence,
        scanned_copy: File | None,
        others: list[Signature],
    ) -> None:
        """Raise WorkPlanError when the evidence does not show a signature."""


class InPersonOnPaper(SignatureMethod):
    """Signed in person on the printed plan; the scanned paper is attached. When both
    parties signed the same paper, the copy is attached once (with the first)."""

    code = "in_person"
    label = "På plats, på papper"

    def check(self, *, version, party, evidence, scanned_copy, others) -> None:
        if scanned_copy is None and not any(other.scanned_copy for other in others):
            raise WorkPlanError(_("Bifoga den inskannade, underskrivna planen."))


class ElectronicSignatureMethod(SignatureMethod):
    """Base for e-signature providers (BankID): see the module docstring."""

    electronic = True

    def start(self, *, version: PlanVersion, party: str, personnummer: str, text: str) -> str:
        raise NotImplementedError

    def collect(self, reference: str) -> CollectResult:
        raise NotImplementedError

    def check(self, *, version, party, evidence, scanned_copy, others) -> None:
        if not evidence.reference:
            raise WorkPlanError(_("Den elektroniska underskriften saknar referens."))
        if party == "client":
            expected = version.plan.person.personnummer or ""
            if not expected or evidence.personnummer != expected:
                raise WorkPlanError(
                    _("Den elektroniska underskriften är inte gjord av planens klient.")
                )


_METHODS: dict[str, SignatureMethod] = {}


def register_signature_method(method: SignatureMethod) -> None:
    _METHODS[method.code] = method


def get_signature_method(code: str) -> SignatureMethod:
    try:
        return _METHODS[code]
    except KeyError:
        raise WorkPlanError(_("Okänt sätt att skriva under.")) from None


def signature_methods() -> list[SignatureMethod]:
    return list(_METHODS.values())


def method_label(code: str) -> str:
    method = _METHODS.get(code)
    return method.label if method else code


register_signature_method(InPersonOnPaper())
