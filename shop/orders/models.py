"""Orders: one checkout by one buyer, split into one parcel per producer, with order lines that
keep what was bought at what price and under which fee rates."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.accounts.models import User
    from shop.cooperatives.models import Centre
    from shop.listings.models import Product, ProductVariant
    from shop.media.models import Image
    from shop.producers.models import Producer


class OrderStatus(StateMachine):
    """Where an order stands as a whole (each parcel also has its own status).

    An order paid on delivery is *placed* at once and goes to its producers; one paid online
    is *awaiting payment* until the provider confirms it, and *expires* if it never does.
    """

    AWAITING_PAYMENT = "awaiting_payment"
    PLACED = "placed"
    PAID = "paid"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.AWAITING_PAYMENT: (cls.PAID, cls.CANCELLED, cls.EXPIRED),
            cls.PLACED: (cls.PAID, cls.COMPLETED, cls.CANCELLED),
            cls.PAID: (cls.COMPLETED, cls.CANCELLED),
        }

    @property
    def is_live(self) -> bool:
        """The order still holds the stock of its lines (cancelled and expired ones do not)."""
        return self not in (OrderStatus.CANCELLED, OrderStatus.EXPIRED)


class ParcelStatus(StateMachine):
    """One producer's share of an order, from payment to the buyer's door (or the centre)."""

    AWAITING_PAYMENT = "awaiting_payment"
    PREPARING = "preparing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.AWAITING_PAYMENT: (cls.PREPARING, cls.CANCELLED),
            cls.PREPARING: (cls.SHIPPED, cls.CANCELLED),
            cls.SHIPPED: (cls.DELIVERED,),
        }


class ShippingMethod(enum.Enum):
    """How a parcel reaches the buyer."""

    POST = "post"
    #: Collected at the producer's training centre, the way Rouyesh centres hand work over.
    CENTRE_PICKUP = "centre_pickup"


class CancelledBy(enum.Enum):
    BUYER = "buyer"
    PRODUCER = "producer"
    #: An unpaid order that expired.
    SYSTEM = "system"


class Order(db.Model):
    """One checkout. Amounts are in the shop currency's minor unit, computed on the server."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("buyer_id", "idempotency_key", name="buyer_checkout"),
        CheckConstraint("items_total >= 0 AND shipping_total >= 0", name="totals_not_negative"),
        CheckConstraint("total = items_total + shipping_total", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What people read and type: eight letters and digits that cannot be mistaken for others.
    number: Mapped[str] = mapped_column(String(12), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    #: Sent with the checkout form, so the same checkout submitted twice makes one order.
    idempotency_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    items_total: Mapped[int] = mapped_column(BigInteger)
    shipping_total: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    #: The payment provider's code (``cash``, later ``zarinpal``, ``stripe``).
    payment_method: Mapped[str] = mapped_column(String(24))
    recipient: Mapped[str] = mapped_column(String(120))
    mobile: Mapped[str] = mapped_column(String(11))
    province: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(80))
    street_address: Mapped[str] = mapped_column(String(300))
    postal_code: Mapped[str] = mapped_column(String(10))
    placed_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow, index=True)
    #: When an order awaiting an online payment gives its stock back.
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp(), index=True)
    #: Why an admin must look at it, as a code (``payment_mismatch``: a payment that did not
    #: match it; ``reversal_failed``: paid after it was cancelled, and giving it back failed).
    flagged: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow, onupdate=utcnow)

    buyer: Mapped[User] = relationship()
    parcels: Mapped[list[Parcel]] = relationship(
        back_populates="order", order_by="Parcel.id", cascade="all, delete-orphan"
    )

    @property
    def lines(self) -> list[OrderLine]:
        return [line for parcel in self.parcels for line in parcel.lines]


