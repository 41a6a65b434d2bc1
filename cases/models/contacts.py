"""First contacts (första kontakt) logged by reception, and the callbacks made on them.

DOMAIN.md §2.1: everyone who contacts the unit gets a first response within 24 hours
counted on working days (municipal target, Norrköping 2015, sources/001); acute need
goes to the on-duty caseworker at once.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field


class Channel(models.TextChoices):
    VISIT = "visit", _("Besök")
    PHONE = "phone", _("Telefon")
    EMAIL = "email", _("E-post")
    E_SERVICE = "e_service", _("E-tjänst")
    LETTER = "letter", _("Brev")


class FirstContact(models.Model):
    class Subject(models.TextChoices):
        NEW_APPLICATION = "new_application", _("Ny ansökan")
        ONGOING_CASE = "ongoing_case", _("Pågående ärende")
        ACUTE_NEED = "acute_need", _("Akut behov")
        OTHER = "other", _("Annat")

    class State(models.TextChoices):
        OPEN = "open", _("Väntar på återkoppling")
        DONE = "done", _("Återkopplad")

    received_at = models.DateTimeField(_("kontakt mottagen"), default=timezone.now)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="first_contacts",
    )
    # When the person is not (yet) identified: the name they gave, or anonymous.
    name = models.CharField(_("namn"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("anonym"), default=False)
    phone = models.CharField(_("telefon för återkoppling"), max_length=40, blank=True)
    subject = models.CharField(_("gäller"), max_length=20, choices=Subject.choices)
    note = models.TextField(_("kort anteckning"), max_length=1000, blank=True)
    unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_contacts",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    callback_due_at = models.DateTimeField(_("återkoppling senast"))
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now, editable=False)
    # The form's key (cases.idempotency): a double-clicked post registers one contact.
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("första kontakt")
        verbose_name_plural = _("första kontakter")
        ordering = ["callback_due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registered_by", "idempotency_key"],
                name="first_contact_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state", "callback_due_at"], name="contact_unit_state"),
            models.Index(fields=["assigned_to", "state"], name="contact_assignee_state"),
            models.Index(fields=["received_at"], name="contact_received"),
        ]

    def __str__(self) -> str:
        return f"Kontakt {self.pk} ({self.get_channel_display()})"

    @property
    def display_name(self) -> str:
        """The person's name – or, for a protected identity the viewer holds no grant
        for, only what was typed at the contact, else "Skyddad identitet"."""
        if self.is_anonymous:
            return str(_("Anonym"))
        if self.person is not None:
            if not self.person.identity_hidden:
                return self.person.full_name
            return self.name or self.person.full_name
        return self.name or str(_("Namn saknas"))

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.callback_due_at


class Callback(models.Model):
    """One attempt to give the first response. "No answer" leaves the contact open."""

    class Outcome(models.TextChoices):
        FIRST_VISIT_BOOKED = "first_visit_booked", _("Nybesök bokat")
        APPLICATION_SENT = "application_sent", _("Ansökningsblankett skickad")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("Hänvisad till annan")
        NO_ANSWER = "no_answer", _("Inget svar – försök igen")

    class Method(models.TextChoices):
        PHONE = "phone", _("Telefon")
        EMAIL = "email", _("E-post")
        VISIT = "visit", _("Besök")
        LETTER = "letter", _("Brev")
        E_SERVICE = "e_service", _("E-tjänst")

    contact = models.ForeignKey(
        FirstContact, verbose_name=_("kontakt"), on_delete=models.CASCADE, related_name="callbacks"
    )
    made_at = models.DateTimeField(_("tidpunkt"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gjord av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("hur"), max_length=20, choices=Method.choices)
    outcome = models.CharField(_("utfall"), max_length=30, choices=Outcome.choices)
    first_visit_at = models.DateTimeField(_("tid för nybesök"), null=True, blank=True)
    note = models.TextField(_("anteckning"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("återkoppling")
        verbose_name_plural = _("återkopplingar")
        ordering = ["made_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="first_visit_booked")
                | models.Q(first_visit_at__isnull=False),
                name="callback_booked_visit_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.made_at:%Y-%m-%d})"

    @property
    def reached_the_person(self) -> bool:
        return self.outcome != self.Outcome.NO_ANSWER
