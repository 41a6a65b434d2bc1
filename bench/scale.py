"""Benchmark (issues 8 and 20, Scale): the pages people use every day at 10 000, 100 000
and 200 000 households (``manage.py seed_bench``), server time through Django's test
client (the whole middleware stack, view, queries and template; no network) with
p50/p95 over REQUESTS requests after WARMUP warm-up requests, the median Python CPU time
per request (``time.process_time``: independent of other load on a shared machine) and
each page's query count, side by side per size with the load average.

Issue 20's targets: case page, Mina ärenden and Enhetens översikt p95 ≤ 50 ms at 100 000
households and the largest size ≤ 1.2 × the smallest.

Each size has a database of its own (``<VAGEN_BENCH_DB_PREFIX>_10k`` …), generated once
and reused while it is intact (var/bench-scale-<database>.json says which size and
generator version; households and deadlines are counted again). Each size is measured
in a child process (``scale.py --size N``) on its own database; the parent prints the
table. ``VAGEN_BENCH_SEED_ONLY=1`` only generates.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from unittest import mock

from _setup import ROOT, percentile, setup_django, signed_in_client

SIZES = tuple(int(s) for s in os.environ.get("VAGEN_BENCH_SIZES", "10000,100000,200000").split(","))
# One database per size (generated once, reused while intact): <prefix>_10k, _100k, _200k.
DB_PREFIX = os.environ.get("VAGEN_BENCH_DB_PREFIX", "vagen_bench")


REQUESTS = int(os.environ.get("VAGEN_BENCH_REQUESTS", "60"))
WARMUP = 5


def database_for(size: int) -> str:
    return f"{DB_PREFIX}_{size // 1000}k" if size >= 1000 else f"{DB_PREFIX}_{size}"


@dataclass
class Figures:
    p50: float
    p95: float
    cpu: float  # median Python CPU (process time) per request, ms
    queries: set[int]


PAGES = (
    ("mine", "Mina ärenden (handläggare)", True),
    ("case", "Ärendesida (handläggarens ärenden)", True),
    ("dashboard", "Enhetens översikt (enhetschef)", True),
    ("person", "Personsida (handläggarens klient)", False),
    ("person_search", "Personsök på efternamn (enhetschef)", False),
    ("indicators", "Indikatorer (enhetschef)", False),
    ("statistics", "Månadsstatistik (enhetschef)", False),
    ("unit_list", "Enhetens ärenden, ?alla=1 (enhetschef)", False),
    ("all_cases", "Alla ärenden utan behörighetsfilter (baslinje)", False),
)


TARGET_MS = 50
TARGET_GROWTH = 1.2


def report(results: dict[int, dict[str, "Figures"]], seeding: dict[int, float | None]) -> None:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print()
    print(
        f"Scale (issues 8, 20): server time through django.test.Client on PostgreSQL, ms, "
        f"{REQUESTS} requests after {WARMUP} warm-up; cpu = median Python CPU per request; "
        f"q = queries per request; load average now {load}"
    )
    head = f"{'':<47}"
    for size in sizes:
        head += f" | {f'{size} households':^28}"
    if len(sizes) > 1:
        head += f" | {f'{large}/{small}':^13}"
    print(head)
    sub = f"{'page':<47}" + f" | {'p50':>6} {'p95':>6} {'cpu':>6} {'q':>7}" * len(sizes)
    if len(sizes) > 1:
        sub += f" | {'p95':>6} {'cpu':>6}"
    print(sub)
    for key, label, targeted in PAGES:
        line = f"{label + (' *' if targeted else ''):<47}"
        for size in sizes:
            f = results[size][key]
            queries = "/".join(str(n) for n in sorted(f.queries))
            line += f" | {f.p50:6.1f} {f.p95:6.1f} {f.cpu:6.1f} {queries:>7}"
        if len(sizes) > 1:
            a, b = results[small][key], results[large][key]
            line += f" | {b.p95 / a.p95:6.2f} {b.cpu / a.cpu:6.2f}"
        print(line)
    print(
        f"* issue 20 targets: p95 ≤ {TARGET_MS} ms at 100 000 households, "
        f"largest/smallest ≤ {TARGET_GROWTH}"
    )
    for size, seconds in sorted(seeding.items()):
        if seconds is not None:
            print(f"seed_bench --households {size} --reset: {seconds:.0f} s")
    verdicts = []
    for key, _label, is_targeted in PAGES:
        if not is_targeted:
            continue
        if 100_000 in results:
            p95 = results[100_000][key].p95
            verdicts.append(
                (f"{key}: p95 at 100000 ≤ {TARGET_MS} ms ({p95:.1f})", p95 <= TARGET_MS)
            )
        if len(sizes) > 1:
            growth = results[large][key].p95 / results[small][key].p95
            verdicts.append(
                (
                    f"{key}: p95 {large}/{small} ≤ {TARGET_GROWTH} ({growth:.2f})",
                    growth <= TARGET_GROWTH,
                )
            )
    for text, ok in verdicts:
        print(f"  {'ok  ' if ok else 'MISS'} {text}")


def parent() -> int:
    """Each size in a child process on its own database; then the table side by side."""
    results, seeding = {}, {}
    for size in SIZES:
        print(f"  {size} households in {database_for(size)} …", flush=True)
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--size", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(done.stderr)
        lines = done.stdout.strip().splitlines()
        if os.environ.get("VAGEN_BENCH_SEED_ONLY"):
            for line in lines:
                print(line, flush=True)
            continue
        for line in lines[:-1]:
            print(line, flush=True)
        payload = json.loads(lines[-1])
        seeding[size] = payload["seeding"]
        results[size] = {
            key: Figures(f["p50"], f["p95"], f["cpu"], set(f["queries"]))
            for key, f in payload["figures"].items()
        }
    if results:
        report(results, seeding)
    return 0


if __name__ == "__main__" and "--size" not in sys.argv:
    sys.exit(parent())

SIZE = int(sys.argv[sys.argv.index("--size") + 1])
setup_django(database_for(SIZE))

from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchdata import GENERATOR_VERSION, UNIT_CODE_PREFIX  # noqa: E402
from cases.models import Case, Deadline, Household, Person, User  # noqa: E402
from cases.models.casework import CaseQuerySet  # noqa: E402
from cases.roles import Role  # noqa: E402

UNIT = f"{UNIT_CODE_PREFIX}01"
# Which size is in the database: households and deadlines are counted again on reuse,
# since bench/sweep.py empties cases_deadline.
DATABASE = connection.settings_dict["NAME"]
MARKER = ROOT / "var" / f"bench-scale-{DATABASE}.json"


def present_size() -> int | None:
    """The size generated last, if that data is still whole and from this generator."""
    try:
        marker = json.loads(MARKER.read_text())
    except (OSError, ValueError):
        return None
    if marker.get("generator") != GENERATOR_VERSION or marker.get("database") != DATABASE:
        return None
    households = Household.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count()
    deadlines = Deadline.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count()
    if households != marker.get("households") or deadlines != marker.get("deadlines"):
        return None
    return households


def ensure(size: int) -> float | None:
    """Generate ``size`` households unless they are there; returns seconds spent."""
    if present_size() == size:
        return None
    print(f"  seed_bench --households {size} --reset …", flush=True)
    MARKER.unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("seed_bench", households=size, reset=True, seed=1, verbosity=0)
    seconds = time.perf_counter() - started
    settle()
    deadlines = Deadline.objects.filter(unit__code__startswith=UNIT_CODE_PREFIX).count()
    MARKER.parent.mkdir(exist_ok=True)
    MARKER.write_text(
        json.dumps(
            {
                "households": size,
                "deadlines": deadlines,
                "generator": GENERATOR_VERSION,
                "database": DATABASE,
            }
        )
    )
    return seconds


def settle() -> None:
    """Write the freshly loaded data out now (a gigabyte at 100 000 households), so the
    checkpointer does not compete with the measurements that follow."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass  # needs superuser or pg_checkpoint; then the data settles on its own


