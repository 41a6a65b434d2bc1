"""Min ansökan – the citizen's pages under /e-tjanst/. Every view reads through
eservice.selectors (what concerns the signed-in person) and writes through
eservice.services; ``request.user`` is never used here (eservice.sessions)."""

import hashlib
import logging
import uuid

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.calculation import CostKind, IncomeKind
from cases.spreadsheets import UploadRefused
from eservice import saml, selectors, services
from eservice.access import citizen_logs_access, record_citizen_access
from eservice.forms import (
    COMMON_INCOMES,
    COST_HELP,
    INCOME_HELP,
    AttachmentForm,
    HouseholdForm,
    LinesForm,
    MessageForm,
    SignForm,
)
from eservice.models import Attachment, EApplication, IncomingDocument, SamlAuthnRequest
from eservice.sessions import citizen_required, citizen_session_end, citizen_session_start

logger = logging.getLogger(__name__)
STEPS = ["household", "costs", "incomes", "attachments", "sign"]
STEP_TITLES = {
    "household": _("Hushållet"),
    "costs": _("Kostnader"),
    "incomes": _("Inkomster"),
    "attachments": _("Underlag"),
    "sign": _("Granska och skriv under"),
}
AUTHN_REQUEST_LIFETIME_MINUTES = 10
AUTHN_COOKIE = "vagen_etjanst_authn"


def _base_url(request) -> str:
    return settings.VAGEN_ESERVICE_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def _client_key(request) -> str:
    return hashlib.sha256(request.META.get("REMOTE_ADDR", "").encode()).hexdigest()


# --- signing in --------------------------------------------------------------------


@require_GET
def login(request):
    if request.citizen is not None:
        return redirect("eservice:home")
    return render(
        request,
        "eservice/login.html",
        {
            "logged_out_idle": request.GET.get("utloggad") == "1",
            "failed": request.GET.get("fel") == "1",
        },
    )


@require_GET
def login_start(request):
    """Off to the IdP with a signed AuthnRequest. A link, not a form: CSP's form-action
    'self' would stop a form's redirect to the IdP's origin (the request changes nothing
    but a row for InResponseTo, and a forged start signs nobody in)."""
    client_key = _client_key(request)
    if not services.saml_request_allowed(client_key):
        return render(request, "eservice/login.html", {"rate_limited": True}, status=429)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) or not next_url.startswith(
        "/e-tjanst/"
    ):
        next_url = reverse("eservice:home")
    try:
        request_id, location = saml.start_authentication(_base_url(request), next_url)
    except Exception:
        logger.exception("e-service sign-in could not start")
        return render(request, "eservice/login.html", {"unavailable": True}, status=503)
    SamlAuthnRequest.objects.create(request_id=request_id, client_key=client_key)
    response = redirect(location)
    # Binds the answer to this browser (no login CSRF with someone else's response). The
    # IdP posts cross-site, so the cookie must be SameSite=None – which needs Secure; on
    # plain http (make run, tests) it is Lax and only checked when it arrives.
    secure = settings.SESSION_COOKIE_SECURE
    response.set_cookie(
        AUTHN_COOKIE,
        request_id,
        max_age=AUTHN_REQUEST_LIFETIME_MINUTES * 60,
        path=reverse("eservice:acs"),
        httponly=True,
        secure=secure,
        samesite="None" if secure else "Lax",
    )
    return response


