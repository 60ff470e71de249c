"""Giving money back: a refund of part or all of a captured payment, through its provider.

The amount is reserved first, in a short transaction that locks the payment: a refund is
refused when it would take the total refunded above what was captured, and a refund named by
an idempotency key already used is that same refund — so asking twice, or ten times at once,
never refunds twice. The provider is then asked (with the same key, where it takes one), and
the result recorded in a second transaction; a failure frees the amount again.

Cash is given back by hand: the refund is recorded as paid back by the person who did it.
Zarinpal can reverse a whole payment shortly after it was made; later, the refund is recorded
for an admin to pay by hand (Zarinpal's refund service needs a separate access token).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.audit.services import record
from shop.database import lock_row, transaction, utcnow
from shop.errors import DomainError
from shop.extensions import db
from shop.ledger.services import record_refund
from shop.mail.services import queue_mail
from shop.payments.faults import fault
from shop.payments.models import (
    CANCELLED_PARCEL_KEY,
    RETURN_KEY,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)

log = logging.getLogger(__name__)

#: A refund still pending this long after it was asked for was left by a process that died.
STUCK_AFTER = timedelta(minutes=10)


class RefundTooLarge(DomainError):
    field = "amount"
    message = _l("That is more than is left to refund of this payment.")


class NotRefundable(DomainError):
    message = _l("Only a payment that was received can be refunded.")


class RefundFailed(DomainError):
    message = _l("The payment provider did not make the refund. Nothing was given back; try again.")


def refunded_so_far(payment: Payment) -> int:
    """Refunds made or under way (a failed one frees its amount)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(
            Refund.payment_id == payment.id,
            Refund.status.in_([RefundStatus.PENDING, RefundStatus.SUCCEEDED]),
        )
    )
    return int(total)  # PostgreSQL sums a BIGINT as a numeric


def _reserve(
    payment_id: int, amount: int, key: str, reason: str, by_id: int | None
) -> tuple[Refund, bool]:
    """The refund for ``key``, and whether this call reserved it (and so asks the provider)."""
    with transaction():
        payment = db.session.get(Payment, payment_id)
        lock_row(payment)
        existing = db.session.scalar(select(Refund).where(Refund.idempotency_key == key))
        if existing is not None and existing.status is RefundStatus.FAILED:
            # Asked again after the provider failed: its amount was freed; take it again.
            lock_row(existing)
            if existing.amount > payment.amount - refunded_so_far(payment):
                raise RefundTooLarge()
            existing.status = RefundStatus.PENDING
            existing.attempts += 1
            db.session.flush()
            return existing, True
        if existing is not None:
            return existing, False  # done, or under way in another request
        if payment.status is not PaymentStatus.CAPTURED:
            raise NotRefundable()
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise RefundTooLarge()
        if amount > payment.amount - refunded_so_far(payment):
            raise RefundTooLarge()
        refund = Refund(
            payment=payment,
            amount=amount,
            idempotency_key=key,
            reason=reason[:500],
            created_by_id=by_id,
            status=RefundStatus.PENDING,
            attempts=1,
        )
        db.session.add(refund)
        db.session.flush()
        return refund, True


def refund_payment(payment_id: int, amount: int, key: str, reason: str = "", by=None) -> Refund:
    """Give back ``amount`` (minor units) of a captured payment, once per ``key``. Raises
    ``NotRefundable``, ``RefundTooLarge`` or ``RefundFailed``."""
    refund, mine = _reserve(payment_id, amount, key, reason, by.id if by is not None else None)
    if not mine:
        return refund  # the same request again: done, or being done right now
    return _make(refund.id)


def _make(refund_id: int) -> Refund:
    """Ask the provider for a reserved refund, and record its answer."""
    refund = db.session.get(Refund, refund_id)
    amount, provider = refund.amount, refund.payment.provider
    try:
        reference, by_hand = _ask_provider(refund)
    except RefundFailed:
        with transaction():
            refund = db.session.get(Refund, refund_id)
            lock_row(refund)
            if refund.status is RefundStatus.PENDING:
                refund.status = RefundStatus.FAILED
        raise
    fault("refund:after-provider")
    _finish(refund_id, reference, by_hand)
    log.info("refund %s of %s via %s done", refund_id, amount, provider)
    return db.session.get(Refund, refund_id)


def return_key(request_id: int) -> str:
    """The refund of an approved return."""
    return f"{RETURN_KEY}{request_id}"


def _cancelled_key(parcel_id: int) -> str:
    return f"{CANCELLED_PARCEL_KEY}{parcel_id}"


def reserve_for_cancelled_parcel(parcel) -> Refund | None:
    """In the cancellation's transaction: what was paid online for a parcel now cancelled is
    reserved to go back to the buyer (none for cash, nothing paid, or nothing left). The
    provider is asked once the cancellation has committed — ``pay_back_cancelled`` — or, if
    the process dies first, by the reconciler: never asked about, it is safe to ask."""
    payment = next(
        (
            p
            for p in parcel.order.payments
            if p.provider != "cash" and p.status is PaymentStatus.CAPTURED
        ),
        None,
    )
    if payment is None:
        return None
    lock_row(payment)
    key = _cancelled_key(parcel.id)
    existing = db.session.scalar(select(Refund).where(Refund.idempotency_key == key))
    if existing is not None:
        return existing
    amount = min(parcel.total, payment.amount - refunded_so_far(payment))
    if amount <= 0:
        return None
    refund = Refund(
        payment=payment,
        amount=amount,
        idempotency_key=key,
        reason="the parcel was cancelled",
        status=RefundStatus.PENDING,
        attempts=0,
    )
    db.session.add(refund)
    db.session.flush()
    return refund


