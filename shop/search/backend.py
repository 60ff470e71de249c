"""The search-backend interface: what the shop asks of any search engine.

The per-machine Whoosh index implements it today; a shared service (PostgreSQL full-text
search, OpenSearch) can implement the same methods when a deployment outgrows one machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

FACETS = ("category", "city", "cooperative", "price_band", "availability")

#: Price bands in minor units (rials): under 1M toman, 1–5M, 5–20M, 20M and over.
PRICE_BANDS = (
    ("under-1m", 0, 10_000_000),
    ("1m-5m", 10_000_000, 50_000_000),
    ("5m-20m", 50_000_000, 200_000_000),
    ("over-20m", 200_000_000, None),
)
AVAILABILITY = ("in_stock", "made_to_order", "out_of_stock")


def price_band(amount: int) -> str:
    for name, low, high in PRICE_BANDS:
        if amount >= low and (high is None or amount < high):
            return name
    return PRICE_BANDS[-1][0]


class SearchUnavailable(Exception):
    """The index is missing, empty or unreadable: callers fall back to the database."""


class IndexBusy(Exception):
    """Another process holds the index writer; it will apply the changes."""


@dataclass(frozen=True)
class Document:
    """One listing as the search engine sees it."""

    id: int
    title: str
    body: str
    names: str
    category: str
    category_parent: str
    city: str
    cooperative: str
    price: int
    availability: str
    published: int
    #: Digest of everything above: ``shop search check`` compares it with the database.
    stamp: str


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    category: str | None = None
    city: str | None = None
    cooperative: str | None = None
    price_band: str | None = None
    availability: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 24


@dataclass
class SearchHits:
    ids: list[int]
    total: int
    #: facet name → {value: count}, counted with every filter applied.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Query terms after analysis, for highlighting.
    terms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Changes:
    """What an index update writes: listings to add or replace, and listings to forget."""

    documents: list[Document]
    removed_ids: list[int]


class SearchBackend(Protocol):
    """A search engine holding one ``Document`` per listing that may be sold."""

    def search(self, request: SearchRequest) -> SearchHits:
        """Match, filter, count facets and take one page. Raises ``SearchUnavailable``."""

    def suggest(self, prefix: str, limit: int) -> list[str]:
        """Completions of the last word of ``prefix``, most frequent first."""

    def correct(self, text: str) -> str | None:
        """A better spelling of ``text`` that the index knows, or None."""

    def update(self, read_changes: Callable[[], Changes]) -> bool:
        """Write the changes ``read_changes()`` returns, calling it while holding the index's
        writer, so nothing it reads can be overtaken by an older version written by someone
        else. Raises ``IndexBusy`` when another writer holds it (that writer will apply the
        changes) and ``SearchUnavailable`` when there is no index.

        Returns False when the write may not last (a rebuild from an older snapshot is in
        progress or has just replaced the index): the caller keeps the changes for later.
        """

    def rebuild(self, documents: Iterable[Document]) -> int:
        """Replace the whole index by ``documents`` while searches go on; returns the count."""

    def stamps(self) -> dict[int, str]:
        """Listing id → ``Document.stamp`` of everything in the index."""

    def close(self) -> None:
        """Release what the backend holds open (searchers, connections)."""
