"""The monthly calculation of försörjningsstöd (DOMAIN.md §4).

    bistånd = max(0, riksnorm ± adjustment + reasonable costs − counted income)

- Riksnorm: personal costs of every member + the common household costs (SoL 2025:400
  12 kap. 7 §, Socialtjänstförordning 2025:468 12 kap. 2–3 §§), read per year through
  ``cases.norms``. Adjustment: up for special reasons, down may (12:7).
- Reasonable costs outside the norm (12:7 p. 2): rent, household electricity, work
  travel, home insurance, union and a-kassa fees – the accepted part counts.
- Counted income: everything the household has, except what the law leaves out:
  fritidskort (12:7 a), skattefri handikappersättning, 25 % of income from employment
  under jobbstimulans (12:8) and the earned income of children and school youths up to
  one prisbasbelopp a calendar year (12:9).

Children's and school youths' earned income – SoL (2025:400) 12 kap. 9 §:

    Vid bedömningen av rätten till ekonomiskt bistånd ska socialnämnden inte räkna in
    – hemmavarande barns inkomster av eget arbete, eller
    – hemmavarande skolungdomars inkomster av eget arbete om skolungdomarna är under
      21 år.
    Till skolgång räknas studier i grundskolan eller gymnasieskolan eller annan
    jämförlig grundutbildning.
    Hemmavarande barns och skolungdomars inkomster av eget arbete får dock räknas in vid
    bedömningen av den enskildes behov av ekonomiskt bistånd till den del dessa
    inkomster per kalenderår överstiger ett prisbasbelopp enligt 2 kap. 6 och 7 §§
    socialförsäkringsbalken.

  So, for a member living at home in the household's calculation (role ``child``), with
  the age the norm uses (on the first day of the month):
  - under 18 (a child, "barn", SoL 3 kap. 1 § andra stycket): earned income not counted;
  - 18, 19 or 20 *and in school* (``MemberInput.in_school`` – recorded per month on the
    application): not counted;
  - 18–20 *not in school*: counted like any adult's, jobbstimulans included if the
    person qualifies; 18–20 with earned income and schooling not recorded cannot be
    calculated (the caseworker is asked);
  - 21 or older: an adult.
  The part above one prisbasbelopp (the calculated year's, ``NormYear.prisbasbelopp``)
  per calendar year and child is counted: ``child_earned_income_before_this_year_month``
  says what was left out earlier in the same calendar year (``cases.assistance_history``
  sums it from earlier stored calculations, any case). That counted part never gets
  jobbstimulans (12:8 tredje stycket).

Jobbstimulans – SoL (2025:400) 12 kap. 8 §: see ``cases.jobbstimulans`` for the statute
and how the six months and the two years are derived from the person's history. The
calculation gets one ``JobbstimulansStatus`` per person (``jobbstimulans=``) and leaves
25 % out of that person's income from employment counted as an adult's when it applies.
A salary without a person has no jobbstimulans: the rule is about a person.

Pure Python over the norm tables: no case models. The result is an immutable
``Calculation`` that the caller stores with ``to_dict()`` and shows again later with
``from_dict()`` exactly as it was calculated, whatever the tables say by then – forms
stored by earlier versions included.

Broken periods (brutna utbetalningsperioder, Norrköping 2015 §7.4, sources/001): when
the bistånd covers only part of the month's payment period – it starts or ends inside
the period – each riksnorm line is counted for the days covered: days × the month's
amount ÷ 30, at most the whole month, rounded half up to whole kronor
(``cases.payment_periods.prorated``). Neither SoL 2025:400 12 kap. 7 § nor SoF 2025:468
12 kap. says how a part of a month is counted; the daily amount of 1/30 follows
Socialstyrelsen's handbook *Ekonomiskt bistånd – handbok för socialtjänsten*. Reasonable
costs and incomes are what falls within the days covered, as entered; the adjustment is
the caseworker's own amount and is not pro-rated. ``covered_from``/``covered_to`` and
the days are stored with the calculation and shown on every statement and letter.

Rounding: every input amount and every line is rounded to öre (0.01 kr), half up; the
totals are sums of those lines; only the final ``result`` is rounded to whole kronor,
half up (xx,50 kr → up), and then floored at 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.jobbstimulans import (
    COUNTED_SHARE,
    PERIOD_MONTHS,
    JobbstimulansStatus,
    month_label,
)
from cases.models.norms import LUNCH_AWAY_CATEGORIES, PersonalCostCategory
from cases.norms import (
    CHILD_MAX_AGE,
    NormError,
    NormLine,
    NormTable,
    child_category,
    format_kronor,
    norm_table,
)
from cases.payment_periods import DAYS_PER_MONTH_FOR_PRORATING, Period, period_for, prorated

__all__ = [
    "Calculation",
    "CalculationError",
    "CostInput",
    "CostKind",
    "CostLine",
    "IncomeInput",
    "IncomeKind",
    "IncomeLine",
    "IncomeRule",
    "Line",
    "MemberInput",
    "MemberRole",
    "PersonJobbstimulans",
    "calculate",
    "covered_part",
]

ORE = Decimal("0.01")
KRONA = Decimal(1)

ADULT_AGE = 18  # SoL 3 kap. 1 §: "Med barn avses en person under 18 år."
# SoL 12 kap. 9 §: school youths "under 21 år".
SCHOOL_YOUTH_MAX_AGE = 20

# Version of the stored form (``Calculation.to_dict``); bump when it changes shape.
# 2: per-line ``rule`` and per-person ``jobbstimulans`` (issue 22). 3: a broken
# period's ``covered_from``/``covered_to``/``covered_days``/``period_days`` (issue 17).
# Versions 1 and 2 are still read, unchanged.
STORED_FORM_VERSION = 3
READABLE_FORM_VERSIONS = frozenset({1, 2, 3})


class IncomeRule(models.TextChoices):
    """Why an income line counts less than its amount (``IncomeLine.rule``)."""

    NONE = "", gettext_lazy("Räknas fullt")
    NOT_COUNTED = "not_counted", gettext_lazy("Räknas inte")
    JOBBSTIMULANS = "12:8", gettext_lazy("Jobbstimulans, SoL 12 kap. 8 §")
    CHILD = "12:9", gettext_lazy("Barns och skolungdomars inkomst, SoL 12 kap. 9 §")


class CalculationError(ValueError):
    """The input cannot be calculated; ``str(error)`` is a Swedish message saying what is
    wrong, for the caseworker."""


class MemberRole(models.TextChoices):
    APPLICANT = "applicant", gettext_lazy("Sökande")
    CO_APPLICANT = "co_applicant", gettext_lazy("Medsökande")
    CHILD = "child", gettext_lazy("Barn")
    OTHER_ADULT = "other_adult", gettext_lazy("Annan vuxen i hushållet")


class CostKind(models.TextChoices):
    """Reasonable costs outside the riksnorm (SoL 12 kap. 7 § första stycket 2)."""

    RENT = "rent", gettext_lazy("Boende/hyra")
    HOUSEHOLD_ELECTRICITY = "household_electricity", gettext_lazy("Hushållsel")
    WORK_TRAVEL = "work_travel", gettext_lazy("Arbetsresor")
    HOME_INSURANCE = "home_insurance", gettext_lazy("Hemförsäkring")
    UNION_FEE = "union_fee", gettext_lazy("Fackföreningsavgift")
    AKASSA_FEE = "akassa_fee", gettext_lazy("A-kasseavgift")


class IncomeKind(models.TextChoices):
    SALARY = "salary", gettext_lazy("Lön, netto")
    AKASSA = "akassa", gettext_lazy("A-kassa")
    ACTIVITY_SUPPORT = "activity_support", gettext_lazy("Aktivitetsstöd/utvecklingsersättning")
    CHILD_BENEFIT = "child_benefit", gettext_lazy("Barnbidrag inkl. flerbarnstillägg")
    STUDY_GRANT = "study_grant", gettext_lazy("Studiebidrag")
    HOUSING_ALLOWANCE = "housing_allowance", gettext_lazy("Bostadsbidrag")
    MAINTENANCE_SUPPORT = "maintenance_support", gettext_lazy("Underhållsstöd")
    SICKNESS_BENEFIT = "sickness_benefit", gettext_lazy("Sjukpenning")
    PARENTAL_BENEFIT = "parental_benefit", gettext_lazy("Föräldrapenning")
    SICKNESS_COMPENSATION = "sickness_compensation", gettext_lazy("Sjuk-/aktivitetsersättning")
    PENSION = "pension", gettext_lazy("Pension")
    ESTABLISHMENT_ALLOWANCE = "establishment_allowance", gettext_lazy("Etableringsersättning")
    TAX_REFUND = "tax_refund", gettext_lazy("Skatteåterbäring")
    LEISURE_CARD = "leisure_card", gettext_lazy("Fritidskort")
    DISABILITY_ALLOWANCE = "disability_allowance", gettext_lazy("Skattefri handikappersättning")
    OTHER = "other", gettext_lazy("Övrig inkomst")


# Incomes shown in the calculation but never counted, with the reason on the line.
NOT_COUNTED_INCOME = {
    IncomeKind.LEISURE_CARD: gettext_lazy(
        "Fritidskort räknas inte som inkomst (SoL 12 kap. 7 a §)."
    ),
    IncomeKind.DISABILITY_ALLOWANCE: gettext_lazy(
        "Skattefri handikappersättning räknas inte som inkomst."
    ),
}

# Income from one's own work: the base of jobbstimulans (12:8) and of the children's
# disregard (12:9).
EARNED_INCOME = frozenset({IncomeKind.SALARY})


# ---------------------------------------------------------------------------- input


@dataclass(frozen=True)
class MemberInput:
    """A person in the calculation. ``role``: a ``MemberRole`` value; ``lunch_away`` only
    for children 0–6 who do not eat lunch at home five days a week; ``in_school`` for a
    child aged 18–20: in grundskola, gymnasieskola or comparable basic education this
    month (SoL 12:9), None when not recorded."""

    label: str
    age: int
    role: str
    lunch_away: bool = False
    person_id: int | None = None
    in_school: bool | None = None


@dataclass(frozen=True)
class CostInput:
    """A reasonable cost: what the household pays (``actual``) and the part accepted."""

    kind: str
    actual: Decimal
    accepted: Decimal
    note: str = ""


@dataclass(frozen=True)
class IncomeInput:
    """An income this month, net; ``person_id`` says whose (needed for a child's own
    earned income, SoL 12:9)."""

    kind: str
    amount: Decimal
    person_id: int | None = None
    label: str = ""
    note: str = ""


# --------------------------------------------------------------------------- result

# The norm lines of a calculation are the norm's own lines (label, amount, note).
Line = NormLine


@dataclass(frozen=True)
class CostLine:
    label: str
    actual: Decimal
    accepted: Decimal
    note: str = ""
    kind: str = ""


@dataclass(frozen=True)
class IncomeLine:
    """``counted`` is the part of ``amount`` that reduces the bistånd; ``note`` says why
    it is less than the amount, ``rule`` (an ``IncomeRule`` value) which rule applied –
    empty in forms stored before version 2."""

    label: str
    amount: Decimal
    counted: Decimal
    note: str = ""
    kind: str = ""
    person_id: int | None = None
    rule: str = ""


@dataclass(frozen=True)
class PersonJobbstimulans:
    """One person's jobbstimulans (SoL 12:8) in the calculation: the status derived from
    their history – started this month if the rule was applied to their income now – and
    whether 25 % of an income was left out this month. ``text`` is the status in words
    as shown when calculated (stored, so the statement shows it again unchanged)."""

    person_id: int
    label: str
    status: JobbstimulansStatus
    applied: bool = False
    text: str = ""


@dataclass(frozen=True)
class Calculation:
    """One month's calculation, exactly as calculated. All amounts are Decimal kronor:
    lines and totals in öre, ``result`` in whole kronor (see the module docstring).

    ``jobbstimulans``: each person's 12:8 status as used (see ``PersonJobbstimulans``).
    ``child_earned_income_disregarded`` is how much of children's and school youths'
    earned income this month was left out under SoL 12:9 (per child: the lines with
    ``rule == "12:9"``), which the following months of the calendar year build on.
    """

    year: int
    month: int
    norm_lines: tuple[Line, ...]
    norm_total: Decimal
    adjustment: Decimal
    adjustment_reason: str
    cost_lines: tuple[CostLine, ...]
    costs_total: Decimal
    income_lines: tuple[IncomeLine, ...]
    income_total: Decimal
    result: Decimal
    norm_source: str = ""
    household_size: int = 0
    jobbstimulans: tuple[PersonJobbstimulans, ...] = ()
    child_earned_income_disregarded: Decimal = Decimal("0.00")
    covered_from: date | None = None
    covered_to: date | None = None
    covered_days: int = 0
    period_days: int = 0
    version: int = STORED_FORM_VERSION

    @property
    def broken_period(self) -> bool:
        """Whether the norm was counted for part of the period only (a broken period)."""
        return self.covered_from is not None

    def broken_period_text(self) -> str:
        """The broken period's rule in words, as statements and letters show it."""
        if self.covered_from is None or self.covered_to is None:
            return ""
        return _(
            "Bruten period: biståndet gäller %(start)s–%(end)s, %(days)d av periodens "
            "%(period)d dagar. Riksnormen räknas per dag: månadsbeloppet × %(days)d / "
            "%(divisor)d, avrundat till hela kronor (dagsbelopp 1/30 enligt Socialstyrelsens "
            "handbok om ekonomiskt bistånd; SoL 12 kap. 7 §)."
        ) % {
            "start": date_format(self.covered_from, "DATE_FORMAT"),
            "end": date_format(self.covered_to, "DATE_FORMAT"),
            "days": self.covered_days,
            "period": self.period_days,
            "divisor": DAYS_PER_MONTH_FOR_PRORATING,
        }

    def child_disregarded_by_person(self) -> dict[int, Decimal]:
        """Earned income left out under 12:9 this month, per child (person id).

        Forms stored before version 2 have no ``rule``: their 12:9 lines are known by
        the statute in the note, the only reason a salary was left out for a child."""
        left_out: dict[int, Decimal] = {}
        for line in self.income_lines:
            if line.person_id is None or line.kind not in EARNED_INCOME:
                continue
            if line.rule == IncomeRule.CHILD or (
                not line.rule and self.version < 2 and "12 kap. 9 §" in line.note
            ):
                left_out[line.person_id] = (
                    left_out.get(line.person_id, Decimal("0.00")) + line.amount - line.counted
                )
        return left_out

    def employment_income_person_ids(self, *, applicant_id: int | None = None) -> set[int]:
        """Whose income from employment was assessed as an adult's this month – the
        months a jobbstimulans period can start in (``cases.jobbstimulans``). A version-1
        salary without a person was the applicant's."""
        ids: set[int] = set()
        for line in self.income_lines:
            if line.kind not in EARNED_INCOME:
                continue
            if line.rule == IncomeRule.CHILD or (self.version < 2 and "12 kap. 9 §" in line.note):
                continue
            person_id = line.person_id
            if person_id is None and self.version < 2:
                person_id = applicant_id
            if person_id is not None:
                ids.add(person_id)
        return ids

    @property
    def need_total(self) -> Decimal:
        """Riksnorm ± adjustment + reasonable costs."""
        return self.norm_total + self.adjustment + self.costs_total

    @property
    def balance(self) -> Decimal:
        """Need minus counted income, in öre, before rounding; negative = surplus."""
        return self.need_total - self.income_total

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form (Decimals as strings, exact) for storing the calculation."""
        return {
            "version": self.version,
            "year": self.year,
            "month": self.month,
            "norm_source": self.norm_source,
            "household_size": self.household_size,
            "norm_lines": [
                {"label": line.label, "amount": str(line.amount), "note": line.note}
                for line in self.norm_lines
            ],
            "norm_total": str(self.norm_total),
            "adjustment": str(self.adjustment),
            "adjustment_reason": self.adjustment_reason,
            "cost_lines": [
                {
                    "label": line.label,
                    "actual": str(line.actual),
                    "accepted": str(line.accepted),
                    "note": line.note,
                    "kind": line.kind,
                }
                for line in self.cost_lines
            ],
            "costs_total": str(self.costs_total),
            "income_lines": [
                {
                    "label": line.label,
                    "amount": str(line.amount),
                    "counted": str(line.counted),
                    "note": line.note,
                    "kind": line.kind,
                    "person_id": line.person_id,
                    "rule": line.rule,
                }
                for line in self.income_lines
            ],
            "income_total": str(self.income_total),
            "result": str(self.result),
            "jobbstimulans": [
                {
                    "person_id": item.person_id,
                    "label": item.label,
                    "applied": item.applied,
                    "status": item.status.to_dict(),
                    "text": item.text,
                }
                for item in self.jobbstimulans
            ],
            "child_earned_income_disregarded": str(self.child_earned_income_disregarded),
            "covered_from": self.covered_from.isoformat() if self.covered_from else None,
            "covered_to": self.covered_to.isoformat() if self.covered_to else None,
            "covered_days": self.covered_days,
            "period_days": self.period_days,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calculation:
        """The calculation stored by ``to_dict``, unchanged (no norm tables are read).

        Version 1 (before issue 22) is read as stored: its household-wide
        ``jobbstimulans_first_month`` was an input, not a fact about a person, and is not
        carried over; its notes say what was applied."""
        version = data.get("version")
        if version not in READABLE_FORM_VERSIONS:
            raise ValueError(f"Unknown stored calculation version: {version!r}")
        return cls(
            version=int(version),
            year=int(data["year"]),
            month=int(data["month"]),
            norm_source=data.get("norm_source", ""),
            household_size=int(data.get("household_size", 0)),
            norm_lines=tuple(
                Line(label=line["label"], amount=Decimal(line["amount"]), note=line["note"])
                for line in data["norm_lines"]
            ),
            norm_total=Decimal(data["norm_total"]),
            adjustment=Decimal(data["adjustment"]),
            adjustment_reason=data["adjustment_reason"],
            cost_lines=tuple(
                CostLine(
                    label=line["label"],
                    actual=Decimal(line["actual"]),
                    accepted=Decimal(line["accepted"]),
                    note=line.get("note", ""),
                    kind=line.get("kind", ""),
                )
                for line in data["cost_lines"]
            ),
            costs_total=Decimal(data["costs_total"]),
            income_lines=tuple(
                IncomeLine(
                    label=line["label"],
                    amount=Decimal(line["amount"]),
                    counted=Decimal(line["counted"]),
                    note=line.get("note", ""),
                    kind=line.get("kind", ""),
                    person_id=line.get("person_id"),
                    rule=line.get("rule", ""),
                )
                for line in data["income_lines"]
            ),
            income_total=Decimal(data["income_total"]),
            result=Decimal(data["result"]),
            jobbstimulans=tuple(
                PersonJobbstimulans(
                    person_id=int(item["person_id"]),
                    label=item["label"],
                    applied=bool(item["applied"]),
                    status=JobbstimulansStatus.from_dict(item["status"]),
                    text=item.get("text", ""),
                )
                for item in data.get("jobbstimulans", ())
            ),
            child_earned_income_disregarded=Decimal(
                data.get("child_earned_income_disregarded", "0.00")
            ),
            covered_from=_stored_date(data.get("covered_from")),
            covered_to=_stored_date(data.get("covered_to")),
            covered_days=int(data.get("covered_days") or 0),
            period_days=int(data.get("period_days") or 0),
        )


def _stored_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# ------------------------------------------------------------------------ calculate


def calculate(
    *,
    year: int,
    month: int,
    members: Sequence[MemberInput],
    costs: Sequence[CostInput] = (),
    incomes: Sequence[IncomeInput] = (),
    household_size: int | None = None,
    adjustment: Decimal = Decimal(0),
    adjustment_reason: str = "",
    jobbstimulans: Mapping[int, JobbstimulansStatus] | None = None,
    child_earned_income_before_this_year_month: Decimal | Mapping[int, Decimal] = Decimal(0),
    table: NormTable | None = None,
    period: Period | None = None,
    covered_from: date | None = None,
    covered_to: date | None = None,
) -> Calculation:
    """Calculate försörjningsstöd for one month (DOMAIN.md §4).

    ``members``: the persons in this calculation. Applicant and co-applicant together get
    the couple's personal costs once; a lone applicant, and every ``other_adult`` (an
    adult who is not a sambo) or ``child`` over 20, gets those of ``ensamstående``;
    children 0–20 get their age band. ``household_size``: persons living in the home
    (default: the members); when larger, the calculation gets the members' share of the
    common household costs.

    ``jobbstimulans``: person_id → that person's SoL 12:8 status this month, derived from
    their history (``cases.jobbstimulans``; ``cases.assistance_history`` reads it). When
    it applies, 25 % of the person's income from employment counted as an adult's is
    left out; never of income under 12:9. A person without a status gets none.

    ``child_earned_income_before_this_year_month``: a child's or school youth's earned
    income already left out earlier this calendar year (SoL 12:9, up to one
    prisbasbelopp a year) – one amount when one child works, or a mapping
    person_id → amount.

    ``table``: the year's norm tables if already read (else read from the database).

    ``period``: the month's payment period (``cases.payment_periods.period_for``; default
    the calendar month). ``covered_from``/``covered_to``: the first/last day the bistånd
    covers when that is inside the period – a broken period, whose norm lines are
    pro-rated (module docstring). Days outside the period are refused.

    Raises CalculationError (a ValueError) with a Swedish message for invalid input or a
    year without a loaded riksnorm.
    """
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise CalculationError(_("Månaden ska vara 1–12."))
    if isinstance(year, bool) or not isinstance(year, int):
        raise CalculationError(_("Året ska vara ett heltal."))
    members = tuple(members)
    _check_members(members)
    size = len(members) if household_size is None else household_size
    if isinstance(size, bool) or not isinstance(size, int) or size < len(members):
        raise CalculationError(
            _("Hushållet ska ha minst lika många personer som beräkningen (%(n)d).")
            % {"n": len(members)}
        )
    adjustment = _money(adjustment, _("Justeringen"))
    adjustment_reason = (adjustment_reason or "").strip()
    if adjustment and not adjustment_reason:
        raise CalculationError(_("Ange skäl för justeringen."))
    statuses = dict(jobbstimulans or {})
    for status in statuses.values():
        if status.this_month != (year, month):
            raise CalculationError(
                _("Jobbstimulansen är prövad för %(a)s, inte för den beräknade månaden.")
                % {"a": f"{status.year}-{status.month:02d}"}
            )
    child_before = _child_before(child_earned_income_before_this_year_month)
    cost_lines = tuple(_cost_line(cost) for cost in costs)
    period = period or period_for(date(year, month, 1))
    if (period.month.year, period.month.month) != (year, month):
        raise CalculationError(_("Perioden gäller en annan månad än beräkningen."))
    covered = covered_part(period, covered_from, covered_to)

    try:
        if table is None:
            table = norm_table(year)
        elif table.year != year:
            raise NormError(
                _("Normtabellen gäller %(a)d, inte %(b)d.") % {"a": table.year, "b": year}
            )
        norm_lines = _norm_lines(table, members, size)
    except NormError as error:
        raise CalculationError(str(error)) from error

    income_lines, child_disregarded, applied_to = _income_lines(
        incomes,
        members=members,
        jobbstimulans=statuses,
        prisbasbelopp=table.prisbasbelopp,
        child_before=child_before,
    )
    persons = []
    for member in members:
        if member.person_id is None or member.person_id not in statuses:
            continue
        applied = member.person_id in applied_to
        status = statuses[member.person_id]
        status = status.started() if applied else status
        persons.append(
            PersonJobbstimulans(
                person_id=member.person_id,
                label=_member_name(member),
                status=status,
                applied=applied,
                text=status.describe(),
            )
        )

    if covered is not None:
        days = (covered[1] - covered[0]).days + 1
        norm_lines = tuple(
            Line(
                label=line.label,
                amount=prorated(
                    line.amount, period, covered_from=covered[0], covered_to=covered[1]
                ).quantize(ORE),
                note="; ".join(
                    part
                    for part in (
                        line.note,
                        _("%(days)d av %(divisor)d dagar, helt månadsbelopp %(amount)s")
                        % {
                            "days": days,
                            "divisor": DAYS_PER_MONTH_FOR_PRORATING,
                            "amount": format_kronor(line.amount),
                        },
                    )
                    if part
                ),
            )
            for line in norm_lines
        )
    norm_total = _sum(line.amount for line in norm_lines)
    costs_total = _sum(line.accepted for line in cost_lines)
    income_total = _sum(line.counted for line in income_lines)
    balance = norm_total + adjustment + costs_total - income_total
    result = balance.quantize(KRONA, rounding=ROUND_HALF_UP)
    if result <= 0:
        result = Decimal(0)

    return Calculation(
        year=year,
        month=month,
        norm_source=table.source,
        household_size=size,
        norm_lines=norm_lines,
        norm_total=norm_total,
        adjustment=adjustment,
        adjustment_reason=adjustment_reason,
        cost_lines=cost_lines,
        costs_total=costs_total,
        income_lines=income_lines,
        income_total=income_total,
        result=result,
        jobbstimulans=tuple(persons),
        child_earned_income_disregarded=child_disregarded,
        covered_from=covered[0] if covered else None,
        covered_to=covered[1] if covered else None,
        covered_days=(covered[1] - covered[0]).days + 1 if covered else 0,
        period_days=period.days if covered else 0,
    )


# ------------------------------------------------------------------------- helpers


def covered_part(
    period: Period, covered_from: date | None, covered_to: date | None
) -> tuple[date, date] | None:
    """The days a broken period covers, or None for the whole period."""
    start = covered_from or period.start
    end = covered_to or period.end
    if not (period.start <= start <= period.end and period.start <= end <= period.end):
        raise CalculationError(
            _("Biståndet kan bara gälla dagar i perioden %(start)s–%(end)s.")
            % {
                "start": date_format(period.start, "DATE_FORMAT"),
                "end": date_format(period.end, "DATE_FORMAT"),
            }
        )
    if end < start:
        raise CalculationError(_("Biståndets sista dag kan inte vara före den första."))
    if (start, end) == (period.start, period.end):
        return None
    return start, end


def _sum(amounts) -> Decimal:
    return sum(amounts, Decimal("0.00")).quantize(ORE)


def _money(value: object, what: str) -> Decimal:
    """A Decimal (or int) amount rounded to öre. Floats are refused: they cannot hold
    öre exactly, and money here is exact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what}: amounts must be Decimal or int, not {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise CalculationError(_("%(what)s: beloppet är inte ett tal.") % {"what": what})
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def _member_name(member: MemberInput) -> str:
    return member.label.strip() or str(MemberRole(member.role).label)


def _check_members(members: tuple[MemberInput, ...]) -> None:
    if not members:
        raise CalculationError(_("Beräkningen måste omfatta minst en person."))
    roles = []
    person_ids = set()
    for member in members:
        try:
            role = MemberRole(member.role)
        except ValueError:
            raise CalculationError(
                _("Okänd roll i hushållet: %(role)s.") % {"role": member.role}
            ) from None
        roles.append(role)
        name = member.label.strip() or str(role.label)
        if isinstance(member.age, bool) or not isinstance(member.age, int) or member.age < 0:
            raise CalculationError(
                _("%(name)s: åldern ska vara ett heltal, 0 eller mer.") % {"name": name}
            )
        if role != MemberRole.CHILD and member.age < ADULT_AGE:
            raise CalculationError(
                _("%(name)s: %(role)s ska vara minst %(age)d år.")
                % {"name": name, "role": str(role.label).lower(), "age": ADULT_AGE}
            )
        if member.lunch_away and not (
            role == MemberRole.CHILD
            and member.age <= CHILD_MAX_AGE
            and child_category(member.age) in LUNCH_AWAY_CATEGORIES
        ):
            raise CalculationError(
                _("%(name)s: lägre belopp när lunch inte äts hemma finns bara för barn 0–6 år.")
                % {"name": name}
            )
        if member.person_id is not None:
            if member.person_id in person_ids:
                raise CalculationError(
                    _("%(name)s finns med två gånger i beräkningen.") % {"name": name}
                )
            person_ids.add(member.person_id)
    if roles.count(MemberRole.APPLICANT) > 1 or roles.count(MemberRole.CO_APPLICANT) > 1:
        raise CalculationError(_("Beräkningen kan ha en sökande och en medsökande."))
    if MemberRole.APPLICANT not in roles and MemberRole.CO_APPLICANT not in roles:
        raise CalculationError(_("Beräkningen måste ha en sökande."))


def _is_child(member: MemberInput) -> bool:
    """A child with a child's norm (0–20); an older "child" counts as an adult."""
    return member.role == MemberRole.CHILD and member.age <= CHILD_MAX_AGE


def _norm_lines(
    table: NormTable, members: tuple[MemberInput, ...], household_size: int
) -> tuple[Line, ...]:
    applicants = [m for m in members if m.role in (MemberRole.APPLICANT, MemberRole.CO_APPLICANT)]
    lines: list[Line] = []
    if len(applicants) == 2:
        lines.append(
            table.personal_line(
                PersonalCostCategory.ADULT_COUPLE,
                label=_("Personliga kostnader – %(a)s och %(b)s")
                % {"a": _member_name(applicants[0]), "b": _member_name(applicants[1])},
            )
        )
    else:
        lines.append(
            table.personal_line(
                PersonalCostCategory.ADULT_SINGLE,
                label=_("Personliga kostnader – %(name)s") % {"name": _member_name(applicants[0])},
            )
        )
    for member in members:
        if member.role == MemberRole.OTHER_ADULT:
            note = _("vuxen i hushållet som inte är sambo")
        elif member.role == MemberRole.CHILD and not _is_child(member):
            note = _("över %(age)d år, räknas som vuxen") % {"age": CHILD_MAX_AGE}
        else:
            continue
        lines.append(
            table.personal_line(
                PersonalCostCategory.ADULT_SINGLE,
                label=_("Personliga kostnader – %(name)s") % {"name": _member_name(member)},
                note=note,
            )
        )
    for member in members:
        if _is_child(member):
            lines.append(
                table.personal_line(
                    child_category(member.age),
                    label=_("Personliga kostnader – %(name)s, %(age)d år")
                    % {"name": _member_name(member), "age": member.age},
                    lunch_away=member.lunch_away,
                )
            )
    lines.append(table.common_line(household_size, persons_included=len(members)))
    return tuple(
        Line(label=line.label, amount=line.amount.quantize(ORE), note=line.note) for line in lines
    )


def _cost_line(cost: CostInput) -> CostLine:
    try:
        kind = CostKind(cost.kind)
    except ValueError:
        raise CalculationError(_("Okänd kostnad: %(kind)s.") % {"kind": cost.kind}) from None
    actual = _money(cost.actual, str(kind.label))
    accepted = _money(cost.accepted, str(kind.label))
    if actual < 0 or accepted < 0:
        raise CalculationError(
            _("%(kind)s: kostnaden kan inte vara negativ.") % {"kind": kind.label}
        )
    if accepted > actual:
        raise CalculationError(
            _(
                "%(kind)s: godtagen kostnad (%(accepted)s) kan inte vara högre än faktisk "
                "kostnad (%(actual)s)."
            )
            % {
                "kind": kind.label,
                "accepted": format_kronor(accepted),
                "actual": format_kronor(actual),
            }
        )
    if not actual and not accepted:
        raise CalculationError(
            _("%(kind)s: tom kostnadsrad – ange ett belopp eller ta bort raden.")
            % {"kind": kind.label}
        )
    return CostLine(
        label=str(kind.label),
        actual=actual,
        accepted=accepted,
        note=cost.note.strip(),
        kind=kind.value,
    )


# The 12:9 status of a member's earned income (``_earned_income_group``).
_CHILD = "child"  # under 18: "hemmavarande barn"
_SCHOOL_YOUTH = "school_youth"  # 18–20 and in school: "hemmavarande skolungdom under 21 år"
_YOUNG_ADULT = "young_adult"  # 18–20, not in school: like any adult
_ADULT = "adult"


def _earned_income_group(member: MemberInput | None) -> str:
    """Whether SoL 12:9 covers the member's earned income (see the module docstring).
    Raises CalculationError for an 18–20-year-old whose schooling is not recorded."""
    if member is None or member.role != MemberRole.CHILD or member.age > SCHOOL_YOUTH_MAX_AGE:
        return _ADULT
    if member.age < ADULT_AGE:
        return _CHILD
    if member.in_school is None:
        raise CalculationError(
            _(
                "%(name)s är %(age)d år och har inkomst av eget arbete: ange om "
                "%(name)s går i grundskola, gymnasieskola eller jämförlig grundutbildning "
                "denna månad (SoL 12 kap. 9 §)."
            )
            % {"name": _member_name(member), "age": member.age}
        )
    return _SCHOOL_YOUTH if member.in_school else _YOUNG_ADULT


def _child_reason(
    member: MemberInput, group: str, *, prisbasbelopp: Decimal, left_out: Decimal, counted: Decimal
) -> str:
    """The line's note under 12:9: which rule, why it covers this person, the limit."""
    values = {
        "name": _member_name(member),
        "age": member.age,
        "pbb": format_kronor(prisbasbelopp),
        "left": format_kronor(left_out),
    }
    if group == _CHILD:
        reason = (
            _(
                "Barns inkomst av arbete räknas inte (12 kap. 9 § SoL) upp till ett "
                "prisbasbelopp (%(pbb)s) per år: %(name)s är %(age)d år, barn under 18."
            )
            % values
        )
    else:
        reason = (
            _(
                "Skolungdoms inkomst av arbete räknas inte (12 kap. 9 § SoL) upp till ett "
                "prisbasbelopp (%(pbb)s) per år: %(name)s är %(age)d år, under 21 och går i "
                "grundskola, gymnasieskola eller jämförlig grundutbildning."
            )
            % values
        )
    if counted:
        reason += " " + (
            _(
                "%(left)s återstod av årets gräns; resten räknas fullt, utan jobbstimulans "
                "(12 kap. 8 § tredje stycket SoL)."
            )
            % values
        )
    return reason


def _income_lines(
    incomes: Sequence[IncomeInput],
    *,
    members: tuple[MemberInput, ...],
    jobbstimulans: Mapping[int, JobbstimulansStatus],
    prisbasbelopp: Decimal,
    child_before: Decimal | dict[int, Decimal],
) -> tuple[tuple[IncomeLine, ...], Decimal, set[int]]:
    """The income lines, the children's and school youths' earned income left out this
    month (12:9), and whose income jobbstimulans left something out of (12:8)."""
    by_id = {m.person_id: m for m in members if m.person_id is not None}
    lines: list[IncomeLine] = []
    checked: list[tuple[IncomeInput, IncomeKind, Decimal, MemberInput | None, str]] = []
    for income in incomes:
        try:
            kind = IncomeKind(income.kind)
        except ValueError:
            raise CalculationError(_("Okänd inkomst: %(kind)s.") % {"kind": income.kind}) from None
        amount = _money(income.amount, str(kind.label))
        if amount <= 0:
            raise CalculationError(
                _(
                    "%(kind)s: inkomsten måste vara större än 0 kr – ta bort raden om det inte "
                    "finns någon inkomst."
                )
                % {"kind": kind.label}
            )
        member = None
        if income.person_id is not None:
            member = by_id.get(income.person_id)
            if member is None:
                raise CalculationError(
                    _("%(kind)s: inkomsten hör till en person som inte ingår i beräkningen.")
                    % {"kind": kind.label}
                )
        group = _earned_income_group(member) if kind in EARNED_INCOME else _ADULT
        checked.append((income, kind, amount, member, group))

    child_remaining = _child_limits(checked, prisbasbelopp=prisbasbelopp, before=child_before)
    child_disregarded = Decimal("0.00")
    applied_to: set[int] = set()
    for income, kind, amount, member, group in checked:
        counted, reasons, rule = amount, [], IncomeRule.NONE
        if kind in NOT_COUNTED_INCOME:
            counted, rule = Decimal("0.00"), IncomeRule.NOT_COUNTED
            reasons.append(str(NOT_COUNTED_INCOME[kind]))
        elif kind in EARNED_INCOME and group in (_CHILD, _SCHOOL_YOUTH):
            assert member is not None and member.person_id is not None  # noqa: S101 – by _earned_income_group
            remaining = child_remaining[member.person_id]
            left_out = min(amount, remaining)
            child_remaining[member.person_id] = remaining - left_out
            child_disregarded += left_out
            counted, rule = amount - left_out, IncomeRule.CHILD
            reasons.append(
                _child_reason(
                    member, group, prisbasbelopp=prisbasbelopp, left_out=left_out, counted=counted
                )
            )
        elif kind in EARNED_INCOME:
            if group == _YOUNG_ADULT:
                assert member is not None  # noqa: S101 – by _earned_income_group
                reasons.append(
                    _(
                        "%(name)s är %(age)d år och går inte i skolan: inkomsten räknas som en "
                        "vuxens (12 kap. 9 § SoL gäller barn under 18 och skolungdomar under 21)."
                    )
                    % {"name": _member_name(member), "age": member.age}
                )
            person_id = member.person_id if member is not None else None
            status = jobbstimulans.get(person_id) if person_id is not None else None
            if person_id is not None and status is not None and status.applies:
                counted = (amount * COUNTED_SHARE).quantize(ORE, rounding=ROUND_HALF_UP)
                rule = IncomeRule.JOBBSTIMULANS
                applied_to.add(person_id)
                started = status.started()
                reasons.append(
                    _(
                        "Jobbstimulans (SoL 12 kap. 8 §): 25 %% av inkomsten av anställning "
                        "räknas inte, månad %(n)d av %(total)d (t.o.m. %(end)s)."
                    )
                    % {
                        "n": started.month_number,
                        "total": PERIOD_MONTHS,
                        "end": month_label(started.period_end),  # type: ignore[arg-type]
                    }
                )
        label = str(kind.label)
        if income.label.strip():
            label = f"{label} – {income.label.strip()}"
        note = " ".join(part for part in (*reasons, income.note.strip()) if part)
        lines.append(
            IncomeLine(
                label=label,
                amount=amount,
                counted=counted,
                note=note,
                kind=kind.value,
                person_id=income.person_id,
                rule=rule.value,
            )
        )
    return tuple(lines), child_disregarded, applied_to


def _child_before(before: Decimal | Mapping[int, Decimal]) -> Decimal | dict[int, Decimal]:
    """Children's earned income already left out this year, checked and in öre."""
    what = _("Barns arbetsinkomst tidigare i år")
    checked: Decimal | dict[int, Decimal]
    if isinstance(before, Mapping):
        checked = {person_id: _money(amount, what) for person_id, amount in before.items()}
        amounts = list(checked.values())
    else:
        checked = _money(before, what)
        amounts = [checked]
    if any(amount < 0 for amount in amounts):
        raise CalculationError(_("Barns arbetsinkomst tidigare i år kan inte vara negativ."))
    return checked


def _child_limits(
    checked: list[tuple[IncomeInput, IncomeKind, Decimal, MemberInput | None, str]],
    *,
    prisbasbelopp: Decimal,
    before: Decimal | dict[int, Decimal],
) -> dict[int | None, Decimal]:
    """What is left of each working child's or school youth's yearly limit (one
    prisbasbelopp per calendar year, 12:9)."""
    children = {
        member.person_id
        for _income, kind, _amount, member, group in checked
        if kind in EARNED_INCOME and member is not None and group in (_CHILD, _SCHOOL_YOUTH)
    }
    if isinstance(before, dict):
        earlier = {
            person_id: before.get(person_id, Decimal(0)) if person_id is not None else Decimal(0)
            for person_id in children
        }
    else:
        if before and len(children) > 1:
            raise CalculationError(
                _(
                    "Flera barn har arbetsinkomst: ange för varje barn vad som redan räknats "
                    "bort i år."
                )
            )
        earlier = dict.fromkeys(children, before)
    return {
        person_id: max(Decimal("0.00"), prisbasbelopp - amount).quantize(ORE)
        for person_id, amount in earlier.items()
    }
