"""Listings: a producer's handicraft for sale, its ordered photos and its moderation status."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.catalog.models import Category
    from shop.media.models import Image
    from shop.producers.models import Producer

MAX_PHOTOS = 8


class ProductStatus(StateMachine):
    DRAFT = "draft"
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    PAUSED = "paused"
    DELETED = "deleted"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.DRAFT: (cls.PENDING, cls.DELETED),
            cls.PENDING: (cls.ACTIVE, cls.REJECTED, cls.PENDING, cls.DELETED),
            cls.ACTIVE: (cls.PAUSED, cls.PENDING, cls.DELETED),
            cls.PAUSED: (cls.ACTIVE, cls.PENDING, cls.DELETED),
            cls.REJECTED: (cls.PENDING, cls.DELETED),
        }


class DescriptionFormat(enum.Enum):
    """How a description is written: plain paragraphs, or safe Markdown."""

    PLAIN = "plain"
    MARKDOWN = "markdown"


class Product(db.Model):
    """A listing. Its price is in the shop currency's minor unit (rials for IRR)."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
        CheckConstraint(
            "lead_time_days IS NULL OR (lead_time_days >= 1 AND lead_time_days <= 365)",
            name="lead_time_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    description_format: Mapped[DescriptionFormat] = mapped_column(
        enum_column(DescriptionFormat), default=DescriptionFormat.PLAIN
    )
    #: Sanitised HTML rendered from ``description`` when it is saved.
    description_html: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[int] = mapped_column(BigInteger)
    stock_quantity: Mapped[int] = mapped_column(default=0)
    is_made_to_order: Mapped[bool] = mapped_column(default=False)
    lead_time_days: Mapped[int | None]
    materials: Mapped[str] = mapped_column(String(300), default="")
    dimensions: Mapped[str] = mapped_column(String(120), default="")
    weight_grams: Mapped[int | None]
    status: Mapped[ProductStatus] = mapped_column(
        enum_column(ProductStatus), default=ProductStatus.DRAFT, index=True
    )
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    is_featured: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(Timestamp(), index=True)

    producer: Mapped[Producer] = relationship(back_populates="products")
    category: Mapped[Category] = relationship()
    photos: Mapped[list[ProductPhoto]] = relationship(
        back_populates="product",
        order_by="ProductPhoto.position",
        cascade="all, delete-orphan",
    )

    @property
    def in_stock(self) -> bool:
        return self.is_made_to_order or self.stock_quantity > 0

    @property
    def cover(self) -> Image | None:
        return self.photos[0].image if self.photos else None


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"
    __table_args__ = (UniqueConstraint("product_id", "image_id", name="product_image"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="photos")
    image: Mapped[Image] = relationship()
