"""Graceful overload (issue 20): answer 503 quickly instead of queueing unbounded work.

Two guards, both off unless configured (production settings and docker-compose.yml set
them):

* **Queue deadline.** The front proxy (or the load balancer) stamps each request with
  the time it arrived, ``X-Request-Start: t=<seconds since the epoch>`` (nginx:
  ``proxy_set_header X-Request-Start "t=${msec}";``; milliseconds and microseconds are
  understood too). A request that waited longer than ``VAGEN_REQUEST_QUEUE_TIMEOUT_MS``
  in gunicorn's backlog is answered at once with 503 and a Swedish page – the person has
  most likely given up, and computing the page would only delay the requests behind it.
  A client can only make its own request fail by sending an old stamp.
* **Per-request database deadline.** PostgreSQL's ``statement_timeout``
  (``VAGEN_DB_STATEMENT_TIMEOUT_MS``) cancels a query that runs too long; the cancel
  reaches this middleware as ``QueryCanceled`` and becomes the same 503 page instead of
  a 500.

Gunicorn bounds the rest: a fixed number of workers × threads and a short ``--backlog``
(see docker-compose.yml and the README's "Drift under hög last").
"""

import logging
import time

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def request_start(header: str) -> float | None:
    """Seconds since the epoch from ``t=1700000000.123`` (s), ``t=1700000000123`` (ms) or
    ``t=1700000000123456`` (µs); None for anything else."""
    value = header.strip().removeprefix("t=")
    try:
        stamp = float(value)
    except ValueError:
        return None
    for scale in (1, 1_000, 1_000_000):
        if stamp / scale < 10_000_000_000:  # seconds until the year 2286
            return stamp / scale
    return None


def overloaded(request, reason: str):
    logger.warning("request shed under load", extra={"reason": reason, "path": request.path})
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class OverloadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_ms = settings.VAGEN_REQUEST_QUEUE_TIMEOUT_MS
        header = request.headers.get("X-Request-Start")
        if limit_ms and header:
            started = request_start(header)
            if started is not None and (time.time() - started) * 1000 > limit_ms:
                return overloaded(request, "queue")
        return self.get_response(request)

    def process_exception(self, request, exception):
        # psycopg's QueryCanceled (statement_timeout) arrives wrapped as OperationalError.
        cause = exception.__cause__
        if isinstance(exception, OperationalError) and type(cause).__name__ == "QueryCanceled":
            return overloaded(request, "statement_timeout")
        return None
