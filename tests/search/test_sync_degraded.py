"""A missing, empty or damaged index degrades search to the database, never fails it;
`reindex()` repairs it."""

from __future__ import annotations

import gc
import logging
import os
import shutil
from pathlib import Path

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from shop.database import transaction
from shop.extensions import db
from shop.listings.services import pause_listing
from shop.search import normalize, whoosh_index
from shop.search.models import SearchOutboxEntry
from shop.search.services import check_index, drain_outbox, reindex
from tests.snapshots import cached_fixture

NOTICE = (
    "Search is working in a simpler mode right now: results may be less precise and "
    "filters are not shown."
)


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


def root(app) -> Path:
    return Path(app.config["SHOP_SEARCH_INDEX_DIR"])


def current_generation(app) -> Path:
    return root(app) / (root(app) / "CURRENT").read_text().strip()


def replace_with_garbage(path: Path) -> None:
    """Replace a file by garbage (a new file: a searcher may still map the old one)."""
    temporary = path.with_name(path.name + ".garbage")
    temporary.write_bytes(b"\x00garbage\xff" * 64)
    os.replace(temporary, path)


def remove_folder(app):
    shutil.rmtree(root(app))


def empty_folder(app):
    shutil.rmtree(root(app))
    root(app).mkdir()


def garbage_segments(app):
    segments = list(current_generation(app).glob("*.seg"))
    assert segments
    for segment in segments:
        replace_with_garbage(segment)


def garbage_toc(app):
    tocs = list(current_generation(app).glob("*.toc"))
    assert tocs
    for toc in tocs:
        replace_with_garbage(toc)


def garbage_postings(app):
    """Garbage over the postings inside each segment (a disk error): the index still opens,
    and fails only when a search reads the postings."""
    for segment in current_generation(app).glob("*.seg"):
        data = bytearray(segment.read_bytes())
        with segment.open("rb") as raw:
            storage = CompoundStorage(StructFile(raw), use_mmap=False)
            parts = [storage.range(name) for name in storage.list() if name.endswith(".pst")]
        assert parts
        for offset, length in parts:
            data[offset : offset + length] = (b"\xff\x00garbage" * length)[:length]
        temporary = segment.with_name(segment.name + ".garbage")
        temporary.write_bytes(bytes(data))
        os.replace(temporary, segment)


def current_points_to_garbage(app):
    folder = root(app) / "gen-garbage"
    folder.mkdir()
    (folder / "_MAIN_1.toc").write_bytes(b"not an index")
    (root(app) / "CURRENT").write_text("gen-garbage")


def current_is_garbage(app):
    (root(app) / "CURRENT").write_bytes(b"\xff\xfe garbage")


DAMAGE = [
    remove_folder,
    empty_folder,
    garbage_segments,
    garbage_postings,
    garbage_toc,
    current_points_to_garbage,
    current_is_garbage,
]

# Whoosh leaves the files of a damaged index open when it fails to read them; the leak is
# collected (below) within the test, and only these files' warnings are ignored.
pytestmark = [
    pytest.mark.filterwarnings(
        r"ignore:unclosed file <_io\.BufferedReader name='[^']*search-index"
    ),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io\.FileIO name='[^']*search-index"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


@pytest.fixture(autouse=True)
def collect_leaks():
    yield
    gc.collect()


@cached_fixture
def items(factory):
    producer = factory.producer()
    found = [factory.listing(producer, title=f"گلیم degradeditem {n}") for n in range(3)]
    factory.listing(producer, title="کیف other")
    factory.listing(producer, title="گلیم degradeditem pending", active=False)
    return found


def damage(app, how) -> None:
    app.extensions["search"].close()  # as a process starting on the damaged index
    how(app)


def expected_notice(app) -> str:
    with app.test_request_context("/search"):
        return str(escape(gettext(NOTICE)))


def repair(app) -> None:
    with app.app_context():  # reindex() expunges its session's objects
        reindex()


@pytest.mark.parametrize("how", DAMAGE)
def test_search_page_answers_from_the_database(app, items, how, caplog):
    damage(app, how)
    caplog.set_level(logging.WARNING, logger="shop.search")

    response = app.test_client().get("/search", query_string={"q": "degradeditem"})

    assert response.status_code == 200
    html = response.text
    assert 'class="flash flash-warning" role="status"' in html
    assert expected_notice(app) in html
    for product in items:
        assert product.title in html
    assert "کیف other" not in html
    assert "pending" not in html
    assert "shop search reindex" in caplog.text


@pytest.mark.parametrize("how", DAMAGE)
def test_api_answers_from_the_database_and_says_so(app, items, how, caplog):
    damage(app, how)
    caplog.set_level(logging.WARNING, logger="shop.search")

    response = app.test_client().get("/api/v1/products", query_string={"q": "degradeditem"})

    assert response.status_code == 200
    data = response.get_json()
    assert data["degraded"] is True
    assert data["total"] == 3
    assert sorted(item["id"] for item in data["items"]) == sorted(p.id for p in items)
    assert "shop search reindex" in caplog.text
    suggest = app.test_client().get("/search/suggest", query_string={"q": "degr"})
    assert suggest.status_code == 200
    # Suggestions come from the index's list of words: none without it (damaged postings
    # leave that list readable)
    expected = ["degradeditem"] if how is garbage_postings else []
    assert suggest.get_json()["suggestions"] == expected


