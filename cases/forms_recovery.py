"""Forms of återkrav (SoL 33 kap.). Amounts are Decimal with öre; errors in Swedish."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms_casework import VersionField
from cases.idempotency import IdempotencyKeyField
from cases.models import CommunicationExemption, CommunicationMethod, RecoveryGround


def _amount_widget():
    return forms.TextInput(attrs={"inputmode": "decimal", "size": 10})


AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": 0, "localize": True}


class RecoveryNewForm(forms.Form):
    """Who owes, on what ground, and – per payment of the case – how much is reclaimed
    (fields ``amount_<payment id>`` and ``note_<payment id>``)."""

    idempotency_key = IdempotencyKeyField()
    debtor = forms.TypedChoiceField(label=_("Återbetalningsskyldig"), coerce=int)
    ground = forms.ChoiceField(label=_("Grund"), choices=RecoveryGround.choices)
    facts = forms.CharField(
        label=_("Vad som hänt"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vilka uppgifter som var fel eller inte lämnades, och när det upptäcktes."),
    )

    def __init__(self, *args, persons, payments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["debtor"].choices = [(p.pk, p.full_name) for p in persons]
        self.payments = list(payments)
        for payment in self.payments:
            self.fields[f"amount_{payment.pk}"] = forms.DecimalField(
                label=_("Återkrävs av utbetalningen %(day)s") % {"day": payment.pay_on.isoformat()},
                required=False,
                **AMOUNT,
                widget=_amount_widget(),
            )
            self.fields[f"note_{payment.pk}"] = forms.CharField(
                label=_("Varför"), required=False, max_length=300
            )

    def payment_rows(self):
        return [
            (payment, self[f"amount_{payment.pk}"], self[f"note_{payment.pk}"])
            for payment in self.payments
        ]

    def lines(self):
        from cases.services.recovery import LineInput

        return [
            LineInput(
                payment_id=payment.pk,
                amount=self.cleaned_data[f"amount_{payment.pk}"],
                note=self.cleaned_data[f"note_{payment.pk}"],
            )
            for payment in self.payments
            if self.cleaned_data.get(f"amount_{payment.pk}")
        ]


class RecoveryDraftForm(forms.Form):
    version = VersionField()
    facts = forms.CharField(label=_("Vad som hänt"), widget=forms.Textarea(attrs={"rows": 4}))
    communicated_on = forms.DateField(
        label=_("Kommunicerat den"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("När personen fick ta del av underlaget och yttra sig (FL 25 §)."),
    )
    communication_method = forms.ChoiceField(
        label=_("Hur"), required=False, choices=[("", "–"), *CommunicationMethod.choices]
    )
    communication_oral_offered = forms.BooleanField(
        label=_("Personen har fått veta att uppgifter också kan lämnas muntligt (SoL 14 kap. 8 §)"),
        required=False,
    )
    communication_exemption = forms.ChoiceField(
        label=_("Eller: skäl att inte kommunicera"),
        required=False,
        choices=[("", "–"), *CommunicationExemption.choices],
    )
    communication_note = forms.CharField(
        label=_("Personens synpunkter"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    motivering = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "De regler som tillämpats och de omständigheter som varit avgörande (FL 32 §)."
        ),
    )


class RecoveryDecideForm(forms.Form):
    version = VersionField()
    monthly_amount = forms.DecimalField(
        label=_("Avbetalning per månad (kr)"), required=False, widget=_amount_widget(), **AMOUNT
    )
    first_month = forms.DateField(
        label=_("Första månaden"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RecoveryPlanForm(forms.Form):
    version = VersionField()
    monthly_amount = forms.DecimalField(
        label=_("Avbetalning per månad (kr)"), widget=_amount_widget(), **AMOUNT
    )
    first_month = forms.DateField(
        label=_("Första månaden"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RecoveryRepaymentForm(forms.Form):
    idempotency_key = IdempotencyKeyField()
    paid_on = forms.DateField(label=_("Betalt den"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Belopp (kr)"), widget=_amount_widget(), **AMOUNT)


class RecoveryWaiverForm(forms.Form):
    idempotency_key = IdempotencyKeyField()
    version = VersionField()
    amount = forms.DecimalField(
        label=_("Belopp som nämnden avstår från (kr)"), widget=_amount_widget(), **AMOUNT
    )
    motivering = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}))


class RecoveryCourtForm(forms.Form):
    version = VersionField()
    filed_on = forms.DateField(
        label=_("Talan väckt den"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RecoveryCancelForm(forms.Form):
    version = VersionField()
    note = forms.CharField(
        label=_("Varför avslutas återkravet?"), widget=forms.Textarea(attrs={"rows": 3})
    )
