"""``manage.py gallring``: the dry run of gallring (SoL 16 kap. 1 §), as the yearly Celery
job makes it. It prints counts by kind of record only – never a name or a number – and
destroys nothing: an administrator approves the run in the browser
(*Administration → Gallring*)."""

from datetime import date

from django.core.management.base import BaseCommand

from cases.services.gallring import gallring_preview, gallring_propose


class Command(BaseCommand):
    help = "Provkör gallring: visar vad som är moget att gallras (antal per slag), raderar inget."

    def add_arguments(self, parser):
        parser.add_argument("--per", type=date.fromisoformat, help="Per dag (ÅÅÅÅ-MM-DD).")
        parser.add_argument(
            "--spara",
            action="store_true",
            help="Spara provkörningen så att en administratör kan godkänna den i webbläsaren.",
        )

    def handle(self, *args, **options):
        as_of = options.get("per")
        if options["spara"]:
            run = gallring_propose(as_of=as_of)
            counts, research, held = run.counts, run.kept_for_research, run.held
            self.stdout.write(f"Provkörning sparad (nr {run.pk}), per {run.as_of}.")
        else:
            from cases.gallring import count_by_kind

            result = gallring_preview(as_of=as_of)
            counts = count_by_kind(result.due)
            research, held = result.kept_for_research, result.held
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"Sparas för forskning (akter): {research}")
        self.stdout.write(f"Spärrade (akter): {held}")
