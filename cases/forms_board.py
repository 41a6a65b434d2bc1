"""Forms of the nämnd's lists and of the execution clock on a decision."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import IdempotencyKeyField


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def previous_month() -> tuple[date, date]:
    first_this = timezone.localdate().replace(day=1)
    last_previous = first_this - timedelta(days=1)
    return last_previous.replace(day=1), last_previous


class PeriodForm(forms.Form):
    period_start = _date_field(_("Beslut från och med"))
    period_end = _date_field(_("till och med"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("Periodens slut ligger före dess början."))
        if start and end and (end - start).days > 366:
            raise forms.ValidationError(_("Välj en period på högst ett år."))
        return data


class DelegationReportForm(PeriodForm):
    idempotency_key = IdempotencyKeyField()


class DelegationReportDatesForm(forms.Form):
    meeting_on = _date_field(_("Anmält vid nämndens sammanträde"), required=False)
    announced_on = _date_field(
        _("Justerat protokoll anslaget på anslagstavlan"),
        required=False,
        help_text=_("Från den dagen räknas tre veckor för laglighetsprövning (KL 13 kap. 5 §)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


RECIPIENTS = (
    ("ivo", _("Inspektionen för vård och omsorg (IVO)")),
    ("revisorer", _("Kommunens revisorer")),
    ("fullmaktige", _("Kommunfullmäktige – statistikrapport")),
)


class QuarterForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2002, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Kvartal"),
        coerce=int,
        choices=[
            (1, _("1 (jan–mar)")),
            (2, _("2 (apr–jun)")),
            (3, _("3 (jul–sep)")),
            (4, _("4 (okt–dec)")),
        ],
    )
    recipient = forms.ChoiceField(label=_("Rapport till"), choices=RECIPIENTS)


class DelayReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till dröjsmålet"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Rapporteras till IVO och revisorerna. Skriv inga namn."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InterruptForm(forms.Form):
    on = _date_field(_("Verkställigheten avbröts"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Skäl för avbrottet"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResumeForm(forms.Form):
    on = _date_field(_("Verkställigheten återupptogs"), initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
