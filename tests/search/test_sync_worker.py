"""The background drainer: a change committed anywhere is searchable within a second."""

from __future__ import annotations

import threading
import time

import pytest

from shop import create_app
from shop.database import transaction
from shop.extensions import db, limiter
from shop.listings import services as listings
from shop.search.backend import SearchRequest
from tests.conftest import TEST_PASSWORD_METHOD, CSRFClient, Factory, approve_listing


def make_app(tmp_path, **config):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
            "SHOP_UPLOAD_DIR": str(tmp_path / "uploads"),
            "SHOP_SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
            "SHOP_PASSWORD_METHOD": TEST_PASSWORD_METHOD,
            **config,
        }
    )
    app.test_client_class = CSRFClient
    with app.app_context():
        db.create_all()
        from shop.catalog.seed import seed_categories
        from shop.search.services import reindex

        with transaction():
            seed_categories()
        reindex()
    limiter.reset()
    return app


def stop_worker(app) -> None:
    worker = app.extensions.get("search_worker")
    if worker is not None:
        thread, stop = worker
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


@pytest.fixture
def worker_app(tmp_path):
    app = make_app(tmp_path, SHOP_SEARCH_WORKER=True, SHOP_SEARCH_SYNC=False)
    yield app
    stop_worker(app)
    app.extensions["search"].close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def found(app, text: str) -> list[int]:
    backend = app.extensions["search"]
    backend.close()  # a new searcher each time: refreshing is tested on its own
    return backend.search(SearchRequest(text=text)).ids


def wait_until_found(app, text: str, expected: list[int], limit: float = 1.5) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if found(app, text) == expected:
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"{text!r} was not {expected} after {limit} s")


def test_worker_applies_a_committed_change_within_a_second(worker_app):
    app = worker_app
    with app.test_request_context():
        factory = Factory(app)
        product = factory.listing(factory.producer(), title="گلیم workeritem", active=False)
        assert "search_worker" not in app.extensions  # started by the first request

        assert app.test_client().get("/healthz").status_code == 200
        thread, _ = app.extensions["search_worker"]
        assert thread.is_alive() and thread.daemon

        with transaction():
            approve_listing(product)  # as another process would: no request here
        elapsed = wait_until_found(app, "workeritem", [product.id])

        assert elapsed < 1.0
        with transaction():
            listings.pause_listing(product.producer, product)
        assert wait_until_found(app, "workeritem", []) < 1.0


def test_one_worker_per_process(worker_app):
    client = worker_app.test_client()
    client.get("/healthz")
    first = worker_app.extensions["search_worker"][0]
    for _ in range(3):
        client.get("/healthz")
    assert worker_app.extensions["search_worker"][0] is first
    workers = [t for t in threading.enumerate() if t.name == "search-drainer"]
    assert workers == [first]


def test_without_sync_a_page_change_is_applied_when_the_response_closes(tmp_path):
    app = make_app(tmp_path, SHOP_SEARCH_WORKER=False, SHOP_SEARCH_SYNC=False)
    try:
        with app.test_request_context():
            factory = Factory(app)
            producer = factory.producer()
            product = factory.listing(producer, title="گلیم closeitem")
            client = app.test_client()
            login = {"email": producer.user.email, "password": "correct horse battery"}
            assert client.post("/login", data=login).status_code == 303

            response = client.post(f"/producer/listings/{product.id}/pause")
            assert response.status_code == 303
            response.close()

            assert found(app, "closeitem") == []
    finally:
        app.extensions["search"].close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
