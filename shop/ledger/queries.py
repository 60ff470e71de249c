"""Reading the ledger: every balance is a ``SUM`` of entries, computed when asked.

An entry tied to a parcel is *pending* until the parcel has been delivered for the hold
period (``SHOP_PAYOUT_HOLD_DAYS``), then *available*; entries without a parcel (payouts) are
settled already. A refund of a parcel is tied to it too, so one within the hold period comes
out of pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, case, func, or_, select

from shop.database import utcnow
from shop.extensions import db
from shop.ledger.models import (
    OWED_KINDS,
    LedgerEntry,
    LedgerTransaction,
    Purpose,
    TransactionKind,
    account_kind,
    account_owner,
    cooperative_account,
    producer_account,
    producer_cash_account,
)
from shop.orders.models import Order, OrderLine, Parcel
from shop.producers.models import Producer


@dataclass(frozen=True)
class Balance:
    account: str
    balance: int = 0
    available: int = 0

    @property
    def pending(self) -> int:
        return self.balance - self.available


def _cutoff(now=None):
    days = current_app.config["SHOP_PAYOUT_HOLD_DAYS"]
    return (now or utcnow()) - timedelta(days=days)


def _available_amount(cutoff):
    settled = or_(
        LedgerEntry.parcel_id.is_(None),
        and_(Parcel.delivered_at.is_not(None), Parcel.delivered_at <= cutoff),
    )
    return func.coalesce(func.sum(case((settled, LedgerEntry.amount), else_=0)), 0)


def balances(accounts: list[str] | None = None, now=None) -> dict[str, Balance]:
    """Balance and available part of every account (or of ``accounts``), one grouped query."""
    query = (
        select(
            LedgerEntry.account,
            func.coalesce(func.sum(LedgerEntry.amount), 0),
            _available_amount(_cutoff(now)),
        )
        .outerjoin(Parcel, Parcel.id == LedgerEntry.parcel_id)
        .group_by(LedgerEntry.account)
    )
    if accounts is not None:
        query = query.where(LedgerEntry.account.in_(accounts))
    found = {
        account: Balance(account, int(total), int(available))
        for account, total, available in db.session.execute(query)
    }
    for account in accounts or ():
        found.setdefault(account, Balance(account))
    return found


def balance_of(account: str, now=None) -> Balance:
    return balances([account], now)[account]


@dataclass(frozen=True)
class Earnings:
    """What a producer (or cooperative) has in the ledger now."""

    balance: Balance
    #: Cash collected from buyers not yet settled by a payout (a negative amount, or 0).
    cash_held: int = 0

    @property
    def payable(self) -> int:
        """What a payout could pay now: the available balance less the cash already held."""
        return self.balance.available + self.cash_held


def earnings_accounts(accounts: list[str]) -> list[str]:
    """``accounts`` and, for each producer's, the account of the cash they hold."""
    return accounts + [
        producer_cash_account(account_owner(a)) for a in accounts if account_kind(a) == "producer"
    ]


def earnings_of(account: str, found: dict[str, Balance]) -> Earnings:
    """A producer's or cooperative's earnings from ``balances`` of ``earnings_accounts``."""
    own = found.get(account, Balance(account))
    if account_kind(account) != "producer":
        return Earnings(own)
    cash = found.get(producer_cash_account(account_owner(account)))
    return Earnings(own, cash.balance if cash is not None else 0)


def producer_earnings(producer_id: int, now=None) -> Earnings:
    own = producer_account(producer_id)
    return earnings_of(own, balances(earnings_accounts([own]), now))


def cooperative_earnings(cooperative_id: int, now=None) -> Earnings:
    own = cooperative_account(cooperative_id)
    return earnings_of(own, balances([own], now))


def trial_balance() -> tuple[list[tuple[str, int]], int]:
    """Every account's balance, and their sum — zero when the books balance."""
    rows = db.session.execute(
        select(LedgerEntry.account, func.sum(LedgerEntry.amount))
        .group_by(LedgerEntry.account)
        .order_by(LedgerEntry.account)
    ).all()
    listed = [(account, int(total)) for account, total in rows]
    return listed, sum(total for _, total in listed)


@dataclass(frozen=True)
class Problems:
    """What ``shop ledger check`` finds: each list empty when the books are right."""

    total: int
    unbalanced_transactions: list[tuple[str, int]]
    unbalanced_orders: list[tuple[int, int]]
    negative_balances: list[tuple[str, int]]

    @property
    def ok(self) -> bool:
        return not (
            self.total
            or self.unbalanced_transactions
            or self.unbalanced_orders
            or self.negative_balances
        )


