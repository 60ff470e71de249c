"""Buyers racing for the same pieces, each in their own thread, database connection and
transaction (on a file SQLite database here, and on PostgreSQL in CI's second lane): stock is
never oversold, never taken in part, and comes back exactly once.

Many listings are one of a kind, so these races are the normal case, not an edge case.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.database import transaction, utcnow
from shop.errors import IllegalTransition
from shop.extensions import db
from shop.listings.models import Product, ProductVariant
from shop.orders import services as orders
from shop.orders.models import Order, OrderLine, OrderStatus, Parcel, ParcelStatus
from shop.orders.services import AlreadyPlaced, OutOfStock
from shop.payments import providers
from shop.payments.models import Payment, PaymentStatus
from shop.payments.providers import Started
from shop.producers.models import Producer
from tests.conftest import reload
from tests.orders.test_place_order import checkout


def race(app, attempts) -> list[str]:
    """Run each ``attempt()`` in its own thread and app context, all released at once, and
    return what each saw: "ordered", "sold out", "already placed", or the unexpected error."""
    barrier, outcomes = threading.Barrier(len(attempts)), []

    def run(attempt):
        with app.app_context():
            try:
                barrier.wait(30)
                with transaction():
                    attempt()
                outcomes.append("ordered")
            except OutOfStock:
                outcomes.append("sold out")
            except AlreadyPlaced:
                outcomes.append("already placed")
            except IllegalTransition:
                outcomes.append("too late")
            except Exception as exc:  # what the test is looking for
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return sorted(outcomes)


def buying(user_id: int, quantities: dict[int, int], key: str = "k", variants=None):
    def attempt():
        orders.place_order(
            db.session.get(User, user_id), checkout(quantities, key=key, variants=variants)
        )

    return attempt


def in_live_orders(product_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(OrderLine.quantity), 0))
        .join(Parcel)
        .join(Order)
        .where(
            OrderLine.product_id == product_id,
            Parcel.status != ParcelStatus.CANCELLED,
            Order.status.in_([s for s in OrderStatus if s.is_live]),
        )
    )


def left(product_id: int) -> int:
    return db.session.scalar(select(Product.stock_quantity).where(Product.id == product_id))


def variants_left(product_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(ProductVariant.stock_quantity), 0)).where(
            ProductVariant.product_id == product_id, ProductVariant.is_active.is_(True)
        )
    )


def assert_stock_conserved(product_id: int, initial: int) -> None:
    """Initial stock = stock left + quantities in live orders; and the listing's stock is
    still the sum of its variants'."""
    assert left(product_id) >= 0
    assert left(product_id) + in_live_orders(product_id) == initial
    assert left(product_id) == variants_left(product_id)


@pytest.fixture
def seller(factory):
    return factory.producer()


def buyers(factory, n: int) -> list[int]:
    return [factory.user().id for _ in range(n)]


def test_fifty_buyers_for_the_last_piece_make_one_order(app, factory, seller):
    carpet = factory.listing(seller, title="فرش یگانه", stock=1).id
    ids = buyers(factory, 50)
    db.session.remove()

    outcomes = race(app, [buying(user_id, {carpet: 1}) for user_id in ids])

    assert outcomes == ["ordered"] + ["sold out"] * 49
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
    assert_stock_conserved(carpet, 1)


@pytest.mark.parametrize(
    ("stock", "n", "each", "orders_made"), [(5, 20, 1, 5), (10, 10, 3, 3)], ids=["5x1", "10x3"]
)
def test_buyers_racing_for_a_few_pieces_get_exactly_what_there_is(
    app, factory, seller, stock, n, each, orders_made
):
    kilim = factory.listing(seller, stock=stock).id
    ids = buyers(factory, n)
    db.session.remove()

    outcomes = race(app, [buying(user_id, {kilim: each}) for user_id in ids])

    assert outcomes == ["ordered"] * orders_made + ["sold out"] * (n - orders_made)
    assert left(kilim) == stock - orders_made * each
    assert_stock_conserved(kilim, stock)


