"""Export and import jobs: creating them, and running them – in Celery or, for a small
export, at once in the request. Either way ``job_run`` does the work, so both paths
behave alike. An import always runs in Celery: an uploaded file is only checked in the
request (``cases.spreadsheets.check_upload``, without parsing it) and parsed in the task,
under its time limit – a crafted file can tie up a worker for minutes at most, never the
web process.

``job_run`` is idempotent: it claims the job under a row lock and returns at once when the
job is finished or another worker holds it; a job left "running" by a worker that died is
taken over once it is older than the task's time limit. acks_late (settings) means a
killed worker's message is delivered again, and that is exactly what this guard is for.

Permissions are checked again when the job runs: a user who lost their role or moved
unit between ordering and running gets nothing. Logs carry job ids only – an exception
message can quote a personnummer, so only its type is logged.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import User
from cases.roles import Role
from cases.spreadsheets import UploadRefused, check_upload
from reporting.exports import case_export, export_row_count, indicator_export
from reporting.imports import (
    ImportFailed,
    ImportFileError,
    failed_report,
    file_format_for,
    import_apply,
    plan_import,
    read_rows,
)
from reporting.models_jobs import JOB_TRANSITIONS, ExportImportJob

logger = logging.getLogger(__name__)

Kind = ExportImportJob.Kind
State = ExportImportJob.State

# Up to this many rows an export runs at once in the request; above it, in Celery.
# Imports always run in Celery (module docstring).
SYNC_MAX_ROWS = settings.VAGEN_EXPORT_SYNC_MAX_ROWS  # settings; 1000 unless set
# The task's hard time limit (reporting.tasks); a "running" job older than this has no
# live worker any more and may be taken over by a redelivered message.
JOB_TIME_LIMIT_SECONDS = 30 * 60
TAKEOVER_AFTER = timedelta(seconds=JOB_TIME_LIMIT_SECONDS + 60)
# Object storage that fails for a moment (an S3 gateway restarting or refusing a
# request while it reloads, a network blip): the job goes back to the queue and runs
# again after STORAGE_RETRY_SECONDS[n], at most STORAGE_ATTEMPTS times in all, before it
# is marked failed. Nothing is lost: the result is written again from the database.
STORAGE_ATTEMPTS = 3
STORAGE_RETRY_SECONDS = (5, 20)
RETRY = "retry"


def _storage_errors() -> tuple[type[BaseException], ...]:
    """botocore's errors (S3 storage) – and OSError (a file system or connection)."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover – boto3 comes with django-storages[s3]
        return (OSError,)
    return (BotoCoreError, ClientError, OSError)


def storage_retry_delay(job_id: int) -> int:
    """Seconds before a job sent back to the queue runs again (by its attempts)."""
    attempts = ExportImportJob.objects.filter(pk=job_id).values_list("attempts", flat=True)
    done = attempts[0] if attempts else 1
    return STORAGE_RETRY_SECONDS[min(max(done - 1, 0), len(STORAGE_RETRY_SECONDS) - 1)]


class JobError(Exception):
    """The job cannot be created; the message is Swedish."""


# ----------------------------------------------------------------------- who may


def may_export(user: User, kind: str) -> bool:
    if not (user.is_authenticated and user.is_active and user.unit_id):
        return False
    if kind == Kind.EXPORT_CASES:
        return user.has_role(Role.CASEWORKER) or user.has_role(Role.UNIT_MANAGER)
    if kind == Kind.EXPORT_INDICATORS:
        return user.has_role(Role.UNIT_MANAGER)
    return False


def may_import(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.unit_id
        and user.has_role(Role.UNIT_MANAGER)
    )


def _may_run(job: ExportImportJob) -> bool:
    user = job.user
    if user.unit_id != job.unit_id:
        return False
    return may_import(user) if job.kind == Kind.IMPORT_PERSONS else may_export(user, job.kind)


# ----------------------------------------------------------------------- creating


@transaction.atomic
def export_job_create(
    *, actor: User, kind: str, file_format: str, only_mine: bool = False
) -> ExportImportJob:
    if not may_export(actor, kind):
        raise JobError(_("Du har inte behörighet att göra den exporten."))
    return ExportImportJob.objects.create(
        kind=kind,
        file_format=file_format,
        user=actor,
        unit=actor.unit,
        params={"only_mine": bool(only_mine)} if kind == Kind.EXPORT_CASES else {},
    )


