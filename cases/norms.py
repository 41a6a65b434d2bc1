"""The riksnorm for a household: the yearly tables read from the database, itemised.

DOMAIN.md §4 (SoL 2025:400 12 kap. 7 §; Socialtjänstförordning 2025:468 12 kap. 2–3 §§):
the household's norm is the sum of every member's personal costs plus the common
household costs for the household's size. Above seven persons each further person adds
the year's ``common_cost_per_extra_person`` (+190 kr in 2025 and 2026).

The amounts are data (``cases.models.NormYear`` and its two tables); this module only
knows the age bands and the arithmetic. Norm amounts are whole kronor; the only line
that can have öre is a share of the common costs (``NormTable.common_line`` with
``persons_included``), which is rounded to öre, half up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models.norms import (
    COMMON_COST_MAX_PERSONS,
    LUNCH_AWAY_CATEGORIES,
    NormYear,
    PersonalCostCategory,
)

__all__ = [
    "CHILD_MAX_AGE",
    "NormError",
    "NormLine",
    "NormTable",
    "child_category",
    "format_kronor",
    "monthly_riksnorm",
    "norm_table",
    "riksnorm_lines",
]

ORE = Decimal("0.01")

# Children and young people living at home have their own rows up to and including 20
# (19–20: skolungdom); an older child living at home counts as an adult (DOMAIN.md §4).
CHILD_MAX_AGE = 20

_CHILD_BANDS: tuple[tuple[int, PersonalCostCategory], ...] = (
    # (highest age in the band, category), youngest first
    (0, PersonalCostCategory.CHILD_0),
    (2, PersonalCostCategory.CHILD_1_2),
    (3, PersonalCostCategory.CHILD_3),
    (6, PersonalCostCategory.CHILD_4_6),
    (10, PersonalCostCategory.CHILD_7_10),
    (14, PersonalCostCategory.CHILD_11_14),
    (18, PersonalCostCategory.CHILD_15_18),
    (CHILD_MAX_AGE, PersonalCostCategory.CHILD_19_20),
)


class NormError(ValueError):
    """The norm cannot be computed; ``str(error)`` is a Swedish message for the user."""


@dataclass(frozen=True)
class NormLine:
    """One line of a norm: what it is, kronor per month, and why (age band, share …)."""

    label: str
    amount: Decimal
    note: str = ""


def format_kronor(amount: Decimal | int) -> str:
    """Swedish display: 1 790 kr, 596,67 kr (non-breaking space between thousands)."""
    value = Decimal(amount).quantize(ORE, rounding=ROUND_HALF_UP)
    whole = value == value.to_integral_value()
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") + "\u00a0kr"


def _check_int(value: object, message: str) -> int:
    # bool is an int in Python; True children or adults are a bug, not a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise NormError(message)
    return value


def child_category(age: int) -> PersonalCostCategory:
    """The personal-cost row for a child or young person living at home, ages 0–20."""
    _check_int(age, _("Barnets ålder ska vara ett heltal."))
    if age < 0 or age > CHILD_MAX_AGE:
        raise NormError(
            _("Barnets ålder ska vara 0–%(max)d år, inte %(age)d.")
            % {"max": CHILD_MAX_AGE, "age": age}
        )
    for highest, category in _CHILD_BANDS:
        if age <= highest:
            return category
    raise AssertionError("unreachable: the bands cover 0–20")  # pragma: no cover


@dataclass(frozen=True)
class NormTable:
    """One active year's tables, read once (read-only mappings); the arithmetic of the
    riksnorm on them. Pass it to ``calculate(table=...)`` to calculate many months
    without reading the tables again."""

    year: int
    source: str
    prisbasbelopp: Decimal
    common_cost_per_extra_person: Decimal
    personal: Mapping[str, Decimal]
    personal_lunch_away: Mapping[str, Decimal]
    common: Mapping[int, Decimal]

    def personal_amount(self, category: str, *, lunch_away: bool = False) -> Decimal:
        """Personal costs of one row; ``lunch_away`` (ages 0–6 only) for a child who does
        not eat lunch at home five days a week."""
        category = PersonalCostCategory(category)
        if lunch_away:
            if category not in LUNCH_AWAY_CATEGORIES:
                raise NormError(
                    _("Lägre belopp när lunch inte äts hemma finns bara för barn 0–6 år.")
                )
            if category not in self.personal_lunch_away:
                raise NormError(
                    _("Riksnormen för %(year)d saknar belopp utan lunch hemma för %(row)s.")
                    % {"year": self.year, "row": category.label}
                )
            return self.personal_lunch_away[category]
        return self.personal[category]

    def common_amount(self, persons: int) -> Decimal:
        """Common household costs for a household of ``persons`` (1 or more)."""
        _check_int(persons, _("Antalet personer i hushållet ska vara ett heltal."))
        if persons < 1:
            raise NormError(_("Hushållet måste ha minst en person."))
        if persons <= COMMON_COST_MAX_PERSONS:
            return self.common[persons]
        extra = persons - COMMON_COST_MAX_PERSONS
        return self.common[COMMON_COST_MAX_PERSONS] + extra * self.common_cost_per_extra_person

    def personal_line(
        self, category: str, *, label: str = "", lunch_away: bool = False, note: str = ""
    ) -> NormLine:
        category = PersonalCostCategory(category)
        amount = self.personal_amount(category, lunch_away=lunch_away)
        notes = [str(category.label)]
        if lunch_away:
            notes.append(_("lunch äts inte hemma 5 dagar/vecka"))
        if note:
            notes.append(note)
        return NormLine(
            label=label or _("Personliga kostnader – %(row)s") % {"row": category.label},
            amount=amount,
            note=", ".join(notes),
        )

    def common_line(self, household_size: int, *, persons_included: int | None = None) -> NormLine:
        """Common household costs for the household's size.

        When fewer persons are in the calculation than live in the home (an adult who
        applies on their own), the calculation gets their share: common costs ×
        ``persons_included`` ÷ ``household_size`` (DOMAIN.md §4), rounded to öre.
        """
        full = self.common_amount(household_size)
        if persons_included is None or persons_included == household_size:
            return NormLine(
                label=_("Gemensamma hushållskostnader"),
                amount=full,
                note=ngettext(
                    "Hushåll med %(n)d person", "Hushåll med %(n)d personer", household_size
                )
                % {"n": household_size},
            )
        _check_int(persons_included, _("Antalet personer i beräkningen ska vara ett heltal."))
        if not 1 <= persons_included <= household_size:
            raise NormError(
                _("Beräkningen kan omfatta 1–%(n)d av hushållets %(n)d personer.")
                % {"n": household_size}
            )
        share = (full * persons_included / household_size).quantize(ORE, rounding=ROUND_HALF_UP)
        return NormLine(
            label=_("Gemensamma hushållskostnader (andel)"),
            amount=share,
            note=_(
                "Hushåll med %(n)d personer: %(full)s × %(k)d/%(n)d – %(k)d av hushållets "
                "%(n)d personer ingår i beräkningen"
            )
            % {"n": household_size, "k": persons_included, "full": format_kronor(full)},
        )


def norm_table(year: int) -> NormTable:
    """The active riksnorm tables for ``year``, checked for completeness.

    Raises NormError (a ValueError) with a Swedish message when the year is missing or
    inactive, or when a row of either table is missing.
    """
    _check_int(year, _("Året ska vara ett heltal."))
    norm_year = (
        NormYear.objects.filter(year=year, is_active=True)
        .prefetch_related("personal_costs", "common_costs")
        .first()
    )
    if norm_year is None:
        raise NormError(_("Riksnorm för %(year)d finns inte inlagd.") % {"year": year})
    personal = {row.category: row.amount for row in norm_year.personal_costs.all()}
    missing = [str(c.label) for c in PersonalCostCategory if c.value not in personal]
    common = {row.persons: row.amount for row in norm_year.common_costs.all()}
    missing += [
        _("gemensamma kostnader för %(n)d pers.") % {"n": n}
        for n in range(1, COMMON_COST_MAX_PERSONS + 1)
        if n not in common
    ]
    if missing:
        raise NormError(
            _("Riksnormen för %(year)d är inte komplett, det saknas: %(missing)s.")
            % {"year": year, "missing": ", ".join(missing)}
        )
    amounts = [*personal.values(), *common.values(), norm_year.common_cost_per_extra_person]
    if any(amount != amount.to_integral_value() for amount in amounts):
        # The government sets the norm in whole kronor (DOMAIN.md §4); öre here is a typo.
        raise NormError(_("Riksnormen för %(year)d har belopp med ören.") % {"year": year})
    return NormTable(
        year=norm_year.year,
        source=norm_year.source,
        prisbasbelopp=norm_year.prisbasbelopp,
        common_cost_per_extra_person=norm_year.common_cost_per_extra_person,
        personal=MappingProxyType(personal),
        personal_lunch_away=MappingProxyType(
            {
                row.category: row.amount_lunch_away
                for row in norm_year.personal_costs.all()
                if row.amount_lunch_away is not None
            }
        ),
        common=MappingProxyType(common),
    )


def riksnorm_lines(
    year: int, *, adults: int, child_ages: Sequence[int] = (), table: NormTable | None = None
) -> tuple[NormLine, ...]:
    """The itemised riksnorm of a household: the adults' personal costs, one line per
    child (in the order given), then the common household costs.

    ``adults``: 1 (ensamstående) or 2 (sambor, one line for the couple); ``child_ages``:
    ages 0–20 of the children living at home, eating lunch at home. Pass ``table`` to
    reuse tables already read for ``year``.
    """
    _check_int(adults, _("Antalet vuxna ska vara 1 eller 2."))
    if adults not in (1, 2):
        raise NormError(
            _("Antalet vuxna ska vara 1 (ensamstående) eller 2 (sambor), inte %(n)d.")
            % {"n": adults}
        )
    if isinstance(child_ages, str | bytes):
        raise NormError(_("Barnens åldrar ska anges som en lista med heltal."))
    categories = [child_category(age) for age in child_ages]  # validate before any query
    if table is None:
        table = norm_table(year)
    elif table.year != year:
        raise NormError(_("Normtabellen gäller %(a)d, inte %(b)d.") % {"a": table.year, "b": year})
    adult_category = (
        PersonalCostCategory.ADULT_SINGLE if adults == 1 else PersonalCostCategory.ADULT_COUPLE
    )
    lines = [table.personal_line(adult_category)]
    for age, category in zip(child_ages, categories, strict=True):
        lines.append(
            table.personal_line(
                category,
                label=_("Personliga kostnader – barn %(age)d år") % {"age": age},
            )
        )
    lines.append(table.common_line(adults + len(categories)))
    return tuple(lines)


def monthly_riksnorm(year: int, *, adults: int, child_ages: Sequence[int] = ()) -> int:
    """The household's riksnorm in whole kronor per month (DOMAIN.md §4).

    Reads the yearly norm tables from the database. ``adults``: 1 (ensamstående) or 2
    (sambor); ``child_ages``: ages 0–20 of the children living at home (lunch at home).
    Personal costs (adults + each child by age band) + common household costs for
    ``adults + len(child_ages)`` persons. Raises ValueError (NormError) with a Swedish
    message for invalid input or a year whose norm is not loaded.

    >>> monthly_riksnorm(2026, adults=1)  # 3 940 + 1 280  # doctest: +SKIP
    5220
    """
    lines = riksnorm_lines(year, adults=adults, child_ages=child_ages)
    return int(sum((line.amount for line in lines), Decimal(0)))
