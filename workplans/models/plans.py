"""Plan types, plans and their versions, and the activities of a version.

A ``WorkPlan`` is one plan for one client in a case (arbetsplan, introduktionsplan or
jobbplan); its content lives in numbered ``PlanVersion`` rows. Version 1 is drafted,
made ready for signing, and becomes an agreement only when both the client and the
caseworker have signed it (Eslöv, ../shared/sources/000: "skall vara undertecknad av
båda parter"). A signed version is frozen – in the services, and in the database by the
triggers of migration 0002 – and changing the plan means a revision: a new version,
copied from the signed one, that must be signed again. The signed version stays in force
until its successor is signed; every version is kept and can be compared.
"""

import hashlib
import json
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeadlineRule(models.TextChoices):
    MONTHS = "months", _("Månader från nybesöket (lag 1930:173)")
    WORKING_DAYS = "working_days", _("Arbetsdagar från nybesöket")


class PlanType(models.Model):
    """A kind of plan and its deadline rule – data, so a municipality can change them
    without code (DOMAIN.md §2.8: the arbetsplan within three months is Eslöv's rule,
    sources/000; the jobbplan within five working days is Stockholm's, sources/003).

    ``starts_clock`` marks the type whose deadline every new case gets; at most one type
    has it."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    label = models.CharField(_("benämning"), max_length=80)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    deadline_rule = models.CharField(
        _("tidsfrist räknas i"), max_length=20, choices=DeadlineRule.choices
    )
    deadline_amount = models.PositiveSmallIntegerField(_("antal"))
    starts_clock = models.BooleanField(
        _("krävs i varje ärende"),
        default=False,
        help_text=_("Varje nytt ärende får en tidsfrist för en plan av den här typen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    ordering = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("plantyp")
        verbose_name_plural = _("plantyper")
        ordering = ["ordering", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["starts_clock"],
                condition=models.Q(starts_clock=True),
                name="plantype_one_clock",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_amount__gt=0), name="plantype_deadline_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def due_on(self, first_visit: date) -> date:
        """The last day for a signed plan, counted from the first visit."""
        from cases.workdays import add_working_days, statutory_deadline

        if self.deadline_rule == DeadlineRule.WORKING_DAYS:
            return add_working_days(first_visit, self.deadline_amount)
        return statutory_deadline(first_visit, months=self.deadline_amount)

    @property
    def deadline_description(self) -> str:
        if self.deadline_rule == DeadlineRule.WORKING_DAYS:
            return f"{self.deadline_amount} arbetsdagar från nybesöket"
        return f"{self.deadline_amount} månader från nybesöket"


# Plan types a municipality starts with; editable data (Administrera register → Plantyper).
DEFAULT_PLAN_TYPES = (
    # code, label, rule, amount, starts_clock, description
    (
        "arbetsplan",
        "Arbetsplan",
        DeadlineRule.MONTHS,
        3,
        True,
        "Vägen till egen försörjning, senast tre månader efter nybesöket.",
    ),
    (
        "introduktionsplan",
        "Introduktionsplan",
        DeadlineRule.MONTHS,
        3,
        False,
        "För nyanlända; fullt jämförbar med en arbetsplan.",
    ),
    (
        "jobbplan",
        "Jobbplan",
        DeadlineRule.WORKING_DAYS,
        5,
        False,
        "En första plan inom fem arbetsdagar efter nybesöket (jobbtorg).",
    ),
)


def ensure_plan_types(**kwargs) -> None:
    """post_migrate: the default plan types, only when there are none (a new database or
    one flushed by tests) – an administrator's edits are kept. The administrator group
    may edit them in the admin site."""
    from django.contrib.auth.models import Group, Permission

    from cases.roles import Role

    if not PlanType.objects.exists():
        PlanType.objects.bulk_create(
            PlanType(
                code=code,
                label=label,
                deadline_rule=rule,
                deadline_amount=amount,
                starts_clock=clock,
                description=description,
                ordering=i,
            )
            for i, (code, label, rule, amount, clock, description) in enumerate(DEFAULT_PLAN_TYPES)
        )
    group, _created = Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workplans", codename__endswith="plantype"
        )
    )


class WorkPlan(models.Model):
    """One plan for one client in a case; its content is in its versions."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="workplans"
    )
    person = models.ForeignKey(
        "cases.Person", verbose_name=_("klient"), on_delete=models.PROTECT, related_name="+"
    )
    plan_type = models.ForeignKey(
        PlanType, verbose_name=_("typ av plan"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("arbetsplan")
        verbose_name_plural = _("arbetsplaner")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_type} {self.pk}"


class PlanVersionQuerySet(models.QuerySet):
    def open(self) -> "PlanVersionQuerySet":
        return self.filter(status__in=PlanVersion.OPEN_STATES)


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING = "awaiting", _("Väntar på underskrifter")
        SIGNED = "signed", _("Undertecknad – gäller")
        SUPERSEDED = "superseded", _("Ersatt av en senare version")
        DISCARDED = "discarded", _("Kasserad")

    OPEN_STATES = (Status.DRAFT, Status.AWAITING)
    FROZEN_STATES = (Status.SIGNED, Status.SUPERSEDED)
    # The agreement's text: frozen once signed, compared between versions, printed.
    CONTENT_FIELDS = (
        "goal",
        "next_step",
        "client_view",
        "family_situation",
        "children_perspective",
        "revision_reason",
    )

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    goal = models.TextField(
        _("mål"),
        default="Egen försörjning",
        blank=True,
        help_text=_("Målet är egen försörjning. Skriv hur det ser ut för klienten."),
    )
    next_step = models.TextField(
        _("nästa konkreta steg"), blank=True, help_text=_("Det första som ska hända, och när.")
    )
    client_view = models.TextField(
        _("klientens egen syn"),
        blank=True,
        help_text=_("Medinflytande: vad klienten själv vill och tycker om planen."),
    )
    family_situation = models.TextField(
        _("hela familjens situation"),
        blank=True,
        help_text=_("Hushållet, boende, hälsa och annat som påverkar vägen till arbete."),
    )
    children_perspective = models.TextField(
        _("barnens perspektiv"),
        blank=True,
        help_text=_("Hur planen påverkar barnen i hushållet och vad som tas hänsyn till."),
    )
    revision_reason = models.TextField(
        _("varför planen revideras"), blank=True, help_text=_("Vilka omständigheter har ändrats?")
    )
    # Optimistic locking for the autosaving editor (see services.plans.plan_draft_save).
    edit_version = models.PositiveIntegerField(default=1)
    last_editor = models.CharField(max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("ändrad"), default=timezone.now)
    ready_at = models.DateTimeField(_("klar för underskrift"), null=True, blank=True)
    signed_at = models.DateTimeField(_("undertecknad"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ersatt eller kasserad"), null=True, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("planversion")
        verbose_name_plural = _("planversioner")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_number"),
            # One agreement in force and one version being worked on, at most.
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(status="signed"), name="planversion_one_signed"
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status__in=["draft", "awaiting"]),
                name="planversion_one_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["signed", "superseded"])
                | models.Q(signed_at__isnull=False),
                name="planversion_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN_STATES

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    def content_digest(self, activities=None) -> str:
        """SHA-256 over the agreement's text and activities: printed on the paper that is
        signed and stored with every signature, so a signature is tied to exactly this
        content (and an electronic signature can sign it)."""
        activities = self.activities.all() if activities is None else activities
        content = {
            "plan": self.plan_id,
            "number": self.number,
            **{name: getattr(self, name) for name in self.CONTENT_FIELDS},
            "activities": [activity.content() for activity in activities],
        }
        return hashlib.sha256(
            json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


class Responsible(models.TextChoices):
    """Who carries out an activity (DOMAIN.md §2.9 lists the usual partners)."""

    CLIENT = "client", _("Klienten")
    CASEWORKER = "caseworker", _("Handläggaren")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    ADULT_EDUCATION = "sfi", _("SFI / vuxenutbildningen")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvården")
    DEBT_COUNSELLING = "debt_counselling", _("Budget- och skuldrådgivningen")
    OTHER = "other", _("Annan")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Genomförd")
    CANCELLED = "cancelled", _("Avbruten")


class Activity(models.Model):
    """What is to be done, by whom, when, and when it is followed up. Part of the signed
    content: its status after signing is recorded by follow-ups, not by editing it."""

    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("planversion"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    what = models.CharField(_("aktivitet"), max_length=300, blank=True)
    responsible = models.CharField(
        _("ansvarig"), max_length=30, choices=Responsible.choices, default=Responsible.CLIENT
    )
    responsible_note = models.CharField(
        _("ansvarig, närmare"), max_length=120, blank=True, help_text=_("T.ex. kontaktperson.")
    )
    starts_on = models.DateField(_("från"), null=True, blank=True)
    ends_on = models.DateField(_("till"), null=True, blank=True)
    follow_up_on = models.DateField(_("följs upp"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    # A referral (remiss) in the referrals app. Deliberately not a foreign key, so that
    # neither app depends on the other (workplans.links resolves it for display).
    referral_id = models.PositiveBigIntegerField(_("remiss"), null=True, blank=True)
    # The same activity in the version this one was copied from (revisions, comparison).
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_period_ordered",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.what or f"Aktivitet {self.pk}"

    COMPARED_FIELDS = (
        "what",
        "responsible",
        "responsible_note",
        "starts_on",
        "ends_on",
        "follow_up_on",
        "status",
        "referral_id",
    )

    def content(self) -> dict:
        return {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name in self.COMPARED_FIELDS
            for value in [getattr(self, name)]
        }