class Parcel(db.Model):
    """The lines of one producer in an order, shipped and tracked on their own."""

    __tablename__ = "parcels"
    __table_args__ = (
        UniqueConstraint("order_id", "producer_id", name="one_per_producer"),
        CheckConstraint("items_total >= 0 AND shipping_cost >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ParcelStatus] = mapped_column(enum_column(ParcelStatus), index=True)
    shipping_method: Mapped[ShippingMethod] = mapped_column(enum_column(ShippingMethod))
    #: The centre a pick-up parcel waits at.
    pickup_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL")
    )
    items_total: Mapped[int] = mapped_column(BigInteger)
    shipping_cost: Mapped[int] = mapped_column(BigInteger)
    carrier: Mapped[str] = mapped_column(String(80), default="")
    tracking_code: Mapped[str] = mapped_column(String(80), default="")
    cancelled_by: Mapped[CancelledBy | None] = mapped_column(enum_column(CancelledBy))
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    shipped_at: Mapped[datetime | None] = mapped_column(Timestamp())
    delivered_at: Mapped[datetime | None] = mapped_column(Timestamp())
    cancelled_at: Mapped[datetime | None] = mapped_column(Timestamp())
    #: When every piece of it had come back to the buyer's money (all lines returned and
    #: approved): it stays "delivered", marked returned.
    returned_at: Mapped[datetime | None] = mapped_column(Timestamp())
    #: When the stock of its lines went back, so it goes back exactly once.
    restocked_at: Mapped[datetime | None] = mapped_column(Timestamp())
    #: When its producer first opened it: until then it counts as new on their dashboard.
    seen_at: Mapped[datetime | None] = mapped_column(Timestamp())

    order: Mapped[Order] = relationship(back_populates="parcels")
    producer: Mapped[Producer] = relationship()
    pickup_centre: Mapped[Centre | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="parcel", order_by="OrderLine.id", cascade="all, delete-orphan"
    )

    @property
    def total(self) -> int:
        return self.items_total + self.shipping_cost


class OrderLine(db.Model):
    """What was bought, as it was when the order was placed: later changes to the listing's
    price or to a fee rate never alter it."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
        CheckConstraint("platform_fee_bp >= 0 AND commission_bp >= 0", name="rates_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("product_variants.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    #: The options chosen, as they read then (e.g. "M · red"; empty without options).
    variant_label: Mapped[str] = mapped_column(String(90), default="")
    unit_price: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]
    #: Made to order: no stock was taken, and the producer needs ``lead_time_days``.
    is_made_to_order: Mapped[bool] = mapped_column(default=False)
    lead_time_days: Mapped[int | None]
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="RESTRICT"))
    #: The producer's cooperative when the order was placed (indexed: its reports start here).
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="SET NULL"), index=True
    )
    #: The platform's fee and the cooperative's commission in force at placement.
    platform_fee_bp: Mapped[int]
    commission_bp: Mapped[int]

    parcel: Mapped[Parcel] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant] = relationship()

    @property
    def gross(self) -> int:
        return self.unit_price * self.quantity

    @property
    def name(self) -> str:
        """The title with the options chosen, e.g. "Embroidered shawl (M · red)"."""
        return f"{self.title} ({self.variant_label})" if self.variant_label else self.title


class ShippingPolicy(db.Model):
    """How a producer ships: post at a flat rate per parcel (free above a threshold, if set),
    and pick-up at their centre (free) when they belong to one."""

    __tablename__ = "shipping_policies"
    __table_args__ = (
        CheckConstraint("post_rate >= 0", name="post_rate_not_negative"),
        CheckConstraint("free_post_over IS NULL OR free_post_over > 0", name="threshold_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), unique=True
    )
    offers_post: Mapped[bool] = mapped_column(default=True)
    post_rate: Mapped[int] = mapped_column(BigInteger)
    #: A parcel whose items come to at least this much travels free.
    free_post_over: Mapped[int | None] = mapped_column(BigInteger)
    offers_centre_pickup: Mapped[bool] = mapped_column(default=True)

    producer: Mapped[Producer] = relationship(
        backref=db.backref("shipping_policy", uselist=False, cascade="all, delete-orphan")
    )


class SavedAddress(db.Model):
    """An address in a buyer's address book, as checked at checkout (ASCII digits)."""

    __tablename__ = "saved_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(120))
    mobile: Mapped[str] = mapped_column(String(11))
    province: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(80))
    street_address: Mapped[str] = mapped_column(String(300))
    postal_code: Mapped[str] = mapped_column(String(10))
    #: The one the checkout offers first.
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    user: Mapped[User] = relationship()


class ReturnStatus(StateMachine):
    """A buyer's request for money back for some of a delivered parcel."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"

    @classmethod
    def transitions(cls) -> dict:
        return {cls.REQUESTED: (cls.APPROVED, cls.REFUSED)}


class ReturnRequest(db.Model):
    __tablename__ = "return_requests"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[ReturnStatus] = mapped_column(enum_column(ReturnStatus), index=True)
    reason: Mapped[str] = mapped_column(String(1000))
    #: What comes back to the buyer: the returned lines at the prices paid.
    amount: Mapped[int] = mapped_column(BigInteger)
    #: The goods come back to the maker (their stock is for sale again).
    goods_back: Mapped[bool] = mapped_column(default=False)
    decision_reason: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp())

    parcel: Mapped[Parcel] = relationship(backref="returns")
    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="request", order_by="ReturnLine.id", cascade="all, delete-orphan"
    )
    photos: Mapped[list[ReturnPhoto]] = relationship(
        order_by="ReturnPhoto.position", cascade="all, delete-orphan"
    )


class ReturnLine(db.Model):
    __tablename__ = "return_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("return_requests.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int]

    request: Mapped[ReturnRequest] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()


class ReturnPhoto(db.Model):
    __tablename__ = "return_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("return_requests.id", ondelete="CASCADE"), index=True
    )
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    image: Mapped[Image] = relationship()
