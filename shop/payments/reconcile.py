"""One pass of reconciliation: every provider's open payments, then the orders whose payment
time is up (after their payments were asked about, so a payment made but never called back is
captured rather than expired)."""

from __future__ import annotations

import logging

from shop.database import transaction
from shop.payments import stripe_checkout, zarinpal

log = logging.getLogger(__name__)


def reconcile_all() -> dict[str, int]:
    from shop.orders.services import expire_orders

    counts: dict[str, int] = {}
    if zarinpal.enabled():
        for name, count in zarinpal.reconcile().items():
            counts[f"zarinpal {name}"] = count
    if stripe_checkout.enabled():
        for name, count in stripe_checkout.reconcile().items():
            counts[f"stripe {name}"] = count
    with transaction():
        counts["orders expired"] = len(expire_orders())
    from shop.orders.returns import retry_refunds
    from shop.payments.refunds import resume_stuck

    counts["refunds finished"] = resume_stuck()
    counts["returns refunded"] = retry_refunds()
    return counts
