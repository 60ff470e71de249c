"""Zarinpal, for shops that sell in toman: the buyer pays on Zarinpal's page and comes back to
our callback, which never trusts its query string — the payment is captured only when the
gateway verifies it for the amount stored with our payment.

The steps, each its own short transaction so that no network call is made while rows are
locked:

1. ``place_order`` makes one pending payment for the order (``Zarinpal.start``).
2. ``begin_payment`` asks the gateway for it (an *authority*) and returns the page to send
   the buyer to. A retry asks again, as a new attempt.
3. ``settle`` (the callback, and ``shop payments reconcile``) takes a lease on the payment,
   verifies it with the gateway, then records the result: captured and the order paid; or, if
   the order was cancelled or expired meanwhile, given back (reversed). A payment that arrives
   for an order no longer waiting is never verified, so the gateway returns it to the payer by
   itself. Verifying twice is harmless: the gateway answers "already verified" (101).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.database import lock_row, transaction, utcnow
from shop.errors import DomainError, NotFound
from shop.extensions import db
from shop.orders.models import OrderStatus
from shop.payments.amounts import accepts, provider_amount
from shop.payments.faults import fault
from shop.payments.models import Payment, PaymentStatus
from shop.payments.providers import Outcome, PaidOnline, register
from shop.payments.queries import payment_by_reference
from shop.payments.zarinpal_client import (
    GatewayError,
    GatewayRefused,
    GatewayUnavailable,
    ZarinpalClient,
    base_url,
)

log = logging.getLogger(__name__)

CODE = "zarinpal"
#: How long one verification may take before ``reconcile`` takes it over.
LEASE = timedelta(minutes=2)


class GatewayDown(DomainError):
    message = _l(
        "The payment gateway did not answer. Try again in a moment, or pay on delivery instead."
    )


class UnknownPayment(NotFound):
    message = _l("There is no payment with this code.")


def enabled(app=None) -> bool:
    """Offered when a merchant id is set and the shop sells in rials."""
    config = (app or current_app).config
    return bool(config.get("SHOP_ZARINPAL_MERCHANT_ID")) and accepts(CODE, config["SHOP_CURRENCY"])


def client() -> ZarinpalClient:
    config = current_app.config
    return ZarinpalClient(
        config["SHOP_ZARINPAL_MERCHANT_ID"],
        sandbox=config["SHOP_ZARINPAL_SANDBOX"],
        api_base=config["SHOP_ZARINPAL_API_BASE"],
        timeout=config["SHOP_ZARINPAL_TIMEOUT"],
    )


class Zarinpal(PaidOnline):
    code = CODE

    def is_enabled(self, app=None) -> bool:
        return enabled(app)

    def redirect_origin(self) -> str:
        """Where the StartPay page is (scheme, host and port)."""
        from urllib.parse import urlsplit

        config = current_app.config
        parts = urlsplit(
            base_url(config["SHOP_ZARINPAL_SANDBOX"], config["SHOP_ZARINPAL_API_BASE"])
        )
        return f"{parts.scheme}://{parts.netloc}"


PROVIDER = register(Zarinpal())


# -- asking for a payment --------------------------------------------------------------------


def begin_payment(order_id: int, callback_url: str) -> str:
    """Ask the gateway for the order's payment; the StartPay address to send the buyer to.
    Raises ``NotAwaitingPayment`` or ``GatewayDown`` (nothing is then changed)."""
    with transaction():
        order, payment = PROVIDER.attempt(order_id)
        payment_id, amount = payment.id, provider_amount(order.total, order.currency, CODE)
        number, mobile = order.number, order.mobile
    gateway = client()
    try:
        authority = gateway.request_payment(
            amount,
            callback_url,
            f"Dastranj order {number}",
            {"order_id": number, "mobile": mobile},
        )
    except GatewayError as exc:
        log.warning("zarinpal: payment request for order %s failed: %s", number, exc)
        raise GatewayDown() from exc
    fault("zarinpal:after-request")
    PROVIDER.keep_reference(payment_id, authority)
    return gateway.start_pay_url(authority)


# -- settling ----------------------------------------------------------------------------------


def settle(authority: str, status: str | None) -> Outcome:
    """The buyer came back (``status`` from the query string: "OK" or "NOK") or the reconciler
    asks (``status`` None): verify with the gateway and record what it says, once.

    Raises ``UnknownPayment`` for an authority we never asked for.
    """
    with transaction():
        payment = payment_by_reference(CODE, authority)
        if payment is None:
            raise UnknownPayment()
        order = payment.order
        lock_row(order)
        lock_row(payment)
        number = order.number
        if payment.status is PaymentStatus.CAPTURED:
            return Outcome(number, "paid")
        if payment.status is not PaymentStatus.PENDING:
            return Outcome(number, "too_late" if payment.note == "late" else "not_paid")
        if status is not None and status != "OK":
            # Cancelled at the gateway, or a forged "NOK": either way nothing is taken, and
            # the payment stays open for the reconciler to ask the gateway about.
            return Outcome(number, "not_paid")
        if order.status is not OrderStatus.AWAITING_PAYMENT:
            # Never verified: the gateway gives the money back to the payer by itself.
            payment.status = PaymentStatus.CANCELLED
            payment.note = "late"
            return Outcome(number, "too_late")
        if payment.currency != "IRR" or payment.amount != order.total:
            order.flagged = "payment_mismatch"
            payment.note = "mismatch"
            return Outcome(number, "mismatch")
        lease = utcnow() + LEASE
        payment.verifying_until = lease
        if order.expires_at is None or order.expires_at < lease:
            order.expires_at = lease
        payment_id, amount = payment.id, provider_amount(payment.amount, "IRR", CODE)
    fault("zarinpal:before-verify")
    try:
        verified = client().verify(authority, amount)
    except GatewayRefused as exc:
        with transaction():
            payment = db.session.get(Payment, payment_id)
            lock_row(payment)
            payment.verifying_until = None
            payment.note = f"refused {exc.code}"[:200]
            if status is not None and payment.status is PaymentStatus.PENDING:
                payment.status = PaymentStatus.FAILED
        log.info("zarinpal: %s not verified: %s", authority, exc)
        return Outcome(number, "not_paid")
    except GatewayUnavailable as exc:
        log.warning("zarinpal: verifying %s failed, the reconciler will retry: %s", authority, exc)
        return Outcome(number, "pending")
    fault("zarinpal:after-verify")
    return _record(payment_id, verified)


def _record(payment_id: int, verified) -> Outcome:
    """The gateway verified the payment: capture it and pay the order — or, if the order was
    cancelled meanwhile, give the money back."""
    from shop.orders.services import record_payment

    reverse = None
    with transaction():
        payment = db.session.get(Payment, payment_id)
        order = payment.order
        lock_row(order)
        lock_row(payment)
        number = order.number
        if payment.status is PaymentStatus.CAPTURED:
            return Outcome(number, "paid")  # another callback recorded it first
        payment.transaction_id = verified.ref_id[:64]
        payment.card_pan, payment.card_hash = verified.card_pan, verified.card_hash
        if order.status is OrderStatus.AWAITING_PAYMENT and payment.status is PaymentStatus.PENDING:
            record_payment(payment)
            return Outcome(number, "paid")
        # Verified, but the order stopped waiting (the buyer cancelled it): the gateway took
        # the money whatever our payment said, so it is captured, then given back at once.
        payment.status = PaymentStatus.CAPTURED
        payment.captured_at, payment.verifying_until = utcnow(), None
        reverse = payment.reference
    try:
        client().reverse(reverse)
    except GatewayError as exc:
        with transaction():
            payment = db.session.get(Payment, payment_id)
            payment.order.flagged = "reversal_failed"
            payment.note = "reversal failed"
        log.error("zarinpal: reversing %s failed: %s", reverse, exc)
        return Outcome(number, "too_late")
    with transaction():
        payment = db.session.get(Payment, payment_id)
        lock_row(payment)
        if payment.status is PaymentStatus.CAPTURED:
            payment.status = PaymentStatus.REFUNDED
            payment.refunded_at = utcnow()
            payment.note = "reversed: the order was cancelled"
    return Outcome(number, "too_late")


# -- reconciling -------------------------------------------------------------------------------


def reconcile(now=None) -> dict[str, int]:
    """Bring every open Zarinpal payment to its final state by asking the gateway: safe at any
    time, repeatedly, and beside callbacks. Returns counts of what it did."""
    now = now or utcnow()
    done = {"paid": 0, "not_paid": 0, "pending": 0, "too_late": 0, "mismatch": 0, "dropped": 0}
    timeout = timedelta(minutes=current_app.config["SHOP_PAYMENT_TIMEOUT_MINUTES"])
    open_payments = db.session.execute(
        select(Payment.id, Payment.reference, Payment.created_at, Payment.verifying_until).where(
            Payment.provider == CODE, Payment.status == PaymentStatus.PENDING
        )
    ).all()
    db.session.rollback()
    paid_at_gateway = _unverified_authorities()
    for payment_id, reference, created_at, lease in open_payments:
        if lease is not None and lease > now:
            continue  # a callback is verifying it right now
        if not reference:
            if created_at + timeout < now:  # never reached the gateway
                with transaction():
                    payment = db.session.get(Payment, payment_id)
                    lock_row(payment)
                    if payment.status is PaymentStatus.PENDING and not payment.reference:
                        Zarinpal().cancel(payment)
                        done["dropped"] += 1
            continue
        if created_at + timedelta(minutes=1) > now and reference not in paid_at_gateway:
            continue  # the buyer is probably still on the gateway's page
        outcome = settle(reference, None)
        done[outcome.result] += 1
        if outcome.result == "not_paid" and created_at + timeout < now:
            with transaction():
                payment = db.session.get(Payment, payment_id)
                lock_row(payment)
                if payment.status is PaymentStatus.PENDING:
                    payment.status = PaymentStatus.FAILED
    return done


def _unverified_authorities() -> set[str]:
    """What the gateway lists as paid and not verified yet: those are verified at once, and
    one we never asked for is logged (it is never verified, so it goes back to its payer)."""
    try:
        listed = client().unverified()
    except GatewayError as exc:
        log.warning("zarinpal: the list of unverified payments is not available: %s", exc)
        return set()
    authorities = {item.authority for item in listed}
    known = set(
        db.session.scalars(
            select(Payment.reference).where(
                Payment.provider == CODE, Payment.reference.in_(authorities)
            )
        )
    )
    db.session.rollback()
    for authority in sorted(authorities - known):
        log.warning("zarinpal: %s was paid at the gateway for no payment of ours", authority)
    return authorities
