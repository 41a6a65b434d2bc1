"""The year turns without stopping work: from 1 October, warn that next year's riksnorm
or prisbasbelopp are missing, so they are imported and switched on before January.

The riksnorm is set per calendar year (Socialtjänstförordningen 2025:468 12 kap. 2–3 §§,
usually published in the autumn); the prisbasbelopp (socialförsäkringsbalken 2 kap. 6–7
§§) limits a school youth's earned income left out (SoL 2025:400 12 kap. 9 §). Both live
in ``NormYear`` – one row per year, active when switched on.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cases.models import NormYear

WARN_FROM_MONTH = 10  # 1 October: three months before the new year's first payments


@dataclass(frozen=True)
class YearTurnWarning:
    year: int
    imported: bool  # a row exists (imported, perhaps not switched on)
    has_prisbasbelopp: bool

    @property
    def message(self) -> str:
        if not self.imported:
            return _(
                "Riksnorm och prisbasbelopp för %(year)d finns inte inlagda. Ansökningar för "
                "januari %(year)d kan förberedas men inte beräknas förrän de är importerade "
                "och används."
            ) % {"year": self.year}
        text = _(
            "Riksnormen för %(year)d är inlagd men används inte ännu – slå på den när "
            "beloppen är kontrollerade."
        ) % {"year": self.year}
        if not self.has_prisbasbelopp:
            text += " " + _("Prisbasbeloppet saknas.")
        return text


def year_turn_warning(today: date) -> YearTurnWarning | None:
    """None before 1 October, or when next year's table is active with a prisbasbelopp."""
    if today.month < WARN_FROM_MONTH:
        return None
    year = today.year + 1
    row = NormYear.objects.filter(year=year).values("is_active", "prisbasbelopp").first()
    if row is not None and row["is_active"] and row["prisbasbelopp"]:
        return None
    return YearTurnWarning(
        year=year,
        imported=row is not None,
        has_prisbasbelopp=bool(row and row["prisbasbelopp"]),
    )
