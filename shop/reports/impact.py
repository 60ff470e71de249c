"""The programme's impact figures: what the shop did for the people its centres trained.

Every figure is read from the rows that record it — producers, listings, orders and parcels,
the ledger, subsidy applications and the training figures admins enter — in about a dozen
grouped statements whose number does not grow with the data: never one per producer, centre
or month. The ledger's entries and the parcels are each read once (a materialised CTE) and
grouped for every breakdown in that same statement. What is counted:

* **registered**: producers whose shop was created in the period (``created_at``).
* **approved**: producers whose ``approved_at`` is in the period.
* **selling**: approved producers with at least one *active* listing **now**. The shop keeps
  no history of listings, so this is always today's figure, whatever the period.
* **earning**: producers whose net earnings in the period are above zero. Earnings are the
  ``producer_share`` and ``shipping`` entries on the producer's ledger account from sale and
  refund transactions (so a refund takes back what its sale gave).
* **income earned**: the sum of those entries. **Income paid out**: minus the sum of the
  ``payout`` entries on producers' accounts in the period — what payouts settled: the money
  sent to their bank accounts plus the cash on delivery they had collected themselves.
* **parcels**: parcels of orders placed in the period that went ahead — being prepared,
  shipped or delivered (paid, or cash on delivery to be paid at the door), or called off
  after their money was taken (the ledger names them). **orders**: orders with at least one
  such parcel. Orders still waiting for an online payment, expired ones and those called off
  before any payment are not counted.
* **subsidies granted**: applications approved or paid whose decision (``decided_at``) is in
  the period, as a count and the sum of ``approved_amount``; **paid**: applications paid whose
  ``paid_at`` is in the period.
* **trained**: the sum of the training figures for the period's months (entered per centre
  and Jalali month; a period of a few days counts its whole months).

Breakdowns use where each producer is *now*: their centre (or none), neighbourhood, city and
cooperative (or none). An order with parcels from producers of two centres counts once in
each, so orders by centre can add up to more than all orders; parcels add up exactly. By craft
category (the top-level category of a listing): earnings and orders by the category of what was
sold (shipping has no category and is a row of its own); producers by the categories of their
active listings now, so a producer with listings in two categories counts in both. Payouts
belong to no category. Subsidies are granted to cooperatives, so they are broken down by
cooperative only.

Trends give, per Jalali month of the period, producers registered, producers earning that
month, income earned and orders placed; each is grouped by month in SQL (``month_index``).

``impact_sheets`` turns the figures into the page's tables, which are also the CSV and XLSX
exports; the public page (``public_figures``) shows a few of the same figures per city and
centre, with no names of people or shops and no amount that is one producer's.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, null, or_, select, text, true, union_all

from shop.accounts.models import Role, User, UserRole
from shop.catalog.models import Category
from shop.cooperatives.models import Centre, Cooperative
from shop.extensions import db
from shop.ledger.chart import month_name
from shop.ledger.models import (
    LedgerEntry,
    Purpose,
    account_owner,
)
from shop.listings.models import Product, ProductStatus
from shop.money import get_currency, to_persian_digits
from shop.orders.models import Order, OrderLine, Parcel, ParcelStatus
from shop.producers.models import Producer, ProducerStatus
from shop.reports.exports import Money, Sheet
from shop.reports.models import TrainingRecord
from shop.reports.periods import Month, Period, month_index, month_of
from shop.subsidies.models import SubsidyApplication, SubsidyStatus

#: Parcels that went ahead, paid or (cash on delivery) to be paid at the door.
ON_ITS_WAY = (ParcelStatus.PREPARING, ParcelStatus.SHIPPED, ParcelStatus.DELIVERED)
EARNINGS = (Purpose.PRODUCER_SHARE, Purpose.SHIPPING)
#: The public page shows an amount only where at least this many producers earned it, so
#: that no one producer's income can be read from it.
PUBLIC_MIN_EARNING = 3

NO_CENTRE = _l("No centre")
NO_COOPERATIVE = _l("No cooperative")
NO_NEIGHBOURHOOD = _l("Not given")
SHIPPING_ROW = _l("Shipping (no category)")


# -- the figures ------------------------------------------------------------------------------


@dataclass
class Counts:
    """One row of a breakdown. ``None`` where a figure does not apply to the row."""

    registered: int | None = 0
    approved: int | None = 0
    selling: int | None = 0
    earning: int | None = 0
    #: Minor units.
    earned: int | None = 0
    paid: int | None = 0
    orders: int | None = 0
    parcels: int | None = 0


@dataclass(frozen=True)
class CategoryName:
    name_fa: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_fa if language == "fa" else self.name_en


@dataclass
class Row:
    #: What the row is, one value per label column: a name people gave (a centre's, a
    #: city's), a ``CategoryName``, or a translatable label (``NO_CENTRE``…).
    labels: tuple
    counts: Counts
    #: The centre's or cooperative's id, the city… the row is for.
    key: object = None


@dataclass
class Subsidies:
    granted: int = 0
    granted_amount: int = 0
    paid: int = 0
    paid_amount: int = 0


@dataclass
class SubsidyRow:
    cooperative: str
    subsidies: Subsidies


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` as a percentage to two decimals; none of a ``whole`` of 0."""

    part: int
    whole: int

    @property
    def basis_points(self) -> int | None:
        if self.whole <= 0:
            return None
        return (self.part * 20_000 + self.whole) // (2 * self.whole)

    def __str__(self) -> str:  # as the exports write it
        bp = self.basis_points
        if bp is None:
            return ""
        whole, rest = divmod(bp, 100)
        return str(whole) + (f".{rest:02d}".rstrip("0") if rest else "") + "%"


