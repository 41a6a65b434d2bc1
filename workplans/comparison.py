"""Comparing two versions of a plan: what changed in the text and in the activities.

Activities are matched through ``Activity.previous`` (a revision copies each activity
and remembers where it came from), so an activity whose text was rewritten shows as
changed, not as one removed and one added."""

from dataclasses import dataclass, field

from workplans.models import Activity, PlanVersion


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class ActivityChange:
    kind: str  # "added", "removed", "changed", "same"
    before: Activity | None
    after: Activity | None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {
            "added": "Ny",
            "removed": "Borttagen",
            "changed": "Ändrad",
            "same": "Oförändrad",
        }[self.kind]


@dataclass(frozen=True)
class Comparison:
    old: PlanVersion
    new: PlanVersion
    text: list[FieldChange]
    activities: list[ActivityChange]

    @property
    def has_changes(self) -> bool:
        return any(c.changed for c in self.text) or any(a.kind != "same" for a in self.activities)


def _display(activity: Activity, name: str) -> str:
    value = getattr(activity, name)
    if value is None or value == "":
        return "–"
    if name in ("responsible", "status"):
        return getattr(activity, f"get_{name}_display")()
    if name == "referral_id":
        return f"Remiss nr {value}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _label(model, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize()


def compare_versions(old: PlanVersion, new: PlanVersion, activities: list[Activity]) -> Comparison:
    """``activities``: every activity of the plan (one query), to follow the chains."""
    by_id = {a.pk: a for a in activities}
    old_ids = {a.pk for a in activities if a.version_id == old.pk}

    def ancestor_in_old(activity: Activity) -> int | None:
        seen = set()
        current = activity.previous_id
        while current is not None and current not in seen:
            if current in old_ids:
                return current
            seen.add(current)
            parent = by_id.get(current)
            current = parent.previous_id if parent else None
        return None

    text = [
        FieldChange(
            _label(PlanVersion, name),
            getattr(old, name),
            getattr(new, name),
        )
        for name in PlanVersion.CONTENT_FIELDS
    ]
    changes: list[ActivityChange] = []
    matched: set[int] = set()
    new_activities = sorted(
        (a for a in activities if a.version_id == new.pk), key=lambda a: (a.position, a.pk)
    )
    for activity in new_activities:
        origin = ancestor_in_old(activity) if new.number > old.number else None
        if origin is None:
            changes.append(ActivityChange("added", None, activity))
            continue
        matched.add(origin)
        before = by_id[origin]
        fields = [
            FieldChange(
                _label(Activity, name),
                _display(before, name),
                _display(activity, name),
            )
            for name in Activity.COMPARED_FIELDS
        ]
        kind = "changed" if any(f.changed for f in fields) else "same"
        changes.append(ActivityChange(kind, before, activity, fields))
    for activity in sorted(
        (by_id[pk] for pk in old_ids - matched), key=lambda a: (a.position, a.pk)
    ):
        changes.append(ActivityChange("removed", activity, None))
    return Comparison(old=old, new=new, text=text, activities=changes)
