"""Shared set-up for benchmarks: Django on a PostgreSQL database of its own
(``vagen_bench``, created and migrated on first use), never the development data."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database: str = "vagen_bench") -> None:
    base = os.environ.get("VAGEN_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    os.environ["VAGEN_TEST_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    _create_database(base, database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(base_url: str, database: str) -> None:
    import psycopg

    with psycopg.connect(base_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            # The name is one of this folder's own constants, never user input.
            conn.execute(f'CREATE DATABASE "{database}"')


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def signed_in_client(user, **client_kwargs):
    """A Django test client signed in as ``user`` the way a local sign-in with its second
    factor leaves the session (issue 18's middleware sends anything less to the code
    step) – benchmarks measure the pages, not the sign-in."""
    from django.test import Client

    from signin.testing import mark_session_verified

    client = Client(**client_kwargs)
    client.force_login(user)
    session = client.session
    mark_session_verified(session, user)
    session.save()
    return client
