"""The shared searcher: one open Whoosh searcher lent to every request, and what it caches.

Searchers are reused between requests and replaced by a new one when the index changes (a
new generation, or a commit to the one in use), looked for at most every ``REFRESH_INTERVAL``.
"""

from __future__ import annotations

import bisect
import contextlib
import threading
import time

from whoosh.query import Term

from shop.search.backend import SearchUnavailable
from shop.search.whoosh_index import Generations

#: How often a reused searcher looks for a newer index generation, in seconds.
REFRESH_INTERVAL = 0.2
#: Results remembered per searcher (a new searcher starts empty, so nothing is ever stale).
RESULT_CACHE_SIZE = 256


class SearcherCache:
    """What one searcher has worked out: filter doc-number sets, sort columns, results.

    Whoosh would run every filter as a query over the whole index on each search; the few
    distinct facet values make their doc-number sets worth keeping for the searcher's life.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._lock = threading.Lock()
        self._sets: dict[tuple[str, str], frozenset[int]] = {}
        self._values: dict[str, list[str]] = {}
        self._columns: dict[str, list] = {}
        self._by_price: list[tuple[int, int]] | None = None
        self._live: frozenset[int] | None = None
        self._results: dict = {}

    def live(self) -> frozenset[int]:
        if self._live is None:
            self._live = frozenset(self.searcher.reader().all_doc_ids())
        return self._live

    def docs(self, field: str, value: str) -> frozenset[int]:
        key = (field, value)
        if key not in self._sets:
            found = frozenset(self.searcher.docs_for_query(Term(field, value)))
            if self.searcher.reader().has_deletions():
                found &= self.live()
            self._sets[key] = found
        return self._sets[key]

    def values(self, field: str) -> list[str]:
        if field not in self._values:
            self._values[field] = [
                v.decode() if isinstance(v, bytes) else v
                for v in self.searcher.reader().lexicon(field)
            ]
        return self._values[field]

    def column(self, field: str) -> list:
        if field not in self._columns:
            reader = self.searcher.reader()
            column = reader.column_reader(field)
            self._columns[field] = [column[d] for d in range(reader.doc_count_all())]
        return self._columns[field]

    def price_range(self, low: int | None, high: int | None) -> set[int]:
        if self._by_price is None:
            prices = self.column("price")
            live = self.live()
            self._by_price = sorted((p, d) for d, p in enumerate(prices) if d in live)
        start = 0 if low is None else bisect.bisect_left(self._by_price, (low, -1))
        stop = (
            len(self._by_price)
            if high is None
            else bisect.bisect_right(self._by_price, (high, float("inf")))
        )
        return {docnum for _, docnum in self._by_price[start:stop]}

    def get_or_compute(self, key, compute):
        if RESULT_CACHE_SIZE <= 0:
            return compute()
        with self._lock:
            if key in self._results:
                return self._results[key]
        hits = compute()
        with self._lock:
            if len(self._results) >= RESULT_CACHE_SIZE:
                self._results.pop(next(iter(self._results)))
            self._results[key] = hits
        return hits


class Lease:
    """One open searcher, shared by threads; closed once retired and no longer in use.

    A new searcher is opened when the index changes (``Searcher.refresh()`` is not used: in
    Whoosh-Reloaded it shares segment readers with the old searcher, keeps their old
    deletions, and fails on an empty index).
    """

    def __init__(self, name: str, ix) -> None:
        self.name = name
        self.ix = ix
        self.toc_generation = ix.latest_generation()
        self.searcher = ix.searcher()
        self.checked_at = time.monotonic()
        self.users = 0
        self.retired = False
        #: Doc-number sets, columns and results computed for this searcher (the index it
        #: reads never changes, so neither do they).
        self.cache = SearcherCache(self.searcher)

    def retire(self) -> None:
        self.retired = True
        if self.users == 0:
            self.searcher.close()


class SharedSearcher:
    """Lends the searcher of the generation in use to any number of threads."""

    def __init__(self, generations: Generations) -> None:
        self.generations = generations
        self._lock = threading.Lock()
        self._lease: Lease | None = None

    @contextlib.contextmanager
    def lease(self):
        """The shared lease (its searcher and caches), replaced when the index has changed."""
        with self._lock:
            lease = self._fresh_lease()
            lease.users += 1
        try:
            yield lease
        finally:
            with self._lock:
                lease.users -= 1
                if lease.retired and lease.users == 0:
                    lease.searcher.close()

    def _fresh_lease(self) -> Lease:
        name = self.generations.current()
        lease = self._lease
        if lease is not None and lease.name == name:
            if time.monotonic() - lease.checked_at < REFRESH_INTERVAL:
                return lease
            lease.checked_at = time.monotonic()
            try:
                if lease.ix.latest_generation() == lease.toc_generation:
                    return lease
            except Exception as exc:
                raise SearchUnavailable(f"search index cannot be read: {exc}") from exc
        ix = lease.ix if lease is not None and lease.name == name else None
        ix = ix or self.generations.open(name)
        try:
            new = Lease(name, ix)
        except Exception as exc:  # Whoosh raises many kinds for a damaged index
            raise SearchUnavailable(f"search index {name} cannot be opened: {exc}") from exc
        if lease is not None:
            lease.retire()
        self._lease = new
        return new

    def close(self) -> None:
        with self._lock:
            if self._lease is not None:
                self._lease.retire()
                self._lease = None