def export_runs_in_background(*, actor: User, kind: str, only_mine: bool = False) -> bool:
    return export_row_count(kind, actor, only_mine=only_mine) > SYNC_MAX_ROWS


@transaction.atomic
def import_preview_create(*, actor: User, upload: UploadedFile) -> ExportImportJob:
    """A dry run of the uploaded file (the file is kept for the import that follows).
    The file is checked – not parsed – here: too large, inflating too much (an XLSX zip
    bomb) or with too many rows, it is refused with a Swedish ``JobError`` and not kept."""
    if not may_import(actor):
        raise JobError(_("Bara enhetschefer kan importera personer och hushåll."))
    try:
        file_format = file_format_for(upload.name or "")
        check_upload(upload, file_format)
    except (ImportFileError, UploadRefused) as error:
        raise JobError(str(error)) from None
    job = ExportImportJob(
        kind=Kind.IMPORT_PERSONS,
        file_format=file_format,
        user=actor,
        unit=actor.unit,
        dry_run=True,
        source_name=(upload.name or "")[-120:],
    )
    job.source.save(upload.name or f"fil.{file_format}", upload, save=False)
    job.save()
    return job


@transaction.atomic
def import_job_create(*, actor: User, preview: ExportImportJob) -> ExportImportJob:
    """The real import of a previewed file. A second confirmation (double click) returns
    the import already under way or done."""
    preview = ExportImportJob.objects.select_for_update().get(pk=preview.pk)
    if not (may_import(actor) and preview.user_id == actor.pk and preview.dry_run):
        raise JobError(_("Du har inte behörighet att göra importen."))
    if preview.state != State.DONE or preview.report.get("summary", {}).get("error_rows"):
        raise JobError(_("Provkörningen måste vara klar och utan fel innan du importerar."))
    existing = preview.imports.exclude(state=State.FAILED).first()
    if existing is not None:
        return existing
    return ExportImportJob.objects.create(
        kind=Kind.IMPORT_PERSONS,
        file_format=preview.file_format,
        user=actor,
        unit=preview.unit,
        dry_run=False,
        preview=preview,
        source_name=preview.source_name,
    )


def job_runs_in_background(job: ExportImportJob) -> bool:
    """Imports always (their file is parsed only in the task); exports when large."""
    if job.kind == Kind.IMPORT_PERSONS:
        return True
    count = export_row_count(job.kind, job.user, only_mine=job.params.get("only_mine", False))
    return count > SYNC_MAX_ROWS


def job_start(job: ExportImportJob) -> ExportImportJob:
    """Run a small export now, or hand the job to Celery once its row is committed."""
    from reporting.tasks import run_export_import_job

    if not job_runs_in_background(job):
        if job_run(job.pk) == RETRY:
            # The storage failed for a moment: a worker tries again shortly.
            delay = storage_retry_delay(job.pk)
            transaction.on_commit(
                lambda: enqueue_job(run_export_import_job, job.pk, countdown=delay)
            )
        job.refresh_from_db()
        return job

    transaction.on_commit(lambda: enqueue_job(run_export_import_job, job.pk))
    return job


def enqueue_job(task, job_id: int, *, countdown: int | None = None) -> None:
    try:
        task.apply_async(args=[job_id], countdown=countdown)
    except Exception as error:  # noqa: BLE001 – broker down: the job stays queued
        # reporting.tasks.requeue_waiting_jobs sends it again; the row remembers it.
        logger.warning("could not enqueue export/import job %s: %s", job_id, type(error).__name__)


# ----------------------------------------------------------------------- running


def _transition(job: ExportImportJob, state: str) -> None:
    if state not in JOB_TRANSITIONS[job.state]:
        raise ValueError(f"job {job.pk}: {job.state} → {state} is not allowed")
    job.state = state


def job_claim(job_id: int) -> ExportImportJob | None:
    """Take the job for this worker, or None when there is nothing to do."""
    with transaction.atomic():
        job = (
            ExportImportJob.objects.select_for_update(of=("self",))
            .select_related("user", "unit", "preview")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.is_finished:
            return None
        now = timezone.now()
        if job.state == State.RUNNING and job.started_at and now - job.started_at < TAKEOVER_AFTER:
            return None  # another worker is on it
        _transition(job, State.RUNNING)
        job.started_at = now
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "attempts"])
        return job


