"""A listing's options and variants: the producer names up to two kinds of option (size,
colour…) and their values; each combination is a variant with its own stock and, if set, its
own price. A listing without options has one implicit variant.

The listing's ``stock_quantity`` is always the sum of its offered variants' stock: every
function here recounts it in the same transaction, after locking the listing's row first —
the same order placing an order takes its locks in (listing, then its variants), so the two
never wait for each other the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product as combinations

from flask_babel import lazy_gettext as _l

from shop.errors import DomainError, NotFound
from shop.extensions import db
from shop.listings.models import Product, ProductVariant
from shop.search.outbox import enqueue_products

MAX_OPTION_KINDS = 2
MAX_VALUES = 12
MAX_NAME_LENGTH = 40
MAX_STOCK = 100_000
#: Values are separated by commas (Latin or Persian) or new lines.
_SEPARATORS = re.compile(r"[,،\n]+")


class BadOptions(DomainError):
    field = "options"
    message = _l(
        "Give each kind of option a name and from 1 to 12 different values, each of at most "
        "40 characters, separated by commas."
    )


class TooManyOptionKinds(DomainError):
    field = "options"
    message = _l("A listing can have at most two kinds of option.")


class BadVariantTerms(DomainError):
    field = "variants"
    message = _l("Each variant's stock must be a whole number from 0 and its price above zero.")


@dataclass(frozen=True)
class OptionKind:
    name: str
    values: tuple[str, ...]


def parse_values(text: str) -> tuple[str, ...]:
    """Split "S, M، L" into ("S", "M", "L"): trimmed, blanks dropped (duplicates are refused
    later)."""
    return tuple(v for v in (part.strip() for part in _SEPARATORS.split(text or "")) if v)


def _checked(kinds: list[OptionKind]) -> list[OptionKind]:
    kinds = [k for k in kinds if k.name.strip() or k.values]
    if len(kinds) > MAX_OPTION_KINDS:
        raise TooManyOptionKinds()
    names = [k.name.strip() for k in kinds]
    if len({n.casefold() for n in names}) != len(names):
        raise BadOptions()
    for kind in kinds:
        name = kind.name.strip()
        values = [v.strip() for v in kind.values]
        if not name or len(name) > MAX_NAME_LENGTH or not 1 <= len(values) <= MAX_VALUES:
            raise BadOptions()
        if any(not v or len(v) > MAX_NAME_LENGTH for v in values):
            raise BadOptions()
        if len({v.casefold() for v in values}) != len(values):
            raise BadOptions()
    return [OptionKind(k.name.strip(), tuple(v.strip() for v in k.values)) for k in kinds]


def recount(product: Product) -> None:
    """The listing's stock: the sum of its offered variants' (none when made to order)."""
    if product.is_made_to_order:
        for variant in product.variants:
            variant.stock_quantity = 0
    product.stock_quantity = sum(v.stock_quantity for v in product.offered_variants)


def _lock_variants(product: Product) -> None:
    """The listing is locked by the caller; its variants are read afresh."""
    for variant in product.variants:
        db.session.refresh(variant)


def set_options(product: Product, kinds: list[OptionKind]) -> None:
    """Give the listing these option kinds and one variant per combination of their values.

    A combination it had keeps its stock and price; a new one starts with none in stock
    (the first one takes over the stock of the implicit variant, when the listing had no
    options before); a combination no longer offered is retired with nothing in stock —
    carts and orders that name it keep it. The caller has checked the producer owns the
    listing and locked its row.
    """
    kinds = _checked(kinds)
    _lock_variants(product)
    names = [k.name for k in kinds] + ["", ""]
    wanted = [
        tuple(list(combo) + [""] * (2 - len(combo)))
        for combo in combinations(*[k.values for k in kinds])
    ] or [("", "")]
    existing = {(v.option1, v.option2): v for v in product.variants}
    implicit = existing.get(("", ""))
    carried = implicit.stock_quantity if implicit is not None and implicit.is_active else 0
    product.option1_name, product.option2_name = names[0], names[1]
    for variant in product.variants:
        if (variant.option1, variant.option2) not in wanted and variant.is_active:
            variant.is_active = False
            variant.stock_quantity = 0
    for position, (first, second) in enumerate(wanted):
        variant = existing.get((first, second))
        if variant is None:
            variant = ProductVariant(
                option1=first, option2=second, stock_quantity=0, is_active=True
            )
            if kinds and position == 0:
                variant.stock_quantity = carried
            product.variants.append(variant)
        elif not variant.is_active:
            variant.is_active = True
        variant.position = position
    db.session.flush()
    recount(product)
    db.session.flush()
    enqueue_products([product.id])


@dataclass(frozen=True)
class VariantTerms:
    stock_quantity: int
    #: None: the listing's price.
    price: int | None = None


def update_variants(product: Product, terms: dict[int, VariantTerms]) -> None:
    """Set the stock and price of the listing's offered variants named in ``terms``.
    Raises ``NotFound`` for an id that is not one of them and ``BadVariantTerms`` for a bad
    figure, before changing anything. The caller has checked ownership and locked the row."""
    _lock_variants(product)
    offered = {v.id: v for v in product.offered_variants}
    for variant_id, term in terms.items():
        if variant_id not in offered:
            raise NotFound("not a variant of this listing")
        stock, price = term.stock_quantity, term.price
        if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= MAX_STOCK:
            raise BadVariantTerms()
        if price is not None and (isinstance(price, bool) or not isinstance(price, int)):
            raise BadVariantTerms()
        if price is not None and price <= 0:
            raise BadVariantTerms()
    for variant_id, term in terms.items():
        variant = offered[variant_id]
        variant.stock_quantity = 0 if product.is_made_to_order else term.stock_quantity
        variant.price = term.price
    recount(product)
    db.session.flush()
    enqueue_products([product.id])


def set_single_stock(product: Product, stock: int) -> None:
    """A listing without options: its stock is its implicit variant's."""
    variant = product.default_variant
    if variant is None:
        return  # with options, stock is set per variant
    variant.stock_quantity = stock
    recount(product)


def find_variant(product: Product, variant_id: int | None) -> ProductVariant:
    """The variant a buyer chose: ``variant_id`` of one offered, or the only one when the
    listing has no options. Raises ``ChooseVariant`` when they must choose and did not."""
    if variant_id is None:
        variant = product.default_variant
        if variant is None:
            raise ChooseVariant()
        return variant
    variant = next((v for v in product.variants if v.id == variant_id), None)
    if variant is None:
        raise ChooseVariant()
    return variant


class ChooseVariant(DomainError):
    field = "variant_id"
    message = _l("Choose one of the options offered.")
