"""The index on disk: its generations, its schema, the writer and rebuilds.

Layout of the index folder::

    CURRENT            name of the generation in use (replaced atomically by a rebuild)
    REBUILDING         present while ``shop search reindex`` builds a new generation
    gen-…/             one Whoosh index per generation

Only one process may write a Whoosh index: writers take its lock without waiting and raise
``IndexBusy`` when another process holds it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from shop.search.analysis import analyze, persian_analyzer, title_words
from shop.search.backend import (
    Changes,
    Document,
    IndexBusy,
    SearchUnavailable,
    price_band,
)
from shop.search.normalize import city_key

TEXT_FIELDS = ("title", "body", "names")
REINDEX = "run `shop search reindex`"
#: Separates a suggestion key from the title word it stands for in the ``surface`` field.
SURFACE_SEPARATOR = "|"
#: Raise when the schema or what the analyzer makes of a text changes: an index built by
#: other code would mis-match queries, so it is refused until ``shop search reindex``.
INDEX_VERSION = 3
#: Texts whose analysis is part of the index format (a changed analyzer changes them).
FORMAT_PROBE = (
    "تابلو فرش دست‌باف، کیف‌های چرمي و نقره‌ای ۱۲۰×۸۰ KILIM Rugs قالی صندلی طلایی",
    "می خواهم گلیم‌های قشقایی سوزن دوزی آبی چای",
)


def make_schema() -> Schema:
    analyzer = persian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        stamp=STORED(),
        title=TEXT(analyzer=analyzer, field_boost=3.0, phrase=False),
        body=TEXT(analyzer=persian_analyzer(join_pairs=False), phrase=False),
        names=TEXT(analyzer=analyzer, field_boost=1.5, phrase=False),
        # Suggestions and spelling: each title word's key, and key|surface form.
        spell=KEYWORD(scorable=True),
        surface=KEYWORD(),
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


@functools.cache
def index_format() -> str:
    """The format this code reads and writes: the version, the fields and a digest of what
    the analyzer makes of a few texts. Stored in each generation (``FORMAT``)."""
    probe = "\n".join(
        " ".join(analyze(text, join_pairs)) for text in FORMAT_PROBE for join_pairs in (True, False)
    )
    fields = ",".join(sorted(make_schema().names()))
    digest = hashlib.sha256(f"{fields}\n{probe}".encode()).hexdigest()[:16]
    return f"{INDEX_VERSION}:{digest}"


class IndexOutdated(SearchUnavailable):
    """The generation in use was built by code with another schema or analyzer."""


def document_fields(document: Document) -> dict:
    """The values the index stores for ``document``, field by field."""
    words = title_words(document.title)
    return {
        "id": str(document.id),
        "stamp": document.stamp,
        "title": document.title,
        "body": document.body,
        "names": document.names,
        "spell": " ".join(key for key, _ in words),
        "surface": " ".join(f"{key}{SURFACE_SEPARATOR}{word}" for key, word in words),
        "category": document.category,
        "category_parent": document.category_parent,
        "city": city_key(document.city) or "-",
        "cooperative": document.cooperative or "-",
        "price_band": price_band(document.price),
        "availability": document.availability,
        "price": document.price,
        "published": document.published,
    }


class IndexUpdate:
    """Changes made while holding the writer of one index generation."""

    def __init__(self, generation: str, writer) -> None:
        self.generation = generation
        self._writer = writer
        #: Documents written or deleted; with none, the writer is let go without a commit.
        self.changed = 0

    def put(self, documents: list[Document], removed_ids: list[int]) -> None:
        """Write the documents the index does not already hold as they are: an order that
        leaves a listing in stock changes nothing searched or shown, so its stamp is the same
        and the index is not rewritten for it."""
        with self._writer.searcher() as searcher:
            stale = [
                document
                for document in documents
                if (searcher.document(id=str(document.id)) or {}).get("stamp") != document.stamp
            ]
        for document in stale:
            self._writer.update_document(**document_fields(document))
        for product_id in removed_ids:
            self._writer.delete_by_term("id", str(product_id))
        self.changed += len(stale) + len(removed_ids)


class Generations:
    """The generations of one index folder: which is in use, writing to it, replacing it."""

    def __init__(self, root: str | os.PathLike, build_processes: int = 1) -> None:
        self.root = Path(root)
        #: A rebuild with more than one process leaves one segment per process: merging
        #: them would cost as long as building with one (later updates merge as they go).
        self.build_processes = build_processes

    def rebuilding(self) -> bool:
        return (self.root / "REBUILDING").exists()

    def current_name(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, ValueError):
            return None
        return name if name.startswith("gen-") and (self.root / name).is_dir() else None

    def current(self) -> str:
        """The name of the generation in use; raises ``SearchUnavailable`` when there is none."""
        name = self.current_name()
        if name is None:
            raise SearchUnavailable(f"search index is missing: {REINDEX}")
        return name

    def open(self, name: str):
        """The Whoosh index of generation ``name``; raises ``SearchUnavailable``, and
        ``IndexOutdated`` when the generation was built in another format."""
        try:
            built = (self.root / name / "FORMAT").read_text(encoding="utf-8").strip()
        except (OSError, ValueError):
            built = "1 (no FORMAT file)"
        if built != index_format():
            raise IndexOutdated(
                f"search index {name} was built in format {built}, this version of the shop "
                f"reads format {index_format()}: {REINDEX}"
            )
        try:
            return whoosh_index.open_dir(str(self.root / name))
        except Exception as exc:  # Whoosh raises many kinds for a damaged index
            raise SearchUnavailable(f"search index {name} cannot be opened: {exc}") from exc

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self):
        """Hold the writer of the generation in use: yields an ``IndexUpdate``; commits when
        the block ends (if it changed anything). Raises ``IndexBusy`` at once when another
        process holds the writer."""
        name = self.current()
        ix = self.open(name)
        try:
            writer = ix.writer(timeout=0.0)
        except LockError as exc:
            raise IndexBusy() from exc
        except Exception as exc:
            raise SearchUnavailable(f"search index cannot be written: {exc}") from exc
        update = IndexUpdate(name, writer)
        try:
            yield update
            if update.changed:
                writer.commit()
            else:
                writer.cancel()
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
        with self.writing() as update:
            changes = read_changes()
            update.put(changes.documents, changes.removed_ids)
        return not self.rebuilding() and self.current_name() == update.generation

    def rebuild(self, documents: Iterable[Document]) -> int:
        """Build a new generation from ``documents`` and switch searches to it atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        folder = self.root / name
        folder.mkdir()
        marker = self.root / "REBUILDING"
        # Before the first document is read: a change committed after that point must not
        # be taken off the outbox by a drain into the generation about to be replaced.
        marker.write_text(name)
        count = 0
        try:
            ix = whoosh_index.create_in(str(folder), make_schema())
            if self.build_processes > 1:
                writer = ix.writer(procs=self.build_processes, limitmb=128, multisegment=True)
            else:
                writer = ix.writer(limitmb=256)
            try:
                for document in documents:
                    writer.add_document(**document_fields(document))
                    count += 1
            except Exception:
                writer.cancel()
                raise
            writer.commit()
            (folder / "FORMAT").write_text(index_format(), encoding="utf-8")
            temporary = self.root / f"CURRENT.{name}.tmp"
            temporary.write_text(name)
            previous = self.current_name()
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