def _progress_writer(job: ExportImportJob, *, start: int = 0, span: int = 100):
    def write(done: int, total: int) -> None:
        percent = start + (span * done // total if total else 0)
        ExportImportJob.objects.filter(pk=job.pk).update(
            progress=min(percent, 99), processed_rows=done, total_rows=total
        )

    return write


def _finish(job: ExportImportJob, state: str, **fields) -> None:
    _transition(job, state)
    job.finished_at = timezone.now()
    if state == State.DONE:
        job.progress = 100
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def _read_source(source) -> bytes:
    with source.open("rb") as handle:
        return handle.read()


def job_run(job_id: int) -> str:
    """Do the job once. Returns the job's state afterwards (or "skipped")."""
    job = job_claim(job_id)
    if job is None:
        return "skipped"
    try:
        if not _may_run(job):
            _finish(job, State.FAILED, error=_("Behörighet saknas för jobbet."))
        elif job.kind == Kind.IMPORT_PERSONS:
            _run_import(job)
        else:
            _run_export(job)
    except SoftTimeLimitExceeded:
        logger.error("export/import job %s hit the task's time limit", job.pk)
        job.refresh_from_db()
        if not job.is_finished:
            _finish(
                job,
                State.FAILED,
                error=_(
                    "Jobbet tog för lång tid och avbröts. Dela upp filen eller kontakta "
                    "förvaltningen."
                ),
            )
    except _storage_errors() as error:
        code = _error_code(error)
        job.refresh_from_db()
        if not job.is_finished and job.attempts < STORAGE_ATTEMPTS:
            logger.warning(
                "export/import job %s: storage failed (%s %s), queued again",
                job.pk,
                type(error).__name__,
                code,
            )
            _transition(job, State.QUEUED)
            job.progress, job.processed_rows = 0, 0
            job.save(update_fields=["state", "progress", "processed_rows"])
            return RETRY
        logger.error("export/import job %s failed: %s %s", job.pk, type(error).__name__, code)
        if not job.is_finished:
            _finish(
                job,
                State.FAILED,
                error=_("Jobbet kunde inte slutföras. Försök igen eller kontakta förvaltningen."),
            )
    except Exception as error:  # noqa: BLE001 – the job records the failure; see module doc
        logger.error(
            "export/import job %s failed: %s %s", job.pk, type(error).__name__, _error_code(error)
        )
        job.refresh_from_db()
        if not job.is_finished:
            _finish(
                job,
                State.FAILED,
                error=_("Jobbet kunde inte slutföras. Försök igen eller kontakta förvaltningen."),
            )
    return job.state


def _error_code(error: BaseException) -> str:
    """For a storage error, the service's error code (e.g. botocore's "NoSuchBucket") –
    never the message, which may quote data (module docstring)."""
    response = getattr(error, "response", None)
    return response.get("Error", {}).get("Code", "") if isinstance(response, dict) else ""


def _run_export(job: ExportImportJob) -> None:
    progress = _progress_writer(job)
    if job.kind == Kind.EXPORT_CASES:
        exported = case_export(
            job.user,
            file_format=job.file_format,
            only_mine=job.params.get("only_mine", False),
            progress=progress,
        )
    else:
        exported = indicator_export(job.unit, file_format=job.file_format, progress=progress)
    job.result.save(exported.filename, ContentFile(exported.content), save=False)
    _finish(
        job,
        State.DONE,
        result_name=exported.filename,
        total_rows=exported.rows,
        processed_rows=exported.rows,
    )


def _run_import(job: ExportImportJob) -> None:
    source = (job.preview or job).source
    try:
        # read_rows checks the stored file again before parsing it (limits may change).
        rows = read_rows(_read_source(source), job.file_format)
    except ImportFileError as error:
        _finish(job, State.FAILED, error=str(error))
        return
    # Checking is progress 0–90 %; the writes are one transaction, invisible (progress
    # included) until they commit – all or nothing – so the bar then jumps to 100 %.
    plan = plan_import(
        rows,
        unit=job.unit,
        actor=job.user,
        progress=_progress_writer(job, span=100 if job.dry_run else 90),
    )
    counts = {"total_rows": len(rows), "processed_rows": len(rows)}
    if job.dry_run:
        _finish(job, State.DONE, report=plan.as_report(), **counts)
        return
    try:
        created = import_apply(plan, unit=job.unit, actor=job.user, job=job)
    except ImportFailed as failure:
        _finish(
            job,
            State.FAILED,
            report=failed_report(plan, failure),
            error=_("Ingenting importerades: rad %(row)s kunde inte importeras.")
            % {"row": failure.row},
            **counts,
        )
        return
    report = plan.as_report()
    report["created"] = created
    _finish(job, State.DONE, report=report, **counts)
