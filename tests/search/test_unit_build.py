"""A rebuild with several processes (as ``shop search reindex`` runs outside tests) makes an
index that answers exactly as one built by a single process."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from bench.search_corpus import make_catalogue, make_queries
from shop.search import whoosh_searcher
from shop.search.params import parse_search
from shop.search.whoosh_backend import WhooshBackend


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    documents = make_catalogue(600).documents
    built = {}
    for processes in (1, 2):
        backend = WhooshBackend(
            tmp_path_factory.mktemp(f"index-{processes}"), build_processes=processes
        )
        assert backend.rebuild(documents) == len(documents)
        built[processes] = backend
    yield built
    for backend in built.values():
        backend.close()


def test_two_processes_write_a_segment_each(backends):
    with backends[2].searchers.lease() as lease:
        assert len(lease.searcher.reader().leaf_readers()) == 2
    with backends[1].searchers.lease() as lease:
        assert len(lease.searcher.reader().leaf_readers()) == 1


def test_an_index_built_by_two_processes_answers_as_one_built_by_one(backends, monkeypatch):
    monkeypatch.setattr(whoosh_searcher, "RESULT_CACHE_SIZE", 0)
    requests = [
        parse_search(MultiDict({k: v for k, v in q.items() if k != "kind"}), default_per_page=20)
        for q in make_queries(60)
    ]
    found = compared = 0
    for request in requests:
        one, two = backends[1].search(request), backends[2].search(request)
        assert (two.total, two.facets) == (one.total, one.facets), request
        if request.sort != "relevance" or one.total <= len(one.ids):
            # (Listings that score alike may fall either side of a page's end.)
            assert sorted(two.ids) == sorted(one.ids), request
            compared += 1
        found += one.total
    assert found > 0 and compared > len(requests) // 2
