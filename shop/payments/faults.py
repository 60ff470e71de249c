"""Test-only fault points: the places between two steps of a payment where a process can die
(after the provider answered but before we recorded it, between two transactions…). Tests
arm a point with ``crash_at`` and check that ``shop payments reconcile`` repairs what the
crash left; in production nothing is ever armed and ``fault`` does nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

#: Every point there is, so a test cannot arm one that no code reaches.
POINTS = frozenset(
    {
        "zarinpal:after-request",
        "zarinpal:before-verify",
        "zarinpal:after-verify",
        "stripe:after-session",
        "stripe:before-commit",
        "stripe:before-late-refund",
        "stripe:after-late-refund",
        "refund:after-provider",
    }
)

_armed: dict[str, BaseException | Callable[[], None]] = {}


class Crash(Exception):
    """The process dies here."""


def fault(point: str) -> None:
    """Raise the error armed for ``point``, or run what is to happen there, if anything."""
    armed = _armed.get(point)
    if isinstance(armed, BaseException):
        raise armed
    if armed is not None:
        armed()


@contextmanager
def run_at(point: str, action: BaseException | Callable[[], None]):
    """Until the block ends, the code reaching ``point`` raises ``action`` or calls it (say,
    another request that happens meanwhile)."""
    if point not in POINTS:
        raise KeyError(point)
    _armed[point] = action
    try:
        yield
    finally:
        _armed.pop(point, None)


def crash_at(point: str):
    """``with crash_at("stripe:before-commit"):`` — the process dies at ``point``."""
    return run_at(point, Crash(point))
