"""Cases (ärenden) and what happens inside them: meetings, the journal, applications
with their calculation, and requests for supplements.

Access (DESIGN.md "Roles and access"): django-guardian object permissions on Case, as
direct foreign keys; everything inside a case is authorised through its case by
``cases.permissions.get_case_for_user`` and ``Case.objects.visible_to``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.idempotency import idempotency_key_model_field
from cases.models.people import ProtectionLevel


class ListEntry(models.Model):
    """An entry of a list that is data, not code (closing reasons, försörjningshinder):
    administrators rename and reorder it, and retire it with "aktiv" – rows refer to it,
    so it is never deleted. Subclasses add ``code`` and ``label``."""

    is_active = models.BooleanField(_("aktiv"), default=True)
    ordering = models.PositiveSmallIntegerField(_("ordning"), default=0)
    # Optimistic locking (the admin's change form posts the version it showed; a stale
    # save is refused – cases.admin_versions).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    label: str

    class Meta:
        abstract = True
        ordering = ["ordering", "label"]

    def __str__(self) -> str:
        return self.label


class ClosingReason(ListEntry):
    """Avslutsorsak – data, so statistics codes can change without code (DOMAIN.md §9)."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    label = models.CharField(_("benämning"), max_length=120)

    class Meta(ListEntry.Meta):
        verbose_name = _("avslutsorsak")
        verbose_name_plural = _("avslutsorsaker")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        from cases.access_rules import visible_cases_filter

        return visible_cases_filter(self, user)

    def with_protection(self) -> "CaseQuerySet":
        protected = HouseholdPersonProtection.subquery()
        return self.annotate(has_protected_identity=models.Exists(protected))


class HouseholdPersonProtection:
    """The one definition of "this case concerns a protected identity": any person ever
    in the case's household with a protection level other than NONE."""

    @staticmethod
    def subquery():
        from cases.models.people import HouseholdMember

        return HouseholdMember.objects.filter(
            household_id=models.OuterRef("household_id"),
        ).exclude(person__protection_level=ProtectionLevel.NONE)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Öppnat")
        ACTIVE = "active", _("Aktivt")
        CLOSED = "closed", _("Avslutat")

    household = models.ForeignKey(
        "cases.Household", verbose_name=_("hushåll"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="cases"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig handläggare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("öppnat"), default=timezone.localdate)
    # The first visit (nybesök) starts the arbetsplan clock (DOMAIN.md §2.2 and §2.8).
    first_visit_on = models.DateField(_("nybesök"), null=True, blank=True)
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    closing_reason = models.ForeignKey(
        ClosingReason,
        verbose_name=_("avslutsorsak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    origin_contact = models.OneToOneField(
        "cases.FirstContact",
        verbose_name=_("från första kontakt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a form posts the version it showed; a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    # The form's key (cases.idempotency): a double-clicked "open case" opens one.
    idempotency_key = idempotency_key_model_field()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["caseworker", "status", "-opened_on"], name="case_caseworker"),
            # With the caseworker and id, a unit's caseload and case ids are read from the
            # index alone (the unit manager's dashboard, reports joined on the unit).
            models.Index(
                fields=["unit", "status", "-opened_on"],
                include=["caseworker", "id"],
                name="case_unit",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | models.Q(closed_on__isnull=False, closing_reason__isnull=False),
                name="case_closed_has_reason",
            ),
            # One open case per household (DOMAIN.md: a household applies together):
            # two "open case" posts at once make one case, the other is refused.
            models.UniqueConstraint(
                fields=["household"],
                condition=~models.Q(status="closed"),
                name="case_one_open_per_household",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                name="case_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Ärende {self.pk}"

    @property
    def reference(self) -> str:
        return f"EB-{self.opened_on:%Y}-{self.pk:06d}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseEvent(models.Model):
    """History of a case's status, assignment and closing (who, when, what)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Öppnat")
        STATUS = "status", _("Status ändrad")
        REASSIGNED = "reassigned", _("Fördelat")
        CLOSED = "closed", _("Avslutat")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    from_value = models.CharField(max_length=120, blank=True)
    to_value = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_value} → {self.to_value}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FIRST_VISIT = "first_visit", _("Nybesök")
        FOLLOW_UP = "follow_up", _("Uppföljning")
        THREE_PARTY = "three_party", _("Trepartssamtal")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        HELD = "held", _("Genomfört")
        NO_SHOW = "no_show", _("Uteblev")
        CANCELLED = "cancelled", _("Inställt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    planned_at = models.DateTimeField(_("tid"))
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    client_attended = models.BooleanField(_("klienten deltog"), default=False)
    other_participants = models.CharField(_("övriga deltagare"), max_length=300, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    note = models.TextField(_("anteckning"), blank=True)
    idempotency_key = idempotency_key_model_field()  # a double-clicked booking books once

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["planned_at", "pk"]
        indexes = [models.Index(fields=["staff", "planned_at"], name="meeting_staff_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "idempotency_key"],
                name="meeting_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_at:%Y-%m-%d}"


class JournalNoteQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Journalanteckningar ändras inte i efterhand.")

    def delete(self):
        raise PermissionError("Journalanteckningar raderas inte.")


class JournalNote(models.Model):
    """SoL 14 kap. 3–7 §§, SOSFS 2014:5 (DOMAIN.md §8): never edited or deleted after the
    fact; a correction is a new note that refers to the one it corrects."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Anteckning")
        COMMUNICATION = "communication", _("Kommunicering (FL 25 §)")
        CORRECTION = "correction", _("Rättelse")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    occurred_on = models.DateField(_("händelsedatum"), default=timezone.localdate)
    text = models.TextField(_("anteckning"))
    # FL 25 §: whether, when and how the person was given the chance to respond.
    communication_method = models.CharField(_("hur kommunicerat"), max_length=100, blank=True)
    # SoL 14 kap.: the person's own view of what is written.
    client_view = models.TextField(_("klientens synpunkt"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("rättar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now, editable=False)
    # The form's key (cases.idempotency): a double-clicked post adds one note, not two.
    idempotency_key = idempotency_key_model_field()

    objects = JournalNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("journalanteckning")
        verbose_name_plural = _("journalanteckningar")
        ordering = ["-occurred_on", "-written_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "author", "idempotency_key"],
                name="journal_note_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Journalanteckningar ändras inte i efterhand.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Journalanteckningar raderas inte.")


# Closing reasons a municipality starts with (DOMAIN.md §2.11, §9); editable data.
DEFAULT_CLOSING_REASONS = (
    ("work", "Arbete"),
    ("studies", "Studier"),
    ("other_benefit", "Annan ersättning"),
    ("moved", "Flyttat från kommunen"),
    ("no_application", "Har inte ansökt på länge"),
    ("other", "Annat"),
)


def ensure_closing_reasons(**kwargs) -> None:
    """post_migrate: the default closing reasons, only when there are none at all (a
    new database or one flushed by tests) – an administrator's edits are kept."""
    if ClosingReason.objects.exists():
        return
    ClosingReason.objects.bulk_create(
        ClosingReason(code=code, label=label, ordering=i)
        for i, (code, label) in enumerate(DEFAULT_CLOSING_REASONS)
    )
