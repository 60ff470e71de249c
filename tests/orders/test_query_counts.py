"""The cart page and the checkout review page run as many SQL queries for one line as for many:
given a signed-in buyer whose cart holds 1 line from 1 producer, and another whose cart holds 6
lines from 3 producers (each producer with its own centre and shipping terms, each listing with
a photo), when each opens the page, then both take the same number of statements."""

from __future__ import annotations

import pytest

from shop.database import transaction
from shop.orders.shipping import ShippingTerms, set_shipping_terms
from tests.conftest import login


def _buyer_with_cart(app, factory, producers: int, lines_each: int):
    buyer = factory.user()
    client = app.test_client()
    assert login(client, buyer.email).status_code == 303
    for p in range(producers):
        producer = factory.producer(centre=factory.centre(name=f"مرکز {buyer.id}-{p}"))
        with transaction():
            set_shipping_terms(producer, ShippingTerms(True, 900_000, 50_000_000, True))
        for n in range(lines_each):
            product = factory.listing(producer, title=f"کالا {p}-{n}", stock=5)
            response = client.post("/cart/add", data={"product_id": product.id, "quantity": 2})
            assert response.status_code == 303
    return client


def _queries(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return counter.count


@pytest.mark.parametrize("url", ["/cart", "/checkout"])
def test_the_page_takes_the_same_queries_for_one_line_as_for_six_from_three_producers(
    app, factory, count_queries, url
):
    one_line = _buyer_with_cart(app, factory, producers=1, lines_each=1)
    six_lines = _buyer_with_cart(app, factory, producers=3, lines_each=2)

    one = _queries(one_line, count_queries, url)
    six = _queries(six_lines, count_queries, url)

    assert six == one, f"{url}: {one} queries for 1 line, {six} for 6 lines from 3 producers"
