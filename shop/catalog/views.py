"""The public catalogue: home, categories, products."""

from flask import Blueprint, abort, current_app, render_template, request

from shop.catalog import queries
from shop.errors import BadArgument
from shop.money import get_currency
from shop.web import parse_int, products_page

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home():
    newest = queries.list_products(per_page=12)
    producers = queries.featured_producers()
    cooperatives = queries.featured_cooperatives()
    return render_template(
        "catalog/home.html",
        categories=queries.category_tree(),
        newest=newest.items,
        producers=producers,
        cooperatives=cooperatives,
    )


@bp.get("/categories/<slug>")
def category(slug: str):
    category = queries.get_category(slug)
    if category is None:
        abort(404)
    page, sort = products_page(category=category)
    return render_template(
        "catalog/category.html",
        category=category,
        page=page,
        sort=sort,
        categories=queries.category_tree(),
    )


@bp.get("/products/<int:product_id>")
def product(product_id: int):
    product = queries.get_visible_product(product_id)
    if product is None:
        abort(404)
    return render_template(
        "catalog/product.html",
        product=product,
        photo_number=_photo_number(len(product.photos)),
        price_amount=_standard_amount(product.price),
    )


def _photo_number(photos: int) -> int:
    """``?photo=`` (the gallery without script): which photo is the large one, from 1.

    A number that is not one of the listing's photos (or not a number) is ignored: the link
    may be older than the photos it pointed at.
    """
    try:
        chosen = parse_int(request.args.get("photo"), name="photo", low=1, high=max(photos, 1))
    except BadArgument:
        chosen = None
    return chosen or 1


def _standard_amount(amount: int) -> str:
    """Minor units as the ISO 4217 amount link previews expect (rials for IRR, 12.50 for USD)."""
    exponent = get_currency(current_app.config["SHOP_CURRENCY"]).exponent
    whole, rest = divmod(amount, 10**exponent)
    return f"{whole}.{rest:0{exponent}d}" if exponent else str(whole)