@dataclass
class FunnelRow:
    centre: str
    trained: int
    selling: int
    earning: int


@dataclass
class TrendRow:
    month: Month
    registered: int = 0
    earning: int = 0
    earned: int = 0
    orders: int = 0


@dataclass
class ImpactFigures:
    period: Period
    totals: Counts
    trained: int
    subsidies: Subsidies
    by_centre: list[Row]
    by_neighbourhood: list[Row]
    by_city: list[Row]
    by_cooperative: list[Row]
    by_category: list[Row]
    subsidies_by_cooperative: list[SubsidyRow]
    funnel: list[FunnelRow]
    trends: list[TrendRow]


# -- reading the rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    """From ``since`` (included) to ``until`` (excluded); ``None`` is open-ended."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def of(cls, period: Period) -> _Window:
        return cls(period.starts_at, period.ends_at)

    def holds(self, column):
        conditions = [true()]
        if self.since is not None:
            conditions.append(column >= self.since)
        if self.until is not None:
            conditions.append(column < self.until)
        return and_(*conditions)


@dataclass
class _Producer:
    id: int
    centre_id: int | None
    city: str
    neighbourhood: str
    cooperative_id: int | None
    is_approved: bool
    registered: bool
    approved: bool
    categories: set = field(default_factory=set)
    earned: int = 0
    #: Net earnings per top-level category (None: shipping).
    earned_by_category: dict = field(default_factory=dict)
    paid: int = 0

    @property
    def is_selling(self) -> bool:
        return self.is_approved and bool(self.categories)


def _without_jit() -> None:
    """PostgreSQL compiles a query it expects to be costly to machine code before running it
    (JIT). For these scans the compiling takes longer (most of a second) than it saves, so it
    is turned off for the rest of this (read-only) transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def top_category():
    """SQL: the top-level category of ``Category`` (the tree has two levels)."""
    return func.coalesce(Category.parent_id, Category.id)


def _producers(window: _Window) -> dict[int, _Producer]:
    """Every producer, with whether they registered and were approved in ``window``."""
    registered = case((window.holds(Producer.created_at), 1), else_=0)
    approved = case(
        (and_(Producer.approved_at.is_not(None), window.holds(Producer.approved_at)), 1), else_=0
    )
    rows = db.session.execute(
        select(
            Producer.id,
            Producer.centre_id,
            Producer.city,
            Producer.neighbourhood,
            Producer.cooperative_id,
            Producer.status,
            registered,
            approved,
        )
    ).all()
    return {
        row[0]: _Producer(
            id=row[0],
            centre_id=row[1],
            city=row[2],
            neighbourhood=row[3] or "",
            cooperative_id=row[4],
            is_approved=row[5] is ProducerStatus.APPROVED,
            registered=bool(row[6]),
            approved=bool(row[7]),
        )
        for row in rows
    }


def _add_active_categories(producers: dict[int, _Producer]) -> None:
    """Each producer's top-level categories of their active listings, now."""
    rows = db.session.execute(
        select(Product.producer_id, top_category())
        .join(Category, Product.category_id == Category.id)
        .where(Product.status == ProductStatus.ACTIVE)
        .distinct()
    ).all()
    for producer_id, category_id in rows:
        if producer_id in producers:
            producers[producer_id].categories.add(category_id)


