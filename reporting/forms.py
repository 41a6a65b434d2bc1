from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, User
from cases.roles import Role


class CaseReviewForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Handläggare"), queryset=User.objects.none())
    held_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("Ärenden som gicks igenom"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    notes = forms.CharField(
        label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    action_1 = forms.CharField(label=_("Överenskommen åtgärd 1"), max_length=300, required=False)
    due_1 = forms.DateField(
        label=_("Senast"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action_2 = forms.CharField(label=_("Överenskommen åtgärd 2"), max_length=300, required=False)
    due_2 = forms.DateField(
        label=_("Senast"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = User.objects.filter(
            unit=unit, is_active=True, groups__name=Role.CASEWORKER
        ).order_by("first_name")
        self.fields["cases"].queryset = (
            Case.objects.filter(unit=unit)
            .exclude(status=Case.Status.CLOSED)
            .select_related("caseworker")
            .order_by("-opened_on")
        )
        self.fields["cases"].label_from_instance = lambda case: (
            f"{case.reference} ({case.caseworker or '–'})"
        )

    def clean(self):
        cleaned = super().clean()
        for n in (1, 2):
            what, due = cleaned.get(f"action_{n}"), cleaned.get(f"due_{n}")
            if what and not due:
                self.add_error(f"due_{n}", _("Ange när åtgärden ska vara klar."))
            if due and due < timezone.localdate():
                self.add_error(f"due_{n}", _("Datumet har redan passerat."))
        return cleaned

    def actions(self):
        return [
            (self.cleaned_data[f"action_{n}"], self.cleaned_data[f"due_{n}"])
            for n in (1, 2)
            if self.cleaned_data.get(f"action_{n}")
        ]


class LogReviewForm(forms.Form):
    notes = forms.CharField(
        label=_("Iakttagelser"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
