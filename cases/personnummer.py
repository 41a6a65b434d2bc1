"""Personnummer and samordningsnummer: parsing, validation and the stored form.

DOMAIN.md §7 (folkbokföringslagen 1991:481, 18 § and 18 a §; Skatteverket's rules).
Numbers are personal data: never log them, and keep them out of ``repr``.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

__all__ = ["InvalidPersonnummer", "Personnummer", "luhn_check_digit", "parse"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# A samordningsnummer is a personnummer whose day of birth has 60 added (§7).
COORDINATION_DAY_OFFSET = 60

_MESSAGES = {
    "empty": _("Ange ett personnummer eller samordningsnummer."),
    "characters": _(
        "Personnumret får bara innehålla siffror och ett bindestreck (-) eller plustecken (+)."
    ),
    "length": _("Personnumret ska ha 10 eller 12 siffror."),
    "separator": _("Bindestrecket eller plustecknet ska stå före de fyra sista siffrorna."),
    "date": _("Datumet i personnumret finns inte."),
    "future": _("Födelsedatumet ligger i framtiden."),
    "check_digit": _("Kontrollsiffran stämmer inte – kontrollera numret."),
}

_ALLOWED = re.compile(r"[0-9+\-]+", re.ASCII)
_SHAPE = re.compile(r"(?P<date>[0-9]{6}|[0-9]{8})(?P<sep>[-+]?)(?P<tail>[0-9]{4})", re.ASCII)


class InvalidPersonnummer(ValueError):
    """The value is not a valid personnummer or samordningsnummer.

    ``str(error)`` is a Swedish message for the user saying what is wrong; ``code`` is one
    of "empty", "characters", "length", "separator", "date", "future", "check_digit".
    """

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(str(_MESSAGES[code]))


def luhn_check_digit(nine_digits: str) -> int:
    """The check digit C of YYMMDDNNN (DOMAIN.md §7): Luhn with weights 2,1,2,1,…, summing
    the digits of the products; C = (10 − sum mod 10) mod 10."""
    if len(nine_digits) != 9 or not nine_digits.isascii() or not nine_digits.isdigit():
        raise ValueError("Luhn input must be exactly nine ASCII digits.")
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


@dataclass(frozen=True, order=True, repr=False)
class Personnummer:
    """A valid personnummer or samordningsnummer, made by :func:`parse`.

    Equality, hashing and ordering use ``normalized`` only. ``as_of`` is the date the
    number was parsed against (``today``); it decides the separator of ``ten_digit``.
    """

    normalized: str  # YYYYMMDDNNNC; a samordningsnummer keeps its day + 60 as issued
    as_of: date | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        value = self.normalized
        if len(value) != 12 or not value.isascii() or not value.isdigit():
            raise InvalidPersonnummer("length")

    def __str__(self) -> str:
        return f"{self.normalized[:8]}-{self.normalized[8:]}"

    def __repr__(self) -> str:
        # Only the birth date part: a repr can end up in logs and tracebacks.
        return f"Personnummer('{self.normalized[:8]}-****')"

    @property
    def is_coordination_number(self) -> bool:
        """Samordningsnummer: the day of birth is given + 60 (DOMAIN.md §7)."""
        return int(self.normalized[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def birth_date(self) -> date:
        day = int(self.normalized[6:8])
        if day > COORDINATION_DAY_OFFSET:
            day -= COORDINATION_DAY_OFFSET
        return date(int(self.normalized[:4]), int(self.normalized[4:6]), day)

    @property
    def serial(self) -> str:
        """NNN, the birth number."""
        return self.normalized[8:11]

    @property
    def check_digit(self) -> int:
        return int(self.normalized[11])

    @property
    def sex(self) -> str:
        """Third digit of NNN: odd = "man", even = "kvinna" (DOMAIN.md §7)."""
        return "man" if int(self.normalized[10]) % 2 else "kvinna"

    @property
    def ten_digit(self) -> str:
        """YYMMDD-NNNC, or YYMMDD+NNNC if the person is 100 or older on ``as_of``.

        The age-based "+" is the exact inverse of the century rule in :func:`parse`, so
        ``parse(p.ten_digit, today=p.as_of) == p``. (Skatteverket switches to "+" already
        on 1 January of the year the person turns 100; between that day and the
        birthday this property still gives "-".)
        """
        today = self.as_of or _today()
        born = self.birth_date
        centenary = (born.year + 100, born.month, born.day)
        separator = "+" if centenary <= (today.year, today.month, today.day) else "-"
        return f"{self.normalized[2:8]}{separator}{self.normalized[8:]}"


def _today() -> date:
    return datetime.now(STOCKHOLM).date()


def _real_date(year: int, month: int, day: int) -> date:
    """The birth date for the issued year/month/day; the day may be a samordning day."""
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET  # 61..91 → 1..31; date() below refuses the rest
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidPersonnummer("date") from None


def _month_day(head: str) -> tuple[int, int]:
    """(month, day of birth) from YYMMDD, the samordning offset removed."""
    day = int(head[4:6])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    return int(head[2:4]), day


def parse(value: str, *, today: date | None = None) -> Personnummer:
    """Parse and validate a personnummer or samordningsnummer (DOMAIN.md §7).

    Accepts YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC and YYYYMMDDNNNC with
    surrounding whitespace. Ten digits get their century from the separator and ``today``
    (default: today in Europe/Stockholm): "-" or none → the latest century that does not
    put the birth date in the future; "+" → 100 years before that. A "+" on twelve digits
    is accepted and changes nothing. Raises :class:`InvalidPersonnummer` (Swedish message)
    for wrong characters or length, an impossible date, a birth date after ``today`` or a
    wrong check digit – checked in that order.
    """
    if not isinstance(value, str):
        raise TypeError("parse() takes a string.")
    text = value.strip()
    if not text:
        raise InvalidPersonnummer("empty")
    if not _ALLOWED.fullmatch(text):
        raise InvalidPersonnummer("characters")
    digits = text.replace("-", "").replace("+", "")
    if len(digits) not in (10, 12):
        raise InvalidPersonnummer("length")
    match = _SHAPE.fullmatch(text)
    if match is None:
        raise InvalidPersonnummer("separator")

    if today is None:
        today = _today()
    head = match["date"]
    if len(head) == 8:
        year = int(head[:4])
    else:
        # §7 literally: "+" is always 100 years before what "-" would give. (Skatteverket
        # writes "+" from 1 January of the year someone turns 100, so such a number read
        # before that birthday lands a century too early; the literal rule is kept so
        # that "-" and "+" always differ by exactly 100 years.)
        # Compare (year, month, day) as tuples: the date may still turn out impossible.
        year = today.year - today.year % 100 + int(head[:2])
        if (year, *_month_day(head)) > (today.year, today.month, today.day):
            year -= 100
        if match["sep"] == "+":
            year -= 100
    month, issued_day = int(head[-4:-2]), int(head[-2:])
    birth = _real_date(year, month, issued_day)
    if birth > today:
        raise InvalidPersonnummer("future")

    normalized = f"{year:04d}{head[-4:]}{match['tail']}"
    if luhn_check_digit(normalized[2:11]) != int(normalized[11]):
        raise InvalidPersonnummer("check_digit")
    return Personnummer(normalized, as_of=today)
