"""Saved states of a test app — database rows, uploaded files, search index — copied into tests.

Building the schema, seeding it, or processing the pictures of a search corpus takes far
longer than copying the result, so each is built once and copied:

- ``build_base`` saves the migrated, seeded database and an empty index, once per session;
  every ``app`` fixture starts from a copy of it;
- ``@cached_fixture`` builds a fixture's data once per test module, saves it, and copies it
  into each test that asks for it; the ORM objects it returned are read again from that
  test's own session. Tests may change the data freely: the next one gets a fresh copy.

On SQLite a copy is the database file; on PostgreSQL (``SHOP_TEST_DATABASE_URL``) the rows of
every table, written back after ``TRUNCATE … RESTART IDENTITY``.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import inspect as pyinspect
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import has_app_context
from flask_migrate import upgrade
from sqlalchemy import func, insert, inspect, select, text

from shop.extensions import db

#: Set to run the database tests on PostgreSQL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/shop_test
DATABASE_URL = os.environ.get("SHOP_TEST_DATABASE_URL")


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    #: PostgreSQL: table name → its rows (SQLite keeps ``folder / "database.sqlite3"``).
    rows: dict[str, list[dict]] | None
    #: Table name → row count, to check that a test had not written anything before a copy.
    counts: dict[str, int]


def _database_file(app) -> Path:
    return Path(db.engine.url.database)


def _tables():
    return db.metadata.sorted_tables


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in _tables()
    }


def release(app) -> None:
    """End the sessions and close the searchers and (on SQLite, whose file is copied next)
    the connections. PostgreSQL keeps its pool: a new connection costs more than the copy."""
    app.extensions["search"].close()
    if has_app_context():
        db.session.remove()  # the session of the test's own context, if it holds one
    with app.app_context():
        db.session.remove()
        if not DATABASE_URL:
            db.engine.dispose()


def take(app, folder: Path) -> Snapshot:
    """Save the app's database, uploads and index into ``folder``."""
    release(app)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with app.app_context():
        counts = _counts()
        rows = None
        if DATABASE_URL:
            with db.engine.connect() as connection:
                rows = {
                    table.name: [
                        dict(r)
                        for r in connection.execute(
                            select(table).order_by(*table.primary_key.columns)
                        ).mappings()
                    ]
                    for table in _tables()
                }
        else:
            shutil.copyfile(_database_file(app), folder / "database.sqlite3")
        db.session.remove()
        db.engine.dispose()
    for name in ("SHOP_UPLOAD_DIR", "SHOP_SEARCH_INDEX_DIR"):
        source = Path(app.config[name])
        if source.exists():
            shutil.copytree(source, folder / name)
    return Snapshot(folder, rows, counts)


def restore(app, snapshot: Snapshot) -> None:
    """Make the app's database, uploads and index what ``snapshot`` saved."""
    release(app)
    with app.app_context():
        if DATABASE_URL:
            tables = _tables()
            if not {t.name for t in tables} <= set(inspect(db.engine).get_table_names()):
                _migrate_from_scratch()  # a test dropped tables and failed before putting them back
            with db.engine.begin() as connection:
                names = ", ".join(
                    connection.dialect.identifier_preparer.quote(t.name) for t in tables
                )
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                for table in tables:
                    if snapshot.rows[table.name]:
                        connection.execute(insert(table), snapshot.rows[table.name])
                _reset_sequences(connection, snapshot)
        else:
            target = _database_file(app)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(snapshot.folder / "database.sqlite3", target)
    for name in ("SHOP_UPLOAD_DIR", "SHOP_SEARCH_INDEX_DIR"):
        target = Path(app.config[name])
        if target.exists():
            shutil.rmtree(target)
        saved = snapshot.folder / name
        if saved.exists():
            shutil.copytree(saved, target)
    app.extensions["test_snapshot"] = snapshot


