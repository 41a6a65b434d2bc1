"""Import of persons and households from a legacy system's CSV or XLSX file.

Two steps, both in ``reporting.jobs``: a dry run (``plan_import``) checks every row and
says what would be created, writing nothing; confirming (``import_apply``) checks again
and writes everything in one transaction – one bad row and nothing is imported, and the
row is reported (rows are numbered as in a spreadsheet: the header is row 1).

Columns (headers in any case, with or without å/ä/ö): hushall_id, fornamn, efternamn,
personnummer, fodelsedatum, roll (sokande, medsokande, barn, annan vuxen), fran_datum.
Each household has exactly one sökande, who starts the household on their from-date.
A person whose personnummer is already registered is linked, not created again; a
household id imported before into the unit is refused, so a file imported twice does not
create anything twice. Writes go through ``cases.services.people``.

The file is checked before anything parses it (``cases.spreadsheets.check_upload``: size,
for XLSX the inflated size and compression ratio of every zip entry, the row count), once
when it is uploaded and again in the job, which alone parses it – in Celery, under the
task's time limit (``reporting.tasks``), never in the request.

Messages are Swedish and never repeat a personnummer; nothing here logs row contents.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

import tablib
from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV

from cases.models import HouseholdMember, Person, Unit, User
from cases.personnummer import InvalidPersonnummer, parse
from cases.services.people import household_create, household_member_add, person_save
from cases.spreadsheets import UploadLimits, UploadRefused, check_upload, iter_xlsx_rows
from reporting.models_jobs import ExportImportJob, LegacyHousehold
from reporting.resources import PersonHouseholdImportResource, normalise_header

NAME_MAX_LENGTH = 100
PROGRESS_EVERY = 200
LINE = "_rad"  # where read_rows keeps each row's number in the file

ProgressCallback = Callable[[int, int], None]

ROLE_LABELS = dict(HouseholdMember.Role.choices)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is Swedish."""


class ImportFailed(Exception):
    """A row could not be written; everything is rolled back."""

    def __init__(self, row: int, message: str):
        self.row = row
        self.message = message
        super().__init__(f"row {row}")


# ---------------------------------------------------------------------- reading