def pay_back_cancelled(parcel_id: int) -> Refund | None:
    """After a cancellation committed: make the refund it reserved, if it is not under way
    already (``None`` when there is none, or when the provider failed — the reconciler asks
    again)."""
    with transaction():
        refund = db.session.scalar(
            select(Refund).where(Refund.idempotency_key == _cancelled_key(parcel_id))
        )
        if refund is None:
            return None
        lock_row(refund)
        if refund.status is not RefundStatus.PENDING or refund.attempts > 0:
            return refund  # made, failed (retried by the reconciler), or being made
        refund.attempts = 1
        refund_id = refund.id
    try:
        return _make(refund_id)
    except RefundFailed:
        log.warning("refund %s for cancelled parcel %s failed; retried later", refund_id, parcel_id)
        return None


def _finish(refund_id: int, reference: str, by_hand: bool) -> None:
    """Record what the provider made of a pending refund (once; a second call does nothing)."""
    with transaction():
        refund = db.session.get(Refund, refund_id)
        lock_row(refund)
        payment = refund.payment
        lock_row(payment)
        if refund.status is not RefundStatus.PENDING:
            return
        refund.status = RefundStatus.SUCCEEDED
        refund.reference = reference[:120]
        refund.by_hand = by_hand
        refund.completed_at = utcnow()
        db.session.flush()
        record_refund(refund)
        refunded = refunded_so_far(payment)
        if refunded >= payment.amount and payment.status.can_become(PaymentStatus.REFUNDED):
            payment.status, payment.refunded_at = PaymentStatus.REFUNDED, utcnow()
        record(
            None,
            "refund.make",
            f"payment:{payment.id}",
            {"refunded": refunded - refund.amount},
            {
                "refunded": refunded,
                "amount": refund.amount,
                "by_hand": by_hand,
                "reason": refund.reason,
                "order": payment.order.number,
            },
            actor_id=refund.created_by_id,
        )
        queue_mail(payment.order.buyer, "refund_made", refund=refund)


def resume_stuck(now=None) -> int:
    """Refunds left pending by a process that died while the provider was asked (or just
    after): ask again under the same key — Stripe answers with the refund it made, if it made
    one, so nothing is refunded twice — and record the answer. A Zarinpal reversal cannot be
    asked about, so its order is flagged for an admin instead. Refunds of cancelled parcels
    never asked for yet, or refused by the provider, are asked for (again). Returns how many
    were finished."""
    now = now or utcnow()
    stuck = db.session.scalars(
        select(Refund.id).where(
            Refund.status == RefundStatus.PENDING,
            Refund.attempts > 0,
            Refund.created_at <= now - STUCK_AFTER,
        )
    ).all()
    cancelled = (
        db.session.execute(
            select(Refund.idempotency_key).where(
                Refund.idempotency_key.like(f"{CANCELLED_PARCEL_KEY}%"),
                ((Refund.status == RefundStatus.PENDING) & (Refund.attempts == 0))
                | (Refund.status == RefundStatus.FAILED),
            )
        )
        .scalars()
        .all()
    )
    db.session.rollback()
    finished = 0
    for refund_id in stuck:
        refund = db.session.get(Refund, refund_id)
        if refund.payment.provider == "zarinpal" and not refund.by_hand:
            with transaction():
                order = db.session.get(Refund, refund_id).payment.order
                lock_row(order)
                order.flagged = order.flagged or "refund_unknown"
            continue
        try:
            reference, by_hand = _ask_provider(refund)
        except RefundFailed:
            db.session.rollback()
            continue
        _finish(refund_id, reference, by_hand)
        finished += 1
    for key in cancelled:
        refund = db.session.scalar(select(Refund).where(Refund.idempotency_key == key))
        if refund.status is RefundStatus.FAILED:
            try:
                refund_payment(refund.payment_id, refund.amount, key)
            except RefundFailed:
                continue
        elif pay_back_cancelled(refund.gives_back[1]) is None:
            continue
        finished += 1
    return finished


def _ask_provider(refund: Refund) -> tuple[str, bool]:
    """The provider's refund id, and whether it is to be paid back by hand."""
    payment = refund.payment
    if payment.provider == "stripe":
        import stripe

        from shop.payments.amounts import provider_amount
        from shop.payments.stripe_checkout import client

        try:
            made = client().v1.refunds.create(
                params={
                    "payment_intent": payment.transaction_id,
                    "amount": provider_amount(refund.amount, payment.currency, "stripe"),
                    "metadata": {"refund_id": str(refund.id)},
                },
                options={"idempotency_key": f"dastranj-{refund.idempotency_key}-{refund.attempts}"},
            )
        except stripe.StripeError as exc:
            log.warning("stripe: refund %s failed: %s", refund.id, exc)
            raise RefundFailed() from exc
        return str(made.id), False
    if payment.provider == "zarinpal" and refund.amount == payment.amount:
        from shop.payments.zarinpal import client
        from shop.payments.zarinpal_client import GatewayError

        try:
            client().reverse(payment.reference)
        except GatewayError:
            return "", True  # past the reversal window: an admin pays it back by hand
        return payment.reference, False
    return "", True  # cash, or part of a Zarinpal payment: paid back by hand
