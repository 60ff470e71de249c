"""Reading common query-string arguments of catalogue pages."""

from __future__ import annotations

from flask import abort, request

from shop.money import to_ascii_digits

SORTS = ("newest", "price_asc", "price_desc")


def page_argument() -> int:
    """``?page=`` as a number from 1 to 10,000; anything else is a 400."""
    raw = to_ascii_digits(request.args.get("page", "1"))
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 10_000:
        abort(400)
    return int(raw)


def sort_argument() -> str:
    sort = request.args.get("sort", "newest")
    return sort if sort in SORTS else "newest"
