"""Gallring: the dry run, the administrator's approval, and the destruction in one
transaction (SoL 2025:400 16 kap. 1 och 4 §§; DOMAIN.md §8; rules in ``cases.gallring``).

- ``gallring_propose`` (the yearly Celery beat job and ``manage.py gallring``): finds what
  is due and stores the proposal – counts by kind of record, never names; the ids of the
  records stay in the run row only until it is executed or cancelled.
- ``gallring_execute`` (an administrator, in the browser): checks every akt again inside
  the transaction – still due, not kept for research, not held by an open case, appeal,
  återkrav or hold – and deletes every row of it; the database's foreign keys are checked
  before the transaction ends, so a row left pointing at a destroyed one makes the whole
  destruction roll back. Stored files (any FileField of any model reached) are removed
  after the commit. Access-log rows about subjects that no longer exist are removed once
  the log's own retention (VAGEN_ACCESS_LOG_RETENTION_YEARS) is over.
- The gallringslogg (``GallringLogEntry``): kind of records, how many, when – never who.

Application logs get counts only (DOMAIN.md §8: no personal data in logs).
"""

import logging
from collections import defaultdict
from datetime import date, datetime

from django.core.files.storage import Storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import gallring
from cases.models import (
    AccessLog,
    AccessLogPurge,
    GallringLogEntry,
    GallringRun,
    RetentionHold,
    User,
)
from cases.roles import Role
from cases.services.casework import CaseError

logger = logging.getLogger(__name__)


class GallringError(CaseError):
    pass


def gallring_preview(*, as_of: date | None = None) -> gallring.Assessment:
    return gallring.assess(gallring.collect(), as_of=as_of or timezone.localdate())


@transaction.atomic
def gallring_propose(*, as_of: date | None = None) -> GallringRun:
    """The dry run. While a proposal waits for approval it is returned as it is (the
    yearly job retried, two workers at once: one proposal)."""
    waiting = GallringRun.objects.select_for_update().filter(state=GallringRun.State.PROPOSED)
    if (run := waiting.first()) is not None:
        return run
    as_of = as_of or timezone.localdate()
    result = gallring_preview(as_of=as_of)
    try:
        with transaction.atomic():
            run = GallringRun.objects.create(
                as_of=as_of,
                candidates=[
                    {"persons": sorted(akt.person_ids), "households": sorted(akt.household_ids)}
                    for akt in result.due
                ],
                counts=gallring.count_by_kind(result.due),
                kept_for_research=result.kept_for_research,
                held=result.held,
            )
    except IntegrityError:  # another worker proposed at the same moment
        return GallringRun.objects.get(state=GallringRun.State.PROPOSED)
    logger.info(
        "gallring dry run: %s akter due, %s rows, %s kept for research, %s held",
        len(result.due),
        run.total,
        result.kept_for_research,
        result.held,
    )
    return run


