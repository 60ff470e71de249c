"""A cooperative's sales report, read from the ledger: sales net of refunds and commission by
Jalali month, producer and category, the top products, and the previous period's totals —
each entry in the month it was booked, in Tehran's time, and only the cooperative's own."""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from shop.cooperatives.models import Cooperative
from shop.database import transaction
from shop.extensions import db
from shop.ledger.models import LedgerEntry, Purpose, cooperative_account
from shop.ledger.services import replaying_at
from shop.orders import services as orders
from shop.orders.models import Order, OrderLine
from shop.payments import refunds
from shop.producers.models import Producer
from shop.reports.cooperative import (
    Figures,
    Totals,
    change_percent,
    cooperative_report,
    monthly_statements,
    period_totals,
)
from shop.reports.periods import Month, Period, month_of
from tests.conftest import reload
from tests.orders.test_place_order import checkout

TEHRAN = ZoneInfo("Asia/Tehran")
_keys = iter(range(10**6))


def at(year: int, month: int, day: int = 1, hour: int = 12, minute: int = 0) -> datetime:
    """A moment of a Jalali day, in Tehran's time, as UTC."""
    local = datetime.combine(
        jdatetime.date(year, month, day).togregorian(), time(hour, minute), tzinfo=TEHRAN
    )
    return local.astimezone(UTC)


@contextmanager
def booked_at(moment: datetime):
    """What the ledger writes inside is dated ``moment`` (as the demo's replay does)."""
    token = replaying_at.set(moment)
    try:
        yield
    finally:
        replaying_at.reset(token)


def sell(buyer, listing, quantity: int = 1, when: datetime | None = None) -> Order:
    """A cash order of ``quantity`` of ``listing``, delivered and paid ``when``."""
    with transaction():
        order = orders.place_order(
            buyer, checkout({listing.id: quantity}, key=f"report{next(_keys)}")
        )
    with booked_at(when), transaction():
        parcel = db.session.get(Order, order.id).parcels[0]
        orders.ship_parcel(parcel.producer, parcel, "پست", "1")
        orders.deliver_parcel(parcel.producer, parcel, cash_received=True)
    return reload(order)


def refund(order: Order, amount: int, when: datetime) -> None:
    payment = reload(order).payments[0]
    with booked_at(when):
        refunds.refund_payment(payment.id, amount, f"report-refund{next(_keys)}")


def free_post(app) -> None:
    """Parcels travel free, so that a cash payment is its goods and a refund gives back goods
    only (shipping is not a sale)."""
    app.config["SHOP_DEFAULT_POST_RATE"] = 0


def build_shop(app, factory) -> dict:
    """A cooperative taking 4% (with its manager) and its weaver (a kilim and a tableau rug)
    and tanner (a bag); another cooperative's potter. Sales in Shahrivar, Mehr and Aban 1404
    and a refund."""
    free_post(app)
    manager, other_manager = factory.user(), factory.user()
    cooperative = factory.cooperative(name="تعاونی بانوان نقش", manager=manager)
    other = factory.cooperative(name="تعاونی سفال", manager=other_manager)
    with transaction():
        db.session.get(Cooperative, cooperative.id).commission_bp = 400
        db.session.get(Cooperative, other.id).commission_bp = 300
    weaver = factory.producer(shop_name="کارگاه گلیم مریم", cooperative=cooperative)
    tanner = factory.producer(shop_name="چرم زهرا", cooperative=cooperative)
    potter = factory.producer(shop_name="سفال فاطمه", cooperative=other)
    kilim = factory.listing(weaver, title="گلیم لاکی", price=2_000_000, stock=50)
    rug = factory.listing(
        weaver, title="تابلوفرش گل", price=5_000_000, stock=50, category="tableau-rug"
    )
    bag = factory.listing(tanner, title="کیف چرمی", price=1_500_000, stock=50, category="leather")
    pot = factory.listing(potter, title="کوزه", price=3_000_000, stock=50, category="resin-crafts")
    buyer = factory.user()
    sell(buyer, bag, 1, at(1404, 6, 25))
    kilims = sell(buyer, kilim, 2, at(1404, 7, 10))
    sell(buyer, bag, 1, at(1404, 7, 11))
    sell(buyer, pot, 1, at(1404, 7, 12))
    sell(buyer, rug, 1, at(1404, 8, 5))
    refund(kilims, 1_000_000, at(1404, 8, 20))
    return {
        "cooperative": reload(cooperative),
        "other": reload(other),
        "manager": reload(manager),
        "other_manager": reload(other_manager),
        "weaver": weaver,
        "tanner": tanner,
        "potter": potter,
        "kilim": kilim,
        "rug": rug,
        "bag": bag,
    }


