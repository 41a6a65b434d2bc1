"""Operations endpoints: health for the orchestrator, metrics for Prometheus (issue 23).

``OpsEndpointsMiddleware`` is the first middleware, so these three paths are answered
before anything that depends on the request's host, scheme or session:

- ``/halsa/`` – liveness: the process answers (no database, nothing else).
- ``/halsa/redo/`` – readiness: the database answers, every migration is applied, the
  broker answers and the file storage answers. 200 or 503 with a JSON body naming each
  check ``ok``/``fel`` – never an exception text (it could quote data), never personal
  data.
- ``/metrics`` – Prometheus text format, only to addresses in
  ``VAGEN_METRICS_ALLOWED_NETWORKS`` (the internal network); everyone else gets 404.

Because the middleware answers before ``SecurityMiddleware`` and ``CommonMiddleware``,
neither the HTTPS redirect nor ``ALLOWED_HOSTS`` applies: the container healthcheck
asks ``http://127.0.0.1:8000/halsa/redo/`` with whatever host it likes.
``SECURE_REDIRECT_EXEMPT`` lists the paths as well, for the day someone moves the
middleware. The gunicorn access log leaves these paths out (``gunicorn.conf.py``), and
``RequestLogMiddleware`` never sees them.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, HttpResponseNotFound

logger = logging.getLogger("vagen.ops")

LIVENESS_PATH = "/halsa/"
READINESS_PATH = "/halsa/redo/"
METRICS_PATH = "/metrics"
OPS_PATHS = frozenset({LIVENESS_PATH, READINESS_PATH, METRICS_PATH})

# Once every migration is applied it stays applied for the life of the process (an
# upgrade starts new processes); the check is the costly one, so it is remembered.
_migrations_applied = False


def _json(payload: dict, status: int) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload), content_type="application/json; charset=utf-8", status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def check_database() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_migrations() -> bool:
    global _migrations_applied
    if _migrations_applied:
        return True
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_applied = not plan
    return _migrations_applied


def check_broker() -> bool:
    from config.celery_app import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        if conn.transport_cls in ("redis", "rediss"):
            client = conn.default_channel.client
            return bool(client.ping())
    return True


def check_storage() -> bool:
    from django.core.files.storage import default_storage

    # Any answer (True/False) means the storage is reachable and the credentials work.
    default_storage.exists("halsa/redo")
    return True


READINESS_CHECKS = {
    "databas": check_database,
    "migreringar": check_migrations,
    "meddelandeko": check_broker,
    "fillagring": check_storage,
}


def readiness() -> tuple[bool, dict[str, str]]:
    results: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            ok = check()
        except Exception as error:  # noqa: BLE001 – any failure is "not ready"
            # Only the type: a driver's message can name hosts, users or data.
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
            ok = False
        results[name] = "ok" if ok else "fel"
        if name == "databas" and not ok:
            results["migreringar"] = "fel"
            break
    ready = all(value == "ok" for value in results.values()) and len(results) == len(
        READINESS_CHECKS
    )
    return ready, results


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item)


def metrics_allowed(remote_addr: str) -> bool:
    """The scraper's own address (REMOTE_ADDR, never a forwarded header) must be in
    one of the internal networks."""
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    networks = _networks(tuple(settings.VAGEN_METRICS_ALLOWED_NETWORKS))
    return any(address in network for network in networks)


class OpsEndpointsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in OPS_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        if path == LIVENESS_PATH:
            return _json({"status": "ok"}, 200)
        if path == READINESS_PATH:
            ready, checks = readiness()
            return _json(
                {"status": "ok" if ready else "fel", "kontroller": checks}, 200 if ready else 503
            )
        if not metrics_allowed(request.META.get("REMOTE_ADDR", "")):
            return HttpResponseNotFound()
        from config.metrics import render_metrics

        body, content_type = render_metrics()
        response = HttpResponse(body, content_type=content_type)
        response["Cache-Control"] = "no-store"
        return response


class RequestLogMiddleware:
    """One log line per request: view name, method, status, duration, the user's id.

    Never the path or the query string – a search for a personnummer is a query string,
    a person page's path is enough to say whom someone looked at – and never a name.
    Also observes the request latency for ``/metrics``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.access = logging.getLogger("vagen.request")

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        # Only a user the request already loaded (request._cached_user, set by
        # django.contrib.auth's lazy user): the log line never costs a query.
        user = getattr(request, "_cached_user", None)
        user_id = str(user.pk) if user is not None and user.is_authenticated else "-"
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "okand"
        from config.metrics import observe_request

        observe_request(view, request.method, response.status_code, elapsed)
        self.access.info(
            "%s %s %s %.0f ms",
            request.method,
            view,
            response.status_code,
            elapsed * 1000,
            extra={
                "user_id": user_id,
                "view": view,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response
