"""``manage.py seed_bench --households 100000 [--units 20] [--seed 1] [--reset]``: bulk
benchmark data (benchdata) in minutes, for `make bench` (bench/scale.py).

Refuses to run unless demo data is allowed in this environment
(VAGEN_DEMO_DATA_ALLOWED) or ``--i-know-this-is-not-production`` is given, and on any
database but PostgreSQL (the rows are written with COPY)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Skapar bänkdata: enheter, personal, hushåll, ärenden med allt som hör till."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True)
        parser.add_argument("--units", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Ta först bort tidigare bänkdata (enheter vars kod börjar med bench-enhet-).",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Kör även om VAGEN_DEMO_DATA_ALLOWED är av.",
        )

    def handle(self, *args, households, units, seed, reset, not_production, **options):
        if not (settings.VAGEN_DEMO_DATA_ALLOWED or not_production):
            raise CommandError(
                "Bänkdata är avstängt i den här miljön (VAGEN_DEMO_DATA_ALLOWED=false). "
                "Ange --i-know-this-is-not-production om detta verkligen inte är produktion."
            )
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench kräver PostgreSQL (raderna skrivs med COPY).")
        if households < 1 or not 1 <= units <= 99:
            raise CommandError("Ange minst ett hushåll och 1–99 enheter.")
        self.verbosity = options["verbosity"]
        from benchdata.generate import Generator
        from benchdata.reset import reset as reset_data
        from benchdata.writer import vacuum_analyze

        started = time.perf_counter()
        if reset:
            removed = reset_data()
            total = sum(removed.values())
            self._say(f"Tog bort {total} rader bänkdata ({time.perf_counter() - started:.1f} s).")
        generator = Generator(
            households=households, units=units, seed=seed, progress=self._progress
        )
        try:
            written = generator.run()
        except ValueError as error:
            raise CommandError(str(error)) from error
        generated = time.perf_counter()
        vacuum_analyze(model._meta.db_table for model in generator.columns)
        for label, count in sorted(written.items()):
            self._say(f"  {label:<36} {count:>10}")
        self._say(
            self.style.SUCCESS(
                f"{households} hushåll i {units} enheter på {generated - started:.1f} s "
                f"(+ VACUUM ANALYZE {time.perf_counter() - generated:.1f} s)."
            )
        )

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def _progress(self, message: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(f"  {message}")
