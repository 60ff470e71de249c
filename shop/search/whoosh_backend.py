"""The per-machine search index, on Whoosh.

Layout of the index folder::

    CURRENT            name of the generation in use (replaced atomically by a rebuild)
    REBUILDING         present while ``shop search reindex`` builds a new generation
    gen-…/             one Whoosh index per generation

Only one process may write a Whoosh index: writers take its lock without waiting and raise
``IndexBusy`` when another process holds it. Searchers are reused between requests and
refreshed when the index changes.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.query import And, Or, Term

from shop.search.analysis import analyze, persian_analyzer
from shop.search.backend import (
    FACETS,
    Changes,
    Document,
    IndexBusy,
    SearchHits,
    SearchRequest,
    SearchUnavailable,
    price_band,
)
from shop.search.normalize import normalize_text

TEXT_FIELDS = ("title", "body", "names")
#: How often a reused searcher looks for a newer index generation, in seconds.
REFRESH_INTERVAL = 0.2


def make_schema() -> Schema:
    analyzer = persian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        stamp=STORED(),
        title=TEXT(analyzer=analyzer, field_boost=3.0, phrase=False),
        body=TEXT(analyzer=analyzer, phrase=False),
        names=TEXT(analyzer=analyzer, field_boost=1.5, phrase=False),
        category=ID(sortable=True),
        category_parent=ID(sortable=True),
        city=ID(sortable=True),
        cooperative=ID(sortable=True),
        price_band=ID(sortable=True),
        availability=ID(sortable=True),
        # Signed: Whoosh builds wrong range queries on unsigned numeric fields.
        price=NUMERIC(bits=64, sortable=True),
        published=NUMERIC(bits=64, sortable=True),
    )


def _fields(document: Document) -> dict:
    return {
        "id": str(document.id),
        "stamp": document.stamp,
        "title": document.title,
        "body": document.body,
        "names": document.names,
        "category": document.category,
        "category_parent": document.category_parent,
        "city": normalize_text(document.city) or "-",
        "cooperative": document.cooperative or "-",
        "price_band": price_band(document.price),
        "availability": document.availability,
        "price": document.price,
        "published": document.published,
    }


def _has_live_document(reader, field: str, term: str) -> bool:
    """True when ``term`` is in a document that is not deleted (term statistics count those)."""
    if not reader.doc_frequency(field, term):
        return False
    if not reader.has_deletions():
        return True
    matcher = reader.postings(field, term)
    while matcher.is_active():
        if not reader.is_deleted(matcher.id()):
            return True
        matcher.next()
    return False


#: Results remembered per searcher (a new searcher starts empty, so nothing is ever stale).
RESULT_CACHE_SIZE = 256


class _SearcherCache:
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


def _search(searcher, lease, terms: list[str], request: SearchRequest) -> SearchHits:
    """Match, filter, count facets and take one page, on one searcher."""
    cache = lease.cache
    text_query = And([Or([Term(f, t) for f in TEXT_FIELDS]) for t in terms]) if terms else None
    start = (request.page - 1) * request.per_page
    allowed = None
    for subset in _filter_sets(cache, request):
        allowed = set(subset) if allowed is None else allowed & subset
    ranked_page = None
    if allowed is not None and not allowed:
        matched = set()  # the filters exclude everything (Whoosh reads an empty allow as none)
    elif text_query is not None and request.sort == "relevance":
        # One scored pass that also records every match: the exact total and the facet
        # counts need them all, so block skipping would only mean a second pass.
        collector = _RecordingTopCollector(limit=start + request.per_page)
        wrapped = collector if allowed is None else FilterCollector(collector, allow=allowed)
        searcher.search_with_collector(text_query, wrapped)
        matched = set(collector.seen)
        ranked_page = [hit.docnum for hit in wrapped.results()[start : start + request.per_page]]
    elif text_query is not None:
        matched = set(searcher.docs_for_query(text_query))
        if allowed is not None:
            matched &= allowed
    else:
        matched = set(cache.live()) if allowed is None else allowed
    if searcher.reader().has_deletions():
        matched &= cache.live()
    facets = {}
    for name in FACETS:
        counts = {}
        for value in cache.values(name):
            if value in ("", "-"):
                continue
            count = len(matched & cache.docs(name, value)) if matched else 0
            if count:
                counts[value] = count
        facets[name] = counts
    if request.sort in ("price_asc", "price_desc"):
        prices = cache.column("price")
        ordered = sorted(
            matched, key=lambda d: (prices[d], d), reverse=request.sort == "price_desc"
        )
        page = ordered[start : start + request.per_page]
    elif request.sort == "newest" or text_query is None:
        published = cache.column("published")
        ordered = sorted(matched, key=lambda d: (published[d], d), reverse=True)
        page = ordered[start : start + request.per_page]
    else:
        page = ranked_page or []
    ids = [int(searcher.stored_fields(docnum)["id"]) for docnum in page]
    return SearchHits(ids=ids, total=len(matched), facets=facets, terms=terms)


class _RecordingTopCollector(TopCollector):
    """Whoosh's top-N collector that also keeps every matching doc number."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)
        # No matcher replacement either: it drops branches that cannot reach the top N.
        self.replace = 0
        self.seen: list[int] = []

    def _collect(self, global_docnum, score):
        self.seen.append(global_docnum)
        return super()._collect(global_docnum, score)


