"""Benchmark: the shop's search (Whoosh) at 10,000 and 100,000 listings, against SQLite FTS5.

Run with::

    .venv/bin/python -m bench.search                      # 10,000 and 100,000 listings (~6 min)
    .venv/bin/python -m bench.search --quick              # 2,000 listings, a smoke run (~15 s)
    .venv/bin/python -m bench.search --sizes 10000 --queries 300

For each size, in one run on the same synthetic catalogue (``bench.search_corpus``: seeded,
~85% Persian / 15% English, with the Arabic-letter, ZWNJ and digit variants people type) it
measures:

* the Whoosh index build (``WhooshBackend(tmpdir, build_processes).rebuild(documents)``, with
  as many processes as ``shop search reindex`` uses on this machine), total seconds;
* single-listing updates (``backend.update(lambda: Changes([document], []))``) and the time
  from the start of the update to the first search that finds the new title ("searchable
  within");
* query latency over a fixed query set (``bench.search_corpus.make_queries``) through the
  search service (``WhooshBackend.search``, facets included, no result cache) and through
  ``GET /api/v1/products?q=…&per_page=20`` (facets, result cards loaded from an SQLite database
  holding the same listings);
* the same on SQLite FTS5 over the same normalised corpus (``bench.search_fts``).

Latencies are reported as median (p50) and p95 over the query set, after warm-up runs that are
not counted; the paths are interleaved query by query so a noisy neighbour slows all of them
alike. Where a target is missed, the slowest cases are profiled with cProfile and the output
says what limits them. The tables are printed and written to ``bench/data/search-results.md``
(``search-results-quick.md`` for ``--quick``); profiles go to ``bench/data/search-profile-*.txt``.
Exit status 1 means a correctness check failed: the API fell back to the database or its
totals differ from the search service's; Whoosh and FTS5 disagree on a total or facet count;
``max_price`` does not filter exactly; or a searcher open before an update does not find it.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import gc
import io
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from whoosh import sorting
from whoosh.query import And, Every, Or, Term

from bench.search_corpus import SEED, ZWNJ, make_catalogue, make_queries
from bench.search_fts import Fts5Baseline
from shop.search.analysis import query_terms
from shop.search.backend import Changes, SearchRequest, SearchUnavailable
from shop.search.normalize import city_key
from shop.search.params import parse_search
from shop.search.whoosh_backend import WhooshBackend
from shop.search.whoosh_index import make_schema
from shop.search.whoosh_query import text_query
from shop.search.whoosh_searcher import REFRESH_INTERVAL

DATA = Path(__file__).resolve().parent / "data"
PER_PAGE = 20

#: Targets: query p95 by size bucket (service, API), searchable within, full build.
QUERY_TARGET_10K_MS = 20
QUERY_TARGET_100K_MS = 100
API_TARGET_100K_MS = 150
SEARCHABLE_TARGET_MS = 1000
BUILD_TARGET_S = 180
#: As ``shop search reindex`` builds outside tests (``SHOP_SEARCH_BUILD_PROCESSES``' default).
BUILD_PROCESSES = min(os.cpu_count() or 1, 4)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def apply(backend: WhooshBackend, document) -> None:
    """One listing changed: written through the backend's writer, as a drain would."""
    if not backend.update(lambda: Changes([document], [])):
        raise RuntimeError("the update was written while a rebuild ran")


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(samples: list[float]) -> str:
    return f"{p50(samples) * 1000:.1f} / {p95(samples) * 1000:.1f}"


def ratio(a: list[float], b: list[float]) -> str:
    return f"{p50(a) / p50(b):.1f}× / {p95(a) / p95(b):.1f}×"


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares ``y = a + b·x``: (a, b)."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    if var == 0:
        return mean_y, 0.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var
    return mean_y - slope * mean_x, slope


GROUP_ORDER = (
    "text, relevance",
    "text, sorted by date or price",
    "category / city / in-stock filter",
    "price range filter",
)


def query_group(query: dict) -> str:
    if "min_price" in query or "max_price" in query:
        return GROUP_ORDER[3]
    if any(key in query for key in ("category", "city", "in_stock")):
        return GROUP_ORDER[2]
    return GROUP_ORDER[1] if "sort" in query else GROUP_ORDER[0]


#: Filters timed alone: how long Whoosh takes to turn each into a set of doc numbers.
FILTER_PROBES = [
    ("price ≤ 1M toman (`max_price`)", SearchRequest(max_price=10_000_000)),
    ("price 1M–5M toman", SearchRequest(min_price=10_000_000, max_price=50_000_000)),
    ("price ≥ 20M toman (`min_price` only)", SearchRequest(min_price=200_000_000)),
    ("in stock", SearchRequest(availability="in_stock")),
    ("category carpets-rugs (a parent)", SearchRequest(category="carpets-rugs")),
    ("city مشهد", SearchRequest(city="مشهد")),
]


def filter_costs(backend: WhooshBackend, documents, folder: Path) -> list[tuple]:
    """(label, matching docs, p50 s as shipped, p50 s on a signed price field or None)."""
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, NUMERIC, Schema

    def timed_set(searcher, query) -> tuple[int, float]:
        samples = []
        for _ in range(5):
            begin = time.perf_counter()
            docs = searcher._filter_to_comb(query)
            samples.append(time.perf_counter() - begin)
        return len(docs), p50(samples)

    rows = []
    ix = None
    if not make_schema()["price"].signed:
        # The shop's price field is unsigned: time the price ranges on a signed one as well.
        side = folder / "signed-price"
        side.mkdir()
        schema = Schema(id=ID(), price=NUMERIC(bits=64, sortable=True))
        ix = whoosh_index.create_in(str(side), schema)
        writer = ix.writer(limitmb=256)
        for document in documents:
            writer.add_document(id=str(document.id), price=document.price)
        writer.commit()
    with backend._searcher() as searcher:
        signed = ix.searcher() if ix is not None else None
        for label, request in FILTER_PROBES:
            query = And(whoosh_query_filters(request))
            count, shipped = timed_set(searcher, query)
            fixed = None
            if signed is not None and (request.min_price or request.max_price):
                fixed = timed_set(signed, query)[1]
            rows.append((label, count, shipped, fixed))
        if signed is not None:
            signed.close()
    if ix is not None:
        ix.close()
        shutil.rmtree(folder / "signed-price", ignore_errors=True)
    return rows


def targets_for(size: int) -> dict:
    if size <= 10_000:
        return {"service": QUERY_TARGET_10K_MS, "api": None}
    return {"service": QUERY_TARGET_100K_MS, "api": API_TARGET_100K_MS}


