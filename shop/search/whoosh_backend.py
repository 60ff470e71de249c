"""The per-machine search index, on Whoosh: ``WhooshBackend`` implements ``SearchBackend``.

It puts together three parts, one concern each:

* ``whoosh_index`` — the generations on disk (CURRENT/REBUILDING), the schema, the writer
  (``update``) and rebuilds;
* ``whoosh_searcher`` — the searcher shared by requests, its refresh and its caches;
* ``whoosh_query`` — what a search, a suggestion or a correction does on one searcher.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from shop.search import whoosh_query
from shop.search.analysis import query_terms
from shop.search.backend import Changes, Document, SearchHits, SearchRequest, SearchUnavailable
from shop.search.normalize import normalize_text
from shop.search.whoosh_index import Generations
from shop.search.whoosh_searcher import SharedSearcher


class WhooshBackend:
    def __init__(self, root: str | os.PathLike, build_processes: int = 1) -> None:
        self.root = Path(root)
        self.generations = Generations(self.root, build_processes)
        self.searchers = SharedSearcher(self.generations)

    # -- reading -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _searcher(self):
        """Lend the shared searcher, replaced by a new one when the index has changed."""
        with self.searchers.lease() as lease:
            yield lease.searcher

    def _answer(self, what: str, compute):
        """``compute()`` on a lent searcher; any failure of the index is ``SearchUnavailable``."""
        try:
            with self.searchers.lease() as lease:
                return compute(lease)
        except SearchUnavailable:
            raise
        except Exception as exc:  # Whoosh raises many kinds for a damaged index
            raise SearchUnavailable(f"{what} failed: {exc}") from exc

    def search(self, request: SearchRequest) -> SearchHits:
        terms = query_terms(request.text)
        return self._answer(
            "search",
            lambda lease: lease.cache.get_or_compute(
                (terms, request), lambda: whoosh_query.run_search(lease, terms, request)
            ),
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        if not normalize_text(prefix):
            return []
        return self._answer(
            "suggest", lambda lease: whoosh_query.suggest(lease.searcher, prefix, limit)
        )

    def correct(self, text: str) -> str | None:
        if not query_terms(text).words:
            return None
        return self._answer("correction", lambda lease: whoosh_query.correct(lease.searcher, text))

    def stamps(self) -> dict[int, str]:
        with self._searcher() as searcher:
            return {int(f["id"]): f["stamp"] for f in searcher.all_stored_fields()}

    def close(self) -> None:
        self.searchers.close()

    # -- writing -------------------------------------------------------------------------

    def update(self, read_changes: Callable[[], Changes]) -> bool:
        return self.generations.update(read_changes)

    def rebuild(self, documents: Iterable[Document]) -> int:
        return self.generations.rebuild(documents)