@csrf_exempt  # the IdP posts here cross-site; the signed response is bound to our request id
@require_POST
def acs(request):
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response:
        return HttpResponseBadRequest()
    since = timezone.now() - timezone.timedelta(minutes=AUTHN_REQUEST_LIFETIME_MINUTES)
    outstanding = {
        r: ""
        for r in SamlAuthnRequest.objects.filter(
            created_at__gte=since, used_at__isnull=True
        ).values_list("request_id", flat=True)
    }
    try:
        identity = saml.consume_response(_base_url(request), saml_response, outstanding)
    except saml.SamlError as error:
        logger.warning("e-service SAML response refused: %s", error)
        return redirect(reverse("eservice:login") + "?fel=1")
    bound = request.COOKIES.get(AUTHN_COOKIE)
    if (bound or settings.SESSION_COOKIE_SECURE) and bound != identity["in_response_to"]:
        logger.warning("e-service SAML response for another browser's request refused")
        return redirect(reverse("eservice:login") + "?fel=1")
    # Accepted once: a replayed response finds its request used.
    used = SamlAuthnRequest.objects.filter(
        request_id=identity["in_response_to"], used_at__isnull=True
    ).update(used_at=timezone.now())
    if used != 1:
        return redirect(reverse("eservice:login") + "?fel=1")
    from cases.personnummer import InvalidPersonnummer, parse

    try:
        personnummer = parse(identity["personnummer"]).normalized
    except InvalidPersonnummer:
        return redirect(reverse("eservice:login") + "?fel=1")
    relay = request.POST.get("RelayState", "")
    target = relay if relay.startswith("/e-tjanst/") and "//" not in relay else None
    response = redirect(target or reverse("eservice:home"))
    citizen_session_start(
        response,
        personnummer=personnummer,
        given_name=identity["given_name"],
        surname=identity["surname"],
    )
    request.citizen_started = True
    return response


@require_GET
def metadata(request):
    return HttpResponse(
        saml.sp_metadata(_base_url(request)), content_type="application/samlmetadata+xml"
    )


@require_POST
def logout(request):
    response = redirect(reverse("eservice:login"))
    citizen_session_end(request, response)
    return response


@require_POST
def set_language(request):
    language = request.POST.get("language", "sv")
    if language not in dict(settings.VAGEN_ESERVICE_LANGUAGES):
        language = "sv"
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/e-tjanst/") or "//" in next_url:
        next_url = reverse("eservice:login")
    response = redirect(next_url)
    response.set_cookie(
        settings.VAGEN_ESERVICE_LANGUAGE_COOKIE,
        language,
        path="/e-tjanst/",
        samesite="Lax",
        max_age=365 * 24 * 3600,
    )
    return response


# --- Mina sidor --------------------------------------------------------------------


@citizen_required
def home(request):
    citizen = request.citizen
    applications = list(selectors.own_applications(citizen))
    eapplications = list(selectors.own_eapplications(citizen))
    decisions = list(selectors.own_decisions(citizen))
    supplements = list(selectors.own_supplement_requests(citizen).order_by("due_on"))
    meetings = list(selectors.own_meetings(citizen))
    case = selectors.current_case(citizen)
    record_citizen_access(
        request,
        subject_type="person",
        subject_id=citizen.person_id or "",
    )
    awaiting_me = [
        e
        for e in eapplications
        if e.status == EApplication.Status.AWAITING_SIGNATURE
        and citizen.personnummer in services.missing_signatures(e)
    ]
    return render(
        request,
        "eservice/home.html",
        {
            "applications": applications,
            "eapplications": eapplications,
            "awaiting_me": awaiting_me,
            "decisions": decisions,
            "open_supplements": [s for s in supplements if s.received_on is None],
            "meetings": meetings,
            "case": case,
            "next_month": services.next_month(),
            "has_draft_next_month": any(e.month == services.next_month() for e in eapplications),
        },
    )