def file_format_for(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise ImportFileError(_("Filen ska vara en CSV- eller XLSX-fil."))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves CSV as cp1252
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Filens teckenkodning kunde inte läsas – spara den som UTF-8."))


def check_file(content: bytes, file_format: str) -> None:
    """Refuse a file before parsing it (``cases.spreadsheets.check_upload``)."""
    try:
        check_upload(BytesIO(content), file_format)
    except UploadRefused as error:
        raise ImportFileError(str(error)) from None


def _xlsx_dataset(content: bytes, max_rows: int) -> tablib.Dataset:
    rows = iter_xlsx_rows(content, max_rows=max_rows)
    dataset = tablib.Dataset()
    header = next(rows, None)
    dataset.headers = list(header) if header else []
    for values in rows:
        dataset.append(values)
    return dataset


def read_rows(content: bytes, file_format: str) -> list[dict]:
    """The data rows as dicts keyed by normalised header (``"fornamn"``); the file is
    checked first and never read past the row limit."""
    check_file(content, file_format)
    max_rows = UploadLimits.from_settings().max_rows
    try:
        if file_format == "xlsx":
            dataset = _xlsx_dataset(content, max_rows)
        else:
            text = _decode(content)
            first_line = text.split("\n", 1)[0]
            delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
            dataset = CSV().create_dataset(text, delimiter=delimiter)
    except UploadRefused as error:
        raise ImportFileError(str(error)) from None
    except (ImportFileError, SoftTimeLimitExceeded):
        raise  # the task's time limit is the job's to report, not the file's
    except Exception:  # noqa: BLE001 – whatever breaks while parsing, the file is at fault
        # No details: the parser's message may quote the file's contents.
        raise ImportFileError(
            _("Filen kunde inte läsas. Kontrollera att den är en CSV- eller XLSX-fil.")
        ) from None
    headers = [normalise_header(h) for h in (dataset.headers or [])]
    missing = [
        name for name in PersonHouseholdImportResource.REQUIRED_COLUMNS if name not in headers
    ]
    if missing:
        raise ImportFileError(
            _("Filen saknar kolumnen eller kolumnerna: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if "personnummer" not in headers and "fodelsedatum" not in headers:
        raise ImportFileError(_("Filen behöver kolumnen personnummer eller fodelsedatum."))
    rows = []
    for index, values in enumerate(dataset):
        if all(value in (None, "") or str(value).strip() == "" for value in values):
            continue  # blank lines at the end of a spreadsheet
        # Row numbers as the spreadsheet shows them: the header is row 1.
        rows.append({**dict(zip(headers, values, strict=False)), LINE: index + 2})
    if not rows:
        raise ImportFileError(_("Filen innehåller inga rader att importera."))
    if len(rows) > max_rows:
        raise ImportFileError(
            _("Filen har fler än %(max)s rader – dela upp den.")
            % {"max": f"{max_rows:,}".replace(",", " ")}
        )
    return rows


# ---------------------------------------------------------------------- checking


@dataclass
class PlannedRow:
    row: int
    household: str
    first_name: str
    last_name: str
    personnummer: str | None  # normalised, YYYYMMDDNNNC
    birth_date: date | None
    role: str | None
    valid_from: date | None
    existing_person_id: int | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def identity(self) -> str:
        if self.personnummer:
            return f"{self.personnummer[:8]}-{self.personnummer[8:]}"
        return f"född {self.birth_date:%Y-%m-%d}" if self.birth_date else ""

    @property
    def action(self) -> str:
        if self.errors:
            return _("Fel")
        if self.existing_person_id:
            return _("Befintlig person kopplas")
        return _("Ny person")

    def as_report(self) -> dict:
        return {
            "row": self.row,
            "household": self.household,
            "name": f"{self.first_name} {self.last_name}".strip(),
            "identity": self.identity,
            "role": str(ROLE_LABELS.get(self.role, "")) if self.role else "",
            "valid_from": self.valid_from.isoformat() if self.valid_from else "",
            "action": self.action,
            "errors": self.errors,
            "notes": self.notes,
        }


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    @property
    def error_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def households(self) -> dict[str, list[PlannedRow]]:
        grouped: dict[str, list[PlannedRow]] = defaultdict(list)
        for row in self.rows:
            grouped[row.household].append(row)
        return grouped

    def summary(self) -> dict:
        valid = [row for row in self.rows if not row.errors]
        return {
            "rows": len(self.rows),
            "error_rows": len(self.error_rows),
            "households": len(self.households()),
            "persons_new": sum(1 for row in valid if not row.existing_person_id),
            "persons_linked": sum(1 for row in valid if row.existing_person_id),
        }

    def as_report(self) -> dict:
        return {"summary": self.summary(), "rows": [row.as_report() for row in self.rows]}


def _check_row(values: dict, line: int, field_errors: dict[str, str], today: date) -> PlannedRow:
    planned = PlannedRow(
        row=line,
        household=values.get("hushall_id") or "",
        first_name=values.get("fornamn") or "",
        last_name=values.get("efternamn") or "",
        personnummer=None,
        birth_date=values.get("fodelsedatum"),
        role=values.get("roll"),
        valid_from=values.get("fran_datum"),
        errors=list(field_errors.values()),
    )
    errors = planned.errors
    if not planned.household:
        errors.append(_("Ange hushållets id (hushall_id)."))
    for value, label in ((planned.first_name, _("förnamn")), (planned.last_name, _("efternamn"))):
        if not value:
            errors.append(_("Ange %(field)s.") % {"field": label})
        elif len(value) > NAME_MAX_LENGTH:
            errors.append(
                _("%(field)s får vara högst %(max)s tecken.")
                % {"field": label.capitalize(), "max": NAME_MAX_LENGTH}
            )
    raw_number = values.get("personnummer") or ""
    if raw_number:
        try:
            number = parse(raw_number, today=today)
        except InvalidPersonnummer as error:
            errors.append(_("Personnummer: %(message)s") % {"message": error})
        else:
            planned.personnummer = number.normalized
            if planned.birth_date and planned.birth_date != number.birth_date:
                errors.append(_("Födelsedatumet stämmer inte med personnumret."))
            planned.birth_date = number.birth_date
    elif not planned.birth_date and "fodelsedatum" not in field_errors:
        errors.append(_("Ange personnummer eller födelsedatum."))
    if planned.birth_date and planned.birth_date > today:
        errors.append(_("Födelsedatumet ligger i framtiden."))
    if planned.valid_from is None and "fran_datum" not in field_errors:
        errors.append(_("Ange från-datum (fran_datum)."))
    if planned.valid_from and planned.valid_from > today:
        errors.append(_("Från-datumet ligger i framtiden."))
    return planned


def _check_households(plan: ImportPlan) -> None:
    for legacy_id, rows in plan.households().items():
        if not legacy_id:
            continue
        applicants = [row for row in rows if row.role == HouseholdMember.Role.APPLICANT]
        co_applicants = [row for row in rows if row.role == HouseholdMember.Role.CO_APPLICANT]
        if not applicants:
            if not any(row.role is None for row in rows):
                rows[0].errors.append(
                    _("Hushåll %(id)s har ingen sökande – en rad ska ha rollen sokande.")
                    % {"id": legacy_id}
                )
        for extra in applicants[1:]:
            extra.errors.append(
                _("Hushåll %(id)s har redan en sökande (rad %(row)s).")
                % {"id": legacy_id, "row": applicants[0].row}
            )
        for extra in co_applicants[1:]:
            extra.errors.append(
                _("Hushåll %(id)s har redan en medsökande (rad %(row)s).")
                % {"id": legacy_id, "row": co_applicants[0].row}
            )


def _check_against_register(plan: ImportPlan, *, unit: Unit, actor: User) -> None:
    numbers = {row.personnummer for row in plan.rows if row.personnummer}
    existing = dict(
        Person.objects.filter(personnummer__in=numbers).values_list("personnummer", "pk")
    )
    # Linkable: persons whose existence the importer may know (not a protected identity
    # without a grant) and who are not another unit's – households are never shared
    # across units; such a person is transferred first (cases.services.people).
    visible = set(
        Person.objects.known_to_lookup(actor)
        .filter(pk__in=existing.values())
        .filter(models.Q(unit__isnull=True) | models.Q(unit=unit))
        .values_list("pk", flat=True)
    )
    imported = dict(
        LegacyHousehold.objects.filter(
            unit=unit, legacy_id__in=[row.household for row in plan.rows]
        ).values_list("legacy_id", "imported_at")
    )
    for row in plan.rows:
        if row.household in imported:
            row.errors.append(
                _("Hushåll %(id)s importerades redan %(date)s.")
                % {
                    "id": row.household,
                    "date": date_format(
                        timezone.localtime(imported[row.household]), "SHORT_DATE_FORMAT"
                    ),
                }
            )
        person_id = existing.get(row.personnummer) if row.personnummer else None
        if person_id is None:
            continue
        if person_id not in visible:
            # A protected identity the importer has no grant for: neither linked nor
            # described (DOMAIN.md §8) – registering it is for someone with access.
            row.errors.append(
                _("Personen kan inte kopplas automatiskt – registrera den för hand i Vägen.")
            )
            continue
        row.existing_person_id = person_id
        row.notes.append(_("Finns redan i Vägen – kopplas, uppgifterna i registret behålls."))


def plan_import(
    rows: list[dict],
    *,
    unit: Unit,
    actor: User,
    today: date | None = None,
    progress: ProgressCallback | None = None,
) -> ImportPlan:
    """Check every row; writes nothing."""
    today = today or timezone.localdate()
    resource = PersonHouseholdImportResource()
    plan = ImportPlan(rows=[])
    seen_numbers: dict[str, int] = {}
    for index, raw in enumerate(rows):
        line = raw.get(LINE, index + 2)
        values, field_errors = resource.clean_row(raw)
        planned = _check_row(values, line, field_errors, today)
        if planned.personnummer:
            if planned.personnummer in seen_numbers:
                planned.errors.append(
                    _("Personnumret finns redan på rad %(row)s.")
                    % {"row": seen_numbers[planned.personnummer]}
                )
            else:
                seen_numbers[planned.personnummer] = line
        plan.rows.append(planned)
        if progress is not None and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1, len(rows))
    _check_households(plan)
    _check_against_register(plan, unit=unit, actor=actor)
    return plan


# ---------------------------------------------------------------------- writing


@transaction.atomic
def import_apply(plan: ImportPlan, *, unit: Unit, actor: User, job: ExportImportJob) -> dict:
    """Write a checked plan: all rows or none. Raises ``ImportFailed`` – and so rolls
    everything back – at the first row that cannot be written."""
    if not plan.ok:
        first = plan.error_rows[0] if plan.error_rows else None
        raise ImportFailed(first.row if first else 0, first.errors[0] if first else "")
    existing = Person.objects.in_bulk(
        [row.existing_person_id for row in plan.rows if row.existing_person_id]
    )
    created = {"households": 0, "persons_new": 0, "persons_linked": 0}
    for legacy_id, rows in plan.households().items():
        applicant = next(row for row in rows if row.role == HouseholdMember.Role.APPLICANT)
        household = None
        for row in [applicant] + [row for row in rows if row is not applicant]:
            try:
                if row.existing_person_id:
                    person = existing[row.existing_person_id]
                else:
                    person = person_save(
                        Person(
                            first_name=row.first_name,
                            last_name=row.last_name,
                            personnummer=row.personnummer,
                            birth_date=row.birth_date,
                        ),
                        actor=actor,
                    )
                if household is None:
                    household = household_create(
                        applicant=person, unit=unit, valid_from=row.valid_from, actor=actor
                    )
                    LegacyHousehold.objects.create(
                        unit=unit, legacy_id=legacy_id, household=household, job=job
                    )
                    created["households"] += 1
                else:
                    household_member_add(
                        household,
                        person=person,
                        role=row.role,
                        valid_from=row.valid_from,
                        actor=actor,
                    )
            except IntegrityError:
                # Someone registered the person or imported the household after the
                # check; leaving the block with an exception rolls back every row.
                raise ImportFailed(
                    row.row,
                    _(
                        "Raden kunde inte sparas – personen eller hushållet har registrerats "
                        "under tiden. Gör en ny provkörning."
                    ),
                ) from None
            except (KeyError, ValueError):
                raise ImportFailed(
                    row.row, _("Raden kunde inte sparas – gör en ny provkörning.")
                ) from None
            created["persons_linked" if row.existing_person_id else "persons_new"] += 1
    return created


def failed_report(plan: ImportPlan | None, failure: ImportFailed) -> dict:
    """The report of an import that wrote nothing: the plan's rows, with the failing row
    marked."""
    report = plan.as_report() if plan is not None else {"summary": {}, "rows": []}
    for row in report["rows"]:
        if row["row"] == failure.row and failure.message not in row["errors"]:
            row["errors"] = [*row["errors"], failure.message]
            row["action"] = _("Fel")
    report["summary"]["error_rows"] = sum(1 for row in report["rows"] if row["errors"])
    report["failed_row"] = failure.row
    return report
