"""Reconciling online payments and expiring unpaid orders while the shop runs: a daemon thread
per process (started at its first request, like the search worker, so a forking server does not
copy a stopped thread). ``shop payments reconcile`` does the same from cron (``shop orders
expire`` only the expiry); all are safe to run at once."""

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


def expire_now(app: Flask) -> dict[str, int]:
    """Reconcile open online payments, then expire the orders whose time is up."""
    from shop.extensions import db
    from shop.payments.reconcile import reconcile_all

    with app.app_context():
        try:
            return reconcile_all()
        except Exception:  # the next round tries again; each step is its own transaction
            log.exception("Reconciling payments and expiring orders failed; trying again soon")
            return {}
        finally:
            db.session.remove()
