"""What gallring reaches: the records of a person, found generically, and the rule that
says when they are due (reads only; the destruction is ``cases.services.gallring``).

The rule (SoL 2025:400 16 kap. 1 §, DOMAIN.md §8):

- The notes and documents of a personakt are destroyed five years after the last note
  was made – but not while register data about the same person is kept; register data
  five years after the circumstances it describes ended. The destruction is finished by
  the end of the calendar year after the year the five years ran out.
- Kept for research (16 kap. 4 §): every record of a person born on the 5th, 15th or
  25th of a month (VAGEN_GALLRING_RESEARCH_DAYS), and every record of a municipality chosen
  for the representative sample (VAGEN_GALLRING_RESEARCH_MUNICIPALITY).
- Never destroyed while held: an open case (the circumstances have not ended), an appeal
  not yet decided, an open återkrav, or a hold placed on the case (``RetentionHold``).

The *akt* is found, not listed: starting from persons and households, every row of every
model that points at something already found (a foreign key, a one-to-one, a many-to-many
row, or a generic relation such as a deadline's subject) belongs to it, and so on
recursively – so a model another app adds later (an attachment, a plan, a referral) is
reached without this module knowing it. Records linked across households (a person who
lived in two) form one akt and go together. The last note of an akt is the newest date in
any of its rows – conservative: an edit, a payment or a deadline keeps it alive.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

RETENTION_YEARS = 5  # SoL 16 kap. 1 §
CHUNK = 2000

# Models that the walk never enters: the log of gallring itself, and the access log,
# which has its own retention (its rows point at subjects by type and id, not by key).
_NEVER_REACHED = {"cases.gallringlogentry", "cases.gallringrun", "cases.accesslogpurge"}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, item: object) -> object:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every foreign key or one-to-one elsewhere that points at ``model`` (hidden ones,
    like the rows of a many-to-many table, included)."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if isinstance(rel, models.ForeignObjectRel)
        and not isinstance(rel, models.ManyToManyRel)
        and rel.related_model is not None
        and _label(rel.related_model) not in _NEVER_REACHED
        and not rel.related_model._meta.proxy
    ]


def generic_relations() -> list[tuple[type[models.Model], GenericForeignKey]]:
    """Every generic foreign key in the project (a deadline's subject, a guardian
    permission's object…)."""
    found = []
    for model in apps.get_models():
        if _label(model) in _NEVER_REACHED:
            continue
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                found.append((model, private))
    return found


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


# Dates that are not notes: when a clock runs out or reminds is planned, not recorded
# (a cancelled plan deadline three months ahead is no documentation of that day).
# A gallringsspärr is about the akt's keeping, not a note in it.
_NOT_NOTES = {
    "cases.deadline": {"due_at", "remind_at"},
    "cases.retentionhold": {"placed_at", "released_at"},
}


def _date_fields(model: type[models.Model]) -> list[str]:
    skip = _NOT_NOTES.get(_label(model), set())
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField)  # DateTimeField is a DateField
        and f.attname not in skip
    ]


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@dataclass
class Akt:
    """One personakt (persons and households linked by membership or by any record) and
    every row that belongs to it."""

    key: object
    rows: dict[type[models.Model], set[int]] = field(default_factory=lambda: defaultdict(set))
    last_note: date | None = None

    @property
    def person_ids(self) -> set[int]:
        from cases.models import Person

        return self.rows.get(Person, set())

    @property
    def household_ids(self) -> set[int]:
        from cases.models import Household

        return self.rows.get(Household, set())

    def counts(self) -> dict[type[models.Model], int]:
        return {model: len(pks) for model, pks in self.rows.items() if pks}


@dataclass
class Assessment:
    due: list[Akt]
    kept_for_research: int
    held: int
    not_yet: int  # still open or within five years


