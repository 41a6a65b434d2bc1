"""What staff see of the e-service: a panel on the case page (submitted applications
with the lines the person declared beside last month's, who signed, the attachments
beside the line they support, and the incoming documents) and the attachment download.
Everything through the case gate (cases.permissions.get_case_for_user)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse

from cases.access import logs_access
from cases.calculation import CostKind, IncomeKind
from cases.extensions import case_has_rows
from cases.permissions import get_case_for_user
from eservice import services
from eservice.models import Attachment, EApplication, IncomingDocument


def _eapplications_for(case):
    return (
        EApplication.objects.filter(
            Q(case=case) | Q(first_contact__case=case), status=EApplication.Status.SUBMITTED
        )
        .prefetch_related("signatures", "attachments")
        .select_related("based_on")
        .order_by("-month")
    )


def _label(choices, code) -> str:
    return str(choices(code).label) if code in choices.values else code


def _lines(eapplication) -> list[dict]:
    """Declared lines with last month's amount and the attachments that support them."""
    attachments = list(eapplication.attachments.all())
    rows = []
    for prefix, key, choices in (("cost", "costs", CostKind), ("income", "incomes", IncomeKind)):
        for line in eapplication.data.get(key, []):
            if (
                not line.get("amount")
                and not line.get("last_actual")
                and not line.get("last_amount")
            ):
                continue
            rows.append(
                {
                    "label": _label(choices, line["kind"]),
                    "group": prefix,
                    "amount": line.get("amount") or "",
                    "last": line.get("last_actual") or line.get("last_amount") or "",
                    "changed": (line.get("amount") or "")
                    != (
                        line.get("last_actual")
                        or line.get("last_amount")
                        or line.get("amount")
                        or ""
                    ),
                    "attachments": [a for a in attachments if a.line == f"{prefix}:{line['kind']}"],
                }
            )
    return rows


def case_panel_rows() -> dict:
    """The panel's rows, asked with the other panels' (cases.extensions)."""
    from django.db.models import Exists, OuterRef

    return {
        "eservice_applications": Exists(
            EApplication.objects.filter(
                Q(case=OuterRef("pk")) | Q(first_contact__case=OuterRef("pk")),
                status=EApplication.Status.SUBMITTED,
            )
        ),
        "eservice_documents": Exists(IncomingDocument.objects.filter(case=OuterRef("pk"))),
    }


def case_panel_context(request, case) -> dict:
    eapplications = (
        list(_eapplications_for(case)) if case_has_rows(case, "eservice_applications") else []
    )
    return {
        "eapplications": [
            {
                "eapplication": e,
                "lines": _lines(e),
                "loose_attachments": [a for a in e.attachments.all() if not a.line],
                "answers": e.data.get("answers", {}),
            }
            for e in eapplications
        ],
        "documents": list(
            IncomingDocument.objects.filter(case=case).prefetch_related("attachments")[:20]
        )
        if case_has_rows(case, "eservice_documents")
        else [],
    }


@login_required
@logs_access("attachment")
def attachment_download(request, pk):
    attachment = Attachment.objects.select_related("eapplication", "document").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if attachment.document_id:
        case_id = attachment.document.case_id
    elif attachment.eapplication_id and attachment.eapplication.status == "submitted":
        eapplication = attachment.eapplication
        case_id = eapplication.case_id or (
            eapplication.first_contact.case.pk
            if eapplication.first_contact_id and hasattr(eapplication.first_contact, "case")
            else None
        )
    else:
        case_id = None
    if case_id is None:
        raise Http404
    get_case_for_user(request.user, case_id)
    response = HttpResponse(
        services.attachment_content(attachment), content_type=attachment.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="underlag-{attachment.pk}"'
    response["Cache-Control"] = "no-store"
    return response
