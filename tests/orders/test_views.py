"""Checkout and the buyer's order pages: the review shows every amount, the order is placed
once however often the form is sent, bad input changes nothing, and nobody sees another's."""

from __future__ import annotations

import re

import pytest

from shop.cart.models import CartLine
from shop.database import transaction
from shop.listings import services as listings
from shop.orders.models import Order, ParcelStatus, SavedAddress, ShippingMethod
from tests.conftest import count, form_errors, reload

FORM = {
    "recipient": "مریم رضایی",
    "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
    "province": "razavi-khorasan",
    "city": "مشهد",
    "street_address": "بلوار طلاب، کوچه ۱۲",
    "postal_code": "۹۱۷۷۹-۴۸۹۷۴",
    "save_address": "y",
    "payment_method": "cash",
}


@pytest.fixture
def shopping(client, factory, login_as):
    weaver = factory.producer(centre=factory.centre(name="مرکز رویش طلاب"))
    tanner = factory.producer()
    kilim = factory.listing(weaver, title="گلیم", price=2_000_000, stock=3)
    bag = factory.listing(tanner, title="کیف", price=1_500_000, stock=5)
    buyer = factory.user()
    login_as(buyer)
    for product, quantity in ((kilim, 2), (bag, 1)):
        assert client.post("/cart/add", data={"product_id": product.id, "quantity": quantity})
    return weaver, tanner, kilim, bag, buyer


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def review(client) -> dict:
    html = client.get("/checkout").text
    return {"reviewed": hidden(html, "reviewed"), "key": hidden(html, "key")}


def test_the_review_page_shows_every_parcel_with_its_shipping_and_the_total(app, client, shopping):
    weaver, _tanner, *_ = shopping
    html = client.get("/checkout").text

    assert "گلیم" in html and "کیف" in html
    assert f'name="shipping-{weaver.id}" value="centre_pickup"' in html
    assert "مرکز رویش طلاب" in html
    post = app.config["SHOP_DEFAULT_POST_RATE"] // 10
    total = (4_000_000 + 1_500_000) // 10 + 2 * post
    assert f"{total:,}".translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")) in html


def test_placing_the_order_splits_it_into_parcels_and_empties_the_cart(client, shopping):
    weaver, tanner, kilim, _bag, _buyer = shopping
    form = {**FORM, **review(client), f"shipping-{weaver.id}": "centre_pickup"}

    response = client.post("/checkout", data=form)

    assert response.status_code == 303
    order = Order.query.one()
    assert response.headers["Location"] == f"/orders/{order.number}"
    assert {p.producer_id: p.shipping_method for p in order.parcels} == {
        weaver.id: ShippingMethod.CENTRE_PICKUP,
        tanner.id: ShippingMethod.POST,
    }
    assert (order.mobile, order.postal_code) == ("09121234567", "9177948974")
    assert count(CartLine) == 0 and reload(kilim).stock_quantity == 1
    assert count(SavedAddress) == 1
    page = client.get(response.headers["Location"]).text
    assert order.number in page and "در حال آماده‌سازی" in page


def test_the_same_checkout_sent_twice_is_one_order(client, shopping):
    form = {**FORM, **review(client)}

    first = client.post("/checkout", data=form)
    again = client.post("/checkout", data=form)

    assert count(Order) == 1
    number = Order.query.one().number
    assert first.headers["Location"] == again.headers["Location"] == f"/orders/{number}"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mobile": "02112345678"}, "mobile"),
        ({"postal_code": "123"}, "postal_code"),
        ({"province": "atlantis"}, "province"),
        ({"recipient": ""}, "recipient"),
    ],
)
def test_a_bad_address_gets_a_message_at_its_field_and_nothing_is_ordered(
    client, shopping, change, field
):
    form = {**FORM, **review(client), **change}

    response = client.post("/checkout", data=form)

    assert response.status_code == 400
    assert form_errors(response.text) or "form-errors" in response.text
    assert count(Order) == 0 and count(CartLine) == 2


def test_a_tampered_shipping_choice_or_payment_method_is_refused(client, shopping):
    weaver, tanner, *_ = shopping
    for change in (
        {f"shipping-{tanner.id}": "centre_pickup"},  # tanner has no centre
        {f"shipping-{weaver.id}": "drone"},
        {"payment_method": "free"},
    ):
        response = client.post("/checkout", data={**FORM, **review(client), **change})
        assert response.status_code == 400, change
    assert count(Order) == 0


def test_a_cart_changed_after_the_review_is_not_ordered(client, shopping):
    _weaver, tanner, _kilim, bag, _buyer = shopping
    form = {**FORM, **review(client)}
    with transaction():
        listings.update_listing(tanner, bag, listings.ListingData.of(bag, price=1_900_000))

    response = client.post("/checkout", data=form)

    assert response.status_code == 409
    assert "تغییر کرده است" in response.text
    assert count(Order) == 0


def test_a_line_sold_out_after_the_review_gets_the_sold_out_answer(client, shopping):
    _weaver, _tanner, kilim, _bag, _buyer = shopping
    form = {**FORM, **review(client)}
    with transaction():  # other buyers take all but one of the two this buyer reviewed
        reload(kilim).stock_quantity = 1

    response = client.post("/checkout", data=form)

    assert response.status_code == 409
    errors = re.search(r'class="form-errors"[^>]*>(.*?)</div>', response.text, re.S).group(1)
    assert "گلیم" in errors
    assert count(Order) == 0 and count(CartLine) == 2
    assert reload(kilim).stock_quantity == 1


def test_checkout_asks_a_visitor_to_sign_in_and_keeps_their_cart(app, factory):
    kilim = factory.listing(factory.producer(), stock=2)
    visitor = app.test_client()
    visitor.post("/cart/add", data={"product_id": kilim.id}, csrf=False)

    response = visitor.get("/checkout")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nobody_sees_or_cancels_another_buyers_order(app, client, factory, shopping):
    client.post("/checkout", data={**FORM, **review(client)})
    order = Order.query.one()
    parcel = order.parcels[0]
    stranger = app.test_client()
    from tests.conftest import login

    login(stranger, factory.user().email)

    assert stranger.get(f"/orders/{order.number}").status_code == 404
    assert stranger.post(f"/orders/{order.number}/parcels/{parcel.id}/cancel").status_code == 404
    assert reload(parcel).status is ParcelStatus.PREPARING
    assert order.number not in stranger.get("/orders").text


def test_the_buyer_cancels_a_parcel_before_it_ships(client, shopping):
    kilim = shopping[2]
    client.post("/checkout", data={**FORM, **review(client)})
    order = Order.query.one()
    parcel = next(p for p in order.parcels if p.lines[0].product_id == kilim.id)

    response = client.post(f"/orders/{order.number}/parcels/{parcel.id}/cancel")

    assert response.status_code == 303
    assert reload(parcel).status is ParcelStatus.CANCELLED
    assert reload(kilim).stock_quantity == 3
    again = client.post(f"/orders/{order.number}/parcels/{parcel.id}/cancel")
    assert again.status_code == 409
