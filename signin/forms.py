from django import forms
from django.utils.translation import gettext_lazy as _


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Engångskod"),
        max_length=12,
        help_text=_("Sex siffror från din autentiseringsapp, eller en av dina reservkoder."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Skriv koden.")},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).replace("-", "")


class EnrolmentCodeForm(OneTimeCodeForm):
    code = forms.CharField(
        label=_("Kod från appen"),
        max_length=8,
        help_text=_("Skriv de sex siffror som appen visar nu."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Skriv koden.")},
    )


class SecondFactorResetForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
