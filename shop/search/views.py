from flask import Blueprint, current_app, jsonify, render_template, request

from shop.errors import error_response
from shop.search import queries
from shop.search.params import BadSearch, parse_search

bp = Blueprint("search", __name__)


@bp.get("/search")
def search():
    try:
        search_request = parse_search(request.args, current_app.config["SHOP_PAGE_SIZE"])
    except BadSearch as exc:
        return error_response(400, str(exc))
    page = queries.search_products(search_request)
    return render_template("search/results.html", result=page, search=search_request)


@bp.get("/search/suggest")
def suggest():
    text = " ".join((request.args.get("q") or "").split())[:100]
    return jsonify({"query": text, "suggestions": queries.suggest(text) if text else []})
