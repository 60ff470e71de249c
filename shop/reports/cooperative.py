"""A cooperative's sales and commission over a period, read from the ledger.

What the figures mean (the page's footnote says the same):

* **Sales** of an order line: minus the sum of its ``GOODS`` entries. A sale posts the line's
  gross out of the provider's clearing account (−gross) and a refund posts what it gives back
  into it (+amount), so sales are net of refunds, each booked when it happened. A line is the
  cooperative's when ``OrderLine.cooperative_id`` (the snapshot taken when the order was placed)
  is the cooperative's id, so a producer who joins or leaves later changes nothing here.
* **Commission**: the sum of the cooperative account's ``COMMISSION`` entries (refunds take
  their share back with negative entries). The account is credited on the cooperative's own
  lines only, so these entries are found from its lines as well.
* **Items sold**: the quantities of the cooperative's lines whose ``SALE`` transaction falls in
  the period (a refund does not take items back; it takes sales back). **Orders**: the number of
  distinct orders with such a sale.
* An entry belongs to the period when its ``created_at`` is in ``[period.starts_at,
  period.ends_at)``, the Jalali days of the period in the shop's time zone, and to the Jalali
  month its ``created_at`` falls in there.

A line's category is its listing's (as it is now); its producer is the line's own.

Every breakdown (by month, by producer, by category) is a regrouping of one grouped query's
cells (month × producer × category), so each breakdown's rows sum to the same totals. Orders
are counted by a query of their own: an order with parcels from two producers is one order but
counts for each of them, so orders are a total only, never a column.

The page, the CSV and the workbook all show ``report_sheets(report, language)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import jdatetime
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select

from shop.catalog.models import Category
from shop.extensions import db
from shop.ledger.chart import MonthTotal, month_name
from shop.ledger.models import (
    LedgerEntry,
    LedgerTransaction,
    Purpose,
    TransactionKind,
    cooperative_account,
)
from shop.listings.models import Product
from shop.money import get_currency, to_persian_digits
from shop.orders.models import OrderLine
from shop.producers.models import Producer
from shop.reports.exports import Money, Sheet
from shop.reports.periods import Month, Period, format_jalali, month_index

#: How many products the "top products" table lists.
TOP_PRODUCTS = 10

SEASON_NAMES = (_l("Spring"), _l("Summer"), _l("Autumn"), _l("Winter"))


@dataclass(frozen=True)
class Figures:
    """Sales and commission in minor units, and items sold."""

    sales: int = 0
    commission: int = 0
    items: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.sales + other.sales, self.commission + other.commission, self.items + other.items
        )

    @property
    def is_empty(self) -> bool:
        return not (self.sales or self.commission or self.items)


@dataclass(frozen=True)
class Totals:
    """A period's figures and the number of orders with a sale in it."""

    sales: int = 0
    commission: int = 0
    items: int = 0
    orders: int = 0


@dataclass(frozen=True)
class MonthRow:
    month: Month
    figures: Figures


@dataclass(frozen=True)
class ProducerRow:
    producer_id: int
    shop_name: str
    figures: Figures


@dataclass(frozen=True)
class CategoryRow:
    category_id: int
    name_fa: str
    name_en: str
    figures: Figures

    def name(self, language: str) -> str:
        return self.name_fa if language.startswith("fa") else self.name_en


@dataclass(frozen=True)
class TopProduct:
    product_id: int
    #: The title on the order lines (the title when it was sold).
    title: str
    shop_name: str
    items: int
    sales: int


@dataclass(frozen=True)
class Cell:
    """The figures of one producer's sales in one category in one month."""

    month: Month
    producer_id: int
    category_id: int
    figures: Figures