@pytest.fixture
def shop(app, factory):
    return build_shop(app, factory)


AUTUMN = Period.season(1404, 3)


def test_sales_and_commission_by_month_net_of_the_refund_in_its_own_month(shop):
    report = cooperative_report(shop["cooperative"].id, AUTUMN)

    assert [(row.month, row.figures) for row in report.months] == [
        (Month(1404, 7), Figures(sales=5_500_000, commission=220_000, items=3)),
        # the rug, less the kilims' refund made in Aban (4% of it goes back too)
        (Month(1404, 8), Figures(sales=4_000_000, commission=160_000, items=1)),
        (Month(1404, 9), Figures()),
    ]
    assert report.totals == Totals(sales=9_500_000, commission=380_000, items=4, orders=3)


def test_by_producer_and_by_category(shop):
    report = cooperative_report(shop["cooperative"].id, AUTUMN)

    assert [(row.shop_name, row.figures) for row in report.producers] == [
        ("کارگاه گلیم مریم", Figures(sales=8_000_000, commission=320_000, items=3)),
        ("چرم زهرا", Figures(sales=1_500_000, commission=60_000, items=1)),
    ]
    assert [(row.name("fa"), row.name("en"), row.figures) for row in report.categories] == [
        ("تابلوفرش", "Tableau rug", Figures(sales=5_000_000, commission=200_000, items=1)),
        ("گلیم", "Kilim", Figures(sales=3_000_000, commission=120_000, items=2)),
        ("چرم دست‌دوز", "Leather goods", Figures(sales=1_500_000, commission=60_000, items=1)),
    ]


def test_every_breakdown_sums_to_the_totals(shop):
    report = cooperative_report(shop["cooperative"].id, AUTUMN)

    for rows in (report.months, report.producers, report.categories):
        assert sum((row.figures for row in rows), Figures()) == report.figures
    assert report.figures == Figures(9_500_000, 380_000, 4)


def test_top_products_by_sales_with_their_snapshot_title_and_producer(shop):
    report = cooperative_report(shop["cooperative"].id, AUTUMN)

    assert [(p.title, p.shop_name, p.items, p.sales) for p in report.top_products] == [
        ("تابلوفرش گل", "کارگاه گلیم مریم", 1, 5_000_000),
        ("گلیم لاکی", "کارگاه گلیم مریم", 2, 3_000_000),
        ("کیف چرمی", "چرم زهرا", 1, 1_500_000),
    ]


def test_the_previous_period_is_the_season_before(shop):
    report = cooperative_report(shop["cooperative"].id, AUTUMN)

    assert report.previous == Totals(sales=1_500_000, commission=60_000, items=1, orders=1)
    assert change_percent(report.totals.sales, report.previous.sales) == 533
    assert change_percent(5, 0) is None
    assert change_percent(90, 100) == -10


def test_another_cooperatives_sales_never_appear(shop):
    ours = cooperative_report(shop["cooperative"].id, AUTUMN)
    theirs = cooperative_report(shop["other"].id, AUTUMN)

    assert "سفال فاطمه" not in {row.shop_name for row in ours.producers}
    assert "کوزه" not in {p.title for p in ours.top_products}
    assert theirs.totals == Totals(sales=3_000_000, commission=90_000, items=1, orders=1)
    assert [row.shop_name for row in theirs.producers] == ["سفال فاطمه"]