def _check_admin(actor: User) -> None:
    if not (actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
        raise GallringError(_("Endast en administratör kan godkänna gallring."))


@transaction.atomic
def gallring_cancel(run: GallringRun, *, actor: User, version: int | None = None) -> GallringRun:
    _check_admin(actor)
    run = GallringRun.objects.select_for_update().get(pk=run.pk)
    if run.state != GallringRun.State.PROPOSED:
        return run
    if version is not None and version != run.version:
        raise GallringError(_("Någon annan har ändrat gallringen sedan du öppnade sidan."))
    run.state = GallringRun.State.CANCELLED
    run.candidates = []
    run.version += 1
    run.save(update_fields=["state", "candidates", "version"])
    return run


def gallring_execute(
    run: GallringRun, *, actor: User, version: int | None = None, now=None
) -> GallringRun:
    """Destroy what the approved proposal found, re-checked now (see module docstring).
    A second click, or an approval of a run already executed or cancelled, does nothing."""
    _check_admin(actor)
    files: list[tuple[Storage, str]] = []
    with transaction.atomic():
        run = GallringRun.objects.select_for_update().get(pk=run.pk)
        if run.state != GallringRun.State.PROPOSED:
            return run
        if version is not None and version != run.version:
            raise GallringError(
                _("Någon annan har ändrat gallringen sedan du öppnade sidan. Läs om sidan.")
            )
        as_of = timezone.localdate(now) if now else timezone.localdate()
        persons: set[int] = set()
        households: set[int] = set()
        for candidate in run.candidates:
            persons.update(candidate.get("persons", ()))
            households.update(candidate.get("households", ()))
        akter = gallring.collect(person_ids=persons, household_ids=households)
        result = gallring.assess(akter, as_of=as_of)
        rows: dict[type[models.Model], set[int]] = defaultdict(set)
        for akt in result.due:
            for model, pks in akt.rows.items():
                rows[model] |= pks
        files = _stored_files(rows)
        _delete_rows(rows)
        purged = _purge_access_log(now or timezone.now())
        counts = {gallring.kind_label(model): len(pks) for model, pks in rows.items() if pks}
        if purged:
            counts[str(AccessLog._meta.verbose_name_plural)] = purged
        at = now or timezone.now()
        GallringLogEntry.objects.bulk_create(
            GallringLogEntry(run=run, at=at, kind=kind, count=count)
            for kind, count in sorted(counts.items())
        )
        run.state = GallringRun.State.EXECUTED
        run.counts = dict(sorted(counts.items()))
        run.candidates = []
        run.approved_by = actor
        run.executed_at = at
        run.held += result.held
        run.version += 1
        run.save()
        transaction.on_commit(lambda: _remove_files(files))
    logger.info("gallring executed: %s akter, %s rows", len(result.due), sum(counts.values()))
    return run


def _stored_files(rows: dict[type[models.Model], set[int]]) -> list[tuple[Storage, str]]:
    """(storage, name) of every file stored by a row about to go – any FileField of any
    model the walk reached, so an attachment model added later is covered."""
    found: list[tuple[Storage, str]] = []
    for model, pks in rows.items():
        for file_field in gallring.file_fields(model):
            names = (
                model._base_manager.filter(pk__in=pks)
                .exclude(**{file_field.attname: ""})
                .values_list(file_field.attname, flat=True)
            )
            found.extend((file_field.storage, name) for name in names if name)
    return found


def _remove_files(files: list[tuple[Storage, str]]) -> None:
    failed = 0
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            failed += 1
    if failed:
        logger.error("gallring: %s stored files could not be removed", failed)


def _delete_rows(rows: dict[type[models.Model], set[int]]) -> None:
    """Delete without Django's collector: PROTECT guards the records against ordinary
    deletes, and here every row that points at them goes too. Constraints are checked
    before the transaction ends (PostgreSQL: SET CONSTRAINTS ALL IMMEDIATE), so nothing
    is left pointing at a destroyed row."""
    for model, pks in rows.items():
        ordered = sorted(pks)
        for start in range(0, len(ordered), gallring.CHUNK):
            model._base_manager.filter(pk__in=ordered[start : start + gallring.CHUNK])._raw_delete(
                model._base_manager.db
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            if cursor.fetchall():
                raise IntegrityError("gallring would leave rows pointing at destroyed ones")


def access_log_cutoff(now: datetime) -> datetime:
    from django.conf import settings

    years = settings.VAGEN_ACCESS_LOG_RETENTION_YEARS
    local = timezone.localtime(now)
    try:
        return local.replace(year=local.year - years)
    except ValueError:  # 29 February
        return local.replace(year=local.year - years, day=28)


def _purge_access_log(now) -> int:
    """Remove access-log rows older than the log's retention whose subject no longer
    exists (destroyed by this or an earlier gallring). The log's trigger lets a delete
    through only while an ``AccessLogPurge`` permit covering the row's time exists."""
    from django.apps import apps

    from cases.access import subject_model_labels

    cutoff = access_log_cutoff(now)
    permit = AccessLogPurge.objects.create(cutoff=cutoff)
    deleted = 0
    for subject_type, label in subject_model_labels().items():
        model = apps.get_model(label)
        existing = model._base_manager.annotate(
            key=Cast("pk", output_field=models.CharField())
        ).values("key")
        stale = (
            AccessLog.objects.filter(subject_type=subject_type, at__lt=cutoff)
            .exclude(subject_id="")
            .exclude(subject_id__in=existing)
        )
        deleted += stale._raw_delete(stale.db) or 0
    permit.delete()
    return deleted


# --- gallringsspärr (a hold placed on a case) --------------------------------------


@transaction.atomic
def retention_hold_place(case, *, actor: User, reason: str) -> RetentionHold:
    """Keep the case's akt from gallring (e.g. a request for the records, a court case).
    The unit's manager places it; the same reason posted twice is one hold."""
    from cases.access_rules import can_manage_case

    if not can_manage_case(actor, case):
        raise GallringError(_("Endast enhetschefen kan spärra ärendet mot gallring."))
    reason = reason.strip()
    if not reason:
        raise GallringError(_("Ange skälet till spärren."))
    existing = RetentionHold.objects.filter(case=case, released_at__isnull=True, reason=reason)
    return existing.first() or RetentionHold.objects.create(
        case=case, reason=reason[:300], placed_by=actor
    )


@transaction.atomic
def retention_hold_release(hold: "RetentionHold", *, actor: User) -> RetentionHold:
    from cases.access_rules import can_manage_case

    hold = RetentionHold.objects.select_for_update().select_related("case").get(pk=hold.pk)
    if not can_manage_case(actor, hold.case):
        raise GallringError(_("Endast enhetschefen kan häva spärren."))
    if hold.released_at is None:
        hold.released_at = timezone.now()
        hold.save(update_fields=["released_at"])
    return hold