@dataclass(frozen=True)
class CooperativeReport:
    cooperative_id: int
    period: Period
    cells: list[Cell]
    shop_names: dict[int, str]
    categories_named: dict[int, tuple[str, str]]
    top_products: list[TopProduct]
    orders: int
    #: The period of the same length just before, for comparison.
    previous: Totals = field(default_factory=Totals)

    @property
    def months(self) -> list[MonthRow]:
        """Every month of the period, oldest first, months without sales included."""
        found: dict[Month, Figures] = defaultdict(Figures)
        for cell in self.cells:
            found[cell.month] += cell.figures
        return [MonthRow(month, found[month]) for month in self.period.months]

    @property
    def producers(self) -> list[ProducerRow]:
        return _by_producer(self.cells, self.shop_names)

    @property
    def categories(self) -> list[CategoryRow]:
        return _by_category(self.cells, self.categories_named)

    @property
    def figures(self) -> Figures:
        return sum((cell.figures for cell in self.cells), Figures())

    @property
    def totals(self) -> Totals:
        figures = self.figures
        return Totals(figures.sales, figures.commission, figures.items, self.orders)

    def month_totals(self, attribute: str = "sales") -> list[MonthTotal]:
        """The months' sales (or commission) as a bar chart's points."""
        return [
            MonthTotal(row.month.year, row.month.month, getattr(row.figures, attribute))
            for row in self.months
        ]


def _by_producer(cells: list[Cell], shop_names: dict[int, str]) -> list[ProducerRow]:
    found: dict[int, Figures] = defaultdict(Figures)
    for cell in cells:
        found[cell.producer_id] += cell.figures
    rows = [ProducerRow(pid, shop_names.get(pid, ""), figures) for pid, figures in found.items()]
    return sorted(rows, key=lambda row: (-row.figures.sales, row.shop_name, row.producer_id))


def _by_category(cells: list[Cell], named: dict[int, tuple[str, str]]) -> list[CategoryRow]:
    found: dict[int, Figures] = defaultdict(Figures)
    for cell in cells:
        found[cell.category_id] += cell.figures
    rows = [CategoryRow(cid, *named.get(cid, ("", "")), figures) for cid, figures in found.items()]
    return sorted(rows, key=lambda row: (-row.figures.sales, row.category_id))


# Queries ----------------------------------------------------------------------------------


def _is_goods():
    return LedgerEntry.purpose == Purpose.GOODS


def _is_sale():
    return and_(
        LedgerEntry.purpose == Purpose.GOODS, LedgerTransaction.kind == TransactionKind.SALE
    )


def _scoped(query, cooperative_id: int, period: Period):
    """``query`` over the ledger entries that count for the cooperative in the period: its
    lines' goods entries and its account's commission entries, each with its order line."""
    return (
        query.select_from(LedgerEntry)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .join(OrderLine, OrderLine.id == LedgerEntry.order_line_id)
        .where(
            # The cooperative's account is credited on its own lines only, so both kinds of
            # entry are found from its lines: by the index of entries by line, which beats
            # reading every account's entries of the period (as a join, SQLite would).
            LedgerEntry.order_line_id.in_(
                select(OrderLine.id).where(OrderLine.cooperative_id == cooperative_id)
            ),
            LedgerEntry.created_at >= period.starts_at,
            LedgerEntry.created_at < period.ends_at,
            or_(
                _is_goods(),
                and_(
                    LedgerEntry.purpose == Purpose.COMMISSION,
                    LedgerEntry.account == cooperative_account(cooperative_id),
                ),
            ),
        )
    )


def _sales():
    return case((_is_goods(), -LedgerEntry.amount), else_=0)


def _commission():
    return case((LedgerEntry.purpose == Purpose.COMMISSION, LedgerEntry.amount), else_=0)


def _items():
    return case((_is_sale(), OrderLine.quantity), else_=0)


def _cells(cooperative_id: int, period: Period) -> list[tuple]:
    """(month index, producer id, shop name, category id, names, sales, commission, items):
    one grouped query. The month is worked out in a subquery, so that the ``CASE`` over the
    months' starts is grouped by its name rather than repeated (PostgreSQL would not see two
    copies with their own parameters as the same expression)."""
    entries = _scoped(
        select(
            month_index(LedgerEntry.created_at, period).label("month"),
            OrderLine.producer_id.label("producer_id"),
            OrderLine.product_id.label("product_id"),
            _sales().label("sales"),
            _commission().label("commission"),
            _items().label("quantity"),
        ),
        cooperative_id,
        period,
    ).subquery()
    grouped = (
        select(
            entries.c.month,
            entries.c.producer_id,
            Product.category_id.label("category_id"),
            func.sum(entries.c.sales).label("sales"),
            func.sum(entries.c.commission).label("commission"),
            func.sum(entries.c.quantity).label("quantity"),
        )
        .join(Product, Product.id == entries.c.product_id)
        .group_by(entries.c.month, entries.c.producer_id, Product.category_id)
        .subquery()
    )
    return db.session.execute(
        select(
            grouped.c.month,
            grouped.c.producer_id,
            Producer.shop_name,
            grouped.c.category_id,
            Category.name_fa,
            Category.name_en,
            grouped.c.sales,
            grouped.c.commission,
            grouped.c.quantity,
        )
        .join(Producer, Producer.id == grouped.c.producer_id)
        .join(Category, Category.id == grouped.c.category_id)
    ).all()


