"""Delgivning of decisions and the appeal period it starts (DOMAIN.md §5, §6).

Every write of delgivning goes through ``decision_serve``. The rules on dates are in
``cases.serving``; the period itself is lag 1930:173 (``statutory_deadline``).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Appeal, Decision, User
from cases.services.errors import DecisionError
from cases.serving import control_notice_due, simplified_deemed_served_on
from cases.workdays import statutory_deadline

# FL 44 §: three weeks from the day the person received the decision (DOMAIN.md §5).
APPEAL_WEEKS = 3


def served_on_for(
    how: str, *, sent_on: date | None, received_on: date | None, control_notice_on: date | None
) -> date | None:
    """The day the appeal period runs from, or None when it is not known.

    Vanlig post, e-tjänst/digital brevlåda, personligen: the day the person received
    the decision, when it is known – never the posting date. Förenklad delgivning
    (delgivningslagen 22–29 §§): two weeks after the sending if the control notice went
    out by the first working day after; if it did not, förenklad delgivning did not take
    place and only a known day of receipt counts."""
    if how == Decision.ServedHow.SIMPLIFIED and sent_on is not None:
        deemed = simplified_deemed_served_on(sent_on, control_notice_on)
        if deemed is not None:
            return deemed
    return received_on


@transaction.atomic
def decision_serve(
    decision: Decision,
    *,
    actor: User,
    how: str,
    sent_on: date | None = None,
    received_on: date | None = None,
    control_notice_on: date | None = None,
    simplified_informed: bool = False,
    served_on: date | None = None,
) -> Decision:
    """Record delgivning: when the letter was sent, how, the control notice of förenklad
    delgivning and the day the person received it when known (delgivningslagen
    2010:1932; FL 44 §). ``served_on`` is the older name for ``received_on``.

    Recording again replaces what was recorded (a receipt learnt later). Appeals still
    waiting for rättidsprövning are judged again against the new day.

    Refused: a date before the decision or after today; a receipt before the sending;
    förenklad delgivning without a sending date and a control notice, or in a case where
    the person was not told that it may be used (delgivningslagen 22 §); personligen
    without the day it was handed over."""
    received_on = received_on or served_on
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_final:
        raise DecisionError(_("Bara ett fattat beslut kan delges."))
    if how not in Decision.ServedHow.values:
        raise DecisionError(_("Välj hur beslutet delgavs."))
    today = timezone.localdate()
    decided_on = decision.decided_on or today  # a final decision has its day
    for day in (sent_on, received_on, control_notice_on):
        if day is not None and (day < decided_on or day > today):
            raise DecisionError(_("Datumen måste ligga mellan beslutsdagen och i dag."))
    if sent_on and received_on and received_on < sent_on:
        raise DecisionError(_("Personen kan inte ha fått beslutet innan det skickades."))
    if how == Decision.ServedHow.IN_PERSON:
        if received_on is None:
            raise DecisionError(_("Ange vilken dag beslutet lämnades över."))
        sent_on = sent_on or received_on
    elif how == Decision.ServedHow.SIMPLIFIED:
        if sent_on is None or control_notice_on is None:
            raise DecisionError(
                _(
                    "Förenklad delgivning: ange när beslutet skickades och när "
                    "kontrollmeddelandet skickades."
                )
            )
        if control_notice_on < sent_on:
            raise DecisionError(_("Kontrollmeddelandet kan inte ha skickats före beslutet."))
        if not simplified_informed:
            raise DecisionError(
                _(
                    "Förenklad delgivning får bara användas om personen i ärendet har fått "
                    "veta att sådan delgivning kan användas (delgivningslagen 22 §)."
                )
            )
    elif sent_on is None and received_on is None:
        raise DecisionError(
            _("Ange när beslutet skickades, och när personen fick det om det är känt.")
        )
    if how != Decision.ServedHow.SIMPLIFIED:
        control_notice_on, simplified_informed = None, False
    decision.served_how = how
    decision.sent_on, decision.received_on = sent_on, received_on
    decision.control_notice_on, decision.simplified_informed = (
        control_notice_on,
        simplified_informed,
    )
    decision.served_on = served_on_for(
        how, sent_on=sent_on, received_on=received_on, control_notice_on=control_notice_on
    )
    decision.save(
        update_fields=[
            "served_how",
            "sent_on",
            "received_on",
            "control_notice_on",
            "simplified_informed",
            "served_on",
        ]
    )
    for appeal in decision.appeals.select_for_update().filter(status=Appeal.Status.RECEIVED):
        timeliness = appeal_timeliness(
            decision,
            appeal.received_on,
            notice_missing=appeal.notice_missing_or_wrong,
            court_received_on=appeal.court_received_on,
        )
        appeal.last_day, appeal.is_timely = timeliness.last_day, timeliness.is_timely
        appeal.timeliness_uncertain = timeliness.uncertain
        appeal.save(update_fields=["last_day", "is_timely", "timeliness_uncertain"])
    return decision


@dataclass(frozen=True)
class Timeliness:
    last_day: date | None
    is_timely: bool
    # The day of delgivning is not known (only the sending, or nothing): no last day.
    uncertain: bool = False
    # With only a sending date: the earliest the last day can be (sent = received).
    earliest_last_day: date | None = None
    # FL 45 § 2 st.: it reached förvaltningsrätten within the time.
    reached_court_in_time: bool = False


def appeal_timeliness(
    decision: Decision,
    received_on: date,
    *,
    notice_missing: bool,
    court_received_on: date | None = None,
) -> Timeliness:
    """FL 44–45 §§: the last day is three weeks from the day the person received the
    decision (or was deemed served by förenklad delgivning), moved to the next working
    day (lag 1930:173). A late appeal is dismissed unless the besvärshänvisning was
    missing or wrong, or the appeal reached förvaltningsrätten within the time (FL 45 §
    2 st.). When only the posting date is known the last day is uncertain: the appeal is
    treated as timely and never proposed for avvisning on that ground."""
    if decision.served_on is None:
        earliest = (
            statutory_deadline(decision.sent_on, weeks=APPEAL_WEEKS) if decision.sent_on else None
        )
        return Timeliness(None, True, uncertain=True, earliest_last_day=earliest)
    last_day = statutory_deadline(decision.served_on, weeks=APPEAL_WEEKS)
    to_court = court_received_on is not None and court_received_on <= last_day
    return Timeliness(
        last_day,
        received_on <= last_day or to_court or notice_missing,
        reached_court_in_time=to_court,
    )


def control_notice_last_day(decision: Decision) -> date | None:
    """For the decision page: by when the control notice had to be sent."""
    return control_notice_due(decision.sent_on) if decision.sent_on else None
