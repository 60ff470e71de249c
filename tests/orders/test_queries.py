"""What the order pages will read: a producer's parcels by tab and their count of new ones,
and the admin's search over every order. Nobody sees another's parcels."""

from __future__ import annotations

import pytest

from shop.database import transaction
from shop.orders import queries
from shop.orders import services as orders
from shop.orders.queries import ParcelGroup
from tests.conftest import reload
from tests.orders.test_place_order import checkout


def place(buyer, quantities, key):
    with transaction():
        return orders.place_order(buyer, checkout(quantities, key=key))


@pytest.fixture
def trade(factory):
    weaver = factory.producer(shop_name="کارگاه گلیم")
    tanner = factory.producer(shop_name="چرم نو")
    kilim = factory.listing(weaver, stock=20)
    bag = factory.listing(tanner, stock=20)
    buyer = factory.user(email="sara@example.com", name="سارا")
    return weaver, tanner, kilim, bag, buyer


def ids(page) -> list[int]:
    return [p.id for p in page.items]


def test_a_producers_parcels_move_from_new_to_shipped_to_delivered(trade):
    weaver, _tanner, kilim, bag, buyer = trade
    first = place(buyer, {kilim.id: 1, bag.id: 1}, "a").parcels[0]
    second = place(buyer, {kilim.id: 1}, "b").parcels[0]
    assert first.producer_id == weaver.id

    def group(name):
        return ids(queries.list_producer_parcels(weaver, name, 1, 20))

    assert group(ParcelGroup.NEW) == [first.id, second.id]  # first come, first served
    assert queries.count_new_parcels(weaver) == 2

    with transaction():
        orders.open_parcel(weaver, first)
    with transaction():
        orders.open_parcel(weaver, second)
        orders.ship_parcel(weaver, second, "پست", "RR1")

    assert group(ParcelGroup.NEW) == [] and queries.count_new_parcels(weaver) == 0
    assert group(ParcelGroup.PREPARING) == [first.id]
    assert group(ParcelGroup.SHIPPED) == [second.id]
    assert reload(first).seen_at is not None


def test_a_producer_never_gets_another_producers_parcel(trade):
    weaver, tanner, kilim, _bag, buyer = trade
    parcel = place(buyer, {kilim.id: 1}, "a").parcels[0]

    assert queries.get_producer_parcel(weaver, parcel.id).id == parcel.id
    assert queries.get_producer_parcel(tanner, parcel.id) is None
    assert queries.get_producer_parcel(weaver, 10**6) is None
    assert ids(queries.list_producer_parcels(tanner, ParcelGroup.NEW, 1, 20)) == []
    with pytest.raises(orders.NotFound), transaction():
        orders.open_parcel(tanner, parcel)
    assert reload(parcel).seen_at is None


@pytest.mark.parametrize(
    ("text", "found"),
    [("", {"a", "b"}), ("sara@", {"a", "b"}), ("سارا", {"a", "b"}), ("چرم نو", {"a"})],
)
def test_admins_find_orders_by_number_buyer_or_shop(trade, factory, text, found):
    _weaver, _tanner, kilim, bag, buyer = trade
    made = {"a": place(buyer, {kilim.id: 1, bag.id: 1}, "a"), "b": place(buyer, {kilim.id: 1}, "b")}
    place(factory.user(email="other@example.com", name="دیگری"), {kilim.id: 1}, "c")
    expected = {made[key].number for key in found}

    numbers = {o.number for o in queries.search_orders(text, 1, 50).items}

    if text:
        assert numbers == expected
    else:
        assert expected < numbers and len(numbers) == 3


def test_an_order_is_found_by_its_number_typed_in_lower_case(trade):
    _weaver, _tanner, kilim, _bag, buyer = trade
    number = place(buyer, {kilim.id: 1}, "a").number

    assert [o.number for o in queries.search_orders(number.lower(), 1, 20).items] == [number]
    assert queries.search_orders("%", 1, 20).total == 1  # a wildcard typed is just ignored