def period_totals(cooperative_id: int, period: Period) -> Totals:
    """Sales, commission, items and orders of the period, in one query."""
    sales, commission, items, orders = db.session.execute(
        _scoped(
            select(
                func.coalesce(func.sum(_sales()), 0),
                func.coalesce(func.sum(_commission()), 0),
                func.coalesce(func.sum(_items()), 0),
                func.count(func.distinct(case((_is_sale(), LedgerEntry.order_id)))),
            ),
            cooperative_id,
            period,
        )
    ).one()
    return Totals(int(sales), int(commission), int(items), int(orders))


def top_products(
    cooperative_id: int, period: Period, limit: int = TOP_PRODUCTS
) -> list[TopProduct]:
    """The products with the most sales in the period (a product renamed since it was first
    sold shows the last of its titles in alphabetical order: titles are snapshots)."""
    sales = func.sum(_sales()).label("sales")
    items = func.sum(_items()).label("items")
    rows = db.session.execute(
        _scoped(
            select(
                OrderLine.product_id,
                func.max(OrderLine.title),
                Producer.shop_name,
                items,
                sales,
            ),
            cooperative_id,
            period,
        )
        .join(Producer, Producer.id == OrderLine.producer_id)
        .group_by(OrderLine.product_id, Producer.id, Producer.shop_name)
        .having(func.sum(_sales()) > 0)
        .order_by(sales.desc(), items.desc(), OrderLine.product_id)
        .limit(limit)
    ).all()
    return [
        TopProduct(product_id, title, shop_name, int(items), int(sales))
        for product_id, title, shop_name, items, sales in rows
    ]


def _collect(cooperative_id: int, period: Period):
    """The period's cells, and the names of the producers and categories they name."""
    months = period.months
    cells, shop_names, categories = [], {}, {}
    for index, producer_id, shop_name, category_id, fa, en, sales, commission, items in _cells(
        cooperative_id, period
    ):
        figures = Figures(int(sales), int(commission), int(items))
        if figures.is_empty:
            continue
        cells.append(Cell(months[int(index)], producer_id, category_id, figures))
        shop_names[producer_id] = shop_name
        categories[category_id] = (fa, en)
    return cells, shop_names, categories


def cooperative_report(cooperative_id: int, period: Period) -> CooperativeReport:
    """The cooperative's figures over ``period`` by month, producer and category, its top
    products and the previous period's totals: four grouped queries, whatever the period."""
    cells, shop_names, categories = _collect(cooperative_id, period)
    return CooperativeReport(
        cooperative_id=cooperative_id,
        period=period,
        cells=cells,
        shop_names=shop_names,
        categories_named=categories,
        top_products=top_products(cooperative_id, period),
        orders=period_totals(cooperative_id, period).orders,
        previous=period_totals(cooperative_id, period.previous()),
    )


# Statements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthStatement:
    """One page of the printable statement: a month (or the part of it in the period)."""

    month: Month
    first: jdatetime.date
    last: jdatetime.date
    figures: Figures
    producers: list[ProducerRow]
    categories: list[CategoryRow]

    @property
    def is_whole_month(self) -> bool:
        return self.first == self.month.first_day and self.last == self.month.last_day


