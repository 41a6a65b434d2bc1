"""Every spreadsheet file Vägen writes, and the checks every uploaded one passes before
anything parses it (issue 13; STYLE.md "Every file Vägen writes for a spreadsheet goes
through one writer").

Writing – ``csv_text``, ``csv_bytes`` and ``xlsx_bytes`` are the only ways a CSV or XLSX
file is made (the case export, the indicators, the monthly statistics, the payment
file). Each text cell goes through ``neutralise``: a value beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP "CSV injection"),
so a name typed as ``=HYPERLINK(…)`` is shown as text and never run by Excel or
LibreOffice. Numbers and dates are written as numbers and dates – Vägen produces them,
nobody types them – and are left alone; a caller must therefore pass an amount as a
``Decimal``, never as a preformatted string.

Reading – ``check_upload`` looks at the file without parsing it: its size, and for XLSX
(a zip archive) the declared uncompressed size and compression ratio of every entry from
the zip's central directory, plus the row count the sheets declare; for CSV the number of
lines. A "zip bomb" (60 kB that inflates to 60 MB) is refused in milliseconds. The
declared sizes are enough: Python's ``zipfile`` – which openpyxl reads through – never
returns more bytes than an entry declares, and fails on a CRC mismatch. ``iter_xlsx_rows``
then reads the first sheet in openpyxl's streaming mode, never more rows than allowed.
Parsing happens in a Celery task with a time limit (``reporting.tasks``), never in the
request. The limits are settings (``VAGEN_UPLOAD_*``).
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Characters an XLSX file cannot hold (XML 1.0 forbids them); openpyxl would refuse the
# whole file because of one stray control character in a name.
_ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# How much of a worksheet's XML is read to find its <dimension ref="A1:G120"/>.
_DIMENSION_PEEK_BYTES = 4096
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")
_MAX_ZIP_ENTRIES = 1000


# ----------------------------------------------------------------------- writing


def neutralise(value):
    """A text cell a spreadsheet would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_cell(value, decimal_separator: str):
    if value is None:
        return ""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return f"{value:.2f}".replace(".", decimal_separator)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(str(value))


