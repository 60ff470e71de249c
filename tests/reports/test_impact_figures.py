"""The impact figures of a small programme built by hand, exactly; every breakdown adds up to
the total; and, for any producers, sales, refunds and payouts over any months, each figure
equals the same figure computed here from the raw rows."""

from __future__ import annotations

import random
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from itertools import count as counter
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from shop.catalog.models import Category
from shop.database import transaction, utcnow
from shop.extensions import db
from shop.ledger.models import LedgerEntry, LedgerTransaction, Purpose, TransactionKind
from shop.ledger.services import replaying_at
from shop.ledger.split import split_sale
from shop.listings.models import Product, ProductStatus
from shop.orders import services as orders
from shop.orders.models import Order, OrderLine, Parcel, ParcelStatus
from shop.payments import refunds
from shop.payouts import services as payouts
from shop.producers.models import Producer, ProducerStatus
from shop.reports import impact
from shop.reports.impact import impact_figures
from shop.reports.models import TrainingRecord
from shop.reports.periods import Month, Period, month_of
from shop.subsidies.models import BrandingWork, SubsidyApplication, SubsidyStatus
from tests.conftest import reload
from tests.orders.test_place_order import checkout
from tests.payouts.conftest import sell_cash, sell_online, with_sheba

ZONE = "Asia/Tehran"
_keys = counter()


def this_month() -> Month:
    return month_of(utcnow(), ZONE)


def months_ago(months: int) -> Month:
    return Month.from_index(this_month().index - months)


def moment(month: Month, day: int = 10, hour: int = 12) -> datetime:
    """Noon (Tehran) on ``day`` of the Jalali ``month``, in UTC."""
    local = datetime.combine((month.first_day.togregorian()), time(hour), ZoneInfo(ZONE))
    return (local + timedelta(days=day - 1)).astimezone(UTC)


@contextmanager
def dated(when: datetime):
    """What the ledger writes inside is written at ``when``."""
    token = replaying_at.set(when)
    try:
        yield
    finally:
        replaying_at.reset(token)


def set_producer(producer, **values):
    with transaction():
        db.session.execute(update(Producer).where(Producer.id == producer.id).values(**values))
    return reload(producer)


def placed_at(order, when: datetime):
    with transaction():
        db.session.execute(update(Order).where(Order.id == order.id).values(placed_at=when))
    return reload(order)


def cash_sale(factory, producer, when, price=200_000, category="kilim"):
    """A cash-on-delivery order placed and delivered at ``when`` (a listing of its own)."""
    with dated(when):
        if category == "kilim":
            order = sell_cash(factory, producer, price=price)
        else:
            order = place(factory, factory.listing(producer, price=price, category=category))
            deliver(order)
    return placed_at(order, when)


def online_sale(factory, producer, when, price=2_000_000):
    with dated(when):
        order = sell_online(factory, producer, price=price)
    return placed_at(order, when)


def place(factory, listing, quantity=1, payment_method="cash"):
    with transaction():
        return orders.place_order(
            factory.user(),
            checkout({listing.id: quantity}, key=f"i{next(_keys)}", payment_method=payment_method),
        )


def paid_then_cancelled(factory, producer, when):
    """An order paid online, then called off by the buyer before it shipped."""
    order = place(factory, factory.listing(producer, price=250_000), payment_method="zarinpal")
    with transaction(), dated(when):
        orders.record_payment(db.session.get(Order, order.id).payments[0])
    with transaction():
        parcel = db.session.get(Order, order.id).parcels[0]
        orders.cancel_parcel(parcel.order.buyer, parcel)
    return placed_at(order, when)


def deliver(order):
    with transaction():
        parcel = db.session.get(Order, order.id).parcels[0]
        orders.ship_parcel(parcel.producer, parcel, "پست", "1")
        orders.deliver_parcel(parcel.producer, parcel, cash_received=True)


def refund_all(order, when):
    payment = reload(order).payments[0]
    with dated(when):
        refunds.refund_payment(payment.id, payment.amount, f"back-{next(_keys)}")


def earned_by(order) -> int:
    """What the order's producer earns from it: their share of each line, and the shipping."""
    parcel = reload(order).parcels[0]
    shares = sum(
        split_sale(
            line.gross, line.platform_fee_bp, line.commission_bp if line.cooperative_id else 0
        ).producer
        for line in parcel.lines
    )
    return shares + parcel.shipping_cost


