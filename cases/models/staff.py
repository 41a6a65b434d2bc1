"""People who work here: staff users and the units (enheter) they belong to."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cases.roles import ROLE_PRECEDENCE, Role


class Unit(models.Model):
    """An enhet: a team of caseworkers led by one or more unit managers."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=120, unique=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Who takes acute needs today (DOMAIN.md §2.1); set by the unit manager on "Min enhet".
    on_duty = models.ForeignKey(
        "cases.User",
        verbose_name=_("jourhavande handläggare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Who the letters come from and where an appeal is sent (FL 44 §: to the authority
    # that decided). Empty = the municipality's settings (VAGEN_BOARD_*), so one
    # municipality configures its nämnd once and a unit under another nämnd overrides it.
    board_name = models.CharField(
        _("nämnd"),
        max_length=160,
        blank=True,
        help_text=_("T.ex. Arbetsmarknads- och vuxenutbildningsnämnden. Tomt = kommunens."),
    )
    postal_address = models.TextField(
        _("postadress"), blank=True, help_text=_("En rad per rad i adressen. Tomt = kommunens.")
    )
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    # The motivering a routine month's decision starts from, edited by the unit manager on
    # "Min enhet"; {placeholders} are the month's figures (cases.services.motivering).
    # Empty = the built-in text.
    motivering_template = models.TextField(_("mall för motivering"), blank=True, db_default="")

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def members_with_role(self, role: Role) -> models.QuerySet["User"]:
        return self.members.filter(is_active=True, groups__name=role.value)

    def managers(self) -> models.QuerySet["User"]:
        """The unit's managers are its members in the unit_manager group – derived, so
        there is one truth for "who leads this unit"."""
        return self.members_with_role(Role.UNIT_MANAGER)


class StaffUserManager(UserManager):
    def get_queryset(self):
        # The header shows the unit on every page, so the request's user comes with it.
        # Caveat: PostgreSQL refuses FOR UPDATE on the nullable side of this outer join;
        # locking code calls select_related(None) first (see cases.demo).
        return super().get_queryset().select_related("unit")


class User(AbstractUser):
    """A member of staff. Roles are group memberships (cases.roles.Role); every
    reception, caseworker and unit-manager user belongs to exactly one unit."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("enhet"),
        related_name="members",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Obligatorisk för reception, handläggare och enhetschefer."),
    )
    title = models.CharField(
        _("titel"),
        max_length=120,
        blank=True,
        help_text=_("Som den står i beslutsbrev, t.ex. Socialsekreterare eller Enhetschef."),
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    objects: ClassVar[StaffUserManager] = StaffUserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        # Lists prefetch "groups"; otherwise one query per user object (request.user
        # is built anew for each request, so a role change takes effect at once).
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):
            return frozenset(group.name for group in self.groups.all())
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names

    @property
    def role(self) -> Role | None:
        """The user's primary role, by ROLE_PRECEDENCE; None if they hold none."""
        for role in ROLE_PRECEDENCE:
            if self.has_role(role):
                return role
        return None
