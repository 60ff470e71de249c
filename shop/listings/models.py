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
    """Whether a listing is on sale. A listing is first *pending* until its first revision is
    approved; after that, edits go into revisions while it stays active (or paused)."""

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
            cls.PENDING: (cls.ACTIVE, cls.REJECTED, cls.DELETED),
            cls.ACTIVE: (cls.PAUSED, cls.DELETED),
            cls.PAUSED: (cls.ACTIVE, cls.DELETED),
            cls.REJECTED: (cls.PENDING, cls.DELETED),
        }

    @property
    def was_approved(self) -> bool:
        """On sale now or before (its content has been reviewed at least once)."""
        return self in (ProductStatus.ACTIVE, ProductStatus.PAUSED)


class RevisionStatus(StateMachine):
    """A proposed version of a listing's words, photos and category, and its review."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    #: The producer discarded it, or the listing was deleted.
    WITHDRAWN = "withdrawn"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.PENDING: (cls.PENDING, cls.APPROVED, cls.REJECTED, cls.WITHDRAWN),
            cls.REJECTED: (cls.PENDING, cls.WITHDRAWN),
        }

    @property
    def is_open(self) -> bool:
        return self in (RevisionStatus.PENDING, RevisionStatus.REJECTED)


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
    #: The kinds of option buyers choose from (e.g. size, colour): none, one or two. Empty
    #: names: the listing has one implicit variant.
    option1_name: Mapped[str] = mapped_column(String(40), default="")
    option2_name: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[ProductStatus] = mapped_column(
        enum_column(ProductStatus), default=ProductStatus.DRAFT, index=True
    )
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

    revisions: Mapped[list[ProductRevision]] = relationship(
        back_populates="product",
        order_by="ProductRevision.number",
        cascade="all, delete-orphan",
    )

    variants: Mapped[list[ProductVariant]] = relationship(
        back_populates="product",
        order_by="ProductVariant.position",
        cascade="all, delete-orphan",
    )

    def __init__(self, **values) -> None:
        """A new listing starts with its one implicit variant holding its stock."""
        super().__init__(**values)
        if not self.variants:
            self.variants.append(
                ProductVariant(
                    option1="",
                    option2="",
                    position=0,
                    stock_quantity=self.stock_quantity or 0,
                    is_active=True,
                )
            )

    @property
    def in_stock(self) -> bool:
        return self.is_made_to_order or self.stock_quantity > 0

    @property
    def option_names(self) -> list[str]:
        return [name for name in (self.option1_name, self.option2_name) if name]

    @property
    def has_options(self) -> bool:
        return bool(self.option1_name)

    @property
    def offered_variants(self) -> list[ProductVariant]:
        """The variants a buyer can choose (retired combinations left out)."""
        return [v for v in self.variants if v.is_active]

    @property
    def default_variant(self) -> ProductVariant | None:
        """The variant bought when the buyer does not choose one: the only one offered."""
        offered = self.offered_variants
        return offered[0] if len(offered) == 1 else None

    @property
    def price_range(self) -> tuple[int, int]:
        """The lowest and highest price across the variants offered."""
        prices = [v.unit_price for v in self.offered_variants] or [self.price]
        return min(prices), max(prices)

    @property
    def cover(self) -> Image | None:
        return self.photos[0].image if self.photos else None

    @property
    def open_revision(self) -> ProductRevision | None:
        """The changes waiting for review (or rejected and not yet edited), if any."""
        return next((r for r in self.revisions if r.status.is_open), None)


class ProductVariant(db.Model):
    """One combination of a listing's options (e.g. size M, colour red), with its own stock
    and, optionally, its own price. A listing without options has one, with empty values.

    The listing's ``stock_quantity`` is the sum of its offered variants' stock, kept in the
    same transaction as every change to them (see ``shop.listings.variants``).
    """

    __tablename__ = "product_variants"
    __table_args__ = (
        UniqueConstraint("product_id", "option1", "option2", name="one_per_combination"),
        CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
        CheckConstraint("price IS NULL OR price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    option1: Mapped[str] = mapped_column(String(40), default="")
    option2: Mapped[str] = mapped_column(String(40), default="")
    #: Its own price, or NULL for the listing's.
    price: Mapped[int | None] = mapped_column(BigInteger)
    stock_quantity: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    #: False once the producer dropped this combination: kept for the carts and orders
    #: that name it, never sold again.
    is_active: Mapped[bool] = mapped_column(default=True)

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def unit_price(self) -> int:
        return self.price if self.price is not None else self.product.price

    @property
    def values(self) -> list[str]:
        return [value for value in (self.option1, self.option2) if value]

    @property
    def label(self) -> str:
        """What the buyer chose, e.g. "M · red" (empty for the implicit variant)."""
        return " · ".join(self.values)

    @property
    def described(self) -> list[tuple[str, str]]:
        """(option name, value) pairs, e.g. [("Size", "M"), ("Colour", "red")]."""
        return list(zip(self.product.option_names, self.values, strict=False))

    @property
    def available(self) -> int | None:
        """How many can be bought now (None: made to order, no limit)."""
        if self.product.is_made_to_order:
            return None
        return self.stock_quantity if self.is_active else 0


#: What a revision holds: everything a buyer reads. Price, stock and lead time are not in it:
#: they apply at once.
REVIEWED_FIELDS = (
    "title",
    "description",
    "description_format",
    "description_html",
    "category_id",
    "materials",
    "dimensions",
    "weight_grams",
)


class ProductPhoto(db.Model):
    """A photo of the listing as buyers see it (the last approved revision's photos)."""

    __tablename__ = "product_photos"
    __table_args__ = (
        UniqueConstraint("product_id", "image_id", name="product_image"),
        UniqueConstraint("product_id", "position", name="product_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="photos")
    image: Mapped[Image] = relationship()


class ProductRevision(db.Model):
    """A version of a listing's words, photos and category, waiting for (or past) review.

    A listing has at most one *open* revision (pending, or rejected and not yet edited).
    Each edit raises ``version``: an approval names the version the admin saw, so nothing
    unseen is ever published.
    """

    __tablename__ = "product_revisions"
    __table_args__ = (
        UniqueConstraint("product_id", "number", name="product_revision_number"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    #: 1 for the listing as first submitted, then 2, 3… for each later set of changes.
    number: Mapped[int]
    #: Raised by every edit of this revision; the approval form carries it.
    version: Mapped[int] = mapped_column(default=1)
    #: The product's id while the revision is open, else NULL: unique, so a listing can never
    #: have two open revisions (NULLs never collide, on SQLite as on PostgreSQL).
    open_product_id: Mapped[int | None] = mapped_column(unique=True)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus), default=RevisionStatus.PENDING, index=True
    )
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    description_format: Mapped[DescriptionFormat] = mapped_column(
        enum_column(DescriptionFormat), default=DescriptionFormat.PLAIN
    )
    description_html: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    materials: Mapped[str] = mapped_column(String(300), default="")
    dimensions: Mapped[str] = mapped_column(String(120), default="")
    weight_grams: Mapped[int | None]
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    #: When the producer last sent it for review.
    submitted_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(Timestamp())

    product: Mapped[Product] = relationship(back_populates="revisions")
    category: Mapped[Category] = relationship()
    photos: Mapped[list[RevisionPhoto]] = relationship(
        back_populates="revision",
        order_by="RevisionPhoto.position",
        cascade="all, delete-orphan",
    )

    @property
    def cover(self) -> Image | None:
        return self.photos[0].image if self.photos else None


class RevisionPhoto(db.Model):
    """A photo as the revision proposes it, in order (the first is the cover)."""

    __tablename__ = "revision_photos"
    __table_args__ = (
        UniqueConstraint("revision_id", "image_id", name="revision_image"),
        UniqueConstraint("revision_id", "position", name="revision_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("product_revisions.id", ondelete="CASCADE"), index=True
    )
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    revision: Mapped[ProductRevision] = relationship(back_populates="photos")
    image: Mapped[Image] = relationship()
