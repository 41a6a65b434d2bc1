"""Render example decision letters to PNG under docs/examples/ (issue 15: letters read by eye).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python scripts/example_letters.py

Builds the cases in a throwaway test database (the test settings' PostgreSQL; it is
created and dropped here), with Skatteverket's test personnummer only, on a frozen date
(2026-12-01), through the same services a caseworker uses. Each letter's PDF is rendered
page by page with pdftoppm (poppler-utils): ``<name>.png`` is page one,
``<name>-sida-N.png`` the pages after it.
"""

import os
import shutil
import subprocess  # noqa: S404  (pdftoppm, a fixed local command)
import sys
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "examples"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def build_letters() -> dict[str, bytes]:
    from cases.models import Unit
    from cases.roles import Role
    from cases.services.decisions import letter_pdf
    from cases.tests.factories import PersonFactory, UnitFactory, UserFactory
    from cases.tests.letters import applied_case, decide, item

    unit = UnitFactory(
        code="ost",
        name="Öst",
        board_name="Arbetsmarknads- och vuxenutbildningsnämnden",
        postal_address="Box 100\n601 81 Norrköping",
        email="ekonomisktbistand@kommun.example",
        phone="011-15 00 00",
    )
    caseworker = UserFactory(
        first_name="Sara",
        last_name="Nilsson",
        unit=unit,
        role=Role.CASEWORKER,
        phone="011-15 12 34",
        email="sara.nilsson@kommun.example",
    )
    manager = UserFactory(
        first_name="Karin", last_name="Berg", unit=unit, role=Role.UNIT_MANAGER, title=""
    )
    assert Unit.objects.filter(pk=unit.pk).exists()

    letters = {}
    # 1. Avslag under 12:1 – a single adult whose income covers the need.
    alone = PersonFactory(
        first_name="Adam",
        last_name="Ek",
        personnummer="199006022397",
        street_address="Storgatan 1",
        postal_code="602 24",
        city="Norrköping",
        birth_date=date(1990, 6, 2),
    )
    application = applied_case(caseworker, applicant=alone, rent="6500")
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "refused", "0", "sol2025-12-1", applied="11720")],
        motivering=(
            "Du har ansökt om försörjningsstöd för november 2026. Enligt 12 kap. 1 § "
            "socialtjänstlagen har den som inte själv kan tillgodose sina behov rätt till "
            "bistånd. Din lön för november, 14 200 kr, är högre än ditt behov enligt "
            "riksnormen och dina skäliga kostnader (11 720 kr). Du kan därför tillgodose "
            "behovet själv, och ansökan avslås."
        ),
        approver=manager,
    )
    letters["avslag-12-1"] = letter_pdf(decision.letter)

    # 2. Bifall with a 12:5 reduction – family with children, co-applicant, förskott.
    parent = PersonFactory(
        first_name="Eva",
        last_name="Lind",
        personnummer="200001052380",
        street_address="Kvarngatan 12 B",
        postal_code="603 36",
        city="Norrköping",
        birth_date=date(2000, 1, 5),
    )
    application = applied_case(
        caseworker,
        applicant=parent,
        children=2,
        co_applicant=True,
        rent="9800",
        adjustment="-1970",
        adjustment_reason=(
            "Bo uteblev utan godtagbart skäl från anvisad praktik 3–14 november 2026."
        ),
    )
    decision = decide(
        application,
        caseworker,
        [
            item(
                "livelihood",
                "partly",
                application.result,
                "sol2025-12-5",
                applied=application.result + Decimal("1970"),
                repayment_ground="advance",
                advance_benefit="akassa",
                repayment_note="A-kassan har ännu inte beslutat om Evas ersättning för november.",
            )
        ],
        motivering=(
            "Ni har rätt till försörjningsstöd (12 kap. 1 § socialtjänstlagen). Bo har utan "
            "godtagbart skäl uteblivit från den praktik som anvisades efter samråd med "
            "Arbetsförmedlingen. Försörjningsstödet sätts därför ned med hans del av "
            "riksnormens personliga kostnader för de dagar han uteblev (12 kap. 5 §). Ni "
            "har fått ta del av underlaget och lämnat synpunkter den 20 november 2026."
        ),
        child_impact=(
            "Barnens del av normen och boendet sätts inte ned. Barnen kan bo kvar och gå i "
            "samma skola. Nedsättningen är tidsbegränsad och Bo kan börja praktiken igen "
            "den 1 december."
        ),
        conditions="Bo deltar i praktiken på Återbruket från den 1 december 2026 (12 kap. 4 §).",
        approver=manager,
    )
    letters["bifall-med-reduktion-12-5"] = letter_pdf(decision.letter)

    # 3. Bistånd under 12:2 – furniture given on condition of repayment.
    mover = PersonFactory(
        first_name="Maj",
        last_name="Svensson",
        personnummer="194408139089",
        street_address="Nya Torget 3",
        postal_code="602 32",
        city="Norrköping",
        birth_date=date(1944, 8, 13),
    )
    application = applied_case(
        caseworker, applicant=mover, items=[("furniture", Decimal("6000"), "säng och bord")]
    )
    decision = decide(
        application,
        caseworker,
        [
            item(
                "furniture",
                "granted",
                "6000",
                "sol2025-12-2",
                description="säng och bord",
                repayment_ground="condition",
                repayment_note="Du betalar tillbaka 500 kr i månaden från februari 2027.",
            )
        ],
        motivering=(
            "Du har flyttat till en omöblerad lägenhet efter en tid i akutboende. Du har inte "
            "rätt till bistånd till möbler enligt 12 kap. 1 § eftersom du har inkomst över "
            "normen, men nämnden beviljar bistånd utöver den rätten (12 kap. 2 §) så att du "
            "kan bo kvar, under villkor att du betalar tillbaka det."
        ),
        approver=manager,
    )
    letters["bistand-12-2"] = letter_pdf(decision.letter)
    return letters


def to_png(name: str, pdf: bytes) -> list[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{name}.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603
            [shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", "80", source, Path(tmp) / "p"],
            check=True,
        )
        pages = sorted(Path(tmp).glob("p-*.png"))
        written = []
        for number, page in enumerate(pages, start=1):
            target = OUT / (f"{name}.png" if number == 1 else f"{name}-sida-{number}.png")
            shutil.copyfile(page, target)
            written.append(target)
        return written


def main() -> None:
    import django

    django.setup()
    import time_machine
    from django.test.utils import setup_databases, teardown_databases

    from cases.workdays import STOCKHOLM

    OUT.mkdir(parents=True, exist_ok=True)
    # Only this script's own renders are replaced (others, e.g. the language notices'
    # letter-*.png, stay).
    for old in OUT.glob("*.png"):
        if not old.name.startswith("letter-"):
            old.unlink()
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=STOCKHOLM), tick=False):
            letters = build_letters()
        for name, pdf in letters.items():
            for path in to_png(name, pdf):
                print(path.relative_to(ROOT))  # noqa: T201
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
