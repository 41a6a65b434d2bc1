"""Forms for cases, journal, meetings and applications."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.calculation import CostKind, IncomeKind
from cases.fields import PersonnummerFormField
from cases.forms_datetime import LocalDateTimeField
from cases.idempotency import IdempotencyKeyField
from cases.models import (
    AdvanceBenefit,
    Appeal,
    Application,
    ApplicationItem,
    Case,
    Channel,
    ClosingReason,
    CommunicationExemption,
    CommunicationMethod,
    Decision,
    DecisionItem,
    JournalNote,
    LegalBasis,
    Meeting,
    RepaymentGround,
    SupportObstacle,
    User,
)
from cases.roles import Role

KRONOR: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class CaseNewForm(forms.Form):
    personnummer = PersonnummerFormField(
        label=_("Sökandens personnummer"),
        help_text=_("Personen måste vara registrerad i Vägen (Personer)."),
    )
    caseworker = forms.ModelChoiceField(
        label=_("Ansvarig handläggare"), queryset=User.objects.none(), required=False
    )
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = User.objects.filter(
            unit=unit, is_active=True, groups__name=Role.CASEWORKER
        ).order_by("first_name", "last_name")


class CaseCloseForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Avslutsorsak"), queryset=ClosingReason.objects.filter(is_active=True)
    )
    closed_on = forms.DateField(
        label=_("Avslutas"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    version = VersionField()


class CaseReassignForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Ny ansvarig handläggare"), queryset=None)
    version = VersionField()

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = (
            User.objects.filter(unit=case.unit, is_active=True, groups__name=Role.CASEWORKER)
            .exclude(pk=case.caseworker_id)
            .order_by("first_name", "last_name")
        )


class JournalNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=[c for c in JournalNote.Kind.choices if c[0] != JournalNote.Kind.CORRECTION],
        initial=JournalNote.Kind.NOTE,
    )
    occurred_on = forms.DateField(
        label=_("Händelsedatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    text = forms.CharField(label=_("Anteckning"), widget=forms.Textarea(attrs={"rows": 4}))
    communication_method = forms.CharField(
        label=_("Hur kommunicerat (FL 25 §)"),
        max_length=100,
        required=False,
        help_text=_("T.ex. brev, telefon, möte – krävs för kommunicering."),
    )
    client_view = forms.CharField(
        label=_("Klientens synpunkt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)
    idempotency_key = IdempotencyKeyField()

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Händelsedatum kan inte ligga i framtiden."))
        return day


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=Meeting.Kind.choices)
    planned_at = LocalDateTimeField(label=_("Tid"))
    idempotency_key = IdempotencyKeyField()


class MeetingRecordForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Hur gick det"),
        choices=[c for c in Meeting.State.choices if c[0] != Meeting.State.PLANNED],
    )
    client_attended = forms.BooleanField(label=_("Klienten deltog"), required=False)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=1000)


class ApplicationForm(forms.Form):
    month = forms.DateField(
        label=_("Månad"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    received_on = forms.DateField(
        label=_("Inkom"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial="e_service")
    applicant = forms.TypedChoiceField(label=_("Sökande"), coerce=int)
    co_applicant = forms.TypedChoiceField(
        label=_("Medsökande"), coerce=int, required=False, empty_value=None
    )
    items = forms.MultipleChoiceField(
        label=_("Ansöker om"),
        choices=ApplicationItem.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApplicationItem.Kind.LIVELIHOOD],
    )
    item_note = forms.CharField(
        label=_("Beskrivning av övriga behov"), max_length=300, required=False
    )
    continue_from_previous = forms.BooleanField(
        label=_("Fortsättningsansökan: för över förra månadens kostnader och inkomster"),
        required=False,
    )

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, f"{p.full_name} ({p.identity_display})") for p in adults]
        self.fields["applicant"].choices = choices
        self.fields["co_applicant"].choices = [("", _("– Ingen –")), *choices]

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("co_applicant") and cleaned.get("co_applicant") == cleaned.get("applicant"):
            self.add_error("co_applicant", _("Medsökande kan inte vara samma person som sökande."))
        return cleaned


def _money(label, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        localize=True,
        **KRONOR,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )


class _LineForm(forms.Form):
    """A cost or income row. A row counts as filled in when an amount or a comment is
    typed – a type chosen alone is not a line (and older pages sent the first option of
    every blank row's select). ``carried`` marks a line copied from last month."""

    carried = forms.BooleanField(required=False, widget=forms.HiddenInput)
    filled_fields: tuple[str, ...] = ()

    @property
    def is_carried(self) -> bool:
        return self["carried"].value() in (True, "True", "true", "on", "1")

    def has_changed(self):
        return any(str(self[name].value() or "").strip() for name in self.filled_fields)


class CostLineForm(_LineForm):
    # No preset type: an empty row is empty, and the caseworker chooses the type.
    kind = forms.ChoiceField(
        label=_("Kostnad"), choices=[("", _("– Välj kostnad –")), *CostKind.choices]
    )
    actual = _money(_("Faktisk"))
    accepted = _money(_("Godtagen"), required=False)
    note = forms.CharField(label=_("Kommentar"), max_length=200, required=False)
    filled_fields = ("actual", "accepted", "note")
    field_order = ["kind", "actual", "accepted", "note"]

    def clean(self):
        cleaned = super().clean()
        actual, accepted = cleaned.get("actual"), cleaned.get("accepted")
        if accepted is None and actual is not None and "accepted" not in self.errors:
            # Godtagen defaults to Faktisk: the caseworker types a lower amount only
            # when less than the actual cost is reasonable (SoL 12 kap. 7 §).
            cleaned["accepted"] = accepted = actual
        if actual is not None and accepted is not None and accepted > actual:
            self.add_error("accepted", _("Godtagen kostnad kan inte vara större än den faktiska."))
        return cleaned


class IncomeLineForm(_LineForm):
    kind = forms.ChoiceField(
        label=_("Inkomst"), choices=[("", _("– Välj inkomst –")), *IncomeKind.choices]
    )
    amount = forms.DecimalField(
        label=_("Belopp"),
        **KRONOR,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )
    person = forms.TypedChoiceField(label=_("Vems"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Kommentar"), max_length=200, required=False)
    filled_fields = ("amount", "note")
    field_order = ["kind", "amount", "person", "note"]

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "–"), *[(p.pk, p.full_name) for p in members]]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(
                _("Inkomsten måste vara större än 0 kr. Ta bort raden annars.")
            )
        return amount


CostFormSet = forms.formset_factory(CostLineForm, extra=1, can_delete=True)
IncomeFormSet = forms.formset_factory(IncomeLineForm, extra=1, can_delete=True)


class CalculationForm(forms.Form):
    household_size = forms.IntegerField(
        label=_("Personer i bostaden"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("Bara om fler bor i bostaden än de som ingår i ansökan."),
    )
    lunch_away = forms.TypedMultipleChoiceField(
        label=_("Barn som äter lunch på förskola fem dagar i veckan"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    adjustment = forms.DecimalField(
        label=_("Justering av norm (kr)"),
        required=False,
        localize=True,
        **KRONOR,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )
    adjustment_reason = forms.CharField(
        label=_("Skäl för justering"), max_length=300, required=False
    )
    covered_from = forms.DateField(
        label=_("Biståndet gäller från"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bara vid bruten period: första dagen när biståndet börjar inne i perioden."),
    )
    covered_to = forms.DateField(
        label=_("Biståndet gäller till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bara vid bruten period: sista dagen när biståndet slutar inne i perioden."),
    )
    version = VersionField(required=False)

    def __init__(self, *args, children=(), period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lunch_away"].choices = [(p.pk, p.full_name) for p in children]
        self.period = period
        if period is not None:
            for name in ("covered_from", "covered_to"):
                self.fields[name].widget.attrs.update(
                    min=period.start.isoformat(), max=period.end.isoformat()
                )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("adjustment") and not cleaned.get("adjustment_reason", "").strip():
            self.add_error("adjustment_reason", _("Ange skäl för justeringen."))
        start, end = cleaned.get("covered_from"), cleaned.get("covered_to")
        if self.period is not None:
            for name, day in (("covered_from", start), ("covered_to", end)):
                if day is not None and not self.period.start <= day <= self.period.end:
                    self.add_error(
                        name,
                        _("Dagen ska ligga i perioden %(start)s–%(end)s.")
                        % {
                            "start": date_format(self.period.start, "DATE_FORMAT"),
                            "end": date_format(self.period.end, "DATE_FORMAT"),
                        },
                    )
        if start and end and end < start:
            self.add_error("covered_to", _("Sista dagen kan inte vara före den första."))
        return cleaned


class ObstacleForm(forms.Form):
    """One select per adult: the adult's försörjningshinder in this application, the
    choices grouped by main group (DOMAIN.md §9)."""

    def __init__(self, *args, adults, current, **kwargs):
        super().__init__(*args, **kwargs)
        active = list(SupportObstacle.objects.filter(is_active=True))
        # A retired obstacle that is still recorded stays visible until it is changed.
        retired = SupportObstacle.objects.filter(pk__in=current.values(), is_active=False)
        self.obstacles = {o.pk: o for o in [*active, *retired]}
        groups: dict[str, list[tuple[int, str]]] = {}
        for obstacle in self.obstacles.values():
            label = obstacle.label if obstacle.is_active else f"{obstacle.label} (används inte)"
            groups.setdefault(obstacle.group, []).append((obstacle.pk, label))
        choices = [("", _("– inte angivet –")), *groups.items()]
        self.adults, self.current = adults, current
        for person in adults:
            self.fields[f"hinder_{person.pk}"] = forms.TypedChoiceField(
                label=person.full_name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(person.pk),
            )

    def recorded(self) -> list[tuple]:
        """(person, obstacle or None) per adult, for those who may only read."""
        return [(p, self.obstacles.get(self.current.get(p.pk))) for p in self.adults]

    def adults_without_obstacle(self) -> list:
        return [person for person in self.adults if person.pk not in self.current]

    def obstacles_by_person(self) -> dict[int, SupportObstacle | None]:
        return {
            person.pk: self.obstacles.get(self.cleaned_data[f"hinder_{person.pk}"])
            for person in self.adults
        }


class SchoolingForm(forms.Form):
    """One choice per 18–20-year-old: in school this month or not (SoL 12 kap. 9 §)."""

    IN_SCHOOL, NOT_IN_SCHOOL = "yes", "no"

    def __init__(self, *args, youths, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.youths, self.current = youths, current
        choices = [
            ("", _("– inte angivet –")),
            (
                self.IN_SCHOOL,
                _("Går i grundskola, gymnasieskola eller jämförlig grundutbildning"),
            ),
            (self.NOT_IN_SCHOOL, _("Går inte i skolan")),
        ]
        for person, age in youths:
            recorded = current.get(person.pk)
            self.fields[f"skola_{person.pk}"] = forms.ChoiceField(
                label=_("%(name)s, %(age)d år") % {"name": person.full_name, "age": age},
                choices=choices,
                required=False,
                initial=""
                if recorded is None
                else self.IN_SCHOOL
                if recorded
                else self.NOT_IN_SCHOOL,
            )

    def recorded(self) -> list[tuple]:
        """(person, age, True/False/None) per young person, for those who may only read."""
        return [(p, age, self.current.get(p.pk)) for p, age in self.youths]

    def youths_without_record(self) -> list:
        return [person for person, _age in self.youths if person.pk not in self.current]

    def schooling_by_person(self) -> dict[int, bool | None]:
        values = {self.IN_SCHOOL: True, self.NOT_IN_SCHOOL: False, "": None}
        return {
            person.pk: values[self.cleaned_data[f"skola_{person.pk}"]]
            for person, _age in self.youths
        }


class SupplementForm(forms.Form):
    what = forms.CharField(
        label=_("Vad ska kompletteras"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Senast"), widget=forms.DateInput(attrs={"type": "date"}))
    idempotency_key = IdempotencyKeyField()


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Application.Status.choices)


class DecisionItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Avser"), choices=ApplicationItem.Kind.choices)
    outcome = forms.ChoiceField(label=_("Beslut"), choices=DecisionItem.Outcome.choices)
    applied_amount = forms.DecimalField(
        label=_("Sökt (kr)"),
        required=False,
        min_value=Decimal(0),
        localize=True,
        **KRONOR,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )
    granted_amount = forms.DecimalField(
        label=_("Beviljat (kr)"),
        min_value=Decimal(0),
        localize=True,
        **KRONOR,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )
    legal_basis = forms.ModelChoiceField(
        label=_("Lagrum"), queryset=LegalBasis.objects.all(), empty_label=_("– Välj lagrum –")
    )
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)
    # SoL 33 kap. 2–3 §§: bistånd can only be reclaimed on grounds the decision states.
    repayment_ground = forms.ChoiceField(
        label=_("Återbetalning"), choices=RepaymentGround.choices, required=False
    )
    advance_benefit = forms.ChoiceField(
        label=_("Förskott på"),
        choices=[("", "–"), *AdvanceBenefit.choices],
        required=False,
    )
    repayment_note = forms.CharField(label=_("Om återbetalningen"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        outcome, granted = cleaned.get("outcome"), cleaned.get("granted_amount")
        if outcome == DecisionItem.Outcome.REFUSED and granted:
            self.add_error("granted_amount", _("Vid avslag ska beviljat belopp vara 0 kr."))
        if outcome in (DecisionItem.Outcome.GRANTED, DecisionItem.Outcome.PARTLY) and not granted:
            self.add_error("granted_amount", _("Ange beviljat belopp."))
        return cleaned


DecisionItemFormSet = forms.formset_factory(DecisionItemForm, extra=0, min_num=1, validate_min=True)


class DecisionForm(forms.Form):
    motivering = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "Vilka regler som tillämpats och vilka omständigheter som varit avgörande (FL 32 §)."
        ),
    )
    child_impact = forms.CharField(
        label=_("Barnperspektiv"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Krävs när hushållet har barn."),
    )
    conditions = forms.CharField(
        label=_("Villkor"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    participants = forms.CharField(label=_("Övriga som deltagit"), max_length=300, required=False)
    # Kommunikation (FL 25 §): asked of every decision, required of an adverse one.
    communicated_on = forms.DateField(
        label=_("Underlaget kommunicerades"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Den dag personen fick ta del av underlaget och lämna synpunkter."),
    )
    communication_method = forms.ChoiceField(
        label=_("Hur"),
        required=False,
        choices=[("", "–"), *CommunicationMethod.choices],
    )
    communication_oral_offered = forms.BooleanField(
        label=_(
            "Personen har fått veta att uppgifter också kan lämnas muntligt "
            "(socialtjänstlagen 14 kap. 8 §)"
        ),
        required=False,
    )
    communication_exemption = forms.ChoiceField(
        label=_("Eller: varför kommunicering inte behövdes"),
        required=False,
        choices=[("", "–"), *CommunicationExemption.choices],
    )
    communication_note = forms.CharField(
        label=_("Vad kommunicerades och vad svarade personen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    letter_delivery = forms.ChoiceField(
        label=_("Så når brevet personen"),
        required=False,
        help_text=_(
            "Personen har skyddade personuppgifter: brevet skickas aldrig till adressen. "
            "Välj Skatteverkets särskilda postförmedling eller att det lämnas personligen."
        ),
    )
    pay_on = forms.DateField(
        label=_("Utbetalning föreslås den"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Från hushållets utbetalningsdag. Utbetalningen skapas när beslutet är fattat "
            "och väntar sedan på attest. Lämna tomt för att registrera den senare."
        ),
    )
    version = VersionField(required=False)
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, protected_applicant: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import Decision

        if protected_applicant:
            delivery = Decision.LetterDelivery
            self.fields["letter_delivery"].choices = [
                (delivery.FORWARDING, delivery.FORWARDING.label),
                (delivery.IN_PERSON, delivery.IN_PERSON.label),
            ]
            self.fields["letter_delivery"].required = True
            self.initial.setdefault("letter_delivery", delivery.FORWARDING)
        else:
            del self.fields["letter_delivery"]


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ServeForm(forms.Form):
    """Delgivning (delgivningslagen 2010:1932): what happened, as far as it is known."""

    how = forms.ChoiceField(
        label=_("Delgivningssätt"),
        choices=Decision.ServedHow.choices,
        widget=forms.RadioSelect,
    )
    sent_on = _date_field(_("Beslutet skickades"))
    received_on = _date_field(
        _("Personen fick beslutet"),
        _("Bara om det är känt (kvittens, personligen, personen har sagt det)."),
    )
    control_notice_on = _date_field(
        _("Kontrollmeddelande skickades"),
        _("Förenklad delgivning: senast första arbetsdagen efter att beslutet skickades."),
    )
    simplified_informed = forms.BooleanField(
        label=_(
            "Personen har i ärendet fått veta att förenklad delgivning kan användas "
            "(delgivningslagen 22 §)"
        ),
        required=False,
    )


class AppealForm(forms.Form):
    received_on = forms.DateField(label=_("Inkom"), widget=forms.DateInput(attrs={"type": "date"}))
    item = forms.ModelChoiceField(
        label=_("Överklagandet gäller"),
        queryset=DecisionItem.objects.none(),
        required=False,
        empty_label=_("Hela beslutet"),
        help_text=_(
            "Bistånd som beviljats enligt 12 kap. 2 § prövas bara genom laglighetsprövning: "
            "ingen rättidsprövning eller omprövning här."
        ),
    )
    notice_missing = forms.BooleanField(
        label=_("Besvärshänvisningen saknades eller var felaktig (FL 45 §)"), required=False
    )
    court_received_on = forms.DateField(
        label=_("Kom in till förvaltningsrätten"),
        required=False,
        help_text=_(
            "Om personen skickade överklagandet till förvaltningsrätten, som skickat det "
            "vidare: den dag det kom in dit (FL 45 § andra stycket)."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        if decision is not None:
            items = decision.items.select_related("legal_basis")
            self.fields["item"].queryset = items
            self.fields["item"].label_from_instance = lambda item: (
                f"{item.get_kind_display()} – {item.get_outcome_display().lower()} "
                f"({item.legal_basis}) – {item.get_appeal_route_display() or ''}"
            ).strip(" –")


class DismissForm(forms.Form):
    motivering = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tomt: standardtexten med datumen och förvaltningslagen 45 §."),
    )


class ReconsiderForm(forms.Form):
    changed = forms.TypedChoiceField(
        label=_("Resultat av omprövningen"),
        choices=[("0", _("Beslutet ändras inte")), ("1", _("Beslutet ändras"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Omprövning"), widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(forms.Form):
    forwarded_on = forms.DateField(
        label=_("Överlämnat"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


class CourtOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Domstolens avgörande"), choices=Appeal.CourtOutcome.choices
    )
    decided_on = forms.DateField(
        label=_("Dom meddelad"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PaymentForm(forms.Form):
    payee = forms.TypedChoiceField(label=_("Betalningsmottagare"), coerce=int)
    amount = forms.DecimalField(
        label=_("Belopp (kr)"),
        min_value=Decimal("0.01"),
        localize=True,
        **KRONOR,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9}),
    )
    pay_on = forms.DateField(
        label=_("Utbetalningsdag"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, payees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].choices = [(p.pk, p.full_name) for p in payees]


class PaymentPeriodForm(forms.Form):
    period_start_day = forms.IntegerField(
        label=_("Periodens första dag"),
        min_value=1,
        max_value=28,
        help_text=_("1 = kalendermånaden. T.ex. 25 = perioden går den 25:e till den 24:e."),
    )
    payment_day = forms.IntegerField(
        label=_("Utbetalningsdag"),
        min_value=1,
        max_value=28,
        required=False,
        help_text=_("Dag i månaden. Infaller den på en helg betalas det ut vardagen före."),
    )
    version = VersionField(required=False)
