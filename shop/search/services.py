"""Keeping the index in step with the database: the outbox, draining it, rebuilding, checking.

Every operation that changes what a listing looks like in search calls one of the
``enqueue_…`` functions before its commit: the outbox row is part of the same transaction,
so a rolled-back change never reaches the index, and a committed one always does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from shop.catalog.models import Category, Product
from shop.extensions import db
from shop.producers.models import Producer
from shop.search.backend import IndexBusy, SearchUnavailable
from shop.search.documents import document_for, is_searchable, load_products, searchable_products
from shop.search.models import SearchOutboxEntry

log = logging.getLogger(__name__)

DRAIN_BATCH = 500


def backend():
    return current_app.extensions["search"]


def _mark_dirty() -> None:
    db.session.info["search_dirty"] = True


def enqueue_products(product_ids) -> None:
    """Ask the index to look again at these listings (add, no commit)."""
    for product_id in dict.fromkeys(product_ids):
        db.session.add(SearchOutboxEntry(product_id=product_id))
    _mark_dirty()


def enqueue_producer(producer_id: int) -> None:
    ids = db.session.scalars(select(Product.id).where(Product.producer_id == producer_id))
    enqueue_products(list(ids))


def enqueue_cooperative(cooperative_id: int) -> None:
    ids = db.session.scalars(
        select(Product.id).join(Product.producer).where(Producer.cooperative_id == cooperative_id)
    )
    enqueue_products(list(ids))


def enqueue_centre(centre_id: int) -> None:
    ids = db.session.scalars(
        select(Product.id).join(Product.producer).where(Producer.centre_id == centre_id)
    )
    enqueue_products(list(ids))


def enqueue_category(category_id: int) -> None:
    children = select(Category.id).where(Category.parent_id == category_id)
    ids = db.session.scalars(
        select(Product.id).where(
            (Product.category_id == category_id) | Product.category_id.in_(children)
        )
    )
    enqueue_products(list(ids))


def drain_outbox(limit: int = DRAIN_BATCH) -> int:
    """Apply waiting outbox entries to the index; returns how many entries were applied.

    The index writer is taken first, without waiting: when another process holds it, that
    process (or a later drain) applies the entries, which stay in the outbox until then.
    Entries and listings are read while holding it, so an older version of a listing can
    never overwrite a newer one written by another process's drain.
    """
    total = 0
    while True:
        try:
            with backend().writing() as index:
                entries = db.session.execute(
                    select(SearchOutboxEntry.id, SearchOutboxEntry.product_id)
                    .order_by(SearchOutboxEntry.id)
                    .limit(limit)
                ).all()
                product_ids = list(dict.fromkeys(product_id for _, product_id in entries))
                products = load_products(product_ids)
                documents = [document_for(p) for p in products.values() if is_searchable(p)]
                found = {d.id for d in documents}
                index.put(documents, [i for i in product_ids if i not in found])
        except (IndexBusy, SearchUnavailable):
            db.session.rollback()
            return total
        if not entries:
            db.session.rollback()
            return total
        if backend().rebuilding or backend().current_generation() != index.generation:
            # A new generation is being built (or was just swapped in) from a snapshot that
            # may predate these changes: keep the entries for it.
            db.session.rollback()
            return total
        db.session.execute(
            delete(SearchOutboxEntry).where(SearchOutboxEntry.id.in_([i for i, _ in entries]))
        )
        db.session.commit()
        total += len(entries)
        if len(entries) < limit:
            return total


def reindex() -> int:
    """Rebuild the whole index into a new folder and switch to it; searches go on meanwhile."""
    count = backend().rebuild(document_for(p) for p in searchable_products())
    drain_outbox()
    return count


@dataclass
class IndexReport:
    missing: list[int]
    extra: list[int]
    stale: list[int]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check_index() -> IndexReport:
    """Compare the index with the database: listings missing, extra or out of date."""
    indexed = backend().stamps()
    expected = {p.id: document_for(p).stamp for p in searchable_products()}
    return IndexReport(
        missing=sorted(set(expected) - set(indexed)),
        extra=sorted(set(indexed) - set(expected)),
        stale=sorted(i for i in expected.keys() & indexed.keys() if expected[i] != indexed[i]),
    )
