from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from signin.demo import demo_totp_code, demo_totp_key


class Command(BaseCommand):
    help = "Visa demoanvändarens aktuella engångskod (bara demo: VAGEN_DEMO_DATA_ALLOWED)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        if not settings.VAGEN_DEMO_DATA_ALLOWED:
            raise CommandError("Bara för demodata.")
        username = options["username"]
        import base64

        key = base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode().rstrip("=")
        self.stdout.write(f"{username}: {demo_totp_code(username)}  (nyckel för appen: {key})")
