"""What the impact figures need that the shop does not see happen: how many people each
training centre trained, entered (or imported) by an admin per centre and Jalali month."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import Timestamp, utcnow
from shop.extensions import db


class TrainingRecord(db.Model):
    __tablename__ = "training_records"
    __table_args__ = (
        UniqueConstraint("centre_id", "jalali_year", "jalali_month", name="centre_month"),
        CheckConstraint("trained >= 0", name="trained_not_negative"),
        CheckConstraint("jalali_month BETWEEN 1 AND 12", name="month_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"))
    jalali_year: Mapped[int]
    jalali_month: Mapped[int]
    #: People who finished the centre's training that month.
    trained: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow, onupdate=utcnow)

    centre = relationship("Centre")