@pytest.mark.parametrize("how", DAMAGE)
def test_reindex_repairs_search(app, items, how):
    damage(app, how)
    assert app.test_client().get("/api/v1/products?q=degradeditem").get_json()["degraded"]

    repair(app)

    client = app.test_client()
    html = client.get("/search", query_string={"q": "degradeditem"}).text
    assert expected_notice(app) not in html
    for product in items:
        assert product.title in html
    data = client.get("/api/v1/products", query_string={"q": "degradeditem"}).get_json()
    assert data["degraded"] is False
    assert sorted(item["id"] for item in data["items"]) == sorted(p.id for p in items)
    assert data["facets"]["category"]  # the index's facets are back
    app.extensions["search"].close()
    with app.app_context():
        assert check_index().ok


@pytest.mark.parametrize("how", DAMAGE)
def test_change_made_on_a_page_while_damaged_waits_for_the_repair(app, items, how, caplog):
    producer = items[0].producer
    owner = app.test_client()
    response = owner.post(
        "/login", data={"email": producer.user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 303
    damage(app, how)

    caplog.set_level(logging.INFO, logger="shop")
    response = owner.post(f"/producer/listings/{items[0].id}/pause")

    assert response.status_code == 303  # the change is saved; the index catches up later
    assert outbox_size() == 1
    # The drain found no index and left the change waiting, without reporting a failure
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []

    repair(app)
    assert outbox_size() == 0
    data = app.test_client().get("/api/v1/products", query_string={"q": "degradeditem"})
    data = data.get_json()
    assert data["degraded"] is False
    assert sorted(item["id"] for item in data["items"]) == sorted(p.id for p in items[1:])


@pytest.mark.parametrize("how", DAMAGE)
def test_drain_on_a_damaged_index_keeps_the_entries(app, factory, items, how):
    producer = items[0].producer
    damage(app, how)
    with transaction():
        pause_listing(producer, items[0])

    assert drain_outbox() == 0  # does not raise: the entries wait for a repair
    assert outbox_size() == 1


def test_repair_keeps_at_most_two_generations(app, items):
    damage(app, garbage_segments)
    repair(app)
    repair(app)

    generations = sorted(p.name for p in root(app).glob("gen-*"))
    assert len(generations) <= 2
    assert (root(app) / "CURRENT").read_text() in generations
    assert not (root(app) / "REBUILDING").exists()


# -- an index built by other code (another schema or analyzer) ---------------------------


def forget_cached_analysis() -> None:
    """As a newly started process: ``index_format()`` and the stems are cached per process."""
    whoosh_index.index_format.cache_clear()
    normalize.stem.cache_clear()


@pytest.fixture
def fresh_format(monkeypatch):
    forget_cached_analysis()
    yield
    forget_cached_analysis()


def search_page(app, text: str) -> str:
    response = app.test_client().get("/search", query_string={"q": text})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("older", ["no FORMAT file", "another format"])
def test_an_index_built_in_another_format_is_not_used_until_reindexed(
    app, items, runner, older, caplog
):
    # Given an index whose generation was built by older code: before formats were written
    # (no FORMAT file), or with another analyzer
    app.extensions["search"].close()
    format_file = current_generation(app) / "FORMAT"
    if older == "no FORMAT file":
        format_file.unlink()
    else:
        format_file.write_text("1:0123456789abcdef")
    caplog.set_level(logging.WARNING, logger="shop.search")

    # When searching, then the page answers from the database and says so, and the log
    # says the index is in another format and needs a reindex
    html = search_page(app, "degradeditem")
    assert expected_notice(app) in html
    for product in items:
        assert product.title in html
    assert "format" in caplog.text and "shop search reindex" in caplog.text
    # And a change waits in the outbox rather than being written into the old index
    with transaction():
        pause_listing(items[0].producer, items[0])
    assert drain_outbox() == 0
    assert outbox_size() == 1
    # And `shop search check` fails, saying why and what to run
    with app.app_context():
        result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "format" in result.output and "shop search reindex" in result.output

    # When reindexing, then the index is used again, with the waiting change
    repair(app)
    html = search_page(app, "degradeditem")
    assert expected_notice(app) not in html
    assert items[0].title not in html and items[1].title in html
    assert outbox_size() == 0
    assert (current_generation(app) / "FORMAT").read_text() == whoosh_index.index_format()
    with app.app_context():
        assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_an_analyzer_changed_without_a_new_version_refuses_the_old_index(
    app, items, monkeypatch, fresh_format, caplog
):
    # Given an index in use
    assert expected_notice(app) not in search_page(app, "degradeditem")
    # When the code's analyzer changes (here the shortest adjectival stem), as a new release
    # would, without anyone raising INDEX_VERSION
    monkeypatch.setattr(normalize, "MIN_ADJECTIVE_STEM", 2)
    forget_cached_analysis()
    app.extensions["search"].close()
    caplog.set_level(logging.WARNING, logger="shop.search")
    # Then the index it built is not trusted: search answers from the database
    assert expected_notice(app) in search_page(app, "degradeditem")
    assert "format" in caplog.text
    # And a reindex with the new analyzer makes it usable again
    repair(app)
    assert expected_notice(app) not in search_page(app, "degradeditem")