def _filter_sets(cache: _SearcherCache, request: SearchRequest):
    if request.category:
        yield cache.docs("category", request.category) | cache.docs(
            "category_parent", request.category
        )
    if request.city:
        yield cache.docs("city", normalize_text(request.city))
    if request.cooperative:
        yield cache.docs("cooperative", request.cooperative)
    if request.price_band:
        yield cache.docs("price_band", request.price_band)
    if request.availability:
        yield cache.docs("availability", request.availability)
    if request.min_price is not None or request.max_price is not None:
        yield cache.price_range(request.min_price, request.max_price)


class _Lease:
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
        self.cache = _SearcherCache(self.searcher)

    def retire(self) -> None:
        self.retired = True
        if self.users == 0:
            self.searcher.close()


class IndexUpdate:
    """Changes made while holding the writer of one index generation."""

    def __init__(self, generation: str, writer) -> None:
        self.generation = generation
        self._writer = writer

    def put(self, documents: list[Document], removed_ids: list[int]) -> None:
        for document in documents:
            self._writer.update_document(**_fields(document))
        for product_id in removed_ids:
            self._writer.delete_by_term("id", str(product_id))


class WhooshBackend:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._lease: _Lease | None = None

    # -- folders -------------------------------------------------------------------------

    def _rebuilding(self) -> bool:
        return (self.root / "REBUILDING").exists()

    def _current_name(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, ValueError):
            return None
        return name if name.startswith("gen-") and (self.root / name).is_dir() else None

    # -- reading -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _searcher(self):
        """Lend the shared searcher, replaced by a new one when the index has changed."""
        with self._searcher_and_lease() as (searcher, _lease):
            yield searcher

    @contextlib.contextmanager
    def _searcher_and_lease(self):
        """The shared searcher and its lease (which holds the searcher's caches)."""
        with self._lock:
            lease = self._fresh_lease()
            lease.users += 1
        try:
            yield lease.searcher, lease
        finally:
            with self._lock:
                lease.users -= 1
                if lease.retired and lease.users == 0:
                    lease.searcher.close()

    def _fresh_lease(self) -> _Lease:
        name = self._current_name()
        if name is None:
            raise SearchUnavailable("search index is missing: run `shop search reindex`")
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
        try:
            ix = lease.ix if lease is not None and lease.name == name else None
            ix = ix or whoosh_index.open_dir(str(self.root / name))
            new = _Lease(name, ix)
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

    def search(self, request: SearchRequest) -> SearchHits:
        terms = analyze(request.text)
        try:
            with self._searcher_and_lease() as (searcher, lease):
                return lease.cache.get_or_compute(
                    (tuple(terms), request), lambda: _search(searcher, lease, terms, request)
                )
        except SearchUnavailable:
            raise
        except Exception as exc:
            raise SearchUnavailable(f"search failed: {exc}") from exc

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        words = normalize_text(prefix).split()
        if not words:
            return []
        head, last = words[:-1], words[-1]
        try:
            with self._searcher() as searcher:
                reader = searcher.reader()
                candidates = [
                    term.decode() if isinstance(term, bytes) else term
                    for term in reader.expand_prefix("title", last)
                ]
                ranked = sorted(
                    candidates[:500],
                    key=lambda term: (-searcher.doc_frequency("title", term), term),
                )
                live = [t for t in ranked[: limit * 4] if _has_live_document(reader, "title", t)]
        except SearchUnavailable:
            raise
        except Exception as exc:
            raise SearchUnavailable(f"suggest failed: {exc}") from exc
        return [" ".join([*head, term]) for term in live[:limit]]

    def correct(self, text: str) -> str | None:
        words = analyze(text)
        if not words:
            return None
        try:
            with self._searcher() as searcher:
                reader = searcher.reader()
                corrector = searcher.corrector("title")
                corrected = []
                for word in words:
                    if any(_has_live_document(reader, f, word) for f in TEXT_FIELDS):
                        corrected.append(word)
                        continue
                    options = [
                        option
                        for option in corrector.suggest(word, limit=5, maxdist=2, prefix=1)
                        if _has_live_document(reader, "title", option)
                    ]
                    corrected.append(options[0] if options else word)
        except SearchUnavailable:
            raise
        except Exception as exc:
            raise SearchUnavailable(f"correction failed: {exc}") from exc
        return " ".join(corrected) if corrected != words else None

    def stamps(self) -> dict[int, str]:
        with self._searcher() as searcher:
            return {int(f["id"]): f["stamp"] for f in searcher.all_stored_fields()}

    # -- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self):
        """Hold the writer of the generation in use: yields an ``IndexUpdate``; commits when
        the block ends. Raises ``IndexBusy`` at once when another process holds the writer."""
        name = self._current_name()
        if name is None:
            raise SearchUnavailable("search index is missing: run `shop search reindex`")
        try:
            ix = whoosh_index.open_dir(str(self.root / name))
        except Exception as exc:
            raise SearchUnavailable(f"search index cannot be opened: {exc}") from exc
        try:
            writer = ix.writer(timeout=0.0)
        except LockError as exc:
            raise IndexBusy() from exc
        except Exception as exc:
            raise SearchUnavailable(f"search index cannot be written: {exc}") from exc
        update = IndexUpdate(name, writer)
        try:
            yield update
            writer.commit()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                writer.cancel()
            if isinstance(exc, Exception) and not isinstance(exc, SearchUnavailable):
                raise SearchUnavailable(f"search index cannot be written: {exc}") from exc
            raise

    def update(self, read_changes: Callable[[], Changes]) -> bool:
        """Write what ``read_changes()`` returns, read while this process alone holds the
        writer. False when a rebuild is under way or swapped in meanwhile: it was built from
        a snapshot that may predate these changes, so the caller must keep them."""
        with self._writing() as update:
            changes = read_changes()
            update.put(changes.documents, changes.removed_ids)
        return not self._rebuilding() and self._current_name() == update.generation

    def rebuild(self, documents) -> int:
        """Build a new generation from ``documents`` and switch searches to it atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        folder = self.root / name
        folder.mkdir()
        marker = self.root / "REBUILDING"
        marker.write_text(name)
        count = 0
        try:
            ix = whoosh_index.create_in(str(folder), make_schema())
            writer = ix.writer(limitmb=256)
            try:
                for document in documents:
                    writer.add_document(**_fields(document))
                    count += 1
            except Exception:
                writer.cancel()
                raise
            writer.commit()
            temporary = self.root / f"CURRENT.{name}.tmp"
            temporary.write_text(name)
            previous = self._current_name()
            os.replace(temporary, self.root / "CURRENT")
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            marker.unlink(missing_ok=True)
        self._remove_old_generations(keep={name, previous} if previous else {name})
        return count

    def _remove_old_generations(self, keep: set[str]) -> None:
        """Keep the new and the previous generation (open searchers may still read it)."""
        for folder in self.root.glob("gen-*"):
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
