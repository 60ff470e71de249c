"""The public catalogue: home, categories, products."""

from flask import Blueprint, abort, render_template

from shop.catalog import queries
from shop.web import products_page

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
    return render_template("catalog/product.html", product=product)