def collect(
    *, person_ids: Iterable[int] | None = None, household_ids: Iterable[int] | None = None
) -> list[Akt]:
    """Walk from the given persons and households (all of them when both are None) to
    every row that belongs to them, grouped into akter."""
    from cases.models import Household, HouseholdMember, Person

    uf = _UnionFind()
    collect_all = person_ids is None and household_ids is None
    if collect_all:
        person_ids = Person.objects.values_list("pk", flat=True)
        household_ids = Household.objects.values_list("pk", flat=True)
    person_ids, household_ids = set(person_ids or ()), set(household_ids or ())
    # Memberships link persons and households both ways: take the whole connected set.
    links: set[tuple[int, int]] = set()
    if collect_all:
        links = set(HouseholdMember.objects.values_list("household_id", "person_id"))
    while not collect_all:
        links = set(
            HouseholdMember.objects.filter(
                models.Q(person_id__in=person_ids) | models.Q(household_id__in=household_ids)
            ).values_list("household_id", "person_id")
        )
        more_h = {h for h, _p in links} - household_ids
        more_p = {p for _h, p in links} - person_ids
        if not more_h and not more_p:
            break
        household_ids |= more_h
        person_ids |= more_p

    owner: dict[tuple[str, int], object] = {}  # (model label, pk) -> union-find node
    rows: dict[type[models.Model], set[int]] = defaultdict(set)
    queue: list[tuple[type[models.Model], dict[int, object]]] = []
    queue.append((Person, {pk: ("p", pk) for pk in person_ids}))
    queue.append((Household, {pk: ("h", pk) for pk in household_ids}))
    for pk in person_ids:
        uf.find(("p", pk))
    for pk in household_ids:
        uf.find(("h", pk))
    for h, p in links:
        uf.union(("h", h), ("p", p))
    gfks = generic_relations()

    while queue:
        model, found = queue.pop()
        fresh: dict[int, object] = {}
        for pk, node in found.items():
            key = (_label(model), pk)
            if key in owner:
                uf.union(owner[key], node)
            else:
                owner[key] = node
                fresh[pk] = node
        if not fresh:
            continue
        rows[model].update(fresh)
        pks = list(fresh)
        for rel in reverse_relations(model):
            related = rel.related_model
            fk = rel.field
            if fk.target_field.attname != model._meta.pk.attname:
                continue  # a to_field key; none in Vägen
            step: dict[int, object] = {}
            for start in range(0, len(pks), CHUNK):
                chunk = pks[start : start + CHUNK]
                for pk, parent in related._base_manager.filter(
                    **{f"{fk.attname}__in": chunk}
                ).values_list("pk", fk.attname):
                    node = fresh[parent]
                    if pk in step:
                        uf.union(step[pk], node)
                    else:
                        step[pk] = node
            if step:
                queue.append((related, step))
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for gmodel, gfk in gfks:
            ct_field = cast(models.Field, gmodel._meta.get_field(gfk.ct_field))
            id_field = cast(models.Field, gmodel._meta.get_field(gfk.fk_field))
            as_text = isinstance(id_field, models.CharField | models.TextField)
            step = {}
            for start in range(0, len(pks), CHUNK):
                chunk = pks[start : start + CHUNK]
                wanted = {str(pk) if as_text else pk: pk for pk in chunk}
                for pk, object_id in gmodel._base_manager.filter(
                    **{ct_field.attname: content_type.pk, f"{id_field.attname}__in": list(wanted)}
                ).values_list("pk", id_field.attname):
                    node = fresh[wanted[object_id]]
                    if pk in step:
                        uf.union(step[pk], node)
                    else:
                        step[pk] = node
            if step:
                queue.append((gmodel, step))

    akter: dict[object, Akt] = {}
    for (label, pk), node in owner.items():
        root = uf.find(node)
        akt = akter.get(root)
        if akt is None:
            akt = akter[root] = Akt(key=root)
        akt.rows[apps.get_model(label)].add(pk)
    _last_notes(list(akter.values()), uf, owner)
    return list(akter.values())


def _last_notes(akter: list[Akt], uf: _UnionFind, owner: dict) -> None:
    by_root = {akt.key: akt for akt in akter}
    all_rows: dict[type[models.Model], set[int]] = defaultdict(set)
    for akt in akter:
        for model, pks in akt.rows.items():
            all_rows[model] |= pks
    for model, pks in all_rows.items():
        names = _date_fields(model)
        if not names:
            continue
        label = _label(model)
        ordered = list(pks)
        for start in range(0, len(ordered), CHUNK):
            for pk, *values in model._base_manager.filter(
                pk__in=ordered[start : start + CHUNK]
            ).values_list("pk", *names):
                dates = [_as_date(v) for v in values if v is not None]
                if not dates:
                    continue
                akt = by_root[uf.find(owner[(label, pk)])]
                newest = max(dates)
                if akt.last_note is None or newest > akt.last_note:
                    akt.last_note = newest