@citizen_required
@citizen_logs_access("decision")
def decision_letter(request, pk):
    decision = selectors.own_decision(request.citizen, pk)
    from cases.services.decisions import letter_pdf

    response = HttpResponse(letter_pdf(decision.letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="beslut-{decision.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
@citizen_logs_access("attachment")
def attachment_download(request, pk):
    attachment = selectors.own_attachment(request.citizen, pk)
    response = HttpResponse(
        services.attachment_content(attachment), content_type=attachment.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="underlag-{attachment.pk}"'
    response["Cache-Control"] = "no-store"
    return response


# --- applying ----------------------------------------------------------------------


@citizen_required
@require_POST
def apply_start(request):
    eapplication = services.eapplication_start(request.citizen)
    if eapplication.status != EApplication.Status.DRAFT:
        return redirect("eservice:apply_step", pk=eapplication.pk, step="sign")
    return redirect(
        "eservice:apply_step", pk=eapplication.pk, step=eapplication_resume_step(eapplication)
    )


def eapplication_resume_step(eapplication) -> str:
    if eapplication.step in STEPS:
        index = STEPS.index(eapplication.step)
        return STEPS[min(index + 1, len(STEPS) - 1)]
    return STEPS[0]


def _people(eapplication) -> list[tuple[int | None, str]]:
    """The adults whose incomes are asked for: (person id or None, first name)."""
    people = []
    for person, fallback in (
        (eapplication.applicant, _("dig")),
        (eapplication.co_applicant, _("medsökande")),
    ):
        if person is not None:
            people.append((person.pk, person.first_name))
        elif fallback == _("dig"):
            people.append((None, _("dig")))
        elif eapplication.co_applicant_personnummer:
            people.append((None, _("medsökande")))
    return people


def cost_lines(eapplication) -> list[dict]:
    stored = {line["kind"]: line for line in eapplication.data.get("costs", [])}
    lines = []
    for kind in CostKind:
        line = stored.get(kind.value, {})
        lines.append(
            {
                "kind": kind.value,
                "label": str(kind.label),
                "help": str(COST_HELP.get(kind, "")),
                "amount": line.get("amount", ""),
                "last": line.get("last_actual"),
                "last_actual": line.get("last_actual"),
                "last_accepted": line.get("last_accepted"),
            }
        )
    return lines


def income_lines(eapplication) -> list[dict]:
    stored = {
        (line.get("person_id"), line["kind"]): line for line in eapplication.data.get("incomes", [])
    }
    lines = []
    for person_id, name in _people(eapplication):
        kinds = list(COMMON_INCOMES) + [
            IncomeKind(k) for (p, k) in stored if p == person_id and k not in COMMON_INCOMES
        ]
        for kind in kinds:
            line = stored.get((person_id, kind.value), {})
            lines.append(
                {
                    "kind": kind.value,
                    "person_id": person_id,
                    "label": f"{kind.label} – {name}",
                    "help": str(INCOME_HELP),
                    "amount": line.get("amount", ""),
                    "last": line.get("last_amount"),
                    "last_amount": line.get("last_amount"),
                }
            )
    return lines


def _line_choices(eapplication):
    choices = []
    for line in eapplication.data.get("costs", []) or [{"kind": k.value} for k in CostKind]:
        choices.append((f"cost:{line['kind']}", str(CostKind(line["kind"]).label)))
    for kind in (
        IncomeKind.SALARY,
        IncomeKind.AKASSA,
        IncomeKind.SICKNESS_BENEFIT,
        IncomeKind.OTHER,
    ):
        choices.append((f"income:{kind.value}", str(kind.label)))
    return choices


@citizen_required
@require_http_methods(["GET", "POST"])
def apply_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    citizen = request.citizen
    eapplication = selectors.own_eapplication(citizen, pk)
    record_citizen_access(request, subject_type="eapplication", subject_id=eapplication.pk)
    is_applicant = eapplication.applicant_personnummer == citizen.personnummer
    if step != "sign" and (not is_applicant or eapplication.status != EApplication.Status.DRAFT):
        return redirect("eservice:apply_step", pk=pk, step="sign")
    continued = eapplication.kind == EApplication.Kind.CONTINUED
    error = None
    form = None
    upload_form = None
    data = request.POST if request.method == "POST" else None
    initial = {"version": eapplication.version}
    if step == "household":
        answers = eapplication.data.get("answers", {})
        if not continued:
            initial.update(
                co_applicant_personnummer=eapplication.co_applicant_personnummer,
                children=answers.get("children"),
                phone=answers.get("phone", ""),
            )
        elif eapplication.data.get("household_confirmed"):
            initial["household_same"] = answers.get("household_same")
            initial["change_note"] = answers.get("change_note", "")
        form = HouseholdForm(data, initial=initial, continued=continued)
    elif step in ("costs", "incomes"):
        lines = cost_lines(eapplication) if step == "costs" else income_lines(eapplication)
        form = LinesForm(data, initial=initial, lines=lines, kind=step)
    elif step == "attachments":
        upload_form = AttachmentForm(
            data, request.FILES or None, line_choices=_line_choices(eapplication)
        )
    else:
        form = SignForm(data)

    if request.method == "POST":
        try:
            if step == "attachments":
                if request.POST.get("action") == "upload":
                    if upload_form.is_valid():
                        services.attachment_add(
                            citizen,
                            upload=upload_form.cleaned_data["file"],
                            kind=upload_form.cleaned_data["kind"],
                            line=upload_form.cleaned_data["line"],
                            eapplication=eapplication,
                        )
                        return redirect("eservice:apply_step", pk=pk, step="attachments")
                else:
                    services.eapplication_save_step(
                        citizen,
                        eapplication,
                        step="attachments",
                        values={},
                        version=int(request.POST.get("version", 0)),
                    )
                    return redirect("eservice:apply_step", pk=pk, step="sign")
            elif step == "sign":
                if form.is_valid():
                    services.eapplication_sign(citizen, eapplication, name=citizen.display_name)
                    return redirect(reverse("eservice:apply_step", args=[pk, "sign"]) + "?klar=1")
            elif form.is_valid():
                if step == "household":
                    values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                    if "children" in values and values["children"] is None:
                        values["children"] = ""
                else:
                    values = {"lines": form.cleaned_lines()}
                services.eapplication_save_step(
                    citizen,
                    eapplication,
                    step=step,
                    values=values,
                    version=form.cleaned_data["version"],
                )
                return redirect("eservice:apply_step", pk=pk, step=STEPS[STEPS.index(step) + 1])
        except services.StaleDraft as stale:
            error = str(stale)
            eapplication.refresh_from_db()
        except (services.EServiceError, UploadRefused) as refused:
            error = str(refused)
            eapplication.refresh_from_db()
    return render(
        request,
        "eservice/apply_step.html",
        {
            "eapplication": eapplication,
            "step": step,
            "steps": [(s, STEP_TITLES[s]) for s in STEPS],
            "step_number": STEPS.index(step) + 1,
            "previous": STEPS[STEPS.index(step) - 1] if STEPS.index(step) > 0 else None,
            "form": form,
            "upload_form": upload_form,
            "error": error,
            "is_applicant": is_applicant,
            "continued": continued,
            "costs": [c for c in cost_lines(eapplication) if c["amount"]],
            "incomes": [i for i in income_lines(eapplication) if i["amount"]],
            "signatures": list(eapplication.signatures.all()),
            "missing": services.missing_signatures(eapplication),
            "i_signed": eapplication.signatures.filter(personnummer=citizen.personnummer).exists(),
            "done": request.GET.get("klar") == "1",
        },
        status=400 if error else 200,
    )


# --- supplements and messages -----------------------------------------------------


@citizen_required
@citizen_logs_access("supplement")
@require_http_methods(["GET", "POST"])
def supplement_answer(request, pk):
    supplement = selectors.own_supplement_request(request.citizen, pk)
    return _document_form(request, kind=IncomingDocument.Kind.SUPPLEMENT, supplement=supplement)


@citizen_required
@require_http_methods(["GET", "POST"])
def message(request):
    return _document_form(request, kind=IncomingDocument.Kind.MESSAGE, supplement=None)


def _document_form(request, *, kind, supplement):
    citizen = request.citizen
    error = None
    sent = None
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_receive(
                    citizen,
                    kind=kind,
                    text=form.cleaned_data["text"],
                    supplement_request=supplement,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
                upload = form.cleaned_data.get("file")
                if upload is not None and not document.attachments.exists():
                    services.attachment_add(
                        citizen, upload=upload, kind=Attachment.Kind.OTHER, document=document
                    )
                sent = document
            except (services.EServiceError, UploadRefused) as refused:
                error = str(refused)
    else:
        form = MessageForm(initial={"idempotency_key": uuid.uuid4()})
    if sent is not None:
        return render(request, "eservice/sent.html", {"document": sent, "supplement": supplement})
    return render(
        request,
        "eservice/message.html",
        {"form": form, "supplement": supplement, "error": error},
        status=400 if (error or form.errors) else 200,
    )