def monthly_statements(cooperative_id: int, period: Period) -> list[MonthStatement]:
    """The statement's pages: each month of the period with its own totals and breakdowns
    (the same figures as the report's, from the same grouped query)."""
    cells, shop_names, categories = _collect(cooperative_id, period)
    by_month: dict[Month, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_month[cell.month].append(cell)
    statements = []
    for month in period.months:
        chosen = by_month.get(month, [])
        statements.append(
            MonthStatement(
                month=month,
                first=max(month.first_day, period.first),
                last=min(month.last_day, period.last),
                figures=sum((cell.figures for cell in chosen), Figures()),
                producers=_by_producer(chosen, shop_names),
                categories=_by_category(chosen, categories),
            )
        )
    return statements


# Labels and sheets ------------------------------------------------------------------------


def _digits(text: str, language: str) -> str:
    return to_persian_digits(text) if language == "fa" else text


def month_label(month: Month, language: str) -> str:
    """``مهر ۱۴۰۵`` or ``Mehr 1405``."""
    return f"{month_name(month.month, language)} {_digits(str(month.year), language)}"


def date_label(day, language: str) -> str:
    """A Jalali day as it is typed in the picker: ``1405/07/15``."""
    return _digits(format_jalali(day), language)


def period_label(period: Period, language: str) -> str:
    """What the period is called on the page and the statement."""
    if period.kind == "month":
        return month_label(Month(period.first.year, period.first.month), language)
    year = _digits(str(period.first.year), language)
    if period.kind == "season":
        season = SEASON_NAMES[(period.first.month - 1) // 3]
        return _("%(season)s %(year)s", season=season, year=year)
    if period.kind == "year":
        return _("The year %(year)s", year=year)
    return _(
        "%(first)s to %(last)s",
        first=date_label(period.first, language),
        last=date_label(period.last, language),
    )


def change_percent(current: int, previous: int) -> int | None:
    """The change from ``previous`` to ``current`` in whole per cent (None from nothing)."""
    if previous == 0:
        return None
    difference = (current - previous) * 100
    whole = abs(difference) // abs(previous)
    rest = abs(difference) % abs(previous)
    whole += 1 if rest * 2 >= abs(previous) else 0  # half up, away from zero
    return whole if difference >= 0 else -whole


def unit_name(language: str) -> str:
    """The display unit money columns are written in: toman for IRR."""
    currency = get_currency(current_app.config["SHOP_CURRENCY"])
    return currency.name_fa if language == "fa" else currency.name_en


def _figure_headings(language: str) -> list[str]:
    unit = unit_name(language)
    return [
        _("Sales (%(unit)s)", unit=unit),
        _("Commission (%(unit)s)", unit=unit),
        _("Items sold"),
    ]


def _figure_cells(figures: Figures) -> list:
    return [Money(figures.sales), Money(figures.commission), figures.items]


def producer_sheet(rows: list[ProducerRow], total: Figures, language: str) -> Sheet:
    with force_locale(language):
        return Sheet(
            title=_("Sales by producer"),
            headers=[_("Producer"), *_figure_headings(language)],
            rows=[[row.shop_name, *_figure_cells(row.figures)] for row in rows],
            totals=[_("Total"), *_figure_cells(total)],
        )


def category_sheet(rows: list[CategoryRow], total: Figures, language: str) -> Sheet:
    with force_locale(language):
        return Sheet(
            title=_("Sales by category"),
            headers=[_("Category"), *_figure_headings(language)],
            rows=[[row.name(language), *_figure_cells(row.figures)] for row in rows],
            totals=[_("Total"), *_figure_cells(total)],
        )


def report_sheets(report: CooperativeReport, language: str) -> list[Sheet]:
    """The report's tables — by month, by producer, by category and the top products — as
    the page shows them and the CSV and workbook write them."""
    total = report.figures
    with force_locale(language):
        months = Sheet(
            title=_("Sales by month"),
            headers=[_("Month"), *_figure_headings(language)],
            rows=[
                [month_label(row.month, language), *_figure_cells(row.figures)]
                for row in report.months
            ],
            totals=[_("Total"), *_figure_cells(total)],
        )
        top = Sheet(
            title=_("Top products"),
            headers=[
                _("Product"),
                _("Producer"),
                _("Items sold"),
                _("Sales (%(unit)s)", unit=unit_name(language)),
            ],
            rows=[
                [product.title, product.shop_name, product.items, Money(product.sales)]
                for product in report.top_products
            ],
        )
        return [
            months,
            producer_sheet(report.producers, total, language),
            category_sheet(report.categories, total, language),
            top,
        ]


def statement_sheets(statement: MonthStatement, language: str) -> list[Sheet]:
    """One statement page's tables: by producer and by category."""
    return [
        producer_sheet(statement.producers, statement.figures, language),
        category_sheet(statement.categories, statement.figures, language),
    ]
