"""A payout batch and its payouts: one per beneficiary whose available balance passed the
minimum, exported as a bank group-transfer file and then confirmed as paid — which alone
writes the ledger entries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db


class BatchStatus(StateMachine):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @classmethod
    def transitions(cls) -> dict:
        return {cls.DRAFT: (cls.CONFIRMED, cls.CANCELLED)}


class PayoutBatch(db.Model):
    __tablename__ = "payout_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[BatchStatus] = mapped_column(
        enum_column(BatchStatus), default=BatchStatus.DRAFT, index=True
    )
    currency: Mapped[str] = mapped_column(String(3))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp())

    payouts: Mapped[list[Payout]] = relationship(back_populates="batch", order_by="Payout.id")

    @property
    def paid_lines(self) -> list[Payout]:
        return [p for p in self.payouts if not p.skipped_reason]

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.paid_lines)

    @property
    def reference(self) -> str:
        return f"DST-PAY-{self.id:05d}"


class Payout(db.Model):
    """What one beneficiary is paid in a batch (or why they were skipped)."""

    __tablename__ = "payouts"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("payout_batches.id", ondelete="RESTRICT"), index=True
    )
    #: The ledger account paid: ``producer:12`` or ``cooperative:3``.
    account: Mapped[str] = mapped_column(String(40), index=True)
    #: The account again while its batch is open: one open payout per beneficiary, so two
    #: batches made at once can never both pay someone.
    open_account: Mapped[str | None] = mapped_column(String(40), unique=True)
    beneficiary: Mapped[str] = mapped_column(String(160))
    sheba: Mapped[str] = mapped_column(String(26), default="")
    #: Paid to the bank account: the available balance less the cash the producer holds.
    amount: Mapped[int] = mapped_column(BigInteger)
    #: Cash collected from buyers that this payout settles (taken off what is paid); negative
    #: for cash the producer gave buyers back from their own pocket after an earlier payout had
    #: settled it (added to what is paid).
    cash_settled: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Why this beneficiary is listed but not paid (no valid Sheba); empty when paid.
    skipped_reason: Mapped[str] = mapped_column(String(40), default="")

    batch: Mapped[PayoutBatch] = relationship(back_populates="payouts")
