"""Letters and plans are PDF/UA-1 (cases.pdf.PDF_VARIANT): tagged with a structure tree of
headings, paragraphs and tables, in Swedish, with their title (lag 2018:1937 om
tillgänglighet till digital offentlig service)."""

import pytest

from cases.pdf import render_pdf
from cases.tests.pdf_structure import assert_accessible_pdf, structure
from cases.tests.test_pdf import letter, templates  # noqa: F401 – fixtures


def test_a_letter_is_tagged_with_language_title_headings_and_tables(letter):  # noqa: F811
    template = letter(
        "<h2>Så har vi räknat</h2><p>Text</p>"
        "<table><thead><tr><th scope='col'>Post</th><th scope='col'>Belopp</th></tr></thead>"
        "<tbody><tr><td>Hyra</td><td>5 000 kr</td></tr></tbody></table>"
    )

    found = assert_accessible_pdf(
        render_pdf(template, {"document_title": "Beslut om ekonomiskt bistånd"}),
        title="Beslut om ekonomiskt bistånd",
    )

    assert "/H2" in found["types"] and "/P" in found["types"]
    assert {"/Table", "/TR", "/TH", "/TD"} <= set(found["types"]), found["types"]


def test_the_reader_sees_an_untagged_pdf_for_what_it_is(letter):  # noqa: F811
    """The check itself can fail: WeasyPrint's default output has no structure."""
    from weasyprint import HTML

    data = HTML(string="<html lang='sv'><h1>Rubrik</h1></html>").write_pdf()

    found = structure(data)
    assert not found["marked"] and not found["has_structure_tree"]
    with pytest.raises(AssertionError):
        assert_accessible_pdf(data)