def _producer_of(account: str, producers: dict[int, _Producer]) -> _Producer:
    owner = account_owner(account)
    if owner not in producers:  # an account without its producer row: still counted
        producers[owner] = _Producer(owner, None, "", "", None, False, False, False)
    return producers[owner]


def _month_of(column, period: Period | None):
    """SQL: the position of ``column``'s month in ``period`` (0 without a period)."""
    return month_index(column, period) if period is not None else literal(0)


def _add_earnings(
    producers: dict[int, _Producer], window: _Window, period: Period | None = None
) -> dict[int, tuple[int, int]]:
    """Net earnings in ``window`` per producer and top-level category of what was sold, added
    to ``producers``; returns, per month of ``period``, (producers earning, income earned).

    One statement: the entries are read once (a materialised CTE) and grouped twice.
    Shipping has no category: its part is under the category None."""
    entries = (
        select(
            LedgerEntry.account.label("account"),
            LedgerEntry.amount.label("amount"),
            _month_of(LedgerEntry.created_at, period).label("month"),
            OrderLine.product_id.label("product_id"),
        )
        .outerjoin(OrderLine, LedgerEntry.order_line_id == OrderLine.id)
        .where(
            # Only sales and refunds post these purposes to a producer's account (payouts
            # post ``payout``, cash ``cash``), so no join to the transactions is needed; the
            # entries are found by purpose and time (ix_ledger_entries_purpose_created_at).
            LedgerEntry.account.like("producer:%"),
            LedgerEntry.purpose.in_(EARNINGS),
            window.holds(LedgerEntry.created_at),
        )
        .cte("earnings")
        .prefix_with("MATERIALIZED")
    )
    monthly = (
        select(entries.c.month, func.sum(entries.c.amount).label("net"))
        .group_by(entries.c.month, entries.c.account)
        .subquery()
    )
    # by listing first: the categories are joined to thousands of sums, not to every entry
    by_product = (
        select(
            entries.c.account,
            entries.c.product_id,
            func.sum(entries.c.amount).label("amount"),
        )
        .group_by(entries.c.account, entries.c.product_id)
        .subquery()
    )
    rows = db.session.execute(
        union_all(
            select(
                literal(1).label("part"),
                by_product.c.account,
                top_category(),
                func.sum(by_product.c.amount),
                null(),
            )
            .select_from(by_product)
            .outerjoin(Product, by_product.c.product_id == Product.id)
            .outerjoin(Category, Product.category_id == Category.id)
            .group_by(by_product.c.account, top_category()),
            select(
                literal(2),
                null(),
                monthly.c.month,
                func.sum(monthly.c.net),
                func.sum(case((monthly.c.net > 0, 1), else_=0)),
            ).group_by(monthly.c.month),
        )
    ).all()
    months = {}
    for part, account, key, amount, earning in rows:
        if part == 1:
            producer = _producer_of(account, producers)
            producer.earned += int(amount)
            producer.earned_by_category[key] = int(amount)
        else:
            months[int(key)] = (int(earning), int(amount))
    return months


def _add_payouts(producers: dict[int, _Producer], window: _Window) -> None:
    rows = db.session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(
            LedgerEntry.account.like("producer:%"),
            LedgerEntry.purpose == Purpose.PAYOUT,
            window.holds(LedgerEntry.created_at),
        )
        .group_by(LedgerEntry.account)
    ).all()
    for account, amount in rows:
        _producer_of(account, producers).paid = -int(amount)


@dataclass
class _Orders:
    """Orders and parcels that count (see the module's docstring): (orders, parcels) per key."""

    total: tuple[int, int] = (0, 0)
    by_centre: dict = field(default_factory=dict)
    by_place: dict = field(default_factory=dict)
    by_city: dict = field(default_factory=dict)
    by_cooperative: dict = field(default_factory=dict)
    by_category: dict = field(default_factory=dict)
    by_month: dict = field(default_factory=dict)


#: The parts of ``_orders``'s one statement, and the ``_Orders`` field each fills.
_ORDER_PARTS = {
    0: "total",
    1: "by_centre",
    2: "by_place",
    3: "by_city",
    4: "by_cooperative",
    5: "by_category",
    6: "by_month",
}