def test_a_sale_belongs_to_the_cooperative_the_producer_was_in_when_the_order_was_placed(
    shop, factory
):
    tanner = shop["tanner"]
    with transaction():
        reload(tanner).cooperative_id = shop["other"].id  # left for the potters' cooperative
    sell(factory.user(), shop["bag"], 2, at(1404, 9, 3))

    ours = cooperative_report(shop["cooperative"].id, AUTUMN)
    theirs = cooperative_report(shop["other"].id, AUTUMN)

    assert ours.months[2].figures == Figures()
    assert theirs.months[2].figures == Figures(sales=3_000_000, commission=90_000, items=2)


def test_a_month_begins_at_midnight_in_tehran(app, factory):
    free_post(app)
    cooperative = factory.cooperative()
    with transaction():
        reload(cooperative).commission_bp = 500
    weaver = factory.producer(cooperative=cooperative)
    kilim = factory.listing(weaver, price=1_000_000, stock=10)
    buyer = factory.user()
    # Farvardin 1, 1404 is 21 March 2025; Tehran is UTC+3:30, so it starts at 20:30 UTC.
    sell(buyer, kilim, 1, datetime(2025, 3, 20, 20, 29, tzinfo=UTC))
    sell(buyer, kilim, 2, datetime(2025, 3, 20, 20, 31, tzinfo=UTC))

    period = Period(jdatetime.date(1403, 12, 1), jdatetime.date(1404, 1, 31))
    report = cooperative_report(cooperative.id, period)

    assert [(row.month, row.figures) for row in report.months] == [
        (Month(1403, 12), Figures(sales=1_000_000, commission=50_000, items=1)),
        (Month(1404, 1), Figures(sales=2_000_000, commission=100_000, items=2)),
    ]
    esfand = period_totals(cooperative.id, Period.month(1403, 12))
    farvardin = period_totals(cooperative.id, Period.month(1404, 1))
    assert (esfand.sales, farvardin.sales) == (1_000_000, 2_000_000)


def test_a_refund_booked_after_the_period_does_not_reach_into_it(shop):
    summer = Period.season(1404, 2)

    report = cooperative_report(shop["cooperative"].id, summer)

    assert report.totals == Totals(sales=1_500_000, commission=60_000, items=1, orders=1)
    assert [row.month for row in report.months] == [Month(1404, m) for m in (4, 5, 6)]


def test_a_period_without_sales_has_every_month_at_zero(factory):
    cooperative = factory.cooperative()

    report = cooperative_report(cooperative.id, Period.year(1404))

    assert [row.figures for row in report.months] == [Figures()] * 12
    assert report.producers == [] and report.categories == [] and report.top_products == []
    assert report.totals == Totals()


def test_the_statement_has_each_months_own_breakdowns(shop):
    pages = monthly_statements(shop["cooperative"].id, AUTUMN)

    assert [(page.month, page.figures) for page in pages] == [
        (Month(1404, 7), Figures(5_500_000, 220_000, 3)),
        (Month(1404, 8), Figures(4_000_000, 160_000, 1)),
        (Month(1404, 9), Figures()),
    ]
    aban = pages[1]
    assert [(row.shop_name, row.figures) for row in aban.producers] == [
        ("کارگاه گلیم مریم", Figures(4_000_000, 160_000, 1)),
    ]
    assert [(row.name("en"), row.figures) for row in aban.categories] == [
        ("Tableau rug", Figures(5_000_000, 200_000, 1)),
        ("Kilim", Figures(-1_000_000, -40_000, 0)),
    ]
    assert all(page.is_whole_month for page in pages)


def test_a_report_is_four_queries_however_long_the_period(shop, count_queries):
    cooperative_id = shop["cooperative"].id
    with count_queries() as counted:
        cooperative_report(cooperative_id, Period.season(1404, 3))
    with count_queries() as five_years:
        cooperative_report(
            cooperative_id, Period(jdatetime.date(1400, 1, 1), jdatetime.date(1404, 12, 29))
        )
    assert counted.count == five_years.count == 4


