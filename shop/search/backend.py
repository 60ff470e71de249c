"""The search-backend interface: what the shop asks of any search engine.

The per-machine Whoosh index implements it today; a shared service (PostgreSQL full-text
search, OpenSearch) can implement the same methods when a deployment outgrows one machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

SORTS = ("relevance", "newest", "price_asc", "price_desc")
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


class SearchBackend(Protocol):
    def search(self, request: SearchRequest) -> SearchHits: ...

    def suggest(self, prefix: str, limit: int) -> list[str]: ...

    def correct(self, text: str) -> str | None: ...

    def apply(self, documents: list[Document], removed_ids: list[int]) -> str: ...

    def writing(self): ...

    def current_generation(self) -> str | None: ...

    @property
    def rebuilding(self) -> bool: ...

    def rebuild(self, documents) -> int: ...

    def stamps(self) -> dict[int, str]: ...
