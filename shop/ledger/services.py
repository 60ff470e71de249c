"""Writing the ledger. Each function is called by name, in the transaction of the event that
causes it (a capture, a refund, a payout), and writes one balanced ledger transaction under a
key of its own — so an event recorded twice is written once.

A sale: the provider's clearing account gives the gross of each line and each parcel's
shipping; the producer, the cooperative and the platform receive their shares (``split_sale``).
Cash on delivery adds that the producer collected the parcel's money (``producer-cash``, which
later payouts settle). A refund reverses, item by item, the difference of the rule between what
had been given back before and after it, so a whole refund in any number of parts reverses the
sale exactly.
"""

from __future__ import annotations

from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from shop.audit.services import record
from shop.database import lock_row, utcnow
from shop.extensions import db
from shop.ledger.models import (
    BANK,
    PLATFORM,
    SUBSIDY_FUND,
    LedgerEntry,
    LedgerTransaction,
    Purpose,
    TransactionKind,
    account_owner,
    clearing_account,
    cooperative_account,
    producer_account,
    producer_cash_account,
)
from shop.ledger.sheba import validate_sheba
from shop.ledger.split import split_part
from shop.orders.models import ReturnRequest

#: When set, the time entries are written at instead of now: only for the demo, which replays
#: months of sales at the times they happened (entries cannot be re-dated afterwards).
replaying_at: ContextVar[datetime | None] = ContextVar("replaying_at", default=None)


class LedgerImbalance(Exception):
    """Entries that do not sum to zero: a bug (not a person's mistake), never written."""


@dataclass(frozen=True)
class Item:
    """What a payment paid for, one line or one parcel's shipping."""

    parcel: object
    line: object | None
    gross: int

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.parcel.id, self.line.id if self.line is not None else None)


def _items(parcels) -> list[Item]:
    items = []
    for parcel in parcels:
        items += [Item(parcel, line, line.gross) for line in parcel.lines]
        if parcel.shipping_cost > 0:
            items.append(Item(parcel, None, parcel.shipping_cost))
    return items


def _payment_items(payment) -> list[Item]:
    parcels = [payment.parcel] if payment.parcel_id is not None else payment.order.parcels
    return _items(sorted(parcels, key=lambda p: p.id))


def _shares(
    item: Item, before: int, part: int, sign: int, provider: str
) -> list[tuple[str, int, Purpose]]:
    """The entries for ``part`` of ``item`` paid through ``provider`` (sign +1 for a sale,
    -1 for a refund)."""
    parcel, line = item.parcel, item.line
    clearing = clearing_account(provider)
    if line is None:  # shipping goes to the producer whole
        return [
            (clearing, -sign * part, Purpose.SHIPPING),
            (producer_account(parcel.producer_id), sign * part, Purpose.SHIPPING),
        ]
    commission_bp = line.commission_bp if line.cooperative_id is not None else 0
    share = split_part(item.gross, before, part, line.platform_fee_bp, commission_bp)
    rows = [
        (clearing, -sign * part, Purpose.GOODS),
        (producer_account(line.producer_id), sign * share.producer, Purpose.PRODUCER_SHARE),
        (PLATFORM, sign * share.platform_fee, Purpose.PLATFORM_FEE),
    ]
    if line.cooperative_id is not None:
        rows.append(
            (cooperative_account(line.cooperative_id), sign * share.commission, Purpose.COMMISSION)
        )
    return rows


def _post(kind: TransactionKind, key: str, order_id: int | None, rows, memo: str = ""):
    """Write one transaction of ``rows`` — (account, amount, purpose, extra columns) — once."""
    existing = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.key == key))
    if existing is not None:
        return existing
    if sum(row[1] for row in rows) != 0:
        raise LedgerImbalance(f"{key} does not balance")
    transaction = LedgerTransaction(
        kind=kind,
        key=key,
        order_id=order_id,
        memo=memo[:200],
        created_at=replaying_at.get() or utcnow(),
    )
    db.session.add(transaction)
    for account, amount, purpose, extra in rows:
        if amount:
            db.session.add(
                LedgerEntry(
                    transaction=transaction,
                    account=account,
                    amount=amount,
                    purpose=purpose,
                    order_id=order_id,
                    created_at=transaction.created_at,
                    **extra,
                )
            )
    db.session.flush()
    return transaction


def _item_columns(item: Item) -> dict:
    return {"parcel_id": item.parcel.id, "order_line_id": item.line.id if item.line else None}


def record_capture(payment) -> None:
    """A payment was captured: the sale of everything it paid for."""
    items = _payment_items(payment)
    if sum(item.gross for item in items) != payment.amount:
        raise LedgerImbalance(f"payment {payment.id} does not match what it paid for")
    rows = [
        (*share, _item_columns(item))
        for item in items
        for share in _shares(item, 0, item.gross, +1, payment.provider)
    ]
    order_id = payment.order_id
    _post(TransactionKind.SALE, f"capture:payment:{payment.id}", order_id, rows)
    if payment.provider == "cash":
        parcel = payment.parcel
        collected = [
            (clearing_account("cash"), payment.amount, Purpose.CASH, {"parcel_id": parcel.id}),
            (
                producer_cash_account(parcel.producer_id),
                -payment.amount,
                Purpose.CASH,
                {"parcel_id": parcel.id},
            ),
        ]
        _post(TransactionKind.CASH_COLLECTED, f"cash:payment:{payment.id}", order_id, collected)


