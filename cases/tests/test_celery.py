"""Celery wiring: the settings the deadline engine relies on, and a real broker round
trip through Redis (DESIGN.md: no mocked broker)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from kombu import Connection

from cases.tasks import clear_expired_sessions
from config.celery_app import app


def test_celery_settings():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert "clear-expired-sessions" in conf.beat_schedule


def test_broker_is_redis_and_round_trips_a_message(settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with Connection(settings.CELERY_BROKER_URL) as conn:
        queue = conn.SimpleQueue("vagen-test-roundtrip")
        try:
            queue.clear()
            queue.put({"hej": "världen"})
            message = queue.get(timeout=5)
            message.ack()
            assert message.payload == {"hej": "världen"}
        finally:
            queue.close()


@pytest.mark.django_db
def test_clear_expired_sessions_task_removes_only_expired():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=now + timedelta(1))

    clear_expired_sessions.apply()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
