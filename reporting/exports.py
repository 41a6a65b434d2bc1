"""Exports of the case list and the indicator tables to CSV and XLSX.

Rules (issue 8, DOMAIN.md §8):

- Rows come from ``Case.objects.visible_to(user)`` (through ``cases.selectors.case_list``)
  and nothing else: a case of another unit or a protected identity the user has no grant
  for is never in a file. The indicators are the unit's, for its unit manager.
- The files are written by ``cases.spreadsheets`` – the one writer of every CSV and XLSX
  file – which neutralises formula injection: a text cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'`` in CSV and XLSX alike, so
  a name typed as ``=HYPERLINK(…)`` is shown as text and never run. Numbers and dates are
  written as numbers and dates (they are produced here, never typed by anyone).
- Every export is access-logged by the view that hands the file out (``subject_type``
  "export", ``subject_id`` the number of rows).

CSV files are for Swedish spreadsheets: ``;`` between columns, decimal comma, UTF-8 with
a byte-order mark.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import tablib
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from cases.access_rules import Viewer, mask_hidden_applicants
from cases.models import Application, Unit, User
from cases.request_context import current_viewer
from cases.selectors import case_list
from cases.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from cases.spreadsheets import neutralise as neutralise
from reporting.indicators import unit_indicators
from reporting.resources import CaseExportResource, IndicatorExportResource, IndicatorRow

CSV_DELIMITER = ";"
PROGRESS_EVERY = 200  # rows between progress updates of a job

ProgressCallback = Callable[[int, int], None]

CONTENT_TYPES = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


# ----------------------------------------------------------------------- the rows


def case_export_queryset(user: User, *, only_mine: bool = False) -> QuerySet:
    """The cases ``user`` may see – ``Case.objects.visible_to`` through the case list's
    selector – with the latest application's calculated amount."""
    latest = Application.objects.filter(case_id=OuterRef("pk")).order_by("-month")
    return case_list(user, mine=only_mine).annotate(
        latest_amount=Subquery(latest.values("result")[:1])
    )


def indicator_rows(unit: Unit, *, last_month: date | None = None) -> list[IndicatorRow]:
    return [
        IndicatorRow(indicator, point)
        for indicator in unit_indicators(unit, last_month=last_month)
        for point in indicator.points
    ]


def build_dataset(
    resource,
    rows: Iterable,
    *,
    total: int,
    progress: ProgressCallback | None = None,
) -> tablib.Dataset:
    """The resource's columns for each row, in their own types (``render`` neutralises);
    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows."""
    dataset = tablib.Dataset(headers=resource.get_export_headers())
    for done, row in enumerate(rows, start=1):
        dataset.append(list(resource.export_resource(row)))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    return dataset


# ----------------------------------------------------------------------- the files


def render(dataset: tablib.Dataset, file_format: str) -> bytes:
    """The file, through the one neutralising writer (``cases.spreadsheets``)."""
    if file_format == "xlsx":
        return xlsx_bytes(dataset, header=dataset.headers)
    if file_format != "csv":
        raise ValueError(f"unknown export format {file_format!r}")
    return csv_bytes(dataset, header=dataset.headers, delimiter=CSV_DELIMITER)


def _filename(stem: str, unit: Unit | None, file_format: str) -> str:
    unit_part = f"-{unit.code}" if unit is not None else ""
    return f"{stem}{unit_part}-{timezone.localdate():%Y-%m-%d}.{file_format}"


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def case_export(
    user: User,
    *,
    file_format: str,
    only_mine: bool = False,
    progress: ProgressCallback | None = None,
) -> ExportFile:
    cases = case_export_queryset(user, only_mine=only_mine)
    total = cases.count()
    # The file is written for ``user`` – also in a Celery task – so a protected applicant
    # they hold no grant for is "Skyddad identitet" in it, as on their pages.
    token = current_viewer.set(Viewer(user))
    try:
        rows = (
            row
            for chunk in _chunks(cases.iterator(chunk_size=500), 500)
            for row in mask_hidden_applicants(chunk)
        )
        dataset = build_dataset(CaseExportResource(), rows, total=total, progress=progress)
    finally:
        current_viewer.reset(token)
    return ExportFile(
        content=render(dataset, file_format),
        filename=_filename("arenden", user.unit, file_format),
        content_type=CONTENT_TYPES[file_format],
        rows=len(dataset),
    )


def indicator_export(
    unit: Unit,
    *,
    file_format: str,
    last_month: date | None = None,
    progress: ProgressCallback | None = None,
) -> ExportFile:
    rows = indicator_rows(unit, last_month=last_month)
    dataset = build_dataset(IndicatorExportResource(), rows, total=len(rows), progress=progress)
    return ExportFile(
        content=render(dataset, file_format),
        filename=_filename("indikatorer", unit, file_format),
        content_type=CONTENT_TYPES[file_format],
        rows=len(dataset),
    )


def export_row_count(kind: str, user: User, *, only_mine: bool = False) -> int:
    """How many rows an export will have – to decide whether it runs as a job."""
    from reporting.models_jobs import ExportImportJob

    if kind == ExportImportJob.Kind.EXPORT_CASES:
        return case_export_queryset(user, only_mine=only_mine).count()
    return 0  # the indicator tables are always small (12 months × a few indicators)
