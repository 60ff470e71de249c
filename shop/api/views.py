from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from shop.api import serializers
from shop.catalog import queries
from shop.cooperatives.queries import get_cooperative
from shop.errors import error_response
from shop.extensions import csrf
from shop.search import queries as search_queries
from shop.search.params import BadSearch, parse_search
from shop.web import page_argument

bp = Blueprint("api", __name__)

csrf.exempt(bp)  # read-only JSON; a state-changing endpoint added here must bring its own auth


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/api/v1/categories")
def categories():
    return jsonify({"items": [serializers.category(c, True) for c in queries.category_tree()]})


@bp.get("/api/v1/products")
def products():
    """Listings, optionally searched (``q``), filtered, sorted, with facet counts."""
    try:
        search = parse_search(request.args, default_per_page=20)
        if search.category and queries.get_category(search.category) is None:
            raise BadSearch(message=_("There is no category with that slug."))
        if search.cooperative and get_cooperative(search.cooperative) is None:
            raise BadSearch(message=_("There is no cooperative with that slug."))
    except BadSearch as exc:
        return error_response(400, str(exc))
    result = search_queries.search_products(search)
    return jsonify(
        {
            "items": [serializers.product(p) for p in result.items],
            "total": result.total,
            "page": search.page,
            "per_page": search.per_page,
            "sort": search.sort,
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in result.facets.items()
            },
            "suggestion": result.suggestion,
            "degraded": result.degraded,
        }
    )


@bp.get("/api/v1/products/<int:product_id>")
def product(product_id: int):
    item = queries.get_visible_product(product_id)
    if item is None:
        return error_response(404, _("There is no product with that id."))
    return jsonify(serializers.product(item, detailed=True))


#: Orders in one page of ``GET /api/v1/orders``.
ORDERS_PER_PAGE = 20


@bp.get("/api/v1/orders")
def orders():
    """The signed-in buyer's orders (by their session cookie), newest first."""
    from shop.orders.queries import list_buyer_orders

    if not current_user.is_authenticated:
        return error_response(401, _("Sign in to see your orders."))
    page = list_buyer_orders(current_user, page_argument(), ORDERS_PER_PAGE)
    return jsonify(
        {
            "items": [serializers.order(o) for o in page.items],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
        }
    )


@bp.get("/api/v1/orders/<number>")
def order(number: str):
    from shop.orders.queries import get_buyer_order

    if not current_user.is_authenticated:
        return error_response(401, _("Sign in to see your orders."))
    item = get_buyer_order(current_user, number[:12])
    if item is None:
        return error_response(404, _("You have no order with that number."))
    return jsonify(serializers.order(item))
