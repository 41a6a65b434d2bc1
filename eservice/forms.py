"""The e-service's forms: one per step, each question with plain-language help."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.calculation import CostKind, IncomeKind
from eservice.models import Attachment

# The incomes asked for on a first application (the rest come with "Övrig inkomst").
COMMON_INCOMES = [
    IncomeKind.SALARY,
    IncomeKind.AKASSA,
    IncomeKind.ACTIVITY_SUPPORT,
    IncomeKind.SICKNESS_BENEFIT,
    IncomeKind.PARENTAL_BENEFIT,
    IncomeKind.CHILD_BENEFIT,
    IncomeKind.HOUSING_ALLOWANCE,
    IncomeKind.MAINTENANCE_SUPPORT,
    IncomeKind.OTHER,
]

COST_HELP = {
    CostKind.RENT: _("Det du betalar i hyra per månad enligt hyresavin. Bifoga hyresavin."),
    CostKind.HOUSEHOLD_ELECTRICITY: _("Elräkningen för bostaden, per månad."),
    CostKind.WORK_TRAVEL: _("Vad resorna till och från arbetet kostar per månad."),
    CostKind.HOME_INSURANCE: _("Hemförsäkringen, per månad."),
    CostKind.UNION_FEE: _("Avgiften till facket, per månad."),
    CostKind.AKASSA_FEE: _("Avgiften till a-kassan, per månad."),
}
INCOME_HELP = _(
    "Skriv vad som kommer in på kontot under månaden, efter skatt. Lämna tomt om du inte "
    "har inkomsten."
)


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Skriv beloppet i kronor med siffror, till exempel 4500."),
                "min_value": _("Beloppet kan inte vara mindre än 0 kr."),
            },
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
            value = value.removesuffix("kr")
        return super().to_python(value)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdForm(VersionedForm):
    """First application: who lives with you. Continued: confirm last month's household."""

    household_same = forms.ChoiceField(
        label=_("Bor samma personer hos dig som förra månaden?"),
        choices=[("yes", _("Ja, det stämmer")), ("no", _("Nej, något har ändrats"))],
        widget=forms.RadioSelect,
        required=False,
    )
    change_note = forms.CharField(
        label=_("Vad har ändrats?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel att någon har flyttat in eller ut, eller fått barn."),
    )
    co_applicant_personnummer = forms.CharField(
        label=_("Personnummer för din make, maka eller sambo (om ni bor tillsammans)"),
        required=False,
        max_length=13,
        help_text=_(
            "Ni som är gifta eller sambor ansöker tillsammans. Hen loggar in och skriver "
            "under samma ansökan. Lämna tomt om du bor ensam."
        ),
    )
    children = forms.IntegerField(
        label=_("Hur många barn under 21 år bor hos dig?"),
        required=False,
        min_value=0,
        max_value=20,
        help_text=_("Räkna barn som bor hos dig minst halva tiden."),
        error_messages={"invalid": _("Skriv antalet med en siffra, till exempel 0 eller 2.")},
    )
    phone = forms.CharField(
        label=_("Telefonnummer vi kan nå dig på"),
        required=False,
        max_length=40,
        help_text=_("Vi ringer upp dig inom ett dygn (vardagar)."),
    )

    def __init__(self, *args, continued: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if continued:
            del self.fields["co_applicant_personnummer"], self.fields["children"]
            del self.fields["phone"]
            self.fields["household_same"].required = True
            self.fields["household_same"].error_messages["required"] = _("Svara ja eller nej.")
        else:
            del self.fields["household_same"], self.fields["change_note"]

    def clean(self):
        data = super().clean()
        if data.get("household_same") == "no" and not data.get("change_note"):
            self.add_error("change_note", _("Berätta kort vad som har ändrats."))
        return data


class LinesForm(VersionedForm):
    """Costs or incomes: one amount per line, prefilled from last month."""

    def __init__(self, *args, lines: list[dict], kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.lines = lines
        for index, line in enumerate(lines):
            label = line["label"]
            help_text = line.get("help", "")
            if line.get("last") is not None:
                help_text = f"{help_text} " + str(
                    _("Förra månaden: %(amount)s kr.") % {"amount": line["last"]}
                )
            self.fields[f"line_{index}"] = AmountField(
                label=label, help_text=help_text.strip(), initial=line.get("amount") or None
            )

    def cleaned_lines(self) -> list[dict]:
        result = []
        for index, line in enumerate(self.lines):
            amount = self.cleaned_data.get(f"line_{index}")
            stored = {k: v for k, v in line.items() if k not in ("label", "help", "last")}
            stored["amount"] = str(amount) if amount is not None else ""
            result.append(stored)
        return result


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad är det för underlag?"), choices=Attachment.Kind.choices)
    line = forms.ChoiceField(label=_("Vilken uppgift styrker det?"), required=False)
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, JPEG eller PNG. Ett foto med mobilen går bra."),
        error_messages={"required": _("Välj en fil.")},
    )

    def __init__(self, *args, line_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", _("Ingen särskild"))] + list(line_choices)


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Jag intygar att uppgifterna är sanna och fullständiga och att jag meddelar "
            "förändringar."
        ),
        error_messages={"required": _("Kryssa i rutan för att skriva under.")},
    )


class MessageForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Meddelande"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv ett meddelande.")},
    )
    file = forms.FileField(
        label=_("Bifoga underlag (valfritt)"),
        required=False,
        help_text=_("PDF, JPEG eller PNG."),
    )
