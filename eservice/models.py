"""The citizen's side of Vägen: who is signed in (CitizenSession, never a staff User),
the SAML requests we wait for answers to, the application as the person fills it in
(EApplication, its signatures and attachments) and what the person sends the case
(IncomingDocument – an incoming document, never a journal note by staff)."""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.calculation import CostKind, IncomeKind


class SamlAuthnRequest(models.Model):
    """An AuthnRequest sent to the IdP: the answer must refer to one of these
    (InResponseTo), arrive within minutes, and is accepted once."""

    request_id = models.CharField(max_length=100, unique=True)
    # A hash of the client's address, for the sign-in rate limit (not the address).
    client_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"AuthnRequest {self.pk}"


class CitizenSession(models.Model):
    """A signed-in citizen. The cookie carries a random token; only its hash is stored.
    Identified by the asserted personnummer alone; ``person`` is the Vägen person with
    that number when there is one (a first applicant may be unknown)."""

    key_hash = models.CharField(max_length=64, unique=True)
    personnummer = models.CharField(max_length=12)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_name = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"E-tjänstsession {self.pk}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.surname}".strip()


class EApplication(models.Model):
    """An application as the person fills it in, step by step; saved as a draft after
    every step. Submitted, it becomes a core Application in the case (or a first contact
    for reception when there is no case) – ``application`` / ``first_contact``."""

    class Kind(models.TextChoices):
        FIRST = "first", _("Första ansökan")
        CONTINUED = "continued", _("Fortsatt ansökan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING_SIGNATURE = "awaiting_signature", _("Väntar på underskrift")
        SUBMITTED = "submitted", _("Inskickad")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    month = models.DateField(_("månad"))
    # Who started it (the asserted number) and the co-applicant who must sign too.
    applicant_personnummer = models.CharField(max_length=12)
    co_applicant_personnummer = models.CharField(max_length=12, blank=True)
    applicant = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    co_applicant = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The prefill's source: last month's application as the caseworker accepted it.
    based_on = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The answers: {"situation": …, "phone": …, "household_confirmed": bool,
    # "costs": [{"kind", "amount", "from_last_month"}], "incomes": [{"kind", "amount",
    # "person_id", "from_last_month"}], "confirmed": {"costs": bool, "incomes": bool}}
    data = models.JSONField(default=dict)
    step = models.CharField(max_length=20, default="start")
    application = models.OneToOneField(
        "cases.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_contact = models.OneToOneField(
        "cases.FirstContact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            # One application per household and month in the e-service: a double click
            # on "Ansök" or two adults starting at once make one.
            models.UniqueConstraint(
                fields=["applicant_personnummer", "month"], name="eapplication_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"E-ansökan {self.month:%Y-%m}"

    @property
    def personnummers(self) -> set[str]:
        return {n for n in (self.applicant_personnummer, self.co_applicant_personnummer) if n}

    @property
    def is_draft(self) -> bool:
        return self.status != self.Status.SUBMITTED


class EApplicationSignature(models.Model):
    """One adult's signature (after signing in with e-legitimation) on the application."""

    eapplication = models.ForeignKey(
        EApplication, on_delete=models.CASCADE, related_name="signatures"
    )
    personnummer = models.CharField(max_length=12)
    name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["eapplication", "personnummer"], name="esignature_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Underskrift {self.signed_at:%Y-%m-%d}"


class Attachment(models.Model):
    """A file the person attached (hyresavi, lönespecifikation, kvitto), stored outside
    the web root (VAGEN_ESERVICE_UPLOAD_ROOT) under a random name; served only through
    the gates. ``line`` names the line it supports ("cost:rent", "income:salary")."""

    class Kind(models.TextChoices):
        RENT_NOTICE = "hyresavi", _("Hyresavi")
        PAYSLIP = "lonespecifikation", _("Lönespecifikation")
        RECEIPT = "kvitto", _("Kvitto")
        OTHER = "annat", _("Annat underlag")

    eapplication = models.ForeignKey(
        EApplication, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    document = models.ForeignKey(
        "IncomingDocument",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("typ av underlag"), max_length=20, choices=Kind.choices)
    line = models.CharField(max_length=60, blank=True)
    storage_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_personnummer = models.CharField(max_length=12)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def line_label(self) -> str:
        kind, _sep, code = self.line.partition(":")
        choices = {"cost": CostKind, "income": IncomeKind}.get(kind)
        if choices is not None and code in choices.values:
            return str(choices(code).label)
        return ""


class IncomingDocument(models.Model):
    """What the person sends the case from the e-service – a message or an answer to a
    supplement request. An incoming document (inkommande handling), registered in the
    case as received; never a journal note written by staff."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Meddelande")
        SUPPLEMENT = "supplement", _("Komplettering")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    supplement_request = models.ForeignKey(
        "cases.SupplementRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender_personnummer = models.CharField(max_length=12)
    sender = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("meddelande"), max_length=4000)
    received_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_personnummer", "idempotency_key"],
                name="incoming_document_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"