def _orders(window: _Window, period: Period | None = None, parts=tuple(_ORDER_PARTS)) -> _Orders:
    """Orders placed in ``window`` that went ahead and their parcels, by where their producers
    are, by category of what was bought and by month of ``period``.

    A parcel counts when it is being prepared, shipped or delivered, or when money was taken
    for it (the ledger names it: so also one called off after payment); an order counts when
    one of its parcels does. So orders waiting for an online payment, expired ones and those
    called off before payment do not. (Parcels, not orders, carry the test: an order's own
    status would mean reading every order's row, where its time alone is in an index.)

    One statement: the parcels that count are found once (a materialised CTE) and grouped once
    per breakdown asked for (``parts``, numbers of ``_ORDER_PARTS``).
    """
    parcel_paid = select(LedgerEntry.id).where(LedgerEntry.parcel_id == Parcel.id).exists()
    counted = (
        select(
            Parcel.id.label("parcel_id"),
            Parcel.order_id.label("order_id"),
            Parcel.producer_id.label("producer_id"),
            _month_of(Order.placed_at, period).label("month"),
        )
        .join(Order, Parcel.order_id == Order.id)
        .where(
            window.holds(Order.placed_at),
            # CASE rather than OR, so that the ledger is read only when the status says no
            case((Parcel.status.in_(ON_ITS_WAY), True), else_=parcel_paid),
        )
        .cte("counted")
        .prefix_with("MATERIALIZED")
    )

    def part(number, keys=(), joins=(), per_line=False):
        """(number, id key, text key, second text key, orders, parcels) per value of
        ``keys`` — (label, column) of "id", "text" or "text2". Grouped by order first and
        then by key, rather than counting distinct orders, which would sort every row."""
        rows = select(*(column.label(label) for label, column in keys), counted.c.order_id)
        rows = rows.add_columns(counted.c.parcel_id).select_from(counted)
        for target, on in joins:
            rows = rows.join(target, on)
        if per_line:  # one row per order line: each parcel once per key
            rows = rows.distinct()
        rows = rows.subquery()
        labels = [rows.c[label] for label, _ in keys]
        per_order = (
            select(*labels, func.count().label("parcels"))
            .select_from(rows)
            .group_by(*labels, rows.c.order_id)
            .subquery()
        )
        grouped = {label: per_order.c[label] for label, _ in keys}
        query = select(
            literal(number),
            grouped.get("id", null()),
            grouped.get("text", null()),
            grouped.get("text2", null()),
            func.count(),
            func.sum(per_order.c.parcels),
        )
        return query.group_by(*grouped.values()) if grouped else query

    producer = ((Producer, Producer.id == counted.c.producer_id),)
    queries = {
        0: lambda: part(0),
        1: lambda: part(1, [("id", Producer.centre_id)], producer),
        2: lambda: part(2, [("text", Producer.city), ("text2", Producer.neighbourhood)], producer),
        3: lambda: part(3, [("text", Producer.city)], producer),
        4: lambda: part(4, [("id", Producer.cooperative_id)], producer),
        5: lambda: part(
            5,
            [("id", top_category())],
            (
                (OrderLine, OrderLine.parcel_id == counted.c.parcel_id),
                (Product, OrderLine.product_id == Product.id),
                (Category, Product.category_id == Category.id),
            ),
            per_line=True,
        ),
        6: lambda: part(6, [("id", counted.c.month)]),
    }
    rows = db.session.execute(union_all(*(queries[number]() for number in parts))).all()
    found = _Orders()
    for number, number_key, text_key, second_text, order_count, parcel_count in rows:
        values = (int(order_count), int(parcel_count or 0))
        if number == 0:
            found.total = values
        elif number == 2:
            found.by_place[(text_key, second_text)] = values
        elif number == 3:
            found.by_city[text_key] = values
        else:
            getattr(found, _ORDER_PARTS[number])[number_key] = values
    return found


def _trained(period: Period) -> dict[int, int]:
    first, last = period.months[0].index, period.months[-1].index
    position = TrainingRecord.jalali_year * 12 + TrainingRecord.jalali_month - 1
    rows = db.session.execute(
        select(TrainingRecord.centre_id, func.sum(TrainingRecord.trained))
        .where(position >= first, position <= last)
        .group_by(TrainingRecord.centre_id)
    ).all()
    return {centre_id: int(trained) for centre_id, trained in rows}


