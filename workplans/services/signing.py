"""Signing a plan version: one signature per party; with both, the version becomes the
agreement in force (Eslöv, sources/000: "undertecknad av båda parter (sökande och
handläggare)"), the previous agreement is superseded, the case's plan deadline is met
and the activities' follow-up dates become deadlines."""

import hashlib
from datetime import date
from pathlib import PurePath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import User
from workplans import deadlines
from workplans.errors import WorkPlanError
from workplans.models import Party, PlanVersion, Signature
from workplans.services.plans import _check_case_open, _lock, _transition
from workplans.signing import SignatureEvidence, get_signature_method

# Scanned copies: PDF or an image, as scanners and phones make them.
COPY_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
COPY_MAX_BYTES = 10 * 1024 * 1024


def _store_copy(upload: File) -> str:
    """Store a scanned copy under its own SHA-256: the same scan attached for both
    parties is stored once, and a file can always be checked against its name."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in COPY_TYPES:
        raise WorkPlanError(_("Den inskannade kopian ska vara en PDF-, JPEG- eller PNG-fil."))
    if upload.size is not None and upload.size > COPY_MAX_BYTES:
        raise WorkPlanError(_("Den inskannade kopian får vara högst 10 MB."))
    digest = hashlib.sha256()
    upload.seek(0)
    head = upload.read(8)
    if not head.startswith(COPY_TYPES[suffix]):
        raise WorkPlanError(_("Filen är inte en %(type)s.") % {"type": suffix[1:].upper()})
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    name = f"workplans/underskrifter/{digest.hexdigest()}{'.jpg' if suffix == '.jpeg' else suffix}"
    if not default_storage.exists(name):
        upload.seek(0)
        name = default_storage.save(name, upload)
    return name


@transaction.atomic
def workplan_sign(
    version: PlanVersion,
    *,
    actor: User,
    party: str,
    method: str,
    signed_on: date,
    scanned_copy: File | None = None,
    evidence: SignatureEvidence | None = None,
) -> Signature:
    """Record one party's signature on a version that is ready for signing.

    The client's signature is the plan's client's; the caseworker's is the signing
    member of staff's (``actor``). One signature never makes an agreement: the version
    is SIGNED only when both parties have a valid signature."""
    version = _lock(version)
    plan = version.plan
    _check_case_open(plan.case)
    if version.status != PlanVersion.Status.AWAITING:
        if version.is_frozen:
            raise WorkPlanError(_("Den här versionen är redan undertecknad."))
        raise WorkPlanError(_("Planen ska vara klar för underskrift innan den skrivs under."))
    if party not in Party.values:
        raise WorkPlanError(_("Välj vem som skriver under."))
    evidence = evidence or SignatureEvidence(signed_on=signed_on)
    signed_on = evidence.signed_on
    if signed_on > timezone.localdate():
        raise WorkPlanError(_("Datumet för underskriften kan inte ligga i framtiden."))
    if version.ready_at and signed_on < timezone.localtime(version.ready_at).date():
        raise WorkPlanError(
            _("Underskriften kan inte vara äldre än planen (klar för underskrift %(day)s).")
            % {"day": f"{timezone.localtime(version.ready_at):%Y-%m-%d}"}
        )
    others = list(version.signatures.filter(voided_at__isnull=True))
    if any(other.party == party for other in others):
        raise WorkPlanError(
            _("%(party)s har redan skrivit under den här versionen.")
            % {"party": Party(party).label}
        )
    signature_method = get_signature_method(method)
    signature_method.check(
        version=version,
        party=party,
        evidence=evidence,
        scanned_copy=scanned_copy,
        others=others,
    )
    if scanned_copy is not None:
        copy_name = _store_copy(scanned_copy)
    else:
        # Both signed the same paper: the copy attached with the first signature.
        copy_name = next((o.scanned_copy.name or "" for o in others if o.scanned_copy), "")
    signature = Signature.objects.create(
        version=version,
        party=party,
        person=plan.person if party == Party.CLIENT else None,
        staff=actor if party == Party.CASEWORKER else None,
        method=signature_method.code,
        signed_on=signed_on,
        content_digest=version.content_digest(),
        scanned_copy=copy_name,
        evidence_reference=evidence.reference,
        evidence=evidence.data,
        recorded_by=actor,
    )
    if {party, *(other.party for other in others)} == set(Party.values):
        _conclude(version)
    return signature


def _conclude(version: PlanVersion) -> None:
    """Both parties have signed: this version is the agreement in force."""
    now = timezone.now()
    previous = (
        PlanVersion.objects.select_for_update()
        .filter(plan=version.plan, status=PlanVersion.Status.SIGNED)
        .exclude(pk=version.pk)
        .first()
    )
    if previous is not None:
        _transition(previous, PlanVersion.Status.SUPERSEDED)
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at"])
        deadlines.follow_up_deadlines_cancel(previous)
    _transition(version, PlanVersion.Status.SIGNED)
    version.signed_at = now
    version.save(update_fields=["status", "signed_at"])
    deadlines.plan_deadline_meet(version.plan.case, at=now)
    deadlines.follow_up_deadlines_open(version, now=now)