def given_back(order_id: int) -> dict[tuple[int, int | None], int]:
    """Per item (parcel, line or None for shipping): how much the ledger has given back."""
    rows = db.session.execute(
        select(LedgerEntry.parcel_id, LedgerEntry.order_line_id, func.sum(LedgerEntry.amount))
        .join(LedgerTransaction)
        .where(
            LedgerEntry.order_id == order_id,
            LedgerTransaction.kind == TransactionKind.REFUND,
            LedgerEntry.account.like("clearing:%"),
            LedgerEntry.purpose.in_([Purpose.GOODS, Purpose.SHIPPING]),
        )
        .group_by(LedgerEntry.parcel_id, LedgerEntry.order_line_id)
    ).all()
    return {(parcel_id, line_id): int(total) for parcel_id, line_id, total in rows}


def allocate(amount: int, weights: list[tuple[Item, int]]) -> dict[Item, int]:
    """Share ``amount`` among items in proportion to their weights (largest remainder)."""
    total = sum(weight for _, weight in weights)
    if amount > total:
        raise LedgerImbalance("more given back than was paid for")
    if total == 0:
        return {}
    shares, remainders = {}, []
    for index, (item, weight) in enumerate(weights):
        whole, remainder = divmod(amount * weight, total)
        shares[item] = whole
        remainders.append((-remainder, index, item))
    for _, _, item in sorted(remainders, key=lambda r: (r[0], r[1]))[
        : amount - sum(shares.values())
    ]:
        shares[item] += 1
    return shares


def _refund_weights(refund, items: list[Item], back: dict) -> list[tuple[Item, int]]:
    """What a refund gives back: a return's lines, a cancelled parcel's items, or else the
    payment's items in proportion to what is left of each."""
    left = {item: item.gross - back.get(item.key, 0) for item in items}
    named = refund.gives_back
    if named is not None and named[0] == "return":
        returned = defaultdict(int)
        for line in db.session.get(ReturnRequest, named[1]).lines:
            returned[line.order_line_id] += line.order_line.unit_price * line.quantity
        chosen = [
            (item, min(returned[item.line.id], left[item]))
            for item in items
            if item.line is not None and item.line.id in returned
        ]
        if sum(weight for _, weight in chosen) >= refund.amount:
            return chosen
    if named is not None and named[0] == "parcel":
        chosen = [(item, left[item]) for item in items if item.parcel.id == named[1]]
        if sum(weight for _, weight in chosen) >= refund.amount:
            return chosen
    return [(item, left[item]) for item in items]


def record_refund(refund) -> None:
    """A refund was made: the proportional reverse of what it gives back."""
    payment = refund.payment
    items = _payment_items(payment)
    back = given_back(payment.order_id)
    shares = allocate(refund.amount, _refund_weights(refund, items, back))
    rows = []
    for item, part in shares.items():
        if part:
            before = back.get(item.key, 0)
            rows += [
                (*share, _item_columns(item))
                for share in _shares(item, before, part, -1, payment.provider)
            ]
    if payment.provider == "cash":  # the producer pays it back from the cash they took
        parcel = payment.parcel
        rows += [
            (clearing_account("cash"), -refund.amount, Purpose.CASH, {"parcel_id": parcel.id}),
            (
                producer_cash_account(parcel.producer_id),
                refund.amount,
                Purpose.CASH,
                {"parcel_id": parcel.id},
            ),
        ]
    _post(TransactionKind.REFUND, f"refund:{refund.id}", payment.order_id, rows)


def record_payout(payout) -> None:
    """A payout was confirmed as paid: the beneficiary's balance goes to the bank, and for a
    producer the cash they had collected from buyers is settled against it."""
    columns = {"payout_id": payout.id}
    rows = [
        (payout.account, -(payout.amount + payout.cash_settled), Purpose.PAYOUT, columns),
        (BANK, payout.amount, Purpose.PAYOUT, columns),
    ]
    if payout.cash_settled:
        owner = producer_cash_account(account_owner(payout.account))
        rows.append((owner, payout.cash_settled, Purpose.CASH, columns))
    _post(TransactionKind.PAYOUT, f"payout:{payout.id}", None, rows, memo=payout.batch.reference)


def record_subsidy(application) -> None:
    """A branding subsidy was approved: the subsidy fund gives it to the cooperative, whose
    balance the next payout batch pays out."""
    amount = application.approved_amount
    rows = [
        (SUBSIDY_FUND, -amount, Purpose.SUBSIDY, {}),
        (cooperative_account(application.cooperative_id), amount, Purpose.SUBSIDY, {}),
    ]
    _post(
        TransactionKind.SUBSIDY,
        f"subsidy:{application.id}",
        None,
        rows,
        memo=application.reference,
    )


def set_producer_sheba(producer, text: str, actor) -> str:
    """Validate and keep the producer's Sheba (``InvalidSheba`` otherwise); logged."""
    return _set_sheba(producer, f"producer:{producer.id}", text, actor)


def set_cooperative_sheba(cooperative, text: str, actor) -> str:
    """The same for a cooperative, which its commission is paid to."""
    return _set_sheba(cooperative, f"cooperative:{cooperative.id}", text, actor)


def _set_sheba(owner, subject: str, text: str, actor) -> str:
    sheba = validate_sheba(text)
    lock_row(owner)
    before = owner.sheba
    owner.sheba = sheba
    record(actor, f"{subject.split(':')[0]}.sheba", subject, {"sheba": before}, {"sheba": sheba})
    db.session.flush()
    return sheba
