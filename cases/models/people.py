"""Persons (klienter) and households with members over time.

Protected identities (DOMAIN.md §8): a person whose protection level is not NONE is
visible only to users holding an explicit django-guardian grant
(``cases.view_protected_person`` on that person); everyone else's searches find nothing,
and the address never appears in lists.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.fields import PersonnummerField

VIEW_PROTECTED_PERSON = "cases.view_protected_person"


class ProtectionLevel(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARK = "sekretessmarkering", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Skyddad folkbokföring")
    FICTITIOUS_IDENTITY = "fingerade", _("Fingerade personuppgifter")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """Persons ``user`` may see (``cases.access_rules.visible_persons_filter``): those
        related to their work, protected ones only with an explicit grant."""
        from cases.access_rules import visible_persons_filter

        return visible_persons_filter(self, user)

    def known_to_lookup(self, user) -> "PersonQuerySet":
        """Persons whose *existence* reception's lookup may confirm ("känd / inte känd,
        which unit"): everyone without protected identity, and protected persons only
        for users with the explicit grant. Never a source of person data to show."""
        from cases.access_rules import person_grants

        return self.filter(
            models.Q(protection_level=ProtectionLevel.NONE) | models.Q(pk__in=person_grants(user))
        )

    def search(self, text: str) -> "PersonQuerySet":
        """By personnummer (any accepted form) or by name words."""
        from cases.personnummer import InvalidPersonnummer, parse

        text = text.strip()
        if not text:
            return self.none()
        try:
            return self.filter(personnummer=parse(text).normalized)
        except InvalidPersonnummer:
            pass
        query = self
        for word in text.split()[:4]:
            query = query.filter(
                models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word)
            )
        return query


class Person(models.Model):
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    personnummer = PersonnummerField(
        _("personnummer"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Personnummer eller samordningsnummer, 12 siffror."),
    )
    # Until the person's identity is established: a reserve identity (reservnummer).
    reserve_number = models.CharField(
        _("reservnummer"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    preferred_language = models.CharField(_("språk"), max_length=60, blank=True)
    # Förvaltningslagen 13 §: record the need for an interpreter (DOMAIN.md §5).
    needs_interpreter = models.BooleanField(_("behöver tolk"), default=False)
    protection_level = models.CharField(
        _("skyddade personuppgifter"),
        max_length=30,
        choices=ProtectionLevel.choices,
        default=ProtectionLevel.NONE,
    )
    # The unit responsible for the person: the one that registered them, or took them
    # over (cases.services.people.person_transfer_*). Unit colleagues see the person
    # through it; another unit only through a case or contact of its own.
    unit = models.ForeignKey(
        "cases.Unit",
        verbose_name=_("ansvarig enhet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Optimistic lock: a stale edit form is refused, never silently applied.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("view_protected_person", _("Får se person med skyddade personuppgifter")),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name"),
            # The few protected persons, for the "protected identity" check in every case
            # list (cases.access_rules): without it each list scans all persons.
            models.Index(
                fields=["id"],
                condition=~models.Q(protection_level=ProtectionLevel.NONE),
                name="person_protected",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def identity_hidden(self) -> bool:
        """A protected identity the current viewer holds no grant for: shown everywhere
        as "Skyddad identitet" – in pages, lists, files and notifications alike
        (DOMAIN.md §8), whichever way the person reached the template."""
        from cases.access_rules import viewer_may_see_identity

        return self.is_protected and not viewer_may_see_identity(self)

    @property
    def full_name(self) -> str:
        if self.identity_hidden:
            from cases.access_rules import PROTECTED_IDENTITY_LABEL

            return str(_(PROTECTED_IDENTITY_LABEL))
        return self.legal_name

    @property
    def legal_name(self) -> str:
        """The name unmasked – for services and for letters to the person themself."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def given_name(self) -> str:
        return self.full_name if self.identity_hidden else self.first_name

    @property
    def is_protected(self) -> bool:
        return self.protection_level != ProtectionLevel.NONE

    @property
    def identity_display(self) -> str:
        """12-digit personnummer with separator, else the reserve number (masked for a
        viewer without the grant, like the name)."""
        if self.identity_hidden:
            return "–"
        if self.personnummer:
            return f"{self.personnummer[:8]}-{self.personnummer[8:]}"
        return self.reserve_number or "–"

    def age_on(self, day: date) -> int | None:
        born = self.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonUserObjectPermission(UserObjectPermissionBase):
    """Explicit grants on a person (protected identity), as direct foreign keys."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class Household(models.Model):
    """A household (hushåll): the people who apply together and live together."""

    unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    # Raised by every change of membership: a member added or ended from a page that
    # showed an older household is refused (cases.services.people, StaleHousehold).
    # A database default too: the bench generator COPYs households without the column.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # The household's payment period and day (brutna utbetalningsperioder, Norrköping 2015
    # §7.4, sources/001): the period for month M runs from period_start_day of M to the
    # day before it in M+1 (1 = the calendar month); payment_day is the day of the month
    # its bistånd is paid (empty = the first day of the period). cases.payment_periods.
    # db_default: the bench generator COPYs households without these columns.
    period_start_day = models.PositiveSmallIntegerField(
        _("periodens första dag"),
        default=1,
        db_default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1 = kalendermånaden; t.ex. 25 = den 25:e till den 24:e."),
    )
    payment_day = models.PositiveSmallIntegerField(
        _("utbetalningsdag"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Dag i månaden då biståndet betalas ut."),
    )

    class Meta:
        verbose_name = _("hushåll")
        verbose_name_plural = _("hushåll")

    def __str__(self) -> str:
        return f"Hushåll {self.pk}"

    def members_during(self, start: date, end: date) -> models.QuerySet["HouseholdMember"]:
        """Everyone who belongs to the household at some time from ``start`` to ``end``
        (e.g. a household formed in the middle of the month applied for)."""
        return (
            self.memberships.filter(valid_from__lte=end)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start))
            .select_related("person")
        )

    def members_on(self, day: date) -> models.QuerySet["HouseholdMember"]:
        """The household's composition on ``day`` (valid_from ≤ day ≤ valid_to)."""
        return (
            self.memberships.filter(valid_from__lte=day)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))
            .select_related("person")
        )


class HouseholdMember(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Sökande")
        CO_APPLICANT = "co_applicant", _("Medsökande")
        CHILD = "child", _("Barn")
        OTHER_ADULT = "other_adult", _("Annan vuxen")

    household = models.ForeignKey(
        Household, verbose_name=_("hushåll"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("roll i hushållet"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("från"))
    valid_to = models.DateField(_("till och med"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("hushållsmedlem")
        verbose_name_plural = _("hushållsmedlemmar")
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="householdmember_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class PersonTransfer(models.Model):
    """A request to move a person (and their current household) to another unit: a
    person known in one unit is never silently taken into another unit's case. The
    person's own unit manager hands over (or refuses); until then nothing moves."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Begärd")
        APPROVED = "approved", _("Överlämnad")
        REFUSED = "refused", _("Avslagen")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("från enhet"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("till enhet"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("skäl"))
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decision_note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("överflyttning")
        verbose_name_plural = _("överflyttningar")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One pending request per person and receiving unit: a double click or a
            # second caseworker asking again finds the first request.
            models.UniqueConstraint(
                fields=["person", "to_unit"],
                condition=models.Q(state="requested"),
                name="persontransfer_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Överflyttning {self.pk}"
