"""The admin's orders page: every order with its parcels and payments, found by number, buyer
or shop, in a fixed number of queries; only admins see it."""

from __future__ import annotations

from shop.database import transaction
from shop.orders import services as orders
from tests.orders.test_place_order import checkout


def place(buyer, quantities, key):
    with transaction():
        return orders.place_order(buyer, checkout(quantities, key=key))


def test_an_admin_finds_orders_by_number_buyer_or_shop(client, factory, login_as):
    weaver = factory.producer(shop_name="کارگاه گلیم")
    kilim = factory.listing(weaver, title="گلیم قشقایی", stock=9)
    sara = factory.user(email="sara@example.com", name="سارا")
    first = place(sara, {kilim.id: 1}, "a").number
    second = place(factory.user(email="reza@example.com"), {kilim.id: 2}, "b").number
    login_as(factory.admin())

    everything = client.get("/admin/orders").text
    assert first in everything and second in everything and "گلیم قشقایی" in everything
    assert "نقد" in everything
    by_buyer = client.get("/admin/orders?q=sara@").text
    assert first in by_buyer and second not in by_buyer
    assert second in client.get(f"/admin/orders?q={second.lower()}").text
    assert "سفارشی پیدا نشد" in client.get("/admin/orders?q=nothing-like-this").text


def test_only_admins_see_the_orders(client, factory, login_as):
    login_as(factory.user())
    assert client.get("/admin/orders").status_code in (302, 403, 404)


def test_the_page_takes_the_same_queries_for_few_orders_or_many(
    client, factory, login_as, count_queries
):
    kilim = factory.listing(factory.producer(), stock=50)
    buyer = factory.user()
    place(buyer, {kilim.id: 1}, "k0")
    login_as(factory.admin())
    with count_queries() as few:
        client.get("/admin/orders")
    for n in range(1, 6):
        other = factory.listing(factory.producer(), stock=2)
        place(factory.user(), {kilim.id: 1, other.id: 1}, f"k{n}")
    with count_queries() as many:
        client.get("/admin/orders")
    assert many.count == few.count
