"""The plan editor: the forms for one draft version – its text, one row per activity,
and the optimistic-lock fields – shown on the case page and on the plan page, bound to a
POST when saving. Only fields present in the POST are saved, so a partial request can
never blank the rest of the draft."""

import secrets
from dataclasses import dataclass, field

from workplans.forms import ActivityForm, EditorLockForm, PlanContentForm
from workplans.models import Activity, PlanVersion
from workplans.services.plans import ActivityInput


@dataclass
class Editor:
    version: PlanVersion
    content: PlanContentForm
    rows: list[tuple[Activity, ActivityForm]]
    lock: EditorLockForm
    prefix: str
    data: dict | None = None
    focus_last: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def plan(self):
        return self.version.plan

    @property
    def activity_field(self) -> str:
        return f"{self.prefix}-aktivitet"

    def is_valid(self) -> bool:
        valid = self.content.is_valid() & self.lock.is_valid()
        for _activity, form in self.rows:
            valid &= form.is_valid()
        return bool(valid)

    def error_summary(self) -> list[str]:
        summary = [
            f"{self.content.fields[n].label}: {e}"
            for n, es in self.content.errors.items()
            for e in es
        ]
        for number, (_activity, form) in enumerate(self.rows, start=1):
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                summary += [
                    f"Aktivitet {number}{' – ' + label if label else ''}: {e}" for e in errors
                ]
        return summary

    def _posted(self, form) -> list[str]:
        return [n for n in form.fields if form.add_prefix(n) in (self.data or {})]

    def content_changes(self) -> dict[str, str]:
        return {n: self.content.cleaned_data[n] for n in self._posted(self.content)}

    def activity_changes(self) -> dict[int, ActivityInput]:
        changes = {}
        for activity, form in self.rows:
            posted = self._posted(form)
            if not posted:
                continue
            values = {n: getattr(activity, n) for n in ActivityForm.Meta.fields}
            values.update({n: form.cleaned_data[n] for n in posted})
            changes[activity.pk] = ActivityInput(**values)
        return changes

    @property
    def base_edit_version(self) -> int | None:
        return self.lock.cleaned_data.get("edit_version")

    @property
    def token(self) -> str:
        return self.lock.cleaned_data.get("editor") or ""


def editor_for(
    version: PlanVersion,
    *,
    data=None,
    activities: list[Activity] | None = None,
    token: str | None = None,
    focus_last: bool = False,
) -> Editor:
    """Unbound: the draft as stored, with a fresh editor token. Bound (``data``): the
    rows the editor posted, whichever still exist."""
    prefix = f"plan{version.plan_id}"
    activities = list(version.activities.all()) if activities is None else activities
    if data is None:
        content = PlanContentForm(instance=version, prefix=prefix)
        rows = [(a, ActivityForm(instance=a, prefix=f"{prefix}-a{a.pk}")) for a in activities]
        lock = EditorLockForm(
            prefix=prefix,
            initial={"edit_version": version.edit_version, "editor": token or secrets.token_hex(8)},
        )
    else:
        by_id = {a.pk: a for a in activities}
        posted_ids = []
        for value in data.getlist(f"{prefix}-aktivitet"):
            if value.isdigit() and int(value) not in posted_ids:
                posted_ids.append(int(value))
        content = PlanContentForm(data, prefix=prefix)
        rows = [
            (
                by_id.get(pk) or Activity(pk=pk, version=version),
                ActivityForm(data, prefix=f"{prefix}-a{pk}"),
            )
            for pk in posted_ids
        ]
        lock = EditorLockForm(data, prefix=prefix)
    if focus_last and rows:
        rows[-1][1].fields["what"].widget.attrs["autofocus"] = True
    return Editor(
        version=version,
        content=content,
        rows=rows,
        lock=lock,
        prefix=prefix,
        data=data,
        focus_last=focus_last,
    )
