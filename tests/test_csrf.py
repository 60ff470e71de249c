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
        "photo_id": product.photos[0].id,
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