def subsidy(cooperative, status, amount, decided=None, paid=None):
    with transaction():
        application = SubsidyApplication(
            cooperative_id=cooperative.id,
            work=BrandingWork.LOGO,
            cost=amount * 2,
            status=status,
            approved_amount=amount
            if status in (SubsidyStatus.APPROVED, SubsidyStatus.PAID)
            else None,
            decided_at=decided,
            paid_at=paid,
        )
        db.session.add(application)
    return application


def trained(centre, month: Month, people: int):
    with transaction():
        db.session.add(
            TrainingRecord(
                centre_id=centre.id,
                jalali_year=month.year,
                jalali_month=month.month,
                trained=people,
            )
        )


# -- a small programme, by hand ------------------------------------------------------------


@pytest.fixture
def programme(factory, gateway):
    return build_programme(factory)


def build_programme(factory) -> dict:
    """Two centres (Tollab and Seyyedi, in Mashhad), two cooperatives, and five producers.

    In the month shown (last month, P; the month before is O):
    weaver — Tollab, cooperative X, registered and approved in P, sold online in P, paid out in P;
    tanner — Tollab, no cooperative, registered in O, approved in P, sold cash in P, its listings
    then paused (not selling);
    potter — Seyyedi (in Bushehr's neighbourhood Sangi), cooperative Y, registered and approved
    in O, sold leather in O, and in P has one order placed (not yet delivered) and one cancelled;
    applicant — no centre, cooperative X, registered in P, not approved, no listing;
    dyer — Seyyedi, no cooperative, approved in O, sold in P and refunded it all in P.
    """
    shown, before = months_ago(1), months_ago(2)
    tollab = factory.centre(name="مرکز رویش طلاب")
    seyyedi = factory.centre(name="مرکز رویش سیدی")
    x = factory.cooperative(name="تعاونی ایکس")
    y = factory.cooperative(name="تعاونی ایگرگ")
    admin = factory.admin()

    weaver = with_sheba(factory.producer(centre=tollab, cooperative=x, shop_name="بافنده"))
    weaver = set_producer(weaver, created_at=moment(shown, 2), approved_at=moment(shown, 3))
    tanner = factory.producer(centre=tollab, shop_name="چرم‌دوز")
    tanner = set_producer(tanner, created_at=moment(before, 5), approved_at=moment(shown, 1, 1))
    potter = factory.producer(centre=seyyedi, cooperative=y, shop_name="سفالگر")
    potter = set_producer(
        potter,
        created_at=moment(before, 1),
        approved_at=moment(before, 2),
        city="بوشهر",
        neighbourhood="سنگی",
    )
    applicant = factory.producer(cooperative=x, approved=False, shop_name="متقاضی")
    applicant = set_producer(applicant, created_at=moment(shown, 20))
    dyer = factory.producer(centre=seyyedi, shop_name="رنگرز")
    dyer = set_producer(dyer, created_at=moment(before, 3), approved_at=moment(before, 4))

    sales = {
        "weaver": online_sale(factory, weaver, moment(shown, 5), price=3_000_000),
        "tanner": cash_sale(factory, tanner, moment(shown, 6), price=700_000),
        "potter": cash_sale(factory, potter, moment(before, 7), price=900_000, category="leather"),
        "dyer": cash_sale(factory, dyer, moment(shown, 8), price=400_000),
    }
    refund_all(sales["dyer"], moment(shown, 9))
    # the potter: one order waiting for delivery, one cancelled before it was paid
    bowl = factory.listing(potter, price=300_000, stock=5, category="resin-crafts")
    waiting = placed_at(place(factory, bowl), moment(shown, 11))
    cancelled = place(factory, bowl)
    with transaction():
        parcel = db.session.get(Order, cancelled.id).parcels[0]
        orders.cancel_parcel(parcel.order.buyer, parcel)
    placed_at(cancelled, moment(shown, 12))
    with transaction():  # the tanner takes their listings off sale
        db.session.execute(
            update(Product)
            .where(Product.producer_id == tanner.id)
            .values(status=ProductStatus.PAUSED)
        )

    with transaction(), dated(moment(shown, 15)):
        batch = payouts.run_batch(admin, minimum=1)
        batch = payouts.confirm_batch(batch.id, admin, batch.total)
    [weaver_payout] = [p for p in batch.paid_lines if p.account == f"producer:{weaver.id}"]

    subsidy(x, SubsidyStatus.APPROVED, 5_000_000, decided=moment(shown, 16))
    subsidy(y, SubsidyStatus.PAID, 3_000_000, decided=moment(before, 16), paid=moment(shown, 17))
    subsidy(y, SubsidyStatus.REJECTED, 1_000_000, decided=moment(shown, 18))
    trained(tollab, shown, 20)
    trained(tollab, before, 5)
    trained(seyyedi, shown, 10)
    return {
        "shown": shown,
        "before": before,
        "centres": (reload(tollab), reload(seyyedi)),
        "cooperatives": (reload(x), reload(y)),
        "producers": {
            "weaver": weaver,
            "tanner": tanner,
            "potter": potter,
            "applicant": applicant,
            "dyer": dyer,
        },
        "sales": sales,
        "waiting": waiting,
        "payout": weaver_payout.amount + weaver_payout.cash_settled,
        "admin": admin,
    }


