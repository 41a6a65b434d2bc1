"""How other apps plug into the core without ``cases`` importing them (DESIGN.md
"Layout": workplans, referrals → cases; never the other way).

- Case panels: a section on the case page, rendered from the app's own template with a
  context function that receives the request and the (already authorised) case.
- Start panels: a section on a role's start page ("plans due soon", "my referrals").
- Hooks: services call ``run_hooks(event, **kwargs)`` inside their transaction; apps
  register functions for "case_opened", "first_visit_recorded", "case_reassigned",
  "case_closed" (kwargs: case, actor, …) – e.g. to open their own deadlines.
Register from the app's AppConfig.ready().
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[..., dict]
    order: int = 100


_CASE_PANELS: dict[str, Panel] = {}
_START_PANELS: dict[str, dict[str, Panel]] = defaultdict(dict)
_HOOKS: dict[str, list[Callable]] = defaultdict(list)


def register_case_panel(panel: Panel) -> None:
    _CASE_PANELS[panel.name] = panel


def register_start_panel(role: str, panel: Panel) -> None:
    _START_PANELS[str(role)][panel.name] = panel


def register_hook(event: str, function: Callable) -> None:
    if function not in _HOOKS[event]:
        _HOOKS[event].append(function)


def run_hooks(event: str, **kwargs) -> None:
    for function in _HOOKS[event]:
        function(**kwargs)


def case_panels(request, case) -> list[tuple[Panel, dict]]:
    return [
        (panel, panel.context(request, case))
        for panel in sorted(_CASE_PANELS.values(), key=lambda p: (p.order, p.name))
    ]


def start_panels(request, role: str) -> list[tuple[Panel, dict]]:
    panels = _START_PANELS.get(str(role), {}).values()
    return [
        (panel, panel.context(request)) for panel in sorted(panels, key=lambda p: (p.order, p.name))
    ]
