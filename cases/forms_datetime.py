"""A date and time typed on Stockholm's clock, as every form of Vägen takes one.

A wall-clock time is not always one instant. On the last Sunday of October the hour
02:00–02:59 comes twice (first in summer time, UTC+2, then in standard time, UTC+1),
and on the last Sunday of March the hour 02:00–02:59 does not exist (the clocks jump
from 02:00 to 03:00). Django's ``DateTimeField`` refuses both with one English-style
sentence – also the form's own default "now" when a caseworker logs a callback at 02:30
on the night the clocks go back.

``LocalDateTimeField`` instead:

- accepts every time that is one instant;
- for a time that comes twice asks which of the two (a second control, shown only then,
  with a Swedish question) – and a default given as an instant (``timezone.now()``)
  carries its answer along, so the system's own default is never refused;
- refuses a time that does not exist with a Swedish message saying what happened.

The submitted names stay those of a plain field (``made_at``, plus ``made_at_fold`` for
the answer), so a form, a test or a browser posts the time as before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FOLD_SUFFIX = "_fold"
AMBIGUOUS_CODE = "ambiguous_local_time"
NONEXISTENT_CODE = "nonexistent_local_time"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _zone():
    return timezone.get_current_timezone()


def local_time_kind(naive: datetime) -> str:
    """Whether a wall-clock time is "single", "ambiguous" (the hour that comes twice)
    or "nonexistent" (the skipped hour), in the current time zone."""
    zone = _zone()
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "single"
    # In a gap both readings exist as offsets, but neither comes back as the same clock.
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return "ambiguous" if back == naive else "nonexistent"


def _offset_label(moment: datetime) -> str:
    hours = int(moment.utcoffset().total_seconds() // 3600)
    season = _("sommartid") if moment.dst() else _("normaltid")
    return f"{season}, UTC+{hours}"


def fold_choices(naive: datetime) -> list[tuple[str, str]]:
    zone = _zone()
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    clock = f"{naive:%H:%M}"
    return [
        ("", _("Välj vilken gång klockan var %(clock)s") % {"clock": clock}),
        ("0", _("Första gången (%(offset)s)") % {"offset": _offset_label(first)}),
        ("1", _("Andra gången (%(offset)s)") % {"offset": _offset_label(second)}),
    ]


def _parse_local(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.strptime(str(value).strip(), DATETIME_LOCAL)  # noqa: DTZ007 – wall clock
    except ValueError:
        return None


class LocalDateTimeWidget(forms.MultiWidget):
    """A ``datetime-local`` input named like the field, and beside it – only when the
    time shown comes twice – a choice of which of the two (``<name>_fold``); otherwise
    that answer travels as a hidden input."""

    def __init__(self, attrs=None):
        super().__init__({"": DateTimeLocalInput(), "fold": forms.HiddenInput()}, attrs)

    def decompress(self, value):
        if not value:
            return [None, ""]
        if timezone.is_aware(value):
            local = timezone.localtime(value)  # astimezone sets fold for the second pass
            naive = local.replace(tzinfo=None, fold=0)
            fold = str(local.fold) if local_time_kind(naive) == "ambiguous" else ""
            return [naive, fold]
        return [value, ""]

    def get_context(self, name, value, attrs):
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        naive = _parse_local(value[0]) if value else None
        if naive is not None and local_time_kind(naive) == "ambiguous":
            self.widgets[1] = forms.Select(
                choices=fold_choices(naive),
                attrs={"aria-label": _("Vilken gång – klockan ställs tillbaka den här natten")},
            )
        else:
            self.widgets[1] = forms.HiddenInput()
        context = super().get_context(name, value, attrs)
        # The time input keeps the field's own id, so <label for> points at it.
        id_ = context["widget"]["attrs"].get("id")
        if id_:
            first, fold = context["widget"]["subwidgets"]
            first["attrs"]["id"] = id_
            fold["attrs"]["id"] = f"{id_}{FOLD_SUFFIX}"
        return context

    def id_for_label(self, id_):
        return id_


class LocalDateTimeField(forms.MultiValueField):
    """A wall-clock date and time in Stockholm, cleaned to one instant (aware, in UTC).

    Errors, in Swedish: a time that does not exist (code ``nonexistent_local_time``) and
    a time that comes twice without the answer to which (code ``ambiguous_local_time``).
    """

    widget = LocalDateTimeWidget
    default_error_messages = {
        "invalid": gettext_lazy("Ange datum och tid."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("input_formats", None)  # always the datetime-local format
        fields = (
            # Parsed in compress: the zone decides what the wall-clock time means. Its
            # ``required`` puts the attribute on the time input.
            forms.CharField(required=kwargs.get("required", True)),
            forms.ChoiceField(choices=[("", ""), ("0", "0"), ("1", "1")], required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        # The time box is the field; an answer to "which 02:30" without a time is no value.
        if isinstance(value, list | tuple) and value and not value[0]:
            value = [value[0], ""]
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or not data_list[0]:
            return None
        naive = _parse_local(data_list[0])
        if naive is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        fold = data_list[1] if len(data_list) > 1 else ""
        kind = local_time_kind(naive)
        shown = formats.date_format(naive, "LONG_DATE_FORMAT")  # in a sentence: "28 mars 2027"
        if kind == "nonexistent":
            raise ValidationError(
                _(
                    "Klockan %(clock)s den %(day)s finns inte – klockan ställdes fram en "
                    "timme den natten (från 02:00 till 03:00). Ange en tid före 02:00 eller "
                    "från 03:00."
                ),
                code=NONEXISTENT_CODE,
                params={"clock": f"{naive:%H:%M}", "day": shown},
            )
        if kind == "ambiguous" and fold not in ("0", "1"):
            raise ValidationError(
                _(
                    "Klockan %(clock)s den %(day)s fanns två gånger – klockan ställdes "
                    "tillbaka en timme den natten (från 03:00 till 02:00). Välj om du menar "
                    "första gången (sommartid) eller andra gången (normaltid)."
                ),
                code=AMBIGUOUS_CODE,
                params={"clock": f"{naive:%H:%M}", "day": shown},
            )
        local = naive.replace(tzinfo=_zone(), fold=int(fold) if kind == "ambiguous" else 0)
        # In UTC: an aware time inside the repeated hour never compares equal to another
        # zone's (PEP 495), whichever fold it has; the instant itself has no such trap.
        return local.astimezone(UTC)
