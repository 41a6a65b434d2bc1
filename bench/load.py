"""Load benchmark (issue 20): real HTTP against gunicorn, open loop.

Requests are *scheduled* at a fixed rate (the arrival of people does not wait for the
server); each one's latency is measured from its scheduled time, so queueing – in the
load generator, the backlog or the worker – counts, as it does for the person waiting.
The generator stamps ``X-Request-Start`` with the scheduled time, as the front proxy
does in production, so the overload guard (cases.overload) can shed what waited too
long. The rate steps up; each step prints throughput (2xx per second), how many were
shed (503) and p50/p95/p99 of the answered requests.

The mix, for signed-in staff of the benchmark's first unit: Mina ärenden, a case page,
the unit dashboard and the unread-count badge. Data: the smallest size of scale.py's
databases that exists (VAGEN_BENCH_LOAD_SIZE, default 10000); run scale.py first.

VAGEN_BENCH_LOAD_RATES (default "5,10,20,40") req/s, VAGEN_BENCH_LOAD_SECONDS per step
(default 8), gunicorn 2 workers × 4 threads, backlog 64, queue deadline 1000 ms.
"""

import http.client
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _setup import ROOT, percentile, setup_django, signed_in_client

SIZE = int(os.environ.get("VAGEN_BENCH_LOAD_SIZE", "10000"))
DB_PREFIX = os.environ.get("VAGEN_BENCH_DB_PREFIX", "vagen_bench")
DATABASE = f"{DB_PREFIX}_{SIZE // 1000}k"
RATES = [float(r) for r in os.environ.get("VAGEN_BENCH_LOAD_RATES", "5,10,20,40").split(",")]
SECONDS = float(os.environ.get("VAGEN_BENCH_LOAD_SECONDS", "8"))
PORT = int(os.environ.get("VAGEN_BENCH_LOAD_PORT", str(18000 + os.getpid() % 1000)))
QUEUE_TIMEOUT_MS = 1000

setup_django(DATABASE)

from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchdata import UNIT_CODE_PREFIX  # noqa: E402
from cases.models import Case, User  # noqa: E402
from cases.roles import Role  # noqa: E402


def sessions() -> tuple[list[tuple[str, list[str]]], str]:
    """(session cookie, the paths that user asks for) for the unit's staff."""
    unit = f"{UNIT_CODE_PREFIX}01"
    cookie_name = settings.SESSION_COOKIE_NAME
    staff = []
    for user in User.objects.filter(unit__code=unit, is_active=True, groups__name=Role.CASEWORKER)[
        :30
    ]:
        client = signed_in_client(user)
        own = list(Case.objects.filter(caseworker=user).values_list("pk", flat=True)[:50])
        if not own:
            continue
        paths = [reverse("case_list"), reverse("unread_count")]
        paths += [reverse("case_detail", args=[pk]) for pk in own]
        staff.append((client.cookies[cookie_name].value, paths))
    manager = User.objects.get(unit__code=unit, groups__name=Role.UNIT_MANAGER, is_active=True)
    client = signed_in_client(manager)
    staff.append((client.cookies[cookie_name].value, [reverse("reporting:dashboard")]))
    return staff, cookie_name


def start_server() -> subprocess.Popen:
    env = dict(os.environ)
    env["VAGEN_REQUEST_QUEUE_TIMEOUT_MS"] = str(QUEUE_TIMEOUT_MS)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_CONN_MAX_AGE"] = "60"  # persistent connections, as in production
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--worker-class",
            "gthread",
            "--workers",
            "2",
            "--threads",
            "4",
            "--backlog",
            "64",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/logga-in/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _cpu_seconds(pids) -> float:
    """User + system CPU of the processes ``pids`` so far (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """gunicorn's workers: per step, divided by the requests, the server's CPU per
    request of the mix."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return 0.0
    return _cpu_seconds(children)


def postgres_cpu_seconds() -> float:
    """Every PostgreSQL process on the machine (the benchmark's backends and the
    server's own helpers): its share of the two cores beside the workers'."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    pids.append(entry.name)
            except OSError:
                continue
    return _cpu_seconds(pids)


def one(scheduled: float, cookie: str, path: str, cookie_name: str) -> tuple[int, float]:
    delay = scheduled - time.time()
    if delay > 0:
        time.sleep(delay)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        connection.request(
            "GET",
            path,
            headers={
                "Cookie": f"{cookie_name}={cookie}",
                "Host": "localhost",
                "X-Request-Start": f"t={scheduled:.6f}",
            },
        )
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
    except OSError:
        status = 0
    return status, (time.time() - scheduled) * 1000


def step(
    rate: float, staff, cookie_name: str, pool: ThreadPoolExecutor, rng: random.Random, server
):
    cpu_before, pg_before = worker_cpu_seconds(server), postgres_cpu_seconds()
    start = time.time() + 0.5
    count = int(rate * SECONDS)
    futures = []
    for i in range(count):
        cookie, paths = rng.choice(staff)
        futures.append(pool.submit(one, start + i / rate, cookie, rng.choice(paths), cookie_name))
    results = [f.result() for f in futures]
    elapsed = max(time.time() - start, SECONDS)
    ok = [ms for status, ms in results if 200 <= status < 400]
    shed = sum(1 for status, _ in results if status == 503)
    failed = len(results) - len(ok) - shed
    load = os.getloadavg()[0]
    cpu_ms = (worker_cpu_seconds(server) - cpu_before) * 1000 / max(len(results), 1)
    pg_ms = (postgres_cpu_seconds() - pg_before) * 1000 / max(len(results), 1)
    if ok:
        print(
            f"  {rate:6.1f} req/s offered: {len(ok) / elapsed:6.1f} req/s answered, "
            f"503 {shed:4d}, other errors {failed:3d}, "
            f"p50 {statistics.median(ok):7.1f} ms, p95 {percentile(ok, 0.95):7.1f} ms, "
            f"p99 {percentile(ok, 0.99):7.1f} ms; CPU per request: gunicorn {cpu_ms:4.1f} ms, "
            f"PostgreSQL {pg_ms:4.1f} ms (load average {load:.2f})",
            flush=True,
        )
    else:
        print(f"  {rate:6.1f} req/s offered: nothing answered, 503 {shed}, errors {failed}")


def main() -> int:
    if not User.objects.filter(unit__code=f"{UNIT_CODE_PREFIX}01").exists():
        print(f"Load: no benchmark data in {DATABASE} – run bench/scale.py first (skipped)")
        return 0
    staff, cookie_name = sessions()
    server = start_server()
    for cookie, paths in staff:  # warm both workers' caches and connections
        for path in paths[:3]:
            one(time.time(), cookie, path, cookie_name)
    rng = random.Random(1)
    print(
        f"Load (issue 20): gunicorn gthread 2×4, backlog 64, queue deadline "
        f"{QUEUE_TIMEOUT_MS} ms, {DATABASE}, open loop, {SECONDS:.0f} s per step, "
        f"latency from the scheduled time"
    )
    try:
        with ThreadPoolExecutor(max_workers=256) as pool:
            for rate in RATES:
                step(rate, staff, cookie_name, pool, rng, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