def measure(client: Client, urls: list[str]) -> Figures:
    for url in urls[:WARMUP]:
        client.get(url)
    timings, cpu = [], []
    for url in urls[WARMUP:]:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = set()
    for url in urls[-3:]:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        queries.add(len(context))
    return Figures(
        statistics.median(timings), percentile(timings, 0.95), statistics.median(cpu), queries
    )


def typical_caseworker() -> User:
    """The caseworker of the first benchmark unit with the median caseload."""
    caseworkers = list(
        User.objects.filter(unit__code=UNIT, is_active=True, groups__name=Role.CASEWORKER)
        .annotate(load=Count("cases", filter=~Q(cases__status=Case.Status.CLOSED)))
        .order_by("load", "pk")
    )
    return caseworkers[len(caseworkers) // 2]


def client_for(user: User) -> Client:
    return signed_in_client(user, HTTP_HOST="localhost")


def run_size(size: int) -> dict[str, Figures]:
    rng = random.Random(size)
    caseworker = typical_caseworker()
    manager = User.objects.get(unit__code=UNIT, groups__name=Role.UNIT_MANAGER, is_active=True)
    worker, chief = client_for(caseworker), client_for(manager)
    total = WARMUP + REQUESTS
    own = list(
        Case.objects.visible_to(caseworker)
        .filter(caseworker=caseworker)
        .values_list("pk", flat=True)
    )
    case_urls = [reverse("case_detail", args=[rng.choice(own)]) for _ in range(total)]
    list_url = reverse("case_list")
    # The person gate (issue 13): a client of the caseworker's own cases, and a name
    # search over the unit manager's unit.
    clients = list(
        Person.objects.filter(memberships__household__cases__pk__in=own)
        .values_list("pk", "last_name")
        .distinct()[:200]
    )
    person_urls = [reverse("person_detail", args=[rng.choice(clients)[0]]) for _ in range(total)]
    search_urls = [f"{reverse('person_search')}?q={rng.choice(clients)[1]}" for _ in range(total)]
    results = {
        "mine": measure(worker, [list_url] * total),
        "case": measure(worker, case_urls),
        "dashboard": measure(chief, [reverse("reporting:dashboard")] * total),
        "person": measure(worker, person_urls),
        "person_search": measure(chief, search_urls),
        "indicators": measure(chief, [reverse("reporting:indicators")] * total),
        "statistics": measure(chief, [reverse("reporting:statistics")] * total),
        "unit_list": measure(chief, [f"{list_url}?alla=1"] * total),
    }
    with mock.patch.object(CaseQuerySet, "visible_to", lambda self, user: self):
        results["all_cases"] = measure(chief, [f"{list_url}?alla=1"] * total)
    unit_cases = Case.objects.filter(unit__code=UNIT).count()
    print(
        f"  {size} households: caseworker {caseworker.username} with {len(own)} cases, "
        f"unit {UNIT} with {unit_cases} cases, {Case.objects.count()} cases in all",
        flush=True,
    )
    return results


def main() -> int:
    seeding = ensure(SIZE)
    if os.environ.get("VAGEN_BENCH_SEED_ONLY"):
        return 0
    figures = run_size(SIZE)
    payload = {
        "seeding": seeding,
        "figures": {
            key: {"p50": f.p50, "p95": f.p95, "cpu": f.cpu, "queries": sorted(f.queries)}
            for key, f in figures.items()
        },
    }
    print(json.dumps(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main())
