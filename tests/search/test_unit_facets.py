"""Facet counts and totals from the index equal what the database says for the same filters."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased

from shop.catalog.models import Category
from shop.cooperatives.models import Cooperative
from shop.database import transaction
from shop.extensions import db
from shop.listings.models import Product, ProductStatus
from shop.listings.services import pause_listing
from shop.producers.models import Producer, ProducerStatus
from shop.search import queries
from shop.search.backend import SearchRequest
from shop.search.outbox import enqueue_producer
from shop.search.services import drain_outbox
from tests.snapshots import cached_fixture

MASHHAD, KERMAN = "مشهد", "کرمان"
FINE = "نفیس"

#: (producer, category, price in rials, availability, title has «نفیس»)
LISTINGS = [
    ("p1", "kilim", 5_000_000, "stock", True),
    ("p1", "kilim", 10_000_000, "order", False),
    ("p1", "leather", 49_999_999, "none", True),
    ("p1", "garments", 200_000_000, "stock", False),
    ("p2", "leather", 9_999_999, "stock", False),
    ("p2", "leather", 50_000_000, "order", True),
    ("p2", "kilim", 120_000_000, "stock", False),
    ("p2", "garments", 1_000_000, "none", False),
    ("p3", "kilim", 199_999_999, "stock", True),
    ("p3", "kilim", 300_000_000, "order", False),
    ("p3", "garments", 20_000_000, "stock", False),
    ("p3", "leather", 75_000_000, "stock", True),
    ("p4", "garments", 10_000_000, "stock", False),
    ("p4", "leather", 250_000_000, "order", False),
    ("p4", "kilim", 3_000_000, "stock", True),
    ("p4", "hand-woven-carpet", 500_000_000, "stock", False),
]


@cached_fixture
def shop(factory):
    """16 visible listings over 4 categories, 2 cities and 2 cooperatives (and 3 hidden)."""
    naqsh = factory.cooperative(name="Naqsh Cooperative", city=MASHHAD)
    weavers = factory.cooperative(name="Kerman Weavers", city=KERMAN)
    producers = {
        "p1": factory.producer(shop_name="کارگاه یک", cooperative=naqsh),
        "p2": factory.producer(shop_name="کارگاه دو"),
        "p3": factory.producer(shop_name="کارگاه سه", cooperative=weavers),
        "p4": factory.producer(shop_name="کارگاه چهار", cooperative=naqsh),
        "p5": factory.producer(shop_name="کارگاه پنج", cooperative=weavers),
    }
    for key in ("p3", "p4", "p5"):
        producers[key].city = KERMAN
    db.session.commit()
    for number, (key, category, price, stock, fine) in enumerate(LISTINGS):
        factory.listing(
            producers[key],
            title=f"{'گلیم نفیس' if fine else 'کالای دستی'} {number}",
            category=category,
            price=price,
            photos=0,
            stock=3 if stock == "stock" else 0,
            made_to_order=stock == "order",
            lead_time=10 if stock == "order" else None,
        )
    # Hidden: a listing waiting for review, a paused one, one of a suspended producer.
    factory.listing(producers["p1"], title="گلیم نفیس در انتظار", active=False, photos=0)
    paused = factory.listing(producers["p2"], title="گلیم نفیس متوقف", photos=0)
    with transaction():
        pause_listing(producers["p2"], paused)
    factory.listing(producers["p5"], title="گلیم نفیس معلق", category="leather", photos=0)
    producers["p5"].status = ProducerStatus.SUSPENDED  # no service suspends a producer yet
    enqueue_producer(producers["p5"].id)
    db.session.commit()
    drain_outbox()
    return {"naqsh": naqsh.slug, "weavers": weavers.slug}


# -- the same counts, from the database --------------------------------------------------

band_of = case(
    (Product.price < 10_000_000, "under-1m"),
    (Product.price < 50_000_000, "1m-5m"),
    (Product.price < 200_000_000, "5m-20m"),
    else_="over-20m",
)
availability_of = case(
    (Product.is_made_to_order.is_(True), "made_to_order"),
    (Product.stock_quantity > 0, "in_stock"),
    else_="out_of_stock",
)
DIMENSIONS = {
    "category": Category.slug,
    "city": Producer.city,
    "cooperative": Cooperative.slug,
    "price_band": band_of,
    "availability": availability_of,
}


def _visible(query, request: SearchRequest):
    parent = aliased(Category, name="parent")
    query = (
        query.select_from(Product)
        .join(Producer, Producer.id == Product.producer_id)
        .join(Category, Category.id == Product.category_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .outerjoin(Cooperative, Cooperative.id == Producer.cooperative_id)
        .where(Product.status == ProductStatus.ACTIVE, Producer.status == ProducerStatus.APPROVED)
    )
    if request.text:
        query = query.where(Product.title.contains(request.text))
    if request.category:
        query = query.where(or_(Category.slug == request.category, parent.slug == request.category))
    if request.city:
        query = query.where(Producer.city == request.city)
    if request.cooperative:
        query = query.where(Cooperative.slug == request.cooperative)
    if request.price_band:
        query = query.where(band_of == request.price_band)
    if request.availability:
        query = query.where(availability_of == request.availability)
    if request.min_price is not None:
        query = query.where(Product.price >= request.min_price)
    if request.max_price is not None:
        query = query.where(Product.price <= request.max_price)
    return query


def database_answer(request: SearchRequest):
    ids = set(db.session.scalars(_visible(select(Product.id), request)))
    facets = {}
    for name, column in DIMENSIONS.items():
        rows = db.session.execute(
            _visible(select(column, func.count(Product.id)), request)
            .where(column.is_not(None))
            .group_by(column)
        ).all()
        facets[name] = dict(rows)
    return ids, facets


def index_answer(request: SearchRequest):
    page = queries.search_products(request)
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    return page, facets


def filters_for(shop):
    return [
        {},
        {"category": "kilim"},
        {"category": "carpets-rugs"},
        {"category": "leather", "city": MASHHAD},
        {"city": KERMAN},
        {"cooperative": shop["naqsh"]},
        {"cooperative": shop["weavers"], "category": "kilim"},
        {"price_band": "5m-20m"},
        {"price_band": "under-1m", "city": MASHHAD},
        {"availability": "made_to_order"},
        {"availability": "out_of_stock"},
        {"availability": "in_stock", "category": "garments"},
        {"min_price": 200_000_000},
        {"min_price": 10_000_000, "category": "leather"},
        {"text": FINE},
        {"text": FINE, "city": KERMAN, "availability": "in_stock"},
        {"category": "kilim", "city": KERMAN, "cooperative": shop["weavers"]},
        # Unknown values find nothing (and give empty facets).
        {"city": "nowhere"},
        {"category": "nope"},
        {"cooperative": "nope"},
    ]


def ids_of(request):
    return [p.id for p in queries.search_products(request).items]


def assert_agrees_with_database(filters):
    # Given a search with these filters
    request = SearchRequest(per_page=50, **filters)
    # When answered by the index and counted in the database
    page, facets = index_answer(request)
    ids, expected = database_answer(request)
    # Then the listings, the total and every facet's counts per value agree
    assert {p.id for p in page.items} == ids, filters
    assert page.total == len(ids), filters
    assert facets == expected, filters


def test_facet_counts_and_totals_equal_the_database_for_each_filter(shop):
    for filters in filters_for(shop):
        assert_agrees_with_database(filters)
    # A city typed with Arabic letters filters as the Persian spelling does.
    assert ids_of(SearchRequest(city="كرمان", per_page=50)) == ids_of(
        SearchRequest(city=KERMAN, per_page=50)
    )


MAX_PRICE_BUG = (
    "bug: shop/search/whoosh_backend.py line 60 declares price NUMERIC(signed=False); "
    "whoosh-reloaded's NumericRange mis-builds its term ranges for unsigned fields, so any "
    "max_price filter (line 233) is ignored or wrong: max_price=9_999_999 returns every listing"
)


def test_facet_counts_and_totals_equal_the_database_with_a_max_price(shop):
    assert_agrees_with_database({"max_price": 9_999_999})


def test_facet_counts_and_totals_equal_the_database_with_a_price_range(shop):
    assert_agrees_with_database({"min_price": 10_000_000, "max_price": 200_000_000})


def test_the_unfiltered_facets_are_those_of_the_corpus(shop):
    _, facets = index_answer(SearchRequest(per_page=50))

    assert facets == {
        "category": {"kilim": 6, "leather": 5, "garments": 4, "hand-woven-carpet": 1},
        "city": {MASHHAD: 8, KERMAN: 8},
        "cooperative": {shop["naqsh"]: 8, shop["weavers"]: 4},
        "price_band": {"under-1m": 4, "1m-5m": 4, "5m-20m": 4, "over-20m": 4},
        "availability": {"in_stock": 10, "made_to_order": 4, "out_of_stock": 2},
    }
    # The same, counted in Python over the visible listings
    rows = [
        (p.category.slug, p.producer.city)
        for p in db.session.scalars(select(Product))
        if p.status is ProductStatus.ACTIVE and p.producer.status is ProducerStatus.APPROVED
    ]
    assert len(rows) == 16
    assert facets["category"] == dict(Counter(slug for slug, _ in rows))
    assert facets["city"] == dict(Counter(city for _, city in rows))


def test_facet_values_carry_labels_and_the_selected_flag(shop):
    page = queries.search_products(SearchRequest(category="leather", city=KERMAN))

    categories = [(v.value, v.label, v.count, v.selected) for v in page.facets["category"]]
    assert categories == [("leather", "چرم دست\u200cدوز", 2, True)]
    cities = [(v.value, v.label, v.count, v.selected) for v in page.facets["city"]]
    assert cities == [(KERMAN, KERMAN, 2, True)]
    cooperatives = [(v.value, v.label, v.count) for v in page.facets["cooperative"]]
    # Equal counts: ordered by label.
    assert cooperatives == [
        (shop["weavers"], "Kerman Weavers", 1),
        (shop["naqsh"], "Naqsh Cooperative", 1),
    ]
    # Price bands and availability keep their natural order, not the order of their counts.
    assert [v.value for v in page.facets["price_band"]] == ["5m-20m", "over-20m"]
    assert [v.value for v in page.facets["availability"]] == ["in_stock", "made_to_order"]


def test_combined_facets_narrow_the_results(shop):
    # Given filters added one after another
    steps = [
        {},
        {"category": "kilim"},
        {"category": "kilim", "city": KERMAN},
        {"category": "kilim", "city": KERMAN, "cooperative": shop["weavers"]},
        {
            "category": "kilim",
            "city": KERMAN,
            "cooperative": shop["weavers"],
            "price_band": "over-20m",
        },
    ]
    # When each search is run
    found = [set(ids_of(SearchRequest(per_page=50, **filters))) for filters in steps]
    # Then each step's results are a strict subset of the previous step's
    assert [len(ids) for ids in found] == [16, 6, 3, 2, 1]
    for wider, narrower in itertools.pairwise(found):
        assert narrower < wider


# -- random combinations of filters ------------------------------------------------------

filter_sets = st.fixed_dictionaries(
    {},
    optional={
        "category": st.sampled_from(["kilim", "leather", "garments", "carpets-rugs"]),
        "city": st.sampled_from([MASHHAD, KERMAN]),
        "cooperative": st.sampled_from(["naqsh", "weavers"]),
        "price_band": st.sampled_from(["under-1m", "1m-5m", "5m-20m", "over-20m"]),
        "availability": st.sampled_from(["in_stock", "made_to_order", "out_of_stock"]),
        # max_price is left out: see ..._equal_the_database_with_a_max_price (a known bug)
        "min_price": st.sampled_from([0, 5_000_000, 10_000_000, 50_000_001]),
        "text": st.just(FINE),
    },
)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=30,
    deadline=None,
    database=None,
)
@given(filters=filter_sets)
def test_any_combination_of_filters_agrees_with_the_database(shop, filters):
    if "cooperative" in filters:
        filters["cooperative"] = shop[filters["cooperative"]]
    request = SearchRequest(per_page=50, **filters)

    page, facets = index_answer(request)
    ids, expected = database_answer(request)

    assert {p.id for p in page.items} == ids
    assert page.total == len(ids)
    assert facets == expected
    for name in ("category", "city", "price_band", "availability"):
        assert sum(facets[name].values()) == page.total, name


# -- a city however it was typed: one key for the index, the facets and the fallback -----

#: How producers' rows spell their cities (typed before the form tidied them): Kerman with
#: the Arabic kaf twice, once with stray spaces; Mashhad once.
CITY_ROWS = [("p1", "كرمان"), ("p2", "كرمان"), ("p3", "  کرمان "), ("p4", MASHHAD)]


@cached_fixture
def cities(factory):
    found = {}
    for key, city in CITY_ROWS:
        producer = factory.producer(shop_name=f"کارگاه {key}")
        producer.city = city
        db.session.commit()
        found[key] = factory.listing(producer, title=f"گلیم شهر {key}", photos=0).id
    return found


CITY_TYPED = [KERMAN, "كرمان", "  كرمان  ", "کرمان\u200c", "كرمـان"]


def test_a_city_typed_any_way_finds_the_same_from_the_index_and_the_database(app, cities):
    # Given listings of producers who spelled «کرمان» with an Arabic kaf, or with spaces
    kerman = sorted(cities[key] for key in ("p1", "p2", "p3"))
    from_index = {}
    for typed in CITY_TYPED:
        # When filtering by the city typed with Arabic letters, spaces or a tatweel
        page = queries.search_products(SearchRequest(city=typed, per_page=50))
        assert not page.degraded
        from_index[typed] = sorted(p.id for p in page.items)
    # And again when the index cannot answer and the database does
    app.extensions["search"].close()
    (Path(app.config["SHOP_SEARCH_INDEX_DIR"]) / "CURRENT").unlink()
    for typed in CITY_TYPED:
        page = queries.search_products(SearchRequest(city=typed, per_page=50))
        assert page.degraded
        # Then both find every listing of Kerman, and only those
        assert from_index[typed] == sorted(p.id for p in page.items) == kerman, typed
    page = queries.search_products(SearchRequest(city=MASHHAD, per_page=50))
    assert [p.id for p in page.items] == [cities["p4"]]


def test_the_city_facet_counts_every_spelling_under_one_persian_label(cities):
    # When listing everything, and when filtering by the city with the Arabic kaf
    everything = queries.search_products(SearchRequest(per_page=50))
    filtered = queries.search_products(SearchRequest(city="كرمان", per_page=50))
    # Then Kerman is one facet value, labelled in Persian letters without the spaces,
    # selected when filtered by any of its spellings
    facet = [(v.value, v.label, v.count, v.selected) for v in everything.facets["city"]]
    assert facet == [(KERMAN, KERMAN, 3, False), (MASHHAD, MASHHAD, 1, False)]
    facet = [(v.value, v.label, v.count, v.selected) for v in filtered.facets["city"]]
    assert facet == [(KERMAN, KERMAN, 3, True)]


def test_the_search_page_and_the_api_agree_on_a_city_typed_with_arabic_letters(app, cities):
    client = app.test_client()
    kerman = sorted(cities[key] for key in ("p1", "p2", "p3"))
    api = client.get("/api/v1/products", query_string={"city": " كرمان "}).get_json()
    assert sorted(item["id"] for item in api["items"]) == kerman
    assert [(v["value"], v["label"]) for v in api["facets"]["city"]] == [(KERMAN, KERMAN)]
    app.extensions["search"].close()
    (Path(app.config["SHOP_SEARCH_INDEX_DIR"]) / "CURRENT").unlink()
    api = client.get("/api/v1/products", query_string={"city": " كرمان "}).get_json()
    assert api["degraded"] is True
    assert sorted(item["id"] for item in api["items"]) == kerman
