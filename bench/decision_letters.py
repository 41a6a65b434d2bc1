"""Benchmark (issue 5): 50 real decision letters through the production path
(``decision_letter_preview`` → ``cases.pdf.render_document`` of
templates/pdf/decision_letter.html with each decision's own data), median and p95, and
the ratio to plain WeasyPrint rendering the same HTML as a static page with the same
stylesheet and fonts prepared once (DESIGN.md target: median ≤ 250 ms, ratio ≤ 1.3)."""

import os
import statistics
import time
from datetime import date
from decimal import Decimal

from _setup import percentile, setup_django

setup_django()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import transaction  # noqa: E402

from cases.models import LegalBasis, Unit, User  # noqa: E402
from cases.roles import Role  # noqa: E402
from cases.services import decisions as svc  # noqa: E402
from cases.services.applications import (  # noqa: E402
    CostLine,
    IncomeLine,
    application_register,
    application_save_calculation,
)
from cases.services.casework import case_open  # noqa: E402
from cases.services.people import household_create, person_save  # noqa: E402

LETTERS = 50
WARMUPS = 3


class Rollback(Exception):
    pass


def make_decisions(count: int) -> list:
    from cases.models import Person

    unit, _ = Unit.objects.get_or_create(code="bench-beslut", name="Bänk beslut")
    worker, _ = User.objects.get_or_create(username="bench-beslut-hl", defaults={"unit": unit})
    worker.groups.add(
        *__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
            name=Role.CASEWORKER
        )
    )
    basis = LegalBasis.objects.get(code="sol2025-12-1")
    decisions = []
    for i in range(count):
        person = person_save(
            Person(
                first_name=f"Sökande{i}",
                last_name="Bänksson",
                birth_date=date(1980, 1, 1 + i % 28),
                street_address=f"Storgatan {i}",
                postal_code="123 45",
                city="Exempelby",
            ),
            actor=worker,
        )
        household = household_create(
            applicant=person, unit=unit, valid_from=date(2026, 1, 1), actor=worker
        )
        case = case_open(actor=worker, household=household, unit=unit, caseworker=worker)
        application = application_register(
            case, actor=worker, month=date(2026, 11, 1), channel="e_service", applicant=person
        )
        application = application_save_calculation(
            application,
            actor=worker,
            costs=[
                CostLine("rent", Decimal(5000 + i * 10), Decimal(5000 + i * 10)),
                CostLine("household_electricity", Decimal(450), Decimal(450)),
            ],
            incomes=[IncomeLine("salary", Decimal(2000 + i), person.pk)],
            lunch_away_ids=set(),
            adjustment=Decimal(0),
            adjustment_reason="",
            household_size=None,
        )
        decisions.append(
            svc.decision_save_draft(
                application,
                actor=worker,
                items=[
                    svc.ItemInput(
                        "livelihood", "granted", application.result, application.result, basis
                    )
                ],
                motivering=" ".join(
                    ["Hushållet saknar egna medel för sin försörjning under perioden."] * 6
                ),
                conditions="Du ska delta i de aktiviteter som står i din arbetsplan.",
            )
        )
    return decisions


def main() -> None:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    timings, static, pages = [], [], set()
    fonts = FontConfiguration()
    css = CSS(filename=finders.find("css/letter.css"), font_config=fonts)
    try:
        with transaction.atomic():
            decisions = make_decisions(LETTERS)
            for decision in decisions[:WARMUPS]:
                svc.decision_letter_preview(decision)
            for decision in decisions:
                started = time.perf_counter()
                html, pdf = svc.decision_letter_preview(decision)
                timings.append(time.perf_counter() - started)
                assert pdf.startswith(b"%PDF-")
                started = time.perf_counter()
                document = HTML(string=html).render(stylesheets=[css], font_config=fonts)
                document.write_pdf()
                static.append(time.perf_counter() - started)
                pages.add(len(document.pages))
            raise Rollback
    except Rollback:
        pass
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    static_median = statistics.median(static)
    print(
        f"Decision letters: {LETTERS} letters ({sorted(pages)} pages), {os.cpu_count()} CPUs\n"
        f"  through decision_letter_preview: median {median * 1000:6.1f} ms, "
        f"p95 {p95 * 1000:6.1f} ms  (target median ≤ 250 ms)\n"
        f"  static HTML, plain WeasyPrint:   median {static_median * 1000:6.1f} ms, "
        f"p95 {percentile(static, 0.95) * 1000:6.1f} ms\n"
        f"  ratio {median / static_median:.2f} (target ≤ 1.3)"
    )


if __name__ == "__main__":
    main()
