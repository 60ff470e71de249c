"""Reading orders: a buyer's own, never anyone else's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.orders.models import Order, Parcel
from shop.pagination import Page, paginate


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
