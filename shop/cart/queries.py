"""Reading a cart as the cart page shows it: lines grouped by producer, each group with its
shipping options and subtotal, and every line flagged with what changed since it was added."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.cart.models import Cart, CartLine
from shop.extensions import db
from shop.listings.models import Product, ProductStatus, ProductVariant
from shop.orders.models import ShippingMethod
from shop.orders.shipping import shipping_options
from shop.producers.models import Producer


class LineIssue(enum.Enum):
    #: Paused, deleted, or its shop is closed.
    NOT_FOR_SALE = "not_for_sale"
    #: The producer no longer offers this size, colour… (the combination was dropped).
    VARIANT_WITHDRAWN = "variant_withdrawn"
    SOLD_OUT = "sold_out"
    #: Fewer left than the line asks for.
    FEWER_LEFT = "fewer_left"
    REPRICED = "repriced"

    @property
    def blocks_checkout(self) -> bool:
        return self is not LineIssue.REPRICED


@dataclass
class LineView:
    line: CartLine
    product: Product
    variant: ProductVariant
    unit_price: int
    subtotal: int
    available: int | None
    issues: list[LineIssue] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The title with the options chosen, e.g. "Embroidered shawl (M · red)"."""
        label = self.variant.label
        return f"{self.product.title} ({label})" if label else self.product.title


@dataclass
class ParcelView:
    producer: Producer
    lines: list[LineView]
    items_total: int
    shipping: dict[ShippingMethod, int]


@dataclass
class CartView:
    parcels: list[ParcelView]

    @property
    def item_count(self) -> int:
        return sum(v.line.quantity for p in self.parcels for v in p.lines)

    @property
    def items_total(self) -> int:
        return sum(p.items_total for p in self.parcels)

    @property
    def issues(self) -> list[LineIssue]:
        return [i for p in self.parcels for v in p.lines for i in v.issues]

    @property
    def can_check_out(self) -> bool:
        return bool(self.parcels) and not any(i.blocks_checkout for i in self.issues)


def _line_issues(line: CartLine, product: Product, variant: ProductVariant) -> list[LineIssue]:
    if product.status is not ProductStatus.ACTIVE or not product.producer.is_approved:
        return [LineIssue.NOT_FOR_SALE]
    if not variant.is_active:
        return [LineIssue.VARIANT_WITHDRAWN]
    issues = []
    if not product.is_made_to_order:
        if variant.stock_quantity == 0:
            issues.append(LineIssue.SOLD_OUT)
        elif variant.stock_quantity < line.quantity:
            issues.append(LineIssue.FEWER_LEFT)
    if variant.unit_price != line.seen_price:
        issues.append(LineIssue.REPRICED)
    return issues


def view_cart(cart: Cart | None) -> CartView:
    """The cart with its lines grouped by producer (a fixed number of queries)."""
    if cart is None or cart.id is None:
        return CartView([])
    lines = db.session.scalars(
        select(CartLine)
        .where(CartLine.cart_id == cart.id)
        .options(
            selectinload(CartLine.product)
            .selectinload(Product.producer)
            .selectinload(Producer.shipping_policy),
            # The review page names each parcel's pick-up centre: joined, not one query each.
            selectinload(CartLine.product)
            .selectinload(Product.producer)
            .joinedload(Producer.centre),
            selectinload(CartLine.product).selectinload(Product.photos),
            selectinload(CartLine.variant),
        )
        .order_by(CartLine.id)
    ).all()
    groups: dict[int, list[LineView]] = {}
    producers: dict[int, Producer] = {}
    for line in lines:
        product, variant = line.product, line.variant
        producers[product.producer_id] = product.producer
        groups.setdefault(product.producer_id, []).append(
            LineView(
                line=line,
                product=product,
                variant=variant,
                unit_price=variant.unit_price,
                subtotal=variant.unit_price * line.quantity,
                available=variant.available,
                issues=_line_issues(line, product, variant),
            )
        )
    parcels = []
    for producer_id, views in groups.items():
        items_total = sum(
            v.subtotal
            for v in views
            if not {LineIssue.NOT_FOR_SALE, LineIssue.VARIANT_WITHDRAWN} & set(v.issues)
        )
        parcels.append(
            ParcelView(
                producer=producers[producer_id],
                lines=views,
                items_total=items_total,
                shipping=shipping_options(producers[producer_id], items_total),
            )
        )
    return CartView(parcels)


def find_cart(user_id: int | None = None, token: str | None = None) -> Cart | None:
    """The user's cart, or the visitor's cart for ``token`` (None if there is none)."""
    if user_id is not None:
        return db.session.scalar(select(Cart).where(Cart.user_id == user_id))
    if token:
        return db.session.scalar(select(Cart).where(Cart.token == token))
    return None


def cart_item_count(user_id: int | None = None, token: str | None = None) -> int:
    """For the header on every page: one small query (none without a user or a token)."""
    if user_id is None and not token:
        return 0
    owner = Cart.user_id == user_id if user_id is not None else Cart.token == token
    return db.session.scalar(
        select(func.coalesce(func.sum(CartLine.quantity), 0)).join(Cart).where(owner)
    )