def _subsidies(window: _Window) -> dict[int, Subsidies]:
    granted = and_(
        SubsidyApplication.status.in_((SubsidyStatus.APPROVED, SubsidyStatus.PAID)),
        SubsidyApplication.decided_at.is_not(None),
        window.holds(SubsidyApplication.decided_at),
    )
    paid = and_(
        SubsidyApplication.status == SubsidyStatus.PAID,
        SubsidyApplication.paid_at.is_not(None),
        window.holds(SubsidyApplication.paid_at),
    )
    amount = func.coalesce(SubsidyApplication.approved_amount, 0)
    rows = db.session.execute(
        select(
            SubsidyApplication.cooperative_id,
            func.sum(case((granted, 1), else_=0)),
            func.sum(case((granted, amount), else_=0)),
            func.sum(case((paid, 1), else_=0)),
            func.sum(case((paid, amount), else_=0)),
        )
        .where(or_(granted, paid))
        .group_by(SubsidyApplication.cooperative_id)
    ).all()
    return {row[0]: Subsidies(*(int(value) for value in row[1:])) for row in rows}


def _registered_by_month(period: Period) -> dict[int, int]:
    window = _Window.of(period)
    inner = (
        select(month_index(Producer.created_at, period).label("month"))
        .where(window.holds(Producer.created_at))
        .subquery()
    )
    rows = db.session.execute(select(inner.c.month, func.count()).group_by(inner.c.month)).all()
    return {int(month): int(number) for month, number in rows}


def _trends(period: Period, earnings: dict, orders: _Orders) -> list[TrendRow]:
    registered = _registered_by_month(period)
    trends = []
    for index, month in enumerate(period.months):
        earning, earned = earnings.get(index, (0, 0))
        trends.append(
            TrendRow(
                month,
                registered=registered.get(index, 0),
                earning=earning,
                earned=earned,
                orders=orders.by_month.get(index, (0, 0))[0],
            )
        )
    return trends


def _count_into(counts: Counts, producer: _Producer) -> None:
    counts.registered += producer.registered
    counts.approved += producer.approved
    counts.selling += producer.is_selling
    counts.earning += producer.earned > 0
    counts.earned += producer.earned
    counts.paid += producer.paid


def _rows(producers, key, labels: dict, orders: dict) -> list[Row]:
    """One row per key of ``labels`` (in that order), then any key producers have that
    ``labels`` lacks."""
    counts: dict = {k: Counts() for k in labels}
    for producer in producers.values():
        _count_into(counts.setdefault(key(producer), Counts()), producer)
    for k, (order_count, parcel_count) in orders.items():
        row = counts.setdefault(k, Counts())
        row.orders, row.parcels = order_count, parcel_count
    return [
        Row(labels.get(k) or (k if isinstance(k, tuple) else (k,)), c, k) for k, c in counts.items()
    ]


def _category_rows(producers, categories: list[Category], orders: dict) -> list[Row]:
    rows = []
    for category in categories:
        counts = Counts()
        for producer in producers.values():
            listed = category.id in producer.categories
            counts.registered += producer.registered and listed
            counts.approved += producer.approved and listed
            counts.selling += producer.is_approved and listed
            earned = producer.earned_by_category.get(category.id, 0)
            counts.earning += earned > 0
            counts.earned += earned
        counts.paid = None
        counts.orders, counts.parcels = orders.get(category.id, (0, 0))
        rows.append(Row((CategoryName(category.name_fa, category.name_en),), counts, category.id))
    shipping = Counts(None, None, None, None, 0, None, None, None)
    shipping.earned = sum(p.earned_by_category.get(None, 0) for p in producers.values())
    rows.append(Row((SHIPPING_ROW,), shipping))
    return rows


def _sorted_names(values) -> list:
    return sorted(values, key=lambda value: (value == "", value))


