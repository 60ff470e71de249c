"""Expiring unpaid orders while the shop runs: a daemon thread per process (started at its
first request, like the search worker, so a forking server does not copy a stopped thread).
``shop orders expire`` does the same from cron; both are safe to run at once."""

from __future__ import annotations

import logging
import os
import threading

from flask import Flask

log = logging.getLogger(__name__)

#: Seconds between two looks for orders whose payment time is up.
EXPIRY_INTERVAL = 60


def init_orders(app: Flask) -> None:
    if not app.config["SHOP_ORDERS_EXPIRY_WORKER"]:
        return
    state = {"pid": None}
    lock = threading.Lock()

    @app.before_request
    def ensure_expiry_worker():
        if state["pid"] == os.getpid():
            return
        with lock:
            if state["pid"] == os.getpid():
                return
            state["pid"] = os.getpid()
            stop = threading.Event()
            thread = threading.Thread(
                target=_worker, args=(app, stop), name="order-expiry", daemon=True
            )
            thread.start()
            app.extensions["order_expiry_worker"] = (thread, stop)


def expire_now(app: Flask) -> list[str]:
    from shop.database import transaction
    from shop.extensions import db
    from shop.orders.services import expire_orders

    with app.app_context():
        try:
            with transaction():
                return expire_orders()
        except Exception:  # the next round tries again; nothing was half-done
            log.exception("Expiring unpaid orders failed; trying again in a minute")
            return []
        finally:
            db.session.remove()


def _worker(app: Flask, stop: threading.Event) -> None:
    while not stop.wait(EXPIRY_INTERVAL):
        expire_now(app)
