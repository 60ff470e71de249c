"""Placing orders and moving their parcels along: each function is one step of an operation
that the caller commits (``shop.database.transaction``); none commits on its own.

Stock is taken by one conditional ``UPDATE`` per listing that cannot go below zero (backed by
the ``stock_not_negative`` CHECK), checked by its row count, so two buyers racing for the last
piece get one order and one clear "sold out" — on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.database import lock_row, utcnow
from shop.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.ledger.services import record_capture
from shop.listings.models import Product, ProductStatus, ProductVariant
from shop.mail.services import queue_mail
from shop.orders.iran import normalise_mobile, normalise_postal_code, province_by_code
from shop.orders.models import (
    CancelledBy,
    Order,
    OrderLine,
    OrderStatus,
    Parcel,
    ParcelStatus,
    ShippingMethod,
)
from shop.orders.shipping import shipping_options
from shop.payments.models import Payment, PaymentStatus
from shop.payments.providers import get_provider, is_offered
from shop.payments.refunds import reserve_for_cancelled_parcel
from shop.producers.models import Producer
from shop.search.outbox import enqueue_products

#: The most of one listing a single order may ask for.
MAX_LINE_QUANTITY = 99
#: Order numbers: no 0/O, 1/I/L or U, so a number read aloud or copied by hand stays right.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_LENGTH = 8


class BadQuantity(DomainError):
    field = "quantity"
    message = _l("Choose a quantity from 1 to 99.")


class EmptyCheckout(DomainError):
    message = _l("Your cart is empty.")


class Unavailable(DomainError):
    """A line's listing is no longer for sale (paused, deleted, or its shop closed)."""

    message = _l("One of the items is no longer for sale.")

    def __init__(self, product_id: int) -> None:
        super().__init__(f"product {product_id}")
        self.product_id = product_id


@dataclass(frozen=True)
class Shortage:
    product_id: int
    title: str
    wanted: int
    available: int
    variant_id: int | None = None


class OutOfStock(DomainError):
    """Some lines ask for more than is left; nothing was taken."""

    message = _l("Some items do not have enough left. Nothing was ordered.")

    def __init__(self, shortages: list[Shortage]) -> None:
        super().__init__(", ".join(f"{s.product_id}: {s.available} left" for s in shortages))
        self.shortages = shortages


class ShippingNotOffered(DomainError):
    field = "shipping"
    message = _l("That way of delivery is not offered for this parcel.")


class UnknownPaymentMethod(DomainError):
    field = "payment_method"
    message = _l("Choose one of the payment methods offered.")


class AlreadyPlaced(DomainError):
    """This checkout was submitted before: its order exists (or is being placed right now)."""

    message = _l("This order has already been placed.")


@dataclass(frozen=True)
class DeliveryAddress:
    """An address already checked and normalised (ASCII digits)."""

    recipient: str
    mobile: str
    province: str
    city: str
    street_address: str
    postal_code: str


class UnknownProvince(DomainError):
    field = "province"
    message = _l("Choose the province from the list.")


class AddressIncomplete(DomainError):
    message = _l("Enter the recipient's name, the city and the street address.")


def check_address(address: DeliveryAddress) -> DeliveryAddress:
    """The address as stored: mobile and postal code in ASCII digits, spaces trimmed.
    Raises ``BadMobile``, ``BadPostalCode``, ``UnknownProvince`` or ``AddressIncomplete``."""
    recipient, city = address.recipient.strip(), address.city.strip()
    street = address.street_address.strip()
    if not (recipient and city and street):
        raise AddressIncomplete()
    if province_by_code(address.province) is None:
        raise UnknownProvince()
    return DeliveryAddress(
        recipient=recipient[:120],
        mobile=normalise_mobile(address.mobile),
        province=address.province,
        city=city[:80],
        street_address=street[:300],
        postal_code=normalise_postal_code(address.postal_code),
    )


@dataclass(frozen=True)
class Checkout:
    """What the buyer asks for. Only ids and quantities: prices, producers and totals are
    always read and computed here, whatever the browser sent."""

    #: variant id → quantity (a listing without options has one variant)
    quantities: dict[int, int]
    address: DeliveryAddress
    payment_method: str
    idempotency_key: str
    #: producer id → how that parcel travels (post when not given)
    shipping: dict[int, ShippingMethod] = field(default_factory=dict)


# -- prices ----------------------------------------------------------------------------------


def commission_rate(producer: Producer) -> int:
    """The cooperative's commission on this producer's sales now (0 without a cooperative)."""
    return producer.cooperative.commission_bp if producer.cooperative is not None else 0