def impact_figures(period: Period) -> ImpactFigures:
    """Every figure of the dashboard for ``period``."""
    _without_jit()
    window = _Window.of(period)
    producers = _producers(window)
    _add_active_categories(producers)
    earnings = _add_earnings(producers, window, period)
    _add_payouts(producers, window)
    orders = _orders(window, period)

    totals = Counts()
    for producer in producers.values():
        _count_into(totals, producer)
    totals.orders, totals.parcels = orders.total

    centres = db.session.execute(select(Centre.id, Centre.name).order_by(Centre.name)).all()
    cooperatives = db.session.execute(
        select(Cooperative.id, Cooperative.name).order_by(Cooperative.name)
    ).all()
    categories = db.session.scalars(
        select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    ).all()

    centre_labels = {centre_id: (name,) for centre_id, name in centres} | {None: (NO_CENTRE,)}
    by_centre = _rows(
        producers,
        lambda p: p.centre_id,
        centre_labels,
        orders.by_centre,
    )
    places = {(p.city, p.neighbourhood) for p in producers.values()}
    by_neighbourhood = _rows(
        producers,
        lambda p: (p.city, p.neighbourhood),
        {
            (city, hood): (hood or NO_NEIGHBOURHOOD, city)
            for city, hood in sorted(places, key=lambda place: (place[0], place[1] == "", place[1]))
        },
        orders.by_place,
    )
    by_city = _rows(
        producers,
        lambda p: p.city,
        {city: (city,) for city in _sorted_names({p.city for p in producers.values()})},
        orders.by_city,
    )
    cooperative_labels = {coop_id: (name,) for coop_id, name in cooperatives} | {
        None: (NO_COOPERATIVE,)
    }
    by_cooperative = _rows(
        producers,
        lambda p: p.cooperative_id,
        cooperative_labels,
        orders.by_cooperative,
    )
    by_category = _category_rows(producers, categories, orders.by_category)

    granted = _subsidies(window)
    subsidies_by_cooperative = [
        SubsidyRow(name, granted.get(coop_id, Subsidies())) for coop_id, name in cooperatives
    ]
    subsidies = Subsidies(
        *(
            sum(getattr(row.subsidies, f.name) for row in subsidies_by_cooperative)
            for f in fields(Subsidies)
        )
    )

    trained = _trained(period)
    centre_counts = {row.key: row.counts for row in by_centre}
    funnel = [
        FunnelRow(
            name,
            trained.get(centre_id, 0),
            centre_counts[centre_id].selling,
            centre_counts[centre_id].earning,
        )
        for centre_id, name in centres
    ]
    return ImpactFigures(
        period=period,
        totals=totals,
        trained=sum(trained.values()),
        subsidies=subsidies,
        by_centre=by_centre,
        by_neighbourhood=by_neighbourhood,
        by_city=by_city,
        by_cooperative=by_cooperative,
        by_category=by_category,
        subsidies_by_cooperative=subsidies_by_cooperative,
        funnel=funnel,
        trends=_trends(period, earnings, orders),
    )


# -- the page's tables, which are also the exports --------------------------------------------


def label_text(label, language: str) -> str:
    if isinstance(label, CategoryName):
        return label.name(language)
    return str(label)


def month_label(month: Month, language: str) -> str:
    year = to_persian_digits(str(month.year)) if language == "fa" else str(month.year)
    return f"{month_name(month.month, language)} {year}"


def _unit(language: str) -> str:
    currency = get_currency(current_app.config["SHOP_CURRENCY"])
    return currency.name_fa if language == "fa" else currency.name_en


def _money(amount: int | None):
    return None if amount is None else Money(amount)


def _count_headers(unit: str, paid: bool = True) -> list[str]:
    headers = [
        _("Registered"),
        _("Approved"),
        _("Selling now"),
        _("Earning"),
        _("Income earned (%(unit)s)", unit=unit),
    ]
    if paid:
        headers.append(_("Income paid out (%(unit)s)", unit=unit))
    return [*headers, _("Orders"), _("Parcels")]


def _count_cells(counts: Counts, paid: bool = True) -> list:
    cells = [
        counts.registered,
        counts.approved,
        counts.selling,
        counts.earning,
        _money(counts.earned),
    ]
    if paid:
        cells.append(_money(counts.paid))
    return [*cells, counts.orders, counts.parcels]


def _breakdown(title, label_headers, rows: list[Row], totals: Counts, language, unit, paid=True):
    return Sheet(
        title=title,
        headers=[*label_headers, *_count_headers(unit, paid)],
        rows=[
            [
                *(label_text(label, language) for label in row.labels),
                *_count_cells(row.counts, paid),
            ]
            for row in rows
        ],
        totals=[_("All"), *([""] * (len(label_headers) - 1)), *_count_cells(totals, paid)],
    )


def impact_sheets(figures: ImpactFigures, language: str) -> list[Sheet]:
    """The dashboard's tables, in ``language``: what the page shows and the exports write."""
    with force_locale(language):
        return _sheets(figures, language)


