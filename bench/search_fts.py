"""The baseline for the search benchmark: SQLite FTS5 over the same normalised corpus.

Each text field is indexed as the terms the shop's analyser makes of it (``normalize_text``,
tokenising, stop words, the joined form of adjacent Persian words, stemming:
``shop.search.analysis.analyze``) joined by spaces, so FTS5's ``unicode61`` tokenizer sees
exactly the terms Whoosh indexes. Queries are analysed the same way (``query_terms``): each word,
or the joined form it makes with its neighbour, must match (terms quoted, any column), ranked with
``bm25(docs, 3, 1, 1.5)`` (the Whoosh field boosts), filtered through a plain table joined on
the rowid, and facet counts are ``GROUP BY``s over the matched rowids.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from shop.search.analysis import analyze, query_terms
from shop.search.backend import FACETS, Document, SearchHits, SearchRequest
from shop.search.normalize import city_key
from shop.search.whoosh_index import document_fields

BM25 = "bm25(docs, 3.0, 1.0, 1.5)"
# The SQL below is put together from fixed fragments (column names, ORDER BY clauses);
# every value is a bound parameter.
_EMPTY = ("", "-", None)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _texts(document: Document) -> tuple[str, str, str]:
    return (
        " ".join(analyze(document.title)),
        " ".join(analyze(document.body, join_pairs=False)),
        " ".join(analyze(document.names)),
    )


def _meta(document: Document) -> tuple:
    fields = document_fields(document)  # the facet values exactly as the Whoosh index stores them
    return (
        document.id,
        fields["category"],
        fields["category_parent"],
        fields["city"],
        fields["cooperative"],
        fields["price_band"],
        fields["availability"],
        fields["price"],
        fields["published"],
    )


class Fts5Baseline:
    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(str(path), isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        self.connection.close()

    def build(self, documents: list[Document]) -> dict[str, float]:
        """Create and fill the tables; returns the seconds spent analysing and in SQLite."""
        c = self.connection
        c.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, names, tokenize='unicode61')")
        c.execute(
            "CREATE TABLE meta (id INTEGER PRIMARY KEY, category TEXT, category_parent TEXT,"
            " city TEXT, cooperative TEXT, price_band TEXT, availability TEXT,"
            " price INTEGER, published INTEGER)"
        )
        start = time.perf_counter()
        texts = [(d.id, *_texts(d)) for d in documents]
        metas = [_meta(d) for d in documents]
        analysed = time.perf_counter()
        c.execute("BEGIN")
        c.executemany("INSERT INTO docs(rowid, title, body, names) VALUES (?, ?, ?, ?)", texts)
        c.executemany("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", metas)
        c.execute("COMMIT")
        c.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        c.execute("CREATE TEMP TABLE hits (id INTEGER PRIMARY KEY, score REAL)")
        done = time.perf_counter()
        return {"analysis": analysed - start, "sqlite": done - analysed, "total": done - start}

    def update(self, document: Document) -> None:
        """Replace one listing, in one transaction (the single-listing update)."""
        c = self.connection
        texts = _texts(document)
        c.execute("BEGIN")
        c.execute("DELETE FROM docs WHERE rowid = ?", (document.id,))
        c.execute(
            "INSERT INTO docs(rowid, title, body, names) VALUES (?, ?, ?, ?)",
            (document.id, *texts),
        )
        c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _meta(document))
        c.execute("COMMIT")

    @staticmethod
    def _where(request: SearchRequest, terms) -> tuple[str, str, list]:
        """(FROM clause, WHERE clause, parameters) for the request's text and filters."""
        clauses, params = [], []
        if terms.words:
            source = "docs JOIN meta m ON m.id = docs.rowid"
            clauses.append("docs MATCH ?")
            params.append(
                " AND ".join(
                    "(" + " OR ".join(_quoted(t) for t in terms.alternatives(i)) + ")"
                    for i in range(len(terms.words))
                )
            )
        else:
            source = "meta m"
        if request.category:
            clauses.append("(m.category = ? OR m.category_parent = ?)")
            params += [request.category, request.category]
        if request.city:
            clauses.append("m.city = ?")
            params.append(city_key(request.city))
        if request.cooperative:
            clauses.append("m.cooperative = ?")
            params.append(request.cooperative)
        if request.price_band:
            clauses.append("m.price_band = ?")
            params.append(request.price_band)
        if request.availability:
            clauses.append("m.availability = ?")
            params.append(request.availability)
        if request.min_price is not None:
            clauses.append("m.price >= ?")
            params.append(request.min_price)
        if request.max_price is not None:
            clauses.append("m.price <= ?")
            params.append(request.max_price)
        return source, " AND ".join(clauses) or "1", params

    @staticmethod
    def _order(request: SearchRequest, terms, score: str) -> str:
        if request.sort == "newest" or (request.sort == "relevance" and not terms.words):
            return "m.published DESC, m.id DESC"
        if request.sort == "price_asc":
            return "m.price ASC, m.id ASC"
        if request.sort == "price_desc":
            return "m.price DESC, m.id DESC"
        return f"{score}, m.id"

    def search(self, request: SearchRequest, facets: bool = True) -> SearchHits:
        terms = query_terms(request.text)
        source, where, params = self._where(request, terms)
        offset = (request.page - 1) * request.per_page
        c = self.connection
        if not facets:
            order = self._order(request, terms, BM25)
            ids = [
                row[0]
                for row in c.execute(
                    f"SELECT m.id FROM {source} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
                    (*params, request.per_page, offset),
                )
            ]
            count = f"SELECT count(*) FROM {source} WHERE {where}"  # noqa: S608
            total = c.execute(count, params).fetchone()[0]
            return SearchHits(ids=ids, total=total, terms=terms.all)
        score = BM25 if terms.words else "0"
        c.execute("DELETE FROM temp.hits")
        fill = f"INSERT INTO temp.hits SELECT m.id, {score} FROM {source} WHERE {where}"  # noqa: S608
        c.execute(fill, params)
        order = self._order(request, terms, "h.score")
        ids = [
            row[0]
            for row in c.execute(
                f"SELECT h.id FROM temp.hits h JOIN meta m ON m.id = h.id"  # noqa: S608
                f" ORDER BY {order} LIMIT ? OFFSET ?",
                (request.per_page, offset),
            )
        ]
        total = c.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        counts = {}
        for name in FACETS:
            counts[name] = {
                value: count
                for value, count in c.execute(
                    f"SELECT m.{name}, count(*) FROM temp.hits h JOIN meta m ON m.id = h.id"  # noqa: S608
                    f" GROUP BY m.{name}"
                )
                if value not in _EMPTY
            }
        return SearchHits(ids=ids, total=total, facets=counts, terms=terms.all)
