"""The cart pages: adding from a product page (a visitor without a token, from our own pages
only), the header's count, changing lines, and the cart kept through sign-in."""

from __future__ import annotations

import pytest

from shop.cart.models import Cart, CartLine
from shop.database import transaction
from shop.listings import services as listings
from tests.conftest import PASSWORD, count, login


@pytest.fixture
def kilim(factory):
    return factory.listing(factory.producer(), title="گلیم قشقایی", price=2_000_000, stock=3)


def add(client, product, quantity="1", **headers):
    return client.post(
        "/cart/add",
        data={"product_id": str(product.id), "quantity": quantity},
        csrf=False,
        headers=headers,
    )


def lines(client) -> dict[int, int]:
    carts = Cart.query.all()
    return {line.product_id: line.quantity for cart in carts for line in cart.lines}


def test_a_visitor_adds_from_the_product_page_and_sees_the_count_everywhere(client, kilim):
    page = client.get(f"/products/{kilim.id}").text
    assert 'action="/cart/add"' in page and "csrf_token" not in page  # still cacheable

    response = add(client, kilim, "2", Origin="http://localhost")

    assert response.status_code == 303 and response.headers["Location"] == "/cart"
    cart_page = client.get("/cart")
    assert "گلیم قشقایی" in cart_page.text and "۴۰۰٬۰۰۰ تومان" in cart_page.text
    home = client.get("/")
    assert 'class="count">۲<' in home.text
    assert home.headers["Cache-Control"] == "no-store"  # it shows this visitor's cart


def test_an_add_posted_from_another_site_is_refused(client, kilim):
    for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}):
        assert add(client, kilim, **headers).status_code == 403
    assert count(CartLine) == 0


@pytest.mark.parametrize(
    ("quantity", "status"),
    [("0", 400), ("abc", 400), ("۱۰۰", 400), ("9" * 400, 400), ("4", 409)],
)
def test_a_bad_or_excessive_quantity_gets_a_message_and_adds_nothing(
    client, kilim, quantity, status
):
    response = add(client, kilim, quantity)

    assert response.status_code == status
    assert 'role="alert"' in response.text
    assert count(CartLine) == 0


def test_a_listing_not_for_sale_cannot_be_added(client, kilim):
    with transaction():
        listings.pause_listing(kilim.producer, kilim)

    for product_id in (str(kilim.id), "999999", "", "x"):
        response = client.post("/cart/add", data={"product_id": product_id}, csrf=False)
        assert response.status_code in (400, 404), product_id
    assert count(CartLine) == 0


def test_signed_in_the_add_needs_the_pages_token(client, login_as, factory, kilim):
    login_as(factory.user())

    assert add(client, kilim).status_code == 400
    assert client.post("/cart/add", data={"product_id": kilim.id}).status_code == 303
    assert lines(client) == {kilim.id: 1}


def test_lines_are_changed_and_removed_and_nobody_elses_can_be(client, app, factory, kilim):
    add(client, kilim)
    line_id = CartLine.query.one().id
    assert client.post(f"/cart/lines/{line_id}", data={"quantity": "3"}).status_code == 303
    assert client.post(f"/cart/lines/{line_id}", data={"quantity": "4"}).status_code == 409
    assert lines(client) == {kilim.id: 3}

    stranger = app.test_client()
    assert stranger.post(f"/cart/lines/{line_id}", data={"quantity": "1"}).status_code == 404
    assert stranger.post(f"/cart/lines/{line_id}/remove").status_code == 404
    assert lines(client) == {kilim.id: 3}

    assert client.post(f"/cart/lines/{line_id}/remove").status_code == 303
    assert count(CartLine) == 0


def test_the_visitors_cart_is_kept_when_they_sign_in(client, factory, kilim):
    buyer = factory.user()
    add(client, kilim, "2")

    assert login(client, buyer.email, PASSWORD).status_code == 303

    cart = Cart.query.filter_by(user_id=buyer.id).one()
    assert {line.product_id: line.quantity for line in cart.lines} == {kilim.id: 2}
    assert Cart.query.filter(Cart.token.is_not(None)).count() == 0
    assert 'class="count">۲<' in client.get("/").text


def test_the_visitors_cart_is_kept_when_they_register(client, kilim):
    add(client, kilim)

    response = client.post(
        "/register",
        data={
            "display_name": "سارا",
            "email": "sara@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )

    assert response.status_code == 303
    cart = Cart.query.one()
    assert cart.user is not None and cart.user.email == "sara@example.com"
    assert [line.product_id for line in cart.lines] == [kilim.id]


def test_a_producer_sees_no_add_button_on_their_own_listing(client, login_as, kilim):
    login_as(kilim.producer.user)
    assert 'action="/cart/add"' not in client.get(f"/products/{kilim.id}").text
