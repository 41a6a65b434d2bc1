"""Every write of the e-service. The person acts through their CitizenSession; the core
records e-service input with the e-service's own system account (``eservice_actor``,
no role, no unit, cannot log in) as the registering user, and the channel *E-tjänst*.

- ``eapplication_start``: a draft for a month (a continued application prefilled from
  last month's accepted application, eservice.prefill); one per household and month.
- ``eapplication_save_step``: the draft saved after every step (version-checked).
- ``attachment_add``: size and content checked on the server (the file's first bytes,
  never its name), stored outside the web root.
- ``eapplication_sign``: each adult signs after signing in; the last signature submits.
- ``eapplication_submit``: into the case as an Application whose lines are marked
  *Uppgivet av sökande*, or – with no case – a first contact for reception with its
  24-hour callback clock (DOMAIN.md §2.1).
- ``document_receive``: a message or a supplement answer, an incoming document; a
  supplement answer meets the deadline engine's clock (cases.services.applications).
"""

import hashlib
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    ApplicationCost,
    ApplicationIncome,
    Channel,
    FirstContact,
    Person,
    SupplementRequest,
    Unit,
    User,
)
from cases.personnummer import InvalidPersonnummer, parse
from cases.services.applications import application_register, supplement_received
from cases.services.casework import CaseError
from cases.services.contacts import first_contact_register
from cases.spreadsheets import UploadRefused
from cases.workdays import first_of_month
from eservice import selectors
from eservice.models import (
    Attachment,
    EApplication,
    EApplicationSignature,
    IncomingDocument,
)
from eservice.prefill import last_accepted_application, prefill_from

APPLICANT_NOTE = "Uppgivet av sökande"
SYSTEM_USERNAME = "e-tjanst"
# Content sniffing: the types a hyresavi, lönespecifikation or kvitto comes as.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


class EServiceError(Exception):
    """Refused, with a message for the person (Swedish, translated)."""


class StaleDraft(EServiceError):
    pass


