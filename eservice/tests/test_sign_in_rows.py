"""Old sign-in rows do not stay: AuthnRequests and citizen sessions (which hold a
personnummer) are removed a day after their last use; a current session is kept."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.celery_app import app
from eservice.models import CitizenSession, SamlAuthnRequest
from eservice.sessions import clear_old_sign_ins
from eservice.tasks import clear_old_sign_ins as task

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("Europe/Stockholm"))


def _session(key, last_seen, ended=None):
    return CitizenSession.objects.create(
        key_hash=key * 64, personnummer="191212121212", last_seen_at=last_seen, ended_at=ended
    )


def test_rows_older_than_a_day_go_and_current_ones_stay():
    with time_machine.travel(NOW, tick=False):
        old_request = SamlAuthnRequest.objects.create(
            request_id="id-old", created_at=NOW - timedelta(days=1, seconds=1)
        )
        new_request = SamlAuthnRequest.objects.create(request_id="id-new")
        idle = _session("a", NOW - timedelta(days=2))
        ended = _session("b", NOW - timedelta(days=1, minutes=1), ended=NOW - timedelta(days=1))
        current = _session("c", NOW - timedelta(minutes=5))

        assert clear_old_sign_ins() == (1, 2)
        assert task.apply().get() == 0  # again: nothing more (idempotent)

    assert list(SamlAuthnRequest.objects.values_list("pk", flat=True)) == [new_request.pk]
    assert list(CitizenSession.objects.values_list("pk", flat=True)) == [current.pk]
    assert not SamlAuthnRequest.objects.filter(pk=old_request.pk).exists()
    assert not CitizenSession.objects.filter(pk__in=[idle.pk, ended.pk]).exists()


def test_beat_runs_it_nightly():
    entry = app.conf.beat_schedule["clear-old-citizen-sign-ins"]
    assert entry["task"] == "eservice.tasks.clear_old_sign_ins"
    assert entry["schedule"].hour == {3}
