"""Another process holds the index writer: draining steps aside and the entries wait."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from whoosh import index as whoosh_index

from shop.database import transaction
from shop.extensions import db
from shop.listings import services as listings
from shop.search.backend import Changes, IndexBusy, SearchRequest
from shop.search.models import SearchOutboxEntry
from shop.search.services import check_index, drain_outbox
from tests.conftest import PASSWORD, approve_listing


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


def found(app, text: str) -> set[int]:
    backend = app.extensions["search"]
    backend.close()  # a new searcher: refreshing is tested in test_sync_searcher.py
    return set(backend.search(SearchRequest(text=text)).ids)


class HeldWriter:
    """The writer lock of the current generation, as another process would hold it."""

    def __init__(self, app) -> None:
        self.root = Path(app.config["SHOP_SEARCH_INDEX_DIR"])
        self.ix = None
        self.writer = None

    def hold(self) -> None:
        name = (self.root / "CURRENT").read_text().strip()
        self.ix = whoosh_index.open_dir(str(self.root / name))
        self.writer = self.ix.writer()

    def release(self) -> None:
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
        if self.ix is not None:
            self.ix.close()
            self.ix = None


@pytest.fixture
def held_writer(app):
    held = HeldWriter(app)
    yield held
    held.release()


def test_apply_raises_index_busy_without_waiting(app, factory, held_writer):
    held_writer.hold()
    started = time.monotonic()
    with pytest.raises(IndexBusy):
        app.extensions["search"].update(lambda: Changes([], [1]))
    assert time.monotonic() - started < 0.5


def test_drain_returns_and_keeps_the_entries_until_the_writer_is_free(app, factory, held_writer):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم busyitem", active=False)

    held_writer.hold()
    with transaction():
        approve_listing(product)
    assert drain_outbox() == 0
    assert drain_outbox() == 0
    assert outbox_size() == 1
    assert found(app, "busyitem") == set()

    held_writer.release()

    assert drain_outbox() == 1
    assert outbox_size() == 0
    assert found(app, "busyitem") == {product.id}
    app.extensions["search"].close()
    with app.app_context():
        assert check_index().ok


def test_pages_keep_working_while_the_writer_is_held(app, factory, held_writer, caplog):
    caplog.set_level(logging.INFO, logger="shop")
    producer = factory.producer()
    first = factory.listing(producer, title="گلیم busyfirst")
    second = factory.listing(producer, title="گلیم busysecond")
    owner = app.test_client()
    login = owner.post("/login", data={"email": producer.user.email, "password": PASSWORD})
    assert login.status_code == 303
    held_writer.hold()

    assert owner.post(f"/producer/listings/{first.id}/pause").status_code == 303
    assert outbox_size() == 1
    # The drain stepped aside, as it should: no failure was reported
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert found(app, "busyfirst") == {first.id}  # not yet
    api = app.test_client().get("/api/v1/products?q=busyfirst").get_json()
    assert api["degraded"] is False  # searching does not need the writer

    held_writer.release()
    # The next request that changes something applies what waited too.
    assert owner.post(f"/producer/listings/{second.id}/pause").status_code == 303

    assert outbox_size() == 0
    assert found(app, "busyfirst") == set()
    assert found(app, "busysecond") == set()


def test_many_changes_wait_and_are_applied_in_batches(app, factory, held_writer):
    producer = factory.producer()
    items = [factory.listing(producer, title=f"گلیم batch{n}") for n in range(5)]
    held_writer.hold()
    for product in items:
        with transaction():
            listings.pause_listing(producer, product)
    assert drain_outbox(limit=2) == 0
    assert outbox_size() == 5

    held_writer.release()

    assert drain_outbox(limit=2) == 5
    assert outbox_size() == 0
    assert found(app, "گلیم") == set()
