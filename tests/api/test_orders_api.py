"""``GET /api/v1/orders`` and ``/api/v1/orders/<number>``: the signed-in buyer's own orders,
by their session cookie, in the API's usual shapes and errors."""

from __future__ import annotations

from shop.database import transaction
from shop.orders import services as orders
from tests.orders.test_place_order import checkout


def place(buyer, quantities, key):
    with transaction():
        return orders.place_order(buyer, checkout(quantities, key=key))


def test_a_buyer_lists_their_orders_newest_first_with_parcels_and_lines(
    app, client, factory, login_as
):
    weaver, tanner = factory.producer(), factory.producer()
    kilim = factory.listing(weaver, title="گلیم", price=2_000_000, stock=5)
    bag = factory.listing(tanner, title="کیف", price=1_500_000, stock=5)
    buyer = factory.user()
    first = place(buyer, {kilim.id: 1}, "a").number
    second = place(buyer, {kilim.id: 2, bag.id: 1}, "b").number
    place(factory.user(), {bag.id: 1}, "c")  # someone else's

    body = login_as(buyer).get("/api/v1/orders").get_json()

    assert [o["number"] for o in body["items"]] == [second, first]
    assert body["total"] == 2 and body["page"] == 1
    newest = body["items"][0]
    post = app.config["SHOP_DEFAULT_POST_RATE"]
    assert newest["status"] == "placed" and newest["payment_method"] == "cash"
    assert newest["total"]["amount"] == 5_500_000 + 2 * post
    assert newest["total"]["currency"] == "IRR"
    assert [len(p["lines"]) for p in newest["parcels"]] == [1, 1]
    line = newest["parcels"][0]["lines"][0]
    assert (line["title"], line["quantity"], line["subtotal"]["amount"]) == ("گلیم", 2, 4_000_000)
    assert "platform_fee_bp" not in line and "commission_bp" not in line
    assert newest["delivery_address"]["postal_code"] == "9177948974"


def test_one_order_by_its_number_and_nobody_elses(client, factory, login_as):
    kilim = factory.listing(factory.producer(), stock=5)
    buyer, stranger = factory.user(), factory.user()
    number = place(buyer, {kilim.id: 1}, "a").number

    mine = login_as(buyer).get(f"/api/v1/orders/{number.lower()}")
    assert mine.status_code == 200 and mine.get_json()["number"] == number
    client.post("/logout")

    login_as(stranger)
    for url in (
        f"/api/v1/orders/{number}",
        "/api/v1/orders/NOSUCH12",
        "/api/v1/orders/" + "X" * 500,
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["status"] == 404


def test_without_signing_in_the_orders_are_a_401_in_the_usual_shape(client, factory):
    for url in ("/api/v1/orders", "/api/v1/orders/ABCD2345"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.get_json() == {
            "error": {"status": 401, "message": "برای دیدن سفارش‌هایتان وارد شوید."}
        }


def test_a_bad_page_is_a_400(client, factory, login_as):
    login_as(factory.user())
    response = client.get("/api/v1/orders?page=" + "9" * 50)
    assert response.status_code == 400 and "page" in response.get_json()["error"]["message"]


def test_the_list_takes_the_same_queries_for_one_order_or_many(
    client, factory, login_as, count_queries
):
    kilim = factory.listing(factory.producer(), stock=50)
    buyer = factory.user()
    place(buyer, {kilim.id: 1}, "k0")
    login_as(buyer)
    with count_queries() as few:
        client.get("/api/v1/orders")
    for n in range(1, 6):
        place(buyer, {kilim.id: 1, factory.listing(factory.producer(), stock=2).id: 1}, f"k{n}")
    with count_queries() as many:
        body = client.get("/api/v1/orders").get_json()

    assert body["total"] == 6
    assert many.count == few.count
