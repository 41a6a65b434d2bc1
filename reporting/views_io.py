"""Pages for exports and imports (issue 8).

- *Export*: caseworkers and unit managers export the cases they may see; unit managers
  also the unit's indicators. Small exports are handed out at once; large ones become a
  job that runs in Celery. Every file handed out is access-logged.
- *Import*: unit managers upload a legacy file, see the dry run and confirm. Administrators
  find the links to the norm-table import in the admin site here, nothing else.
- *Jobs*: only the user who ordered a job sees it (404 for everyone else); the page polls
  with htmx until the job is finished.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import record_access
from cases.permissions import role_required
from cases.roles import Role
from reporting.exports import case_export, indicator_export
from reporting.forms_io import ExportForm, PersonImportForm
from reporting.imports import PersonHouseholdImportResource
from reporting.jobs import (
    JobError,
    export_job_create,
    export_runs_in_background,
    import_job_create,
    import_preview_create,
    job_start,
    may_export,
    may_import,
)
from reporting.models_jobs import ExportImportJob

JOB_ROLES = (Role.CASEWORKER, Role.UNIT_MANAGER)
REPORT_ROWS_SHOWN = 200
NORM_IMPORTS = (
    ("Riksnormens år (NormYear)", "admin:cases_normyear_import"),
    ("Personliga kostnader", "admin:cases_normpersonalcost_import"),
    ("Hushållsgemensamma kostnader", "admin:cases_normcommoncost_import"),
)


def _recent_jobs(user, *, exports: bool):
    jobs = ExportImportJob.objects.filter(user=user)
    if exports:
        jobs = jobs.exclude(kind=ExportImportJob.Kind.IMPORT_PERSONS)
    else:
        jobs = jobs.filter(kind=ExportImportJob.Kind.IMPORT_PERSONS)
    return jobs.order_by("-created_at", "-pk")[:10]


def _file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: not kept by browsers or proxies
    return response


@role_required(*JOB_ROLES)
@require_http_methods(["GET", "POST"])
def io_export(request):
    user = request.user
    form = ExportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        file_format = form.cleaned_data["file_format"]
        only_mine = form.cleaned_data.get("only_mine", False)
        if not may_export(user, kind):
            raise PermissionDenied
        if export_runs_in_background(actor=user, kind=kind, only_mine=only_mine):
            job = export_job_create(
                actor=user, kind=kind, file_format=file_format, only_mine=only_mine
            )
            job_start(job)
            messages.info(request, "Exporten är stor och görs i bakgrunden – följ den här.")
            return redirect("reporting:io_job", pk=job.pk)
        if kind == ExportImportJob.Kind.EXPORT_CASES:
            exported = case_export(user, file_format=file_format, only_mine=only_mine)
        else:
            exported = indicator_export(user.unit, file_format=file_format)
        record_access(
            request, subject_type="export", subject_id=exported.rows, subject_unit=user.unit
        )
        return _file_response(exported.content, exported.filename, exported.content_type)
    return render(
        request,
        "reporting/io_export.html",
        {
            "form": form,
            "jobs": _recent_jobs(user, exports=True),
            "can_import": may_import(user),
        },
    )


@role_required(Role.UNIT_MANAGER, Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def io_import(request):
    user = request.user
    can_import = may_import(user)
    form = PersonImportForm(request.POST or None, request.FILES or None) if can_import else None
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            try:
                job = import_preview_create(actor=user, upload=form.cleaned_data["file"])
            except JobError as error:
                form.add_error("file", str(error))
            else:
                job_start(job)
                return redirect("reporting:io_job", pk=job.pk)
    norm_links = []
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        norm_links = [(label, reverse(name)) for label, name in NORM_IMPORTS]
    return render(
        request,
        "reporting/io_import.html",
        {
            "form": form,
            "can_import": can_import,
            "norm_links": norm_links,
            "jobs": _recent_jobs(user, exports=False) if can_import else [],
            "required_columns": PersonHouseholdImportResource.REQUIRED_COLUMNS,
            "optional_columns": PersonHouseholdImportResource.OPTIONAL_COLUMNS,
        },
    )


def _job_for(user, pk: int) -> ExportImportJob:
    """The job, for the user who ordered it; 404 for everyone else, as for a missing one."""
    job = ExportImportJob.objects.select_related("unit", "preview").filter(pk=pk, user=user).first()
    if job is None:
        raise Http404
    return job


def _report_rows(report: dict) -> tuple[list[dict], int]:
    rows = report.get("rows", [])
    with_errors = [row for row in rows if row.get("errors")]
    shown = with_errors if with_errors else rows
    return shown[:REPORT_ROWS_SHOWN], len(shown)


def _job_context(request, job: ExportImportJob) -> dict:
    context = {"job": job}
    if job.kind == ExportImportJob.Kind.IMPORT_PERSONS and job.is_finished:
        # The preview and the outcome say which persons are already registered.
        record_access(request, subject_type="import", subject_id=job.pk, subject_unit=job.unit)
        rows, shown_of = _report_rows(job.report)
        context.update(
            show_report=True,
            report_rows=rows,
            report_rows_of=shown_of,
            summary=job.report.get("summary", {}),
            created=job.report.get("created"),
            confirmed=job.imports.exclude(state=ExportImportJob.State.FAILED).first()
            if job.dry_run
            else None,
        )
    return context


@role_required(*JOB_ROLES)
def io_job(request, pk: int):
    job = _job_for(request.user, pk)
    return render(request, "reporting/io_job.html", _job_context(request, job))


@role_required(*JOB_ROLES)
def io_job_status(request, pk: int):
    """The job's panel alone, for htmx polling."""
    job = _job_for(request.user, pk)
    return render(request, "reporting/io_job_status.html", _job_context(request, job))


@role_required(*JOB_ROLES)
def io_job_download(request, pk: int):
    job = _job_for(request.user, pk)
    if not (job.is_export and job.state == ExportImportJob.State.DONE and job.result):
        raise Http404
    record_access(
        request, subject_type="export", subject_id=job.total_rows or 0, subject_unit=job.unit
    )
    response = FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name or None
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.UNIT_MANAGER)
@require_POST
def io_import_confirm(request, pk: int):
    preview = _job_for(request.user, pk)
    try:
        job = import_job_create(actor=request.user, preview=preview)
    except JobError as error:
        messages.error(request, str(error))
        return redirect("reporting:io_job", pk=preview.pk)
    if job.state == ExportImportJob.State.QUEUED:
        job_start(job)
    return redirect("reporting:io_job", pk=job.pk)
