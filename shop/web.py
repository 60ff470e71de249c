"""Reading what comes in a URL: whole numbers, pages and sorts, bounded so bad input is a 4xx."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError

from shop.errors import BadArgument
from shop.i18n import format_number
from shop.money import to_ascii_digits
from shop.pagination import Page
from shop.sorting import parse_sort

#: The largest id a row can have: ids are INTEGER columns, 32-bit signed on PostgreSQL.
MAX_ID = 2**31 - 1
MAX_PAGE = 10_000


def parse_int(raw: str | None, *, name: str, low: int, high: int) -> int | None:
    """A whole number typed with ASCII, Persian or Arabic-Indic digits, from ``low`` to ``high``.

    Empty (or only spaces) is None. Anything else that is not such a number raises
    ``BadArgument`` — before Python's ``int()`` is given thousands of digits to convert.
    """
    text = to_ascii_digits((raw or "").strip())
    if text == "":
        return None
    digits = text.lstrip("0") or "0"
    if (
        not (text.isascii() and text.isdigit())
        or len(digits) > len(str(high))
        or not (low <= int(digits) <= high)
    ):
        raise BadArgument(
            message=_l(
                "%(name)s must be a whole number from %(low)s to %(high)s.",
                name=name,
                low=format_number(low),
                high=format_number(high),
            )
        )
    return int(digits)


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` in every route, up to ``MAX_ID``: a longer or larger number matches no route
    (a 404) instead of reaching the database or ``int()``."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("0")) > len(str(MAX_ID)):
            raise ValidationError()
        return super().to_python(value)


def page_argument() -> int:
    """``?page=`` as a number from 1 to 10,000 (1 when absent); anything else is a 400."""
    return parse_int(request.args.get("page"), name="page", low=1, high=MAX_PAGE) or 1


def sort_argument(default: str = "newest") -> str:
    """``?sort=``: one of ``SORTS``; an unknown one is a 400, as on the search page."""
    return parse_sort(request.args.get("sort"), default)


def products_page(**scope) -> tuple[Page, str]:
    """The visible listings of ``scope`` (a category, shop, cooperative or centre) for this
    request's page and sort, and the sort used."""
    from shop.catalog.queries import list_products

    sort = sort_argument()
    page = list_products(
        **scope, sort=sort, page=page_argument(), per_page=current_app.config["SHOP_PAGE_SIZE"]
    )
    return page, sort
