"""Uploaded images: one row per picture, its WebP renditions live in the upload folder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.database import Timestamp, utcnow
from shop.extensions import db


class Image(db.Model):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Server-made random name; files are ``<key>-<width>.webp``.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    width: Mapped[int]
    height: Mapped[int]
    #: Comma-separated widths that were written, e.g. "320,800,1600".
    renditions: Mapped[str] = mapped_column(String(40))
    #: What the uploader called the file (shown back to them only; never used as a path).
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    @property
    def widths(self) -> list[int]:
        return [int(w) for w in self.renditions.split(",") if w]

    def best_width(self, wanted: int) -> int:
        widths = self.widths
        for width in widths:
            if width >= wanted:
                return width
        return widths[-1]