# --- the Whoosh search without facets (a diagnostic: what the facets cost) -------------------


def whoosh_query_filters(request: SearchRequest) -> list:
    """The request's filters as plain Whoosh queries (how Whoosh alone would filter)."""
    from whoosh.query import NumericRange

    filters = []
    if request.category:
        filters.append(
            Or([Term("category", request.category), Term("category_parent", request.category)])
        )
    if request.city:
        filters.append(Term("city", city_key(request.city)))
    if request.cooperative:
        filters.append(Term("cooperative", request.cooperative))
    if request.price_band:
        filters.append(Term("price_band", request.price_band))
    if request.availability:
        filters.append(Term("availability", request.availability))
    if request.min_price is not None or request.max_price is not None:
        filters.append(NumericRange("price", request.min_price, request.max_price))
    return filters


def whoosh_without_facets(
    backend: WhooshBackend, request: SearchRequest, exact_total: bool = True
) -> tuple[list, int]:
    """``WhooshBackend.search`` with the same query, filters and sort, minus ``groupedby``.

    With ``exact_total`` the total is counted (``len(results)``: Whoosh runs the query a second
    time when block-quality skipping left it uncounted); without, it is Whoosh's estimate, so
    this is the cost of finding the top page alone.
    """
    terms = query_terms(request.text)
    query = text_query(terms) or Every()
    filters = whoosh_query_filters(request)
    sortedby, reverse = None, False
    if request.sort == "newest" or (request.sort == "relevance" and not terms.words):
        sortedby, reverse = sorting.FieldFacet("published"), True
    elif request.sort in ("price_asc", "price_desc"):
        sortedby, reverse = sorting.FieldFacet("price"), request.sort == "price_desc"
    with backend._searcher() as searcher:
        results = searcher.search(
            query,
            filter=And(filters) if filters else None,
            limit=request.page * request.per_page,
            sortedby=sortedby,
            reverse=reverse,
            terms=False,
        )
        start = (request.page - 1) * request.per_page
        ids = [int(hit["id"]) for hit in results[start : start + request.per_page]]
        return ids, len(results) if exact_total else results.estimated_length()


# --- profiling -------------------------------------------------------------------------------

#: (path fragment, group) in order: the first match names the group of a function's own time.
GROUPS = [
    ("whoosh/sorting", "Whoosh facets & sort keys (sorting.py, columns.py)"),
    ("whoosh/columns", "Whoosh facets & sort keys (sorting.py, columns.py)"),
    ("whoosh/collectors", "Whoosh collectors (per-match loop)"),
    ("whoosh/matching", "Whoosh matching & scoring (postings, query trees, filters)"),
    ("whoosh/scoring", "Whoosh matching & scoring (postings, query trees, filters)"),
    ("whoosh/codec", "Whoosh matching & scoring (postings, query trees, filters)"),
    ("whoosh/query", "Whoosh matching & scoring (postings, query trees, filters)"),
    ("whoosh/searching", "Whoosh searcher & results"),
    ("whoosh/writing", "Whoosh writer (postings, segments, merge)"),
    ("whoosh/filedb", "Whoosh files, index open & refresh"),
    ("whoosh/index", "Whoosh files, index open & refresh"),
    ("whoosh/fields", "Whoosh fields & analysis plumbing"),
    ("whoosh/analysis", "Whoosh fields & analysis plumbing"),
    ("whoosh/", "Whoosh other"),
    ("shop/search/normalize", "shop text normalisation & analysis"),
    ("shop/search/analysis", "shop text normalisation & analysis"),
    ("shop/search/highlight", "shop snippets (highlight)"),
    ("sqlalchemy/", "SQLAlchemy & SQLite (result cards, facet labels)"),
    ("sqlite3", "SQLAlchemy & SQLite (result cards, facet labels)"),
    ("flask", "Flask, Werkzeug, Jinja, Babel (request, JSON, url_for)"),
    ("werkzeug", "Flask, Werkzeug, Jinja, Babel (request, JSON, url_for)"),
    ("jinja2", "Flask, Werkzeug, Jinja, Babel (request, JSON, url_for)"),
    ("babel", "Flask, Werkzeug, Jinja, Babel (request, JSON, url_for)"),
    ("/shop/", "shop code (other)"),
    ("json", "Flask, Werkzeug, Jinja, Babel (request, JSON, url_for)"),
]


def _landmark_functions() -> list[tuple[str, object]]:
    """(label, function): cumulative times worth naming, found by their code objects."""
    from whoosh import collectors, columns, searching, sorting, writing

    from shop.api import serializers
    from shop.search import analysis, queries, whoosh_index, whoosh_searcher
    from shop.search import whoosh_backend as wb

    fresh = whoosh_searcher.SharedSearcher._fresh_lease
    return [
        ("search_products (whole service call)", queries.search_products),
        ("WhooshBackend.search (index + facets)", wb.WhooshBackend.search),
        ("WhooshBackend.correct (spelling, few hits)", wb.WhooshBackend.correct),
        ("reading CURRENT, refreshing the searcher", fresh),
        (
            "filter doc sets (each filter run over the whole index)",
            searching.Searcher._filter_to_comb,
        ),
        (
            "FacetCollector.collect (per match: scoring + 5 facets)",
            collectors.FacetCollector.collect,
        ),
        ("scoring each match (ScoredCollector.collect)", collectors.ScoredCollector.collect),
        (
            "sort keys for each match (SortingCollector.collect)",
            collectors.SortingCollector.collect,
        ),
        ("stepping through matches (ScoredCollector.matches)", collectors.ScoredCollector.matches),
        ("facet key_for (column read per match × facet)", sorting.ColumnCategorizer.key_for),
        ("facet key_to_name (decode per match × facet)", sorting.ColumnCategorizer.key_to_name),
        ("facet Count.add (per match × facet)", sorting.Count.add),
        (
            "opening facet columns per search (reads every listing's offsets)",
            columns.VarBytesColumn.Reader._read_offsets_and_lengths,
        ),
        ("loading result cards (DB)", queries._load_in_order),
        ("facet labels (DB: categories, coops, DISTINCT city)", queries._labels),
        ("snippets", queries._snippets),
        ("serialising cards (url_for)", serializers.product),
        ("WhooshBackend.rebuild", wb.WhooshBackend.rebuild),
        ("SegmentWriter.add_document", writing.SegmentWriter.add_document),
        ("SegmentWriter.commit (flush, merge)", writing.SegmentWriter.commit),
        ("WhooshBackend.update (writer, commit)", whoosh_index.Generations.update),
        ("shop analyser (normalise, tokenise)", analysis.NormalizingTokenizer.__call__),
    ]


