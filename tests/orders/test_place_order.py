"""Placing an order: one transaction that takes the stock, splits the order into one parcel
per producer, snapshots prices and fee rates, and starts the payment (cash on delivery)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.database import transaction
from shop.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from shop.listings import services as listings
from shop.orders import services as orders
from shop.orders.models import (
    CancelledBy,
    Order,
    OrderLine,
    OrderStatus,
    Parcel,
    ParcelStatus,
    ShippingMethod,
    ShippingPolicy,
)
from shop.orders.services import (
    NUMBER_ALPHABET,
    AlreadyPlaced,
    BadQuantity,
    Checkout,
    DeliveryAddress,
    EmptyCheckout,
    OutOfStock,
    ShippingNotOffered,
    Unavailable,
    UnknownPaymentMethod,
)
from shop.payments.models import Payment, PaymentStatus
from tests.conftest import assert_session_clean, by_variant, count, reload

ADDRESS = DeliveryAddress(
    recipient="مریم رضایی",
    mobile="09121234567",
    province="razavi-khorasan",
    city="مشهد",
    street_address="بلوار طلاب، کوچه ۱۲، پلاک ۴",
    postal_code="9177948974",
)


def checkout(quantities, key="k1", variants=None, **extra) -> Checkout:
    """A checkout of ``quantities`` (listing id → quantity, each listing's one variant) and
    ``variants`` (variant id → quantity)."""
    return Checkout(
        quantities={**by_variant(quantities), **(variants or {})},
        address=extra.pop("address", ADDRESS),
        payment_method=extra.pop("payment_method", "cash"),
        idempotency_key=key,
        **extra,
    )


def place(buyer, quantities, **extra) -> Order:
    with transaction():
        return orders.place_order(buyer, checkout(quantities, **extra))


@pytest.fixture
def shop(factory):
    """Two producers, one of them trained at a centre and member of a cooperative at 4%."""
    centre = factory.centre()
    cooperative = factory.cooperative()
    with transaction():
        cooperative.commission_bp = 400
    weaver = factory.producer(centre=centre, cooperative=cooperative)
    tanner = factory.producer()
    kilim = factory.listing(weaver, title="گلیم", price=2_000_000, stock=3)
    rug = factory.listing(weaver, title="تابلوفرش", price=5_000_000, stock=1)
    bag = factory.listing(tanner, title="کیف چرمی", price=1_500_000, stock=10)
    return weaver, tanner, kilim, rug, bag


def stock(product) -> int:
    return reload(product).stock_quantity


def test_an_order_is_split_into_one_parcel_per_producer_with_server_computed_totals(
    app, factory, shop
):
    weaver, tanner, kilim, rug, bag = shop
    buyer = factory.user()

    order = place(buyer, {kilim.id: 2, rug.id: 1, bag.id: 1})

    order = reload(order)
    assert order.status is OrderStatus.PLACED
    assert [p.producer_id for p in order.parcels] == sorted([weaver.id, tanner.id])
    by_producer = {p.producer_id: p for p in order.parcels}
    post = app.config["SHOP_DEFAULT_POST_RATE"]
    assert by_producer[weaver.id].items_total == 2 * 2_000_000 + 5_000_000
    assert by_producer[tanner.id].items_total == 1_500_000
    assert all(p.shipping_cost == post for p in order.parcels)
    assert all(p.status is ParcelStatus.PREPARING for p in order.parcels)
    assert order.items_total == 10_500_000
    assert order.shipping_total == 2 * post
    assert order.total == 10_500_000 + 2 * post
    assert len(order.number) == 8 and set(order.number) <= set(NUMBER_ALPHABET)
    assert (stock(kilim), stock(rug), stock(bag)) == (1, 0, 9)


def test_lines_keep_title_price_and_fee_rates_whatever_changes_later(app, factory, shop):
    weaver, _tanner, kilim, _rug, bag = shop
    buyer = factory.user()
    order = place(buyer, {kilim.id: 1, bag.id: 2})

    # Later: the price and the title change, and so do both rates
    with transaction():
        listings.update_listing(
            weaver,
            kilim,
            listings.ListingData.of(kilim, price=9_000_000, title="گلیم نو"),
        )
        weaver.cooperative.commission_bp = 1000
    app.config["SHOP_PLATFORM_FEE_BP"] = 900

    lines = {line.product_id: line for line in reload(order).lines}
    assert (lines[kilim.id].title, lines[kilim.id].unit_price) == ("گلیم", 2_000_000)
    assert (lines[kilim.id].platform_fee_bp, lines[kilim.id].commission_bp) == (500, 400)
    assert lines[kilim.id].cooperative_id == weaver.cooperative_id
    assert (lines[bag.id].commission_bp, lines[bag.id].cooperative_id) == (0, None)
    assert lines[bag.id].gross == 3_000_000


def test_cash_on_delivery_makes_one_pending_payment_per_parcel(factory, shop):
    _weaver, _tanner, kilim, _rug, bag = shop
    order = reload(place(factory.user(), {kilim.id: 1, bag.id: 1}))

    payments = db_payments(order)
    assert [(p.parcel_id, p.amount, p.status) for p in payments] == [
        (parcel.id, parcel.total, PaymentStatus.PENDING) for parcel in order.parcels
    ]
    assert {p.provider for p in payments} == {"cash"}


def db_payments(order) -> list[Payment]:
    from shop.extensions import db

    return list(
        db.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by("id"))
    )


def test_the_same_checkout_submitted_twice_makes_one_order(factory, shop):
    _weaver, _tanner, kilim, _rug, _bag = shop
    buyer = factory.user()
    first = place(buyer, {kilim.id: 1}, key="same")

    with pytest.raises(AlreadyPlaced):
        place(buyer, {kilim.id: 1}, key="same")

    assert count(Order) == 1 and stock(kilim) == 2
    assert orders.find_order_by_checkout(buyer.id, "same").id == first.id


def test_a_short_line_takes_nothing_and_names_what_is_left(factory, shop):
    _weaver, _tanner, kilim, rug, bag = shop
    buyer = factory.user()

    with pytest.raises(OutOfStock) as refused:
        place(buyer, {kilim.id: 1, rug.id: 2, bag.id: 11})

    assert [(s.product_id, s.wanted, s.available) for s in refused.value.shortages] == [
        (rug.id, 2, 1),
        (bag.id, 11, 10),
    ]
    assert (stock(kilim), stock(rug), stock(bag)) == (3, 1, 10)
    assert count(Order) == count(Parcel) == count(OrderLine) == count(Payment) == 0


@pytest.mark.parametrize("quantity", [0, -1, 100, 10**30, 1.5, "2", None])
def test_a_quantity_outside_one_to_ninety_nine_is_refused(factory, shop, quantity):
    kilim = shop[2]
    with pytest.raises(BadQuantity):
        place(factory.user(), {kilim.id: quantity})
    assert stock(kilim) == 3 and count(Order) == 0


def test_paused_deleted_or_unknown_listings_cannot_be_ordered(factory, shop):
    weaver, _tanner, kilim, rug, _bag = shop
    with transaction():
        listings.pause_listing(weaver, kilim)
        listings.delete_listing(weaver, rug)
    buyer = factory.user()

    for product_id in (kilim.id, rug.id, 10**6):
        with pytest.raises(Unavailable) as refused:
            place(buyer, {product_id: 1})
        assert refused.value.product_id == product_id
    assert count(Order) == 0


def test_a_producer_cannot_buy_from_their_own_shop(factory, shop):
    weaver, _tanner, kilim, _rug, _bag = shop
    with pytest.raises(NotAllowed):
        place(reload(weaver).user, {kilim.id: 1})
    assert stock(kilim) == 3


def test_empty_checkout_and_unknown_payment_method_are_refused(factory, shop):
    kilim, buyer = shop[2], factory.user()
    with pytest.raises(EmptyCheckout):
        place(buyer, {})
    with pytest.raises(UnknownPaymentMethod):
        place(buyer, {kilim.id: 1}, payment_method="iou")
    assert count(Order) == 0


def test_centre_pickup_is_free_and_only_for_producers_of_a_centre(factory, shop):
    weaver, tanner, kilim, _rug, bag = shop
    buyer = factory.user()

    with pytest.raises(ShippingNotOffered):
        place(buyer, {bag.id: 1}, shipping={tanner.id: ShippingMethod.CENTRE_PICKUP})
    order = place(buyer, {kilim.id: 1}, shipping={weaver.id: ShippingMethod.CENTRE_PICKUP})

    parcel = reload(order).parcels[0]
    assert parcel.shipping_cost == 0 and parcel.pickup_centre_id == reload(weaver).centre_id


def test_a_producers_post_rate_and_free_threshold_apply(factory, shop):
    weaver, _tanner, kilim, rug, _bag = shop
    with transaction():
        weaver.shipping_policy = ShippingPolicy(post_rate=300_000, free_post_over=6_000_000)
    buyer = factory.user()

    cheap = place(buyer, {kilim.id: 1}, key="a")
    dear = place(buyer, {kilim.id: 1, rug.id: 1}, key="b")

    assert reload(cheap).parcels[0].shipping_cost == 300_000
    assert reload(dear).parcels[0].shipping_cost == 0  # 7,000,000 ≥ 6,000,000


def test_buyer_cancels_a_parcel_and_its_stock_returns_once(factory, shop):
    _weaver, _tanner, kilim, _rug, bag = shop
    buyer = factory.user()
    order = place(buyer, {kilim.id: 2, bag.id: 1})
    parcel = next(p for p in reload(order).parcels if p.lines[0].product_id == kilim.id)

    with transaction():
        orders.cancel_parcel(buyer, parcel)
    with pytest.raises(IllegalTransition), transaction():
        orders.cancel_parcel(buyer, parcel)

    parcel = reload(parcel)
    assert parcel.status is ParcelStatus.CANCELLED and parcel.cancelled_by is CancelledBy.BUYER
    assert stock(kilim) == 3 and stock(bag) == 9
    assert reload(order).status is OrderStatus.PLACED  # the other parcel goes on
    cash = [p for p in db_payments(order) if p.parcel_id == parcel.id]
    assert [p.status for p in cash] == [PaymentStatus.CANCELLED]


def test_nobody_else_can_cancel_refuse_or_ship_a_parcel(factory, shop):
    _weaver, tanner, kilim, _rug, _bag = shop
    buyer, stranger = factory.user(), factory.user()
    parcel = reload(place(buyer, {kilim.id: 1})).parcels[0]

    with pytest.raises(NotFound), transaction():
        orders.cancel_parcel(stranger, parcel)
    with pytest.raises(NotFound), transaction():
        orders.refuse_parcel(tanner, parcel, "نه")
    with pytest.raises(NotFound), transaction():
        orders.ship_parcel(tanner, parcel, "پست", "123")
    assert reload(parcel).status is ParcelStatus.PREPARING and stock(kilim) == 2
    assert_session_clean()


def test_a_refusal_needs_a_reason_and_returns_the_stock(factory, shop):
    weaver, _tanner, kilim, _rug, _bag = shop
    parcel = reload(place(factory.user(), {kilim.id: 2})).parcels[0]

    with pytest.raises(orders.ReasonRequired), transaction():
        orders.refuse_parcel(weaver, parcel, "   ")
    assert stock(kilim) == 1
    with transaction():
        orders.refuse_parcel(weaver, parcel, "دار قالی شکست")

    parcel = reload(parcel)
    assert (parcel.status, parcel.cancelled_by) == (ParcelStatus.CANCELLED, CancelledBy.PRODUCER)
    assert parcel.cancel_reason == "دار قالی شکست"
    assert stock(kilim) == 3 and reload(parcel.order).status is OrderStatus.CANCELLED


def test_shipped_then_delivered_with_cash_received_completes_the_order(factory, shop):
    weaver, _tanner, kilim, _rug, _bag = shop
    parcel = reload(place(factory.user(), {kilim.id: 1})).parcels[0]

    with pytest.raises(orders.TrackingRequired), transaction():
        orders.ship_parcel(weaver, parcel, "", "")
    with transaction():
        orders.ship_parcel(weaver, parcel, "پست پیشتاز", "۱۲۳۴۵")
    with pytest.raises(IllegalTransition), transaction():
        orders.cancel_parcel(parcel.order.buyer, parcel)
    with transaction():
        orders.deliver_parcel(weaver, parcel, cash_received=True)

    parcel = reload(parcel)
    assert parcel.status is ParcelStatus.DELIVERED and parcel.tracking_code == "۱۲۳۴۵"
    assert [p.status for p in db_payments(parcel.order)] == [PaymentStatus.CAPTURED]
    assert parcel.order.status is OrderStatus.COMPLETED
    assert stock(kilim) == 2  # a delivered parcel keeps its stock taken


def test_an_order_is_paid_only_when_every_live_parcel_is(factory, shop):
    weaver, tanner, kilim, _rug, bag = shop
    order = reload(place(factory.user(), {kilim.id: 1, bag.id: 1}))
    mine = next(p for p in order.parcels if p.producer_id == weaver.id)
    theirs = next(p for p in order.parcels if p.producer_id == tanner.id)

    with transaction():
        orders.confirm_cash(weaver, mine)
    assert reload(order).status is OrderStatus.PLACED
    with transaction():
        orders.confirm_cash(tanner, theirs)
    assert reload(order).status is OrderStatus.PAID


def test_stock_of_a_made_to_order_line_is_never_taken(factory, shop):
    weaver = shop[0]
    custom = factory.listing(weaver, title="فرش سفارشی", made_to_order=True, lead_time=30)
    line = reload(place(factory.user(), {custom.id: 4})).lines[0]

    assert line.is_made_to_order and line.lead_time_days == 30 and line.quantity == 4
    assert reload(custom).stock_quantity == 0


def test_taking_stock_tells_the_search_index(factory, shop):
    from shop.search.models import SearchOutboxEntry

    rug = shop[3]
    place(factory.user(), {rug.id: 1})

    assert count(SearchOutboxEntry, SearchOutboxEntry.target_id == rug.id) == 1
    assert not reload(rug).in_stock


def test_the_address_is_stored_with_ascii_digits_and_trimmed(factory, shop):
    kilim = shop[2]
    typed = DeliveryAddress(
        recipient="  مریم رضایی ",
        mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷",
        province="razavi-khorasan",
        city=" مشهد",
        street_address="بلوار طلاب ",
        postal_code="۹۱۷۷۹-۴۸۹۷۴",
    )

    order = place(factory.user(), {kilim.id: 1}, address=typed)

    order = reload(order)
    assert (order.recipient, order.mobile, order.city) == ("مریم رضایی", "09121234567", "مشهد")
    assert (order.postal_code, order.street_address) == ("9177948974", "بلوار طلاب")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"mobile": "02112345678"}, "BadMobile"),
        ({"postal_code": "12345"}, "BadPostalCode"),
        ({"province": "atlantis"}, "UnknownProvince"),
        ({"recipient": "  "}, "AddressIncomplete"),
        ({"street_address": ""}, "AddressIncomplete"),
    ],
)
def test_a_bad_address_is_refused_and_nothing_is_taken(factory, shop, change, error):
    kilim = shop[2]
    address = DeliveryAddress(**{**vars(ADDRESS), **change})

    with pytest.raises(DomainError) as refused:
        place(factory.user(), {kilim.id: 1}, address=address)

    assert type(refused.value).__name__ == error
    assert stock(kilim) == 3 and count(Order) == 0
