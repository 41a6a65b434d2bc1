"""How staff sign in: the directory-group → role/unit mapping kept as data by
administrators, the link from an IdP identity to a Vägen user, and the sign-in log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.roles import Role


class GroupRoleMapping(models.Model):
    """A directory group (or a value of the roles claim) that gives a Vägen role, in a
    unit. A user signing in with SSO gets exactly the roles their groups map to – nobody
    gets a role the mapping does not give (signin.services.roles_for_groups)."""

    group = models.CharField(
        _("grupp i katalogen"),
        max_length=200,
        unique=True,
        help_text=_(
            "Gruppens namn eller id som den kommer i id-token/userinfo (Entra ID: gruppens "
            "objekt-id eller app-rollens värde; Keycloak: gruppnamnet)."
        ),
    )
    role = models.CharField(_("roll i Vägen"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "cases.Unit",
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Obligatorisk för reception, handläggare och enhetschefer."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("gruppmappning")
        verbose_name_plural = _("inloggning: gruppmappningar")
        ordering = ["role", "unit__name", "group"]

    def __str__(self) -> str:
        unit = f" ({self.unit})" if self.unit_id else ""
        return f"{self.group} → {Role(self.role).label}{unit}"

    def clean(self):
        if self.role != Role.ADMINISTRATOR and self.unit_id is None:
            raise ValidationError({"unit": _("Ange enhet för den här rollen.")})
        if self.role == Role.ADMINISTRATOR and self.unit_id is not None:
            raise ValidationError({"unit": _("En administratör hör inte till någon enhet.")})


class SsoIdentity(models.Model):
    """The IdP's stable identifier of a person (issuer + sub): SSO users are found by
    it, never by a name or e-mail address that can change or be reused."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity"
    )
    issuer = models.CharField(_("utfärdare"), max_length=300)
    subject = models.CharField(_("sub"), max_length=255)
    groups = models.JSONField(_("grupper vid senaste inloggning"), default=list, blank=True)
    last_signed_in_at = models.DateTimeField(_("senaste inloggning"), null=True, blank=True)

    class Meta:
        verbose_name = _("SSO-identitet")
        verbose_name_plural = _("SSO-identiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"


class SignInMethod(models.TextChoices):
    """Stored on the session (cases.middleware.SIGNIN_METHOD_SESSION_KEY) and copied to
    every access-log row."""

    SSO = "sso", _("Kommunens konto (SSO)")
    PASSWORD = "local", _("Lösenord, andra faktorn saknas")
    TOTP = "local_totp", _("Lösenord och engångskod")
    RECOVERY = "local_recovery", _("Lösenord och reservkod")


class SignInEvent(models.Model):
    """Who signed in how and when – and who was refused, locked out or had their second
    factor reset. Append-only like the access log."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Inloggad")
        REFUSED = "refused", _("Nekad")
        SECOND_FACTOR_FAILED = "otp_failed", _("Fel engångskod")
        LOCKED_OUT = "locked_out", _("Utelåst")
        ROLES_CHANGED = "roles_changed", _("Roller ändrade från katalogen")
        DEVICE_ENROLLED = "device_enrolled", _("Andra faktorn aktiverad")
        DEVICE_RESET = "device_reset", _("Andra faktorn nollställd")
        SIGNED_OUT = "signed_out", _("Utloggad")

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    kind = models.CharField(_("händelse"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("användarnamn"), max_length=150, blank=True)
    method = models.CharField(_("sätt"), max_length=20, choices=SignInMethod.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utfört av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.CharField(_("detaljer"), max_length=300, blank=True)
    request_id = models.CharField(_("begäran-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("inloggningshändelse")
        verbose_name_plural = _("inloggning: händelser")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Inloggningsloggen kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Inloggningsloggen kan inte raderas.")
