"""Running a search on one Whoosh searcher: matching, filters, facets, sorting, suggestions and
spelling corrections."""

from __future__ import annotations

from whoosh.collectors import FilterCollector, TopCollector
from whoosh.query import And, Or, Term

from shop.search.analysis import QueryTerms, query_terms, spelling_key
from shop.search.backend import FACETS, SearchHits, SearchRequest
from shop.search.normalize import city_key, normalize_text, tidy_text
from shop.search.whoosh_index import SURFACE_SEPARATOR, TEXT_FIELDS
from shop.search.whoosh_searcher import Lease, SearcherCache

#: Suggestion keys looked at for one prefix (the most frequent are offered).
SUGGEST_CANDIDATES = 500


def text_query(terms: QueryTerms, reader=None):
    """Every word must match, in any of the text fields, or the word it makes joined with
    the word before or after it: «تابلو فرش» is Or(And(تابلو, فرش), تابلوفرش), written as
    And(Or(تابلو, تابلوفرش), Or(فرش, تابلوفرش)). None when there are no words.

    Given the index's ``reader``, a (field, term) that no document holds is left out: most
    joined forms («فرشطرح») and many words in the names field are nowhere, and each costs a
    matcher that every match of the query is stepped through."""
    if not terms.words:
        return None
    words = []
    for i in range(len(terms.words)):
        pairs = [(f, t) for t in terms.alternatives(i) for f in TEXT_FIELDS]
        if reader is not None:
            pairs = [(f, t) for f, t in pairs if reader.doc_frequency(f, t)] or pairs[:1]
        words.append(Or([Term(f, t) for f, t in pairs]) if len(pairs) > 1 else Term(*pairs[0]))
    return And(words) if len(words) > 1 else words[0]


def has_live_document(reader, field: str, term: str) -> bool:
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


def run_search(lease: Lease, terms: QueryTerms, request: SearchRequest) -> SearchHits:
    """Match, filter, count facets and take one page, on the lease's searcher."""
    searcher, cache = lease.searcher, lease.cache
    query = text_query(terms, searcher.reader())
    start = (request.page - 1) * request.per_page
    allowed = None
    for subset in filter_sets(cache, request):
        allowed = set(subset) if allowed is None else allowed & subset
    ranked_page = None
    if allowed is not None and not allowed:
        matched = set()  # the filters exclude everything (Whoosh reads an empty allow as none)
    elif query is not None and request.sort == "relevance":
        # One scored pass that also records every match: the exact total and the facet
        # counts need them all, so block skipping would only mean a second pass.
        collector = RecordingTopCollector(limit=start + request.per_page)
        wrapped = collector if allowed is None else FilterCollector(collector, allow=allowed)
        searcher.search_with_collector(query, wrapped)
        matched = set(collector.seen)
        ranked_page = [hit.docnum for hit in wrapped.results()[start : start + request.per_page]]
    elif query is not None:
        matched = set(searcher.docs_for_query(query))
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
    elif request.sort == "newest" or query is None:
        published = cache.column("published")
        ordered = sorted(matched, key=lambda d: (published[d], d), reverse=True)
        page = ordered[start : start + request.per_page]
    else:
        page = ranked_page or []
    ids = [int(searcher.stored_fields(docnum)["id"]) for docnum in page]
    return SearchHits(ids=ids, total=len(matched), facets=facets, terms=terms.all)


class RecordingTopCollector(TopCollector):
    """Whoosh's top-N collector that also keeps every matching doc number."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)
        # No matcher replacement either: it drops branches that cannot reach the top N.
        self.replace = 0
        self.seen: list[int] = []

    def _collect(self, global_docnum, score):
        self.seen.append(global_docnum)
        return super()._collect(global_docnum, score)


def filter_sets(cache: SearcherCache, request: SearchRequest):
    """The doc-number set of each filter the request names."""
    if request.category:
        yield cache.docs("category", request.category) | cache.docs(
            "category_parent", request.category
        )
    if request.city:
        yield cache.docs("city", city_key(request.city))
    if request.cooperative:
        yield cache.docs("cooperative", request.cooperative)
    if request.price_band:
        yield cache.docs("price_band", request.price_band)
    if request.availability:
        yield cache.docs("availability", request.availability)
    if request.min_price is not None or request.max_price is not None:
        yield cache.price_range(request.min_price, request.max_price)


def _decoded(term) -> str:
    return term.decode() if isinstance(term, bytes) else term


def surface_of(reader, key: str) -> str | None:
    """The title word behind a suggestion key, as most live listings write it (ties: the
    one with a half-space, then the first); None when no live listing has it."""
    forms = []
    for term in reader.expand_prefix("surface", key + SURFACE_SEPARATOR):
        term = _decoded(term)
        if has_live_document(reader, "surface", term):
            word = term[len(key) + len(SURFACE_SEPARATOR) :]
            forms.append((-reader.doc_frequency("surface", term), "\u200c" not in word, word))
    return min(forms)[2] if forms else None


def suggest(searcher, prefix: str, limit: int) -> list[str]:
    """Completions of the last word of ``prefix`` from the titles, most frequent first, each
    as the titles write it (with its half-space); the words before it as typed."""
    typed = tidy_text(prefix).casefold().split()
    if not typed:
        return []
    head, last = typed[:-1], normalize_text(typed[-1]).replace(" ", "")
    if not last:
        return []
    reader = searcher.reader()
    keys = []
    for key in reader.expand_prefix("spell", last):
        keys.append(_decoded(key))
        if len(keys) == SUGGEST_CANDIDATES:
            break
    ranked = sorted(keys, key=lambda key: (-reader.doc_frequency("spell", key), key))
    found = []
    for key in ranked[: limit * 4]:
        surface = surface_of(reader, key)
        if surface is not None and surface not in found:
            found.append(surface)
        if len(found) == limit:
            break
    return [" ".join([*head, surface]) for surface in found]


def correct(searcher, text: str) -> str | None:
    """``text`` with each word no listing has replaced by a close title word (as the titles
    write it), or None when every word is known."""
    reader = searcher.reader()
    corrector = searcher.corrector("spell")
    corrected, changed = [], False
    for typed in tidy_text(text).split():
        words = query_terms(typed).words
        key = spelling_key(typed)
        if key is None or all(
            any(has_live_document(reader, f, word) for f in TEXT_FIELDS) for word in words
        ):
            corrected.append(typed)
            continue
        options = [
            option
            for option in corrector.suggest(key, limit=5, maxdist=2, prefix=1)
            if has_live_document(reader, "spell", option)
        ]
        surface = surface_of(reader, options[0]) if options else None
        if surface is None:
            corrected.append(typed)
        else:
            corrected.append(surface)
            changed = True
    return " ".join(corrected) if changed else None
