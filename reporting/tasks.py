"""Celery tasks of the unit's exports and imports: thin – load by id, call a service."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from reporting.jobs import JOB_TIME_LIMIT_SECONDS

# How long an unfinished job may wait in the queue before it is sent again (a message
# lost with a Redis restart), and how long files and previews are kept.
REQUEUE_AFTER = timedelta(minutes=10)
KEEP_JOBS_FOR = timedelta(days=7)


# Exports of a whole unit and large imports take longer than the default limits
# (settings: 240 s soft / 300 s hard); the soft limit lets the job record its failure.
# acks_late: a killed worker's message comes back, and job_run's claim makes that safe.
@shared_task(
    name="reporting.tasks.run_export_import_job",
    acks_late=True,
    soft_time_limit=JOB_TIME_LIMIT_SECONDS - 60,
    time_limit=JOB_TIME_LIMIT_SECONDS,
)
def run_export_import_job(job_id: int) -> str:
    from reporting.jobs import RETRY, enqueue_job, job_run, storage_retry_delay

    state = job_run(job_id)
    if state == RETRY:
        # The storage failed for a moment: the job is queued again (in the database) and
        # sent again after a pause; requeue_waiting_jobs is the net if this is lost.
        enqueue_job(run_export_import_job, job_id, countdown=storage_retry_delay(job_id))
    return state


@shared_task(name="reporting.tasks.requeue_waiting_jobs")
def requeue_waiting_jobs() -> int:
    """Safety net: jobs still queued long after they were ordered are sent again (the
    database, not the broker, remembers what is to be done; job_run ignores duplicates)."""
    from reporting.models_jobs import ExportImportJob

    cutoff = timezone.now() - REQUEUE_AFTER
    ids = list(
        ExportImportJob.objects.filter(
            state=ExportImportJob.State.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:100]
    )
    for job_id in ids:
        run_export_import_job.delay(job_id)
    return len(ids)


@shared_task(name="reporting.tasks.delete_old_jobs")
def delete_old_jobs() -> int:
    """Exported files and import previews hold personal data: kept a week, then removed
    with their files (idempotent)."""
    from reporting.models_jobs import ExportImportJob

    cutoff = timezone.now() - KEEP_JOBS_FOR
    old = list(
        ExportImportJob.objects.filter(created_at__lt=cutoff, preview__isnull=True).exclude(
            state=ExportImportJob.State.RUNNING
        )
    )
    for job in old:
        for related in job.imports.all():
            if related.result:
                related.result.delete(save=False)
        for stored in (job.result, job.source):
            if stored:
                stored.delete(save=False)
        job.delete()  # the imports made from a preview go with it (CASCADE)
    return len(old)


# acks_late: a worker killed mid-way leaves the message to be delivered again, and the
# recomputation is idempotent (one row per unit and month, rows locked while counting).
# One unit's months per message, so the default time limits (240 s soft) are ample: two
# years of a 10 000-household unit take about half a second.
@shared_task(name="reporting.tasks.refresh_monthly_aggregates", acks_late=True)
def refresh_monthly_aggregates(unit_id: int, months: list[str], force: bool = False) -> int:
    """Recompute the unit's months a service marked dirty (reporting.aggregates); months
    already clean – a retried or doubled message – are left alone unless ``force``."""
    from reporting.aggregates import refresh_dirty

    return refresh_dirty(
        unit_id=unit_id, months=[date.fromisoformat(m) for m in months], force=force
    )


@shared_task(name="reporting.tasks.refresh_dirty_monthly_aggregates", acks_late=True)
def refresh_dirty_monthly_aggregates() -> int:
    """Safety net (beat): per unit, one message recomputing every dirty month, the current
    and previous month, and the months the pages open on that are not stored yet."""
    from reporting.aggregates import months_to_refresh

    plan = months_to_refresh()
    for unit_id, months in plan.items():
        refresh_monthly_aggregates.delay(unit_id, [m.isoformat() for m in months], force=True)
    return sum(len(months) for months in plan.values())
