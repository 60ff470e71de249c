"""The demo shop's past: fourteen Jalali months of delivered orders (more each month, paid
online or cash on delivery), a payout batch at the start of every month, the cooperatives'
branding-subsidy applications (``shop.demo.subsidies``), and how many people each centre
trained — so that the reports and the impact dashboard have a shape on first start.

Everything goes through the same services a real order, a payment confirmation, a delivery and
a payout batch use, with the ledger's clock (``replaying_at``) set to when it would have
happened. Pieces sold in the past were made again: their stock is put back, so the demo's
listings are not sold out by their history.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from shop.accounts.models import User
from shop.cooperatives.models import Centre
from shop.demo import content
from shop.demo import subsidies as demo_subsidies
from shop.demo.orders import _date, address_of
from shop.extensions import db
from shop.ledger.services import replaying_at
from shop.listings.models import Product, ProductStatus, ProductVariant
from shop.orders import services as orders
from shop.orders.models import Order
from shop.payouts import services as payouts
from shop.payouts.services import NothingToPay
from shop.producers.models import Producer, ProducerStatus
from shop.reports.models import TrainingRecord
from shop.reports.periods import Month, month_of

#: Months of history before the current one.
MONTHS = 14
#: Orders in the oldest month; each later month has one more.
FIRST_MONTH_ORDERS = 5
#: Share of the history's orders paid online (the rest cash on delivery).
ONLINE_SHARE = 0.6
#: The demo's made-up Zarinpal merchant: online orders are recorded as if its callback had
#: verified them; nothing is ever sent to a gateway.
DEMO_MERCHANT = "demo-merchant-never-used-for-real-payments"


def history_months(now: datetime, zone: str) -> list[Month]:
    current = month_of(now, zone)
    return [Month.from_index(current.index - back) for back in range(MONTHS, 0, -1)]


def _moment_in(month: Month, rng: random.Random, zone: str, latest: datetime) -> datetime:
    tz = ZoneInfo(zone)
    first = datetime.combine(month.first_day.togregorian(), datetime.min.time(), tz)
    last = datetime.combine(month.last_day.togregorian(), datetime.max.time(), tz)
    moment = first + (last - first) * rng.random()
    return min(moment.astimezone(UTC), latest)


def _variant(producer: Producer, placed: datetime, rng) -> ProductVariant | None:
    """One of the producer's pieces that was on sale at ``placed``."""
    variants = [
        v
        for p in producer.products
        if p.status is ProductStatus.ACTIVE and p.published_at and _aware(p.published_at) < placed
        for v in p.offered_variants
        if p.is_made_to_order or v.stock_quantity >= 1
    ]
    return rng.choice(variants) if variants else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _make_again(quantities: dict[int, int]) -> None:
    """The producer made the pieces again: the stock the order took is back."""
    db.session.flush()
    for variant_id, quantity in quantities.items():
        variant = db.session.get(ProductVariant, variant_id)
        if variant.product.is_made_to_order:
            continue
        db.session.execute(
            update(ProductVariant)
            .where(ProductVariant.id == variant_id)
            .values(stock_quantity=ProductVariant.stock_quantity + quantity)
        )
        db.session.execute(
            update(Product)
            .where(Product.id == variant.product_id)
            .values(stock_quantity=Product.stock_quantity + quantity)
        )
    db.session.expire_all()