def _row(rows, *labels):
    [found] = [
        row for row in rows if tuple(impact.label_text(x, "fa") for x in row.labels) == labels
    ]
    return found.counts


def test_the_figures_of_a_month(programme):
    shown = programme["shown"]
    earned = earned_by(programme["sales"]["weaver"]) + earned_by(programme["sales"]["tanner"])

    figures = impact_figures(Period.month(shown.year, shown.month, ZONE))

    totals = figures.totals
    assert (totals.registered, totals.approved, totals.selling, totals.earning) == (2, 2, 3, 2)
    assert totals.earned == earned
    assert totals.paid == programme["payout"] > 0
    assert (totals.orders, totals.parcels) == (4, 4)  # weaver, tanner, dyer, potter's waiting
    assert (figures.subsidies.granted, figures.subsidies.granted_amount) == (1, 5_000_000)
    assert (figures.subsidies.paid, figures.subsidies.paid_amount) == (1, 3_000_000)
    assert figures.trained == 30


def test_the_breakdowns_of_a_month(programme):
    shown = programme["shown"]
    weaver = earned_by(programme["sales"]["weaver"])
    tanner = earned_by(programme["sales"]["tanner"])

    figures = impact_figures(Period.month(shown.year, shown.month, ZONE))

    tollab = _row(figures.by_centre, "مرکز رویش طلاب")
    seyyedi = _row(figures.by_centre, "مرکز رویش سیدی")
    nowhere = _row(figures.by_centre, str(impact.NO_CENTRE))
    assert (tollab.registered, tollab.approved, tollab.selling, tollab.earning) == (1, 2, 1, 2)
    assert (tollab.earned, tollab.paid, tollab.orders) == (weaver + tanner, programme["payout"], 2)
    assert (seyyedi.registered, seyyedi.approved, seyyedi.selling, seyyedi.earning) == (0, 0, 2, 0)
    assert (seyyedi.earned, seyyedi.orders, seyyedi.parcels) == (0, 2, 2)
    assert (nowhere.registered, nowhere.approved, nowhere.selling, nowhere.orders) == (1, 0, 0, 0)

    x = _row(figures.by_cooperative, "تعاونی ایکس")
    no_cooperative = _row(figures.by_cooperative, str(impact.NO_COOPERATIVE))
    assert (x.registered, x.approved, x.earning, x.earned, x.orders) == (2, 1, 1, weaver, 1)
    assert (no_cooperative.earning, no_cooperative.earned) == (1, tanner)

    bushehr = _row(figures.by_city, "بوشهر")
    assert (bushehr.selling, bushehr.orders, bushehr.earned) == (1, 1, 0)
    assert _row(figures.by_neighbourhood, "سنگی", "بوشهر").orders == 1
    assert _row(figures.by_neighbourhood, "طلاب", "مشهد").earning == 2

    # what was sold: kilims (under carpets) by the weaver, tanner and dyer; a bowl ordered
    kilims = _row(figures.by_category, "فرش و زیرانداز")
    resin = _row(figures.by_category, "مصنوعات رزینی")
    shipping = _row(figures.by_category, str(impact.SHIPPING_ROW))
    assert (kilims.earning, kilims.orders, kilims.selling) == (2, 3, 2)  # weaver and dyer list
    assert (resin.orders, resin.earned, resin.selling) == (1, 0, 1)
    assert kilims.earned + shipping.earned == weaver + tanner
    assert kilims.paid is None and shipping.orders is None

    subsidies = {row.cooperative: row.subsidies for row in figures.subsidies_by_cooperative}
    x_subsidies, y_subsidies = subsidies["تعاونی ایکس"], subsidies["تعاونی ایگرگ"]
    assert (x_subsidies.granted, x_subsidies.granted_amount, x_subsidies.paid) == (1, 5_000_000, 0)
    assert (y_subsidies.granted, y_subsidies.paid, y_subsidies.paid_amount) == (0, 1, 3_000_000)

    funnel = {row.centre: (row.trained, row.selling, row.earning) for row in figures.funnel}
    assert funnel == {"مرکز رویش طلاب": (20, 1, 2), "مرکز رویش سیدی": (10, 2, 0)}


