"""Sales per Jalali month, drawn on the server as an inline SVG bar chart.

The chart is plain markup in the page rather than a JavaScript charting library: it shows
without script (and under a strict Content-Security-Policy), loads nothing from other sites,
costs a phone no extra download, and carries its own text alternative (a ``<title>`` and a
``<desc>`` listing every month's amount) so a screen reader gets the numbers, not a picture.
Colours come from the site's CSS custom properties, with fallbacks for when they are unset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import jdatetime
from markupsafe import Markup

from shop.money import to_persian_digits


@dataclass(frozen=True)
class MonthTotal:
    #: Jalali year and month (1 = Farvardin … 12 = Esfand).
    year: int
    month: int
    #: In the currency's minor unit; 0 for a month without sales.
    amount: int


def _to_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _jalali_month(day: date) -> tuple[int, int]:
    jalali = jdatetime.date.fromgregorian(date=day)
    return jalali.year, jalali.month


def jalali_months(
    entries: Iterable[tuple[datetime, int]],
    *,
    months: int = 12,
    now: datetime,
    zone: str = "Asia/Tehran",
) -> list[MonthTotal]:
    """The last ``months`` Jalali months up to ``now``'s, oldest first, each with its entries'
    amounts summed (months without entries are 0; entries outside the window are left out)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    tz = ZoneInfo(zone)
    year, month = _jalali_month(_to_utc(now).astimezone(tz).date())
    # Months counted from year 0, so that stepping back over a Nowruz is a subtraction.
    newest = year * 12 + month - 1
    window = (divmod(index, 12) for index in range(newest - months + 1, newest + 1))
    totals = {(y, m + 1): 0 for y, m in window}
    # Converting through jdatetime is the slow part; a ledger has many entries per local day.
    month_of_day: dict[date, tuple[int, int]] = {}
    for moment, amount in entries:
        day = _to_utc(moment).astimezone(tz).date()
        if day not in month_of_day:
            month_of_day[day] = _jalali_month(day)
        key = month_of_day[day]
        if key in totals:
            totals[key] += amount
    return [MonthTotal(y, m, amount) for (y, m), amount in totals.items()]


def _check_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"no Jalali month {month!r}")
    return month - 1


def month_name(month: int, language: str) -> str:
    """The Jalali month's name: ``فروردین`` in Persian, ``Farvardin`` otherwise."""
    names = jdatetime.date.j_months_fa if language == "fa" else jdatetime.date.j_months_en
    return names[_check_month(month)]


def _short_month_name(month: int, language: str) -> str:
    names = (
        jdatetime.date.j_months_short_fa if language == "fa" else jdatetime.date.j_months_short_en
    )
    return names[_check_month(month)]


WIDTH = 640
HEIGHT = 260
#: Where a full bar's top and every bar's foot are, in viewBox units.
PLOT_TOP = 16
BASELINE = 216
PLOT_HEIGHT = BASELINE - PLOT_TOP
#: Space kept clear at the chart's far side (the gridline values take the near side).
EDGE = 8
#: The viewBox is scaled to ~0.56 on a 360 px phone; below 14 units text becomes unreadable.
LABEL_FONT_SIZE = 16
VALUE_FONT_SIZE = 14
#: A bar's share of its month's slot; the rest is the gap between bars.
BAR_SHARE = 0.64
GRIDLINES = 3

# The site's own theme variables (static/css/app.css). The text fallbacks have a contrast of
# at least 4.5:1 on white (--ink 15.7:1, --muted 5.9:1) and on the page's --paper.
BAR_FILL = "var(--chart-bar, var(--accent, #9c3d26))"
TEXT_FILL = "var(--ink, #2b2118)"
VALUE_FILL = "var(--muted, #6f6257)"
LINE_STROKE = "var(--line, #e8dfd3)"