def check_books() -> Problems:
    """Recompute everything from the entries."""
    listed, total = trial_balance()
    transactions = db.session.execute(
        select(LedgerTransaction.key, func.sum(LedgerEntry.amount))
        .join(LedgerEntry)
        .group_by(LedgerTransaction.id, LedgerTransaction.key)
        .having(func.sum(LedgerEntry.amount) != 0)
    ).all()
    orders = db.session.execute(
        select(LedgerEntry.order_id, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.order_id.is_not(None))
        .group_by(LedgerEntry.order_id)
        .having(func.sum(LedgerEntry.amount) != 0)
    ).all()
    negative = [(a, t) for a, t in listed if account_kind(a) in OWED_KINDS and t < 0]
    return Problems(
        total,
        [(k, int(t)) for k, t in transactions],
        [(o, int(t)) for o, t in orders],
        negative,
    )


def order_entries(order_id: int) -> list[LedgerEntry]:
    return db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.order_id == order_id).order_by(LedgerEntry.id)
    ).all()


@dataclass(frozen=True)
class SoldLine:
    """One order line as the ledger saw it for a producer: net of any refunds."""

    order_line_id: int
    gross: int
    platform_fee: int
    commission: int
    net: int


def sold_lines(producer_id: int) -> dict[int, SoldLine]:
    """Per order line of the producer's: gross, platform fee, commission and net — the sale
    less what was given back."""
    own = producer_account(producer_id)
    lines = (
        select(LedgerEntry.order_line_id)
        .where(LedgerEntry.account == own, LedgerEntry.order_line_id.is_not(None))
        .distinct()
    )
    rows = db.session.execute(
        select(LedgerEntry.order_line_id, LedgerEntry.purpose, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.order_line_id.in_(lines))
        .group_by(LedgerEntry.order_line_id, LedgerEntry.purpose)
    ).all()
    found: dict[int, dict] = {}
    for line_id, purpose, total in rows:
        found.setdefault(line_id, {})[purpose] = int(total)
    return {
        line_id: SoldLine(
            line_id,
            gross=-parts.get(Purpose.GOODS, 0),
            platform_fee=parts.get(Purpose.PLATFORM_FEE, 0),
            commission=parts.get(Purpose.COMMISSION, 0),
            net=parts.get(Purpose.PRODUCER_SHARE, 0),
        )
        for line_id, parts in found.items()
    }


def earned_over_time(account: str, since) -> list[tuple[object, int]]:
    """(time, amount) of every sale and refund entry of ``account`` since ``since``: what a
    monthly chart adds up (payouts are not earnings)."""
    return db.session.execute(
        select(LedgerEntry.created_at, LedgerEntry.amount)
        .join(LedgerTransaction)
        .where(
            LedgerEntry.account == account,
            LedgerEntry.created_at >= since,
            LedgerTransaction.kind.in_([TransactionKind.SALE, TransactionKind.REFUND]),
        )
    ).all()


def sold_lines_listed(producer_id: int, limit: int = 100):
    """The producer's sold lines, newest first: (order line, order number, placed at,
    SoldLine)."""
    sold = sold_lines(producer_id)
    if not sold:
        return []
    rows = db.session.execute(
        select(OrderLine, Order.number, Order.placed_at)
        .join(Parcel, Parcel.id == OrderLine.parcel_id)
        .join(Order, Order.id == Parcel.order_id)
        .where(OrderLine.id.in_(list(sold)))
        .order_by(Order.placed_at.desc(), OrderLine.id)
        .limit(limit)
    ).all()
    return [(line, number, placed_at, sold[line.id]) for line, number, placed_at in rows]


@dataclass(frozen=True)
class CommissionLine:
    """A member's sold line as the cooperative's ledger saw it, net of refunds."""

    number: str
    placed_at: object
    shop_name: str
    name: str
    quantity: int
    gross: int
    commission: int


def commission_lines(cooperative_id: int, limit: int = 100) -> list[CommissionLine]:
    """The cooperative's commission per member's sold line, newest first."""
    account = cooperative_account(cooperative_id)
    earned = (
        select(LedgerEntry.order_line_id, func.sum(LedgerEntry.amount).label("commission"))
        .where(LedgerEntry.account == account, LedgerEntry.order_line_id.is_not(None))
        .group_by(LedgerEntry.order_line_id)
        .subquery()
    )
    rows = db.session.execute(
        select(OrderLine, Order.number, Order.placed_at, Producer.shop_name, earned.c.commission)
        .join(earned, earned.c.order_line_id == OrderLine.id)
        .join(Parcel, Parcel.id == OrderLine.parcel_id)
        .join(Order, Order.id == Parcel.order_id)
        .join(Producer, Producer.id == Parcel.producer_id)
        .order_by(Order.placed_at.desc(), OrderLine.id)
        .limit(limit)
    ).all()
    return [
        CommissionLine(number, placed_at, shop, line.name, line.quantity, line.gross, int(paid))
        for line, number, placed_at, shop, paid in rows
    ]
