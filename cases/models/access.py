"""The access log: every read of person or case data, allowed or denied.

Lag (2001:454) 10 § and DOMAIN.md §8: access must be documented and checkable. Rows are
append-only: the model refuses updates and deletes, and a database trigger (migration
0002) refuses them even for raw SQL by the application's own database role.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an access-log row."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Åtkomstloggen kan inte ändras.")

    def delete(self):
        raise AppendOnlyError("Åtkomstloggen kan inte raderas.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Åtkomstloggen kan inte ändras.")

    def for_unit(self, unit) -> "AccessLogQuerySet":
        """Rows by the unit's staff or about the unit's subjects."""
        return self.filter(models.Q(unit=unit) | models.Q(subject_unit=unit))


class AccessLog(models.Model):
    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("Tillåten")
        DENIED = "denied", _("Nekad")

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,  # staff who read data are deactivated, never deleted
        null=True,
        related_name="+",
    )
    # Snapshots: what the user was called and did at the time, even if that changes.
    username = models.CharField(_("användarnamn"), max_length=150)
    role = models.CharField(_("roll"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "cases.Unit",
        verbose_name=_("användarens enhet"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    subject_type = models.CharField(_("typ av uppgift"), max_length=60)
    subject_id = models.CharField(_("id"), max_length=64, blank=True)
    subject_unit = models.ForeignKey(
        "cases.Unit",
        verbose_name=_("ärendets enhet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A page that lists clients (start pages, lists) logs one row per page view with
    # the persons it showed: ``[person id, …]``. Nullable so that adding it altered the
    # table in place (SQLite would rebuild it – and drop the append-only triggers –
    # for a column with a default).
    listed_persons = models.JSONField(_("visade personer"), null=True, blank=True)
    view_name = models.CharField(_("vy"), max_length=120)
    method = models.CharField(_("metod"), max_length=10, blank=True)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    request_id = models.CharField(_("begäran-id"), max_length=64, blank=True)
    # How the user signed in (signin.models.SignInMethod: sso, local_totp, …), from the
    # session. Nullable for the same reason as listed_persons.
    signin_method = models.CharField(_("inloggningssätt"), max_length=20, null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtkomstloggpost")
        verbose_name_plural = _("åtkomstlogg")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-at"], name="accesslog_unit_at"),
            models.Index(fields=["subject_unit", "-at"], name="accesslog_subject_unit_at"),
            models.Index(fields=["subject_type", "subject_id"], name="accesslog_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.subject_type}:{self.subject_id} {self.outcome}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Åtkomstloggen kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Åtkomstloggen kan inte raderas.")

    @property
    def allowed(self) -> bool:
        return self.outcome == self.Outcome.ALLOWED

    @property
    def signin_method_label(self) -> str:
        labels = {
            "sso": _("Kommunens konto (SSO)"),
            "local": _("Lösenord"),
            "local_totp": _("Lösenord och engångskod"),
            "local_recovery": _("Lösenord och reservkod"),
        }
        return str(labels.get(self.signin_method or "", self.signin_method or ""))

    @property
    def role_label(self) -> str:
        from cases.roles import Role

        return str(Role(self.role).label) if self.role in Role else self.role
