"""Small server-rendered SVG charts (no JavaScript, no CDN): bars per month with the
target as a line. The template adds a table of the same figures for screen readers."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 360, 150, 34, 22, 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    ok: bool | None


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    target_y: float | None
    max_text: str
    baseline_y: float


def bar_chart(indicator) -> Chart:
    values = [p.value for p in indicator.points if p.value is not None]
    top = max([*values, indicator.target or 0, 1])
    top *= 1.1
    plot_w = WIDTH - PAD_LEFT - 4
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(indicator.points), 1)
    bars = []
    for i, point in enumerate(indicator.points):
        value = point.value or 0
        height = plot_h * value / top
        ok = None
        if point.value is not None and indicator.target is not None:
            ok = (
                (value >= indicator.target)
                if indicator.higher_is_better
                else (value <= indicator.target)
            )
        bars.append(
            Bar(
                x=round(PAD_LEFT + i * step + step * 0.15, 1),
                y=round(PAD_TOP + plot_h - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                label=point.month.strftime("%m"),
                value_text="–" if point.value is None else f"{point.value:g}",
                ok=ok,
            )
        )
    target_y = None
    if indicator.target is not None:
        target_y = round(PAD_TOP + plot_h - plot_h * indicator.target / top, 1)
    return Chart(WIDTH, HEIGHT, bars, target_y, f"{top:.0f}", PAD_TOP + plot_h)
