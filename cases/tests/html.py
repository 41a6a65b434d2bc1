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
