"""Returns: a buyer asks for their money back for a delivered parcel, or some of its lines,
with a reason (and photos), within ``SHOP_RETURN_DAYS`` of delivery; the parcel's producer or
an admin approves or refuses it with a reason. An approved return is refunded through the
payment's provider (``shop.payments.refunds``: never twice, never more than was captured) or,
for cash, recorded to be paid back by hand; the stock comes back only when the goods do.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.audit.services import record
from shop.database import lock_row, utcnow
from shop.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.mail.services import queue_mail
from shop.media.services import add_image
from shop.orders.models import (
    Parcel,
    ParcelStatus,
    ReturnLine,
    ReturnPhoto,
    ReturnRequest,
    ReturnStatus,
)
from shop.orders.services import give_back_stock
from shop.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from shop.payments.refunds import RefundFailed, refund_payment, return_key

MAX_RETURN_PHOTOS = 4


class ReturnWindowClosed(DomainError):
    message = _l("The time to ask for a return of this parcel has passed.")


class NotDelivered(DomainError):
    message = _l("A return can be asked for once the parcel has been delivered.")


class BadReturnQuantity(DomainError):
    field = "lines"
    message = _l("Choose, for at least one item, how many to return: no more than you received.")


class ReasonNeeded(DomainError):
    field = "reason"
    message = _l("Write what is wrong, so the maker can answer.")


class TooManyReturnPhotos(DomainError):
    field = "photos"
    message = _l("Add at most 4 photos.")


def returned_so_far(parcel: Parcel) -> dict[int, int]:
    """Order line id → how many of it are in returns asked for or approved (refused ones do
    not count), for every line of the parcel, in one query."""
    rows = db.session.execute(
        select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity))
        .join(ReturnRequest)
        .where(
            ReturnRequest.parcel_id == parcel.id,
            ReturnRequest.status.in_([ReturnStatus.REQUESTED, ReturnStatus.APPROVED]),
        )
        .group_by(ReturnLine.order_line_id)
    ).all()
    return {line.id: 0 for line in parcel.lines} | {line_id: int(n) for line_id, n in rows}


def window_ends(parcel: Parcel):
    days = current_app.config["SHOP_RETURN_DAYS"]
    return parcel.delivered_at + timedelta(days=days) if parcel.delivered_at else None


def request_return(buyer, parcel: Parcel, quantities: dict[int, int], reason: str, uploads=()):
    """The buyer asks for a return of ``quantities`` (order line id → how many)."""
    if parcel.order.buyer_id != buyer.id:
        raise NotFound("not this buyer's parcel")
    lock_row(parcel)
    if parcel.status is not ParcelStatus.DELIVERED:
        raise NotDelivered()
    if utcnow() > window_ends(parcel):
        raise ReturnWindowClosed()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonNeeded()
    if len(uploads) > MAX_RETURN_PHOTOS:
        raise TooManyReturnPhotos()
    lines = {line.id: line for line in parcel.lines}
    wanted = {k: v for k, v in quantities.items() if v}
    if not wanted or any(k not in lines for k in wanted):
        raise BadReturnQuantity()
    already = returned_so_far(parcel)
    for line_id, quantity in wanted.items():
        line = lines[line_id]
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise BadReturnQuantity()
        if quantity > line.quantity - already[line_id]:
            raise BadReturnQuantity()
    request = ReturnRequest(
        parcel=parcel,
        buyer_id=buyer.id,
        status=ReturnStatus.REQUESTED,
        reason=reason[:1000],
        amount=sum(lines[k].unit_price * q for k, q in wanted.items()),
    )
    for line_id, quantity in sorted(wanted.items()):
        request.lines.append(ReturnLine(order_line_id=line_id, quantity=quantity))
    db.session.add(request)
    for position, upload in enumerate(uploads):
        image = add_image(upload, owner_id=buyer.id, field="photos")
        request.photos.append(ReturnPhoto(image=image, position=position))
    db.session.flush()
    queue_mail(parcel.producer.user, "return_requested", request=request)
    return request


def _may_decide(actor, request: ReturnRequest) -> None:
    from shop.accounts.models import Role

    producer = getattr(actor, "producer", None)
    if actor.has_role(Role.ADMIN):
        return
    if producer is None or producer.id != request.parcel.producer_id:
        raise NotFound("not this producer's return")


def _payment_for(request: ReturnRequest) -> Payment | None:
    """The captured payment the money comes back from: the parcel's (cash), or the order's."""
    payments = [p for p in request.parcel.order.payments if p.status is PaymentStatus.CAPTURED]
    own = [p for p in payments if p.parcel_id == request.parcel_id]
    return (own or [p for p in payments if p.parcel_id is None] or [None])[0]


def refuse_return(actor, request: ReturnRequest, reason: str) -> ReturnRequest:
    _may_decide(actor, request)
    lock_row(request)
    request.status.check_transition(ReturnStatus.REFUSED)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonNeeded()
    request.status, request.decision_reason = ReturnStatus.REFUSED, reason[:500]
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    db.session.flush()
    _log_decision(actor, request)
    queue_mail(request.parcel.order.buyer, "return_refused", request=request)
    return request


def approve_return(actor, request: ReturnRequest, goods_back: bool) -> ReturnRequest:
    """Approve: the refund is reserved now and made by ``refund_approved`` after this
    transaction commits (a provider call never happens inside it)."""
    _may_decide(actor, request)
    lock_row(request)
    if request.status is not ReturnStatus.REQUESTED:
        raise IllegalTransition("this return was decided already")
    if _payment_for(request) is None:
        raise NotAllowed("nothing was received for this parcel")
    request.status = ReturnStatus.APPROVED
    request.goods_back = goods_back
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    if goods_back:  # the goods came back to the maker: on sale again, once
        give_back_stock([(item.order_line, item.quantity) for item in request.lines])
    db.session.flush()
    parcel = request.parcel
    already = returned_so_far(parcel)
    if all(already[line.id] >= line.quantity for line in parcel.lines) and all(
        r.status is ReturnStatus.APPROVED
        for r in parcel.returns
        if r.status is not ReturnStatus.REFUSED
    ):
        parcel.returned_at = utcnow()
    _log_decision(actor, request)
    queue_mail(request.parcel.order.buyer, "return_approved", request=request)
    return request


def _log_decision(actor, request: ReturnRequest) -> None:
    approved = request.status is ReturnStatus.APPROVED
    record(
        actor,
        "return.approve" if approved else "return.refuse",
        f"return:{request.id}",
        {"status": ReturnStatus.REQUESTED.value},
        {
            "status": request.status.value,
            "order": request.parcel.order.number,
            **({"goods_back": request.goods_back} if approved else {}),
            **({"reason": request.decision_reason} if not approved else {}),
        },
    )


def refund_approved(request_id: int, by=None):
    """Make the refund of an approved return (after its transaction commits); idempotent."""
    request = db.session.get(ReturnRequest, request_id)
    payment = _payment_for(request)
    refund = refund_payment(
        payment.id,
        min(request.amount, payment.amount),
        return_key(request.id),
        request.reason,
        by=by,
    )
    return refund


def retry_refunds() -> int:
    """Approved returns whose refund did not go through (the provider was down, the process
    died): try again, under the same key. Returns how many were refunded now."""

    approved = db.session.scalars(
        select(ReturnRequest.id).where(ReturnRequest.status == ReturnStatus.APPROVED)
    ).all()
    refunded = set(
        db.session.scalars(
            select(Refund.idempotency_key).where(
                Refund.idempotency_key.in_([return_key(i) for i in approved]),
                Refund.status == RefundStatus.SUCCEEDED,
            )
        )
    )
    waiting = [i for i in approved if return_key(i) not in refunded]
    db.session.rollback()
    done = 0
    for request_id in waiting:
        try:
            refund_approved(request_id)
            done += 1
        except RefundFailed:
            continue
    return done
