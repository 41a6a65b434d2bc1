"""Kartläggning: each save is a new version for the person; nothing is overwritten.

Burlöv 2013 (sources/002): the person's own account of skills and experience, the help
they want, and their contact with Arbetsförmedlingen, documented on one form.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Person, User
from referrals.models import Mapping
from referrals.services.common import ReferralError, check_case_open, check_day, check_member

# The answers of the form, carried from one version to the next.
MAPPING_FIELDS: tuple[str, ...] = (
    "made_on",
    "education_level",
    "education",
    "work_experience",
    "swedish_level",
    "other_languages",
    "health",
    "obstacles",
    "own_goals",
    "help_wanted",
    "employment_service_status",
    "employment_service_contact",
    "other_contacts",
    "assessment",
)
REQUIRED = ("education_level", "swedish_level", "help_wanted", "employment_service_status")


class StaleMapping(ReferralError):
    def __init__(self, latest: int):
        self.latest = latest
        super().__init__(
            _(
                "Någon annan har sparat en ny version (version %(v)s) medan du skrev. Det du "
                "skrev finns kvar – jämför med den senaste versionen och spara igen."
            )
            % {"v": latest}
        )


def unit_mappings(person: Person, unit_id: int):
    """The person's kartläggning versions made in cases of one unit. A unit reads only
    its own: what the person told another unit stays there (OSL 26 kap. 1 §; DESIGN.md:
    everything shown about a person is filtered, never "all rows of this person")."""
    return Mapping.objects.filter(person=person, case__unit_id=unit_id)


def latest_version(person: Person, unit_id: int | None = None) -> int:
    """The newest version number – of the unit's versions when ``unit_id`` is given,
    else of all (numbers are unique per person, across units)."""
    mappings = Mapping.objects.filter(person=person)
    if unit_id is not None:
        mappings = mappings.filter(case__unit_id=unit_id)
    return mappings.order_by("-version").values_list("version", flat=True).first() or 0


@transaction.atomic
def mapping_save(
    *,
    actor: User,
    case: Case,
    person: Person,
    answers: dict,
    based_on_version: int | None,
) -> Mapping:
    """Save the person's kartläggning as a new version.

    ``based_on_version`` is the version the form showed (0 for none): if someone saved a
    newer one meanwhile, ``StaleMapping`` is raised instead of silently putting a version
    on top that ignores it. Versions are numbered per person, under a row lock on the
    person, and never change afterwards.
    """
    check_case_open(case)
    check_member(case, person)
    unknown = set(answers) - set(MAPPING_FIELDS)
    if unknown:
        raise ReferralError(_("Okända fält i kartläggningen: %s.") % ", ".join(sorted(unknown)))
    answers = {
        key: value.strip() if isinstance(value, str) else value for key, value in answers.items()
    }
    if missing := [key for key in REQUIRED if not answers.get(key)]:
        labels = ", ".join(str(Mapping._meta.get_field(key).verbose_name) for key in missing)
        raise ReferralError(_("Fyll i: %s.") % labels)
    made_on: date = answers.get("made_on") or timezone.localdate()
    check_day(made_on, what=_("Samtalsdatum"))
    answers["made_on"] = made_on
    Person.objects.select_for_update().filter(pk=person.pk).first()
    latest = latest_version(person, case.unit_id)
    if based_on_version is not None and based_on_version != latest:
        raise StaleMapping(latest)
    return Mapping.objects.create(
        person=person, case=case, version=latest_version(person) + 1, created_by=actor, **answers
    )


def mapping_activity_text(mapping: Mapping) -> str:
    """A work-plan activity drafted from the kartläggning: the person's own goal and the
    help they asked for (the caseworker edits it before it is added)."""
    parts = []
    if mapping.own_goals:
        parts.append(f"Mål: {mapping.own_goals}")
    parts.append(f"Stöd som personen vill ha: {mapping.help_wanted}")
    text = "\n".join(parts)
    return text if len(text) <= 300 else text[:299] + "…"  # workplans.Activity.what


@transaction.atomic
def mapping_to_activity(
    mapping: Mapping, *, actor: User, case: Case, what: str, responsible: str
) -> int:
    """Put an activity drafted from ``mapping`` into the person's work plan in the case
    (``responsible``: a workplans responsible code, e.g. "client")."""
    from referrals import workplan_link

    check_case_open(case)
    check_member(case, mapping.person)
    if not what.strip() or not responsible.strip():
        raise ReferralError(_("Skriv aktiviteten och vem som ansvarar för den."))
    activity_id, why_not = workplan_link.activity_create(
        case, actor=actor, what=what, responsible=responsible, person=mapping.person
    )
    if activity_id is None:
        raise ReferralError(why_not)
    return activity_id