def test_two_sizes_of_one_garment_race_each_for_their_own_stock(app, factory, seller):
    from shop.listings import services as listings
    from shop.listings.variants import OptionKind, VariantTerms

    shawl = factory.listing(seller, title="شال سوزن‌دوزی", stock=0)
    shawl_id = shawl.id
    with transaction():
        listings.set_listing_options(seller, shawl, [OptionKind("اندازه", ("S", "M", "L"))])
        by_size = {v.option1: v.id for v in shawl.variants}
        listings.update_listing_variants(
            seller,
            shawl,
            {
                by_size["S"]: VariantTerms(1),
                by_size["M"]: VariantTerms(2),
                by_size["L"]: VariantTerms(9),
            },
        )
    small, medium = by_size["S"], by_size["M"]
    ids = buyers(factory, 30)
    db.session.remove()

    attempts = [buying(u, {}, variants={small: 1}) for u in ids[:15]]
    attempts += [buying(u, {}, variants={medium: 1}) for u in ids[15:]]
    outcomes = race(app, attempts)

    # One S and two M: sizes are taken from their own stock, never from another's.
    assert outcomes == ["ordered"] * 3 + ["sold out"] * 27
    stock = dict(
        db.session.execute(
            select(ProductVariant.option1, ProductVariant.stock_quantity).where(
                ProductVariant.product_id == shawl_id, ProductVariant.is_active.is_(True)
            )
        ).all()
    )
    assert stock == {"S": 0, "M": 0, "L": 9}
    sold = db.session.execute(
        select(OrderLine.variant_id, func.sum(OrderLine.quantity)).group_by(OrderLine.variant_id)
    ).all()
    assert dict(sold) == {small: 1, medium: 2}
    assert_stock_conserved(shawl_id, 12)


def test_a_cart_of_two_where_one_runs_out_is_never_ordered_in_part(app, factory, seller):
    plenty = factory.listing(seller, title="کیف", stock=10).id
    scarce = factory.listing(factory.producer(), title="گلیم", stock=3).id
    ids = buyers(factory, 8)
    db.session.remove()

    outcomes = race(app, [buying(u, {plenty: 1, scarce: 1}) for u in ids])

    assert outcomes == ["ordered"] * 3 + ["sold out"] * 5
    assert left(plenty) == 7  # taken only together with the scarce one
    assert left(scarce) == 0
    assert_stock_conserved(plenty, 10)
    assert_stock_conserved(scarce, 3)
    assert db.session.scalar(select(func.count()).select_from(Parcel)) == 6


def test_the_same_checkout_submitted_five_times_at_once_makes_one_order(app, factory, seller):
    kilim = factory.listing(seller, stock=5).id
    buyer_id = factory.user().id
    db.session.remove()

    outcomes = race(app, [buying(buyer_id, {kilim: 1}, key="one-form") for _ in range(5)])

    assert outcomes == ["already placed"] * 4 + ["ordered"]
    assert left(kilim) == 4
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


class OnlineTestProvider:
    """A provider that, like an online gateway, leaves the order awaiting its payment."""

    code = "test-online"

    def start(self, order) -> Started:
        payment = Payment(
            order=order, provider=self.code, amount=order.total, currency=order.currency
        )
        db.session.add(payment)
        return Started([payment], redirect_url="https://gateway.test/pay")

    def confirm(self, payment) -> None:
        payment.status.check_transition(PaymentStatus.CAPTURED)
        payment.status = PaymentStatus.CAPTURED
        payment.captured_at = utcnow()

    def cancel(self, payment) -> None:
        payment.status.check_transition(PaymentStatus.CANCELLED)
        payment.status = PaymentStatus.CANCELLED

    def lookup(self, payment):
        return payment.status


@pytest.fixture
def online(monkeypatch):
    providers.get_provider("cash")  # the built-in ones first
    monkeypatch.setitem(providers._providers, OnlineTestProvider.code, OnlineTestProvider())


def overdue_order(factory, seller, product, **extra):
    buyer = factory.user()
    with transaction():
        order = orders.place_order(
            buyer, checkout({product.id: 2}, payment_method="test-online", **extra)
        )
    assert order.status is OrderStatus.AWAITING_PAYMENT and order.expires_at is not None
    with transaction():
        order.expires_at = utcnow() - timedelta(minutes=1)
    return order


def test_an_unpaid_order_expires_after_the_timeout_and_gives_its_stock_back(
    app, factory, seller, online
):
    kilim = factory.listing(seller, stock=3)
    order = overdue_order(factory, seller, kilim)
    fresh = orders.place_order  # an order still inside its time keeps its stock
    with transaction():
        waiting = fresh(factory.user(), checkout({kilim.id: 1}, payment_method="test-online"))
    assert reload(kilim).stock_quantity == 0

    with transaction():
        expired = orders.expire_orders()

    assert expired == [reload(order).number]
    assert reload(order).status is OrderStatus.EXPIRED
    assert reload(waiting).status is OrderStatus.AWAITING_PAYMENT
    assert reload(kilim).stock_quantity == 2
    payments = db.session.scalars(select(Payment).where(Payment.order_id == order.id)).all()
    assert [p.status for p in payments] == [PaymentStatus.CANCELLED]