def _sheets(figures: ImpactFigures, language: str) -> list[Sheet]:
    unit = _unit(language)
    totals, subsidies = figures.totals, figures.subsidies
    summary = Sheet(
        title=_("Summary"),
        headers=[_("Figure"), _("Value")],
        rows=[
            [_("Producers registered"), totals.registered],
            [_("Producers approved"), totals.approved],
            [_("Producers selling now"), totals.selling],
            [_("Producers earning"), totals.earning],
            [_("Income earned by producers (%(unit)s)", unit=unit), Money(totals.earned)],
            [_("Income paid out to producers (%(unit)s)", unit=unit), Money(totals.paid)],
            [_("Orders"), totals.orders],
            [_("Parcels"), totals.parcels],
            [_("Subsidies granted"), subsidies.granted],
            [_("Subsidies granted (%(unit)s)", unit=unit), Money(subsidies.granted_amount)],
            [_("Subsidies paid"), subsidies.paid],
            [_("Subsidies paid (%(unit)s)", unit=unit), Money(subsidies.paid_amount)],
            [_("People trained"), figures.trained],
        ],
    )
    funnel_totals = FunnelRow(
        _("All centres"),
        sum(row.trained for row in figures.funnel),
        sum(row.selling for row in figures.funnel),
        sum(row.earning for row in figures.funnel),
    )
    funnel = Sheet(
        title=_("Trained, selling, earning"),
        headers=[
            _("Centre"),
            _("Trained"),
            _("Selling now"),
            _("Selling, share of trained"),
            _("Earning"),
            _("Earning, share of trained"),
        ],
        rows=[_funnel_cells(row) for row in figures.funnel],
        totals=_funnel_cells(funnel_totals),
    )
    trends = Sheet(
        title=_("Month by month"),
        headers=[
            _("Month"),
            _("Producers registered"),
            _("Producers earning"),
            _("Income earned (%(unit)s)", unit=unit),
            _("Orders"),
        ],
        rows=[
            [
                month_label(row.month, language),
                row.registered,
                row.earning,
                Money(row.earned),
                row.orders,
            ]
            for row in figures.trends
        ],
    )
    subsidy_sheet = Sheet(
        title=_("Subsidies by cooperative"),
        headers=[
            _("Cooperative"),
            _("Subsidies granted"),
            _("Granted (%(unit)s)", unit=unit),
            _("Subsidies paid"),
            _("Paid (%(unit)s)", unit=unit),
        ],
        rows=[
            _subsidy_cells(row.cooperative, row.subsidies)
            for row in figures.subsidies_by_cooperative
        ],
        totals=_subsidy_cells(_("All"), subsidies),
    )
    return [
        summary,
        funnel,
        _breakdown(_("By centre"), [_("Centre")], figures.by_centre, totals, language, unit),
        _breakdown(
            _("By neighbourhood"),
            [_("Neighbourhood"), _("City")],
            figures.by_neighbourhood,
            totals,
            language,
            unit,
        ),
        _breakdown(_("By city"), [_("City")], figures.by_city, totals, language, unit),
        _breakdown(
            _("By cooperative"), [_("Cooperative")], figures.by_cooperative, totals, language, unit
        ),
        _breakdown(
            _("By craft category"),
            [_("Craft category")],
            figures.by_category,
            totals,
            language,
            unit,
            paid=False,
        ),
        subsidy_sheet,
        trends,
    ]


def _funnel_cells(row: FunnelRow) -> list:
    return [
        row.centre,
        row.trained,
        row.selling,
        Share(row.selling, row.trained),
        row.earning,
        Share(row.earning, row.trained),
    ]


def _subsidy_cells(name: str, subsidies: Subsidies) -> list:
    return [
        name,
        subsidies.granted,
        Money(subsidies.granted_amount),
        subsidies.paid,
        Money(subsidies.paid_amount),
    ]


# -- the public page ---------------------------------------------------------------------------


@dataclass
class PublicCounts:
    selling: int = 0
    earning_year: int = 0
    earning_all: int = 0
    earned_year: int = 0
    earned_all: int = 0
    orders_year: int = 0
    orders_all: int = 0

    @property
    def shows_year_amount(self) -> bool:
        return self.earning_year >= PUBLIC_MIN_EARNING

    @property
    def shows_all_amount(self) -> bool:
        return self.earning_all >= PUBLIC_MIN_EARNING


@dataclass
class PublicRow:
    #: A centre's or a city's name (never a person's or a shop's).
    name: str
    city: str
    counts: PublicCounts


