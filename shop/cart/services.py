"""Changing carts. Quantities are never above what is available; nothing here commits."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shop.cart.models import Cart, CartLine
from shop.cart.queries import LineIssue, find_cart
from shop.database import utcnow
from shop.errors import DomainError, NotAllowed, NotFound
from shop.extensions import db
from shop.listings.models import Product, ProductStatus, ProductVariant
from shop.listings.variants import find_variant
from shop.orders.services import MAX_LINE_QUANTITY, BadQuantity


class NotForSale(DomainError):
    message = _l("This item is not for sale now.")


class NotEnoughLeft(DomainError):
    field = "quantity"

    def __init__(self, available: int) -> None:
        super().__init__(f"{available} left")
        self.available = available

    @property
    def message(self) -> str:
        """Said in the reader's language and digits, when it is shown."""
        from shop.i18n import digits

        if self.available == 0:
            return _("This item is sold out.")
        return _("Only %(count)s left: choose that many or fewer.", count=digits(self.available))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def cart_for_user(user) -> Cart:
    """The user's cart, made on first use."""
    cart = find_cart(user_id=user.id)
    if cart is None:
        cart = Cart(user_id=user.id)
        db.session.add(cart)
        db.session.flush()
    return cart


def cart_for_token(token: str) -> Cart:
    """The visitor's cart for ``token`` (a fresh one when the token is unknown)."""
    cart = find_cart(token=token)
    if cart is None:
        cart = Cart(token=token)
        db.session.add(cart)
        db.session.flush()
    return cart


def available(variant: ProductVariant) -> int | None:
    """How many can be bought now (None: made to order, no limit but the line's)."""
    return variant.available


def _check_quantity(quantity) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise BadQuantity()
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise BadQuantity()


def _check_can_buy(cart: Cart, product: Product | None) -> Product:
    if (
        product is None
        or product.status is not ProductStatus.ACTIVE
        or not product.producer.is_approved
    ):
        raise NotForSale()
    if cart.user_id is not None and product.producer.user_id == cart.user_id:
        raise NotAllowed("a producer cannot buy from their own shop")
    return product


def _cap(variant: ProductVariant, quantity: int) -> None:
    left = available(variant)
    if left is not None and quantity > left:
        raise NotEnoughLeft(left)


def add_to_cart(
    cart: Cart, product_id: int, quantity: int = 1, variant_id: int | None = None
) -> CartLine:
    """Add ``quantity`` of a listing's variant (to its line, if the cart has one). A listing
    with options needs ``variant_id``; one without has a single variant, taken by default."""
    _check_quantity(quantity)
    product = _check_can_buy(cart, db.session.get(Product, product_id))
    variant = find_variant(product, variant_id)
    if not variant.is_active:
        raise NotForSale()
    line = next((line for line in cart.lines if line.variant_id == variant.id), None)
    total = quantity + (line.quantity if line else 0)
    if total > MAX_LINE_QUANTITY:
        raise BadQuantity()
    _cap(variant, total)
    if line is None:
        line = CartLine(
            product=product, variant=variant, quantity=total, seen_price=variant.unit_price
        )
        cart.lines.append(line)
    else:
        line.quantity = total
    cart.updated_at = utcnow()
    db.session.flush()
    return line


def _own_line(cart: Cart, line_id: int) -> CartLine:
    line = next((line for line in cart.lines if line.id == line_id), None)
    if line is None:
        raise NotFound("not a line of this cart")
    return line


def set_quantity(cart: Cart, line_id: int, quantity: int) -> CartLine:
    """Change a line's quantity (within what is available)."""
    line = _own_line(cart, line_id)
    _check_quantity(quantity)
    _check_can_buy(cart, line.product)
    if not line.variant.is_active:
        raise NotForSale()
    _cap(line.variant, quantity)
    line.quantity = quantity
    cart.updated_at = utcnow()
    db.session.flush()
    return line


def remove_line(cart: Cart, line_id: int) -> None:
    line = _own_line(cart, line_id)
    cart.lines.remove(line)
    cart.updated_at = utcnow()
    db.session.flush()


