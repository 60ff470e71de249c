"""Sales per Jalali month: the buckets around month ends and Nowruz, and the SVG drawn from them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from markupsafe import Markup

from shop.ledger.chart import MonthTotal, bar_chart_svg, jalali_months, month_name

TEHRAN = ZoneInfo("Asia/Tehran")
SVG = "{http://www.w3.org/2000/svg}"


def tehran_midnight(year: int, month: int, day: int) -> datetime:
    """The UTC moment a Jalali day starts in Tehran, worked out by jdatetime and ZoneInfo."""
    gregorian = jdatetime.date(year, month, day).togregorian()
    return datetime.combine(gregorian, time(), TEHRAN).astimezone(UTC)


def toman(amount: int) -> str:
    return f"{amount:,} toman"


def months_of(totals: list[MonthTotal]) -> list[tuple[int, int, int]]:
    return [(total.year, total.month, total.amount) for total in totals]


# jalali_months


def test_nowruz_starts_at_tehran_midnight():
    nowruz = tehran_midnight(1405, 1, 1)
    assert nowruz == datetime(2026, 3, 20, 20, 30, tzinfo=UTC)  # 2026-03-21 00:00 at +03:30
    entries = [
        (nowruz - timedelta(minutes=1), 100),  # 20:29 UTC: 29 Esfand 1404, 23:59 in Tehran
        (nowruz, 20),
        (nowruz + timedelta(minutes=1), 3),  # 20:31 UTC
    ]

    totals = jalali_months(entries, months=2, now=datetime(2026, 3, 25, tzinfo=UTC))

    assert months_of(totals) == [(1404, 12, 100), (1405, 1, 23)]


def test_a_30_day_month_runs_to_mehr_30():
    assert jdatetime.date(1405, 7, 30).togregorian() + timedelta(days=1) == (
        jdatetime.date(1405, 8, 1).togregorian()
    )
    aban_first = tehran_midnight(1405, 8, 1)
    entries = [
        (tehran_midnight(1405, 7, 30) + timedelta(hours=12), 7),
        (aban_first - timedelta(seconds=1), 5),
        (aban_first, 40),
    ]

    totals = jalali_months(entries, months=2, now=aban_first + timedelta(days=3))

    assert months_of(totals) == [(1405, 7, 12), (1405, 8, 40)]


def test_esfand_of_a_leap_year_has_a_30th_day():
    assert jdatetime.date(1403, 1, 1).isleap()
    esfand_30 = tehran_midnight(1403, 12, 30) + timedelta(hours=12)
    nowruz = tehran_midnight(1404, 1, 1)
    entries = [(esfand_30, 9), (nowruz - timedelta(seconds=1), 1), (nowruz, 50)]

    totals = jalali_months(entries, months=2, now=nowruz + timedelta(days=1))

    assert months_of(totals) == [(1403, 12, 10), (1404, 1, 50)]


def test_the_window_is_the_last_twelve_months_oldest_first_with_empty_months_zero():
    totals = jalali_months([], now=datetime(2026, 4, 1, tzinfo=UTC))  # 12 Farvardin 1405

    assert [(total.year, total.month) for total in totals] == [
        *[(1404, month) for month in range(2, 13)],
        (1405, 1),
    ]
    assert {total.amount for total in totals} == {0}


def test_entries_outside_the_window_are_ignored():
    now = datetime(2026, 4, 1, tzinfo=UTC)  # Farvardin 1405
    entries = [
        (tehran_midnight(1404, 1, 31), 1_000),  # the last day of the 13th month back
        (tehran_midnight(1404, 2, 1), 7),  # the first day of the window
        (tehran_midnight(1405, 1, 31) + timedelta(hours=23), 8),  # the last day of now's month
        (tehran_midnight(1405, 2, 1), 2_000),  # next month
    ]

    totals = jalali_months(entries, now=now)

    assert len(totals) == 12
    assert (totals[0].year, totals[0].month, totals[0].amount) == (1404, 2, 7)
    assert (totals[-1].year, totals[-1].month, totals[-1].amount) == (1405, 1, 8)
    assert sum(total.amount for total in totals) == 15


def test_naive_datetimes_are_read_as_utc():
    entries = [(datetime(2026, 3, 20, 20, 29), 1), (datetime(2026, 3, 20, 20, 31), 10)]

    totals = jalali_months(entries, months=2, now=datetime(2026, 3, 21, 12, 0))

    assert months_of(totals) == [(1404, 12, 1), (1405, 1, 10)]


def test_the_zone_decides_where_a_month_ends():
    entries = [(datetime(2026, 3, 20, 21, 0, tzinfo=UTC), 5)]  # 00:30 on Nowruz in Tehran
    now = datetime(2026, 3, 21, 12, 0, tzinfo=UTC)

    assert months_of(jalali_months(entries, months=2, now=now)) == [(1404, 12, 0), (1405, 1, 5)]
    assert months_of(jalali_months(entries, months=2, now=now, zone="UTC")) == [
        (1404, 12, 5),
        (1405, 1, 0),
    ]


def test_now_is_read_in_the_zone_too():
    just_after_nowruz = tehran_midnight(1405, 1, 1) + timedelta(minutes=15)  # 20:45 UTC

    totals = jalali_months([(just_after_nowruz, 4)], months=1, now=just_after_nowruz)

    assert months_of(totals) == [(1405, 1, 4)]


def test_a_window_of_no_months_is_refused():
    with pytest.raises(ValueError):
        jalali_months([], months=0, now=datetime(2026, 4, 1, tzinfo=UTC))


def test_month_names_in_both_languages():
    persian = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند"
    english = "Farvardin Ordibehesht Khordad Tir Mordad Shahrivar Mehr Aban Azar Dey Bahman Esfand"

    assert " ".join(month_name(month, "fa") for month in range(1, 13)) == persian
    assert " ".join(month_name(month, "en") for month in range(1, 13)) == english
    with pytest.raises(ValueError):
        month_name(13, "en")
    with pytest.raises(ValueError):
        month_name(0, "fa")


# bar_chart_svg

YEAR_1404_TO_1405 = [*[(1404, month) for month in range(2, 13)], (1405, 1)]


def year_of_sales(amounts: list[int]) -> list[MonthTotal]:
    return [
        MonthTotal(year, month, amount)
        for (year, month), amount in zip(YEAR_1404_TO_1405, amounts, strict=True)
    ]


def parse(svg: Markup) -> ET.Element:
    """The chart as XML, which it must be to parse at all."""
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, not untrusted input


def render(points, *, language="en", title="Sales", **options) -> tuple[Markup, ET.Element]:
    options.setdefault("id_prefix", "t")
    svg = bar_chart_svg(points, title=title, language=language, format_amount=toman, **options)
    return svg, parse(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}rect"))


def heights(root: ET.Element) -> list[float]:
    return [float(rect.get("height")) for rect in bars(root)]


def value_labels(root: ET.Element) -> list[str]:
    return [text.text for text in root.findall(f"{SVG}text") if text.text]


def month_labels(root: ET.Element) -> list[tuple[str, str]]:
    return [
        tuple(tspan.text for tspan in text.findall(f"{SVG}tspan"))
        for text in root.findall(f"{SVG}text")
        if not text.text
    ]


def test_the_chart_is_a_labelled_scalable_image():
    svg, root = render(year_of_sales([0] * 12))

    assert isinstance(svg, Markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 260"
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    assert root.get("aria-labelledby") == "t-title t-desc"
    assert root.find(f"{SVG}title").attrib == {"id": "t-title"}
    assert root.find(f"{SVG}title").text == "Sales"
    assert root.find(f"{SVG}desc").get("id") == "t-desc"


def test_one_bar_a_month_and_nothing_else_drawn_as_a_rect():
    _, root = render(year_of_sales([100 * month for month in range(12)]))

    assert len(bars(root)) == 12
    assert [rect.find(f"{SVG}title").text for rect in bars(root)][-2:] == [
        "Esfand 1404: 1,000 toman",
        "Farvardin 1405: 1,100 toman",
    ]


def test_bar_heights_are_proportional_to_the_largest_month():
    amounts = [400, 200, 100, 0, 300, 50, 0, 0, 0, 0, 0, 0]

    _, root = render(year_of_sales(amounts))

    assert heights(root) == [200, 100, 50, 0, 150, 25, 0, 0, 0, 0, 0, 0]
    assert [float(rect.get("y")) + float(rect.get("height")) for rect in bars(root)] == [216] * 12


def test_a_tiny_month_still_shows_and_a_month_of_refunds_draws_nothing():
    points = [MonthTotal(1404, 12, 1), MonthTotal(1405, 1, 1_000_000), MonthTotal(1405, 2, -500)]

    _, root = render(points)

    assert heights(root) == [1, 200, 0]
    assert root.find(f"{SVG}desc").text.endswith("Ordibehesht 1405: -500 toman")


def test_an_all_zero_year_has_flat_bars_and_no_gridlines():
    svg, root = render(year_of_sales([0] * 12), format_label=lambda amount: f"<{amount}>")

    assert heights(root) == [0] * 12
    assert "nan" not in str(svg).lower()
    assert all(float(rect.get("y")) == 216 for rect in bars(root))
    assert len(root.findall(f"{SVG}line")) == 1  # the axis
    assert value_labels(root) == []


def test_three_gridlines_labelled_with_format_label():
    _, root = render(
        year_of_sales([900, *[0] * 11]), format_label=lambda amount: f"{amount // 100}h"
    )

    gridlines = root.findall(f"{SVG}line")[:-1]
    assert [line.get("y1") for line in gridlines] == ["149.33", "82.67", "16"]
    assert value_labels(root) == ["3h", "6h", "9h"]


def test_gridline_labels_default_to_format_amount():
    _, root = render(year_of_sales([900, *[0] * 11]))

    assert value_labels(root) == ["300 toman", "600 toman", "900 toman"]


def test_english_reads_left_to_right_oldest_month_first():
    _, root = render(year_of_sales([1] * 12))

    xs = [float(rect.get("x")) for rect in bars(root)]
    assert root.get("direction") == "ltr"
    assert xs == sorted(xs)
    assert xs[0] < xs[-1]


def test_persian_reads_right_to_left_oldest_month_on_the_right():
    _, english = render(year_of_sales([1] * 12))
    _, persian = render(year_of_sales([1] * 12), language="fa")

    xs = [float(rect.get("x")) for rect in bars(persian)]
    assert persian.get("direction") == "rtl"
    assert xs == sorted(xs, reverse=True)
    assert xs[0] > xs[-1]
    english_xs = [float(rect.get("x")) for rect in bars(english)]
    width = float(bars(english)[0].get("width"))
    assert [round(640 - x - width, 2) for x in english_xs] == xs  # an exact mirror image


def test_month_labels_in_each_language():
    points = [MonthTotal(1404, 12, 5), MonthTotal(1405, 1, 9)]

    _, english = render(points)
    _, persian = render(points, language="fa")

    assert month_labels(english) == [("Esf", "04"), ("Far", "05")]
    assert month_labels(persian) == [("اسف", "۰۴"), ("فرو", "۰۵")]


def test_the_description_lists_every_month_and_its_amount():
    points = [MonthTotal(1404, 12, 0), MonthTotal(1405, 1, 1_200_000)]

    _, english = render(points)
    _, persian = render(points, language="fa")

    assert english.find(f"{SVG}desc").text == (
        "Esfand 1404: 0 toman; Farvardin 1405: 1,200,000 toman"
    )
    assert persian.find(f"{SVG}desc").text == ("اسفند ۱۴۰۴: 0 toman؛ فروردین ۱۴۰۵: 1,200,000 toman")


def test_titles_and_amounts_are_escaped():
    points = [MonthTotal(1405, 1, 10)]
    title = "<script>alert(1)</script> & co"

    svg = bar_chart_svg(points, title=title, language="en", format_amount=lambda a: f"<b>{a}</b>")

    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").text == "Farvardin 1405: <b>10</b>"


def test_two_charts_on_one_page_have_distinct_ids():
    points = [MonthTotal(1405, 1, 10)]
    first, second = (
        parse(bar_chart_svg(points, title="Sales", language="en", format_amount=toman))
        for _ in range(2)
    )

    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    for root in (first, second):
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root.find(f"{SVG}title").get("id") == title_id
        assert root.find(f"{SVG}desc").get("id") == desc_id


def test_text_stays_readable_when_scaled_to_a_phone():
    _, root = render(year_of_sales([900, *[0] * 11]), language="fa")

    sizes = [float(text.get("font-size")) for text in root.iter(f"{SVG}text")]
    assert len(sizes) == 12 + 3
    assert min(sizes) >= 14


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_colours_follow_the_theme_and_text_fallbacks_contrast_on_white():
    _, root = render(year_of_sales([900, *[0] * 11]))

    fills = {text.get("fill") for text in root.iter(f"{SVG}text")}
    assert fills == {"var(--ink, #2b2118)", "var(--muted, #6f6257)"}
    for fill in fills:
        fallback = re.search(r"#[0-9a-f]{6}", fill).group()
        assert 1.05 / (_luminance(fallback) + 0.05) >= 4.5
    assert {rect.get("fill") for rect in bars(root)} == {"var(--chart-bar, var(--accent, #9c3d26))"}


def test_no_months_draw_no_bars():
    _, root = render([])

    assert bars(root) == []
    assert root.find(f"{SVG}desc").text is None
