"""Optimistic locking in the admin site: a change form posts the version of the row it
showed, and a save made against an older version is refused with a Swedish message and
the form shown again with everything that was typed (and the current values beside it),
never silently overwriting what a colleague saved in between – the same check the case,
plan and person forms have (DESIGN.md "Nothing lost").

Django's admin runs the whole change view in one transaction, so the form's ``clean``
locks the row (``SELECT … FOR UPDATE``) and compares; a second save at the same moment
waits for the first one's commit and then sees its new version. ``save_model`` raises
the version.

A row may be guarded by another row's version: a norm year's cost rows by the year
(``version_holder``), since the year's table is one thing – validated, used and imported
as a whole. The form's field is called ``edit_version``: the model's ``version`` is not
editable, and Django's model forms refuse a non-editable field by name.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

VERSION_FIELD = "edit_version"


def stale_message() -> str:
    return _(
        "Någon annan har sparat ändringar här medan du skrev. Det du skrev finns kvar – "
        "jämför med det som är sparat nu och spara igen."
    )


class VersionCheckedForm(forms.ModelForm):
    """A model form for the admin with the version check. Subclasses whose version is
    held by another row override ``version_holder``."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        holder = self.version_holder(self.instance)
        self._holder = (type(holder), holder.pk) if holder is not None else None
        if holder is not None:
            self.fields[VERSION_FIELD].initial = holder.version

    @classmethod
    def version_holder(cls, instance: models.Model) -> models.Model | None:
        """The row whose version guards ``instance`` (itself once it exists)."""
        return instance if instance.pk is not None else None

    def clean(self):
        cleaned = super().clean()
        if self._holder is None:
            return cleaned
        model, pk = self._holder
        current = model._default_manager.select_for_update().filter(pk=pk).first()
        if current is None:
            raise forms.ValidationError(_("Det du ändrar finns inte längre."))
        posted = cleaned.get(VERSION_FIELD)
        if posted is not None and posted != current.version:
            # Shown again with what was typed; the version is the current one now, so
            # saving again after comparing goes through.
            data = self.data.copy()
            data[self.add_prefix(VERSION_FIELD)] = str(current.version)
            self.data = data
            raise forms.ValidationError([stale_message(), *self._now_saved()])
        return cleaned

    def _now_saved(self) -> list[str]:
        """What is saved now in the fields where it differs from what was typed."""
        if self.instance.pk is None:
            return []
        saved = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if saved is None:
            return []
        lines = []
        for name, field in self.fields.items():
            if name == VERSION_FIELD or name not in self.cleaned_data:
                continue
            try:
                model_field = saved._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field has no saved value
                continue
            now = getattr(saved, name)
            typed = self.cleaned_data[name]
            if now != typed:
                shown = (
                    getattr(saved, f"get_{name}_display")()
                    if getattr(model_field, "choices", None)
                    else now
                )
                lines.append(
                    _("Sparat nu – %(field)s: %(value)s")
                    % {"field": field.label, "value": "–" if shown in (None, "") else shown}
                )
        return lines


class VersionCheckedAdmin:
    """ModelAdmin mixin: the form with the version check, its hidden field in the
    fieldsets, and the version raised on every save (the list's inline edits too)."""

    form = VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if VERSION_FIELD not in flatten_fieldsets(fieldsets):
            fieldsets.append((None, {"fields": [VERSION_FIELD], "classes": ["hidden"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = models.F("version") + 1
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])