@dataclass
class PublicFigures:
    year: int
    totals: PublicCounts
    by_city: list[PublicRow]
    by_centre: list[PublicRow]


def public_figures(now: datetime, zone: str) -> PublicFigures:
    """The public page's figures: per city and centre, this Jalali year and all time."""
    _without_jit()
    year = month_of(now, zone).year
    this_year = _Window.of(Period.year(year, zone))
    producers = _producers(_Window())
    _add_active_categories(producers)
    _add_earnings(producers, _Window())
    earned_all = {}
    for producer in producers.values():
        earned_all[producer.id] = producer.earned
        producer.earned, producer.earned_by_category = 0, {}
    _add_earnings(producers, this_year)

    def counts_of(members, orders_year: int, orders_all: int) -> PublicCounts:
        counts = PublicCounts(orders_year=orders_year, orders_all=orders_all)
        for producer in members:
            counts.selling += producer.is_selling
            counts.earning_year += producer.earned > 0
            counts.earned_year += producer.earned
            counts.earning_all += earned_all.get(producer.id, 0) > 0
            counts.earned_all += earned_all.get(producer.id, 0)
        return counts

    members_by_city, members_by_centre = defaultdict(list), defaultdict(list)
    for producer in producers.values():
        members_by_city[producer.city].append(producer)
        members_by_centre[producer.centre_id].append(producer)
    year_orders = _orders(this_year, parts=(0, 1, 3))
    all_orders = _orders(_Window(), parts=(0, 1, 3))
    cities = _sorted_names({p.city for p in producers.values() if p.is_approved and p.city.strip()})
    centres = db.session.execute(
        select(Centre.id, Centre.name, Centre.city).order_by(Centre.city, Centre.name)
    ).all()
    return PublicFigures(
        year=year,
        totals=counts_of(producers.values(), year_orders.total[0], all_orders.total[0]),
        by_city=[
            PublicRow(
                city,
                city,
                counts_of(
                    members_by_city[city],
                    year_orders.by_city.get(city, (0, 0))[0],
                    all_orders.by_city.get(city, (0, 0))[0],
                ),
            )
            for city in cities
        ],
        by_centre=[
            PublicRow(
                name,
                city,
                counts_of(
                    members_by_centre[centre_id],
                    year_orders.by_centre.get(centre_id, (0, 0))[0],
                    all_orders.by_centre.get(centre_id, (0, 0))[0],
                ),
            )
            for centre_id, name, city in centres
        ],
    )


#: The public page's figures per language: (computed at, by time.monotonic(); figures).
_public_cache: dict[str, tuple[float, PublicFigures]] = {}


def cached_public_figures(language: str, seconds: int, now: datetime, zone: str) -> PublicFigures:
    """``public_figures``, computed again only once ``seconds`` have passed for ``language``."""
    kept = _public_cache.get(language)
    moment = time.monotonic()
    if kept is not None and moment - kept[0] < seconds:
        return kept[1]
    figures = public_figures(now, zone)
    _public_cache[language] = (moment, figures)
    return figures


def clear_public_cache() -> None:
    _public_cache.clear()


# -- training figures and programme staff --------------------------------------------------------


@dataclass
class TrainingRow:
    centre_id: int
    centre: str
    slug: str
    #: Trained per month 1–12 (None where nothing was entered).
    months: list[int | None]

    @property
    def total(self) -> int:
        return sum(value or 0 for value in self.months)


def training_table(year: int) -> list[TrainingRow]:
    """Every centre with its training figures for each month of the Jalali ``year``."""
    centres = db.session.execute(
        select(Centre.id, Centre.name, Centre.slug).order_by(Centre.name)
    ).all()
    found = defaultdict(dict)
    for centre_id, month, trained in db.session.execute(
        select(TrainingRecord.centre_id, TrainingRecord.jalali_month, TrainingRecord.trained).where(
            TrainingRecord.jalali_year == year
        )
    ).all():
        found[centre_id][month] = trained
    return [
        TrainingRow(centre_id, name, slug, [found[centre_id].get(m) for m in range(1, 13)])
        for centre_id, name, slug in centres
    ]


def list_centres() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Centre.id, Centre.name).order_by(Centre.name)).all())


def programme_staff() -> list[User]:
    """Everyone holding the programme role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.PROGRAMME)
            .order_by(User.display_name, User.id)
        )
    )