def test_every_breakdown_adds_up_to_the_total(programme):
    shown = programme["shown"]

    for period in (
        Period.month(shown.year, shown.month, ZONE),
        Period.months_back(3, utcnow(), ZONE),
        Period.year(shown.year, ZONE),
    ):
        figures = impact_figures(period)
        totals = figures.totals
        for rows in (
            figures.by_centre,
            figures.by_neighbourhood,
            figures.by_city,
            figures.by_cooperative,
        ):
            for name in (
                "registered",
                "approved",
                "selling",
                "earning",
                "earned",
                "paid",
                "parcels",
            ):
                assert sum(getattr(row.counts, name) for row in rows) == getattr(totals, name), name
            # every order here has one parcel, so orders add up too
            assert sum(row.counts.orders for row in rows) == totals.orders
        assert sum(row.counts.earned for row in figures.by_category) == totals.earned
        assert sum(row.registered for row in figures.trends) == totals.registered
        assert sum(row.earned for row in figures.trends) == totals.earned
        assert sum(row.orders for row in figures.trends) == totals.orders
        assert sum(row.trained for row in figures.funnel) == figures.trained


def test_the_month_before_and_the_trends(programme):
    shown, before = programme["shown"], programme["before"]
    potter = earned_by(programme["sales"]["potter"])

    figures = impact_figures(Period(before.first_day, shown.last_day, "range", ZONE))

    assert [row.month for row in figures.trends] == [before, shown]
    first, second = figures.trends
    assert (first.registered, first.earning, first.earned, first.orders) == (3, 1, potter, 1)
    assert (second.registered, second.earning, second.orders) == (2, 2, 4)
    assert figures.trained == 35
    leather = _row(figures.by_category, "چرم دست‌دوز")
    assert (leather.earning, leather.orders, leather.selling) == (1, 1, 1)


def test_a_month_without_anything(programme):
    future = Month.from_index(this_month().index + 1)

    figures = impact_figures(Period.month(future.year, future.month, ZONE))

    totals = figures.totals
    assert (totals.registered, totals.approved, totals.earning, totals.earned) == (0, 0, 0, 0)
    assert (totals.orders, totals.parcels, totals.paid, figures.trained) == (0, 0, 0, 0)
    assert totals.selling == 3  # selling is today's figure whatever the period


def test_an_order_from_two_centres_counts_once_in_each_and_once_in_all(factory):
    shown = months_ago(1)
    tollab, seyyedi = factory.centre(name="مرکز یک"), factory.centre(name="مرکز دو")
    first, second, third = (
        factory.producer(centre=tollab),
        factory.producer(centre=seyyedi),
        factory.producer(centre=seyyedi),
    )
    rug, bag, bowl = (
        factory.listing(first, price=100_000),
        factory.listing(second, price=200_000, category="leather"),
        factory.listing(third, price=300_000, category="leather"),
    )
    with transaction():
        order = orders.place_order(
            factory.user(), checkout({rug.id: 1, bag.id: 1, bowl.id: 2}, key="three-parcels")
        )
    placed_at(order, moment(shown, 4))

    figures = impact_figures(Period.month(shown.year, shown.month, ZONE))

    assert (figures.totals.orders, figures.totals.parcels) == (1, 3)
    assert (
        _row(figures.by_centre, "مرکز یک").orders,
        _row(figures.by_centre, "مرکز دو").orders,
    ) == (
        1,
        1,
    )
    assert (_row(figures.by_centre, "مرکز دو").parcels, _row(figures.by_city, "مشهد").orders) == (
        2,
        1,
    )
    leather = _row(figures.by_category, "چرم دست‌دوز")
    assert (leather.orders, leather.parcels) == (1, 2)
    assert figures.trends[0].orders == 1


