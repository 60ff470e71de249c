"""Deleting a listing asks first, on a page of its own that works without script."""

from __future__ import annotations

from shop.extensions import db
from shop.listings.models import Product, ProductStatus
from tests.web.markup import parse


def test_the_dashboard_links_to_a_confirmation_instead_of_deleting(client, factory, login_as):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم دستباف")
    login_as(producer.user)
    client.set_cookie("lang", "en")

    row = parse(client.get("/producer/").text).find("tr", **{"data-listing": str(product.id)})
    delete = [a for a in row.find_all("a") if a.text.startswith("Delete")]
    assert [a.attrs["href"] for a in delete] == [f"/producer/listings/{product.id}/delete"]
    assert row.find_all("form", action=f"/producer/listings/{product.id}/delete") == []
    # Each button says which listing it acts on (hidden words after the visible ones).
    assert delete[0].text == "Delete — گلیم دستباف"


def test_the_confirmation_shows_the_listing_and_deletes_nothing(client, factory, login_as):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم دستباف", price=1_200_000)
    login_as(producer.user)
    client.set_cookie("lang", "en")

    response = client.get(f"/producer/listings/{product.id}/delete")

    assert response.status_code == 200
    root = parse(response.text)
    assert root.find("h1").text == "Delete this listing?"
    assert root.find("h2").text == "گلیم دستباف"
    assert "120,000 toman" in root.find(class_="confirm").text
    form = root.find("form", action=f"/producer/listings/{product.id}/delete")
    assert form.attrs["method"] == "post"
    assert form.find("button").text == "Delete"
    assert form.find("a").attrs["href"] == "/producer/"
    assert form.find("a").text == "Cancel"
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.ACTIVE
    assert client.get(f"/products/{product.id}").status_code == 200


def test_the_confirmed_delete_still_deletes(client, factory, login_as):
    producer = factory.producer()
    product = factory.listing(producer)
    login_as(producer.user)

    response = client.post(f"/producer/listings/{product.id}/delete")

    assert response.status_code == 303
    assert response.headers["Location"] == "/producer/"
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.DELETED


def test_nobody_else_sees_the_confirmation_of_a_listing(client, factory, login_as):
    owner = factory.producer()
    product = factory.listing(owner)
    login_as(factory.producer().user)

    assert client.get(f"/producer/listings/{product.id}/delete").status_code == 404
    assert client.get("/producer/listings/999999999/delete").status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.ACTIVE


def test_a_visitor_is_sent_to_sign_in(client, factory):
    product = factory.listing(factory.producer())
    response = client.get(f"/producer/listings/{product.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
