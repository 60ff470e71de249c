"""Telling the search index what changed: one outbox row per change, in the change's own
transaction (a rolled-back change never reaches the index; a committed one always does).

A leaf module: every feature that changes what search shows imports this and nothing else
of search; the index reads the rows after the commit (``shop.search.services.drain_outbox``).
"""

from __future__ import annotations

from shop.extensions import db
from shop.search.models import OutboxScope, SearchOutboxEntry

#: Session flag read after the request: something was enqueued, so drain the outbox.
DIRTY_FLAG = "search_dirty"


def _enqueue(scope: OutboxScope, target_ids) -> None:
    for target_id in dict.fromkeys(target_ids):
        db.session.add(SearchOutboxEntry(scope=scope, target_id=target_id))
    db.session.info[DIRTY_FLAG] = True


def enqueue_products(product_ids) -> None:
    """The index must look again at these listings."""
    _enqueue(OutboxScope.PRODUCT, product_ids)


def enqueue_producer(producer_id: int) -> None:
    """…at every listing of this shop (renamed, approved, rejected, joined a cooperative)."""
    _enqueue(OutboxScope.PRODUCER, [producer_id])


def enqueue_cooperative(cooperative_id: int) -> None:
    """…at every listing of this cooperative's members (the cooperative was renamed)."""
    _enqueue(OutboxScope.COOPERATIVE, [cooperative_id])


def enqueue_centre(centre_id: int) -> None:
    """…at every listing of producers trained at this centre."""
    _enqueue(OutboxScope.CENTRE, [centre_id])


def enqueue_category(category_id: int) -> None:
    """…at every listing in this category or one of its children."""
    _enqueue(OutboxScope.CATEGORY, [category_id])