def _key(function) -> tuple:
    code = function.__code__
    return (code.co_filename, code.co_firstlineno, code.co_name)


def _group(filename: str, function: str) -> str:
    path = filename.replace("\\", "/")
    for fragment, group in GROUPS:
        if fragment in path or (path == "~" and fragment in function):
            return group
    return "Python builtins & other"


def profile(calls: list, path: Path, title: str) -> dict:
    """Run ``calls`` under cProfile; write the top functions to ``path``; return a summary."""
    profiler = cProfile.Profile()
    for call in calls:
        profiler.enable()
        call()
        profiler.disable()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # (file, line, function) → (cc, nc, tt, ct, callers)
    total = sum(value[2] for value in entries.values()) or 1e-9
    groups: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, tt, _ct, callers) in entries.items():
        group = _group(filename, function)
        if group == "Python builtins & other" and filename == "~" and callers:
            # A builtin's own time goes to the groups of its callers, pro rata.
            caller_total = sum(c[2] if isinstance(c, tuple) else 0 for c in callers.values())
            for caller, data in callers.items():
                share = (data[2] / caller_total) if caller_total and isinstance(data, tuple) else 0
                caller_group = _group(caller[0], caller[2])
                groups[caller_group] = groups.get(caller_group, 0) + tt * share
            continue
        groups[group] = groups.get(group, 0) + tt
    landmarks = []
    for label, function in _landmark_functions():
        entry = entries.get(_key(function)) if function is not None else None
        if entry and entry[3]:
            landmarks.append((label, entry[3] / total))
    buffer = io.StringIO()
    buffer.write(f"{title}\n\n")
    for order in ("tottime", "cumulative"):
        buffer.write(f"--- top 30 by {order} ---\n")
        printer = pstats.Stats(profiler, stream=buffer)
        printer.strip_dirs().sort_stats(order).print_stats(30)
    path.write_text(buffer.getvalue())
    return {
        "title": title,
        "total": total,
        "groups": sorted(groups.items(), key=lambda item: -item[1]),
        "landmarks": landmarks,
        "file": path,
    }


def profile_lines(summary: dict) -> list[str]:
    total = summary["total"]
    lines = [
        f"*{summary['title']}* — {total * 1000:.0f} ms profiled"
        f" (full listing: `{summary['file'].relative_to(DATA.parent.parent)}`)",
        "",
        "| where the time goes (own time, by component) | share |",
        "|---|---:|",
    ]
    lines += [
        f"| {group} | {seconds / total:.0%} |"
        for group, seconds in summary["groups"]
        if seconds / total >= 0.01
    ]
    if summary["landmarks"]:
        lines += ["", "| function (cumulative, includes callees) | share |", "|---|---:|"]
        lines += [f"| {label} | {share:.0%} |" for label, share in summary["landmarks"]]
    return [*lines, ""]


# --- one size ---------------------------------------------------------------------------------


@dataclasses.dataclass
class SizeResult:
    size: int
    corpus: dict = dataclasses.field(default_factory=dict)
    whoosh_build: float = 0.0
    fts_build: dict = dataclasses.field(default_factory=dict)
    db_seed: float = 0.0
    times: dict = dataclasses.field(default_factory=dict)
    totals: list = dataclasses.field(default_factory=list)
    checks: dict = dataclasses.field(default_factory=dict)
    profiles: dict = dataclasses.field(default_factory=dict)
    slowest: list = dataclasses.field(default_factory=list)
    fits: dict = dataclasses.field(default_factory=dict)
    warmup: int = 0
    groups: list = dataclasses.field(default_factory=list)
    filters: list = dataclasses.field(default_factory=list)


def corpus_stats(catalogue) -> dict:
    docs = catalogue.documents
    arabic = sum(1 for d in docs if "ي" in d.title + d.body or "ك" in d.title + d.body)
    english = sum(1 for d in docs if d.title[:1].isascii())
    zwnj = sum(1 for d in docs if ZWNJ in d.title + d.body.split("\n")[0])
    return {
        "listings": len(docs),
        "producers": len(catalogue.producers),
        "english": english / len(docs),
        "arabic": arabic / len(docs),
        "zwnj": zwnj / len(docs),
        "title_words": statistics.fmean(len(d.title.split()) for d in docs),
        "description_words": statistics.fmean(
            len(x.description.split()) for x in catalogue.listings
        ),
    }


