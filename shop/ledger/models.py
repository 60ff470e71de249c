"""Ledger transactions and their entries: money moving between accounts, written once and
never changed (reversals are new entries), so that every balance is a sum of entries.

Accounts are named, not stored: ``producer:12``, ``producer-cash:12`` (cash a producer took
from buyers on the shop's behalf), ``cooperative:3``, ``platform``, ``clearing:zarinpal`` (money
held by a provider for us), ``bank`` (paid out to bank accounts) and ``subsidy-fund``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import Timestamp, enum_column, utcnow
from shop.extensions import db

PLATFORM = "platform"
BANK = "bank"
SUBSIDY_FUND = "subsidy-fund"


def producer_account(producer_id: int) -> str:
    return f"producer:{producer_id}"


def producer_cash_account(producer_id: int) -> str:
    return f"producer-cash:{producer_id}"


def cooperative_account(cooperative_id: int) -> str:
    return f"cooperative:{cooperative_id}"


def clearing_account(provider: str) -> str:
    return f"clearing:{provider}"


def account_kind(account: str) -> str:
    """``producer`` for ``producer:12``; the name itself for an account without an owner."""
    return account.split(":", 1)[0]


def account_owner(account: str) -> int | None:
    owner = account.partition(":")[2]
    return int(owner) if owner.isdigit() else None


#: Accounts that hold what the shop owes someone: never below zero.
OWED_KINDS = ("producer", "cooperative", "platform")


class TransactionKind(enum.Enum):
    SALE = "sale"
    CASH_COLLECTED = "cash_collected"
    REFUND = "refund"
    PAYOUT = "payout"
    #: A branding subsidy granted to a cooperative from the subsidy fund.
    SUBSIDY = "subsidy"


class Purpose(enum.Enum):
    """What an entry is for."""

    GOODS = "goods"
    PRODUCER_SHARE = "producer_share"
    PLATFORM_FEE = "platform_fee"
    COMMISSION = "commission"
    SHIPPING = "shipping"
    CASH = "cash"
    PAYOUT = "payout"
    SUBSIDY = "subsidy"


class LedgerTransaction(db.Model):
    """One event's entries (a capture, a refund, a payout), which sum to zero."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TransactionKind] = mapped_column(enum_column(TransactionKind))
    #: What caused it, once: "capture:payment:7", "refund:12", "payout:3".
    key: Mapped[str] = mapped_column(String(120), unique=True)
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="RESTRICT"), index=True
    )
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="transaction", order_by="LedgerEntry.id"
    )


class LedgerEntry(db.Model):
    """An amount into (positive) or out of (negative) one account."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        Index("ix_ledger_entries_account_created_at", "account", "created_at"),
        # The impact figures read a period's earnings of every producer: found by purpose and
        # time, and answered from the index alone.
        Index(
            "ix_ledger_entries_purpose_created_at",
            "purpose",
            "created_at",
            "account",
            "amount",
            "order_line_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="RESTRICT"), index=True
    )
    account: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="RESTRICT"), index=True
    )
    #: The parcel whose delivery starts its hold period (none for payouts: already settled).
    parcel_id: Mapped[int | None] = mapped_column(
        ForeignKey("parcels.id", ondelete="RESTRICT"), index=True
    )
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_lines.id", ondelete="RESTRICT"), index=True
    )
    payout_id: Mapped[int | None] = mapped_column(
        ForeignKey("payouts.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="entries")
