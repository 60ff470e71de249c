"""Every state-changing endpoint refuses a request without a valid CSRF token."""

import re

import pytest
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.extensions import db
from shop.listings.models import Product


def _post_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            rules.append(rule)
    return rules


def _fill(rule, ids):
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), rule.rule)


def test_every_post_endpoint_is_covered(app):
    assert len(_post_rules(app)) >= 20


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_post_without_valid_token_is_refused_and_changes_nothing(
    app, client, factory, login_as, token
):
    admin = factory.admin()
    producer = factory.producer(user=admin)
    product = factory.listing(producer, active=False)
    login_as(admin)
    ids = {
        "product_id": product.id,
        "producer_id": producer.id,
        # the token is checked before any lookup, so an id that matches the route is enough
        "photo_id": product.photos[0].id if product.photos else 1,
        "code": "en",
        "request_id": 1,
        "decision": "accept",
    }
    before = (db.session.scalar(select(func.count(User.id))), product.status, product.title)

    for rule in _post_rules(app):
        url = _fill(rule, ids)
        data = {"title": "x", "reason": "x", "email": "a@b.c", "password": "x" * 10}
        if token:
            data["csrf_token"] = token
        response = client.post(url, data=data, csrf=False)
        assert response.status_code == 400, url

    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (db.session.scalar(select(func.count(User.id))), product.status, product.title) == before
    assert client.get("/account").status_code == 200  # still signed in: logout was refused too


def test_every_post_endpoint_but_the_language_switch_refuses_a_visitor_without_a_token(
    app, client, factory
):
    # Given a visitor who is not signed in
    user_count = db.session.scalar(select(func.count(User.id)))

    for rule in _post_rules(app):
        url = _fill(rule, {"code": "en", "decision": "accept"})
        data = {"email": "new@example.com", "password": "x" * 10, "confirm": "x" * 10}
        data["display_name"] = "x"

        # When they post to it without a token
        response = client.post(url, data=data, csrf=False)

        # Then only the language switch (which only sets a cookie) accepts it
        if rule.endpoint == "i18n.switch_language":
            assert response.status_code == 303, url
        else:
            assert response.status_code == 400, url
    assert db.session.scalar(select(func.count(User.id))) == user_count


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_visitor_switches_language_without_a_token(client, ctx, token):
    data = {"next": "/categories/kilim"}
    if token:
        data["csrf_token"] = token

    response = client.post("/language/en", data=data, csrf=False)

    assert response.status_code == 303
    assert response.headers["Location"] == "/categories/kilim"
    assert client.get_cookie("lang").value == "en"
    assert '<html lang="en" dir="ltr">' in client.get("/").text


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_signed_in_switch_without_a_valid_token_changes_nothing(client, factory, login_as, token):
    # Given a signed-in person whose account remembers Persian
    user = factory.user()
    login_as(user)
    data = {"next": "/"}
    if token:
        data["csrf_token"] = token

    # When a forged form (no valid token) switches them to English
    response = client.post("/language/en", data=data, csrf=False)

    # Then it is refused, and neither the cookie nor the account changed
    assert response.status_code == 400
    assert client.get_cookie("lang") is None
    db.session.expire_all()
    assert db.session.get(User, user.id).locale is None


def test_a_signed_in_switch_with_its_token_changes_the_account(client, factory, login_as):
    user = factory.user()
    login_as(user)

    response = client.post("/language/en", data={"next": "/"})

    assert response.status_code == 303
    assert client.get_cookie("lang").value == "en"
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
