"""Make sure the file storage can be used: with S3-compatible object storage
(VAGEN_S3_BUCKET) the private bucket is created if it is missing; then a small object is
written, read and removed. Run by compose's ``migrate`` service before web and workers
start, and safe to run again."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Skapar den privata bucketen om den saknas och provar att skriva och läsa en fil."

    def handle(self, *args, **options):
        if settings.VAGEN_S3_BUCKET:
            client = default_storage.connection.meta.client
            bucket = settings.VAGEN_S3_BUCKET
            existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
            if bucket not in existing:
                # No ACL argument: private, the S3 default. Nothing is ever public.
                client.create_bucket(Bucket=bucket)
                self.stdout.write(f"Skapade bucketen {bucket}.")
        name = default_storage.save("halsa/prov.txt", ContentFile(b"vagen"))
        try:
            with default_storage.open(name, "rb") as handle:
                if handle.read() != b"vagen":
                    raise CommandError("Filen som skrevs gick inte att läsa tillbaka.")
        finally:
            default_storage.delete(name)
        self.stdout.write("Fillagringen fungerar.")
