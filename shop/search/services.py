"""Keeping the index in step with the database: draining the outbox, rebuilding, checking.

Changes reach the outbox through ``shop.search.outbox`` in the transaction that makes them;
this module applies them to the index after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, or_, select

from shop.catalog.models import Category
from shop.database import transaction
from shop.extensions import db
from shop.listings.models import Product
from shop.producers.models import Producer
from shop.search.backend import Changes, IndexBusy, SearchBackend, SearchUnavailable
from shop.search.documents import document_for, is_searchable, load_products, searchable_products
from shop.search.models import OutboxScope, SearchOutboxEntry

log = logging.getLogger(__name__)

DRAIN_BATCH = 500


def backend() -> SearchBackend:
    return current_app.extensions["search"]


def _product_ids(entries) -> list[int]:
    """The listings the outbox entries name, each scope expanded now (under the writer)."""
    by_scope: dict[OutboxScope, list[int]] = {}
    for _, scope, target_id in entries:
        by_scope.setdefault(scope, []).append(target_id)
    ids = list(by_scope.get(OutboxScope.PRODUCT, []))
    expansions = {
        OutboxScope.PRODUCER: lambda t: select(Product.id).where(Product.producer_id.in_(t)),
        OutboxScope.COOPERATIVE: lambda t: (
            select(Product.id).join(Product.producer).where(Producer.cooperative_id.in_(t))
        ),
        OutboxScope.CENTRE: lambda t: (
            select(Product.id).join(Product.producer).where(Producer.centre_id.in_(t))
        ),
        OutboxScope.CATEGORY: lambda t: select(Product.id).where(
            or_(
                Product.category_id.in_(t),
                Product.category_id.in_(select(Category.id).where(Category.parent_id.in_(t))),
            )
        ),
    }
    for scope, query in expansions.items():
        if by_scope.get(scope):
            ids.extend(db.session.scalars(query(by_scope[scope])))
    return list(dict.fromkeys(ids))


def drain_outbox(limit: int = DRAIN_BATCH) -> int:
    """Apply waiting outbox entries to the index; returns how many entries were applied.

    The entries and the listings they name are read while holding the index's writer, so an
    older version of a listing can never overwrite a newer one written by another process.
    When another process holds the writer, it (or a later drain) applies the entries, which
    stay in the outbox until the index has them for good.
    """
    total = 0
    while True:
        read: list = []

        def read_changes(read: list = read) -> Changes:
            entries = db.session.execute(
                select(SearchOutboxEntry.id, SearchOutboxEntry.scope, SearchOutboxEntry.target_id)
                .order_by(SearchOutboxEntry.id)
                .limit(limit)
            ).all()
            read.extend(entries)
            product_ids = _product_ids(entries)
            products = load_products(product_ids)
            documents = [document_for(p) for p in products.values() if is_searchable(p)]
            found = {d.id for d in documents}
            return Changes(documents, [i for i in product_ids if i not in found])

        try:
            lasting = backend().update(read_changes)
        except (IndexBusy, SearchUnavailable):
            db.session.rollback()
            return total
        if not read or not lasting:
            db.session.rollback()
            return total
        with transaction():
            db.session.execute(
                delete(SearchOutboxEntry).where(SearchOutboxEntry.id.in_([row[0] for row in read]))
            )
        total += len(read)
        if len(read) < limit:
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
