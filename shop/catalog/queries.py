"""Read side of the catalogue: what buyers may see, loaded without N+1 queries."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from shop.catalog.models import Category
from shop.cooperatives.models import Cooperative
from shop.extensions import db
from shop.listings.models import Product, ProductPhoto, ProductStatus
from shop.pagination import Page, paginate
from shop.producers.models import Producer, ProducerStatus


def card_options():
    """Everything a product card shows, loaded in a fixed number of queries."""
    return (
        joinedload(Product.category),
        joinedload(Product.producer).joinedload(Producer.cooperative),
        joinedload(Product.producer).joinedload(Producer.centre),
        joinedload(Product.producer).joinedload(Producer.logo),
        selectinload(Product.photos).joinedload(ProductPhoto.image),
        selectinload(Product.variants),
    )


def visible_products() -> Select:
    """Active listings of approved producers: the only ones buyers may see."""
    return (
        select(Product)
        .join(Product.producer)
        .where(Product.status == ProductStatus.ACTIVE, Producer.status == ProducerStatus.APPROVED)
    )


def ordered(query: Select, sort: str) -> Select:
    """Order listings by one of ``shop.sorting.SORTS`` (without words, relevance is newest)."""
    if sort == "price_asc":
        return query.order_by(Product.price.asc(), Product.id.asc())
    if sort == "price_desc":
        return query.order_by(Product.price.desc(), Product.id.desc())
    return query.order_by(Product.published_at.desc(), Product.id.desc())


def category_ids_under(category: Category) -> list[int]:
    return [category.id, *(child.id for child in category.children)]


def list_products(
    *,
    category: Category | None = None,
    producer: Producer | None = None,
    cooperative_id: int | None = None,
    centre_id: int | None = None,
    sort: str = "newest",
    page: int = 1,
    per_page: int = 24,
) -> Page:
    """Visible listings, of one category, shop, cooperative or centre if named, one page."""
    query = visible_products()
    if category is not None:
        query = query.where(Product.category_id.in_(category_ids_under(category)))
    if producer is not None:
        query = query.where(Product.producer_id == producer.id)
    if cooperative_id is not None:
        query = query.where(Producer.cooperative_id == cooperative_id)
    if centre_id is not None:
        query = query.where(Producer.centre_id == centre_id)
    return paginate(ordered(query, sort).options(*card_options()), max(1, page), per_page)


def get_visible_product(product_id: int) -> Product | None:
    return (
        db.session.scalars(
            visible_products()
            .where(Product.id == product_id)
            .options(
                *card_options(),
                joinedload(Product.producer).joinedload(Producer.banner),
                joinedload(Product.category).joinedload(Category.parent),
            )
        )
        .unique()
        .first()
    )


def category_tree() -> list[Category]:
    """Top-level categories with their children (two queries)."""
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.parent_id.is_(None))
            .order_by(Category.position)
            .options(selectinload(Category.children))
        ).all()
    )


def leaf_categories() -> list[Category]:
    """Categories a listing can be filed under: children, and parents with no children."""
    leaves = []
    for parent in category_tree():
        leaves.extend(parent.children or [parent])
    return leaves


def get_category(slug: str) -> Category | None:
    return db.session.scalars(
        select(Category)
        .where(Category.slug == slug)
        .options(selectinload(Category.children), joinedload(Category.parent))
    ).first()


def featured_producers(limit: int = 6) -> list[Producer]:
    """Approved producers with the most active listings."""
    counts = (
        select(Product.producer_id, func.count(Product.id).label("n"))
        .where(Product.status == ProductStatus.ACTIVE)
        .group_by(Product.producer_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Producer)
            .join(counts, counts.c.producer_id == Producer.id)
            .where(Producer.status == ProducerStatus.APPROVED)
            .order_by(counts.c.n.desc(), Producer.id)
            .limit(limit)
            .options(joinedload(Producer.logo), joinedload(Producer.cooperative))
        ).all()
    )


def featured_cooperatives(limit: int = 6) -> list[Cooperative]:
    """Verified cooperatives first, then the oldest."""
    return list(
        db.session.scalars(
            select(Cooperative)
            .order_by(Cooperative.is_verified.desc(), Cooperative.id)
            .limit(limit)
            .options(joinedload(Cooperative.logo))
        )
    )
