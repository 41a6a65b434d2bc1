"""Benchmark (issue 8, Scale): the pages people use every day at 10 000 and at 100 000
households (``manage.py seed_bench``), server time through Django's test client (the
whole middleware stack, view, queries and template; no network) with p50/p95 over
REQUESTS requests after WARMUP warm-up requests, and each page's query count.

DESIGN.md targets: p95 ≤ 150 ms for the caseworker's list, the case page and the unit
dashboard at 100 000 households; 100 000 ≤ 1.5 × 10 000; the caseworker's list ≤ 1.3 ×
an unfiltered list. Administrators see no cases by design, so "unfiltered" is measured
two ways: the unit manager's unit-wide list (``?alla=1``, the widest list anyone gets)
and the same view and template over ``Case.objects.all()`` with the permission filter
switched off (a baseline only the benchmark can see).

The data is generated once per size and reused while it is intact (var/bench-scale.json
says which size and generator version; households and deadlines are counted again,
since bench/sweep.py empties cases_deadline). The database holds one size at a time,
so the size already there is measured first and the other generated after it.
"""

import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from unittest import mock

from _setup import ROOT, percentile, setup_django

setup_django()

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

SIZES = tuple(int(s) for s in os.environ.get("VAGEN_BENCH_SIZES", "10000,100000").split(","))
REQUESTS = int(os.environ.get("VAGEN_BENCH_REQUESTS", "60"))
WARMUP = 5
TARGET_MS = 150
TARGET_GROWTH = 1.5
TARGET_FILTERED = 1.3
UNIT = f"{UNIT_CODE_PREFIX}01"
# Which size is in the database: households and deadlines are counted again on reuse,
# since bench/sweep.py empties cases_deadline.
MARKER = ROOT / "var" / "bench-scale.json"
DATABASE = connection.settings_dict["NAME"]


@dataclass
class Figures:
    p50: float
    p95: float
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
    timings = []
    for url in urls[WARMUP:]:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = set()
    for url in urls[-3:]:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        queries.add(len(context))
    return Figures(statistics.median(timings), percentile(timings, 0.95), queries)


def typical_caseworker() -> User:
    """The caseworker of the first benchmark unit with the median caseload."""
    caseworkers = list(
        User.objects.filter(unit__code=UNIT, is_active=True, groups__name=Role.CASEWORKER)
        .annotate(load=Count("cases", filter=~Q(cases__status=Case.Status.CLOSED)))
        .order_by("load", "pk")
    )
    return caseworkers[len(caseworkers) // 2]


def client_for(user: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


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


def report(results: dict[int, dict[str, Figures]], seeding: dict[int, float | None]) -> None:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    print()
    print(
        f"Scale (issue 8): server time through django.test.Client on PostgreSQL, ms, "
        f"{REQUESTS} requests after {WARMUP} warm-up; q = queries per request"
    )
    head = f"{'':<47}"
    for size in sizes:
        head += f" | {f'{size} households':^21}"
    if len(sizes) > 1:
        head += f" | {f'{large}/{small}':^13}"
    print(head)
    sub = f"{'page':<47}" + f" | {'p50':>6} {'p95':>6} {'q':>7}" * len(sizes)
    if len(sizes) > 1:
        sub += f" | {'p50':>6} {'p95':>6}"
    print(sub)
    for key, label, targeted in PAGES:
        line = f"{label + (' *' if targeted else ''):<47}"
        for size in sizes:
            f = results[size][key]
            queries = "/".join(str(n) for n in sorted(f.queries))
            line += f" | {f.p50:6.1f} {f.p95:6.1f} {queries:>7}"
        if len(sizes) > 1:
            a, b = results[small][key], results[large][key]
            line += f" | {b.p50 / a.p50:6.2f} {b.p95 / a.p95:6.2f}"
        print(line)
    print("* DESIGN.md targets: p95 ≤ 150 ms at 100 000 households, 100k/10k ≤ 1.5")
    print()
    for size in sizes:
        r = results[size]
        for base, name in (("unit_list", "unit-wide list"), ("all_cases", "all-cases baseline")):
            print(
                f"filtered/unfiltered at {size}: Mina ärenden / {name}: "
                f"p50 {r['mine'].p50 / r[base].p50:.2f}, p95 {r['mine'].p95 / r[base].p95:.2f}"
            )
    for size, seconds in sorted(seeding.items()):
        if seconds is not None:
            print(f"seed_bench --households {size} --reset: {seconds:.0f} s")
    print()
    verdicts = []
    r = results[large]
    targeted = [key for key, _label, is_targeted in PAGES if is_targeted]
    if large >= 100_000:
        for key in targeted:
            verdicts.append((f"{key}: p95 at {large} ≤ {TARGET_MS} ms", r[key].p95 <= TARGET_MS))
    if len(sizes) > 1:
        for key in targeted:
            growth = r[key].p95 / results[small][key].p95
            verdicts.append(
                (f"{key}: p95 {large}/{small} ≤ {TARGET_GROWTH}", growth <= TARGET_GROWTH)
            )
    for size in sizes:
        ratio = results[size]["mine"].p95 / results[size]["unit_list"].p95
        verdicts.append(
            (f"filtered/unfiltered p95 at {size} ≤ {TARGET_FILTERED}", ratio <= TARGET_FILTERED)
        )
    for text, ok in verdicts:
        print(f"  {'ok  ' if ok else 'MISS'} {text}")


def main() -> int:
    present = present_size()
    order = sorted(SIZES, key=lambda size: size != present)  # what is there first
    results, seeding = {}, {}
    for size in order:
        seeding[size] = ensure(size)
        results[size] = run_size(size)
    report(results, seeding)
    return 0


if __name__ == "__main__":
    sys.exit(main())
