"""Reading orders: a buyer's own, never anyone else's."""

from __future__ import annotations

import enum

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from shop.accounts.models import User
from shop.extensions import db
from shop.orders.models import Order, Parcel, ParcelStatus
from shop.pagination import Page, paginate
from shop.producers.models import Producer


def _with_parcels():
    return selectinload(Order.parcels).options(
        selectinload(Parcel.lines), selectinload(Parcel.producer)
    )


def list_buyer_orders(buyer, page: int, per_page: int) -> Page:
    """The buyer's orders, newest first, with their parcels and lines (a fixed number of
    queries whatever the page holds)."""
    query = (
        select(Order)
        .where(Order.buyer_id == buyer.id)
        .options(_with_parcels())
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )
    return paginate(query, page, per_page)


def get_buyer_order(buyer, number: str) -> Order | None:
    """The buyer's order with that number (None for an unknown one or another buyer's)."""
    return db.session.scalar(
        select(Order)
        .where(Order.buyer_id == buyer.id, Order.number == number.strip().upper())
        .options(_with_parcels())
    )


class ParcelGroup(enum.Enum):
    """The tabs of a producer's parcels page."""

    NEW = "new"
    PREPARING = "preparing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


def _in_group(group: ParcelGroup):
    if group is ParcelGroup.NEW:
        return and_(Parcel.status == ParcelStatus.PREPARING, Parcel.seen_at.is_(None))
    if group is ParcelGroup.PREPARING:
        return and_(Parcel.status == ParcelStatus.PREPARING, Parcel.seen_at.is_not(None))
    return Parcel.status == ParcelStatus(group.value)


def list_producer_parcels(producer, group: ParcelGroup, page: int, per_page: int) -> Page:
    """The producer's parcels in ``group``, oldest first for work still to do (first come,
    first served), newest first for the rest. Parcels still awaiting an online payment are
    not theirs to act on yet and are not listed."""
    oldest_first = group in (ParcelGroup.NEW, ParcelGroup.PREPARING)
    order = Order.placed_at.asc() if oldest_first else Order.placed_at.desc()
    query = (
        select(Parcel)
        .join(Order)
        .where(Parcel.producer_id == producer.id, _in_group(group))
        .options(selectinload(Parcel.lines), selectinload(Parcel.order))
        .order_by(order, Parcel.id)
    )
    return paginate(query, page, per_page)


def count_new_parcels(producer) -> int:
    """For the header: parcels the producer has not opened yet."""
    return db.session.scalar(
        select(func.count())
        .select_from(Parcel)
        .where(Parcel.producer_id == producer.id, _in_group(ParcelGroup.NEW))
    )


def get_producer_parcel(producer, parcel_id: int) -> Parcel | None:
    """The producer's own parcel (None for another producer's, or one still awaiting an
    online payment)."""
    parcel = db.session.get(Parcel, parcel_id)
    if (
        parcel is None
        or parcel.producer_id != producer.id
        or parcel.status is ParcelStatus.AWAITING_PAYMENT
    ):
        return None
    return parcel


def search_orders(text: str, page: int, per_page: int) -> Page:
    """For admins: every order, newest first, or those whose number, buyer (e-mail or name)
    or producer (shop name) contains ``text``."""
    query = (
        select(Order)
        .options(_with_parcels(), selectinload(Order.payments), selectinload(Order.buyer))
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )
    needle = text.strip()
    if needle:
        like = f"%{needle.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(
                Order.number.ilike(like),
                Order.buyer.has(or_(User.email.ilike(like), User.display_name.ilike(like))),
                Order.parcels.any(Parcel.producer.has(Producer.shop_name.ilike(like))),
            )
        )
    return paginate(query, page, per_page)
