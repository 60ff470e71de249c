"""Wiring search into the app: the backend, draining after commits, a background drainer."""

from __future__ import annotations

import logging

from flask import Flask

from shop.extensions import db
from shop.search.outbox import DIRTY_FLAG
from shop.search.whoosh_backend import WhooshBackend
from shop.workers import start_per_process

log = logging.getLogger(__name__)

#: How often the background drainer looks at the outbox, in seconds.
DRAIN_INTERVAL = 0.5


def init_search(app: Flask) -> None:
    backend = WhooshBackend(
        app.config["SHOP_SEARCH_INDEX_DIR"],
        build_processes=app.config["SHOP_SEARCH_BUILD_PROCESSES"],
    )
    app.extensions["search"] = backend

    @app.after_request
    def drain_after_commit(response):
        # The change is committed by now; apply it once the response is on its way.
        if db.session.info.pop(DIRTY_FLAG, False):
            if app.config["SHOP_SEARCH_SYNC"]:
                _drain_quietly()
            else:
                response.call_on_close(lambda: _drain_in_context(app))
        return response

    if app.config["SHOP_SEARCH_WORKER"]:
        _start_worker_after_fork(app)


def _drain_quietly() -> None:
    from shop.search.services import drain_outbox

    try:
        drain_outbox()
    except Exception:
        db.session.rollback()
        log.exception("Applying search changes failed; they stay in the outbox")


def _drain_in_context(app: Flask) -> None:
    with app.app_context():
        _drain_quietly()


def _start_worker_after_fork(app: Flask) -> None:
    """One drainer thread per process drains changes made by any process."""
    start_per_process(
        app,
        "search_worker",
        "search-drainer",
        lambda: _drain_in_context(app),
        every=lambda: DRAIN_INTERVAL,
    )