def test_expiry_cancel_refusal_and_a_late_payment_racing_give_the_stock_back_once(
    app, factory, seller, online
):
    kilim = factory.listing(seller, stock=3)
    order = overdue_order(factory, seller, kilim)
    order_id, buyer_id, seller_id, kilim_id = order.id, order.buyer_id, seller.id, kilim.id
    parcel_id = order.parcels[0].id
    payment_id = db.session.scalar(select(Payment.id).where(Payment.order_id == order_id))
    db.session.remove()

    def expire():
        orders.expire_orders()

    def cancel():
        orders.cancel_parcel(db.session.get(User, buyer_id), db.session.get(Parcel, parcel_id))

    def refuse():
        orders.refuse_parcel(
            db.session.get(Producer, seller_id), db.session.get(Parcel, parcel_id), "تمام شد"
        )

    def pay_late():
        orders.record_payment(db.session.get(Payment, payment_id))

    outcomes = race(app, [expire, cancel, refuse, pay_late, expire, cancel])

    assert left(kilim_id) == 3  # back exactly once, whoever won
    parcel = db.session.get(Parcel, parcel_id)
    if parcel.status is ParcelStatus.CANCELLED:
        assert parcel.restocked_at is not None
    assert all(o in ("ordered", "too late") or "PaymentTooLate" in o for o in outcomes), outcomes
    assert_stock_conserved(kilim_id, 3)


def test_a_payment_confirmed_in_time_sends_the_order_to_its_producers(app, factory, seller, online):
    kilim = factory.listing(seller, stock=3)
    buyer = factory.user()
    with transaction():
        order = orders.place_order(buyer, checkout({kilim.id: 1}, payment_method="test-online"))
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))

    with transaction():
        orders.record_payment(payment)
    with transaction():
        assert orders.expire_orders(utcnow() + timedelta(days=1)) == []

    order = reload(order)
    assert order.status is OrderStatus.PAID and order.expires_at is None
    assert [p.status for p in order.parcels] == [ParcelStatus.PREPARING]
    assert reload(kilim).stock_quantity == 2


def test_stock_never_goes_below_zero_even_written_directly(app, factory, seller):
    from sqlalchemy.exc import IntegrityError

    kilim = factory.listing(seller, stock=1)
    with pytest.raises(IntegrityError), transaction():
        db.session.get(Product, kilim.id).stock_quantity = -1
    assert reload(kilim).stock_quantity == 1


def test_shop_orders_expire_runs_the_expiry(app, factory, seller, online, runner):
    kilim = factory.listing(seller, stock=3)
    order = overdue_order(factory, seller, kilim)
    number = order.number

    result = runner.invoke(args=["orders", "expire"])

    assert result.exit_code == 0, result.output
    assert result.output == f"expired {number}\n1 order(s) expired.\n"
    assert reload(order).status is OrderStatus.EXPIRED and reload(kilim).stock_quantity == 3
    assert runner.invoke(args=["orders", "expire"]).output == "0 order(s) expired.\n"


def test_a_running_shop_expires_unpaid_orders_by_itself(new_app, online, monkeypatch):
    import time as clock

    from shop.orders import extension
    from tests.conftest import Factory

    monkeypatch.setattr(extension, "EXPIRY_INTERVAL", 0.05)
    app = new_app(SHOP_ORDERS_EXPIRY_WORKER=True)
    with app.test_request_context():
        factory = Factory(app)
        seller = factory.producer()
        kilim = factory.listing(seller, stock=3)
        order = overdue_order(factory, seller, kilim)
        assert "order_expiry_worker" not in app.extensions  # started by the first request

        assert app.test_client().get("/healthz").status_code == 200
        thread, stop = app.extensions["order_expiry_worker"]
        try:
            deadline = clock.monotonic() + 5
            while reload(order).status is not OrderStatus.EXPIRED:
                assert clock.monotonic() < deadline, "not expired within 5 s"
                clock.sleep(0.05)
            assert reload(kilim).stock_quantity == 3
        finally:
            stop.set()
            thread.join(5)
