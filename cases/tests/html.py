"""Reading a rendered form back the way a browser would post it."""

import re


def rendered_inputs(html: str, name: str) -> dict[str, str]:
    """What the browser would post for the field ``name`` as rendered: the time input's
    value and the chosen (or hidden) answer to which of a repeated hour."""
    posted = {}
    time_input = re.search(rf'<input type="datetime-local" name="{name}" value="([^"]*)"', html)
    posted[name] = time_input.group(1) if time_input else ""
    hidden = re.search(rf'<input type="hidden" name="{name}_fold"(?: value="([^"]*)")?', html)
    if hidden:
        posted[f"{name}_fold"] = hidden.group(1) or ""
    select = re.search(rf'<select name="{name}_fold"[^>]*>(.*?)</select>', html, re.S)
    if select:
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
        posted[f"{name}_fold"] = chosen.group(1) if chosen else ""
    return posted


def form_post_data(form) -> dict:
    """What a browser would post for a rendered (unbound or bound) Django form: each
    field's shown value, a ticked box as "on", an unticked one left out."""
    data: dict = {}
    for bound in form:
        value = bound.value()
        name = bound.html_name
        widget = bound.field.widget
        if getattr(widget, "allow_multiple_selected", False):  # a group of boxes, a multi-select
            data[name] = [str(v) for v in value or []]
            continue
        if getattr(widget, "input_type", None) == "checkbox":
            if value:
                data[name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


def admin_post_data(response) -> dict:
    """The admin change form on ``response`` (its inlines too) as the browser would post
    it unchanged."""
    data = form_post_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(form_post_data(formset.management_form))
        for form in formset.forms:
            data.update(form_post_data(form))
    return data
