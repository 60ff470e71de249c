"""Where payment providers send buyers back (and, later, their webhooks): a blueprint of its
own, outside the API's, so nothing here relies on CSRF protection by accident — nothing here
changes anything a provider has not confirmed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.payments import zarinpal

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