# Against an independent sum of every ledger entry -------------------------------------------

FIRST = Month(1404, 1)
#: The report covers Farvardin to Tir 1404; sales fall from Esfand 1403 to Mordad 1404.
PERIOD = Period(jdatetime.date(1404, 1, 1), jdatetime.date(1404, 4, 31))

sales_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # which producer: two of the cooperative's, one of another's
        st.integers(1, 3),  # quantity
        st.integers(-1, 4),  # months after Farvardin 1404
        st.integers(0, 29 * 24 * 60 - 1),  # minutes into that month
        st.one_of(st.none(), st.integers(1, 100)),  # per cent of what is left refunded
        st.integers(0, 60 * 24 * 60),  # minutes between the sale and the refund
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def makers(factory):
    """Three producers with a listing each; every example puts them in new cooperatives."""
    producers = [factory.producer() for _ in range(3)]
    listings = [
        factory.listing(producers[0], title="گلیم", price=1_234_567, stock=1000),
        factory.listing(producers[1], title="کیف", price=98_765, stock=1000, category="leather"),
        factory.listing(producers[2], title="کوزه", price=333_333, stock=1000),
    ]
    return producers, listings, factory.user()


def expected_by_month(cooperative_id: int) -> dict[Month, list[int]]:
    """[sales, commission] per Jalali month of the cooperative, from every entry there is."""
    found: dict[Month, list[int]] = defaultdict(lambda: [0, 0])
    account = cooperative_account(cooperative_id)
    rows = db.session.execute(
        select(LedgerEntry, OrderLine.cooperative_id).outerjoin(
            OrderLine, OrderLine.id == LedgerEntry.order_line_id
        )
    ).all()
    for entry, line_cooperative in rows:
        month = month_of(entry.created_at)
        if entry.purpose is Purpose.GOODS and line_cooperative == cooperative_id:
            found[month][0] -= entry.amount
        if entry.purpose is Purpose.COMMISSION and entry.account == account:
            found[month][1] += entry.amount
    return found


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sales=sales_strategy, rates=st.tuples(st.integers(0, 1000), st.integers(0, 1000)))
def test_the_report_agrees_with_every_ledger_entry(app, factory, makers, sales, rates):
    free_post(app)
    producers, listings, buyer = makers
    ours, theirs = factory.cooperative(), factory.cooperative()
    with transaction():
        for cooperative, rate in zip((ours, theirs), rates, strict=True):
            db.session.get(Cooperative, cooperative.id).commission_bp = rate
        for producer, cooperative in zip(producers, (ours, ours, theirs), strict=True):
            db.session.get(Producer, producer.id).cooperative_id = cooperative.id
    for which, quantity, months, minutes, refunded, later in sales:
        start = Period.month(*_month(months)).starts_at
        when = start + timedelta(minutes=minutes)
        order = sell(buyer, listings[which], quantity, when)
        if refunded is not None:
            payment = reload(order).payments[0]
            amount = max(1, payment.amount * refunded // 100)
            refund(order, amount, when + timedelta(minutes=later))

    report = cooperative_report(ours.id, PERIOD)

    expected = expected_by_month(ours.id)
    assert [(row.month, row.figures.sales, row.figures.commission) for row in report.months] == [
        (month, *expected[month]) for month in PERIOD.months
    ]
    assert report.totals.sales == sum(expected[month][0] for month in PERIOD.months)
    assert report.totals.commission == sum(expected[month][1] for month in PERIOD.months)
    sold_in_period = [
        (which, quantity) for which, quantity, months, *_ in sales if 0 <= months <= 3 and which < 2
    ]
    assert report.totals.items == sum(quantity for _, quantity in sold_in_period)
    assert report.totals.orders == len(sold_in_period)
    for rows in (report.producers, report.categories):
        assert sum((row.figures for row in rows), Figures()) == report.figures


def _month(offset: int) -> tuple[int, int]:
    month = Month.from_index(FIRST.index + offset)
    return month.year, month.month