def run_size(size: int, queries: list[dict], folder: Path, options) -> SizeResult:
    result = SizeResult(size, warmup=min(options.warmup, len(queries)))
    start = time.perf_counter()
    catalogue = make_catalogue(size)
    documents = catalogue.documents
    result.corpus = corpus_stats(catalogue)
    result.corpus["seconds"] = time.perf_counter() - start
    log(f"{size:,}: catalogue generated in {result.corpus['seconds']:.1f} s")

    # Index builds -----------------------------------------------------------------------
    index_root = folder / "search-index"
    backend = WhooshBackend(index_root, build_processes=BUILD_PROCESSES)
    gc.collect()
    start = time.perf_counter()
    backend.rebuild(documents)
    result.whoosh_build = time.perf_counter() - start
    log(f"{size:,}: Whoosh build {result.whoosh_build:.1f} s")

    fts = Fts5Baseline(folder / "fts5.sqlite3")
    gc.collect()
    result.fts_build = fts.build(documents)
    log(f"{size:,}: FTS5 build {result.fts_build['total']:.1f} s")

    # The app and its database -------------------------------------------------------------
    from bench.search_db import make_app, seed_catalogue

    app = make_app(folder / "app", index_root)
    result.db_seed = seed_catalogue(app, catalogue)
    log(f"{size:,}: database seeded in {result.db_seed:.1f} s")
    client = app.test_client()

    # Queries, interleaved path by path ------------------------------------------------------
    requests = []
    urls = []
    for query in queries:
        params = {k: v for k, v in query.items() if k != "kind"}
        requests.append(parse_search(MultiDict(params), default_per_page=PER_PAGE))
        urls.append("/api/v1/products?" + urlencode({**params, "per_page": PER_PAGE}))

    answers: dict[str, list] = {name: [None] * len(queries) for name in ("service", "api")}
    answers.update({name: [None] * len(queries) for name in ("fts", "nofacet")})

    def path_calls(i: int) -> list[tuple[str, callable]]:
        request = requests[i]
        return [
            ("service", lambda: backend.search(request)),
            ("nofacet", lambda: whoosh_without_facets(backend, request)),
            ("topk", lambda: whoosh_without_facets(backend, request, exact_total=False)),
            ("fts_plain", lambda: fts.search(request, facets=False)),
            ("fts_facets", lambda: fts.search(request, facets=True)),
            ("api", lambda: client.get(urls[i])),
        ]

    names = [name for name, _ in path_calls(0)]
    for i in range(min(options.warmup, len(queries))):
        for _name, call in path_calls(i):
            call()
    times = {name: [] for name in names}
    log(f"{size:,}: warmed up; timing {len(queries)} queries on {len(names)} paths")
    for i in range(len(queries)):
        calls = path_calls(i)
        shift = i % len(calls)
        for name, call in calls[shift:] + calls[:shift]:
            begin = time.perf_counter()
            value = call()
            elapsed = time.perf_counter() - begin
            times[name].append(elapsed)
            if name == "service":
                answers["service"][i] = value
            elif name == "fts_facets":
                answers["fts"][i] = value
            elif name == "nofacet":
                answers["nofacet"][i] = value
            elif name == "api":
                answers["api"][i] = value
    result.times = times
    log(f"{size:,}: queries timed")

    # Correctness checks -----------------------------------------------------------------------
    totals = [hits.total for hits in answers["service"]]
    result.totals = totals
    disagree_fts = [
        (queries[i]["q"], hits.total, answers["fts"][i].total, "max_price" in queries[i])
        for i, hits in enumerate(answers["service"])
        if hits.total != answers["fts"][i].total or hits.facets != answers["fts"][i].facets
    ]
    api_bad, api_degraded, api_suggested = [], 0, 0
    for i, response in enumerate(answers["api"]):
        body = response.get_json(silent=True) or {}
        if response.status_code != 200:
            api_bad.append((queries[i]["q"], f"HTTP {response.status_code}"))
            continue
        api_degraded += bool(body.get("degraded"))
        api_suggested += body.get("suggestion") is not None
        ids = [item["id"] for item in body.get("items", [])]
        if body.get("total") != totals[i] or ids != answers["service"][i].ids:
            api_bad.append((queries[i]["q"], f"total {body.get('total')} vs {totals[i]}"))
    nofacet_bad = sum(
        1 for i, hits in enumerate(answers["service"]) if answers["nofacet"][i][1] != hits.total
    )
    result.checks = {
        "fts_disagree": disagree_fts,
        "api_bad": api_bad,
        "api_degraded": api_degraded,
        "few_hits": sum(1 for t in totals if t < 3),
        "api_suggested": api_suggested,
        "nofacet_bad": nofacet_bad,
        "empty": sum(1 for t in totals if t == 0),
        "with_max_price": sum(1 for q in queries if "max_price" in q),
    }
    # The upper price bound, probed directly: listings up to 1M toman.
    cap = 10_000_000
    result.checks["max_price_probe"] = (
        backend.search(SearchRequest(max_price=cap, per_page=1)).total,
        sum(1 for d in documents if d.price <= cap),
    )
    result.groups = [query_group(q) for q in queries]
    plain = [i for i, g in enumerate(result.groups) if g in GROUP_ORDER[:2]]
    for name in ("service", "nofacet", "fts_facets"):  # on queries without filters
        result.fits[name] = fit([float(totals[i]) for i in plain], [times[name][i] for i in plain])
    log(f"{size:,}: timing filters alone")
    result.filters = filter_costs(backend, documents, folder)

    # Profiles of the slowest queries where a target is missed ---------------------------------
    targets = targets_for(size)
    order = sorted(range(len(queries)), key=lambda i: -times["service"][i])
    result.slowest = [
        (queries[i]["q"], queries[i]["kind"], totals[i], times["service"][i], times["api"][i])
        for i in order[:5]
    ]
    if p95(times["service"]) * 1000 > targets["service"] or options.profile:
        log(f"{size:,}: profiling the 5 slowest service queries")
        result.profiles["service"] = profile(
            [lambda r=requests[i]: backend.search(r) for i in order[: options.profile_n]],
            DATA / f"search-profile-{size}-service.txt",
            f"{size:,} listings: the {options.profile_n} slowest queries, search service",
        )
        unfiltered = [i for i in order if result.groups[i] in GROUP_ORDER[:2]]
        result.profiles["service-text"] = profile(
            [lambda r=requests[i]: backend.search(r) for i in unfiltered[: options.profile_n]],
            DATA / f"search-profile-{size}-service-text.txt",
            f"{size:,} listings: the {options.profile_n} slowest queries without filters, "
            "search service",
        )
    api_target = targets["api"]
    if (api_target and p95(times["api"]) * 1000 > api_target) or options.profile:
        log(f"{size:,}: profiling the 5 slowest API requests")
        api_order = sorted(range(len(queries)), key=lambda i: -times["api"][i])
        result.profiles["api"] = profile(
            [lambda u=urls[i]: client.get(u) for i in api_order[: options.profile_n]],
            DATA / f"search-profile-{size}-api.txt",
            f"{size:,} listings: the {options.profile_n} slowest API requests",
        )

    # Single-listing updates ------------------------------------------------------------------
    rng = random.Random(f"{SEED}-updates-{size}")
    chosen = rng.sample(documents, min(options.updates, len(documents)) + 1)
    probe, chosen = chosen[0], chosen[1:]
    # Does the long-lived searcher (the one that served the queries) see an update?
    marker = f"bench{size}probe"
    apply(backend, dataclasses.replace(probe, title=f"{probe.title} {marker}"))
    time.sleep(REFRESH_INTERVAL * 1.5)
    try:
        found = probe.id in backend.search(SearchRequest(text=marker, per_page=5)).ids
        result.checks["searcher_after_update"] = "found" if found else "not found"
    except SearchUnavailable as exc:
        cause = exc.__cause__
        result.checks["searcher_after_update"] = f"{type(exc).__name__} ({type(cause).__name__})"
    body = client.get(urls[0]).get_json()
    result.checks["api_after_update"] = "degraded" if body.get("degraded") else "from the index"
    log(
        f"{size:,}: after an update, the long-lived searcher: "
        f"{result.checks['searcher_after_update']}; API {result.checks['api_after_update']}"
    )
    healthy = result.checks["searcher_after_update"] == "found"

    def poll(text: str) -> list[int]:
        request = SearchRequest(text=text, per_page=5)
        if healthy:
            return backend.search(request).ids
        fresh = WhooshBackend(index_root)  # as a newly started process would see it
        try:
            return fresh.search(request).ids
        finally:
            fresh.close()

    updates = {"apply": [], "visible": [], "fts_update": [], "fts_visible": []}
    timeouts = 0
    for number, document in enumerate(chosen):
        marker = f"bench{size}update{number}"
        changed = dataclasses.replace(
            document, title=f"{document.title} {marker}", stamp=f"{document.stamp[:12]}u{number}"
        )
        # Arrive at a random moment relative to the searcher's refresh interval.
        time.sleep(rng.uniform(0.0, 0.25))
        begin = time.perf_counter()
        apply(backend, changed)
        updates["apply"].append(time.perf_counter() - begin)
        while changed.id not in poll(marker):
            if time.perf_counter() - begin > 10:
                timeouts += 1
                break
        updates["visible"].append(time.perf_counter() - begin)

        begin = time.perf_counter()
        fts.update(changed)
        updates["fts_update"].append(time.perf_counter() - begin)
        while changed.id not in fts.search(SearchRequest(text=marker, per_page=5)).ids:
            if time.perf_counter() - begin > 10:
                timeouts += 1
                break
        updates["fts_visible"].append(time.perf_counter() - begin)
    result.times.update(updates)
    result.checks["update_timeouts"] = timeouts
    log(f"{size:,}: {len(chosen)} updates timed")

    if p95(updates["visible"]) * 1000 > SEARCHABLE_TARGET_MS or options.profile:
        sample = rng.sample(documents, 5)
        result.profiles["update"] = profile(
            [lambda d=d: apply(backend, d) for d in sample],
            DATA / f"search-profile-{size}-update.txt",
            f"{size:,} listings: 5 single-listing updates",
        )

    for broken in (app.extensions["search"], backend):  # may hold readers closed by the bug
        with contextlib.suppress(Exception):
            broken.close()
    fts.close()
    with app.app_context():
        from shop.extensions import db

        db.engine.dispose()

    if result.whoosh_build > BUILD_TARGET_S or options.profile:
        log(f"{size:,}: profiling a sample build (5,000 listings)")
        sample_root = folder / "profile-index"
        result.profiles["build"] = profile(
            [lambda: WhooshBackend(sample_root).rebuild(documents[:5000])],
            DATA / f"search-profile-{size}-build.txt",
            f"{size:,} listings: building an index of 5,000 of them",
        )
    return result


