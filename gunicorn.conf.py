"""gunicorn reads this file from its working directory (/app in the image) by default,
so the command in the Dockerfile and docker-compose.yml stays short; command-line
options win over what is set here.

- The access log never carries a query string (a search for a personnummer is one)
  and leaves out the health and metrics paths (the orchestrator asks every few
  seconds); Vägen's own request line (config.ops.RequestLogMiddleware) has the view
  name, status, user id and request id.
- Prometheus' multiprocess mode: each gunicorn worker writes its metrics to files in
  PROMETHEUS_MULTIPROC_DIR, and /metrics sums them (config.metrics).
"""

import os
import shutil
import tempfile

from gunicorn.glogging import Logger

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]
# Behind the reverse proxy: forwarded headers only from it (it is on the same network).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
# Method, path without query string, status, size, duration in ms, the request id.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'

_QUIET_PATHS = ("/halsa/", "/halsa/redo/", "/metrics")


class VagenLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in _QUIET_PATHS:
            return
        super().access(resp, req, environ, request_time)


logger_class = VagenLogger

_multiproc = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if not _multiproc:
    _multiproc = tempfile.mkdtemp(prefix="vagen-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _multiproc


def on_starting(server):
    # Counters of a previous run of the master must not be summed into this one.
    shutil.rmtree(_multiproc, ignore_errors=True)
    os.makedirs(_multiproc, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
