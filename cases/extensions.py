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

from cases.compiled import CompiledQuery


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[..., dict]
    order: int = 100
    # A case panel's "is there anything?": name → an ``Exists`` on the case (built with
    # ``OuterRef("pk")``). The case page asks every panel's in one query
    # (``case_panels``), and a context reads its rows only when ``case_has_rows`` says so
    # – a panel with nothing to show costs no query of its own (issue 20).
    rows: Callable[[], dict] | None = None


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
    panels = sorted(_CASE_PANELS.values(), key=lambda p: (p.order, p.name))
    _read_panel_rows(case, panels)
    return [(panel, panel.context(request, case)) for panel in panels]


_PANEL_ROWS = "_panel_rows"
# The panels' one query, compiled once per set of panels (cases.compiled): its SQL
# depends on nothing but the case's id.
_ROWS_QUERIES: dict[tuple[str, ...], CompiledQuery] = {}


def _rows_query(panels) -> CompiledQuery | None:
    key = tuple(panel.name for panel in panels if panel.rows is not None)
    if not key:
        return None
    if key not in _ROWS_QUERIES:

        def build(case_id):
            from cases.models import Case

            checks: dict = {}
            for panel in panels:
                if panel.rows is not None:
                    checks.update(panel.rows())
            # "has_…": a panel's name may be a relation of Case (referrals, recoveries).
            return Case.objects.filter(pk=case_id).values(
                **{f"has_{name}": check for name, check in checks.items()}
            )

        _ROWS_QUERIES[key] = CompiledQuery(build, arity=1)
    return _ROWS_QUERIES[key]


def _read_panel_rows(case, panels) -> None:
    query = _rows_query(panels)
    if query is None:
        return
    found = query.first(case.pk) or {}
    case.__dict__[_PANEL_ROWS] = {
        name.removeprefix("has_"): bool(value) for name, value in found.items()
    }


def case_has_rows(case, name: str) -> bool:
    """Whether the case page's one query found rows for ``name`` – True when it was not
    asked (a context called outside the case page reads as before)."""
    return case.__dict__.get(_PANEL_ROWS, {}).get(name, True)


def start_panels(request, role: str) -> list[tuple[Panel, dict]]:
    panels = _START_PANELS.get(str(role), {}).values()
    return [
        (panel, panel.context(request)) for panel in sorted(panels, key=lambda p: (p.order, p.name))
    ]
