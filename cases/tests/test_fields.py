"""cases.fields: the personnummer model and form fields (DOMAIN.md §7). No model is
defined here; the fields are exercised on their own and in a small form."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from cases.fields import PersonnummerField, PersonnummerFormField

CHECK_DIGIT = "Kontrollsiffran stämmer inte – kontrollera numret."
LENGTH = "Personnumret ska ha 10 eller 12 siffror."


class ContactForm(forms.Form):
    name = forms.CharField(max_length=100)
    personnummer = PersonnummerFormField(required=False)
    phone = forms.CharField(max_length=40, required=False)


class RequiredForm(forms.Form):
    personnummer = PersonnummerFormField()


# --- the form field -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("640823-3234", "196408233234"),
        ("6408233234", "196408233234"),
        ("  19640823-3234 ", "196408233234"),
        ("196408233234", "196408233234"),
        ("121212+1212", "191212121212"),
        ("701063-2391", "197010632391"),  # samordningsnummer keeps day + 60
        ("20000105-2380", "200001052380"),
    ],
)
def test_form_field_cleans_to_the_twelve_digit_form(typed, cleaned):
    assert PersonnummerFormField().clean(typed) == cleaned


def test_invalid_personnummer_gives_the_swedish_message_and_keeps_the_other_answers():
    form = ContactForm(
        data={"name": "Tolvan Tolvansson", "personnummer": "640823-3235", "phone": "070-1"}
    )
    assert not form.is_valid()
    assert form.errors["personnummer"] == [CHECK_DIGIT]
    assert form.has_error("personnummer", code="invalid_personnummer")
    assert form.cleaned_data == {"name": "Tolvan Tolvansson", "phone": "070-1"}
    # What the user typed is shown again, to be corrected.
    assert 'value="640823-3235"' in str(form["personnummer"])


def test_wrong_length_message():
    form = ContactForm(data={"name": "Tolvan", "personnummer": "640823-323"})
    assert form.errors["personnummer"] == [LENGTH]


def test_empty_is_allowed_when_not_required_and_refused_when_required():
    form = ContactForm(data={"name": "Anonym", "personnummer": "   "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["personnummer"] == ""

    required = RequiredForm(data={"personnummer": ""})
    assert not required.is_valid()
    assert required.has_error("personnummer", code="required")

    valid = RequiredForm(data={"personnummer": "19121212-1212"})
    assert valid.is_valid()
    assert valid.cleaned_data["personnummer"] == "191212121212"


def test_form_field_raises_validation_error_with_code():
    with pytest.raises(ValidationError) as caught:
        PersonnummerFormField().clean("19900230-1234")
    assert caught.value.code == "invalid_personnummer"
    assert caught.value.messages == ["Datumet i personnumret finns inte."]


def test_widget_attributes():
    attrs = PersonnummerFormField().widget.attrs
    assert attrs["inputmode"] == "numeric"
    assert attrs["autocomplete"] == "off"
    assert attrs["placeholder"] == "ÅÅÅÅMMDD-NNNN"
    assert attrs["maxlength"] == "13"
    html = str(ContactForm()["personnummer"])
    assert 'inputmode="numeric"' in html
    assert 'maxlength="13"' in html


def test_a_stored_number_is_shown_with_a_separator():
    form = ContactForm(initial={"personnummer": "191212121212"})
    assert 'value="19121212-1212"' in str(form["personnummer"])


# --- the model field ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("640823-3234", "196408233234"),
        ("19121212-1212", "191212121212"),
        ("191212121212", "191212121212"),
        (" 701063-2391 ", "197010632391"),
        ("", ""),
        (None, None),
    ],
)
def test_model_field_clean_normalizes(value, stored):
    assert PersonnummerField(blank=True, null=True).clean(value, None) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("640823-3235", CHECK_DIGIT),
        ("12345", LENGTH),
        ("19900230-1234", "Datumet i personnumret finns inte."),
        ("20990101-0009", "Födelsedatumet ligger i framtiden."),
    ],
)
def test_model_field_refuses_invalid_numbers_in_swedish(value, message):
    field = PersonnummerField(blank=True, null=True)
    with pytest.raises(ValidationError) as caught:
        field.clean(value, None)
    assert caught.value.messages == [message]
    assert caught.value.code == "invalid_personnummer"
    with pytest.raises(ValidationError):
        field.to_python(value)


def test_model_field_without_blank_refuses_empty():
    with pytest.raises(ValidationError):
        PersonnummerField().clean("", None)


def test_model_field_has_fixed_length_that_stays_out_of_migrations():
    field = PersonnummerField("personnummer", null=True, blank=True, unique=True)
    assert field.max_length == 12
    name, path, args, kwargs = field.deconstruct()
    assert path == "cases.fields.PersonnummerField"
    assert "max_length" not in kwargs
    assert kwargs == {"verbose_name": "personnummer", "null": True, "blank": True, "unique": True}
    rebuilt = PersonnummerField(*args, **kwargs)
    assert rebuilt.max_length == 12
    assert rebuilt.deconstruct()[3] == kwargs
    # Even an explicit max_length cannot change the stored length.
    assert PersonnummerField(max_length=20).max_length == 12


def test_model_field_formfield_is_the_personnummer_form_field():
    formfield = PersonnummerField(blank=True, null=True).formfield()
    assert isinstance(formfield, PersonnummerFormField)
    assert formfield.required is False
    assert formfield.widget.attrs["maxlength"] == "13"  # room for YYYYMMDD-NNNC
    assert formfield.clean("19121212-1212") == "191212121212"
    # A nullable column gets NULL, not "", so unique=True allows many persons without one.
    assert formfield.clean("") is None
    assert PersonnummerField().formfield().required is True
