"""Stripe Checkout, for shops that sell in a currency Stripe accepts (not IRR: Stripe does not
serve Iran). One Checkout Session per payment attempt, with a line item per order line and per
parcel's shipping; only Stripe's signed webhook (or the reconciler asking Stripe) marks
anything paid — the success page only shows what is known.

Every webhook event is stored once, under a unique constraint, in the same transaction as its
effect; handlers are a table, and a success always wins over an expiry whatever order they
arrive in (Stripe took the money), so every order of deliveries ends as a sequential run does.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import stripe
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.database import lock_row, transaction, utcnow
from shop.errors import DomainError
from shop.extensions import db
from shop.orders.models import Order, OrderStatus
from shop.payments.amounts import accepts, provider_amount
from shop.payments.faults import fault
from shop.payments.models import Payment, PaymentStatus, WebhookEvent
from shop.payments.providers import PaidOnline, register
from shop.payments.queries import payment_by_reference

log = logging.getLogger(__name__)

CODE = "stripe"
#: Seconds a webhook's timestamp may be off, either way.
TOLERANCE = 300
#: Stripe's shortest Checkout Session (30 minutes), and a minute's margin for the clock.
MINIMUM_SESSION = timedelta(minutes=31)
LONGEST_SESSION = timedelta(hours=23)
#: The note of a payment captured for an order no longer waiting, until it is given back.
LATE = "late: refund"


class StripeDown(DomainError):
    message = _l("The card payment service did not answer. Try again in a moment.")


class BadWebhook(DomainError):
    """Unsigned, forged, stale, from the future, or not JSON: refused, nothing changed."""


def refusal(app) -> str | None:
    """Why Stripe cannot be offered with this configuration (None: it can, or is not set)."""
    config = app.config
    if not config.get("STRIPE_SECRET_KEY"):
        return None
    if not accepts(CODE, config["SHOP_CURRENCY"]):
        return (
            f"Stripe is not offered: it does not accept {config['SHOP_CURRENCY']} "
            "(it does not serve Iran); the shop offers its other payment methods."
        )
    if not config.get("STRIPE_WEBHOOK_SECRET"):
        return (
            "Stripe is not offered: STRIPE_WEBHOOK_SECRET is not set, "
            "so no payment could be confirmed."
        )
    return None


def check_at_start_up(app) -> None:
    """Say once, at start-up, why Stripe is configured but not offered."""
    reason = refusal(app)
    if reason:
        app.logger.warning(reason)


def enabled(app=None) -> bool:
    app = app or current_app
    return bool(app.config.get("STRIPE_SECRET_KEY")) and refusal(app) is None


def client() -> stripe.StripeClient:
    config = current_app.config
    bases = {"api": config["STRIPE_API_BASE"]} if config.get("STRIPE_API_BASE") else None
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        base_addresses=bases or {},
        max_network_retries=1,
    )


class StripeCheckout(PaidOnline):
    code = CODE

    def is_enabled(self, app=None) -> bool:
        return enabled(app)

    def redirect_origin(self) -> str:
        """Stripe's hosted checkout page (the fake server's, in tests)."""
        from urllib.parse import urlsplit

        base = current_app.config.get("STRIPE_API_BASE")
        if not base:
            return "https://checkout.stripe.com"
        parts = urlsplit(base)
        return f"{parts.scheme}://{parts.netloc}"


PROVIDER = register(StripeCheckout())


def _unit(amount: int, currency: str) -> int:
    return provider_amount(amount, currency, CODE)


def begin_payment(order_id: int, success_url: str, cancel_url: str) -> str:
    """A Checkout Session for the order (one line item per order line and per parcel's
    shipping); the page to send the buyer to. Idempotent per payment attempt."""
    with transaction():
        order, payment = PROVIDER.attempt(order_id)
        currency = order.currency.lower()
        items = [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": currency,
                    "unit_amount": _unit(line.unit_price, order.currency),
                    "product_data": {"name": line.name[:250]},
                },
            }
            for line in order.lines
        ]
        items += [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency,
                    "unit_amount": _unit(parcel.shipping_cost, order.currency),
                    "product_data": {"name": f"Shipping: {parcel.producer.shop_name}"[:250]},
                },
            }
            for parcel in order.parcels
            if parcel.shipping_cost > 0
        ]
        # The session closes with the order's time to pay (Stripe wants 30 minutes to 24
        # hours), so a buyer cannot pay at Stripe long after the order gave its stock back.
        # It is counted from the attempt, so asking again under its key sends the same request.
        opened = payment.created_at or utcnow()
        closes = min(
            max(order.expires_at or opened, opened + MINIMUM_SESSION), opened + LONGEST_SESSION
        )
        params = {
            "mode": "payment",
            "expires_at": int(closes.timestamp()),
            "line_items": items,
            "client_reference_id": order.number,
            "metadata": {"order_number": order.number, "payment_id": str(payment.id)},
            "payment_intent_data": {"metadata": {"order_number": order.number}},
            "success_url": success_url + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": cancel_url,
        }
        payment_id, key = payment.id, f"dastranj-order-{order.id}-payment-{payment.id}"
    try:
        session = client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": key}
        )
    except stripe.StripeError as exc:
        log.warning("stripe: session for payment %s failed: %s", payment_id, exc)
        if isinstance(exc, (stripe.InvalidRequestError, stripe.IdempotencyError)):
            # Stripe refused this request for good: the next try is a new attempt, new key.
            with transaction():
                payment = db.session.get(Payment, payment_id)
                lock_row(payment)
                if payment.status is PaymentStatus.PENDING and not payment.reference:
                    payment.status, payment.note = PaymentStatus.FAILED, "refused by Stripe"
        raise StripeDown() from exc
    fault("stripe:after-session")
    PROVIDER.keep_reference(payment_id, session.id)
    return session.url


# -- webhooks --------------------------------------------------------------------------------


def parse_webhook(body: bytes, signature: str | None) -> stripe.Event:
    """The event, if Stripe signed exactly these bytes within the tolerance (either way)."""
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    if not signature or not secret:
        raise BadWebhook("no signature")
    stamps = [part[2:] for part in signature.split(",") if part.startswith("t=")]
    if not stamps or not stamps[0].isdigit() or int(stamps[0]) > time.time() + TOLERANCE:
        raise BadWebhook("timestamp missing or in the future")
    try:
        return stripe.Webhook.construct_event(body, signature, secret, tolerance=TOLERANCE)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadWebhook(str(exc)) from exc


def handle_event(event) -> str:
    """Apply a verified event once: returns "applied", "duplicate" or "ignored"."""
    kind = event["type"]
    handler = HANDLERS.get(kind)
    refund_after = []
    try:
        with transaction():
            db.session.add(
                WebhookEvent(provider=CODE, event_id=str(event["id"])[:120], kind=kind[:80])
            )
            db.session.flush()
            if handler is None:
                log.info("stripe: event %s of type %s ignored", event["id"], kind)
                return "ignored"
            handler(_plain(event["data"]["object"]), refund_after)
            fault("stripe:before-commit")
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    for payment_id in refund_after:
        refund_late(payment_id)
    return "applied"


def _plain(value) -> dict:
    """A Stripe object as a plain dict (``.get`` works on it)."""
    return value.to_dict() if hasattr(value, "to_dict") else dict(value)


def _payment_of(session: dict) -> Payment | None:
    return payment_by_reference(CODE, str(session.get("id", "")))


def _paid(session: dict, refund_after: list) -> None:
    """Stripe has the money for this session: capture, or give it back if too late."""
    from shop.orders.services import record_payment

    payment = _payment_of(session)
    if payment is None:
        log.warning("stripe: a paid session %s for no payment of ours", session.get("id"))
        return
    order = payment.order
    lock_row(order)
    lock_row(payment)
    if payment.status in (PaymentStatus.CAPTURED, PaymentStatus.REFUNDED):
        return
    payment.transaction_id = str(session.get("payment_intent") or "")[:64]
    amount, currency = session.get("amount_total"), str(session.get("currency", "")).upper()
    if amount != _unit(payment.amount, payment.currency) or currency != order.currency:
        order.flagged = "payment_mismatch"
        payment.note = "mismatch"
        return
    if order.status is OrderStatus.AWAITING_PAYMENT:
        payment.status = PaymentStatus.PENDING  # an expiry seen first does not undo a payment
        record_payment(payment)
        return
    payment.status, payment.captured_at = PaymentStatus.CAPTURED, utcnow()
    payment.note = LATE
    refund_after.append(payment.id)


def _completed(session: dict, refund_after: list) -> None:
    if session.get("payment_status") in ("paid", "no_payment_required"):
        _paid(session, refund_after)
    # "unpaid": a delayed method; its async_payment_succeeded / _failed follows


def _failed(session: dict, refund_after: list) -> None:
    payment = _payment_of(session)
    if payment is not None and payment.status is PaymentStatus.PENDING:
        lock_row(payment)
        payment.status, payment.note = PaymentStatus.FAILED, "the payment failed"


def _expired(session: dict, refund_after: list) -> None:
    payment = _payment_of(session)
    if payment is not None and payment.status is PaymentStatus.PENDING:
        lock_row(payment)
        payment.status, payment.note = PaymentStatus.CANCELLED, "session expired"


def _refunded(charge: dict, refund_after: list) -> None:
    intent = str(charge.get("payment_intent") or "")
    payment = db.session.scalar(
        select(Payment).where(Payment.provider == CODE, Payment.transaction_id == intent)
    )
    if payment is None or not intent:
        return
    lock_row(payment)
    if charge.get("refunded") and payment.status is PaymentStatus.CAPTURED:
        payment.status, payment.refunded_at = PaymentStatus.REFUNDED, utcnow()


HANDLERS = {
    "checkout.session.completed": _completed,
    "checkout.session.async_payment_succeeded": _paid,
    "checkout.session.async_payment_failed": _failed,
    "checkout.session.expired": _expired,
    "charge.refunded": _refunded,
}


def refund_late(payment_id: int) -> None:
    """Give back a payment captured for an order no longer waiting (idempotent at Stripe)."""
    payment = db.session.get(Payment, payment_id)
    intent = payment.transaction_id
    fault("stripe:before-late-refund")
    try:
        client().v1.refunds.create(
            params={"payment_intent": intent, "metadata": {"payment_id": str(payment_id)}},
            options={"idempotency_key": f"dastranj-late-refund-{payment_id}"},
        )
    except stripe.StripeError as exc:
        log.error("stripe: refunding late payment %s failed: %s", payment_id, exc)
        with transaction():
            payment = db.session.get(Payment, payment_id)
            payment.order.flagged = "reversal_failed"
        return
    fault("stripe:after-late-refund")
    with transaction():
        payment = db.session.get(Payment, payment_id)
        lock_row(payment)
        if payment.status is PaymentStatus.CAPTURED:
            payment.status, payment.refunded_at = PaymentStatus.REFUNDED, utcnow()
            payment.note = "refunded: the order was no longer waiting"


# -- reconciling -------------------------------------------------------------------------------


def reconcile(now=None) -> dict[str, int]:
    """Ask Stripe about every open session, and refund what was captured too late."""
    from datetime import timedelta

    now = now or utcnow()
    done = {"paid": 0, "closed": 0, "refunded": 0}
    late = db.session.scalars(
        select(Payment.id)
        .join(Order)
        .where(
            Payment.provider == CODE,
            Payment.status == PaymentStatus.CAPTURED,
            Payment.note == LATE,  # not one captured in time whose parcels were cancelled later
            Order.status.in_([OrderStatus.CANCELLED, OrderStatus.EXPIRED]),
        )
    ).all()
    rows = db.session.execute(
        select(Payment.reference, Payment.created_at).where(
            Payment.provider == CODE, Payment.status == PaymentStatus.PENDING
        )
    ).all()
    db.session.rollback()
    for payment_id in late:  # captured, but its order stopped waiting: not given back yet
        refund_late(payment_id)
        done["refunded"] += 1
    for reference, created_at in rows:
        if not reference or created_at + timedelta(minutes=1) > now:
            continue
        try:
            session = _plain(client().v1.checkout.sessions.retrieve(reference))
        except stripe.StripeError as exc:
            log.warning("stripe: looking up %s failed: %s", reference, exc)
            continue
        refund_after: list[int] = []
        with transaction():
            if session.get("payment_status") == "paid":
                _paid(session, refund_after)
                done["paid"] += 1
            elif session.get("status") == "expired":
                _expired(session, refund_after)
                done["closed"] += 1
        for payment_id in refund_after:
            refund_late(payment_id)
    return done
