"""Signatures on a plan version: who signed, as which party, how, and on what content.

A version becomes an agreement only with a valid signature from both parties; the
method is pluggable (workplans.signing) – in person on paper with a scanned copy today,
an electronic method such as BankID later. Signatures are never edited: reopening a
version for changes voids them (``voided_at``), and the history stays.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Party(models.TextChoices):
    CLIENT = "client", _("Klienten")
    CASEWORKER = "caseworker", _("Handläggaren")


class Signature(models.Model):
    version = models.ForeignKey(
        "workplans.PlanVersion",
        verbose_name=_("planversion"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    party = models.CharField(_("part"), max_length=12, choices=Party.choices)
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("klient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A code registered in workplans.signing ("in_person", later e.g. "bankid").
    method = models.CharField(_("hur"), max_length=30)
    signed_on = models.DateField(_("undertecknad den"))
    # What was signed: PlanVersion.content_digest() at the time of signing.
    content_digest = models.CharField(_("kontrollsumma"), max_length=64)
    # In person: the scanned paper, stored under its own SHA-256 (services.signing).
    scanned_copy = models.FileField(_("inskannad kopia"), max_length=200, blank=True)
    # Electronic: the provider's reference and completion data (e.g. BankID's orderRef,
    # signature and OCSP response), kept as evidence.
    evidence_reference = models.CharField(_("referens"), max_length=100, blank=True)
    evidence = models.JSONField(_("underlag"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    voided_at = models.DateTimeField(_("ogiltig från"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party"],
                condition=models.Q(voided_at__isnull=True),
                name="signature_once_per_party",
            ),
            models.CheckConstraint(
                condition=(models.Q(party="client") & models.Q(person__isnull=False))
                | (models.Q(party="caseworker") & models.Q(staff__isnull=False)),
                name="signature_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.signed_on}"

    @property
    def signer_name(self) -> str:
        if self.party == Party.CLIENT:
            return self.person.full_name if self.person else ""
        return self.staff.get_full_name() if self.staff else ""

    @property
    def method_label(self) -> str:
        from workplans.signing import method_label

        return method_label(self.method)
