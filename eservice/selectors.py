"""What a signed-in citizen may see: only what concerns them – applications where they
are applicant or co-applicant, their cases through those, the decisions on them, and the
meetings and supplement requests of their own cases. Every query starts from the
person the IdP asserted (``citizen.person``); nothing is ever looked up by an id alone.
A protected identity sees their own data like anyone else – and nobody else sees it."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Application, Case, Decision, Meeting, SupplementRequest
from eservice.models import Attachment, EApplication, IncomingDocument


def own_applications(citizen) -> QuerySet[Application]:
    person = citizen.person
    if person is None:
        return Application.objects.none()
    return (
        Application.objects.filter(Q(applicant=person) | Q(co_applicant=person))
        .select_related("case")
        .order_by("-month", "-pk")
    )


def own_cases(citizen) -> QuerySet[Case]:
    person = citizen.person
    if person is None:
        return Case.objects.none()
    today = timezone.localdate()
    current = Q(
        household__memberships__person=person,
        household__memberships__valid_from__lte=today,
    ) & (
        Q(household__memberships__valid_to__isnull=True)
        | Q(household__memberships__valid_to__gte=today)
    )
    ids = Case.objects.filter(
        Q(pk__in=own_applications(citizen).values("case_id")) | current
    ).values("pk")
    return Case.objects.filter(pk__in=ids)


def current_case(citizen) -> Case | None:
    """The open case of the household the person lives in today."""
    return own_cases(citizen).exclude(status=Case.Status.CLOSED).order_by("-opened_on").first()


def own_decisions(citizen) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(
            application__in=own_applications(citizen), status=Decision.Status.FINAL
        )
        .filter(letter__isnull=False)
        .select_related("application", "letter")
        .order_by("-decided_on", "-pk")
    )


def own_decision(citizen, pk) -> Decision:
    decision = own_decisions(citizen).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


def own_meetings(citizen) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        case__in=own_cases(citizen),
        state=Meeting.State.PLANNED,
        planned_at__gte=timezone.now(),
    ).order_by("planned_at")


def own_supplement_requests(citizen) -> QuerySet[SupplementRequest]:
    return SupplementRequest.objects.filter(
        application__in=own_applications(citizen)
    ).select_related("application")


def own_supplement_request(citizen, pk) -> SupplementRequest:
    request = own_supplement_requests(citizen).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def own_eapplications(citizen) -> QuerySet[EApplication]:
    """E-service applications the person started or must sign as co-applicant."""
    number = citizen.personnummer
    return EApplication.objects.filter(
        Q(applicant_personnummer=number) | Q(co_applicant_personnummer=number)
    ).prefetch_related("signatures", "attachments")


def own_eapplication(citizen, pk) -> EApplication:
    eapplication = own_eapplications(citizen).filter(pk=pk).first()
    if eapplication is None:
        raise Http404
    return eapplication


def own_attachment(citizen, pk) -> Attachment:
    attachment = (
        Attachment.objects.filter(pk=pk)
        .filter(
            Q(eapplication__in=own_eapplications(citizen)) | Q(document__in=own_documents(citizen))
        )
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def own_documents(citizen) -> QuerySet[IncomingDocument]:
    return IncomingDocument.objects.filter(sender_personnummer=citizen.personnummer)
