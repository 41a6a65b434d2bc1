"""Forms of the plan pages. They validate input only; services do the writing."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import IdempotencyKeyField
from workplans.models import Activity, ActivityStatus, PlanType, PlanVersion
from workplans.signing import signature_methods


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanCreateForm(forms.Form):
    plan_type = forms.ModelChoiceField(
        label=_("Typ av plan"), queryset=PlanType.objects.filter(is_active=True), empty_label=None
    )
    person = forms.TypedChoiceField(label=_("Planen gäller"), coerce=int)

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [
            (p.pk, p.full_name) for p in adults
        ]
        # Read the plan types once: without an empty choice the select's "required"
        # check (its first choice) and its options would each run the query (issue 20).
        # Through iter(): list() of the iterator itself asks its len() first, a COUNT.
        plan_type = cast(forms.ModelChoiceField, self.fields["plan_type"])
        plan_type.choices = list(iter(plan_type.choices))


class PlanContentForm(forms.ModelForm):
    class Meta:
        model = PlanVersion
        fields = PlanVersion.CONTENT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in PlanVersion.CONTENT_FIELDS}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = (
            "what",
            "responsible",
            "responsible_note",
            "starts_on",
            "ends_on",
            "follow_up_on",
            "status",
        )
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "follow_up_on": date_input(),
        }


class EditorLockForm(forms.Form):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    editor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class SignatureForm(forms.Form):
    method = forms.ChoiceField(label=_("Hur"))
    signed_on = forms.DateField(
        label=_("Undertecknad den"), initial=timezone.localdate, widget=date_input()
    )
    scanned_copy = forms.FileField(
        label=_("Inskannad kopia"),
        required=False,
        help_text=_(
            "Den underskrivna planen som PDF, JPEG eller PNG (högst 10 MB). Har båda "
            "skrivit under samma papper räcker det att bifoga den en gång."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["method"]).choices = [
            (m.code, m.label) for m in signature_methods() if not m.electronic
        ]


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför planen revideras"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vilka omständigheter har ändrats?"),
    )


class FollowUpForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), initial=timezone.localdate, widget=date_input())
    participants = forms.CharField(label=_("Deltagare"), required=False, max_length=300)
    note = forms.CharField(
        label=_("Vad har hänt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    client_view = forms.CharField(
        label=_("Klientens syn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    idempotency_key = IdempotencyKeyField()


class FollowUpActivityForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    comment = forms.CharField(label=_("Kommentar"), required=False, max_length=300)


class CompareForm(forms.Form):
    fran = forms.TypedChoiceField(label=_("Från version"), coerce=int)
    till = forms.TypedChoiceField(label=_("Till version"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("fran", "till"):
            cast(forms.ChoiceField, self.fields[name]).choices = [
                (n, f"Version {n}") for n in numbers
            ]
