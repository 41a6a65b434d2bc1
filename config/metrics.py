"""Prometheus metrics (served by ``config.ops`` at ``/metrics`` to the internal network).

- ``vagen_http_request_duration_seconds`` (histogram; labels view, method, status): the
  latency of every request that reaches a view, by URL name – never by path.
- ``vagen_celery_queue_length`` (gauge; label queue): messages waiting in the broker,
  read from Redis when scraped, so every web node reports the same number.
- ``vagen_deadline_sweep_*``: the deadline sweep's last duration, its count and total
  time. The sweep runs in a worker, not in the web process, so the worker writes its
  figures to Redis (``record_sweep``) and the scrape reads them from there.

Under gunicorn with several workers each worker counts its own requests;
``gunicorn.conf.py`` sets ``PROMETHEUS_MULTIPROC_DIR`` before the application is
imported, and the scrape then sums every worker's files (prometheus-client's multiprocess
mode). Without it (``make run``, tests) the process's own registry is used.
"""

from __future__ import annotations

import logging
import os
import time

from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "vagen_http_request_duration_seconds",
    "Svarstid per vy (URL-namn), metod och status",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)

SWEEP_KEY = "vagen:metrics:deadline_sweep"
# kombu's Redis transport keeps a queue's priorities in lists of their own.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(view=view, method=method, status=str(status)).observe(seconds)


def _redis():
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def record_sweep(seconds: float, notifications: int) -> None:
    """Called by the sweep task in the worker; a broker hiccup never fails the sweep."""
    try:
        client = _redis()
        if client is None:
            return
        pipe = client.pipeline()
        pipe.hset(
            SWEEP_KEY,
            mapping={"last_seconds": f"{seconds:.6f}", "last_finished": f"{time.time():.3f}"},
        )
        pipe.hincrby(SWEEP_KEY, "runs", 1)
        pipe.hincrbyfloat(SWEEP_KEY, "total_seconds", seconds)
        pipe.hincrby(SWEEP_KEY, "notifications", notifications)
        pipe.execute()
    except Exception as error:  # noqa: BLE001
        logger.warning("could not record the sweep's metrics: %s", type(error).__name__)


class BrokerCollector:
    """Read at scrape time from Redis: queue lengths and the sweep's figures."""

    def collect(self):
        client = _redis()
        if client is None:
            return
        default = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        queues = sorted({default, *getattr(settings, "VAGEN_METRICS_QUEUES", [])})
        length = GaugeMetricFamily(
            "vagen_celery_queue_length", "Meddelanden som väntar i kön", labels=["queue"]
        )
        try:
            for queue in queues:
                pipe = client.pipeline()
                for suffix in _PRIORITY_SUFFIXES:
                    pipe.llen(queue + suffix)
                length.add_metric([queue], sum(pipe.execute()))
            sweep = {k.decode(): v.decode() for k, v in client.hgetall(SWEEP_KEY).items()}
        except Exception as error:  # noqa: BLE001 – a scrape without the broker's figures
            logger.warning("metrics: broker unreachable: %s", type(error).__name__)
            return
        yield length
        if sweep:
            yield GaugeMetricFamily(
                "vagen_deadline_sweep_last_duration_seconds",
                "Hur lång tid den senaste fristsvepningen tog",
                value=float(sweep.get("last_seconds", 0)),
            )
            yield GaugeMetricFamily(
                "vagen_deadline_sweep_last_finished_timestamp_seconds",
                "När den senaste fristsvepningen blev klar (Unix-tid)",
                value=float(sweep.get("last_finished", 0)),
            )
            runs = CounterMetricFamily(
                "vagen_deadline_sweep_runs",
                "Antal fristsvepningar",
                value=int(sweep.get("runs", 0)),
            )
            yield runs
            yield CounterMetricFamily(
                "vagen_deadline_sweep_duration_seconds",
                "Sammanlagd tid i fristsvepningar",
                value=float(sweep.get("total_seconds", 0)),
            )


def render_metrics() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    broker = CollectorRegistry()
    broker.register(BrokerCollector())
    return generate_latest(process) + generate_latest(broker), CONTENT_TYPE_LATEST
