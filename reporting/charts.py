"""Small server-rendered SVG charts (no JavaScript, no CDN): bars per month with the
target as a line. The template adds a table of the same figures for screen readers.

Readable at the width of a panel: the labels are 14 units high in a 360-unit-wide
drawing, so about 12 px where the chart is 300 px wide. A percentage axis ends at 100 %;
other axes at a round number above the largest value or the target. A month with nothing
to measure has no bar and says "–"; a month measured as 0 has a hairline bar and "0", so
the two never look the same."""

import math
from dataclasses import dataclass

from django.utils.formats import date_format, number_format

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 360, 190, 54, 24, 22
# With more bars than this, every other month is named (the latest always): "maj" is
# wider than a twelfth of the drawing. The table below the chart names every month.
LABEL_EVERY_MONTH_UP_TO = 7
ZERO_BAR_HEIGHT = 2


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    ok: bool | None
    measured: bool
    value_y: float
    label_x: float
    show_label: bool = True


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    target_y: float | None
    max_text: str
    baseline_y: float
    axis_x: int
    label_y: int


def axis_top(values: list[float], target: float | None, unit: str) -> float:
    """Where the value axis ends: 100 for shares; otherwise a round number (1, 2, 5 × 10ⁿ)
    at or above the largest value and the target."""
    if unit == "%":
        return 100
    largest = max([*values, target or 0, 1])
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 5, 10):
        if step * magnitude >= largest:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover – the loop always returns


def bar_chart(indicator) -> Chart:
    values = [p.value for p in indicator.points if p.value is not None]
    top = axis_top(values, indicator.target, indicator.unit)
    plot_w = WIDTH - PAD_LEFT - 4
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    baseline = PAD_TOP + plot_h
    step = plot_w / max(len(indicator.points), 1)
    bars = []
    for i, point in enumerate(indicator.points):
        measured = point.value is not None
        value = min(point.value or 0, top)
        height = plot_h * value / top if measured else 0
        if measured and height < ZERO_BAR_HEIGHT:
            height = ZERO_BAR_HEIGHT
        ok = None
        if measured and indicator.target is not None:
            ok = (
                (point.value >= indicator.target)
                if indicator.higher_is_better
                else (point.value <= indicator.target)
            )
        x = PAD_LEFT + i * step + step * 0.15
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                label=date_format(point.month, "MONTH_ABBREVIATION_FORMAT"),
                value_text=number_format(round(point.value), 0) if measured else "–",
                ok=ok,
                measured=measured,
                value_y=round(baseline - height - 4, 1),
                label_x=round(x + step * 0.35, 1),
                show_label=len(indicator.points) <= LABEL_EVERY_MONTH_UP_TO
                or (len(indicator.points) - 1 - i) % 2 == 0,
            )
        )
    target_y = None
    if indicator.target is not None:
        target_y = round(baseline - plot_h * min(indicator.target, top) / top, 1)
    max_text = f"{top:g}" + (" %" if indicator.unit == "%" else "")
    return Chart(WIDTH, HEIGHT, bars, target_y, max_text, baseline, PAD_LEFT - 6, HEIGHT - 6)