# --- the report -------------------------------------------------------------------------------


def met(ok: bool) -> str:
    return "✅ met" if ok else "❌ missed"


def searchable_row(r: SizeResult) -> str:
    t = r.times
    ok = p95(t["visible"]) * 1000 < SEARCHABLE_TARGET_MS
    figures = (
        f"{ms(t['visible'])} | {ms(t['fts_visible'])} | {ratio(t['visible'], t['fts_visible'])}"
    )
    if r.checks.get("searcher_after_update") == "found":
        return (
            f"| searchable within p50 / p95 (ms) | {figures} | p95 < {SEARCHABLE_TARGET_MS} ms "
            f"| {met(ok)} |"
        )
    return (
        f"| searchable within p50 / p95 (ms), by a newly opened backend¹ | {figures} "
        f"| p95 < {SEARCHABLE_TARGET_MS} ms | ❌ missed¹ (a new process: {met(ok)}) |"
    )


def size_table(r: SizeResult) -> list[str]:
    t = r.times
    targets = targets_for(r.size)
    fts_build = r.fts_build["total"]
    lines = [
        f"### {r.size:,} listings",
        "",
        "| figure | Whoosh (shop) | SQLite FTS5 baseline | Whoosh / FTS5 | target | |",
        "|---|---:|---:|---:|---|---|",
        f"| index build (s) | {r.whoosh_build:.1f} | {fts_build:.1f} "
        f"| {r.whoosh_build / fts_build:.1f}× | < {BUILD_TARGET_S} s "
        f"| {met(r.whoosh_build < BUILD_TARGET_S)} |",
        f"| single update p50 / p95 (ms) | {ms(t['apply'])} | {ms(t['fts_update'])} "
        f"| {ratio(t['apply'], t['fts_update'])} | — | |",
        searchable_row(r),
        f"| query p50 / p95, search service with facets (ms) | {ms(t['service'])} "
        f"| {ms(t['fts_facets'])} | {ratio(t['service'], t['fts_facets'])} "
        f"| p95 < {targets['service']} ms "
        f"| {met(p95(t['service']) * 1000 < targets['service'])} |",
        f"| query p50 / p95 without facets (ms): Whoosh with exact total (diagnostic), "
        f"FTS5 query | {ms(t['nofacet'])} "
        f"| {ms(t['fts_plain'])} | {ratio(t['nofacet'], t['fts_plain'])} | — | |",
        f"| query p50 / p95, top 20 only, estimated total (ms; diagnostic) | {ms(t['topk'])} "
        f"| — | — | — | |",
    ]
    api_target = targets["api"]
    if api_target:
        api_cells = f"p95 < {api_target} ms | {met(p95(t['api']) * 1000 < api_target)}"
    else:
        api_cells = (
            f"none set (the {targets['service']} ms is for the service; API p95 "
            f"{'is' if p95(t['api']) * 1000 < targets['service'] else 'is not'} under it) |"
        )
    lines.append(
        f"| query p50 / p95, API `GET /api/v1/products?q=…` with facets (ms) | {ms(t['api'])} "
        f"| {ms(t['fts_facets'])} (FTS5 with facets, no cards) "
        f"| {ratio(t['api'], t['fts_facets'])} | {api_cells} |"
    )
    if r.checks.get("searcher_after_update") != "found":
        lines += [
            "",
            "¹ A searcher that was open before the update did not find it: "
            f"{r.checks.get('searcher_after_update')} (see *Defects*). The figure is the time "
            "until a newly opened backend finds it, as a process started after the update would.",
        ]
    return [*lines, ""]


def fts_check(checks: dict, n: int) -> str:
    differ = checks["fts_disagree"]
    whoosh_cap, truth_cap = checks["max_price_probe"]
    probe = (
        f"a search with only `max_price=10000000` finds {whoosh_cap:,} listings in Whoosh, "
        f"{truth_cap:,} in the catalogue"
    )
    if not differ:
        return (
            f"Whoosh and FTS5 agree on the total and every facet count for all {n} queries; {probe}"
        )
    capped = [d for d in differ if d[3]]
    text = (
        f"Whoosh and FTS5 agree on the total and every facet count for {n - len(differ)} of "
        f"{n} queries; they differ on {len(differ)}"
    )
    if len(capped) == len(differ):
        text += (
            f", all of them among the {checks['with_max_price']} with a `max_price` "
            "(**Whoosh does not apply the upper price bound**, see *Defects*)"
        )
    else:
        text += f" ({len(capped)} with a `max_price`)"
    examples = "; ".join(f"«{q}» {a:,} vs {b:,}" for q, a, b, _ in differ[:3])
    return f"{text}, e.g. {examples}; {probe}"


