"""Benchmark: the reminder sweep over N open deadlines (issue 20 target: 20 000 in
≤ 1 s with a fixed query count and one Celery publish after commit). Each round starts
from N fresh open deadlines that have all reached a stage – the worst case, every one
produces notifications."""

import os
import statistics
import time
from datetime import timedelta

from _setup import setup_django

# A database of its own: the sweep empties the deadline tables, which scale.py fills.
setup_django(os.environ.get("VAGEN_BENCH_DB_PREFIX", "vagen_bench") + "_sweep")

from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.deadlines import sweep  # noqa: E402
from cases.models import Deadline, Notification, Unit, User  # noqa: E402
from cases.roles import Role  # noqa: E402

ROUNDS = 5


def staff():
    units = [Unit.objects.get_or_create(code=f"bench{i}", name=f"Bänk {i}")[0] for i in range(10)]
    managers = Group.objects.get(name=Role.UNIT_MANAGER)
    workers = []
    for unit in units:
        manager, _ = User.objects.get_or_create(
            username=f"bench-chef-{unit.code}", defaults={"unit": unit, "email": "c@x.example"}
        )
        manager.groups.add(managers)
        for j in range(20):
            user, _ = User.objects.get_or_create(
                username=f"bench-hl-{unit.code}-{j}",
                defaults={"unit": unit, "email": "h@x.example"},
            )
            workers.append(user)
    return workers


def reset(count, workers, now):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_notification, cases_deadline")
    subject_type = ContentType.objects.get_for_model(Unit)
    rows = []
    for i in range(count):
        worker = workers[i % len(workers)]
        due = now + timedelta(minutes=(i % 480) - 240)  # half overdue, half due soon
        rows.append(
            Deadline(
                kind="callback",
                due_at=due,
                remind_at=due - timedelta(hours=4),
                responsible=worker if i % 10 else None,
                unit_id=worker.unit_id,
                subject_type=subject_type,
                subject_id=i + 1,
                opened_at=now - timedelta(days=1),
            )
        )
    Deadline.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_deadline")


def measure(count, workers):
    timings, cpu, queries, created = [], [], set(), 0
    for _ in range(ROUNDS):
        now = timezone.now()
        reset(count, workers, now)
        with CaptureQueriesContext(connection) as ctx:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = sweep(now)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries.add(len(ctx))
        created = len(result.notifications)
        rerun = sweep(now)
        assert rerun.notifications == [], "second sweep created notifications"
        assert Notification.objects.count() == created
    return timings, cpu, queries, created


def main():
    workers = staff()
    print(f"Reminder sweep, PostgreSQL, {ROUNDS} rounds each (time of sweep(), queries)")
    for count in (2_000, 20_000):
        timings, cpu, queries, created = measure(count, workers)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"  {count:>6} open deadlines: median {statistics.median(timings) * 1000:7.1f} ms, "
            f"max {max(timings) * 1000:7.1f} ms, Python CPU median "
            f"{statistics.median(cpu) * 1000:6.1f} ms, queries {sorted(queries)}, "
            f"load average {load}, "
            f"notifications {created}"
        )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_notification, cases_deadline")
    from config.celery_app import app

    app.control.purge()  # the e-mail batches queued by the sweeps belong to no one


if __name__ == "__main__":
    main()