def _number(value: float) -> str:
    """A coordinate for an attribute: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _year(year: int, language: str, *, short: bool = False) -> str:
    text = f"{year % 100:02d}" if short else str(year)
    return to_persian_digits(text) if language == "fa" else text


def _value_label_width(labels: list[str]) -> float:
    # The server cannot measure text; 0.6 em a character is generous for digits and letters.
    return max((len(label) for label in labels), default=0) * VALUE_FONT_SIZE * 0.6


def bar_chart_svg(
    points: list[MonthTotal],
    *,
    title: str,
    language: str,
    format_amount: Callable[[int], str],
    format_label: Callable[[int], str] | None = None,
    id_prefix: str | None = None,
) -> Markup:
    """An accessible ``<svg>`` bar chart, one bar a month; in Persian it reads right to left."""
    format_label = format_label or format_amount
    rtl = language == "fa"
    prefix = id_prefix or f"chart-{uuid4().hex[:8]}"
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    separator = "؛ " if rtl else "; "

    def describe(point: MonthTotal) -> str:
        when = f"{month_name(point.month, language)} {_year(point.year, language)}"
        return f"{when}: {format_amount(point.amount)}"

    # A month of net refunds draws no bar rather than one hanging below the axis.
    highest = max((point.amount for point in points), default=0)
    gridlines = []
    if highest > 0:
        for step in range(1, GRIDLINES + 1):
            value = highest * step // GRIDLINES
            gridlines.append((value, BASELINE - PLOT_HEIGHT * value / highest))
    labels = [format_label(value) for value, _ in gridlines]
    gutter = min(max(EDGE, _value_label_width(labels) + 2 * EDGE), WIDTH / 3)
    plot_width = WIDTH - gutter - EDGE
    plot_start = EDGE if rtl else gutter
    slot = plot_width / max(len(points), 1)
    bar_width = slot * BAR_SHARE

    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img"'
            ' aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}"'
            ' width="100%" preserveAspectRatio="xMidYMid meet" direction="{direction}">'
        ).format(
            title_id=title_id,
            desc_id=desc_id,
            width=WIDTH,
            height=HEIGHT,
            direction="rtl" if rtl else "ltr",
        ),
        Markup('<title id="{}">{}</title>').format(title_id, title),
        Markup('<desc id="{}">{}</desc>').format(
            desc_id, separator.join(describe(point) for point in points)
        ),
    ]
    # With direction="rtl", text-anchor "end" is the text's left edge, so the values sit
    # beside the plot on the right without a second set of coordinates.
    value_x = WIDTH - gutter + EDGE if rtl else gutter - EDGE
    for (_, y), label in zip(gridlines, labels, strict=True):
        parts.append(
            Markup(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}" stroke-width="1"/>'
                '<text x="{tx}" y="{y}" dominant-baseline="middle" text-anchor="end"'
                ' font-size="{size}" fill="{fill}">{label}</text>'
            ).format(
                x1=_number(plot_start),
                x2=_number(plot_start + plot_width),
                y=_number(y),
                stroke=LINE_STROKE,
                tx=_number(value_x),
                size=VALUE_FONT_SIZE,
                fill=VALUE_FILL,
                label=label,
            )
        )
    for index, point in enumerate(points):
        position = len(points) - 1 - index if rtl else index
        centre = plot_start + slot * (position + 0.5)
        height = PLOT_HEIGHT * point.amount / highest if highest > 0 and point.amount > 0 else 0
        if point.amount > 0:
            height = max(height, 1)  # a small month still shows
        parts.append(
            Markup(
                '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}">'
                "<title>{hover}</title></rect>"
                '<text x="{cx}" text-anchor="middle" font-size="{size}" fill="{text}">'
                '<tspan x="{cx}" y="{line1}">{name}</tspan>'
                '<tspan x="{cx}" y="{line2}">{year}</tspan></text>'
            ).format(
                x=_number(centre - bar_width / 2),
                y=_number(BASELINE - height),
                width=_number(bar_width),
                height=_number(height),
                fill=BAR_FILL,
                hover=describe(point),
                cx=_number(centre),
                size=LABEL_FONT_SIZE,
                text=TEXT_FILL,
                line1=BASELINE + 20,
                line2=BASELINE + 20 + LABEL_FONT_SIZE + 2,
                name=_short_month_name(point.month, language),
                year=_year(point.year, language, short=True),
            )
        )
    parts.append(
        Markup(
            '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}" stroke-width="1"/>'
        ).format(
            x1=_number(plot_start),
            x2=_number(plot_start + plot_width),
            y=BASELINE,
            stroke=TEXT_FILL,
        )
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
