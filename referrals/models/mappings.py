"""Kartläggning: a structured mapping of what a person brings and what help they want,
stored per person and version – each save is a new version, none is ever overwritten.

Burlöv 2013 (sources/002, "Rapport samordnartjänsten"): the person tells in their own
words what knowledge and experience they have, what help they themselves feel they need
to come closer to work, and what contact they have with Arbetsförmedlingen; the
coordinator documents it on a form and suggests a suitable planning. It is the ground for
the caseworker's planning with the person – here it prefills referrals and work-plan
activities – and one written story stops "different stories told to different agencies".
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MappingQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("En kartläggning ändras inte – spara en ny version.")

    def delete(self):
        raise PermissionError("Kartläggningar raderas inte.")


class Mapping(models.Model):
    class EducationLevel(models.TextChoices):
        NONE = "none", _("Ingen formell utbildning")
        PRIMARY = "primary", _("Grundskola eller motsvarande")
        UPPER_SECONDARY = "upper_secondary", _("Gymnasium eller motsvarande")
        POST_SECONDARY = "post_secondary", _("Eftergymnasial utbildning")
        UNIVERSITY = "university", _("Högskola eller universitet")
        UNKNOWN = "unknown", _("Vet inte")

    class SwedishLevel(models.TextChoices):
        NATIVE = "native", _("Modersmål")
        GOOD = "good", _("Goda kunskaper")
        SOME = "some", _("Vissa kunskaper")
        NONE = "none", _("Inga kunskaper")

    class EmploymentServiceStatus(models.TextChoices):
        REGISTERED = "registered", _("Inskriven")
        NOT_REGISTERED = "not_registered", _("Inte inskriven")
        UNKNOWN = "unknown", _("Vet inte")

    person = models.ForeignKey(
        "cases.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mappings"
    )
    # The case in which this version was made (access goes through a case the person is in).
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="mappings"
    )
    version = models.PositiveIntegerField(_("version"))
    made_on = models.DateField(_("samtalsdatum"), default=timezone.localdate)
    education_level = models.CharField(
        _("högsta utbildning"), max_length=20, choices=EducationLevel.choices
    )
    education = models.TextField(
        _("utbildning"),
        blank=True,
        help_text=_("Skola, inriktning, land, år – som personen berättar."),
    )
    work_experience = models.TextField(_("arbetslivserfarenhet"), blank=True)
    swedish_level = models.CharField(_("svenska"), max_length=10, choices=SwedishLevel.choices)
    other_languages = models.CharField(_("andra språk"), max_length=200, blank=True)
    health = models.TextField(
        _("hälsa"),
        blank=True,
        help_text=_("Som personen själv beskriver sin hälsa och hur den påverkar arbete."),
    )
    obstacles = models.TextField(
        _("andra hinder"),
        blank=True,
        help_text=_("T.ex. barnomsorg, bostad, skulder, körkort – som personen beskriver dem."),
    )
    own_goals = models.TextField(_("egna mål"), blank=True)
    help_wanted = models.TextField(
        _("vilken hjälp personen vill ha"),
        help_text=_("Med personens egna ord: vad behöver du för att komma närmare ett arbete?"),
    )
    employment_service_status = models.CharField(
        _("Arbetsförmedlingen"), max_length=20, choices=EmploymentServiceStatus.choices
    )
    employment_service_contact = models.TextField(
        _("kontakt med Arbetsförmedlingen"),
        blank=True,
        help_text=_("Handläggare, program, planering, senaste kontakt."),
    )
    other_contacts = models.TextField(
        _("kontakt med andra"),
        blank=True,
        help_text=_("Försäkringskassan, vården, SFI, budget- och skuldrådgivning …"),
    )
    assessment = models.TextField(
        _("bedömning av lämplig planering"),
        blank=True,
        help_text=_("Handläggarens eller samordnarens förslag, utifrån de insatser som finns."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sparad"), default=timezone.now, editable=False)

    objects = MappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("kartläggning")
        verbose_name_plural = _("kartläggningar")
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="mapping_person_version"),
        ]

    def __str__(self) -> str:
        return f"Kartläggning version {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("En kartläggning ändras inte – spara en ny version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Kartläggningar raderas inte.")
