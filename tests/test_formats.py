"""Swedish formats in one place (config/formats/sv/formats.py): month and weekday names in
lower case, and no template or module writing a date format of its own."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = ZoneInfo("Europe/Stockholm")
APPS = ["cases", "reporting", "workplans", "referrals", "config", "signin", "eservice"]


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("DATE_FORMAT", date(2026, 12, 1), "1 dec 2026"),
        ("DATE_FORMAT", date(2026, 10, 15), "15 okt 2026"),
        ("WEEKDAY_DATE_FORMAT", date(2026, 12, 1), "tis 1 dec"),
        (
            "WEEKDAY_DATETIME_FORMAT",
            datetime(2026, 12, 1, 9, 5, tzinfo=STOCKHOLM),
            "tis 1 dec 09:05",
        ),
        ("MONTH_DAY_FORMAT", date(2026, 10, 15), "15 okt"),
        ("LONG_DATE_FORMAT", date(2026, 12, 1), "1 december 2026"),
        ("YEAR_MONTH_FORMAT", date(2026, 3, 1), "mars 2026"),
        ("SHORT_DATE_FORMAT", date(2026, 3, 1), "2026-03-01"),
    ],
)
def test_swedish_formats_write_month_names_in_lower_case(name, value, shown):
    with translation.override("sv"):
        assert date_format(value, name) == shown
        assert Template(f'{{{{ d|date:"{name}" }}}}').render(Context({"d": value})) == shown


def test_a_date_without_a_format_is_the_swedish_date_format():
    with translation.override("sv"):
        assert Template("{{ d|date }}").render(Context({"d": date(2026, 12, 1)})) == "1 dec 2026"


# A format given in double quotes is for people and must be a name from the format module;
# single-quoted literals are machine values (<input type="date" value>, datetime="…").
SHOWN_FORMAT = re.compile(r"""\|(?:date|time):"([^"]*)\"""")
MACHINE_FORMATS = {"c", "Y-m-d", "Y-m", "U", "H:i"}
MACHINE_FORMAT = re.compile(r"""\|(?:date|time):'([^']*)'""")
PYTHON_FORMAT = re.compile(r"""(?:date_format|time_format)\([^)]*?,\s*["']([^"']*)["']""")


def test_templates_and_code_name_their_formats_instead_of_writing_them():
    from config.formats.sv import formats

    names = {name for name in dir(formats) if name.endswith("_FORMAT")}
    found = []
    templates = [*(ROOT / "templates").rglob("*.html")]
    templates += [path for app in APPS for path in (ROOT / app).rglob("templates/**/*.html")]
    for path in templates:
        text = path.read_text(encoding="utf-8")
        found += [(path, f) for f in SHOWN_FORMAT.findall(text) if f not in names]
        found += [(path, f) for f in MACHINE_FORMAT.findall(text) if f not in MACHINE_FORMATS]
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "/tests/" in str(path) or "/migrations/" in str(path):
                continue
            text = path.read_text(encoding="utf-8")
            found += [(path, f) for f in PYTHON_FORMAT.findall(text) if f not in names]
            found += [(path, "strftime") for _ in re.findall(r"\.strftime\(", text)]
    assert not found, [f"{path.relative_to(ROOT)}: {fmt}" for path, fmt in found]
