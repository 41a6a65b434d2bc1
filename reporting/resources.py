"""django-import-export resources for the unit's exports and the person import.

The export resources say which columns a file has and what goes in them; which rows
they get is decided elsewhere (``reporting.exports``: ``Case.objects.visible_to`` and
nothing else). Values are returned in their own type (dates, numbers) so an XLSX file
gets real dates and numbers; ``reporting.exports`` neutralises text that a spreadsheet
would run as a formula.

``PersonHouseholdImportResource`` declares the legacy file's columns with the
import-export widgets that clean them; ``reporting.imports`` checks the rows and writes
them through the people services.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from cases.models import Case, HouseholdMember
from reporting.indicators import Indicator, Point


def _column(name: str, getter) -> fields.Field:
    return fields.Field(column_name=name, dehydrate_method=getter)


class CaseExportResource(resources.ModelResource):
    """The case list (one row per case). Expects the annotations of
    ``reporting.exports.case_export_queryset``."""

    reference = _column("Ärendenummer", lambda case: case.reference)
    applicant = _column(
        "Sökande",
        lambda case: f"{case.applicant_first or ''} {case.applicant_last or ''}".strip(),
    )
    status_label = _column("Status", lambda case: case.get_status_display())
    opened = _column("Öppnat", lambda case: case.opened_on)
    caseworker_name = _column(
        "Handläggare",
        lambda case: case.caseworker.get_full_name() if case.caseworker else "",
    )
    latest_application = _column(
        "Senaste ansökan (månad)",
        lambda case: f"{case.latest_month:%Y-%m}" if case.latest_month else "",
    )
    latest_amount = _column(
        "Beräknat bistånd senaste ansökan (kr)",
        lambda case: case.latest_amount if case.latest_amount is not None else "",
    )

    class Meta:
        model = Case
        fields = (
            "reference",
            "applicant",
            "status_label",
            "opened",
            "caseworker_name",
            "latest_application",
            "latest_amount",
        )


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    point: Point


def _number(value):
    return "" if value is None else value


class IndicatorExportResource(resources.Resource):
    """The indicator tables: one row per indicator and month."""

    title = _column("Indikator", lambda row: row.indicator.title)
    month = _column("Månad", lambda row: f"{row.point.month:%Y-%m}")
    value = _column("Värde", lambda row: _number(row.point.value))
    measure = _column("Enhet", lambda row: row.indicator.unit)
    numerator = _column("Täljare", lambda row: row.point.numerator)
    denominator = _column("Nämnare", lambda row: row.point.denominator)
    target = _column("Mål", lambda row: _number(row.indicator.target))

    class Meta:
        fields = ("title", "month", "value", "measure", "numerator", "denominator", "target")


# ------------------------------------------------------------------------ the import

ROLES = {
    "sokande": HouseholdMember.Role.APPLICANT,
    "medsokande": HouseholdMember.Role.CO_APPLICANT,
    "barn": HouseholdMember.Role.CHILD,
    "annan vuxen": HouseholdMember.Role.OTHER_ADULT,
}


def normalise_header(value) -> str:
    """ "Förnamn", "FORNAMN " and "fornamn" are the same column."""
    text = str(value or "").strip().lower()
    for swedish, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        text = text.replace(swedish, plain)
    return text.replace(" ", "_").replace("-", "_")


class RoleWidget(widgets.Widget):
    """sokande / medsokande / barn / annan vuxen – with or without å, ä, ö, any case."""

    def clean(self, value, row=None, **kwargs):
        text = normalise_header(value).replace("_", " ")
        if not text:
            raise ValueError(_("Ange roll (sokande, medsokande, barn eller annan vuxen)."))
        if text not in ROLES:
            raise ValueError(_("Okänd roll – använd sokande, medsokande, barn eller annan vuxen."))
        return ROLES[text]


class SwedishDateWidget(widgets.DateWidget):
    """ÅÅÅÅ-MM-DD (or a real date cell in XLSX), with a Swedish message."""

    def __init__(self, label: str):
        super().__init__(format="%Y-%m-%d")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if value is None or not str(value).strip():
            return None
        try:
            return datetime.strptime(str(value).strip(), "%Y-%m-%d").date()  # noqa: DTZ007 – a date
        except ValueError:
            raise ValueError(
                _("%(label)s ska skrivas ÅÅÅÅ-MM-DD.") % {"label": self.label}
            ) from None


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed in Excel: "17", not "17.0"
        return str(value).strip()


class PersonHouseholdImportResource(resources.Resource):
    """The legacy system's columns, cleaned by import-export widgets."""

    hushall_id = fields.Field(attribute="hushall_id", column_name="hushall_id", widget=TextWidget())
    fornamn = fields.Field(attribute="fornamn", column_name="fornamn", widget=TextWidget())
    efternamn = fields.Field(attribute="efternamn", column_name="efternamn", widget=TextWidget())
    personnummer = fields.Field(
        attribute="personnummer", column_name="personnummer", widget=TextWidget()
    )
    fodelsedatum = fields.Field(
        attribute="fodelsedatum",
        column_name="fodelsedatum",
        widget=SwedishDateWidget(gettext_lazy("Födelsedatum")),
    )
    roll = fields.Field(attribute="roll", column_name="roll", widget=RoleWidget())
    fran_datum = fields.Field(
        attribute="fran_datum",
        column_name="fran_datum",
        widget=SwedishDateWidget(gettext_lazy("Från-datum")),
    )

    REQUIRED_COLUMNS = ("hushall_id", "fornamn", "efternamn", "roll", "fran_datum")
    OPTIONAL_COLUMNS = ("personnummer", "fodelsedatum")

    class Meta:
        fields = (
            "hushall_id",
            "fornamn",
            "efternamn",
            "personnummer",
            "fodelsedatum",
            "roll",
            "fran_datum",
        )

    def clean_row(self, row: dict) -> tuple[dict, dict[str, str]]:
        """The cleaned values, and a Swedish message per column that could not be read."""
        values, errors = {}, {}
        for name, field in self.fields.items():
            try:
                values[name] = field.widget.clean(row.get(name))
            except ValueError as error:
                values[name] = None
                errors[name] = str(error)
        return values, errors
