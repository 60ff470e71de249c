"""Answering searches: through the index, or from the database when the index cannot answer."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import and_, func, or_, select

from shop.catalog.models import Category
from shop.catalog.queries import card_options, ordered, visible_products
from shop.cooperatives.models import Cooperative
from shop.extensions import db
from shop.i18n import current_language, format_money
from shop.listings.models import Product
from shop.pagination import Page, paginate
from shop.producers.models import Producer
from shop.search.analysis import query_terms
from shop.search.backend import (
    AVAILABILITY,
    FACETS,
    PRICE_BANDS,
    SearchRequest,
    SearchUnavailable,
)
from shop.search.highlight import highlight
from shop.search.normalize import city_key, normalize_text, tidy_text

log = logging.getLogger(__name__)

#: Fewer results than this makes the search look for a better spelling.
FEW_RESULTS = 3


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchPage(Page):
    """One page of results, with what the search page shows around them."""

    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    snippets: dict[int, Markup] = field(default_factory=dict)
    titles: dict[int, Markup] = field(default_factory=dict)
    suggestion: str | None = None
    degraded: bool = False


def _backend():
    return current_app.extensions["search"]


def search_products(request: SearchRequest) -> SearchPage:
    """Search the catalogue; never fails because of the index (falls back to the database)."""
    try:
        hits = _backend().search(request)
        suggestion = None
        if request.text and hits.total < FEW_RESULTS:
            corrected = _backend().correct(request.text)
            if corrected and normalize_text(corrected) != normalize_text(request.text):
                alternative = _backend().search(_with_text(request, corrected))
                if alternative.total > hits.total:
                    suggestion = corrected
    except SearchUnavailable as exc:
        log.warning(
            "Search index unavailable (%s); answering from the database. "
            "Run `shop search reindex` to rebuild it.",
            exc,
        )
        return _database_search(request)
    items = _load_in_order(hits.ids)
    return SearchPage(
        items=items,
        total=hits.total,
        page=request.page,
        per_page=request.per_page,
        facets=_facet_values(hits.facets, request),
        snippets=_snippets(items, hits.terms),
        titles={p.id: highlight(p.title, hits.terms, width=len(p.title)) for p in items},
        suggestion=suggestion,
    )


def suggest(prefix: str, limit: int = 8) -> list[str]:
    try:
        return _backend().suggest(prefix, limit)
    except SearchUnavailable:
        return []


def _with_text(request: SearchRequest, text: str) -> SearchRequest:
    return replace(request, text=text, page=1)


def _load_in_order(ids: list[int]) -> list[Product]:
    """The listings behind ``ids``, in that order, still visible (the index may lag)."""
    if not ids:
        return []
    rows = db.session.scalars(
        visible_products().where(Product.id.in_(ids)).options(*card_options())
    ).unique()
    by_id = {product.id: product for product in rows}
    return [by_id[i] for i in ids if i in by_id]


def _snippets(items: list[Product], terms: list[str]) -> dict[int, Markup]:
    snippets = {}
    for product in items:
        # The text people see: Markdown's symbols are not part of it.
        html = Markup(product.description_html)  # noqa: S704 - sanitised when it was saved
        text = html.striptags() if product.description_html else ""
        snippets[product.id] = highlight(text or product.materials, terms)
    return snippets


def _city_spellings() -> dict[str, list[str]]:
    """``city_key`` → the ways producers' rows spell that city, the most common first."""
    rows = db.session.execute(
        select(Producer.city, func.count())
        .where(Producer.city.is_not(None))
        .group_by(Producer.city)
    ).all()
    spellings: dict[str, list[str]] = {}
    for city, _count in sorted(rows, key=lambda row: (-row[1], row[0])):
        if city_key(city):
            spellings.setdefault(city_key(city), []).append(city)
    return spellings


def _labels() -> dict[str, dict[str, str]]:
    language = current_language()
    categories = {c.slug: c.name(language) for c in db.session.scalars(select(Category))}
    cooperatives = {c.slug: c.name for c in db.session.scalars(select(Cooperative))}
    cities = {key: tidy_text(names[0]) for key, names in _city_spellings().items()}
    return {"category": categories, "cooperative": cooperatives, "city": cities}


def price_band_label(name: str) -> str:
    for band, low, high in PRICE_BANDS:
        if band == name:
            if high is None:
                return _("%(amount)s and more", amount=format_money(low))
            if low == 0:
                return _("Under %(amount)s", amount=format_money(high))
            return _("%(low)s to %(high)s", low=format_money(low), high=format_money(high))
    return name


def availability_label(name: str) -> str:
    return {
        "in_stock": _("Ready to send"),
        "made_to_order": _("Made to order"),
        "out_of_stock": _("Out of stock"),
    }.get(name, name)


def _facet_values(counts: dict[str, dict[str, int]], request: SearchRequest):
    labels = _labels()
    selected = {
        "category": request.category,
        "city": city_key(request.city) if request.city else None,
        "cooperative": request.cooperative,
        "price_band": request.price_band,
        "availability": request.availability,
    }
    order = {
        "price_band": [band for band, _, _ in PRICE_BANDS],
        "availability": list(AVAILABILITY),
    }
    facets = {}
    for name in FACETS:
        values = []
        for value, count in counts.get(name, {}).items():
            if name == "price_band":
                label = price_band_label(value)
            elif name == "availability":
                label = availability_label(value)
            else:
                label = labels[name].get(value, value)
            values.append(FacetValue(value, label, count, value == selected[name]))
        if name in order:
            values.sort(key=lambda v: order[name].index(v.value) if v.value in order[name] else 99)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        facets[name] = values
    return facets


def _database_search(request: SearchRequest) -> SearchPage:
    """A plain database search for when the index cannot answer: no facets, no ranking."""
    query = visible_products()
    terms = list(query_terms(request.text).words)
    for term in terms:
        pattern = f"%{term}%"
        query = query.where(
            or_(
                func.lower(Product.title).like(pattern),
                func.lower(Product.description).like(pattern),
            )
        )
    if request.category:
        parent_ids = select(Category.id).where(Category.slug == request.category)
        query = query.join(Product.category).where(
            or_(Category.slug == request.category, Category.parent_id.in_(parent_ids))
        )
    if request.cooperative:
        query = query.join(Cooperative, Cooperative.id == Producer.cooperative_id).where(
            Cooperative.slug == request.cooperative
        )
    if request.city:
        # Every spelling of the city, compared as the index compares it.
        spellings = _city_spellings().get(city_key(request.city), [])
        query = query.where(Producer.city.in_(spellings))
    if request.min_price is not None:
        query = query.where(Product.price >= request.min_price)
    if request.max_price is not None:
        query = query.where(Product.price <= request.max_price)
    if request.price_band:
        for band, low, high in PRICE_BANDS:
            if band == request.price_band:
                query = query.where(Product.price >= low)
                if high is not None:
                    query = query.where(Product.price < high)
    if request.availability == "made_to_order":
        query = query.where(Product.is_made_to_order.is_(True))
    elif request.availability == "in_stock":
        query = query.where(and_(Product.is_made_to_order.is_(False), Product.stock_quantity > 0))
    elif request.availability == "out_of_stock":
        query = query.where(and_(Product.is_made_to_order.is_(False), Product.stock_quantity <= 0))
    found = paginate(
        ordered(query, request.sort).options(*card_options()), request.page, request.per_page
    )
    return SearchPage(
        items=found.items,
        total=found.total,
        page=request.page,
        per_page=request.per_page,
        snippets=_snippets(found.items, terms),
        degraded=True,
    )
