"""The database layer: declarative base, naming convention, column helpers, the unit of work."""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, inspect, select, update
from sqlalchemy.orm import DeclarativeBase, Session

from shop.config import SQLITE_SYNCHRONOUS
from shop.errors import IllegalTransition

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time in UTC (a callable default, evaluated per row)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def Timestamp():
    """The column type of every ``…_at`` column."""
    return UTCDateTime()


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """Store an enum by its value as a plain string column (portable, readable, migratable)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
    )


class StateMachine(enum.Enum):
    """An enum whose members list, in ``transitions()``, the statuses they may move to."""

    @classmethod
    def transitions(cls) -> dict:
        raise NotImplementedError

    def can_become(self, other: StateMachine) -> bool:
        return other in self.transitions().get(self, ())

    def check_transition(self, other: StateMachine) -> None:
        """Raise ``IllegalTransition`` unless this status may become ``other``."""
        if not self.can_become(other):
            raise IllegalTransition(f"{type(self).__name__}: {self.value} → {other.value}")


# -- the unit of work -------------------------------------------------------------------------
#
# Services add, flush and raise; they never commit. The view or command that starts an
# operation wraps it in ``transaction()``, which commits once at the end, so several services
# (take stock, write the order and its parcels, record the ledger) make one atomic operation.
# What must happen only after a commit (deleting replaced files, telling the search index) or
# only after a rollback (removing files written for rows that will never exist) is registered
# with ``on_commit`` / ``on_rollback`` by the service that causes it.


class TransactionError(RuntimeError):
    """The unit of work was used wrongly (a programming error, never a user's)."""


@dataclass
class _UnitOfWork:
    depth: int = 0
    #: Set when a nested block raised: the whole operation must roll back.
    doomed: bool = False
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    after_rollback: list[Callable[[], None]] = field(default_factory=list)


def _unit_of_work(session: Session) -> _UnitOfWork:
    return session.info.setdefault("unit_of_work", _UnitOfWork())


def _default_session() -> Session:
    from shop.extensions import db

    return db.session


@contextlib.contextmanager
def transaction(session: Session | None = None):
    """One operation: commit when the block ends, roll back everything if it raises.

    A block inside another joins it; if the inner block raises, the whole operation rolls
    back even when the outer code catches the error, so nothing is ever half-committed.
    """
    session = session or _default_session()
    unit = _unit_of_work(session)
    if unit.depth:
        unit.depth += 1
        try:
            yield session
        except BaseException:
            unit.doomed = True
            raise
        finally:
            unit.depth -= 1
        return

    unit.depth, unit.doomed = 1, False
    try:
        try:
            yield session
            if unit.doomed:
                raise TransactionError("a nested operation failed, so the whole one was undone")
            session.commit()
        except BaseException:
            session.rollback()
            callbacks = unit.after_rollback
            unit.after_commit, unit.after_rollback = [], []
            # The operation is over: a callback may start one of its own.
            unit.depth, unit.doomed = 0, False
            _run(callbacks)
            raise
        callbacks = unit.after_commit
        unit.after_commit, unit.after_rollback = [], []
        unit.depth, unit.doomed = 0, False
        _run(callbacks)
    finally:
        unit.depth, unit.doomed = 0, False
        unit.after_commit, unit.after_rollback = [], []


def _run(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the database outcome stands; a file left behind is swept later
            log.exception("A post-transaction step failed (`shop media gc` sweeps leftovers)")


def _current_unit(what: str) -> _UnitOfWork:
    unit = _unit_of_work(_default_session())
    if not unit.depth:
        raise TransactionError(f"{what} needs an open transaction(): wrap the operation in one")
    return unit


def on_commit(callback: Callable[[], None], once: bool = False) -> None:
    """Run ``callback`` once the current transaction has committed (never if it rolls back).
    With ``once``, a callback already waiting for this commit is not added again."""
    waiting = _current_unit("on_commit").after_commit
    if not (once and callback in waiting):
        waiting.append(callback)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the current transaction rolls back (never if it commits)."""
    _current_unit("on_rollback").after_rollback.append(callback)


def lock_row(instance) -> None:
    """Hold ``instance``'s row against other writers until the transaction ends, then reload it.

    PostgreSQL takes a row lock (``SELECT … FOR UPDATE``). SQLite ignores that, so a no-op
    ``UPDATE`` of the row takes the database's write lock instead (waiting up to the busy
    timeout); reads after it see every earlier commit. Call it before changing anything.
    """
    session = _default_session()
    state = inspect(instance)
    mapper = state.mapper
    key_columns = mapper.primary_key
    condition = [column == value for column, value in zip(key_columns, state.identity, strict=True)]
    if session.get_bind().dialect.name == "sqlite":
        first = key_columns[0]
        session.execute(update(mapper.local_table).where(*condition).values({first: first}))
    else:
        session.execute(select(*key_columns).where(*condition).with_for_update())
    session.expire(instance)


def configure_engine(engine, synchronous: str = "FULL") -> None:
    """SQLite: enforce foreign keys, WAL for several processes, and wait instead of failing.

    ``synchronous`` is SQLite's own setting: FULL (the default) waits for the disk at every
    commit, so a committed order survives a power cut; the tests, whose databases are thrown
    away, use OFF.
    """
    if engine.dialect.name != "sqlite":
        return
    if synchronous not in SQLITE_SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {SQLITE_SYNCHRONOUS}")
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()
