"""Through the pages: the request that commits a change also applies it to the index
(after_request drains the outbox), with nothing else needed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.listings.models import ProductStatus
from shop.search.models import SearchOutboxEntry
from tests.conftest import PASSWORD


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    return client


def api_ids(app, text: str) -> list[int]:
    """The listings GET /api/v1/products?q=… answers, from the index (a new searcher: the
    reused one's refresh is tested in test_sync_searcher.py)."""
    app.extensions["search"].close()
    data = app.test_client().get("/api/v1/products", query_string={"q": text}).get_json()
    assert data["degraded"] is False
    return [item["id"] for item in data["items"]]


@pytest.fixture
def admin_client(app, factory):
    return signed_in(app, factory.admin())


def shown(product) -> dict:
    """The revision and version the admin's queue shows for ``product`` now."""
    db.session.expire_all()
    revision = product.open_revision
    return {"revision_id": str(revision.id), "version": str(revision.version)}


def test_admin_approving_a_listing_makes_it_searchable_at_once(app, factory, admin_client):
    product = factory.listing(factory.producer(), title="گلیم approvedview", active=False)
    assert api_ids(app, "approvedview") == []

    response = admin_client.post(f"/admin/listings/{product.id}/approve", data=shown(product))

    assert response.status_code == 303
    assert outbox_size() == 0  # applied by the request itself
    assert api_ids(app, "approvedview") == [product.id]
    app.extensions["search"].close()
    html = app.test_client().get("/search", query_string={"q": "approvedview"}).text
    assert "گلیم approvedview" in html


def test_admin_rejecting_an_edit_keeps_it_out(app, factory, admin_client):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم viewreject")
    owner = signed_in(app, producer.user)
    form = {
        "title": "گلیم viewreject دوم",
        "category_id": str(product.category_id),
        "description": "",
        "description_format": "plain",
        "price": "1200000",
        "stock_quantity": "2",
    }

    assert owner.post(f"/producer/listings/{product.id}/edit", data=form).status_code == 303
    assert outbox_size() == 0
    assert api_ids(app, "viewreject") == [product.id]  # on sale as approved meanwhile

    response = admin_client.post(
        f"/admin/listings/{product.id}/reject", data={**shown(product), "reason": "عکس تار است"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert product.status is ProductStatus.ACTIVE
    assert outbox_size() == 0
    assert api_ids(app, "viewreject") == [product.id]
    html = app.test_client().get("/search", query_string={"q": "viewreject"}).text
    assert "گلیم viewreject دوم" not in html


def test_producer_pause_resume_delete_pages(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="کیف viewpause")
    owner = signed_in(app, producer.user)
    assert api_ids(app, "viewpause") == [product.id]

    assert owner.post(f"/producer/listings/{product.id}/pause").status_code == 303
    assert outbox_size() == 0
    assert api_ids(app, "viewpause") == []

    assert owner.post(f"/producer/listings/{product.id}/resume").status_code == 303
    assert outbox_size() == 0
    assert api_ids(app, "viewpause") == [product.id]

    assert owner.post(f"/producer/listings/{product.id}/delete").status_code == 303
    assert outbox_size() == 0
    assert api_ids(app, "viewpause") == []


def test_producer_edit_page_then_admin_approval(app, factory, admin_client):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم viewold")
    owner = signed_in(app, producer.user)
    form = {
        "title": "گلیم viewnew",
        "category_id": str(product.category_id),
        "description": "",
        "description_format": "plain",
        "price": "1200000",
        "stock_quantity": "2",
    }

    assert owner.post(f"/producer/listings/{product.id}/edit", data=form).status_code == 303
    assert api_ids(app, "viewold") == [product.id]
    assert api_ids(app, "viewnew") == []

    decision = shown(product)
    assert (
        admin_client.post(f"/admin/listings/{product.id}/approve", data=decision).status_code == 303
    )
    assert api_ids(app, "viewold") == []
    assert api_ids(app, "viewnew") == [product.id]


def test_brand_page_renaming_the_shop(app, factory):
    producer = factory.producer(shop_name="کارگاه viewoldshop")
    items = sorted(factory.listing(producer, title=f"سبد {n}").id for n in range(2))
    owner = signed_in(app, producer.user)
    assert sorted(api_ids(app, "viewoldshop")) == items

    response = owner.post(
        "/producer/brand",
        data={
            "shop_name": "کارگاه viewnewshop",
            "tagline": "",
            "story": "",
            "color_primary": "#7a3e2b",
            "color_secondary": "#f4e1c1",
        },
    )

    assert response.status_code == 303
    assert outbox_size() == 0
    assert sorted(api_ids(app, "viewnewshop")) == items
    assert api_ids(app, "viewoldshop") == []