# -- placing ---------------------------------------------------------------------------------


def find_order_by_checkout(buyer_id: int, idempotency_key: str) -> Order | None:
    return db.session.scalar(
        select(Order).where(Order.buyer_id == buyer_id, Order.idempotency_key == idempotency_key)
    )


def _new_number() -> str:
    while True:
        number = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))
        if db.session.scalar(select(Order.id).where(Order.number == number)) is None:
            return number


def _variants_for(buyer, quantities: dict[int, int]) -> list[ProductVariant]:
    """The variants asked for, in id order, each of a listing on sale and not the buyer's."""
    if not quantities:
        raise EmptyCheckout()
    for quantity in quantities.values():
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise BadQuantity()
        if not 1 <= quantity <= MAX_LINE_QUANTITY:
            raise BadQuantity()
    chosen = db.session.scalars(
        select(ProductVariant)
        .where(ProductVariant.id.in_(quantities))
        .options(selectinload(ProductVariant.product).selectinload(Product.producer))
        .order_by(ProductVariant.id)
    ).all()
    found = {v.id: v for v in chosen}
    for variant_id in sorted(quantities):
        variant = found.get(variant_id)
        product = variant.product if variant is not None else None
        if (
            product is None
            or not variant.is_active
            or product.status is not ProductStatus.ACTIVE
            or not product.producer.is_approved
        ):
            raise Unavailable(product.id if product is not None else variant_id)
        if product.producer.user_id == buyer.id:
            raise NotAllowed("a producer cannot buy from their own shop")
    return list(chosen)