def eservice_actor() -> User:
    """The e-service's own account: the core's "registered by" for what a person sends.
    Inactive, without password, role or unit – it can never sign in or see anything."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "E-tjänsten", "last_name": "Min ansökan", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def upload_storage() -> FileSystemStorage:
    # Outside the web root: nothing under it has a URL; files go out through the gates.
    return FileSystemStorage(location=settings.VAGEN_ESERVICE_UPLOAD_ROOT)


def submissions_in_last_hour(personnummer: str) -> int:
    since = timezone.now() - timedelta(hours=1)
    return (
        EApplicationSignature.objects.filter(
            personnummer=personnummer, signed_at__gte=since
        ).count()
        + IncomingDocument.objects.filter(
            sender_personnummer=personnummer, received_at__gte=since
        ).count()
        + Attachment.objects.filter(
            uploaded_by_personnummer=personnummer, uploaded_at__gte=since
        ).count()
    )


def _check_rate(citizen) -> None:
    if submissions_in_last_hour(citizen.personnummer) >= settings.VAGEN_ESERVICE_SUBMIT_LIMIT:
        raise EServiceError(
            _("Du har skickat många uppgifter på kort tid. Försök igen om en stund.")
        )


def next_month(today=None):
    today = today or timezone.localdate()
    return first_of_month(today.replace(day=28) + timedelta(days=4))


@transaction.atomic
def eapplication_start(citizen, *, month=None) -> EApplication:
    """The person's draft for ``month`` (default: next month); the same one again if it
    exists – also when the co-applicant started it."""
    month = first_of_month(month or next_month())
    existing = selectors.own_eapplications(citizen).filter(month=month).first()
    if existing is not None:
        return existing
    case = selectors.current_case(citizen)
    person = citizen.person
    # The name the IdP asserted, for reception's first contact (never shown for a
    # protected identity: eapplication_submit leaves it out).
    data: dict = {
        "costs": [],
        "incomes": [],
        "household": [],
        "answers": {},
        "name": citizen.display_name,
    }
    kind = EApplication.Kind.FIRST
    based_on = None
    co_applicant = None
    if case is not None:
        based_on = last_accepted_application(case, month)
        if based_on is not None:
            kind = EApplication.Kind.CONTINUED
            data.update(prefill_from(based_on, month))
            other = (
                based_on.co_applicant
                if based_on.applicant_id == person.pk
                else (based_on.applicant if based_on.co_applicant_id == person.pk else None)
            )
            # A co-applicant who has moved out applies no more with this household.
            in_household = {member["person_id"] for member in data["household"]}
            co_applicant = other if other is not None and other.pk in in_household else None
    try:
        with transaction.atomic():
            return EApplication.objects.create(
                kind=kind,
                month=month,
                applicant_personnummer=citizen.personnummer,
                applicant=person,
                co_applicant=co_applicant,
                co_applicant_personnummer=(co_applicant.personnummer or "") if co_applicant else "",
                case=case,
                based_on=based_on,
                data=data,
            )
    except IntegrityError:  # a double click: the other request made it
        return selectors.own_eapplications(citizen).get(month=month)


@transaction.atomic
def eapplication_save_step(
    citizen, eapplication: EApplication, *, step: str, values: dict, version: int
) -> EApplication:
    """Save one step's answers into the draft. A form showing an older version (the
    other adult saved meanwhile, another tab) is refused – nothing is overwritten."""
    eapplication = EApplication.objects.select_for_update().get(pk=eapplication.pk)
    if eapplication.applicant_personnummer != citizen.personnummer:
        raise EServiceError(_("Bara den som började ansökan kan ändra den."))
    if eapplication.status != EApplication.Status.DRAFT:
        raise EServiceError(_("Ansökan är redan underskriven och kan inte ändras."))
    if version != eapplication.version:
        raise StaleDraft(
            _("Ansökan har ändrats i ett annat fönster. Sidan visar nu det senast sparade.")
        )
    data = dict(eapplication.data)
    if step == "household":
        co = values.get("co_applicant_personnummer", "")
        if co:
            try:
                co = parse(co).normalized
            except InvalidPersonnummer as error:
                raise EServiceError(str(error)) from error
            if co == citizen.personnummer:
                raise EServiceError(_("Medsökande kan inte vara du själv."))
        if eapplication.kind == EApplication.Kind.FIRST:
            eapplication.co_applicant_personnummer = co
            eapplication.co_applicant = (
                Person.objects.filter(personnummer=co).first() if co else None
            )
        data["answers"] = {**data.get("answers", {}), **values}
        data["household_confirmed"] = True
    elif step in ("costs", "incomes"):
        data[step] = values["lines"]
        data.setdefault("confirmed", {})[step] = True
    elif step == "situation":
        data["answers"] = {**data.get("answers", {}), **values}
    else:
        data["answers"] = {**data.get("answers", {}), **values}
    eapplication.data = data
    eapplication.step = step
    eapplication.version += 1
    eapplication.save()
    return eapplication


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


@transaction.atomic
def attachment_add(
    citizen,
    *,
    upload,
    kind: str,
    line: str = "",
    eapplication: EApplication | None = None,
    document: IncomingDocument | None = None,
) -> Attachment:
    """Check and store one file. Refused (UploadRefused, a Swedish message) when it is
    too large or not a PDF, JPEG or PNG by its content."""
    _check_rate(citizen)
    limit = settings.VAGEN_ESERVICE_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise UploadRefused(
            _("Filen är för stor. Den får vara högst %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise UploadRefused(_("Filen är tom."))
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(
            _("Filen är för stor. Den får vara högst %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    sniffed = sniff(content[:16])
    if sniffed is None:
        raise UploadRefused(
            _(
                "Filen är inte en PDF, JPEG eller PNG. Fotografera eller skanna "
                "underlaget och försök igen."
            )
        )
    content_type, extension = sniffed
    if eapplication is not None and eapplication.status == EApplication.Status.SUBMITTED:
        raise EServiceError(_("Ansökan är redan inskickad."))
    storage_name = uuid.uuid4().hex + extension
    upload_storage().save(storage_name, ContentFile(content))
    return Attachment.objects.create(
        eapplication=eapplication,
        document=document,
        kind=kind,
        line=line[:60],
        storage_name=storage_name,
        original_name=(getattr(upload, "name", "") or "fil")[-200:],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_personnummer=citizen.personnummer,
    )


def attachment_content(attachment: Attachment) -> bytes:
    with upload_storage().open(attachment.storage_name, "rb") as handle:
        return handle.read()


def missing_signatures(eapplication: EApplication) -> list[str]:
    signed = {s.personnummer for s in eapplication.signatures.all()}
    return [n for n in sorted(eapplication.personnummers) if n not in signed]


@transaction.atomic
def eapplication_sign(citizen, eapplication: EApplication, *, name: str = "") -> EApplication:
    """The signed-in adult signs (once). The applicant's signature locks the content; the
    last signature submits the application."""
    _check_rate(citizen)
    eapplication = EApplication.objects.select_for_update().get(pk=eapplication.pk)
    if citizen.personnummer not in eapplication.personnummers:
        raise EServiceError(_("Du kan inte skriva under den här ansökan."))
    if eapplication.status == EApplication.Status.SUBMITTED:
        return eapplication
    if (
        citizen.personnummer != eapplication.applicant_personnummer
        and not eapplication.signatures.filter(
            personnummer=eapplication.applicant_personnummer
        ).exists()
    ):
        raise EServiceError(_("Sökanden skriver under först."))
    EApplicationSignature.objects.get_or_create(
        eapplication=eapplication,
        personnummer=citizen.personnummer,
        defaults={"name": name[:200]},
    )
    if missing_signatures(eapplication):
        eapplication.status = EApplication.Status.AWAITING_SIGNATURE
        eapplication.version += 1
        eapplication.save(update_fields=["status", "version", "updated_at"])
        return eapplication
    return eapplication_submit(eapplication)


def _unit_for(eapplication: EApplication) -> Unit:
    person = eapplication.applicant
    if person is not None and person.unit_id:
        return person.unit
    code = settings.VAGEN_ESERVICE_UNIT
    units = Unit.objects.filter(is_active=True)
    return (units.filter(code=code).first() if code else None) or units.order_by("pk").first()


def _amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except Exception:
        return None
    return amount if amount > 0 else None


def eapplication_submit(eapplication: EApplication) -> EApplication:
    """Into Vägen (called inside eapplication_sign's transaction)."""
    actor = eservice_actor()
    case = eapplication.case
    if case is not None and case.is_closed:
        case = None
    applicant = (
        eapplication.applicant
        or Person.objects.filter(personnummer=eapplication.applicant_personnummer).first()
    )
    co_applicant = eapplication.co_applicant or (
        Person.objects.filter(personnummer=eapplication.co_applicant_personnummer).first()
        if eapplication.co_applicant_personnummer
        else None
    )
    if case is not None:
        try:
            application = application_register(
                case,
                actor=actor,
                month=eapplication.month,
                channel=Channel.E_SERVICE,
                applicant=applicant,
                co_applicant=co_applicant,
            )
        except CaseError as error:
            raise EServiceError(
                _("Ansökan kunde inte tas emot: %(why)s Kontakta din handläggare.") % {"why": error}
            ) from error
        members = {m.person_id for m in case.household.memberships.all()}
        ApplicationCost.objects.bulk_create(
            ApplicationCost(
                application=application,
                kind=line["kind"],
                actual=amount,
                # The caseworker decides what is reasonable; until then what was declared.
                accepted=amount,
                note=APPLICANT_NOTE,
            )
            for line in eapplication.data.get("costs", [])
            if (amount := _amount(line.get("amount"))) is not None
        )
        ApplicationIncome.objects.bulk_create(
            ApplicationIncome(
                application=application,
                kind=line["kind"],
                amount=amount,
                person_id=line.get("person_id") if line.get("person_id") in members else None,
                note=APPLICANT_NOTE,
            )
            for line in eapplication.data.get("incomes", [])
            if (amount := _amount(line.get("amount"))) is not None
        )
        eapplication.application = application
        eapplication.case = case
    else:
        answers = eapplication.data.get("answers", {})
        protected = applicant is not None and applicant.is_protected
        contact = first_contact_register(
            actor=actor,
            channel=Channel.E_SERVICE,
            subject=FirstContact.Subject.NEW_APPLICATION,
            unit=_unit_for(eapplication),
            personnummer=eapplication.applicant_personnummer,
            # A protected identity: nothing typed that would show who it is (DOMAIN.md §8).
            name="" if protected else eapplication.data.get("name", ""),
            phone="" if protected else str(answers.get("phone", ""))[:40],
            note=_("Ansökan om ekonomiskt bistånd via e-tjänsten (e-ansökan %(id)s).")
            % {"id": eapplication.pk},
            idempotency_key=uuid.UUID(int=eapplication.pk),
        )
        eapplication.first_contact = contact
    eapplication.status = EApplication.Status.SUBMITTED
    eapplication.submitted_at = timezone.now()
    eapplication.version += 1
    eapplication.save()
    return eapplication


@transaction.atomic
def document_receive(
    citizen,
    *,
    kind: str,
    text: str,
    supplement_request: SupplementRequest | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> IncomingDocument:
    """A message to the caseworker or an answer to a supplement request, registered in
    the case as an incoming document; a supplement answer meets its deadline."""
    _check_rate(citizen)
    if idempotency_key is not None:
        existing = IncomingDocument.objects.filter(
            sender_personnummer=citizen.personnummer, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    if supplement_request is not None:
        case = supplement_request.application.case
    else:
        case = selectors.current_case(citizen)
    if case is None:
        raise EServiceError(_("Du har inget pågående ärende att skicka meddelanden till."))
    document = IncomingDocument.objects.create(
        case=case,
        kind=kind,
        supplement_request=supplement_request,
        sender_personnummer=citizen.personnummer,
        sender=citizen.person,
        text=text.strip(),
        idempotency_key=idempotency_key,
    )
    if supplement_request is not None and supplement_request.received_on is None:
        supplement_received(
            supplement_request, actor=eservice_actor(), received_on=timezone.localdate()
        )
    return document


def saml_request_allowed(client_key: str) -> bool:
    """Rate limit on sign-in: VAGEN_ESERVICE_LOGIN_LIMIT starts per address in 10 minutes."""
    from eservice.models import SamlAuthnRequest

    since = timezone.now() - timedelta(minutes=10)
    return (
        SamlAuthnRequest.objects.filter(client_key=client_key, created_at__gte=since).count()
        < settings.VAGEN_ESERVICE_LOGIN_LIMIT
    )
