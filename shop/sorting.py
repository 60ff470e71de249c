"""The orders a list of listings can be shown in, the same on every page and in the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shop.errors import BadArgument

#: ``relevance`` needs search words; without them it means ``newest``.
SORTS = ("relevance", "newest", "price_asc", "price_desc")
#: What browsing pages (a category, a shop) offer: there are no words to be relevant to.
BROWSE_SORTS = ("newest", "price_asc", "price_desc")

SORT_LABELS = {
    "relevance": _l("Best match"),
    "newest": _l("Newest"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
}


def parse_sort(raw: str | None, default: str) -> str:
    """``raw`` if it names a sort, ``default`` when empty; raises ``BadArgument`` otherwise."""
    if not raw:
        return default
    if raw not in SORTS:
        raise BadArgument(
            message=_l(
                "There is no such sort order: sort must be one of %(values)s.",
                values=", ".join(SORTS),
            )
        )
    return raw
