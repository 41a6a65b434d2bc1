"""Run by tests/test_sqlite_concurrency.py in its own process: the `make run` settings
(config.settings.local) against a fresh SQLite file, several clients saving at once."""

import json
import os
import sys
import threading
import uuid

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)

from cases.roles import Role  # noqa: E402
from cases.tests.factories import CaseFactory, UnitFactory, UserFactory  # noqa: E402
from signin.testing import mark_session_verified  # noqa: E402

unit = UnitFactory(code="nord")
workers = [UserFactory(role=Role.CASEWORKER, unit=unit) for _ in range(3)]
reception = UserFactory(role=Role.RECEPTION, unit=unit)
cases = [CaseFactory(caseworker=w) for w in workers]
for staff in [*workers, reception]:  # their TOTP devices, before the threads race
    mark_session_verified({}, staff)
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
statuses: list[int] = []
errors: list[str] = []
barrier = threading.Barrier(len(workers) + 2)


def run(user, make_post):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    # force_login is the password step only; the session also finishes the second factor
    # (issue 18, signin.middleware), as the root conftest does for the in-process tests.
    session = client.session
    mark_session_verified(session, user)
    session.save()
    try:
        barrier.wait(30)
        for i in range(ROUNDS):
            url, data = make_post(i)
            statuses.append(client.post(url, data).status_code)
    except Exception as error:  # noqa: BLE001 – reported
        errors.append(repr(error))
    finally:
        connection.close()


def note(case):
    return lambda i: (
        f"/arenden/{case.pk}/journal/",
        {
            "kind": "note",
            "occurred_on": timezone.localdate().isoformat(),
            "text": f"n{i}",
            "idempotency_key": str(uuid.uuid4()),
        },
    )


def contact(i):
    return "/kontakter/ny/", {
        "channel": "phone",
        "subject": "other",
        "name": f"K{i}",
        "unit": unit.pk,
        "idempotency_key": str(uuid.uuid4()),
    }


threads = [
    threading.Thread(target=run, args=(w, note(c))) for w, c in zip(workers, cases, strict=True)
]
threads.append(threading.Thread(target=run, args=(reception, contact)))
threads.append(threading.Thread(target=run, args=(workers[0], note(cases[0]))))
for t in threads:
    t.start()
for t in threads:
    t.join(120)
from cases.models import FirstContact, JournalNote  # noqa: E402

print(  # noqa: T201 – the result goes to the test on stdout
    json.dumps(
        {
            "statuses": statuses,
            "errors": errors,
            "notes": JournalNote.objects.count(),
            "contacts": FirstContact.objects.count(),
            "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        }
    )
)
