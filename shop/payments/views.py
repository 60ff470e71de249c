"""Where payment providers send buyers back (and, later, their webhooks): a blueprint of its
own, outside the API's, so nothing here relies on CSRF protection by accident — nothing here
changes anything a provider has not confirmed."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.extensions import csrf
from shop.payments import zarinpal
from shop.payments.providers import Outcome

log = logging.getLogger(__name__)

bp = Blueprint("payments", __name__)


@bp.get("/payments/zarinpal/callback")
def zarinpal_callback():
    """The buyer is back from Zarinpal (``?Authority=…&Status=OK|NOK``). The query string only
    names the payment: what happened is asked of the gateway."""
    authority = (request.args.get("Authority") or "").strip()
    status = (request.args.get("Status") or "").strip().upper()
    try:
        outcome = zarinpal.settle(authority, status)
    except zarinpal.UnknownPayment as error:
        return render_template("payments/result.html", outcome=None, message=str(error)), 404
    mine = current_user.is_authenticated and _is_buyer(outcome.order_number)
    if outcome.result == "paid" and mine:
        flash(
            _("Thank you: your payment is confirmed and your order is on its way to its makers."),
            "success",
        )
        return redirect(url_for("checkout.order", number=outcome.order_number), 303)
    status_code = 200 if outcome.result in ("paid", "pending") else 402
    return (
        render_template("payments/result.html", outcome=outcome, mine=mine, message=None),
        status_code,
    )


def _is_buyer(number: str) -> bool:
    from shop.orders.queries import get_buyer_order

    return get_buyer_order(current_user, number) is not None


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Stripe's events: the raw body's signature is checked before anything is read from it.
    A refused delivery answers 400 and changes nothing; every accepted one answers 200."""
    from shop.payments import stripe_checkout

    try:
        event = stripe_checkout.parse_webhook(
            request.get_data(cache=False), request.headers.get("Stripe-Signature")
        )
    except stripe_checkout.BadWebhook as error:
        log.info("stripe webhook refused: %s", error)
        return jsonify({"error": "bad signature or body"}), 400
    return jsonify({"received": stripe_checkout.handle_event(event)}), 200


@bp.get("/payments/stripe/success")
def stripe_success():
    """Where Stripe sends the buyer after paying: shows what is known, marks nothing — the
    signed webhook (or the reconciler) does."""
    from shop.payments.queries import payment_by_reference

    payment = payment_by_reference("stripe", (request.args.get("session_id") or "").strip())
    if payment is None:
        return render_template("payments/result.html", outcome=None, message=None), 404
    number = payment.order.number
    result = "paid" if payment.status.value == "captured" else "pending"
    outcome = Outcome(number, result)
    mine = current_user.is_authenticated and _is_buyer(number)
    return render_template("payments/result.html", outcome=outcome, mine=mine, message=None)
