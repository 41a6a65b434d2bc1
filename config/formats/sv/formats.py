"""Swedish date and time formats: the one place Vägen says how a date looks.

Templates name a format – ``{{ day|date:"DATE_FORMAT" }}`` – and Python code calls
``django.utils.formats.date_format(value, "DATE_FORMAT")``; nobody writes "j F Y" or
strftime in a view or template (tests/test_formats.py fails on a literal format).
Django looks a name up here first (settings.FORMAT_MODULE_PATH) and then in its own
``django.conf.locale.sv.formats`` (input formats, separators).

Swedish writes month and weekday names in lower case ("1 dec 2026", "tis 1 dec"):
"b" is Django's lower-case three-letter month; "M" would give "Dec". Numeric dates follow
SS-ISO 8601 ("2026-12-01"), as Swedish authorities write them in tables.
"""

# Django's named formats (also used by the admin and by {{ value }} without a filter).
DATE_FORMAT = "j b Y"  # 1 dec 2026
DATETIME_FORMAT = "j b Y H:i"  # 1 dec 2026 14:05
TIME_FORMAT = "H:i"  # 14:05
SHORT_DATE_FORMAT = "Y-m-d"  # 2026-12-01 – tables and lists
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2026-12-01 14:05
YEAR_MONTH_FORMAT = "F Y"  # december 2026
MONTH_DAY_FORMAT = "j b"  # 1 dec

# Vägen's own names (get_format finds any name in this module).
SHORT_YEAR_MONTH_FORMAT = "Y-m"  # 2026-12 – month columns in tables
MONTH_ABBREVIATION_FORMAT = "b"  # dec – chart axis labels
MONTH_DAY_TIME_FORMAT = "j b H:i"  # 1 dec 14:05
WEEKDAY_DATE_FORMAT = "D j b"  # tis 1 dec
WEEKDAY_DATETIME_FORMAT = "D j b H:i"  # tis 1 dec 14:05 – deadlines this week
WEEKDAY_DATETIME_YEAR_FORMAT = "D j b Y H:i"  # tis 1 dec 2026 14:05 – meetings
LONG_DATE_FORMAT = "j F Y"  # 1 december 2026 – letters (PDF)
LONG_WEEKDAY_DATE_FORMAT = "l j F Y"  # tisdag 1 december 2026
LONG_WEEKDAY_DATETIME_FORMAT = "l j F Y \\k\\l. H:i"  # tisdag 1 december 2026 kl. 14:05
LOG_DATETIME_FORMAT = "Y-m-d H:i:s"  # access log: to the second
LOG_TIME_FORMAT = "H:i:s"
