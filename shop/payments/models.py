"""A payment: what a provider was asked to collect for an order (or one of its parcels)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.orders.models import Order, Parcel


class PaymentStatus(StateMachine):
    PENDING = "pending"
    CAPTURED = "captured"
    FAILED = "failed"
    CANCELLED = "cancelled"
    #: Captured, then given back to the payer whole.
    REFUNDED = "refunded"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.PENDING: (cls.CAPTURED, cls.FAILED, cls.CANCELLED),
            cls.CAPTURED: (cls.REFUNDED,),
        }


class Payment(db.Model):
    """Money a provider collects. Only a provider's verified confirmation (or, for cash, the
    producer who received it) captures it: nothing a browser sends can."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    #: Set when the provider settles each parcel on its own (cash paid to each producer).
    parcel_id: Mapped[int | None] = mapped_column(
        ForeignKey("parcels.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(24))
    #: The provider's own id for it (an authority, a session id); empty for cash.
    reference: Mapped[str] = mapped_column(String(120), default="")
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PaymentStatus] = mapped_column(
        enum_column(PaymentStatus), default=PaymentStatus.PENDING, index=True
    )
    #: The provider's id of the completed transaction (Zarinpal's ref_id), once captured.
    transaction_id: Mapped[str] = mapped_column(String(64), default="")
    #: The card as the gateway shows it (masked) and its hash, for support and disputes.
    card_pan: Mapped[str] = mapped_column(String(32), default="")
    card_hash: Mapped[str] = mapped_column(String(128), default="")
    #: While a verification with the provider is under way: the order does not expire
    #: before then (a crash leaves it for ``shop payments reconcile``).
    verifying_until: Mapped[datetime | None] = mapped_column(Timestamp())
    #: What happened, in a few words, when it did not simply succeed.
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    captured_at: Mapped[datetime | None] = mapped_column(Timestamp())
    refunded_at: Mapped[datetime | None] = mapped_column(Timestamp())

    order: Mapped[Order] = relationship(backref="payments")
    parcel: Mapped[Parcel | None] = relationship(backref="payments")


class WebhookEvent(db.Model):
    """A provider's event, stored once (the unique constraint) in the same transaction as its
    effect: a delivery seen again changes nothing."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("provider", "event_id", name="one_per_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(24))
    event_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)


class RefundStatus(StateMachine):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    #: The provider did not make it: its amount is free to refund again.
    FAILED = "failed"

    @classmethod
    def transitions(cls) -> dict:
        return {cls.PENDING: (cls.SUCCEEDED, cls.FAILED), cls.FAILED: (cls.PENDING,)}


#: The keys of the refunds the shop makes by itself, which name what they give back.
RETURN_KEY = "return-"
CANCELLED_PARCEL_KEY = "cancelled-parcel-"


class Refund(db.Model):
    """Money given back from a captured payment (all of it, or part). Its key makes asking
    twice the same refund; the amounts of a payment's refunds never pass what it captured."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    #: The provider's id for it; empty when it is paid back by hand.
    reference: Mapped[str] = mapped_column(String(120), default="")
    #: Cash, or a gateway that cannot refund it any more: someone pays it back in person.
    by_hand: Mapped[bool] = mapped_column(default=False)
    #: Tries at the provider so far: a failed refund asked again is tried anew, not replayed.
    attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(Timestamp())

    payment: Mapped[Payment] = relationship(backref="refunds")

    @property
    def gives_back(self) -> tuple[str, int] | None:
        """What it gives back, when its key says: ("return", request id) or ("parcel",
        parcel id); None for an admin's refund of some of a payment."""
        key = self.idempotency_key
        for prefix, kind in ((RETURN_KEY, "return"), (CANCELLED_PARCEL_KEY, "parcel")):
            if key.startswith(prefix) and key[len(prefix) :].isdigit():
                return kind, int(key[len(prefix) :])
        return None
