from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from shop.api import serializers
from shop.catalog import queries
from shop.errors import error_response
from shop.extensions import csrf

bp = Blueprint("api", __name__)

MAX_PER_PAGE = 50

csrf.exempt(bp)  # read-only JSON; a state-changing endpoint added here must bring its own auth


class BadParameter(ValueError):
    pass


def _int_argument(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(
            _(
                "%(name)s must be a whole number from %(low)d to %(high)d.",
                name=name,
                low=low,
                high=high,
            )
        )
    return int(raw)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/api/v1/categories")
def categories():
    return jsonify({"items": [serializers.category(c, True) for c in queries.category_tree()]})


@bp.get("/api/v1/products")
def products():
    try:
        page = _int_argument("page", 1, 1, 10_000)
        per_page = _int_argument("per_page", 20, 1, MAX_PER_PAGE)
        sort = request.args.get("sort", "newest")
        if sort not in queries.SORTS:
            raise BadParameter(
                _("sort must be one of: %(values)s.", values=", ".join(queries.SORTS))
            )
        category = None
        if request.args.get("category"):
            category = queries.get_category(request.args["category"])
            if category is None:
                raise BadParameter(_("There is no category with that slug."))
    except BadParameter as exc:
        return error_response(400, str(exc))
    result = queries.list_products(category=category, sort=sort, page=page, per_page=per_page)
    return jsonify(
        {
            "items": [serializers.product(p) for p in result.items],
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
        }
    )


@bp.get("/api/v1/products/<int:product_id>")
def product(product_id: int):
    item = queries.get_visible_product(product_id)
    if item is None:
        return error_response(404, _("There is no product with that id."))
    return jsonify(serializers.product(item, detailed=True))
