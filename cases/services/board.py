"""Delegation: which point of the delegeringsordning a decision was taken under, and the
anmälan av delegationsbeslut to the nämnd.

- Kommunallagen (2017:725) 6 kap. 37 §: the nämnd delegates to staff; 40 §: decisions
  taken under delegation are reported (anmäls) to the nämnd, which decides how.
- 13 kap. 5 §: laglighetsprövning runs three weeks from the day it was announced on the
  anslagstavla that the protocol was justerat – the protocol of the meeting where the
  decision was reported. ``legality_last_day`` counts it (lag 1930:173).
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.idempotency import create_once
from cases.models import (
    AppealDismissal,
    Decision,
    DecisionItem,
    DelegationReport,
    DelegationRule,
    Unit,
    User,
)
from cases.models.decisions import APPEAL_DISMISSAL, RECONSIDERATION
from cases.roles import Role
from cases.services.errors import DecisionError
from cases.workdays import statutory_deadline

# KL 13 kap. 5 §: three weeks from the announcement of the justerat protokoll.
LEGALITY_WEEKS = 3


def board_name_of(unit: Unit) -> str:
    """The nämnd a unit decides for: its own, else the municipality's (VAGEN_BOARD_NAME)."""
    return unit.board_name or settings.VAGEN_BOARD_NAME


def board_units(board_name: str) -> models.QuerySet[Unit]:
    """Every unit deciding for ``board_name`` (a unit without a nämnd of its own decides
    for the municipality's)."""
    query = models.Q(board_name=board_name)
    if board_name == settings.VAGEN_BOARD_NAME:
        query |= models.Q(board_name="")
    return Unit.objects.filter(query)


def _roles(user: User) -> list[str]:
    return [role.value for role in Role if user.has_role(role)]


def _scope(outcome: str) -> str:
    if outcome == DecisionItem.Outcome.REFUSED:
        return DelegationRule.Outcome.REFUSAL
    return DelegationRule.Outcome.GRANT


def _narrowest(rules: list[DelegationRule]) -> DelegationRule | None:
    """Of the rules that allowed a decision, the one with the lowest limit (a decision the
    caseworker's point covers is reported under it, not under a manager's wider one)."""
    if not rules:
        return None
    return min(rules, key=lambda r: (r.max_amount is None, r.max_amount or 0, r.point))


def delegation_points(decider: User, decision: Decision) -> str:
    """The points of the delegeringsordning ``decider`` took ``decision`` under, e.g.
    "1.1, 2.1" – for a decision above the author's delegation, the approving manager's
    points. Empty for a point the order does not number."""
    roles = _roles(decider)
    rules = list(DelegationRule.objects.filter(is_active=True, role__in=roles))
    points: list[str] = []
    if decision.kind == Decision.Kind.RECONSIDERATION:
        rule = _narrowest(
            [r for r in rules if r.item_kind == RECONSIDERATION and r.outcome == "procedural"]
        )
        if rule is not None:
            points.append(rule.point)
    for item in decision.items.all():
        rule = _narrowest(
            [
                r
                for r in rules
                if r.item_kind == item.kind
                and r.outcome == _scope(item.outcome)
                and (r.max_amount is None or item.granted_amount <= r.max_amount)
            ]
        )
        if rule is not None:
            points.append(rule.point)
    return ", ".join(dict.fromkeys(p for p in points if p))


def dismissal_point(decider: User) -> str:
    rule = _narrowest(
        list(
            DelegationRule.objects.filter(
                is_active=True,
                item_kind=APPEAL_DISMISSAL,
                outcome=DelegationRule.Outcome.PROCEDURAL,
                role__in=_roles(decider),
            )
        )
    )
    return rule.point if rule else ""


def legality_last_day(report: DelegationReport | None) -> date | None:
    """The last day for laglighetsprövning of a decision reported in ``report`` (KL 13 kap.
    5 §), or None while the protocol has not been announced."""
    if report is None or report.announced_on is None:
        return None
    return statutory_deadline(report.announced_on, weeks=LEGALITY_WEEKS)


