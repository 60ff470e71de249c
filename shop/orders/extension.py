"""Expiring unpaid orders while the shop runs: a daemon thread per process (started at its
first request, like the search worker, so a forking server does not copy a stopped thread).
``shop orders expire`` does the same from cron; both are safe to run at once."""

from __future__ import annotations

import logging

from flask import Flask

from shop.workers import start_per_process

log = logging.getLogger(__name__)

#: Seconds between two looks for orders whose payment time is up.
EXPIRY_INTERVAL = 60


def init_orders(app: Flask) -> None:
    if app.config["SHOP_ORDERS_EXPIRY_WORKER"]:
        start_per_process(
            app,
            "order_expiry_worker",
            "order-expiry",
            lambda: expire_now(app),
            every=lambda: EXPIRY_INTERVAL,
        )


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
