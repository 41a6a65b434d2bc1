"""Model and form fields for personnummer and samordningsnummer (DOMAIN.md §7).

Both store and return the 12-digit form YYYYMMDDNNNC made by cases.personnummer.parse.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from cases.personnummer import InvalidPersonnummer, parse

INVALID_CODE = "invalid_personnummer"
STORED_LENGTH = 12  # YYYYMMDDNNNC
INPUT_LENGTH = 13  # YYYYMMDD-NNNC, the longest form we accept


def _normalize(value: str) -> str:
    try:
        return parse(value).normalized
    except InvalidPersonnummer as error:
        # The message says what is wrong and never repeats the number (no personal data).
        raise ValidationError(str(error), code=INVALID_CODE) from None


class PersonnummerFormField(forms.CharField):
    """A text input for a personnummer or samordningsnummer in any accepted form.

    Cleans to the normalized 12-digit string, or ``empty_value`` ("" by default) when
    not required and left empty. Invalid input gives the Swedish message from
    :class:`cases.personnummer.InvalidPersonnummer` with code "invalid_personnummer".
    """

    def __init__(self, **kwargs: Any) -> None:
        # The limit is on what the user types; the cleaned value always has 12 digits.
        kwargs["max_length"] = INPUT_LENGTH
        kwargs.pop("min_length", None)
        kwargs["strip"] = True
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)  # maxlength="13"
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "ÅÅÅÅMMDD-NNNN"}
        # Attributes given with an explicit widget win over these defaults.
        attrs.update({key: value for key, value in defaults.items() if key not in widget.attrs})
        return attrs

    def prepare_value(self, value: Any) -> Any:
        # A stored YYYYMMDDNNNC is shown as YYYYMMDD-NNNC; typed input is shown as typed.
        if isinstance(value, str) and len(value) == STORED_LENGTH and value.isdigit():
            return f"{value[:8]}-{value[8:]}"
        return value

    def to_python(self, value: Any) -> str | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        return _normalize(value)


class PersonnummerField(models.CharField):
    """Stores a personnummer or samordningsnummer as YYYYMMDDNNNC (12 characters).

    ``to_python`` (used by ``full_clean`` and deserialization) normalizes any accepted
    form and raises ValidationError with a Swedish message for an invalid one. The
    length is fixed, so ``max_length`` is not an argument and stays out of migrations.
    """

    description = "Personnummer eller samordningsnummer (12 siffror)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = STORED_LENGTH
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> str | None:
        value = super().to_python(value)
        if value is None:
            return None
        if not value.strip():
            return ""
        return _normalize(value)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": PersonnummerFormField, **kwargs})
