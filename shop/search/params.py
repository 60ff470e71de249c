"""Reading a search from query-string arguments, with clear messages for bad ones."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from shop.errors import BadArgument
from shop.money import MAX_AMOUNT
from shop.search.backend import AVAILABILITY, PRICE_BANDS, SearchRequest
from shop.sorting import parse_sort
from shop.web import parse_int

MAX_PER_PAGE = 50
MAX_QUERY_LENGTH = 200
MAX_PAGE = 1000


class BadSearch(BadArgument):
    """A search argument that cannot be used; the message says which and why."""


def _whole_number(args: MultiDict, name: str, low: int, high: int) -> int | None:
    try:
        return parse_int(args.get(name), name=name, low=low, high=high)
    except BadArgument as exc:
        raise BadSearch(message=exc.message) from exc


def parse_search(args: MultiDict, default_per_page: int = 24) -> SearchRequest:
    """A ``SearchRequest`` from ``args``; raises ``BadSearch``. Over-long text is cut short."""
    text = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
    page = _whole_number(args, "page", 1, MAX_PAGE) or 1
    per_page = _whole_number(args, "per_page", 1, MAX_PER_PAGE) or default_per_page
    min_price = _whole_number(args, "min_price", 0, MAX_AMOUNT)
    max_price = _whole_number(args, "max_price", 0, MAX_AMOUNT)
    if min_price is not None and max_price is not None and min_price > max_price:
        raise BadSearch(message=_l("min_price must not be more than max_price."))
    try:
        sort = parse_sort(args.get("sort"), "relevance" if text else "newest")
    except BadArgument as exc:
        raise BadSearch(message=exc.message) from exc
    band = args.get("price_band") or None
    if band is not None and band not in {name for name, _, _ in PRICE_BANDS}:
        raise BadSearch(message=_l("There is no such price band."))
    availability = args.get("availability") or None
    in_stock = (args.get("in_stock") or "").lower()
    if in_stock in ("1", "true", "yes"):
        availability = availability or "in_stock"
    elif in_stock not in ("", "0", "false", "no"):
        raise BadSearch(message=_l("in_stock must be true or false."))
    if availability is not None and availability not in AVAILABILITY:
        raise BadSearch(message=_l("There is no such availability."))
    return SearchRequest(
        text=text,
        category=(args.get("category") or None),
        city=(args.get("city") or None),
        cooperative=(args.get("cooperative") or None),
        price_band=band,
        availability=availability,
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        page=page,
        per_page=per_page,
    )