def accept_changes(cart: Cart) -> None:
    """The buyer has seen what changed: new prices become the ones they saw, and lines
    above what is left come down to it (a sold-out or withdrawn line stays, flagged, until
    removed)."""
    for line in cart.lines:
        line.seen_price = line.variant.unit_price
        left = available(line.variant)
        if left and line.quantity > left:
            line.quantity = left
    cart.updated_at = utcnow()
    db.session.flush()


def merge_into_user_cart(visitor_cart: Cart | None, user) -> Cart:
    """At sign-in: the visitor's lines join the user's cart, quantities added and capped by
    what is available (and by the line limit); lines the user may not buy are left out."""
    cart = cart_for_user(user)
    if visitor_cart is None or visitor_cart.id == cart.id:
        return cart
    for line in visitor_cart.lines:
        product = line.product
        if product.producer.user_id == user.id:
            continue  # their own listing, added before they signed in
        mine = next((m for m in cart.lines if m.variant_id == line.variant_id), None)
        wanted = min(line.quantity + (mine.quantity if mine else 0), MAX_LINE_QUANTITY)
        left = available(line.variant)
        if left is not None:
            wanted = min(wanted, left)
        if wanted < 1:
            wanted = mine.quantity if mine else line.quantity  # kept, and flagged sold out
        if mine is None:
            cart.lines.append(
                CartLine(
                    product=product,
                    variant=line.variant,
                    quantity=wanted,
                    seen_price=line.seen_price,
                )
            )
        else:
            mine.quantity = wanted
    db.session.delete(visitor_cart)
    cart.updated_at = utcnow()
    db.session.flush()
    return cart


def empty_cart(cart: Cart, variant_ids) -> None:
    """After an order: remove the lines that were ordered."""
    for line in [line for line in cart.lines if line.variant_id in set(variant_ids)]:
        cart.lines.remove(line)
    db.session.flush()


class CartChanged(DomainError):
    """The cart is not what the buyer reviewed (a line, a price or the stock changed)."""

    message = _l("Your cart changed since you reviewed it. Please check it again.")


class CartNeedsAttention(DomainError):
    message = _l("Some items in your cart need your attention before you can order.")


def fingerprint(view) -> str:
    """A digest of what the review page showed: every line's listing, quantity and price, and
    each parcel's shipping prices. The checkout form carries it back; any change refuses."""
    parts = []
    for parcel in view.parcels:
        shipping = ",".join(f"{m.value}={c}" for m, c in sorted(parcel.shipping.items(), key=str))
        parts.append(f"p{parcel.producer.id}[{shipping}]")
        parts.extend(
            f"{v.product.id}/{v.variant.id}x{v.line.quantity}@{v.unit_price}" for v in parcel.lines
        )
    return hashlib.sha256(";".join(parts).encode()).hexdigest()[:32]


def check_out(buyer, cart: Cart, reviewed: str, address, payment_method: str, key: str, shipping):
    """Place the order for the cart as the buyer reviewed it, then take the ordered lines out
    of the cart — in the caller's one transaction. ``reviewed`` is ``fingerprint`` of the
    review page; raises ``CartChanged`` if the cart is no longer that, ``CartNeedsAttention``
    if a line is no longer for sale, and whatever ``place_order`` raises (``OutOfStock`` for a
    line that sold out or has fewer left)."""
    from shop.cart.queries import view_cart
    from shop.orders.services import Checkout, EmptyCheckout, place_order

    view = view_cart(cart)
    if not view.parcels:
        raise EmptyCheckout()
    if fingerprint(view) != reviewed:
        raise CartChanged()
    # A line withdrawn since the review must be dealt with in the cart first. One that sold out
    # or has fewer left goes on to place_order, whose stock update refuses it (OutOfStock,
    # naming each short line): the same answer whether the stock ran out before this request
    # or during it, while it raced other buyers for the last pieces.
    if {LineIssue.NOT_FOR_SALE, LineIssue.VARIANT_WITHDRAWN} & set(view.issues):
        raise CartNeedsAttention()
    quantities = {v.variant.id: v.line.quantity for p in view.parcels for v in p.lines}
    order = place_order(
        buyer,
        Checkout(
            quantities=quantities,
            address=address,
            payment_method=payment_method,
            idempotency_key=key,
            shipping=shipping,
        ),
    )
    empty_cart(cart, quantities)
    return order
