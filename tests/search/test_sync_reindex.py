"""`shop search reindex` builds a new generation and swaps it in while searches go on."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from shop.database import transaction
from shop.extensions import db
from shop.listings import services as listings
from shop.listings.models import Product
from shop.search import whoosh_index
from shop.search.backend import SearchRequest
from shop.search.documents import document_for, searchable_products
from shop.search.models import SearchOutboxEntry
from shop.search.outbox import enqueue_products
from shop.search.queries import search_products
from shop.search.services import check_index, drain_outbox, reindex
from tests.snapshots import cached_fixture

COUNT = 6


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


def root(app) -> Path:
    return Path(app.config["SHOP_SEARCH_INDEX_DIR"])


def current_name(app) -> str:
    return (root(app) / "CURRENT").read_text().strip()


def generations(app) -> list[str]:
    return sorted(p.name for p in root(app).glob("gen-*"))


def generation_read(backend) -> str:
    """The generation the shared searcher reads."""
    with backend._searcher() as searcher:
        return Path(searcher._ix.storage.folder).name


def check(app):
    app.extensions["search"].close()
    with app.app_context():  # check_index() expunges its session's objects
        return check_index()


def run_reindex(app) -> int:
    with app.app_context():
        return reindex()


@cached_fixture
def items(factory):
    producer = factory.producer()
    return [factory.listing(producer, title=f"گلیم reindexitem {n}") for n in range(COUNT)]


class Searcher(threading.Thread):
    """Searches in a loop, as visitors do, and writes down anything wrong."""

    def __init__(self, app) -> None:
        super().__init__(name="test-searcher", daemon=True)
        self.app = app
        self.stop = threading.Event()
        self.searches = 0
        self.problems: list[str] = []
        self.generations: set[str] = set()

    def run(self) -> None:
        backend = self.app.extensions["search"]
        try:
            while not self.stop.is_set():
                with self.app.test_request_context("/search"):
                    page = search_products(SearchRequest(text="reindexitem"))
                    if page.degraded or page.total != COUNT or len(page.items) != COUNT:
                        self.problems.append(f"page: degraded={page.degraded} {page.total}")
                    hits = backend.search(SearchRequest(text="گلیم", sort="newest"))
                    if hits.total != COUNT:
                        self.problems.append(f"backend total {hits.total}")
                    self.generations.add(generation_read(backend))
                    db.session.remove()
                self.searches += 1
        except Exception as exc:  # reported by the test, not lost in the thread
            self.problems.append(repr(exc))


def test_searches_keep_working_while_reindex_runs(app, items):
    searcher = Searcher(app)
    searcher.start()
    try:
        deadline = time.monotonic() + 10
        while searcher.searches < 3 and searcher.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert searcher.searches >= 3, searcher.problems
        names = []
        for _ in range(4):
            before = (root(app) / "CURRENT").stat().st_ino
            assert run_reindex(app) == COUNT
            # CURRENT was replaced by another file, not rewritten in place: a reader sees the
            # old name or the new one, never a file half written
            assert (root(app) / "CURRENT").stat().st_ino != before
            names.append(current_name(app))
            done = searcher.searches  # let some searches use this generation
            deadline = time.monotonic() + 10
            while (
                searcher.searches < done + 2 and searcher.is_alive() and time.monotonic() < deadline
            ):
                time.sleep(0.01)
    finally:
        searcher.stop.set()
        searcher.join(timeout=10)
    assert not searcher.is_alive()

    assert searcher.problems == []
    assert searcher.searches >= 3 + 4 * 2
    assert len(set(names)) == 4  # each run a new generation
    assert set(names) <= searcher.generations  # searches followed every swap
    # After the last swap, results come from the newest generation...
    assert app.extensions["search"].search(SearchRequest(text="reindexitem")).total == COUNT
    assert generation_read(app.extensions["search"]) == names[-1]
    # ...and old generations are cleaned up.
    assert len(generations(app)) <= 2
    assert names[-1] in generations(app)
    assert not (root(app) / "REBUILDING").exists()
    assert not list(root(app).glob("CURRENT.*"))
    assert check(app).ok


def test_reindex_picks_up_a_row_changed_behind_the_index(app, items):
    product = items[0]
    product.title = "گلیم quietlychanged"
    db.session.commit()  # no enqueue: the index does not know
    assert check(app).stale == [product.id]

    run_reindex(app)

    assert app.extensions["search"].search(SearchRequest(text="quietlychanged")).ids == [product.id]
    assert check(app).ok


def test_changes_during_a_rebuild_wait_and_reach_the_new_generation(app, items, monkeypatch):
    """A drain while the REBUILDING marker is there keeps its entries; reindex() applies them
    to the new generation once it is in use."""
    backend = app.extensions["search"]
    producer = items[0].producer
    real_rebuild = backend.rebuild

    def rebuild_with_a_change_meanwhile(documents):
        def documents_then_a_change():
            yield from documents  # the snapshot is read...
            with app.app_context():  # ...then another request changes a listing
                product = db.session.get(Product, items[1].id)
                with transaction():
                    listings.pause_listing(db.session.merge(producer), product)
                assert drain_outbox() == 0  # REBUILDING: the entry stays
                assert outbox_size() == 1

        return real_rebuild(documents_then_a_change())

    monkeypatch.setattr(backend, "rebuild", rebuild_with_a_change_meanwhile)
    assert run_reindex(app) == COUNT

    assert outbox_size() == 0
    backend.close()
    ids = backend.search(SearchRequest(text="reindexitem")).ids
    assert sorted(ids) == sorted(p.id for p in items if p.id != items[1].id)
    assert check(app).ok


def test_drain_straddling_the_swap_does_not_lose_the_change(app, items, monkeypatch):
    """A rebuild reads its snapshot, a change is committed, a drain writes it into the old
    generation and the rebuild swaps in before the drain looks at the marker: the entry must
    stay for the new generation."""
    backend = app.extensions["search"]
    product = items[2]
    snapshot = [document_for(p) for p in searchable_products()]  # before the change
    db.session.expire_all()
    gate = threading.Event()
    errors: list[BaseException] = []

    def slow_snapshot():
        yield from snapshot
        gate.wait(10)

    def rebuild() -> None:
        try:
            backend.rebuild(slow_snapshot())
        except BaseException as exc:
            errors.append(exc)

    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    try:
        deadline = time.monotonic() + 5
        while not (root(app) / "REBUILDING").exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert (root(app) / "REBUILDING").exists()

        with transaction():
            product = db.session.get(Product, product.id)
            product.title = "گلیم duringswap"
            enqueue_products([product.id])

        real_put = whoosh_index.IndexUpdate.put

        def put_then_swap(update, documents, removed):
            real_put(update, documents, removed)  # into the generation in use until now
            gate.set()  # the rebuild finishes and swaps in before this write commits
            rebuilder.join(10)

        monkeypatch.setattr(whoosh_index.IndexUpdate, "put", put_then_swap)
        assert drain_outbox() == 0  # written to the old generation: the entry must stay
        monkeypatch.undo()
    finally:
        gate.set()
        rebuilder.join(10)
    assert errors == []
    assert outbox_size() == 1

    drain_outbox()
    report = check(app)
    assert report.ok and outbox_size() == 0, (report, outbox_size())