def _sell(number, buyer: User, producers: list[Producer], online: bool, placed, now, rng):
    chosen = {}
    for producer in producers:
        variant = _variant(producer, placed, rng)
        if variant is not None:
            chosen[variant.id] = 1
    if not chosen:
        return None
    text = next(b for b in content.BUYERS if b.email == buyer.email)
    replay = replaying_at.set(placed)
    try:
        order = orders.place_order(
            buyer,
            orders.Checkout(
                quantities=chosen,
                address=address_of(text),
                payment_method="zarinpal" if online else "cash",
                idempotency_key=f"demo-history-{number}",
            ),
        )
        if online:
            payment = order.payments[0]
            payment.transaction_id = f"DEMO{number:08d}"
            orders.record_payment(payment)
        replaying_at.set(min(placed + timedelta(days=3), now))
        for parcel in order.parcels:
            orders.open_parcel(parcel.producer, parcel)
            tracking = "".join(rng.choice("0123456789") for _ in range(20))
            orders.ship_parcel(parcel.producer, parcel, rng.choice(content.CARRIERS), tracking)
            orders.deliver_parcel(parcel.producer, parcel, cash_received=not online)
    finally:
        replaying_at.reset(replay)
    _make_again(chosen)
    _date(order, placed, now, rng)
    db.session.flush()
    return order


def _pay_out(admin: User, moment: datetime) -> None:
    replay = replaying_at.set(moment)
    try:
        batch = payouts.run_batch(admin, now=moment, minimum=1)
        payouts.confirm_batch(batch.id, admin, batch.total, now=moment)
    except NothingToPay:
        return
    finally:
        replaying_at.reset(replay)
    batch.created_at = moment - timedelta(hours=20)
    batch.decided_at = moment


def create_history(admin: User, now: datetime, rng: random.Random) -> list[Order]:
    """The months of orders and payouts before the current month; the orders made."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    config = current_app.config
    merchant = config.get("SHOP_ZARINPAL_MERCHANT_ID")
    config["SHOP_ZARINPAL_MERCHANT_ID"] = merchant or DEMO_MERCHANT
    buyers = list(
        db.session.scalars(
            select(User).where(User.email.in_([b.email for b in content.BUYERS])).order_by(User.id)
        )
    )
    producers = list(
        db.session.scalars(
            select(Producer).where(Producer.status == ProducerStatus.APPROVED).order_by(Producer.id)
        )
    )
    # Cooperative members sell more: the cooperative's reports have more to show.
    weighted = [p for p in producers for _ in range(2 if p.cooperative_id else 1)]
    made: list[Order] = []
    try:
        for index, month in enumerate(history_months(now, zone)):
            for _ in range(FIRST_MONTH_ORDERS + index):
                placed = _moment_in(month, rng, zone, now - timedelta(days=10))
                open_then = [p for p in weighted if _aware(p.approved_at) < placed]
                if not open_then:
                    continue
                sellers = {rng.choice(open_then).id: None}
                if rng.random() < 0.25:
                    sellers[rng.choice(open_then).id] = None
                chosen = [db.session.get(Producer, pid) for pid in sellers]
                order = _sell(
                    len(made) + 1,
                    rng.choice(buyers),
                    chosen,
                    rng.random() < ONLINE_SHARE,
                    placed,
                    now,
                    rng,
                )
                if order is not None:
                    made.append(order)
            in_month = _moment_in(month, random.Random(index), zone, now - timedelta(days=12))
            demo_subsidies.play(demo_subsidies.plans_for(index), admin, in_month)
            first_of_next = datetime.combine(
                month.next().first_day.togregorian(), datetime.min.time(), ZoneInfo(zone)
            ).astimezone(UTC)
            _pay_out(admin, min(first_of_next + timedelta(days=2, hours=10), now))
        demo_subsidies.play(
            demo_subsidies.plans_for(demo_subsidies.CURRENT), admin, now - timedelta(days=6)
        )
    finally:
        if merchant:
            config["SHOP_ZARINPAL_MERCHANT_ID"] = merchant
        else:
            config.pop("SHOP_ZARINPAL_MERCHANT_ID", None)
    return made


def record_training(now: datetime, rng: random.Random) -> None:
    """How many people each centre trained in each month of the history and this one."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    months = [*history_months(now, zone), month_of(now, zone)]
    for centre in db.session.scalars(select(Centre).order_by(Centre.id)):
        for month in months:
            db.session.add(
                TrainingRecord(
                    centre_id=centre.id,
                    jalali_year=month.year,
                    jalali_month=month.month,
                    trained=rng.randint(2, 14),
                )
            )
    db.session.flush()
