"""Reading payments for the admin's pages, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.models import Order
from shop.pagination import Page, paginate
from shop.payments.models import Payment, PaymentStatus, WebhookEvent


def payment_by_reference(provider: str, reference: str) -> Payment | None:
    """The payment a provider knows by ``reference`` (an authority, a session id); None for
    an empty or over-long one, as a made-up reference finds nothing."""
    if not reference or len(reference) > 120:
        return None
    return db.session.scalar(
        select(Payment).where(Payment.provider == provider, Payment.reference == reference)
    )


def list_payments(page: int, per_page: int, status: str = "") -> Page:
    """Online and cash payments, newest first (optionally of one status)."""
    query = (
        select(Payment)
        .options(selectinload(Payment.order), selectinload(Payment.refunds))
        .order_by(Payment.created_at.desc(), Payment.id.desc())
    )
    if status in {s.value for s in PaymentStatus}:
        query = query.where(Payment.status == PaymentStatus(status))
    return paginate(query, page, per_page)


def flagged_orders() -> list[Order]:
    return list(
        db.session.scalars(
            select(Order).where(Order.flagged != "").order_by(Order.placed_at.desc()).limit(50)
        )
    )


def recent_events(limit: int = 30) -> list[WebhookEvent]:
    return list(
        db.session.scalars(
            select(WebhookEvent).order_by(WebhookEvent.received_at.desc()).limit(limit)
        )
    )


def waiting_returns(limit: int = 50) -> list:
    """Returns buyers asked for that nobody has decided yet, oldest first."""
    from shop.orders.models import ReturnRequest, ReturnStatus

    return list(
        db.session.scalars(
            select(ReturnRequest)
            .where(ReturnRequest.status == ReturnStatus.REQUESTED)
            .options(selectinload(ReturnRequest.lines), selectinload(ReturnRequest.parcel))
            .order_by(ReturnRequest.created_at)
            .limit(limit)
        )
    )
