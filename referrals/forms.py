"""Forms of the referrals app. They check the shape of the input; the services check the
rules (and their errors are put back on the form, with everything typed kept)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms_datetime import LocalDateTimeField
from cases.idempotency import IdempotencyKeyField
from cases.models import Meeting
from referrals.models import LETTER_FIELDS, AgreedStep, Mapping, Provider, ProviderService, Referral
from referrals.services.mappings import MAPPING_FIELDS
from referrals.services.referrals import CHOOSABLE_OUTCOMES

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


def _past_or_today(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
    return day


class _ServicesByProvider(forms.models.ModelChoiceIterator):
    """Choices as one <optgroup> per provider, read lazily when the form is rendered."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for service in self.queryset.order_by("provider__name", "name"):
            groups.setdefault(service.provider.name, []).append(
                (forms.models.ModelChoiceIteratorValue(service.pk, service), service.name)
            )
        yield from groups.items()


class ServiceChoiceField(forms.ModelChoiceField):
    """Active services of active providers, grouped by provider."""

    iterator = _ServicesByProvider

    def __init__(self, **kwargs):
        queryset = ProviderService.objects.filter(
            is_active=True, provider__is_active=True
        ).select_related("provider")
        kwargs.setdefault("empty_label", _("Välj insats"))
        super().__init__(queryset=queryset, **kwargs)


class ReferralForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    service = ServiceChoiceField(label=_("Insatsgivare och insats"))
    reason = forms.CharField(
        label=_("Anledning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Varför remissen skickas – utgå från personens egen beskrivning."),
    )
    request = forms.CharField(
        label=_("Vad som efterfrågas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad insatsgivaren ombeds göra, och vad ni vill ha tillbaka."),
    )
    sent_on = forms.DateField(label=_("Skickas"), initial=timezone.localdate, **DATE)
    shared_fields = forms.MultipleChoiceField(
        label=_("Uppgifter som personen har samtyckt till att lämna ut"),
        choices=LETTER_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kryssa bara i det personen uttryckligen har godkänt. Bara det kommer med i "
            "remissbrevet."
        ),
    )
    mapping = forms.IntegerField(widget=forms.HiddenInput, required=False)
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]

    def clean_sent_on(self):
        return _past_or_today(self.cleaned_data["sent_on"])


class ConsentForm(forms.Form):
    shared_fields = forms.MultipleChoiceField(
        label=_("Uppgifter som personen har samtyckt till att lämna ut"),
        choices=LETTER_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()


class AnswerForm(forms.Form):
    """Accepted, declined, started or withdrawn: a date and a note. The form's prefix is
    the target state, so each move on the page has its own field ids."""

    NOTE_LABELS = {
        Referral.State.DECLINED: _("Varför insatsgivaren avböjde"),
        Referral.State.WITHDRAWN: _("Varför remissen återkallas"),
    }

    on = forms.DateField(label=_("Datum"), initial=timezone.localdate, **DATE)
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.prefix in self.NOTE_LABELS:
            self.fields["note"].label = self.NOTE_LABELS[self.prefix]
            self.fields["note"].required = True

    def clean_on(self):
        return _past_or_today(self.cleaned_data["on"])


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultat"),
        choices=[("", "Välj resultat")]
        + [(v, label) for v, label in Referral.Outcome.choices if v in CHOOSABLE_OUTCOMES],
    )
    on = forms.DateField(label=_("Slutdatum"), initial=timezone.localdate, **DATE)
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()

    def clean_on(self):
        return _past_or_today(self.cleaned_data["on"])


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Uppföljd"), initial=timezone.localdate, **DATE)
    note = forms.CharField(
        label=_("Vad uppföljningen kom fram till"), widget=forms.Textarea(attrs={"rows": 3})
    )
    next_on = forms.DateField(
        label=_("Nästa uppföljning"),
        required=False,
        help_text=_("Lämna tomt för insatsgivarens längsta tid."),
        **DATE,
    )
    version = VersionField()

    def clean_on(self):
        return _past_or_today(self.cleaned_data["on"])


class MappingForm(forms.ModelForm):
    """The kartläggning. Not saved by the form: ``mapping_save`` makes a new version."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Mapping
        fields = MAPPING_FIELDS
        widgets = {
            "made_on": forms.DateInput(attrs={"type": "date"}),
            "education_level": forms.RadioSelect,
            "swedish_level": forms.RadioSelect,
            "employment_service_status": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "education",
                    "work_experience",
                    "health",
                    "obstacles",
                    "own_goals",
                    "help_wanted",
                    "employment_service_contact",
                    "other_contacts",
                    "assessment",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("education_level", "swedish_level", "employment_service_status"):
            # A radio group without the "---------" blank choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean_made_on(self):
        return _past_or_today(self.cleaned_data["made_on"])

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in MAPPING_FIELDS}


class ActivityForm(forms.Form):
    what = forms.CharField(
        label=_("Aktivitet"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ChoiceField(
        label=_("Ansvarig"),
        choices=[
            (AgreedStep.Responsible.CLIENT, AgreedStep.Responsible.CLIENT.label),
            (AgreedStep.Responsible.CASEWORKER, AgreedStep.Responsible.CASEWORKER.label),
        ],
    )


class ThreePartyMeetingForm(forms.Form):
    planned_meeting = forms.ModelChoiceField(
        label=_("Bokat trepartssamtal"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Inget bokat – ange tiden nedan"),
    )
    held_at = LocalDateTimeField(label=_("Tid"), required=False)
    provider = forms.ModelChoiceField(
        label=_("Annan aktör"), queryset=Provider.objects.filter(is_active=True)
    )
    participant_name = forms.CharField(label=_("Deltagare från den andra aktören"), max_length=150)
    participant_title = forms.CharField(label=_("Deltagarens roll"), max_length=150, required=False)
    client_attended = forms.BooleanField(label=_("Klienten deltog"), required=False, initial=True)
    notes = forms.CharField(label=_("Anteckningar"), widget=forms.Textarea(attrs={"rows": 5}))
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_meeting"].queryset = Meeting.objects.filter(
            case=case, kind=Meeting.Kind.THREE_PARTY, state=Meeting.State.PLANNED
        ).order_by("planned_at")
        self.fields["planned_meeting"].label_from_instance = lambda m: (
            f"{timezone.localtime(m.planned_at):%Y-%m-%d %H:%M}"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("planned_meeting") and not cleaned.get("held_at"):
            self.add_error("held_at", _("Ange när samtalet hölls, eller välj det bokade mötet."))
        return cleaned


class StepForm(forms.Form):
    what = forms.CharField(
        label=_("Nästa steg"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.ChoiceField(
        label=_("Ansvarig"), choices=AgreedStep.Responsible.choices, required=False
    )
    due_on = forms.DateField(label=_("Klart senast"), required=False, **DATE)
    becomes = forms.ChoiceField(label=_("Blir"), choices=AgreedStep.Becomes.choices, required=False)
    service = ServiceChoiceField(label=_("Remiss till"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("what") or "").strip():
            return cleaned  # an empty row is simply not a step
        if not cleaned.get("responsible"):
            self.add_error("responsible", _("Välj vem som ansvarar."))
        if not cleaned.get("becomes"):
            self.add_error("becomes", _("Välj vad steget blir."))
        if cleaned.get("becomes") == AgreedStep.Becomes.REFERRAL and not cleaned.get("service"):
            self.add_error("service", _("Välj vart remissen ska gå."))
        return cleaned


StepFormSet = forms.formset_factory(StepForm, extra=3, max_num=10)
