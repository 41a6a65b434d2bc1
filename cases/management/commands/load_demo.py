from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from cases.services.decisions import pending_letters_lay_out


class Command(BaseCommand):
    help = "Läser in demodata (idempotent). Fungerar inte i produktion."

    def handle(self, *args, **options):
        if not settings.VAGEN_DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demodata är avstängt i den här miljön (VAGEN_DEMO_DATA_ALLOWED=false)."
            )
        load_demo()
        # The demo's decision letters laid out now: nobody waits on a loader, and a
        # backup made right after holds every letter's PDF.
        pending_letters_lay_out(older_than=timedelta(0), limit=10_000)
        self.stdout.write(self.style.SUCCESS("Demodata inläst. Användare:"))
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<18} {spec.role.label:<14} {DEMO_PASSWORD}")
