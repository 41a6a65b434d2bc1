"""The motivering a decision starts from: the unit's text template (edited by the unit
manager on *Min enhet*) with the month's figures filled in.

FL 32 § asks for the rules applied and the decisive facts. A template names the rules;
the figures are this month's. The caseworker must read it and may change it; an unchanged
template is accepted only for bifall of a routine month (``template_allowed``) – anything
else needs the caseworker's own words on what was decisive.
"""

from decimal import Decimal
from string import Formatter

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.calculation import Calculation

DEFAULT_TEMPLATE = gettext_lazy(
    "Du har ansökt om försörjningsstöd för {manad}. Försörjningsstödet beräknas enligt "
    "socialtjänstlagen (2025:400) 12 kap. 1 och 7 §§: riksnormen för hushållet är "
    "{norm} kr, de skäliga kostnaderna för boende och andra poster är {kostnader} kr och "
    "hushållets inkomster som räknas är {inkomster} kr. Det ger ett behov av {bistand} kr, "
    "som beviljas. Uppgifterna är desamma som i den senaste ansökan, utom där det står "
    "annat i beräkningen."
)

PLACEHOLDERS = {
    "manad": gettext_lazy("månaden, t.ex. januari 2027"),
    "sokande": gettext_lazy("sökandens namn"),
    "norm": gettext_lazy("riksnormen för hushållet"),
    "kostnader": gettext_lazy("godtagna skäliga kostnader"),
    "inkomster": gettext_lazy("inkomster som räknas"),
    "bistand": gettext_lazy("beräknat bistånd"),
}

_MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november december"
).split()


def _kr(amount: Decimal | None) -> str:
    if amount is None:
        return "–"
    return number_format(Decimal(amount).quantize(Decimal(1)), force_grouping=True)


class _Figures(dict):
    def __missing__(self, key: str) -> str:  # an unknown {placeholder} stays as typed
        return "{" + key + "}"


def check_template(text: str) -> list[str]:
    """The placeholders in ``text`` that are not known (for the unit manager's form)."""
    try:
        names = [name for _lit, name, _spec, _conv in Formatter().parse(text) if name]
    except ValueError:
        return [_("en { eller } som inte hör till ett fält")]
    return [name for name in names if name not in PLACEHOLDERS]


def draft_motivering(application) -> str:
    """The unit's template (or the built-in one) with the application's stored
    calculation filled in; an empty string when nothing is calculated."""
    if not application.calculation:
        return ""
    calculation = Calculation.from_dict(application.calculation)
    template = application.case.unit.motivering_template.strip() or str(DEFAULT_TEMPLATE)
    figures = _Figures(
        manad=f"{_MONTHS[application.month.month - 1]} {application.month.year}",
        sokande=application.applicant.full_name,
        norm=_kr(calculation.norm_total),
        kostnader=_kr(calculation.costs_total),
        inkomster=_kr(calculation.income_total),
        bistand=_kr(calculation.result),
    )
    try:
        return template.format_map(figures)
    except (ValueError, IndexError, AttributeError):
        return template  # a stray brace: the text as written, for the caseworker to fix


def is_routine_month(application) -> bool:
    """A fortsättningsansökan: an earlier month of the case was decided."""
    return application.case.applications.filter(
        month__lt=application.month, status="decided"
    ).exists()


def template_allowed(decision) -> bool:
    """An unchanged template suffices only for bifall of every item in a routine month."""
    items = list(decision.items.all())
    return (
        bool(items)
        and all(item.outcome == "granted" for item in items)
        and is_routine_month(decision.application)
    )
