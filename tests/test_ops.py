"""Health, metrics and request logging in-process (issue 23; config.ops, config.metrics).
The same endpoints under gunicorn with production settings: tests/stack/."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from cases.models import ClosingReason
from cases.roles import Role
from config import ops
from config.celery_app import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["vagen.kommun.example"]


@pytest.mark.parametrize("path", ["/halsa/", "/halsa/redo/"])
def test_health_answers_any_host_over_plain_http(client, production_like, path):
    response = client.get(path, HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"] == "no-store"
    # Everything else is still redirected and host-checked.
    assert client.get("/logga-in/", HTTP_HOST="vagen.kommun.example").status_code == 301
    assert client.get("/logga-in/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_readiness_names_its_checks_and_nothing_else(client):
    body = client.get("/halsa/redo/").json()
    assert body == {
        "status": "ok",
        "kontroller": {
            "databas": "ok",
            "migreringar": "ok",
            "meddelandeko": "ok",
            "fillagring": "ok",
        },
    }


def test_readiness_fails_when_the_broker_is_away(client):
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/halsa/redo/")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["kontroller"]["meddelandeko"] == "fel"
    assert client.get("/halsa/").status_code == 200  # alive, just not ready


def test_readiness_fails_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(ops, "_migrations_applied", False)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = "
            "(SELECT max(id) FROM django_migrations WHERE app = 'cases')"
        )
    response = client.get("/halsa/redo/")
    assert response.status_code == 503
    assert response.json()["kontroller"]["migreringar"] == "fel"


def test_health_refuses_other_methods(client):
    assert client.post("/halsa/").status_code == 405


def test_metrics_only_to_the_internal_networks(client, settings, caseworker):
    client.force_login(caseworker)
    client.get("/")
    inside = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert inside.status_code == 200
    text = inside.content.decode()
    assert "vagen_http_request_duration_seconds_bucket" in text
    assert 'vagen_celery_queue_length{queue="celery"}' in text
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    # A forwarded header is not the scraper's address.
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="127.0.0.1"
        ).status_code
        == 404
    )
    settings.VAGEN_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.1.1.1").status_code == 200


def test_the_sweep_duration_reaches_the_metrics(client):
    from cases.tasks import sweep_deadlines

    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("vagen:metrics:deadline_sweep")
    sweep_deadlines()
    sweep_deadlines()
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "vagen_deadline_sweep_runs_total 2.0" in text
    assert "vagen_deadline_sweep_last_duration_seconds" in text


def test_the_request_line_has_view_status_and_user_id_but_no_path_or_query(
    client, make_user, caplog
):
    user = make_user(Role.CASEWORKER)
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="vagen.request"):
        response = client.get("/personer/", {"q": "19121212-1212"})
    (record,) = [r for r in caplog.records if r.name == "vagen.request"]
    assert record.view == "person_search"
    assert record.status == response.status_code
    assert record.user_id == str(user.pk)
    assert record.request_id == response["X-Request-ID"]
    line = record.getMessage()
    assert "19121212" not in line and "/personer/" not in line


def test_health_requests_are_not_logged(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/halsa/")
        client.get("/halsa/redo/")
    assert [r for r in caplog.records if r.name == "vagen.request"] == []


def test_json_log_lines_carry_request_and_user_ids():
    from pythonjsonlogger.json import JsonFormatter

    from cases.request_context import RequestIdLogFilter

    record = logging.LogRecord("vagen.request", logging.INFO, __file__, 1, "GET x 200", (), None)
    record.user_id = "42"
    record.view = "case_list"
    RequestIdLogFilter().filter(record)
    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
        rename_fields={"levelname": "level", "name": "logger"},
    )
    line = json.loads(formatter.format(record))
    assert line["user_id"] == "42" and line["view"] == "case_list"
    assert line["logger"] == "vagen.request" and "request_id" in line


@pytest.mark.django_db
def test_the_application_connects_without_postgres_jit():
    """JIT compiled a 17 ms person search for 449 ms (issue 20): off for Vägen's own
    connections (config.settings.base.postgres_oltp), in production as here; queries
    are prepared once per connection."""
    from config.settings.base import postgres_oltp

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    assert postgres_oltp(dict(sqlite)) == sqlite  # `make run` untouched
    kept = postgres_oltp({"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}})
    assert kept["OPTIONS"]["options"] == "-c jit=off"
    # A select of ten closing reasons is one query, not a server-side cursor's three.
    assert kept["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert kept["OPTIONS"]["server_side_binding"] is True
    assert kept["OPTIONS"]["prepare_threshold"] == 2
    # The same query three times on this connection: PostgreSQL holds it prepared.
    for _ in range(3):
        list(ClosingReason.objects.filter(is_active=True).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1


def test_production_connects_like_the_tests():
    """Production builds its own DATABASES from DATABASE_URL: it must get the same OLTP
    options (it once had neither JIT off nor the cursor setting)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "vagen.example",
        "DATABASE_URL": "postgres://vagen@db:5432/vagen",
        "REDIS_URL": "redis://redis:6379/0",
    }
    shown = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production';"
            "from django.conf import settings; d = settings.DATABASES['default'];"
            "print(d['OPTIONS']['options'], d['OPTIONS']['server_side_binding'],"
            " d['OPTIONS']['prepare_threshold'], d['DISABLE_SERVER_SIDE_CURSORS'])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=str(Path(__file__).resolve().parent.parent),
    )
    assert shown.stdout.split() == ["-c", "jit=off", "True", "2", "True"]
