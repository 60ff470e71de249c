"""The searcher is reused between requests and refreshed when the index changes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from shop.database import transaction
from shop.extensions import db
from shop.listings import services as listings
from shop.search import whoosh_searcher
from shop.search.backend import SearchRequest
from shop.search.outbox import enqueue_products
from shop.search.services import drain_outbox, reindex
from tests.conftest import approve_listing
from tests.snapshots import cached_fixture


def search(app, text: str):
    return app.extensions["search"].search(SearchRequest(text=text))


def shared_searcher(app):
    """The searcher the next search would be lent (without searching)."""
    with app.extensions["search"]._searcher() as searcher:
        return searcher


def generation_read(app) -> str:
    return Path(shared_searcher(app)._ix.storage.folder).name


@pytest.fixture
def refresh_now(monkeypatch):
    monkeypatch.setattr(whoosh_searcher, "REFRESH_INTERVAL", 0)


@cached_fixture
def producer(factory):
    producer = factory.producer()
    factory.listing(producer, title="گلیم seedlisting")  # the index is not empty
    return producer


def test_searcher_is_reused_while_the_index_does_not_change(app, producer, refresh_now):
    assert search(app, "seedlisting").total == 1
    first = shared_searcher(app)

    for _ in range(3):
        assert search(app, "seedlisting").total == 1
        assert app.extensions["search"].suggest("seed") == ["seedlisting"]
        assert shared_searcher(app) is first
    assert not first.is_closed


def test_searcher_is_kept_until_the_refresh_interval_passes(app, factory, producer, monkeypatch):
    monkeypatch.setattr(whoosh_searcher, "REFRESH_INTERVAL", 3600)
    assert search(app, "newlisting").total == 0
    first = shared_searcher(app)

    product = factory.listing(producer, title="گلیم newlisting")  # applied to the index

    assert search(app, "newlisting").total == 0  # not looked at yet
    assert shared_searcher(app) is first

    monkeypatch.setattr(whoosh_searcher, "REFRESH_INTERVAL", 0)
    assert search(app, "newlisting").ids == [product.id]
    assert shared_searcher(app) is not first


def test_refreshed_searcher_sees_a_new_listing_and_keeps_working(
    app, factory, producer, refresh_now
):
    assert search(app, "newlisting").total == 0
    first = shared_searcher(app)

    product = factory.listing(producer, title="گلیم newlisting")

    assert search(app, "newlisting").ids == [product.id]
    second = shared_searcher(app)
    assert second is not first
    assert first.is_closed  # the old one is closed once nobody uses it
    # Reused again until the next change, and still readable.
    assert search(app, "seedlisting").total == 1
    assert search(app, "گلیم").total == 2
    assert shared_searcher(app) is second


def test_refreshed_searcher_forgets_a_paused_and_an_edited_listing(
    app, factory, producer, refresh_now
):
    paused = factory.listing(producer, title="گلیم pauseme")
    edited = factory.listing(producer, title="گلیم editme")
    assert search(app, "pauseme").ids == [paused.id]
    assert search(app, "editme").ids == [edited.id]

    with transaction():
        listings.pause_listing(producer, paused)
    edited.title = "گلیم edited"  # a correction that keeps it on sale
    enqueue_products([edited.id])
    db.session.commit()
    drain_outbox()

    assert search(app, "pauseme").ids == []
    assert search(app, "editme").ids == []
    assert search(app, "edited").ids == [edited.id]
    assert search(app, "گلیم").total == 2  # seedlisting and the edited one, once each
    assert app.extensions["search"].suggest("pause") == []


def test_first_listing_of_an_empty_index_is_found_after_a_search(app, factory, refresh_now):
    assert search(app, "firstlisting").total == 0  # opens a searcher on the empty index

    product = factory.listing(factory.producer(), title="گلیم firstlisting")

    assert search(app, "firstlisting").ids == [product.id]


def test_api_sees_an_approval_made_between_two_requests(app, factory, producer, refresh_now):
    client = app.test_client()
    product = factory.listing(producer, title="گلیم apilisting", active=False)
    before = client.get("/api/v1/products", query_string={"q": "گلیم"}).get_json()
    assert before["degraded"] is False and before["total"] == 1

    with transaction():
        approve_listing(product)
    drain_outbox()

    for _ in range(3):
        after = client.get("/api/v1/products", query_string={"q": "گلیم"}).get_json()
        assert after["degraded"] is False
        assert after["total"] == 2


def test_backend_closes_cleanly_after_a_refresh(app, factory, producer, refresh_now):
    assert search(app, "newlisting").total == 0
    factory.listing(producer, title="گلیم newlisting")
    assert search(app, "newlisting").total == 1  # refreshes the shared searcher
    searcher = shared_searcher(app)

    app.extensions["search"].close()

    assert searcher.is_closed
    assert search(app, "newlisting").total == 1  # opens a new one


def test_a_searcher_in_use_is_not_closed_under_its_user(app, factory, producer, refresh_now):
    """A thread still reading the old searcher keeps it open while a new one is lent."""
    backend = app.extensions["search"]
    reading = threading.Event()
    finish = threading.Event()
    outcome: dict = {}

    def slow_reader():
        try:
            with backend._searcher() as searcher:
                reading.set()
                finish.wait(5)
                outcome["count"] = searcher.doc_count()
                outcome["closed"] = searcher.is_closed
        except Exception as exc:
            outcome["error"] = repr(exc)

    thread = threading.Thread(target=slow_reader)
    thread.start()
    try:
        assert reading.wait(5)
        factory.listing(producer, title="گلیم whilereading")
        assert search(app, "whilereading").total == 1  # a new searcher for this search
    finally:
        finish.set()
        thread.join(5)

    assert outcome == {"count": 1, "closed": False}
    assert search(app, "گلیم").total == 2


def test_searches_follow_a_new_generation(app, producer, refresh_now):
    search(app, "seedlisting")
    before = generation_read(app)
    with app.app_context():
        reindex()

    assert search(app, "seedlisting").total == 1
    current = (Path(app.config["SHOP_SEARCH_INDEX_DIR"]) / "CURRENT").read_text().strip()
    assert generation_read(app) == current != before
