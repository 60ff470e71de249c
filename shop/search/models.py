"""The search outbox: listings whose index entry must be brought up to date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from shop.database import Timestamp, utcnow
from shop.extensions import db


class SearchOutboxEntry(db.Model):
    """Written in the same transaction as the change, so the index learns of every commit
    and of nothing that was rolled back. Rows are deleted once the index has them."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True
    )
    #: No foreign key: the entry must outlive the listing it tells the index to forget.
    product_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
