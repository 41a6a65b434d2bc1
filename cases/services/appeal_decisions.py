"""Decisions in an appeal: the avvisningsbeslut (FL 45 §) and the omprövningsbeslut
(FL 37–39 §§). Each is a decision of its own – a record, a delegation check, a stored
letter and a besvärshänvisning – not only a status of the appeal.

- Avvisning (FL 45 §): an appeal that came in after the last day is dismissed by the unit,
  unless the lateness is due to a missing or wrong besvärshänvisning (45 § första stycket)
  or the appeal reached förvaltningsrätten within the time (45 § andra stycket). When
  only the posting date is known the last day is uncertain and nothing is dismissed on
  that ground. The avvisningsbeslut can itself be appealed to förvaltningsrätten
  (förvaltningsbesvär, FL 40–44 §§): its letter says how.
- Omprövning (FL 37–38 §§): a decision that turns out wrong is changed by a new decision
  that replaces it; after an appeal that is possible only until the appeal is forwarded
  to förvaltningsrätten (FL 39 §). The appeal then counts as an appeal of the new
  decision (FL 46 § andra stycket) and is forwarded as before.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import meet_deadlines
from cases.language_notices import language_notice_context, notice_codes
from cases.models import Appeal, AppealDismissal, Decision, User
from cases.models.decisions import APPEAL_DISMISSAL, RECONSIDERATION
from cases.services import decisions as decisions_svc
from cases.services.board import dismissal_point
from cases.services.decision_letters import address_lines, board_for, staff_title
from cases.services.errors import DecisionError

OPEN_FOR_ACTION = (Appeal.Status.RECEIVED, Appeal.Status.RECONSIDERED)


# --- omprövning --------------------------------------------------------------------


def reconsideration_start(appeal: Appeal, *, actor: User, note: str) -> Decision:
    """Draft the omprövningsbeslut (FL 37–39 §§): a new decision on the same application
    that replaces the appealed one, to be edited and decided like any decision (delegation,
    kommunikation, letter). One open draft per appeal; refused once the appeal has been
    forwarded (FL 39 §) or by a user without delegation to ompröva."""
    appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
    if appeal.status != Appeal.Status.RECEIVED:
        raise DecisionError(
            _("Beslutet kan inte omprövas: överklagandet är redan lämnat över (FL 39 §).")
        )
    if not decisions_svc.procedural_delegation_allows(actor, RECONSIDERATION):
        raise DecisionError(_("Du har inte delegation att ompröva beslut."))
    draft = appeal.reconsiderations.exclude(status=Decision.Status.FINAL).first()
    if draft is not None:
        return draft
    appeal.reconsideration_note = note.strip()
    appeal.save(update_fields=["reconsideration_note"])
    return decisions_svc.decision_replace(appeal.decision, actor=actor, reconsiders=appeal)


def check_reconsideration_open(decision: Decision) -> Appeal:
    """The appeal an omprövningsbeslut answers may still be changed: not forwarded,
    dismissed or decided by the court (FL 39 §)."""
    if decision.reconsiders_id is None:
        raise DecisionError(_("Omprövningsbeslutet hör inte till något överklagande."))
    appeal = Appeal.objects.select_for_update().get(pk=decision.reconsiders_id)
    if appeal.status != Appeal.Status.RECEIVED:
        raise DecisionError(
            _(
                "Överklagandet har redan lämnats över eller avgjorts – beslutet kan inte "
                "längre ändras genom omprövning (FL 39 §)."
            )
        )
    return appeal


def reconsideration_finalised(decision: Decision) -> None:
    """Called as the omprövningsbeslut becomes final: the appeal is reconsidered with a
    changed decision; it now counts as an appeal of the new one (FL 46 § andra stycket)."""
    appeal = check_reconsideration_open(decision)
    appeal.status = Appeal.Status.RECONSIDERED
    appeal.reconsidered_changed = True
    appeal.save(update_fields=["status", "reconsidered_changed"])


# --- avvisning ---------------------------------------------------------------------


def dismissal_motivering(appeal: Appeal) -> str:
    """The standard motivering of an avvisningsbeslut: the dates and the rule."""
    decision = appeal.decision
    return _(
        "Du har överklagat beslut %(reference)s. Du fick del av beslutet den %(served)s. "
        "Ett överklagande ska ha kommit in inom tre veckor från den dag du fick del av "
        "beslutet, det vill säga senast den %(last_day)s. Ditt överklagande kom in den "
        "%(received)s, alltså för sent. Ett överklagande som har kommit in för sent ska "
        "avvisas (förvaltningslagen 45 §). Beslutet gav rätt information om hur man "
        "överklagar, och överklagandet kom inte heller in till förvaltningsrätten i tid."
    ) % {
        "reference": decision.reference,
        "served": _day(decision.served_on),
        "last_day": _day(appeal.last_day),
        "received": _day(appeal.received_on),
    }


def _day(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "LONG_DATE_FORMAT") if day else "–"


@transaction.atomic
def appeal_dismissal_decide(
    appeal: Appeal, *, actor: User, motivering: str = ""
) -> AppealDismissal:
    """Decide the avvisningsbeslut (FL 45 §) and store its letter.

    Refused: an appeal in time, one whose besvärshänvisning was missing or wrong (45 §
    första stycket), one that reached förvaltningsrätten in time (45 § andra stycket), one
    whose last day is uncertain because only the posting date is known, one already
    handled, and a user without delegation for avvisning (the delegeringsordning's
    ``appeal_dismissal`` point)."""
    appeal = Appeal.objects.select_for_update().select_related("decision__case").get(pk=appeal.pk)
    if appeal.status not in OPEN_FOR_ACTION:
        raise DecisionError(_("Överklagandet är redan hanterat."))
    if appeal.timeliness_uncertain:
        raise DecisionError(
            _(
                "Sista dagen att överklaga är osäker – det är inte känt när personen fick "
                "beslutet. Överklagandet kan inte avvisas som för sent."
            )
        )
    if appeal.court_received_on and appeal.last_day and appeal.court_received_on <= appeal.last_day:
        raise DecisionError(
            _(
                "Överklagandet kom in till förvaltningsrätten i tid och ska inte avvisas "
                "(förvaltningslagen 45 § andra stycket)."
            )
        )
    if appeal.is_timely:
        raise DecisionError(_("Överklagandet kom in i rätt tid och kan inte avvisas."))
    if not decisions_svc.procedural_delegation_allows(actor, APPEAL_DISMISSAL):
        raise DecisionError(
            _("Du har inte delegation att avvisa överklaganden. Enhetschefen kan fatta beslutet.")
        )
    dismissal = AppealDismissal(
        appeal=appeal,
        motivering=motivering.strip() or dismissal_motivering(appeal),
        decided_by=actor,
        decided_on=timezone.localdate(),
        html="",
        pdf=b"",
        sha256="",
        delegation_point=dismissal_point(actor),
        decided_by_title=staff_title(actor),
    )
    dismissal.save()  # the reference in the letter needs the primary key
    html, pdf = dismissal_letter_render(dismissal)
    applicant = appeal.decision.application.applicant
    dismissal.html, dismissal.pdf = html, pdf
    dismissal.sha256 = hashlib.sha256(pdf).hexdigest()
    dismissal.language_notice = notice_codes(applicant, appeal.decision.application.co_applicant)
    dismissal.save(update_fields=["html", "pdf", "sha256", "language_notice"])
    appeal.status = Appeal.Status.DISMISSED
    appeal.save(update_fields=["status"])
    meet_deadlines(appeal, kind=decisions_svc.APPEAL_FORWARD)
    return dismissal


def dismissal_letter_context(dismissal: AppealDismissal) -> dict:
    appeal = dismissal.appeal
    decision = appeal.decision
    application = decision.application
    applicant = application.applicant
    return {
        "document_title": f"Beslut om avvisning av överklagande {dismissal.reference}",
        "dismissal": dismissal,
        "appeal": appeal,
        "decision": decision,
        "applicant": applicant,
        "co_applicant": application.co_applicant,
        "recipient_lines": address_lines(applicant, decision.letter_delivery),
        # The nämnd that decides, where to send an appeal of the dismissal (configuration
        # per unit, as in the decision letter).
        "board": board_for(decision.case.unit),
        "letter_date": dismissal.decided_on,
        **language_notice_context(applicant, application.co_applicant, decision.case),
    }


def dismissal_letter_render(dismissal: AppealDismissal) -> tuple[str, bytes]:
    from cases.pdf import render_document

    return render_document("pdf/appeal_dismissal_letter.html", dismissal_letter_context(dismissal))
