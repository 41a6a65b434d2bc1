"""``manage.py check_monthly_aggregates``: compares every stored monthly aggregate
(reporting.aggregates, issue 20) with a full recomputation from the facts and prints each
difference – figures only, never a name or a number of a person. Rows marked dirty (or
stale) are waiting for their recomputation and are counted, not compared. Exit code 1 when a row
differs (also with ``--fix``, which then stores the recomputed figures: a difference means
a change that did not mark its month, which is a bug to look into), 0 when all agree."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Unit
from reporting.aggregates import check_rows, pending_rows, recompute_months
from reporting.indicators import months_back


class Command(BaseCommand):
    help = (
        "Jämför de lagrade månadsaggregaten (indikatorer och månadsstatistik) med en "
        "fullständig omräkning och visar skillnaderna."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", type=int, help="Bara denna enhet (id).")
        parser.add_argument(
            "--months", type=int, help="Bara de senaste N månaderna, till och med denna."
        )
        parser.add_argument(
            "--fix", action="store_true", help="Spara omräkningen där den skiljer sig."
        )

    def handle(self, *args, **options):
        unit = None
        if options["unit"] is not None:
            unit = Unit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Enheten {options['unit']} finns inte.")
        months = None
        if options["months"] is not None:
            if options["months"] < 1:
                raise CommandError("--months ska vara minst 1.")
            months = months_back(timezone.localdate(), options["months"])
        differences = check_rows(unit=unit, months=months)
        pending = pending_rows(unit=unit, months=months).count()
        if pending:
            # Marked by a change (or past a callback deadline): recomputed by the refresh
            # task or when a page reads them, not compared.
            self.stdout.write(f"{pending} månader väntar på omräkning och jämförs inte.")
        for row, diff in differences:
            self.stdout.write(f"{row.unit.name} ({row.unit_id}) {row.month:%Y-%m}:")
            for field, (stored, computed) in diff.items():
                self.stdout.write(f"  {field}: lagrat {stored!r}, omräknat {computed!r}")
        if options["fix"]:
            by_unit: dict[int, tuple[Unit, list]] = {}
            for row, _ in differences:
                by_unit.setdefault(row.unit_id, (row.unit, []))[1].append(row.month)
            for fix_unit, fix_months in by_unit.values():
                recompute_months(fix_unit, fix_months)
            if differences:
                self.stdout.write(f"Rättade {len(differences)} månader.")
        if differences:
            raise CommandError(
                f"{len(differences)} lagrade månader skiljer sig från omräkningen.", returncode=1
            )
        self.stdout.write("Alla lagrade månadsaggregat stämmer med omräkningen.")
