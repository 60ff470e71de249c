"""The search outbox: what the index must look at again."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from shop.database import Timestamp, enum_column, utcnow
from shop.extensions import db


class OutboxScope(enum.Enum):
    """What an entry names: one listing, or every listing of a shop, cooperative, centre or
    category (expanded into listings when the entry is applied, so it also reaches listings
    that moved in meanwhile)."""

    PRODUCT = "product"
    PRODUCER = "producer"
    COOPERATIVE = "cooperative"
    CENTRE = "centre"
    CATEGORY = "category"


class SearchOutboxEntry(db.Model):
    """Written in the same transaction as the change, so the index learns of every commit
    and of nothing that was rolled back. Rows are deleted once the index has them."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True
    )
    scope: Mapped[OutboxScope] = mapped_column(
        enum_column(OutboxScope), default=OutboxScope.PRODUCT
    )
    #: The id of the listing, shop, cooperative, centre or category. No foreign key: the
    #: entry must outlive a row it tells the index to forget.
    target_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
