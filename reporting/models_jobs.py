"""Export and import jobs (DESIGN.md "reporting … exports, imports").

A job is one export (the case list, the indicator tables) or one import of persons and
households – a dry run (``dry_run=True``, the preview) or the real thing. Long jobs run in
Celery; the database row, not the broker, is what the user's page polls and what makes a
retried task harmless (``reporting.jobs.job_run``). Files live under MEDIA_ROOT with
random names (no personal data in paths) and are served only to the job's owner.

``LegacyHousehold`` remembers which legacy household id became which household, so
importing the same file twice cannot create the households twice.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _stored_name(folder: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"export-import/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def source_upload_to(instance, filename: str) -> str:
    return _stored_name("uppladdat", filename)


def result_upload_to(instance, filename: str) -> str:
    return _stored_name("resultat", filename)


class ExportImportJob(models.Model):
    class Kind(models.TextChoices):
        EXPORT_CASES = "export_cases", _("Export av ärendelista")
        EXPORT_INDICATORS = "export_indicators", _("Export av indikatorer")
        IMPORT_PERSONS = "import_persons", _("Import av personer och hushåll")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Väntar")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klart")
        FAILED = "failed", _("Misslyckades")

    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    file_format = models.CharField(_("filformat"), max_length=4, choices=Format.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        on_delete=models.PROTECT,
        related_name="export_import_jobs",
    )
    unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    # Choices made on the form (e.g. {"only_mine": true}); never personal data.
    params = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("provkörning"), default=False)
    # The dry run an import was confirmed from; the import reads the same uploaded file.
    preview = models.ForeignKey(
        "self",
        verbose_name=_("provkörning"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("förlopp (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    total_rows = models.PositiveIntegerField(_("rader totalt"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("bearbetade rader"), default=0)
    source = models.FileField(
        _("uppladdad fil"), upload_to=source_upload_to, max_length=200, blank=True
    )
    source_name = models.CharField(_("filnamn"), max_length=120, blank=True)
    result = models.FileField(
        _("resultatfil"), upload_to=result_upload_to, max_length=200, blank=True
    )
    result_name = models.CharField(_("filnamn för nedladdning"), max_length=120, blank=True)
    # Import: the preview or outcome, row by row (shown to the owner, purged with the job).
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("fel"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("export- eller importjobb")
        verbose_name_plural = _("export- och importjobb")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="ioj_user_created"),
            models.Index(fields=["state", "created_at"], name="ioj_state_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="ioj_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def is_export(self) -> bool:
        return self.kind != self.Kind.IMPORT_PERSONS

    @property
    def title(self) -> str:
        if self.kind == self.Kind.IMPORT_PERSONS:
            return str(_("Provkörning av import") if self.dry_run else _("Import"))
        return str(self.get_kind_display())


# The explicit state table (STYLE.md): a running job may be taken over by a redelivered
# task only when its worker is gone (see reporting.jobs.job_claim).
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    ExportImportJob.State.QUEUED: frozenset({ExportImportJob.State.RUNNING}),
    # RUNNING → QUEUED: the object storage failed for a moment; tried again later
    # (reporting.jobs.STORAGE_ATTEMPTS).
    ExportImportJob.State.RUNNING: frozenset(
        {
            ExportImportJob.State.QUEUED,
            ExportImportJob.State.RUNNING,
            ExportImportJob.State.DONE,
            ExportImportJob.State.FAILED,
        }
    ),
    ExportImportJob.State.DONE: frozenset(),
    ExportImportJob.State.FAILED: frozenset(),
}


class LegacyHousehold(models.Model):
    """A household created by an import, under the id it had in the legacy system."""

    unit = models.ForeignKey("cases.Unit", on_delete=models.PROTECT, related_name="+")
    legacy_id = models.CharField(_("id i tidigare system"), max_length=60)
    household = models.OneToOneField(
        "cases.Household", on_delete=models.CASCADE, related_name="legacy_import"
    )
    job = models.ForeignKey(
        ExportImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("importerat hushåll")
        verbose_name_plural = _("importerade hushåll")
        constraints = [
            models.UniqueConstraint(fields=["unit", "legacy_id"], name="legacyhousehold_once"),
        ]

    def __str__(self) -> str:
        return f"Hushåll {self.legacy_id} (import)"
