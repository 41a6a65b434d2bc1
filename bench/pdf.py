"""Benchmark: a two-page decision letter through ``cases.pdf.render_pdf`` (DESIGN.md
target: median ≤ 250 ms and ≤ 1.3× the time WeasyPrint needs for a static page of the
same length).

The letter is templates/pdf/_bench_letter.html (≈30 paragraphs and a calculation table).
The comparison renders the very HTML that render_pdf produced, as a static string, with
plain WeasyPrint and the same stylesheet and fonts – once with the stylesheet parsed and
the fonts loaded for each document (what a naive caller pays) and once with both prepared
in advance (WeasyPrint's own floor, the figure the target is held against). The runs are
interleaved so that drift in machine load affects all three alike.
"""

import os
import statistics
import time
from datetime import date

from _setup import percentile, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from cases.pdf import render_pdf  # noqa: E402

WARMUPS = 3
RUNS = 30
TEMPLATE = "pdf/_bench_letter.html"

SENTENCES = (
    "Vi har gått igenom din ansökan och de underlag som du har lämnat in till oss.",
    "Hushållets inkomster för månaden är lön, bostadsbidrag och barnbidrag.",
    "Du har sökt arbete aktivt och redovisat dina sökta jobb på Arbetsförmedlingen.",
    "Kostnaden för hyra är skälig för ett hushåll av er storlek på orten.",
    "Elkostnaden har beräknats efter fakturan för perioden och godtas i sin helhet.",
    "Enligt planeringen ska du delta i introduktionsprogrammet fyra dagar i veckan.",
    "Försäkringskassan har ännu inte fattat beslut om din ansökan om sjukpenning.",
    "Du behöver lämna in kontoutdrag för samtliga konton inför nästa ansökan.",
    "Barnens kostnader för fritidsaktiviteter ingår i riksnormen för barn i deras ålder.",
    "Tandvårdskostnaden prövas när du har lämnat in en kostnadsberäkning från tandläkaren.",
)


def letter_context() -> dict:
    paragraphs = [SENTENCES[i % len(SENTENCES)] for i in range(30)]
    rows = [
        ("Riksnorm, två vuxna och två barn", 13_110),
        ("Boendekostnad (hyra)", 8_950),
        ("Hushållsel", 640),
        ("Hemförsäkring", 189),
        ("Arbetsresor", 960),
        ("Avgår: bostadsbidrag", -2_300),
        ("Avgår: barnbidrag", -2_650),
        ("Avgår: lön", -6_200),
    ]
    return {
        "document_title": "Beslut om ekonomiskt bistånd",
        "letter_date": date(2025, 3, 14),
        "recipient_lines": ["Åsa Öberg", "Ängsvägen 3 lgh 1102", "123 45 Älvby"],
        "case_reference": "SN 2025/0314",
        "caseworker_name": "Örjan Åkesson",
        "unit_name": "Försörjningsstöd, enhet Nord",
        "period_label": "april 2025",
        "paragraphs": paragraphs,
        "rows": [{"label": label, "amount": amount} for label, amount in rows],
        "total": sum(amount for _, amount in rows),
    }


def static_html(context: dict) -> str:
    # Exactly what render_pdf lays out: the same additions to the context, in Swedish.
    full = {**context, "municipality_name": settings.VAGEN_MUNICIPALITY_NAME}
    with translation.override("sv"):
        return render_to_string(TEMPLATE, full)


def main() -> None:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    context = letter_context()
    html = static_html(context)
    stylesheet_path = finders.find("css/letter.css")  # its font URLs resolve as file: URLs

    def through_render_pdf() -> bytes:
        return render_pdf(TEMPLATE, context)

    def plain_per_document() -> bytes:
        fonts = FontConfiguration()
        css = CSS(filename=stylesheet_path, font_config=fonts)
        return HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)

    prepared_fonts = FontConfiguration()
    prepared_css = CSS(filename=stylesheet_path, font_config=prepared_fonts)

    def plain_prepared() -> bytes:
        return HTML(string=html).write_pdf(stylesheets=[prepared_css], font_config=prepared_fonts)

    variants = {
        "render_pdf": through_render_pdf,
        "plain, CSS+fonts prepared once": plain_prepared,
        "plain, CSS+fonts per document": plain_per_document,
    }
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(WARMUPS):
        for run in variants.values():
            run()
    for _ in range(RUNS):
        for name, run in variants.items():
            started = time.perf_counter()
            pdf = run()
            timings[name].append(time.perf_counter() - started)
            assert pdf.startswith(b"%PDF-")

    pages = len(
        HTML(string=html).render(stylesheets=[prepared_css], font_config=prepared_fonts).pages
    )
    size = len(through_render_pdf())
    print(
        f"Decision letter PDF ({TEMPLATE}: {pages} pages, {len(context['paragraphs'])} "
        f"paragraphs + table, {size / 1024:.1f} KiB), {RUNS} runs after {WARMUPS} warm-ups, "
        f"{os.cpu_count()} CPUs"
    )
    medians = {}
    for name, values in timings.items():
        medians[name] = statistics.median(values)
        print(
            f"  {name:<32} median {medians[name] * 1000:6.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms"
        )
    ours = medians["render_pdf"]
    floor = medians["plain, CSS+fonts prepared once"]
    naive = medians["plain, CSS+fonts per document"]
    print(
        f"  ratio render_pdf / plain prepared: {ours / floor:.2f}× (target ≤ 1.3×); "
        f"/ plain per document: {ours / naive:.2f}×"
    )
    print(f"  median {ours * 1000:.0f} ms against the target of 250 ms")
    assert pages == 2, f"the bench letter should be two pages, is {pages}"


if __name__ == "__main__":
    main()
