"""Bar charts drawn on the server as inline SVG (the transparency portal, the penalties compared, the queue,
the lists' freshness): the geometry here, the markup in ``templates/_chart.html``, which templates reach as the
globals ``bar_chart`` and ``chart_bar``. Each label sits on its own line above its bar, so that a chart scaled
to a 375 px screen stays readable; a withheld figure has no bar and says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 360  # the viewBox width; the SVG is scaled to the width of its column (``.chart``)
ROW = 40
BAR_TOP = 16
BAR_HEIGHT = 14
BAR_MAX = 250


@dataclass(frozen=True)
class Bar:
    """A figure to draw: its label, its amount (None when withheld) and the text shown beside the bar."""

    label: str
    amount: Decimal | None
    text: str


@dataclass(frozen=True)
class DrawnBar:
    label: str
    text: str
    label_y: int
    bar_y: int
    width: int
    text_x: int
    withheld: bool


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    height: int
    bars: tuple[DrawnBar, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {WIDTH} {self.height}"


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> Chart:
    """Lay out a horizontal bar chart: bar lengths in proportion to the largest published amount."""
    largest = max((b.amount for b in bars if b.amount is not None and b.amount > 0), default=Decimal(0))
    drawn = []
    for n, bar in enumerate(bars):
        top = n * ROW
        if bar.amount is None or largest <= 0:
            width = 0
        else:
            width = max(1, int(BAR_MAX * bar.amount / largest)) if bar.amount > 0 else 0
        drawn.append(
            DrawnBar(
                label=bar.label,
                text=bar.text,
                label_y=top + 12,
                bar_y=top + BAR_TOP,
                width=width,
                text_x=width + 6,
                withheld=bar.amount is None,
            )
        )
    return Chart(chart_id, title, description, max(ROW, len(bars) * ROW + 4), tuple(drawn))