def _take(model, row_id: int, wanted: int, *conditions) -> bool:
    """One conditional ``UPDATE … SET stock = stock - wanted WHERE … AND stock >= wanted``."""
    return (
        db.session.execute(
            update(model)
            .where(model.id == row_id, model.stock_quantity >= wanted, *conditions)
            .values(stock_quantity=model.stock_quantity - wanted)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def take_stock(quantities: dict[int, int], chosen: list[ProductVariant]) -> None:
    """Take each stocked line's quantity, or nothing at all: raises ``OutOfStock`` naming
    every short line (the caller's transaction then gives back what was taken).

    Per listing, its total is taken first (that locks the listing's row on PostgreSQL), then
    each variant's share; listings and variants always in id order, so two orders taking the
    same ones never wait for each other in opposite orders (a deadlock), and the variant
    forms of ``shop.listings.variants`` lock in that same order.
    """
    by_product: dict[int, list[ProductVariant]] = defaultdict(list)
    for variant in chosen:
        if not variant.product.is_made_to_order:
            by_product[variant.product_id].append(variant)
    shortages = []
    for product_id in sorted(by_product):
        group = sorted(by_product[product_id], key=lambda v: v.id)
        total = sum(quantities[v.id] for v in group)
        listing_ok = _take(Product, product_id, total, Product.status == ProductStatus.ACTIVE)
        for variant in group:
            wanted = quantities[variant.id]
            if listing_ok and _take(
                ProductVariant, variant.id, wanted, ProductVariant.is_active.is_(True)
            ):
                continue
            left = db.session.scalar(
                select(ProductVariant.stock_quantity).where(ProductVariant.id == variant.id)
            )
            title = variant.product.title
            if variant.label:
                title = f"{title} ({variant.label})"
            shortages.append(Shortage(product_id, title, wanted, left or 0, variant.id))
    if shortages:
        raise OutOfStock(shortages)
    for variant in chosen:
        db.session.expire(variant, ["stock_quantity"])
        db.session.expire(variant.product, ["stock_quantity"])
    enqueue_products(sorted(by_product))


def place_order(buyer, checkout: Checkout) -> Order:
    """Take the stock, write the order with one parcel per producer and its lines (fee
    rates snapshotted), and start its payment — all in the caller's one transaction.

    Raises ``AlreadyPlaced`` when this checkout (its idempotency key) made an order already,
    ``Unavailable``, ``OutOfStock``, ``BadQuantity``, ``ShippingNotOffered``,
    ``UnknownPaymentMethod`` or an address error (``check_address``); then nothing is changed.
    """
    if find_order_by_checkout(buyer.id, checkout.idempotency_key) is not None:
        raise AlreadyPlaced()
    provider = get_provider(checkout.payment_method)
    if provider is None or not is_offered(provider):
        raise UnknownPaymentMethod()
    address = check_address(checkout.address)
    chosen = _variants_for(buyer, checkout.quantities)
    take_stock(checkout.quantities, chosen)

    config = current_app.config
    by_producer: dict[int, list[ProductVariant]] = defaultdict(list)
    for variant in chosen:
        by_producer[variant.product.producer_id].append(variant)
    order = Order(
        number=_new_number(),
        buyer_id=buyer.id,
        idempotency_key=checkout.idempotency_key,
        status=OrderStatus.AWAITING_PAYMENT,
        currency=config["SHOP_CURRENCY"],
        payment_method=provider.code,
        **vars(address),
    )
    for producer_id in sorted(by_producer):
        lines = by_producer[producer_id]
        producer = lines[0].product.producer
        items_total = sum(v.unit_price * checkout.quantities[v.id] for v in lines)
        method = checkout.shipping.get(producer_id, ShippingMethod.POST)
        options = shipping_options(producer, items_total)
        if method not in options:
            raise ShippingNotOffered()
        parcel = Parcel(
            producer_id=producer_id,
            status=ParcelStatus.AWAITING_PAYMENT,
            shipping_method=method,
            pickup_centre_id=producer.centre_id if method is ShippingMethod.CENTRE_PICKUP else None,
            items_total=items_total,
            shipping_cost=options[method],
        )
        for variant in lines:
            product = variant.product
            parcel.lines.append(
                OrderLine(
                    product_id=product.id,
                    variant_id=variant.id,
                    title=product.title,
                    variant_label=variant.label[:90],
                    unit_price=variant.unit_price,
                    quantity=checkout.quantities[variant.id],
                    is_made_to_order=product.is_made_to_order,
                    lead_time_days=product.lead_time_days,
                    producer_id=producer_id,
                    cooperative_id=producer.cooperative_id,
                    platform_fee_bp=config["SHOP_PLATFORM_FEE_BP"],
                    commission_bp=commission_rate(producer),
                )
            )
        order.parcels.append(parcel)
    order.items_total = sum(p.items_total for p in order.parcels)
    order.shipping_total = sum(p.shipping_cost for p in order.parcels)
    order.total = order.items_total + order.shipping_total
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # The same checkout, submitted again at the same moment, was placed first.
        if "idempotency_key" in str(exc.orig) or "buyer_checkout" in str(exc.orig):
            raise AlreadyPlaced() from exc
        raise

    started = provider.start(order)
    if started.fulfil_now:
        order.status = OrderStatus.PLACED
        for parcel in order.parcels:
            parcel.status = ParcelStatus.PREPARING
    else:
        timeout = timedelta(minutes=config["SHOP_PAYMENT_TIMEOUT_MINUTES"])
        order.expires_at = order.placed_at + timeout
    db.session.flush()
    queue_mail(buyer, "order_placed", order=order)
    if started.fulfil_now:
        _tell_producers(order)
    return order


def _tell_producers(order: Order) -> None:
    for parcel in order.parcels:
        queue_mail(parcel.producer.user, "new_parcel", order=order, parcel=parcel)


# -- moving parcels along --------------------------------------------------------------------


def give_back_stock(pieces: list[tuple[OrderLine, int]]) -> None:
    """Put ``quantity`` of each ordered line's variant back on sale (made-to-order lines hold
    no stock). The listing is locked first, as when stock is taken; whether the variant is
    still offered is read after that lock (a retired one's stock is not the listing's)."""
    stocked = [(line, n) for line, n in pieces if not line.is_made_to_order]
    for line, quantity in sorted(stocked, key=lambda p: (p[0].product_id, p[0].variant_id)):
        lock_row(line.product)
        offered = db.session.scalar(
            select(ProductVariant.is_active).where(ProductVariant.id == line.variant_id)
        )
        if offered:
            db.session.execute(
                update(Product)
                .where(Product.id == line.product_id)
                .values(stock_quantity=Product.stock_quantity + quantity)
                .execution_options(synchronize_session=False)
            )
        db.session.execute(
            update(ProductVariant)
            .where(ProductVariant.id == line.variant_id)
            .values(stock_quantity=ProductVariant.stock_quantity + quantity)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(line.product, ["stock_quantity"])
        if line.variant is not None:
            db.session.expire(line.variant, ["stock_quantity"])
    enqueue_products([line.product_id for line, _ in stocked])


def _restock(parcel: Parcel) -> None:
    """Give the parcel's stocked lines their stock back, exactly once."""
    if parcel.restocked_at is not None:
        return
    parcel.restocked_at = utcnow()
    give_back_stock([(line, line.quantity) for line in parcel.lines])


def _settle(order: Order) -> None:
    """The order's status from its parcels and payments (called after any of them moves)."""
    live = [p for p in order.parcels if p.status is not ParcelStatus.CANCELLED]
    if not live:
        if order.status.can_become(OrderStatus.CANCELLED):
            order.status = OrderStatus.CANCELLED
        return
    payments = [p for p in order.payments if p.status is not PaymentStatus.CANCELLED]
    paid = bool(payments) and all(p.status is PaymentStatus.CAPTURED for p in payments)
    delivered = all(p.status is ParcelStatus.DELIVERED for p in live)
    if paid and delivered and order.status.can_become(OrderStatus.COMPLETED):
        order.status = OrderStatus.COMPLETED
    elif paid and order.status.can_become(OrderStatus.PAID):
        order.status = OrderStatus.PAID


def _pending_payments(parcel: Parcel) -> list[Payment]:
    """The parcel's own payments not yet captured (cash is settled parcel by parcel)."""
    return [
        p
        for p in parcel.order.payments
        if p.parcel_id == parcel.id and p.status is PaymentStatus.PENDING
    ]


def _cancel_parcel(parcel: Parcel, by: CancelledBy, reason: str = "") -> Parcel:
    lock_row(parcel.order)  # cancel, refusal and expiry of one order take turns
    lock_row(parcel)
    parcel.status.check_transition(ParcelStatus.CANCELLED)
    parcel.status = ParcelStatus.CANCELLED
    parcel.cancelled_by = by
    parcel.cancel_reason = reason.strip()[:500]
    parcel.cancelled_at = utcnow()
    _restock(parcel)
    provider = get_provider(parcel.order.payment_method)
    for payment in _pending_payments(parcel):
        provider.cancel(payment)
    reserve_for_cancelled_parcel(parcel)  # paid online: its money is to go back
    _settle(parcel.order)
    db.session.flush()
    queue_mail(parcel.order.buyer, "parcel_cancelled", parcel=parcel)
    if by is CancelledBy.BUYER:
        queue_mail(parcel.producer.user, "parcel_cancelled_by_buyer", parcel=parcel)
    return parcel


def cancel_parcel(buyer, parcel: Parcel) -> Parcel:
    """The buyer calls off a parcel that has not shipped; its stock goes back."""
    if parcel.order.buyer_id != buyer.id:
        raise NotFound("not this buyer's parcel")
    return _cancel_parcel(parcel, CancelledBy.BUYER)


class ReasonRequired(DomainError):
    field = "reason"
    message = _l("Say why you cannot send this parcel; the buyer will read it.")


def refuse_parcel(producer: Producer, parcel: Parcel, reason: str) -> Parcel:
    """The producer cannot fulfil the parcel: it is cancelled with their reason."""
    _check_own(producer, parcel)
    if not (reason or "").strip():
        raise ReasonRequired()
    return _cancel_parcel(parcel, CancelledBy.PRODUCER, reason)


def open_parcel(producer: Producer, parcel: Parcel) -> Parcel:
    """The producer opens their parcel: from now on it is no longer new to them."""
    _check_own(producer, parcel)
    if parcel.seen_at is None:
        parcel.seen_at = utcnow()
        db.session.flush()
    return parcel


def _check_own(producer: Producer, parcel: Parcel) -> None:
    if parcel.producer_id != producer.id:
        raise NotFound("not this producer's parcel")


class TrackingRequired(DomainError):
    field = "carrier"
    message = _l("Enter the carrier and the tracking code.")


def ship_parcel(producer: Producer, parcel: Parcel, carrier: str, tracking_code: str) -> Parcel:
    """The producer hands the parcel to a carrier (or to the centre, for a pick-up)."""
    _check_own(producer, parcel)
    lock_row(parcel)
    parcel.status.check_transition(ParcelStatus.SHIPPED)
    carrier, tracking_code = (carrier or "").strip(), (tracking_code or "").strip()
    if parcel.shipping_method is ShippingMethod.POST and not (carrier and tracking_code):
        raise TrackingRequired()
    parcel.status = ParcelStatus.SHIPPED
    parcel.carrier, parcel.tracking_code = carrier[:80], tracking_code[:80]
    parcel.shipped_at = utcnow()
    db.session.flush()
    queue_mail(parcel.order.buyer, "parcel_shipped", parcel=parcel)
    return parcel


def deliver_parcel(producer: Producer, parcel: Parcel, cash_received: bool = False) -> Parcel:
    """The parcel reached the buyer; for cash on delivery, the producer also says the money
    was received, which captures that parcel's payment."""
    _check_own(producer, parcel)
    lock_row(parcel.order)
    lock_row(parcel)
    parcel.status.check_transition(ParcelStatus.DELIVERED)
    parcel.status = ParcelStatus.DELIVERED
    parcel.delivered_at = utcnow()
    if cash_received:
        confirm_cash(producer, parcel)
    _settle(parcel.order)
    db.session.flush()
    queue_mail(parcel.order.buyer, "parcel_delivered", parcel=parcel)
    return parcel


def confirm_cash(producer: Producer, parcel: Parcel) -> None:
    """The producer received the cash for their parcel (on delivery or at the centre)."""
    _check_own(producer, parcel)
    if parcel.order.payment_method != "cash":
        raise NotAllowed("only cash is confirmed by the producer")
    provider = get_provider("cash")
    for payment in _pending_payments(parcel):
        provider.confirm(payment)
        record_capture(payment)
    _settle(parcel.order)


def expire_orders(now=None) -> list[str]:
    """Orders whose online payment did not arrive in time: their parcels are cancelled and
    their stock goes back, once, however many expiries, cancels and confirmations race."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Order.id).where(
            Order.status == OrderStatus.AWAITING_PAYMENT, Order.expires_at <= now
        )
    ).all()
    expired = []
    for order_id in due:
        order = db.session.get(Order, order_id)
        lock_row(order)
        if order.status is not OrderStatus.AWAITING_PAYMENT:
            continue  # paid or cancelled meanwhile
        if order.expires_at is not None and order.expires_at > now:
            continue  # a payment is being verified: its time was extended meanwhile
        provider = get_provider(order.payment_method)
        for parcel in order.parcels:
            if parcel.status is ParcelStatus.CANCELLED:
                continue
            lock_row(parcel)
            parcel.status = ParcelStatus.CANCELLED
            parcel.cancelled_by = CancelledBy.SYSTEM
            parcel.cancelled_at = now
            _restock(parcel)
        for payment in order.payments:
            if payment.status is PaymentStatus.PENDING:
                provider.cancel(payment)
        order.status = OrderStatus.EXPIRED
        expired.append(order.number)
    db.session.flush()
    return expired


class PaymentTooLate(DomainError):
    """A provider confirmed a payment for an order that had expired or been cancelled."""

    message = _l("This order was no longer waiting for its payment.")


def record_payment(payment: Payment) -> Order:
    """A provider confirmed an online payment: the order is paid and goes to its producers.

    Raises ``PaymentTooLate`` when the order expired or was cancelled first (its stock is
    already back; the next step, the refund, belongs to the provider's flow)."""
    order = payment.order
    lock_row(order)
    lock_row(payment)
    if order.status is not OrderStatus.AWAITING_PAYMENT:
        raise PaymentTooLate()
    get_provider(payment.provider).confirm(payment)
    record_capture(payment)
    for parcel in order.parcels:
        if parcel.status is ParcelStatus.CANCELLED:  # called off while the buyer was paying
            reserve_for_cancelled_parcel(parcel)
    order.status = OrderStatus.PAID
    order.expires_at = None
    for parcel in order.parcels:
        if parcel.status is ParcelStatus.AWAITING_PAYMENT:
            parcel.status = ParcelStatus.PREPARING
    db.session.flush()
    _tell_producers(order)
    return order


class PaymentUnderWay(DomainError):
    message = _l("Your online payment is being confirmed. Please wait a minute and look again.")


def switch_to_cash(buyer, order: Order) -> Order:
    """The buyer gives up paying online: the open online payments are dropped (never
    verified, so any money paid at the gateway goes back by itself), and the order goes to its
    producers now, to be paid on delivery. Refused while a payment is being verified."""
    from shop.payments.cash import CashOnDelivery

    if order.buyer_id != buyer.id:
        raise NotFound("not this buyer's order")
    lock_row(order)
    if order.status is not OrderStatus.AWAITING_PAYMENT:
        raise IllegalTransition("the order is not waiting for a payment")
    now = utcnow()
    open_payments = [p for p in order.payments if p.status is PaymentStatus.PENDING]
    if any(p.verifying_until is not None and p.verifying_until > now for p in open_payments):
        raise PaymentUnderWay()
    provider = get_provider(order.payment_method)
    for payment in open_payments:
        lock_row(payment)
        provider.cancel(payment)
    order.payment_method = "cash"
    order.status = OrderStatus.PLACED
    order.expires_at = None
    for parcel in order.parcels:
        if parcel.status is ParcelStatus.AWAITING_PAYMENT:
            parcel.status = ParcelStatus.PREPARING
    CashOnDelivery().start(order)
    db.session.flush()
    _tell_producers(order)
    return order
