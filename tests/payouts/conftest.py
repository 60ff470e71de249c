"""Sales that leave producers and a cooperative with money to pay out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from shop.database import transaction, utcnow
from shop.extensions import db
from shop.orders import services as orders
from shop.orders.models import Order, Parcel
from tests.conftest import reload
from tests.orders.test_place_order import checkout

GOOD = "IR820540102680020817909002"
_keys = iter(range(10**6))


def sell_online(factory, producer, price=2_000_000, days_ago=8) -> Order:
    """A Zarinpal order of ``producer``'s, paid and delivered ``days_ago`` days ago."""
    listing = factory.listing(producer, price=price, stock=5)
    with transaction():
        order = orders.place_order(
            factory.user(),
            checkout({listing.id: 1}, key=f"p{next(_keys)}", payment_method="zarinpal"),
        )
    with transaction():
        orders.record_payment(db.session.get(Order, order.id).payments[0])
    with transaction():
        parcel = db.session.get(Order, order.id).parcels[0]
        orders.ship_parcel(parcel.producer, parcel, "پست", "1")
        orders.deliver_parcel(parcel.producer, parcel)
    with transaction():
        db.session.execute(
            update(Parcel)
            .where(Parcel.order_id == order.id)
            .values(delivered_at=utcnow() - timedelta(days=days_ago))
        )
    return reload(order)


def sell_cash(factory, producer, price=200_000, days_ago=8) -> Order:
    listing = factory.listing(producer, price=price, stock=5)
    with transaction():
        order = orders.place_order(factory.user(), checkout({listing.id: 1}, key=f"c{next(_keys)}"))
    with transaction():
        parcel = db.session.get(Order, order.id).parcels[0]
        orders.ship_parcel(parcel.producer, parcel, "پست", "1")
        orders.deliver_parcel(parcel.producer, parcel, cash_received=True)
        parcel.delivered_at = utcnow() - timedelta(days=days_ago)
    return reload(order)


def with_sheba(producer, sheba=GOOD):
    with transaction():
        reload(producer).sheba = sheba
    return reload(producer)


@pytest.fixture
def members(factory, gateway):
    """A cooperative taking 4% and its weaver (with a Sheba), who sold online and for cash;
    a tanner who sold online but has no Sheba; a potter whose sale is still held."""
    cooperative = factory.cooperative()
    with transaction():
        cooperative.commission_bp = 400
        cooperative.sheba = GOOD
    weaver = with_sheba(factory.producer(cooperative=cooperative))
    tanner = factory.producer()
    potter = with_sheba(factory.producer())
    for _ in range(10):  # the cooperative's 4% of 30 million passes the minimum
        sell_online(factory, weaver, price=3_000_000)
    sell_cash(factory, weaver)
    sell_online(factory, tanner)
    sell_online(factory, potter, days_ago=2)
    return reload(cooperative), weaver, tanner, potter
