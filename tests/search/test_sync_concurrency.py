"""Several processes change listings and drain the outbox at once: no update is lost."""

from __future__ import annotations

import multiprocessing
import queue
import random
import time
import traceback

import pytest
from sqlalchemy import event, func, select

from shop.database import transaction
from shop.extensions import db
from shop.listings.models import Product, ProductStatus
from shop.search import services
from shop.search.backend import SearchRequest
from shop.search.models import SearchOutboxEntry
from shop.search.outbox import enqueue_products
from shop.search.services import check_index, drain_outbox
from tests.conftest import TEST_PASSWORD_METHOD

WORKERS = 4
ROUNDS = 30
#: Listings every process retitles. Enough of them that a version lost by one drain is not
#: soon put right by a later change to the same listing (the check at the end must see it).
SHARED = 12
#: A busy database: every other time a drain reads the listings it names, the read takes this
#: long, long enough for another process to commit and drain meanwhile. A drain that read
#: outside the index writer would then write an older version over the newer one, and one
#: that deleted more than it read would drop the other process's entries.
SLOW_READ = 0.15


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


def check(app):
    app.extensions["search"].close()
    with app.app_context():  # check_index() expunges its session's objects
        return check_index()


def found(app, text: str) -> list[int]:
    backend = app.extensions["search"]
    backend.close()
    return backend.search(SearchRequest(text=text)).ids


def change_listings(config, shared_ids, own_id, number, results) -> None:
    """One process of the shop: retitles any listing, pauses and resumes its own one, and
    drains after each commit, as a request does."""
    from shop import create_app
    from shop.listings import services as listings

    problems: list[str] = []
    changes = 0
    app = create_app(config)
    try:
        rng = random.Random(number)
        pauses = random.Random(f"pauses-{number}")

        def slow_reads(conn, cursor, statement, parameters, context, executemany):
            drain_reads_listings = "FROM products" in statement and " IN (" in statement
            if drain_reads_listings and pauses.random() < 0.5:
                time.sleep(SLOW_READ)

        with app.app_context():
            event.listen(db.engine, "after_cursor_execute", slow_reads)
            for round_no in range(ROUNDS):
                try:
                    if round_no % 3 == 2:
                        product = db.session.get(Product, own_id)
                        if product.status is ProductStatus.ACTIVE:
                            with transaction():
                                listings.pause_listing(product.producer, product)
                        else:
                            with transaction():
                                listings.resume_listing(product.producer, product)
                    else:
                        product = db.session.get(Product, rng.choice(shared_ids))
                        product.title = f"گلیم w{number}r{round_no}"
                        enqueue_products([product.id])
                        db.session.commit()
                    changes += 1
                    drain_outbox()
                except Exception:
                    problems.append(traceback.format_exc())
                    db.session.rollback()
            db.session.remove()
    finally:
        app.extensions["search"].close()
        with app.app_context():
            db.engine.dispose()
        results.put((number, changes, problems))


def run_processes(app, factory):
    """Start WORKERS processes of the shop on the app's database and index; wait for them."""
    producer = factory.producer()
    shared = [
        factory.listing(producer, title=f"گلیم shared{n}", photos=0).id for n in range(SHARED)
    ]
    own = [factory.listing(producer, title=f"گلیم own{n}", photos=0).id for n in range(WORKERS)]
    db.session.remove()
    app.extensions["search"].close()
    config = {
        "TESTING": True,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SHOP_SEARCH_INDEX_DIR": app.config["SHOP_SEARCH_INDEX_DIR"],
        "SHOP_UPLOAD_DIR": app.config["SHOP_UPLOAD_DIR"],
        "SHOP_PASSWORD_METHOD": TEST_PASSWORD_METHOD,
        "SHOP_SEARCH_WORKER": False,
        "SHOP_SEARCH_SYNC": True,
    }
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(
            target=change_listings,
            args=(config, shared, own[number], number, results),
            name=f"shop-{number}",
        )
        for number in range(WORKERS)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=60))
    except queue.Empty:
        pytest.fail(f"a process did not finish; got {reports}")
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join()
        results.close()
        results.join_thread()

    assert [p.exitcode for p in processes] == [0] * WORKERS
    problems = [problem for _, _, found_problems in reports for problem in found_problems]
    assert problems == []  # no LockError, no "database is locked", nothing
    assert sum(changes for _, changes, _ in reports) == WORKERS * ROUNDS
    return time.monotonic() - started


def assert_no_update_lost(app) -> None:
    drain_outbox()
    assert outbox_size() == 0
    report = check(app)
    assert report.ok, report
    for product in db.session.scalars(select(Product)):
        if product.status is ProductStatus.ACTIVE:
            assert found(app, product.title.split()[-1]) == [product.id], product.title
        else:
            assert found(app, product.title.split()[-1]) == []


@pytest.mark.slow
def test_processes_changing_listings_at_once_lose_no_update(app, factory):
    elapsed = run_processes(app, factory)

    assert elapsed < 20
    # One last drain, then the index agrees with the database.
    assert_no_update_lost(app)


def test_a_drain_overtaken_by_a_newer_drain_does_not_write_its_older_version(
    app, factory, monkeypatch
):
    product = factory.listing(factory.producer(), title="گلیم versionzero")
    product.title = "گلیم versionone"
    enqueue_products([product.id])
    db.session.commit()
    real_load_products = services.load_products
    overtaken = []

    def load_then_be_overtaken(ids):
        products = real_load_products(ids)  # this drain has read version one...
        if not overtaken:
            overtaken.append(True)
            # ...when another process commits version two and drains (or tries to) first.
            with app.app_context():
                newer = db.session.get(Product, product.id)
                newer.title = "گلیم versiontwo"
                enqueue_products([newer.id])
                db.session.commit()
                drain_outbox()
        return products

    monkeypatch.setattr(services, "load_products", load_then_be_overtaken)
    drain_outbox()
    monkeypatch.undo()
    drain_outbox()

    assert outbox_size() == 0
    assert found(app, "versiontwo") == [product.id]
    assert check(app).ok