def csv_text(
    rows: Iterable[Sequence],
    *,
    header: Sequence[str] | None = None,
    delimiter: str = ";",
    decimal_separator: str = ",",
) -> str:
    """A CSV file as text: ``;`` between columns, CRLF line ends, text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow([_csv_cell(name, decimal_separator) for name in header])
    for row in rows:
        writer.writerow([_csv_cell(value, decimal_separator) for value in row])
    return out.getvalue()


def csv_bytes(
    rows: Iterable[Sequence],
    *,
    header: Sequence[str] | None = None,
    delimiter: str = ";",
    decimal_separator: str = ",",
    byte_order_mark: bool = True,
) -> bytes:
    """``csv_text`` as UTF-8 – with a byte-order mark by default, so Excel reads å, ä, ö."""
    text = csv_text(rows, header=header, delimiter=delimiter, decimal_separator=decimal_separator)
    return text.encode("utf-8-sig" if byte_order_mark else "utf-8")


def neutralise_csv_text(text: str, *, delimiter: str = ";") -> str:
    """A CSV file written before this module existed (e.g. a stored payment file), read
    and written again with its text cells neutralised; cells that are plain numbers
    (``-12.50``, ``1200``) stay as they are."""
    number = re.compile(r"^-?\d+(?:[.,]\d+)?$")
    rows = [
        [cell if number.match(cell) else neutralise(cell) for cell in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _xlsx_cell(value):
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML_CHARACTERS.sub("", value))
    if value is None or isinstance(value, int | float | Decimal | date | datetime):
        return value
    return neutralise(_ILLEGAL_XML_CHARACTERS.sub("", str(value)))


def xlsx_bytes(
    rows: Iterable[Sequence], *, header: Sequence[str] | None = None, sheet_title: str = "Blad1"
) -> bytes:
    """An XLSX file with one sheet; numbers and dates as real cells, text neutralised."""
    from openpyxl import Workbook  # imported here: only exports and imports need it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31])
    if header is not None:
        sheet.append([_xlsx_cell(name) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------- reading


class UploadRefused(ValueError):
    """The uploaded file is refused before it is parsed; the message is Swedish."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int  # the file as uploaded
    max_uncompressed_bytes: int  # XLSX: all zip entries together, inflated
    max_compression_ratio: int  # XLSX: inflated / compressed, per entry
    max_rows: int  # data rows, the header not counted

    @classmethod
    def from_settings(cls) -> "UploadLimits":
        return cls(
            max_bytes=settings.VAGEN_UPLOAD_MAX_BYTES,
            max_uncompressed_bytes=settings.VAGEN_UPLOAD_MAX_UNCOMPRESSED_BYTES,
            max_compression_ratio=settings.VAGEN_UPLOAD_MAX_COMPRESSION_RATIO,
            max_rows=settings.VAGEN_UPLOAD_MAX_ROWS,
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _too_many_rows(max_rows: int) -> UploadRefused:
    return UploadRefused(
        _("Filen har fler än %(max)s rader – dela upp den.")
        % {"max": f"{max_rows:,}".replace(",", " ")}
    )


def _size_of(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def check_upload(
    handle: IO[bytes], file_format: str, *, limits: UploadLimits | None = None
) -> None:
    """Refuse a file that is too large, inflates too much or has too many rows – without
    parsing it. ``handle`` is a seekable binary file (an upload, a stored file, BytesIO);
    it is left at its start. Raises ``UploadRefused``."""
    limits = limits or UploadLimits.from_settings()
    size = _size_of(handle)
    if size > limits.max_bytes:
        raise UploadRefused(
            _("Filen är för stor (högst %(mb)s MB).") % {"mb": _megabytes(limits.max_bytes)}
        )
    try:
        if file_format == "xlsx":
            _check_xlsx(handle, limits)
        elif file_format == "csv":
            _check_csv(handle, limits)
        else:
            raise UploadRefused(_("Filen ska vara en CSV- eller XLSX-fil."))
    finally:
        handle.seek(0)


def _check_csv(handle: IO[bytes], limits: UploadLimits) -> None:
    lines = 0
    for chunk in iter(lambda: handle.read(64 * 1024), b""):
        lines += chunk.count(b"\n")
    if lines > limits.max_rows + 1:  # the header, and a last line without a line end
        raise _too_many_rows(limits.max_rows)


def _check_xlsx(handle: IO[bytes], limits: UploadLimits) -> None:
    unreadable = UploadRefused(
        _("Filen kunde inte läsas. Kontrollera att den är en CSV- eller XLSX-fil.")
    )
    try:
        archive = zipfile.ZipFile(handle)  # reads the central directory only
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    with archive:
        entries = archive.infolist()
        if len(entries) > _MAX_ZIP_ENTRIES:
            raise unreadable
        total = 0
        for entry in entries:
            if entry.file_size > limits.max_compression_ratio * max(entry.compress_size, 1):
                raise UploadRefused(
                    _(
                        "Filen är packad ovanligt hårt (mer än %(ratio)s gånger) och läses "
                        "inte. Spara den på nytt i Excel eller som CSV."
                    )
                    % {"ratio": limits.max_compression_ratio}
                )
            total += entry.file_size
            if total > limits.max_uncompressed_bytes:
                raise UploadRefused(
                    _("Filen blir för stor när den packas upp (högst %(mb)s MB).")
                    % {"mb": _megabytes(limits.max_uncompressed_bytes)}
                )
        for entry in entries:
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                try:
                    with archive.open(entry) as sheet:
                        start = sheet.read(_DIMENSION_PEEK_BYTES)
                except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                    raise unreadable from None
                found = _DIMENSION.search(start)
                if found and int(found.group(1)) > limits.max_rows + 1:
                    raise _too_many_rows(limits.max_rows)


def iter_xlsx_rows(content: bytes, *, max_rows: int) -> Iterator[tuple]:
    """The first sheet's rows as tuples of values, header first, read in openpyxl's
    streaming mode; raises ``UploadRefused`` at the first row past ``max_rows`` data
    rows (a sheet's declared size may lie). Call ``check_upload`` first."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.active
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            if index > max_rows:
                raise _too_many_rows(max_rows)
            yield row
    finally:
        book.close()