def _reset_sequences(connection, snapshot: Snapshot) -> None:
    """Set each sequence past the highest key of the rows put back (in one statement; the
    ``TRUNCATE … RESTART IDENTITY`` has set the others back to 1)."""
    calls = []
    for table in _tables():
        key = list(table.primary_key.columns)
        rows = snapshot.rows[table.name]
        if not rows or len(key) != 1 or not key[0].autoincrement:
            continue
        if key[0].type.python_type is not int:
            continue
        highest = max(row[key[0].name] for row in rows)
        calls.append(
            f"setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), {highest + 1}, false)"
        )
    if calls:
        connection.execute(text("SELECT " + ", ".join(calls)))


def _migrate_from_scratch() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    db.session.remove()


def build_base(app, folder: Path) -> Snapshot:
    """Migrate an empty database (which seeds the categories) and build an empty index."""
    from shop.search.services import reindex

    with app.app_context():
        if DATABASE_URL:
            _migrate_from_scratch()
        else:
            upgrade()
        reindex()
    return take(app, folder)


def dispose(app) -> None:
    """Release everything the app holds open: sessions, searchers and connections."""
    release(app)
    with app.app_context():
        db.engine.dispose()


# -- fixtures whose data is built once per module ------------------------------------------

_built: dict[tuple, tuple[Snapshot, object]] = {}
_folder = Path(tempfile.mkdtemp(prefix="dastranj-test-snapshots-"))
atexit.register(shutil.rmtree, _folder, True)


def _freeze(value):
    """The fixture's result with each ORM object replaced by a reference to its row."""
    if isinstance(value, db.Model):
        state = inspect(value)
        if state.identity is None:
            raise TypeError(f"{value!r} has no row yet: flush it inside the fixture")
        return ("__row__", type(value), state.identity)
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        if hasattr(value, "_fields"):  # a named tuple
            return type(value)(*(_freeze(item) for item in value))
        return type(value)(_freeze(item) for item in value)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**_freeze(vars(value)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _freeze(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    if value is None or isinstance(value, str | bytes | int | float | bool | Path):
        return value
    raise TypeError(f"cached_fixture cannot copy a {type(value).__name__} into other tests")


def _thaw(value):
    """The frozen result again, each row read from the current session."""
    if isinstance(value, tuple) and len(value) == 3 and value[0] == "__row__":
        return db.session.get(value[1], value[2])
    if isinstance(value, dict):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        if hasattr(value, "_fields"):
            return type(value)(*(_thaw(item) for item in value))
        return type(value)(_thaw(item) for item in value)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**_thaw(vars(value)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _thaw(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


def cached_fixture(builder):
    """A fixture whose data (rows, files, index) is built once per test module and copied
    into each test that uses it. It must be the first thing in its test to write data, and
    runs inside the test's ``ctx`` so the objects it returns belong to the test's session."""
    signature = pyinspect.signature(builder)
    wanted = list(signature.parameters)

    @functools.wraps(builder)
    def fixture(request, app, ctx, **kwargs):
        started_from = app.extensions["test_snapshot"]
        written = {name: n for name, n in _counts().items() if n != started_from.counts[name]}
        if written:
            raise RuntimeError(
                f"{builder.__name__} replaces the database, but the test wrote to {written} "
                "before it: ask for the cached fixture first"
            )
        key = (request.module.__name__, builder.__name__, getattr(request, "param", None))
        if key not in _built:
            result = builder(**{name: kwargs[name] for name in wanted if name in kwargs})
            snapshot = take(app, _folder / f"{len(_built)}-{builder.__name__}")
            _built[key] = (snapshot, _freeze(result))
        snapshot, frozen = _built[key]
        restore(app, snapshot)
        return _thaw(frozen)

    parameters = [
        pyinspect.Parameter(name, pyinspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in ("request", "app", "ctx")
    ] + [
        pyinspect.Parameter(name, pyinspect.Parameter.KEYWORD_ONLY)
        for name in wanted
        if name not in ("request", "app", "ctx")
    ]
    fixture.__signature__ = signature.replace(parameters=parameters)
    return pytest.fixture(fixture, name=builder.__name__)