def test_the_dashboard_runs_a_fixed_number_of_queries(programme, factory, count_queries):
    shown = programme["shown"]
    period = Period.year(shown.year, ZONE)
    with count_queries() as few:
        impact_figures(period)
    for _ in range(3):  # more producers, centres and sales
        producer = factory.producer(centre=factory.centre(name=f"مرکز {next(_keys)}"))
        cash_sale(factory, producer, moment(shown, 4))

    with count_queries() as more:
        impact_figures(period)

    assert more.count == few.count <= 25


# -- any programme: each figure against the raw rows -----------------------------------------


def expected_figures(period: Period) -> dict:
    """The figures computed here, from every row of producers, listings, orders, parcels and
    ledger entries, sorted into months with ``month_of``."""
    months = set(period.months)

    def inside(moment_) -> bool:
        return moment_ is not None and month_of(moment_, ZONE) in months

    producers = db.session.scalars(select(Producer)).all()
    categories = {c.id: c for c in db.session.scalars(select(Category))}

    def top(category_id):
        category = categories[category_id]
        return category.parent_id or category.id

    products = {p.id: p for p in db.session.scalars(select(Product))}
    listed = defaultdict(set)
    for product in products.values():
        if product.status is ProductStatus.ACTIVE:
            listed[product.producer_id].add(top(product.category_id))
    kinds = {t.id: t.kind for t in db.session.scalars(select(LedgerTransaction))}
    lines = {line.id: line for line in db.session.scalars(select(OrderLine))}
    earned, earned_by_category, paid = defaultdict(int), defaultdict(int), defaultdict(int)
    earned_by_month = defaultdict(int)
    entries = db.session.scalars(select(LedgerEntry)).all()
    for entry in entries:
        if not entry.account.startswith("producer:") or not inside(entry.created_at):
            continue
        owner = int(entry.account.split(":")[1])
        if entry.purpose in (Purpose.PRODUCER_SHARE, Purpose.SHIPPING) and kinds[
            entry.transaction_id
        ] in (TransactionKind.SALE, TransactionKind.REFUND):
            earned[owner] += entry.amount
            earned_by_month[(owner, month_of(entry.created_at, ZONE))] += entry.amount
            line = lines.get(entry.order_line_id)
            category = top(products[line.product_id].category_id) if line else None
            earned_by_category[(owner, category)] += entry.amount
        elif entry.purpose is Purpose.PAYOUT:
            paid[owner] -= entry.amount
    with_money = {e.parcel_id for e in entries if e.parcel_id is not None}
    on_its_way = (ParcelStatus.PREPARING, ParcelStatus.SHIPPED, ParcelStatus.DELIVERED)
    counted_parcels = [
        parcel
        for parcel in db.session.scalars(select(Parcel))
        if inside(parcel.order.placed_at)
        and (parcel.status in on_its_way or parcel.id in with_money)
    ]
    by_id = {p.id: p for p in producers}

    def rows(key) -> dict:
        found = defaultdict(lambda: defaultdict(int))
        for producer in producers:
            row = found[key(producer)]
            selling = producer.status is ProducerStatus.APPROVED and bool(listed[producer.id])
            row["registered"] += inside(producer.created_at)
            row["approved"] += inside(producer.approved_at)
            row["selling"] += selling
            row["earning"] += earned[producer.id] > 0
            row["earned"] += earned[producer.id]
            row["paid"] += paid[producer.id]
        orders_of = defaultdict(set)
        for parcel in counted_parcels:
            k = key(by_id[parcel.producer_id])
            found[k]["parcels"] += 1
            orders_of[k].add(parcel.order_id)
        for k, ids in orders_of.items():
            found[k]["orders"] = len(ids)
        return {k: dict(v) for k, v in found.items()}

    by_category = defaultdict(lambda: defaultdict(int))
    for producer in producers:
        for category in listed[producer.id]:
            row = by_category[category]
            row["registered"] += inside(producer.created_at)
            row["approved"] += inside(producer.approved_at)
            row["selling"] += producer.status is ProducerStatus.APPROVED
    for (_, category), amount in earned_by_category.items():
        row = by_category[category]
        row["earned"] += amount
        row["earning"] += amount > 0 and category is not None
    category_orders, category_parcels = defaultdict(set), defaultdict(set)
    for parcel in counted_parcels:
        for line in parcel.lines:
            category = top(products[line.product_id].category_id)
            category_orders[category].add(parcel.order_id)
            category_parcels[category].add(parcel.id)
    for category, ids in category_orders.items():
        by_category[category]["orders"] = len(ids)
        by_category[category]["parcels"] = len(category_parcels[category])

    trends = []
    for month in period.months:
        order_ids = {
            p.order_id for p in counted_parcels if month_of(p.order.placed_at, ZONE) == month
        }
        month_earnings = [a for (o, m), a in earned_by_month.items() if m == month]
        trends.append(
            (
                month,
                sum(month_of(p.created_at, ZONE) == month for p in producers),
                sum(amount > 0 for amount in month_earnings),
                sum(month_earnings),
                len(order_ids),
            )
        )
    return {
        "totals": rows(lambda p: None)[None],
        "centre": rows(lambda p: p.centre_id),
        "city": rows(lambda p: p.city),
        "neighbourhood": rows(lambda p: (p.city, p.neighbourhood)),
        "cooperative": rows(lambda p: p.cooperative_id),
        "category": {k: dict(v) for k, v in by_category.items()},
        "trends": trends,
    }


