"""Demo buyers and their orders: saved addresses, and orders paid cash on delivery whose
parcels are in every state (new, preparing, shipped, delivered, cancelled, refused), spread
over the last four months — made by the same services a real checkout and a producer's
parcel pages use, then dated into the past."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from shop.accounts.models import User
from shop.accounts.services import Registration, register_user
from shop.cooperatives.models import Cooperative
from shop.demo import content
from shop.extensions import db
from shop.ledger.services import replaying_at
from shop.ledger.sheba import sheba_for
from shop.listings.models import Product, ProductVariant
from shop.mail.models import OutgoingMail
from shop.orders import addresses
from shop.orders import services as orders
from shop.orders.models import Order, Parcel, ShippingMethod
from shop.orders.shipping import shipping_options
from shop.payouts import services as payouts
from shop.producers.models import Producer


def create_buyers(password: str, password_hash: str) -> dict[str, User]:
    """The demo buyers (the demo buyer's account exists already), each with an address."""
    buyers = {}
    for text in content.BUYERS:
        user = db.session.scalar(select(User).where(User.email == text.email))
        if user is None:
            user = register_user(
                Registration(text.email, password, text.name, locale="fa"),
                password_hash=password_hash,
            )
        addresses.add_address(user, address_of(text), make_default=True)
        buyers[text.email] = user
    return buyers


def address_of(text: content.BuyerText) -> orders.DeliveryAddress:
    return orders.DeliveryAddress(
        text.name, text.mobile, text.province, text.city, text.street_address, text.postal_code
    )


def _choice(producer: Producer, taken: dict[int, int]) -> ProductVariant:
    """A variant of the producer's to sell: one with more than one left, or made to order,
    so the demo does not sell out the one-of-a-kind pieces; the least sold first."""
    products = db.session.scalars(
        select(Product).where(Product.producer_id == producer.id).order_by(Product.id)
    ).all()
    candidates = [
        v
        for p in products
        if p.status.value == "active"
        for v in p.offered_variants
        if p.is_made_to_order or v.stock_quantity >= 2
    ]
    if not candidates:
        candidates = [v for p in products if p.status.value == "active" for v in p.offered_variants]
        candidates = [v for v in candidates if v.stock_quantity >= 1] or candidates
    variant = min(candidates, key=lambda v: (taken.get(v.id, 0), v.id))
    taken[variant.id] = taken.get(variant.id, 0) + 1
    return variant


def create_orders(buyers: dict[str, User], now: datetime, rng: random.Random) -> int:
    """Place and move along the demo orders; returns how many were made."""
    producers = {
        p.user.email: p
        for p in db.session.scalars(select(Producer)).all()
        if p.user.email in {e for o in content.ORDERS for e in o.parcels}
    }
    taken: dict[int, int] = {}
    for number, text in enumerate(content.ORDERS, start=1):
        buyer = buyers[text.buyer]
        chosen = {email: _choice(producers[email], taken) for email in text.parcels}
        shipping = {}
        for email in text.pickup:
            producer = producers[email]
            if ShippingMethod.CENTRE_PICKUP in shipping_options(producer, 0):
                shipping[producer.id] = ShippingMethod.CENTRE_PICKUP
        order = orders.place_order(
            buyer,
            orders.Checkout(
                quantities={v.id: 1 for v in chosen.values()},
                address=address_of(next(b for b in content.BUYERS if b.email == text.buyer)),
                payment_method="cash",
                idempotency_key=f"demo-order-{number}",
                shipping=shipping,
            ),
        )
        placed = now - timedelta(days=text.days_ago, hours=rng.randint(1, 10))
        # what the ledger writes, it writes at about the time the parcels moved
        replay = replaying_at.set(min(placed + timedelta(days=3), now))
        try:
            for parcel in order.parcels:
                email = parcel.producer.user.email
                _move(parcel, text.parcels[email], buyer, rng)
        finally:
            replaying_at.reset(replay)
        _date(order, placed, now, rng)
    db.session.flush()
    forget_demo_mail()
    return len(content.ORDERS)


def forget_demo_mail() -> None:
    """Nobody is waiting for the demo's e-mails: they are not sent."""
    db.session.flush()
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.to_address.like("%@dastranj.test")))


def give_shebas() -> None:
    """Every demo producer and cooperative has a (made-up) Sheba to be paid to."""
    for number, owner in enumerate(
        [
            *db.session.scalars(select(Cooperative).order_by(Cooperative.id)),
            *db.session.scalars(select(Producer).order_by(Producer.id)),
        ],
        start=1,
    ):
        owner.sheba = demo_sheba(number)
    db.session.flush()


def pay_out(admin: User, now: datetime) -> None:
    """Pay everyone whose delivered sales are past the return window in one batch, confirmed
    as paid two days ago. (Parcels paid cash on delivery leave their producers owing the fees;
    the shop's own minimum is for real money.)"""
    replay = replaying_at.set(now - timedelta(days=2))
    try:
        batch = payouts.run_batch(admin, minimum=1)
        payouts.confirm_batch(batch.id, admin, batch.total)
    finally:
        replaying_at.reset(replay)
    batch.created_at = now - timedelta(days=3)
    batch.decided_at = now - timedelta(days=2)


def demo_sheba(number: int) -> str:
    """A Sheba number with a good check (a made-up Bank Melli account)."""
    return sheba_for(f"0170000000{number:012d}")


def _move(parcel: Parcel, state: str, buyer: User, rng: random.Random) -> None:
    producer = parcel.producer
    if state == "cancelled":
        orders.cancel_parcel(buyer, parcel)
        return
    if state == "new":
        return
    orders.open_parcel(producer, parcel)
    if state == "refused":
        orders.refuse_parcel(producer, parcel, content.REFUSAL_REASON)
        return
    if state in ("shipped", "delivered"):
        if parcel.shipping_method is ShippingMethod.POST:
            carrier = rng.choice(content.CARRIERS)
            tracking = "".join(rng.choice("0123456789") for _ in range(20))
        else:
            carrier, tracking = "", ""
        orders.ship_parcel(producer, parcel, carrier, tracking)
    if state == "delivered":
        orders.deliver_parcel(producer, parcel, cash_received=True)


def _date(order: Order, placed: datetime, now: datetime, rng: random.Random) -> None:
    """Move the order's moments into the past, in their order, never after ``now``."""

    def later(moment: datetime, low_hours: int, high_hours: int) -> datetime:
        return min(moment + timedelta(hours=rng.randint(low_hours, high_hours)), now)

    order.placed_at = order.updated_at = placed
    for parcel in order.parcels:
        if parcel.seen_at is not None:
            parcel.seen_at = later(placed, 1, 8)
        if parcel.cancelled_at is not None:
            parcel.cancelled_at = later(placed, 4, 30)
        if parcel.restocked_at is not None:
            parcel.restocked_at = parcel.cancelled_at
        if parcel.shipped_at is not None:
            parcel.shipped_at = later(placed, 20, 70)
        if parcel.delivered_at is not None:
            parcel.delivered_at = later(parcel.shipped_at, 40, 120)
    for payment in order.payments:
        payment.created_at = placed
        if payment.captured_at is not None:
            # cash is taken at the door; an online payment (for no one parcel) at checkout
            parcel = next((p for p in order.parcels if p.id == payment.parcel_id), None)
            payment.captured_at = (parcel.delivered_at if parcel else None) or placed
    order.updated_at = max(
        [placed]
        + [
            moment
            for parcel in order.parcels
            for moment in (parcel.delivered_at, parcel.shipped_at, parcel.cancelled_at)
            if moment is not None
        ]
    )