@dataclass(frozen=True)
class LegalityNotice:
    """What a page or letter says about the laglighetsprövning of a reported decision."""

    meeting_on: date | None
    announced_on: date | None
    last_day: date | None


def legality_notice(decision: Decision) -> LegalityNotice | None:
    report = decision.delegation_report
    if report is None:
        return None
    return LegalityNotice(report.meeting_on, report.announced_on, legality_last_day(report))


# --- the anmälan -------------------------------------------------------------------------


def _reportable(board_name: str, start: date, end: date):
    units = board_units(board_name)
    decisions = Decision.objects.filter(
        status=Decision.Status.FINAL,
        decided_on__gte=start,
        decided_on__lte=end,
        case__unit__in=units,
        delegation_report__isnull=True,
    )
    dismissals = AppealDismissal.objects.filter(
        decided_on__gte=start,
        decided_on__lte=end,
        appeal__decision__case__unit__in=units,
        delegation_report__isnull=True,
    )
    return decisions, dismissals


@transaction.atomic
def delegation_report_create(
    *,
    actor: User,
    board_name: str,
    period_start: date,
    period_end: date,
    idempotency_key: UUID | None = None,
) -> DelegationReport:
    """Put the nämnd's decisions of a period taken under delegation on one anmälan (KL 6
    kap. 40 §). The period must have ended and must not overlap an earlier anmälan of the
    same nämnd; a decision is on exactly one anmälan. The same form posted twice gives one."""
    if not actor.has_role(Role.BOARD_SECRETARY):
        raise DecisionError(_("Bara nämndsekreteraren kan anmäla delegationsbeslut."))
    if period_end < period_start:
        raise DecisionError(_("Periodens slut ligger före dess början."))
    if period_end >= timezone.localdate():
        raise DecisionError(_("Perioden måste ha tagit slut innan besluten anmäls."))

    def create() -> DelegationReport:
        # One secretary at a time per nämnd: the overlap check and the assignment hold.
        list(Unit.objects.select_for_update().filter(pk__in=board_units(board_name)))
        overlap = DelegationReport.objects.filter(
            board_name=board_name, period_start__lte=period_end, period_end__gte=period_start
        ).first()
        if overlap is not None:
            raise DecisionError(
                _("Perioden överlappar en tidigare anmälan (%(start)s–%(end)s).")
                % {"start": overlap.period_start, "end": overlap.period_end}
            )
        report = DelegationReport.objects.create(
            board_name=board_name,
            period_start=period_start,
            period_end=period_end,
            created_by=actor,
            idempotency_key=idempotency_key,
        )
        decisions, dismissals = _reportable(board_name, period_start, period_end)
        decisions.update(delegation_report=report)
        dismissals.update(delegation_report=report)
        return report

    report, _created = create_once(
        DelegationReport.objects.filter(created_by=actor), idempotency_key, create
    )
    return report


@transaction.atomic
def delegation_report_dates(
    report: DelegationReport,
    *,
    actor: User,
    meeting_on: date | None,
    announced_on: date | None,
    version: int | None = None,
) -> DelegationReport:
    """The meeting where the list was reported and the day the justerat protokoll was
    announced on the anslagstavla (KL 13 kap. 5 §). A stale form is refused."""
    report = DelegationReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and version != report.version:
        raise DecisionError(
            _("Anmälan har ändrats av någon annan. Ladda om sidan och försök igen.")
        )
    if meeting_on is not None and meeting_on <= report.period_end:
        raise DecisionError(_("Sammanträdet ska ligga efter anmälans period."))
    if announced_on is not None:
        if meeting_on is None:
            raise DecisionError(_("Ange sammanträdet innan protokollet anslås."))
        if announced_on < meeting_on:
            raise DecisionError(_("Protokollet kan inte anslås före sammanträdet."))
        if announced_on > timezone.localdate():
            raise DecisionError(_("Anslagsdagen kan inte ligga i framtiden."))
    report.meeting_on, report.announced_on = meeting_on, announced_on
    report.version += 1
    report.save(update_fields=["meeting_on", "announced_on", "version"])
    return report