def _as_dict(counts, names) -> dict:
    return {name: getattr(counts, name) for name in names}


NAMES = ("registered", "approved", "selling", "earning", "earned", "paid", "orders", "parcels")


def assert_figures_match(figures, expected) -> None:
    def zeros(row: dict, names=NAMES) -> dict:
        return {name: row.get(name, 0) for name in names}

    assert _as_dict(figures.totals, NAMES) == zeros(expected["totals"])
    for dimension, rows in (
        ("centre", figures.by_centre),
        ("city", figures.by_city),
        ("neighbourhood", figures.by_neighbourhood),
        ("cooperative", figures.by_cooperative),
    ):
        got = {row.key: _as_dict(row.counts, NAMES) for row in rows}
        want = {k: zeros(v) for k, v in expected[dimension].items()}
        # rows the page shows with nothing in them (a centre without producers) are all zero
        assert {k: v for k, v in got.items() if any(v.values()) or k in want} == want, dimension
    category_names = ("registered", "approved", "selling", "earning", "earned", "orders", "parcels")
    got = {}
    for row in figures.by_category:
        values = _as_dict(row.counts, category_names)
        got[row.key] = {k: v for k, v in values.items() if v is not None}
    for key, values in got.items():
        want = expected["category"].get(key, {})
        assert values == {name: want.get(name, 0) for name in values}, key
    assert [
        (row.month, row.registered, row.earning, row.earned, row.orders) for row in figures.trends
    ] == expected["trends"]


def test_the_hand_built_programme_matches_the_raw_rows(programme):
    shown = programme["shown"]
    for period in (
        Period.month(shown.year, shown.month, ZONE),
        Period(programme["before"].first_day, shown.last_day, "range", ZONE),
    ):
        assert_figures_match(impact_figures(period), expected_figures(period))


