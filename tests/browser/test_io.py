"""The unit manager imports households from a legacy file (a bad row first: nothing is
imported; then the corrected file) and exports the case list – at once, and as a
background job whose page follows the progress until the file can be downloaded."""

import csv
import io

from playwright.sync_api import expect

from cases.demo import DEMO_PASSWORD
from cases.models import Household, Person
from reporting import jobs
from reporting.models_jobs import ExportImportJob, LegacyHousehold
from reporting.tasks import run_export_import_job
from tests.browser.test_login import log_in

HEADER = "hushall_id;fornamn;efternamn;personnummer;fodelsedatum;roll;fran_datum"
TOLVAN = "H100;Tolvan;Tolvansson;19121212-1212;;sokande;2025-01-01"
SVEN = "H200;Sven;Import;;1980-06-15;sokande;2025-03-01"
NOVA_BAD = "H100;Nova;Tolvansson;19121212-1213;;barn;2025-01-01"  # wrong check digit
NOVA = "H100;Nova;Tolvansson;;2018-04-01;barn;2025-01-01"


def _run_worker(kind="import_persons"):
    """The Celery worker's part, in this process: the upload only queued the job."""
    job = ExportImportJob.objects.filter(kind=kind).latest("pk")
    assert job.state == "queued"
    run_export_import_job.apply(args=[job.pk])


def _write(tmp_path, name, *lines):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_unit_manager_imports_households_and_exports_cases(
    page, live_server, demo_data, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    persons_before, households_before = Person.objects.count(), Household.objects.count()
    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    page.get_by_role("link", name="Export och import").click()
    page.get_by_role("link", name="Importera personer och hushåll").click()

    # A file with one bad row: the dry run names the row in Swedish, nothing is imported.
    upload = page.get_by_label("Fil från det tidigare systemet (CSV eller XLSX)")
    upload.set_input_files(_write(tmp_path, "hushall.csv", TOLVAN, NOVA_BAD, SVEN))
    page.get_by_role("button", name="Provkör importen").click()
    expect(page.locator("progress")).to_be_visible()  # queued: parsed only by the worker
    _run_worker()
    expect(page.get_by_role("alert")).to_contain_text("fel på 1 av 3 rader")  # htmx polled
    expect(page.get_by_role("alert")).to_contain_text("Ingenting har importerats")
    expect(page.locator("tr.row--alert")).to_contain_text(
        "Rad 3: Personnummer: Kontrollsiffran stämmer inte"
    )
    expect(page.get_by_role("button", name="Importera", exact=False)).to_have_count(0)
    assert (Person.objects.count(), Household.objects.count()) == (
        persons_before,
        households_before,
    )

    # The corrected file: preview, then the import.
    page.get_by_role("link", name="Ladda upp en rättad fil").click()
    upload.set_input_files(_write(tmp_path, "hushall-rattad.csv", TOLVAN, NOVA, SVEN))
    page.get_by_role("button", name="Provkör importen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Provkörning")
    _run_worker()
    expect(page.get_by_text("Provkörningen är klar utan fel")).to_be_visible()
    expect(page.get_by_role("row", name="Tolvan Tolvansson")).to_contain_text(
        "Befintlig person kopplas"
    )
    page.get_by_role("button", name="Importera 3 personer i 2 hushåll").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import")
    _run_worker()
    expect(page.get_by_role("status").filter(has_text="Importen är klar")).to_contain_text(
        "2 hushåll skapade, 2 nya personer, 1 befintliga personer kopplade"
    )
    assert Person.objects.count() == persons_before + 2
    assert set(LegacyHousehold.objects.values_list("legacy_id", flat=True)) == {"H100", "H200"}

    # The case list as CSV, at once.
    page.get_by_role("link", name="Till importen").click()
    page.get_by_role("link", name="Exportera").click()
    page.get_by_label("CSV", exact=True).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Exportera").click()
    content = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:2] == ["Ärendenummer", "Sökande"]
    assert len(rows) > 1 and all(row[0].startswith("EB-") for row in rows[1:])
    assert download.value.suggested_filename.startswith("arenden-nord-")

    # A large export becomes a job: the page follows it until the file is ready.
    monkeypatch.setattr(jobs, "SYNC_MAX_ROWS", 0)
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_role("button", name="Exportera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export av ärendelista")
    expect(page.locator("progress")).to_be_visible()
    job = ExportImportJob.objects.get(kind="export_cases")
    run_export_import_job.apply(args=[job.pk])  # the worker's part, in this process
    link = page.get_by_role("link", name="Ladda ner arenden-nord-")
    expect(link).to_be_visible()  # htmx polled the job's status
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes()[:2] == b"PK"  # an XLSX (zip) file