def size_notes(r: SizeResult, queries: list[dict]) -> list[str]:
    c, checks, t = r.corpus, r.checks, r.times
    fts = r.fts_build
    totals = sorted(r.totals)
    lines = [
        f"Corpus: {c['listings']:,} listings from {c['producers']:,} producers; "
        f"{c['english']:.0%} English, {c['arabic']:.0%} with Arabic ي/ك, {c['zwnj']:.0%} "
        f"with ZWNJ in title or description; titles {c['title_words']:.1f} words, "
        f"descriptions {c['description_words']:.1f} words on average "
        f"(generated in {c['seconds']:.1f} s). "
        f"FTS5 build = {fts['analysis']:.1f} s analysing (the shop's analyser, in Python) + "
        f"{fts['sqlite']:.1f} s in SQLite (insert + optimize). "
        f"Database for the API seeded in {r.db_seed:.1f} s (not part of any figure).",
        "",
        f"Queries: {len(queries)} timed on each path after {r.warmup} "
        f"warm-up queries; matches per query: median {statistics.median(totals):,.0f}, "
        f"p95 {p95(totals):,.0f}, max {totals[-1]:,}; {checks['empty']} with no match, "
        f"{checks['few_hits']} with fewer than 3 (the API then also runs the spelling "
        f"corrector; {checks['api_suggested']} got a suggestion).",
        "",
    ]
    a, b = r.fits["service"]
    a0, b0 = r.fits["nofacet"]
    af, bf = r.fits["fts_facets"]
    lines += [
        "| queries | n | matches, median | service p50 / p95 (ms) | API p50 / p95 (ms) "
        "| Whoosh top 20 only p50 / p95 (ms) | FTS5 with facets p50 / p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for group in GROUP_ORDER:
        idx = [i for i, g in enumerate(r.groups) if g == group]
        if not idx:
            continue
        lines.append(
            f"| {group} | {len(idx)} | {statistics.median(r.totals[i] for i in idx):,.0f} "
            f"| {ms([t['service'][i] for i in idx])} | {ms([t['api'][i] for i in idx])} "
            f"| {ms([t['topk'][i] for i in idx])} | {ms([t['fts_facets'][i] for i in idx])} |"
        )
    lines += [
        "",
        "Each filter alone, turned into a set of doc numbers by Whoosh (as every search does, "
        "over the whole index; p50 of 5): "
        + "; ".join(
            f"{label}: {count:,} listings, {shipped * 1000:.1f} ms"
            + (f" (signed price field: {fixed * 1000:.1f} ms)" if fixed is not None else "")
            for label, count, shipped, fixed in r.filters
        )
        + ".",
        "",
    ]
    lines += [
        "Cost per matching listing on the queries without filters (least squares, "
        "time = a + b × matches): "
        f"Whoosh with facets a = {a * 1000:.1f} ms, b = {b * 1e6:.1f} µs; without facets "
        f"a = {a0 * 1000:.1f} ms, b = {b0 * 1e6:.1f} µs; FTS5 with facets a = {af * 1000:.1f} ms, "
        f"b = {bf * 1e6:.2f} µs.",
        "",
        "Checks: "
        + fts_check(checks, len(queries))
        + "; "
        + (
            "the API returned the service's total and ids for every query"
            if not checks["api_bad"]
            else f"the API differs from the service on {len(checks['api_bad'])} queries, e.g. "
            + "; ".join(f"«{q}» {why}" for q, why in checks["api_bad"][:3])
        )
        + f"; degraded (database fallback) answers: {checks['api_degraded']}"
        + f"; update timeouts: {checks['update_timeouts']}.",
        "",
        "Slowest service queries: "
        + "; ".join(
            f"«{q}» ({kind}, {total:,} matches) {service * 1000:.0f} ms service, "
            f"{api * 1000:.0f} ms API"
            for q, kind, total, service, api in r.slowest
        )
        + ".",
        "",
    ]
    return lines


def _landmark(r: SizeResult, key: str, label_start: str) -> float | None:
    summary = r.profiles.get(key)
    if not summary:
        return None
    for label, share in summary["landmarks"]:
        if label.startswith(label_start):
            return share
    return None


def _group_p95(r: SizeResult, path: str, groups: tuple[str, ...]) -> float:
    samples = [r.times[path][i] for i, g in enumerate(r.groups) if g in groups]
    return p95(samples) * 1000 if samples else float("nan")


def _shares(r: SizeResult, key: str) -> dict[str, float]:
    summary = r.profiles.get(key)
    return dict(summary["landmarks"]) if summary else {}


def _breakdown(r: SizeResult, key: str) -> str:
    """Where the time of a query profile goes, in words (derived from landmark shares)."""
    shares = _shares(r, key)
    if not shares:
        return ""
    get = {label.split(" (")[0]: share for label, share in shares.items()}
    collect = get.get("FacetCollector.collect", 0.0)
    child = get.get("scoring each match", 0.0) + get.get("sort keys for each match", 0.0)
    parts = [
        ("building filter sets", get.get("filter doc sets", 0.0)),
        ("counting the 5 facets per match", max(0.0, collect - child)),
        ("scoring / sort keys per match", child),
        ("opening the facet columns", get.get("opening facet columns per search", 0.0)),
    ]
    return ", ".join(f"{label} {share:.0%}" for label, share in parts if share >= 0.01)


def analysis(r: SizeResult) -> list[str]:
    """What limits each missed target and what would lift it, from this run's figures."""
    t = r.times
    targets = targets_for(r.size)
    lines = []
    service95 = p95(t["service"]) * 1000
    a, b = r.fits["service"]
    _a0, b0 = r.fits["nofacet"]
    plain = [r.totals[i] for i, g in enumerate(r.groups) if g in GROUP_ORDER[:2]]
    largest = max(plain) if plain else max(r.totals)
    no_price = _group_p95(r, "service", GROUP_ORDER[:3])
    price = _group_p95(r, "service", GROUP_ORDER[3:])
    text_only = _group_p95(r, "service", GROUP_ORDER[:2])
    topk_text = _group_p95(r, "topk", GROUP_ORDER[:2])
    unsigned = any(fixed is not None for *_, fixed in r.filters)
    costs = ", ".join(
        f"{label} {shipped * 1000:.0f} ms"
        + (f" ({fixed * 1000:.0f} ms on a signed field)" if fixed is not None else "")
        for label, _count, shipped, fixed in r.filters
    )
    slow = _breakdown(r, "service")
    slow_text = _breakdown(r, "service-text")
    column_share = _shares(r, "service-text").get(
        "opening facet columns per search (reads every listing's offsets)"
    )
    if service95 >= targets["service"]:
        target = targets["service"]
        lines += [
            f"**Search service p95 {service95:.0f} ms ≥ {target} ms.** p95 by kind of query: "
            f"{price:.0f} ms with a price range, {no_price:.0f} ms for all the others, "
            f"{text_only:.0f} ms for text without filters "
            f"({'under' if text_only < target else 'over'} the target): without the "
            f"price-range queries the p95 would be {no_price:.0f} ms "
            f"({'the target met' if no_price < target else 'still over the target'}).",
            "",
            "* *Filters are paid over the whole index on every search.* Whoosh turns each "
            "filter into a set of doc numbers by running it as a query over the whole index "
            "(`Searcher._filter_to_comb` → `docs_for_query`), with no cache, before matching "
            f"the text. Timed alone at this size: {costs}. A price range walks the postings of "
            "every price term in it (a tiered `NumericRange`), so it costs more the more "
            "listings are in the range, whatever the text matches."
            + (
                " On the shop's unsigned field it also matches every listing (see *Defects*)."
                if unsigned
                else ""
            )
            + (f" Profile of the 5 slowest queries: {slow}." if slow else ""),
            "* *Then every match is visited, scored and counted in Python.* Without filters a "
            f"search costs ≈ {a * 1000:.1f} ms + {b * 1e6:.1f} µs per matching listing with "
            f"facets ({b0 * 1e6:.1f} µs without facets, exact total), so the broadest text "
            f"query here ({largest:,} matches) costs ≈ {(a + b * largest) * 1000:.0f} ms. "
            "With `groupedby` there is no top-k pruning: each match is scored and, for each "
            "of the 5 facets, its column value is read, decoded and counted "
            "(`FacetCollector.collect` → `ColumnCategorizer.key_for`/`key_to_name` → "
            "`Count.add`)"
            + (f"; profile of the 5 slowest text-only queries: {slow_text}" if slow_text else "")
            + f". The top 20 alone (no facets, estimated total) has p95 {topk_text:.0f} ms on "
            f"the same text-only queries ({'under' if topk_text < target else 'over'} the "
            "target): visiting every match for the facets and the exact total is what costs "
            "the difference. "
            + (
                "Part of the fixed cost grows with the index: every search reopens the 5 facet "
                "columns and reads every listing's offsets "
                f"(`VarBytesColumn.Reader._read_offsets_and_lengths`, {column_share:.0%} of "
                "that profile). "
                if column_share and column_share >= 0.02
                else ""
            )
            + "The intercept is work not proportional to the matches: intersecting the "
            "posting lists of common words (each term is an `Or` over the 3 text fields) for "
            "multi-word queries that end with few matches. Common words («طرح», «فرش», the "
            "category names that `names` repeats in every listing) match a large share of "
            "the catalogue.",
            "",
            "What would lift it, by measured effect: "
            + (
                "(0) make `price` a signed `NUMERIC` (correct ranges, see *Defects*); "
                if unsigned
                else ""
            )
            + "(1) cache each filter's doc-number set per searcher (few distinct values: 9 "
            "categories, ~20 cities, 3 availabilities, 4 price bands) and apply an arbitrary "
            "min/max price as a post-filter on the `price` column of the matches only, or pass "
            "a cached id set as `filter` — the price-range tail goes; (2) a result cache keyed "
            "on (index generation + TOC version, normalised request), since popular searches "
            "repeat; (3) keep the facet column readers open per searcher instead of per "
            "search, and count facets from arrays (numpy `bincount` of per-segment value "
            "codes over the matched doc numbers) instead of 5 Python calls per match; skip "
            "scoring when sorting by price or date; (4) beyond a few tens of thousands of "
            "listings, a shared search service (PostgreSQL full-text search with GIN, "
            "OpenSearch, Meilisearch) behind the same `SearchBackend` interface: the FTS5 "
            "column shows the same work in native code is 10–100× cheaper.",
            "",
        ]
    api_target = targets["api"]
    api95 = p95(t["api"]) * 1000
    if api_target and api95 >= api_target:
        overhead = (p50(t["api"]) - p50(t["service"])) * 1000
        shares = _shares(r, "api")
        search_share = shares.get("WhooshBackend.search (index + facets)")
        correct_share = shares.get("WhooshBackend.correct (spelling, few hits)")
        db_share = sum(
            shares.get(label, 0.0)
            for label in (
                "loading result cards (DB)",
                "facet labels (DB: categories, coops, DISTINCT city)",
                "snippets",
                "serialising cards (url_for)",
            )
        )
        lines += [
            f"**API p95 {api95:.0f} ms ≥ {api_target} ms.** The search service is most of it"
            + (
                f" (slowest requests' profile: {search_share:.0%} in `WhooshBackend.search`, "
                f"{(correct_share or 0):.0%} in the spelling corrector, {db_share:.0%} loading "
                "cards, labels, snippets and serialising)"
                if search_share is not None
                else ""
            )
            + f"; the API adds ≈ {overhead:.0f} ms at the median: 20 result cards with "
            "producer, cooperative, centre, logo and photos, the facet labels (`_labels()` "
            "reads every category and cooperative and a `DISTINCT city` over all producers on "
            "every request), snippets, highlighted titles and JSON. Queries with fewer than 3 "
            f"matches ({r.checks['few_hits']} of {len(r.totals)}) also run the corrector and "
            "a second search, which pays the filters again. What would lift it: the service "
            "fixes above first; then caching `_labels()` (it changes only with categories, "
            "cooperatives or producers) and the corrector's answers, and an ETag on the index "
            "generation for repeated searches.",
            "",
        ]
    visible95 = p95(t["visible"]) * 1000
    if r.checks.get("searcher_after_update") != "found":
        lines += [
            "**Searchable within: missed.** A searcher open before an update does not find "
            f"the updated listing ({r.checks.get('searcher_after_update')}; see *Defects*); "
            f"a newly opened backend finds it within {visible95:.0f} ms (p95).",
            "",
        ]
    elif visible95 >= SEARCHABLE_TARGET_MS:
        lines += [
            f"**Searchable within p95 {visible95:.0f} ms ≥ {SEARCHABLE_TARGET_MS} ms.** "
            f"An update takes {ms(t['apply'])} ms (p50 / p95) to commit a segment; a searcher "
            "then sees it only at its next refresh check (every 0.2 s). What would lift it: "
            "keep the writer open in one indexing process and commit with `merge=False` "
            "(merge in the background), and refresh searchers on a change notification.",
            "",
        ]
    if r.whoosh_build >= BUILD_TARGET_S:
        lines += [
            f"**Build {r.whoosh_build:.0f} s ≥ {BUILD_TARGET_S} s.** A single Python process "
            "analyses every field (normalisation, regex tokenising, stop words, stemming) and "
            "writes postings. What would lift it: `writer(procs=2, multisegment=True, "
            "limitmb=…)` on this 2-core machine, analysing each text once, or a shared "
            "search service whose bulk indexing runs in native code.",
            "",
        ]
    if not lines:
        lines = ["All targets met at this size.", ""]
    for key in ("service", "service-text", "api", "update", "build"):
        if key in r.profiles:
            lines += profile_lines(r.profiles[key])
    return lines


def render(results: list[SizeResult], queries: list[dict], options, elapsed: float) -> str:
    lines = [
        "# Search benchmark",
        "",
        f"`.venv/bin/python -m bench.search{' --quick' if options.quick else ''}"
        f"{'' if options.quick or options.sizes == '10000,100000' else ' --sizes ' + options.sizes}"
        f"{'' if options.queries == 200 else f' --queries {options.queries}'}` — "
        f"{time.strftime('%Y-%m-%d %H:%M')}, total run time {elapsed / 60:.1f} min; "
        f"Python {platform.python_version()}, Whoosh-Reloaded "
        f"{__import__('whoosh').versionstring()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs (shared, noisy: compare ratios, not absolute times). "
        f"Code measured: shop/search + shop/api/views.py digest `{options.fingerprint}`"
        + (
            " (unchanged during the run)."
            if options.fingerprint == options.fingerprint_after
            else f" → `{options.fingerprint_after}`: **the shop code changed during the run**; "
            "modules already imported kept the first version."
        ),
        "",
        "p50 / p95 over the query set (each query once per path, paths interleaved, warm-up "
        "excluded). Targets: query p95 < 20 ms at 10,000 listings; at 100,000 < 100 ms through "
        "the search service and < 150 ms through the API with facets; a change searchable "
        "within 1 s; the full build under 3 minutes. Sizes under 10,000 use the 10,000 "
        "targets. The build is one timed build per size (minutes long), not a median.",
        "",
    ]
    for r in results:
        lines += size_table(r)
        lines += size_notes(r, queries)
        lines += ["#### What limits it", "", *analysis(r)]
    lines += defects(results)
    return "\n".join(lines)


def defects(results: list[SizeResult]) -> list[str]:
    """Correctness problems in ``shop/search`` that this run ran into (shop/ is not changed)."""
    lines = []
    broken = [r for r in results if r.checks.get("searcher_after_update") != "found"]
    if broken:
        r = broken[0]
        lines.append(
            "**A long-lived searcher does not see index updates.** After `update()` and 0.3 s "
            "(more than `REFRESH_INTERVAL`), a search on the backend that served the queries → "
            f"{r.checks['searcher_after_update']}; the API then answered "
            f"{r.checks['api_after_update']}. Seen at "
            f"{', '.join(f'{x.size:,}' for x in broken)} listings. A test: search, `update()`, "
            "sleep 0.25 s, search again on the same backend."
        )
    capped = [
        r for r in results if r.checks["max_price_probe"][0] != r.checks["max_price_probe"][1]
    ]
    if capped:
        r = capped[0]
        found, truth = r.checks["max_price_probe"]
        lines.append(
            "**`max_price` is not applied correctly by the index.** A search with only "
            f"`max_price=10000000` finds {found:,} of {r.size:,} listings; {truth:,} qualify "
            "(an upper-bounded `NumericRange` on an unsigned Whoosh `NUMERIC` field matches "
            "every listing in Whoosh-Reloaded 2.7.5; a signed field is correct)."
        )
    if not lines:
        return [
            "## Correctness checks",
            "",
            "No defect seen: a long-lived searcher finds an update after its refresh interval, "
            "`max_price` filters exactly, and Whoosh and FTS5 agree on totals and facet counts "
            "(see the checks under each size).",
            "",
        ]
    numbered = [f"{n}. {text}" for n, text in enumerate(lines, 1)]
    return ["## Defects found by this run (shop/ left unchanged)", "", *numbered, ""]


def source_fingerprint() -> str:
    """A digest of the shop code measured, to tell whether it changed during the run."""
    import hashlib

    root = DATA.parent.parent / "shop"
    digest = hashlib.sha256()
    for path in sorted([*(root / "search").glob("*.py"), root / "api" / "views.py"]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="listing counts, comma-separated")
    parser.add_argument("--queries", type=int, default=200, help="queries in the fixed set")
    parser.add_argument("--updates", type=int, default=50, help="single-listing updates")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up queries (not counted)")
    parser.add_argument("--quick", action="store_true", help="2,000 listings: a smoke run")
    parser.add_argument("--profile", action="store_true", help="profile even if targets are met")
    parser.add_argument("--profile-n", type=int, default=5, help="slowest cases to profile")
    parser.add_argument("--output", help="Markdown file for the tables")
    parser.add_argument(
        "--result-cache",
        action="store_true",
        help="keep the per-searcher result cache on (off by default: figures are uncached)",
    )
    options = parser.parse_args(argv)
    from shop.search import whoosh_searcher

    if not options.result_cache:
        # Uncached figures: every query of the set is matched, filtered and counted anew.
        whoosh_searcher.RESULT_CACHE_SIZE = 0
    sizes = [2000] if options.quick else [int(s) for s in options.sizes.split(",") if s]
    if options.quick:
        options.updates = min(options.updates, 20)
    output = Path(
        options.output
        or DATA / ("search-results-quick.md" if options.quick else "search-results.md")
    )
    DATA.mkdir(parents=True, exist_ok=True)
    queries = make_queries(options.queries)
    options.fingerprint = source_fingerprint()
    began = time.perf_counter()
    results = []
    folder = Path(tempfile.mkdtemp(prefix="dastranj-search-bench-"))
    try:
        for size in sizes:
            result = run_size(size, queries, folder / f"n{size}", options)
            results.append(result)
            gc.collect()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - began
    options.fingerprint_after = source_fingerprint()
    report = render(results, queries, options, elapsed)
    print(report)
    output.write_text(report + "\n")
    log(f"written to {output} (total {elapsed / 60:.1f} min)")
    failed = any(
        r.checks["api_bad"]
        or r.checks["api_degraded"]
        or r.checks["fts_disagree"]
        or r.checks["max_price_probe"][0] != r.checks["max_price_probe"][1]
        or r.checks["searcher_after_update"] != "found"
        or r.checks["update_timeouts"]
        for r in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