action = st.tuples(
    st.sampled_from(
        [
            "cash",
            "online",
            "refund",
            "cancel",
            "paid_cancel",
            "unpaid",
            "wait",
            "cart",
            "payout",
            "pause",
        ]
    ),
    st.integers(0, 3),  # months ago
    st.integers(1, 31),  # day of that month (the last days test the month's edge)
    st.integers(0, 23),  # hour
    st.integers(0, 10),  # which producer
)
producer_spec = st.tuples(
    st.integers(0, 2),  # centre: ours 1, ours 2, none
    st.integers(0, 2),  # cooperative: ours 1, ours 2, none
    st.integers(0, 4),  # registered months ago
    st.booleans(),  # approved
    st.sampled_from(["kilim", "leather", "garments"]),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(producer_spec, min_size=1, max_size=4),
    st.lists(action, min_size=1, max_size=7),
    st.sampled_from(["month", "season", "year", "months"]),
    st.integers(0, 3),
)
def test_every_figure_equals_the_raw_rows(app, factory, gateway, specs, actions, kind, months_back):
    # the database lives across examples: each one adds centres and cooperatives of its own,
    # and the figures are compared with everything the database holds by then
    app.config["SHOP_PAYOUT_MINIMUM"] = 1
    n = next(_keys)
    centres = [factory.centre(name=f"مرکز آزمون {n}-{i}") for i in range(2)] + [None]
    cooperatives = [factory.cooperative(name=f"تعاونی آزمون {n}-{i}") for i in range(2)] + [None]
    made = []
    for centre, cooperative, registered, approved, category in specs:
        producer = factory.producer(
            centre=centres[centre], cooperative=cooperatives[cooperative], approved=approved
        )
        when = moment(months_ago(registered), 1 + registered * 7)
        producer = set_producer(
            producer,
            created_at=when,
            approved_at=when + timedelta(days=1) if approved else None,
            city=random.Random(n).choice(["مشهد", "بوشهر"]),
        )
        if approved:
            with_sheba(producer)
            factory.listing(producer, category=category, active=True)
        made.append(producer)
    sellers = [p for p in made if p.status is ProducerStatus.APPROVED]
    sold: list = []
    admin = factory.user()
    for what, ago, day, hour, which in actions:
        month = months_ago(ago)
        when = min(moment(month, 1, 0) + timedelta(days=day - 1, hours=hour), utcnow())
        if month_of(when, ZONE) != month:
            when = moment(month, 1, hour)
        if what in ("cash", "online", "wait", "paid_cancel", "unpaid") and sellers:
            producer = sellers[which % len(sellers)]
            if what == "cash":
                sold.append(cash_sale(factory, producer, when, price=100_000 + 1_000 * day))
            elif what == "online":
                sold.append(online_sale(factory, producer, when, price=500_000 + 1_000 * hour))
            elif what == "paid_cancel":
                paid_then_cancelled(factory, producer, when)
            elif what == "unpaid":  # waiting for an online payment: not an order yet
                listing = factory.listing(producer, price=130_000, stock=5)
                placed_at(place(factory, listing, payment_method="zarinpal"), when)
            else:
                listing = factory.listing(producer, price=150_000, stock=5)
                placed_at(place(factory, listing), when)
        elif what == "cart" and len(sellers) > 1:  # one order, two producers' parcels
            pair = [sellers[which % len(sellers)], sellers[(which + 1) % len(sellers)]]
            listings = [factory.listing(p, price=110_000 + 1_000 * hour) for p in pair]
            with transaction():
                order = orders.place_order(
                    factory.user(),
                    checkout({x.id: 1 for x in listings}, key=f"cart{next(_keys)}"),
                )
            with dated(when), transaction():  # the first is delivered and paid at the door
                parcel = db.session.get(Order, order.id).parcels[0]
                orders.ship_parcel(parcel.producer, parcel, "پست", "1")
                orders.deliver_parcel(parcel.producer, parcel, cash_received=True)
            sold.append(placed_at(order, when))
        elif what == "refund" and sold:
            order = reload(sold[which % len(sold)])
            payment = next((p for p in order.payments if p.captured_at), None)
            left = payment.amount - refunds.refunded_so_far(payment) if payment else 0
            if left > 0:
                with dated(when):
                    refunds.refund_payment(payment.id, max(1, left // 2), f"h{next(_keys)}")
        elif what == "cancel" and sellers:
            listing = factory.listing(sellers[which % len(sellers)], price=120_000, stock=5)
            order = place(factory, listing)
            with transaction():
                parcel = db.session.get(Order, order.id).parcels[0]
                orders.cancel_parcel(parcel.order.buyer, parcel)
            placed_at(order, when)
        elif what == "payout":
            try:
                with transaction(), dated(when):
                    batch = payouts.run_batch(admin, minimum=1)
                    payouts.confirm_batch(batch.id, admin, batch.total)
            except payouts.NothingToPay:
                pass
        elif what == "pause" and sellers:
            with transaction():
                db.session.execute(
                    update(Product)
                    .where(Product.producer_id == sellers[which % len(sellers)].id)
                    .values(status=ProductStatus.PAUSED)
                )

    now = utcnow()
    month = months_ago(months_back)
    period = {
        "month": Period.month(month.year, month.month, ZONE),
        "season": Period.season(month.year, month.season, ZONE),
        "year": Period.year(month.year, ZONE),
        "months": Period.months_back(months_back + 1, now, ZONE),
    }[kind]
    assert_figures_match(impact_figures(period), expected_figures(period))
