"""Forms of the core app."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.fields import PersonnummerFormField
from cases.forms_datetime import LocalDateTimeField
from cases.idempotency import IdempotencyKeyField
from cases.models import (
    Callback,
    Channel,
    FirstContact,
    HouseholdMember,
    Person,
    ProtectionLevel,
    Unit,
    User,
)
from cases.roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Kontrollera stora och små bokstäver och försök igen."
        ),
        "inactive": _("Kontot är inaktiverat. Kontakta din administratör."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Användarnamn")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Lösenord")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )

    def clean(self):
        # With VAGEN_SSO_ONLY only the break-glass accounts may use the local form; the
        # password is not even tried for anyone else.
        username = self.cleaned_data.get("username") or ""
        if settings.VAGEN_SSO_ONLY and username not in settings.VAGEN_BREAK_GLASS_USERNAMES:
            raise forms.ValidationError(
                _("Logga in med kommunens konto. Lokala konton används bara i nödläge."),
                code="sso_only",
            )
        return super().clean()


def _caseworkers():
    return (
        User.objects.filter(is_active=True, groups__name=Role.CASEWORKER, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__name", "first_name", "last_name")
    )


class CaseworkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.unit.name})"


class FirstContactForm(forms.Form):
    """Reception's one-screen form (DOMAIN.md §2.1). An invalid personnummer is
    reported on its field and every other answer stays filled in."""

    channel = forms.ChoiceField(
        label=_("Kanal"), choices=Channel.choices, widget=forms.RadioSelect, initial="phone"
    )
    personnummer = PersonnummerFormField(
        label=_("Personnummer"),
        required=False,
        help_text=_("Personnummer eller samordningsnummer, 10 eller 12 siffror."),
    )
    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    is_anonymous = forms.BooleanField(label=_("Vill vara anonym"), required=False)
    phone = forms.CharField(
        label=_("Telefon för återkoppling"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    subject = forms.ChoiceField(
        label=_("Gäller"),
        choices=FirstContact.Subject.choices,
        widget=forms.RadioSelect,
        initial="new_application",
    )
    note = forms.CharField(
        label=_("Kort anteckning"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bara det handläggaren behöver för att ringa upp. Högst 1000 tecken."),
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.filter(is_active=True), empty_label=None
    )
    assigned_to = CaseworkerChoiceField(
        label=_("Handläggare"),
        queryset=None,
        required=False,
        empty_label=_("– Enheten fördelar –"),
    )
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _caseworkers()
        # Look the number up while the receptionist goes on typing (htmx).
        self.fields["personnummer"].widget.attrs.update(
            {
                "hx-get": reverse("person_lookup"),
                "hx-trigger": "input changed delay:500ms, change",
                "hx-target": "#person-lookup",
                "hx-sync": "this:replace",
            }
        )

    def clean(self):
        cleaned = super().clean()
        anonymous = cleaned.get("is_anonymous")
        if not anonymous and not cleaned.get("personnummer") and not cleaned.get("name"):
            if "personnummer" not in self.errors:
                raise forms.ValidationError(
                    _("Ange personnummer eller namn – eller markera att personen vill vara anonym.")
                )
        if anonymous and cleaned.get("personnummer"):
            self.add_error(
                "is_anonymous", _("En anonym kontakt kan inte ha personnummer. Välj det ena.")
            )
        caseworker, unit = cleaned.get("assigned_to"), cleaned.get("unit")
        if caseworker and unit and caseworker.unit_id != unit.pk:
            self.add_error(
                "assigned_to",
                _("%(name)s hör till enhet %(unit)s, inte %(chosen)s.")
                % {"name": caseworker.get_full_name(), "unit": caseworker.unit, "chosen": unit},
            )
        if cleaned.get("personnummer") and not cleaned.get("name"):
            # A protected identity is answered like a number Vägen has never seen: reception
            # must not learn that it exists (DOMAIN.md §8).
            known = Person.objects.filter(
                personnummer=cleaned["personnummer"], protection_level=ProtectionLevel.NONE
            )
            if not known.exists():
                self.add_error("name", _("Personnumret är nytt för Vägen – ange även namn."))
        return cleaned


class CallbackForm(forms.Form):
    made_at = LocalDateTimeField(label=_("När"))
    method = forms.ChoiceField(
        label=_("Hur"), choices=Callback.Method.choices, widget=forms.RadioSelect, initial="phone"
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"), choices=Callback.Outcome.choices, widget=forms.RadioSelect
    )
    first_visit_at = LocalDateTimeField(
        label=_("Tid för nybesök"),
        required=False,
        help_text=_("Fyll i när nybesök är bokat."),
    )
    note = forms.CharField(
        label=_("Anteckning"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        made_at = cleaned.get("made_at")
        if made_at and made_at > timezone.now() + timezone.timedelta(minutes=5):
            self.add_error("made_at", _("Tidpunkten kan inte ligga i framtiden."))
        booked = cleaned.get("outcome") == Callback.Outcome.FIRST_VISIT_BOOKED
        visit = cleaned.get("first_visit_at")
        if booked and not visit:
            self.add_error("first_visit_at", _("Ange tid för nybesöket."))
        if booked and visit and made_at and visit < made_at:
            self.add_error("first_visit_at", _("Nybesöket kan inte ligga före återkopplingen."))
        return cleaned


class TransferRequestForm(forms.Form):
    """Ask the unit a person belongs to to hand them over (cases.services.people)."""

    personnummer = PersonnummerFormField(label=_("Personnummer"), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Varför ska personen handläggas här?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Skriv varför personen ska flyttas över.")},
    )


class TransferDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Kommentar"), required=False, max_length=2000, widget=forms.TextInput()
    )


class OnDutyForm(forms.Form):
    on_duty = forms.ModelChoiceField(
        label=_("Jourhavande handläggare"),
        queryset=None,
        required=False,
        empty_label=_("– Ingen (akuta ärenden går till enhetschef) –"),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_duty"].queryset = _caseworkers().filter(unit=unit)


class MotiveringTemplateForm(forms.Form):
    motivering_template = forms.CharField(
        label=_("Mall för motivering vid fortsättningsmånad"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Fält som fylls i: {manad}, {sokande}, {norm}, {kostnader}, {inkomster}, "
            "{bistand}. Tomt = Vägens standardtext."
        ),
    )


class PersonForm(forms.ModelForm):
    """A person's details. The personnummer's uniqueness is not checked here: whether a
    number is already in Vägen is the person gate's answer, not the form's (the form
    would otherwise confirm that a protected identity exists)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def validate_unique(self):
        exclude = self._get_validation_exclusions()
        exclude.add("personnummer")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "personnummer",
            "birth_date",
            "phone",
            "email",
            "street_address",
            "postal_code",
            "city",
            "preferred_language",
            "needs_interpreter",
            "protection_level",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "birth_date": _("Räknas fram ur personnumret. Fyll i när personnummer saknas."),
            "protection_level": _(
                "Vid skyddade personuppgifter ser bara de med uttrycklig behörighet personen."
            ),
        }
        error_messages = {
            "personnummer": {"unique": _("Det finns redan en person med det personnumret.")}
        }


class HouseholdMemberForm(forms.Form):
    """Add a member: an existing person by personnummer, or a new one (e.g. a newborn)
    by name and birth date."""

    personnummer = PersonnummerFormField(label=_("Personnummer"), required=False)
    first_name = forms.CharField(label=_("Förnamn"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Födelsedatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    role = forms.ChoiceField(label=_("Roll i hushållet"), choices=HouseholdMember.Role.choices)
    valid_from = forms.DateField(
        label=_("Ingår från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    # The household's version when the form was shown (StaleHousehold).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if "personnummer" in self.errors:
            return cleaned
        if not cleaned.get("personnummer") and not (
            cleaned.get("first_name") and cleaned.get("birth_date")
        ):
            raise forms.ValidationError(
                _("Ange personnummer, eller förnamn och födelsedatum för en ny person.")
            )
        return cleaned


class PersonAccessForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Ge behörighet till"), queryset=None)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            unit=unit, is_active=True, groups__name=Role.CASEWORKER
        ).order_by("first_name", "last_name")


class EndMembershipForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Ingår till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
