from django.core.management.base import BaseCommand

from signin.demo import load_demo_signin


class Command(BaseCommand):
    help = "Gruppmappningar för demo-IdP:n och TOTP för demoanvändarna (idempotent)."

    def handle(self, *args, **options):
        load_demo_signin()
        self.stdout.write("Demo för inloggning inläst.")
