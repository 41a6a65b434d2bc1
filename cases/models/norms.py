"""The riksnorm tables, one set per year (DOMAIN.md §4).

Socialtjänstförordning (2025:468) 12 kap. 2–3 §§ sets the amounts of the riksnorm for
försörjningsstöd (SoL 2025:400, 12 kap. 7 §); the government changes them every
1 January (2026: SFS 2025:1046). They are data, loaded per year by the administrator
(data migration, admin or CSV/XLSX import) – never constants in code. The arithmetic on
them lives in ``cases.norms``.
"""

import importlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The common household costs are published for one to seven persons; above that each
# further person adds ``NormYear.common_cost_per_extra_person`` (DOMAIN.md §4).
COMMON_COST_MAX_PERSONS = 7


def validate_whole_kronor(value) -> None:
    """The government sets the norm and the prisbasbelopp in whole kronor."""
    if value is not None and value != value.to_integral_value():
        raise ValidationError(_("Ange beloppet i hela kronor."), code="whole_kronor")


def _kronor(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0), validate_whole_kronor],
        **kwargs,
    )


class PersonalCostCategory(models.TextChoices):
    """The rows of the personal-cost table: children by age band, adults by household."""

    CHILD_0 = "child_0", _("Barn 0 år")
    CHILD_1_2 = "child_1_2", _("Barn 1–2 år")
    CHILD_3 = "child_3", _("Barn 3 år")
    CHILD_4_6 = "child_4_6", _("Barn 4–6 år")
    CHILD_7_10 = "child_7_10", _("Barn 7–10 år")
    CHILD_11_14 = "child_11_14", _("Barn 11–14 år")
    CHILD_15_18 = "child_15_18", _("Barn 15–18 år")
    CHILD_19_20 = "child_19_20", _("Ungdom 19–20 år (skolungdom)")
    ADULT_SINGLE = "adult_single", _("Ensamstående vuxen")
    ADULT_COUPLE = "adult_couple", _("Sammanboende (paret tillsammans)")


# Only the amounts for children aged 0–6 have a lower variant for "lunch not at home
# five days a week" (förskola serves it).
LUNCH_AWAY_CATEGORIES = frozenset(
    {
        PersonalCostCategory.CHILD_0,
        PersonalCostCategory.CHILD_1_2,
        PersonalCostCategory.CHILD_3,
        PersonalCostCategory.CHILD_4_6,
    }
)


class NormYear(models.Model):
    """One calendar year of the riksnorm. Only active years are used in calculations,
    so a new year can be imported and checked before it is switched on."""

    year = models.PositiveIntegerField(_("år"), unique=True, validators=[MinValueValidator(2000)])
    common_cost_per_extra_person = _kronor(
        _("gemensamma kostnader per person utöver sju"),
        help_text=_("Tillägget per person för hushåll med fler än sju personer."),
    )
    prisbasbelopp = _kronor(
        _("prisbasbelopp"),
        help_text=_("Gräns för barns inkomst av eget arbete som inte räknas (SoL 12 kap. 9 §)."),
    )
    source = models.CharField(
        _("källa"),
        max_length=200,
        blank=True,
        help_text=_("Författningen som fastställer beloppen, t.ex. SFS 2025:1046."),
    )
    is_active = models.BooleanField(
        _("används"),
        default=False,
        help_text=_("Bara år som används räknas med i beräkningar."),
    )
    # The version of the year's whole table: raised by every change to the year or to one
    # of its cost rows (change forms, the rows' own admin, imports), so a form or an
    # import preview made against an older table is refused (cases.admin_versions).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("riksnorm för ett år")
        verbose_name_plural = _("riksnormer")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Riksnorm {self.year}"


class NormPersonalCost(models.Model):
    """Personal costs (personliga kostnader) of one category, kronor per month."""

    norm_year = models.ForeignKey(
        NormYear,
        verbose_name=_("år"),
        on_delete=models.CASCADE,
        related_name="personal_costs",
    )
    category = models.CharField(_("kategori"), max_length=20, choices=PersonalCostCategory.choices)
    amount = _kronor(_("belopp per månad"))
    amount_lunch_away = _kronor(
        _("belopp när lunch inte äts hemma"),
        null=True,
        blank=True,
        help_text=_("Bara för barn 0–6 år som inte äter lunch hemma fem dagar i veckan."),
    )

    class Meta:
        verbose_name = _("personlig kostnad")
        verbose_name_plural = _("personliga kostnader")
        ordering = ["norm_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["norm_year", "category"], name="norm_personal_cost_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="norm_personal_cost_amount"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_lunch_away__isnull=True)
                | models.Q(
                    category__in=sorted(c.value for c in LUNCH_AWAY_CATEGORIES),
                    amount_lunch_away__gte=0,
                ),
                name="norm_personal_cost_lunch_only_0_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.amount_lunch_away is not None and self.category not in LUNCH_AWAY_CATEGORIES:
            raise ValidationError(
                {
                    "amount_lunch_away": _(
                        "Belopp när lunch inte äts hemma finns bara för barn 0–6 år."
                    )
                }
            )


class NormCommonCost(models.Model):
    """Common household costs (gemensamma hushållskostnader) for 1–7 persons."""

    norm_year = models.ForeignKey(
        NormYear,
        verbose_name=_("år"),
        on_delete=models.CASCADE,
        related_name="common_costs",
    )
    persons = models.PositiveSmallIntegerField(
        _("antal personer"),
        validators=[MinValueValidator(1), MaxValueValidator(COMMON_COST_MAX_PERSONS)],
        help_text=_("1–7; större hushåll räknas med tillägget per person."),
    )
    amount = _kronor(_("belopp per månad"))

    class Meta:
        verbose_name = _("gemensam hushållskostnad")
        verbose_name_plural = _("gemensamma hushållskostnader")
        ordering = ["norm_year", "persons"]
        constraints = [
            models.UniqueConstraint(
                fields=["norm_year", "persons"], name="norm_common_cost_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(persons__gte=1, persons__lte=COMMON_COST_MAX_PERSONS),
                name="norm_common_cost_persons_1_7",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="norm_common_cost_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.persons} pers.: {self.amount}"


def restore_published_norms(
    *, app_config=None, using: str = DEFAULT_DB_ALIAS, apps=None, **kwargs
) -> None:
    """After a migrate or a flush that left no riksnorm at all, load the published years
    again from the data migration (0004_norms).

    A flush (``manage.py flush``, and every transactional test) empties the tables that
    the data migration filled, and a reused test database is not migrated again. The
    role groups come back the same way (``cases.roles.sync_role_groups``). Only an empty
    table is filled, so a year an administrator changed or removed is never touched.
    """
    if app_config is None or app_config.label != "cases":
        return
    if apps is None:  # flush sends no migration state: the models are the current ones
        from django.apps import apps
    try:
        norm_year_model = apps.get_model("cases", "NormYear")
    except LookupError:  # migrated back to before the norm tables existed
        return
    if norm_year_model.objects.using(using).exists():
        return
    migration = importlib.import_module("cases.migrations.0004_norms")
    migration.load_norms(apps, None, using=using)


# Connected here rather than in CasesConfig.ready(): the hook belongs to these tables.
post_migrate.connect(restore_published_norms, dispatch_uid="cases.restore_published_norms")