def due_after(last_note: date) -> date:
    """The day the five years have run (lag 1930:173: same date; 29 Feb → 28 Feb)."""
    try:
        return last_note.replace(year=last_note.year + RETENTION_YEARS)
    except ValueError:
        return last_note.replace(year=last_note.year + RETENTION_YEARS, day=28)


def destroy_by(last_note: date) -> date:
    """Finished by the end of the calendar year after the five years ran out (16:1)."""
    return date(due_after(last_note).year + 1, 12, 31)


def kept_for_research(akt: Akt) -> bool:
    """SoL 16 kap. 4 §: a person born on the 5th, 15th or 25th (birth date of the
    personnummer; a samordningsnummer's day less 60), or a sample municipality."""
    from cases.models import Person

    if settings.VAGEN_GALLRING_RESEARCH_MUNICIPALITY:
        return True
    days = set(settings.VAGEN_GALLRING_RESEARCH_DAYS)
    for birth_date, number in Person.objects.filter(pk__in=akt.person_ids).values_list(
        "birth_date", "personnummer"
    ):
        day = birth_date.day if birth_date else _day_of(number)
        if day in days:
            return True
    return False


def _day_of(number: str | None) -> int | None:
    if not number or len(number) < 8:
        return None
    day = int(number[6:8])
    return day - 60 if day > 60 else day


# --- holds -------------------------------------------------------------------------

_HOLDS: list = []


def register_hold(check) -> None:
    """``check(akt) -> bool``: True while something keeps the akt (plug-ins add theirs)."""
    _HOLDS.append(check)


def _open_case(akt: Akt) -> bool:
    from cases.models import Case

    return (
        Case.objects.filter(pk__in=akt.rows.get(Case, ()))
        .exclude(status=Case.Status.CLOSED)
        .exists()
    )


def _open_appeal(akt: Akt) -> bool:
    from cases.models import Appeal

    done = (Appeal.Status.DISMISSED, Appeal.Status.COURT_DECIDED)
    return Appeal.objects.filter(pk__in=akt.rows.get(Appeal, ())).exclude(status__in=done).exists()


def _open_recovery(akt: Akt) -> bool:
    from cases.models import Recovery

    return Recovery.objects.filter(
        pk__in=akt.rows.get(Recovery, ()), status__in=Recovery.OPEN_STATUSES
    ).exists()


def _retention_hold(akt: Akt) -> bool:
    from cases.models import RetentionHold

    return RetentionHold.objects.filter(
        pk__in=akt.rows.get(RetentionHold, ()), released_at__isnull=True
    ).exists()


register_hold(_open_appeal)
register_hold(_open_recovery)
register_hold(_retention_hold)


def is_held(akt: Akt) -> bool:
    return any(check(akt) for check in _HOLDS)


def assess(akter: list[Akt], *, as_of: date) -> Assessment:
    """Sort the akter: due (and not kept, not held), kept for research, held, not yet."""
    due: list[Akt] = []
    research = held = not_yet = 0
    for akt in akter:
        if _open_case(akt) or akt.last_note is None or due_after(akt.last_note) > as_of:
            not_yet += 1
        elif is_held(akt):
            held += 1
        elif kept_for_research(akt):
            research += 1
        else:
            due.append(akt)
    return Assessment(due=due, kept_for_research=research, held=held, not_yet=not_yet)


def kind_label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


def count_by_kind(akter: Iterable[Akt]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for akt in akter:
        for model, n in akt.counts().items():
            counts[kind_label(model)] += n
    return dict(sorted(counts.items()))


__all__ = [
    "Akt",
    "Assessment",
    "assess",
    "collect",
    "count_by_kind",
    "destroy_by",
    "due_after",
    "file_fields",
    "is_held",
    "kept_for_research",
    "register_hold",
]
