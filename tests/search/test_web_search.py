"""The search page /search and the suggestions endpoint, through the test client."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from shop.extensions import db
from shop.money import to_ascii_digits
from shop.search.outbox import enqueue_products
from shop.search.services import drain_outbox
from shop.text import render_description
from tests.snapshots import cached_fixture

MASHHAD, KERMAN = "مشهد", "کرمان"
NOTHING_MATCHED = "نتیجه‌ای برای جستجوی شما پیدا نشد."
DID_YOU_MEAN = "منظورتان این بود:"


def finish(products, descriptions):
    """Set descriptions and distinct publication times (first = oldest), apply to the index."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for position, product in enumerate(products):
        if product.id in descriptions:
            product.description = descriptions[product.id]
            product.description_html = render_description(product.description, False)
        product.published_at = start + timedelta(hours=position)
    enqueue_products([p.id for p in products])
    db.session.commit()
    drain_outbox()


@cached_fixture
def catalogue(factory):
    """Six listings: two producers in two cities, three categories, prices 2M to 120M."""
    mashhad = factory.producer(shop_name="کارگاه مشهد")
    kerman = factory.producer(shop_name="کارگاه کرمان")
    kerman.city = KERMAN
    db.session.commit()
    made, descriptions = {}, {}

    def add(key, producer, title, category, price, description, **kw):
        made[key] = factory.listing(
            producer, title=title, category=category, price=price, photos=0, **kw
        )
        descriptions[made[key].id] = description

    add("kilim", mashhad, "گلیم قشقایی", "kilim", 30_000_000, "یک گلیم قشقایی زیبا از فارس")
    add("bag", mashhad, "کیف چرمی", "leather", 9_000_000, "کیف دوشی با نقش قشقایی")
    add("small_kilim", kerman, "گلیم قشقایی کوچک", "kilim", 5_000_000, "گلیم <b>کوچک</b> & ظریف")
    add("rug", kerman, "Handwoven rug", "kilim", 120_000_000, "Wool from Fars")
    add("scarf", kerman, "روسری ابریشمی", "garments", 2_000_000, "ابریشم طبیعی")
    add(
        "kerman_kilim",
        kerman,
        "گلیم کرمان",
        "kilim",
        60_000_000,
        "بافت کرمان",
        made_to_order=True,
        stock=0,
        lead_time=20,
    )
    finish(list(made.values()), descriptions)
    return {key: product.id for key, product in made.items()}


def page_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    return response.get_data(as_text=True)


def result_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a class="title" href="/products/(\d+)"[^>]*>', page)]


def facet_links(page: str) -> list[tuple[str, str, int, bool]]:
    """(href, label, count, selected) of every facet link on the page."""
    aside = re.search(r'<aside class="facets".*?</aside>', page, re.S)
    if aside is None:
        return []
    links = re.findall(
        r'<a (class="selected" aria-current="true" )?href="([^"]+)">(?:✓ )?(.*?) '
        r'<span class="count">\(([^)]*)\)</span></a>',
        aside.group(0),
    )
    return [
        (html.unescape(href), html.unescape(label), int(to_ascii_digits(count)), bool(sel))
        for sel, href, label, count in links
    ]


def link_for(page: str, label: str) -> tuple[str, int, bool]:
    matches = [(href, count, sel) for href, lab, count, sel in facet_links(page) if lab == label]
    assert len(matches) == 1, (label, facet_links(page))
    return matches[0]


def link_setting(page: str, name: str, value: str) -> tuple[str, int, bool]:
    """The facet link that sets ``name`` to ``value`` (or, if selected, removes it)."""
    matches = [
        (href, count, sel)
        for href, _, count, sel in facet_links(page)
        if args_of(href).get(name) == value and not sel
    ]
    assert len(matches) == 1, (name, value, facet_links(page))
    return matches[0]


def args_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def snippets(page: str) -> list[str]:
    return re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', page)


# -- results and snippets ----------------------------------------------------------------


def test_results_show_highlighted_escaped_snippets(client, catalogue):
    # Given listings whose descriptions mention «قشقایی»
    # When searching «قشقایی»
    page = page_of(client, "/search?q=قشقایی")
    # Then the title matches come first and each snippet marks the word in its description
    assert result_ids(page) == [
        catalogue["kilim"],
        catalogue["small_kilim"],
        catalogue["bag"],
    ]
    assert snippets(page) == [
        "یک گلیم <mark>قشقایی</mark> زیبا از فارس",
        "گلیم &lt;b&gt;کوچک&lt;/b&gt; &amp; ظریف",
        "کیف دوشی با نقش <mark>قشقایی</mark>",
    ]
    # When the query is typed with Arabic letters, the Persian text is marked
    page = page_of(client, "/search?q=گليم قشقايي")
    assert result_ids(page) == [catalogue["kilim"], catalogue["small_kilim"]]
    assert snippets(page)[0] == "یک <mark>گلیم</mark> <mark>قشقایی</mark> زیبا از فارس"
    # When the match is inside HTML typed in a description, the HTML is shown escaped
    page = page_of(client, "/search?q=کوچک")
    assert snippets(page) == ["گلیم &lt;b&gt;<mark>کوچک</mark>&lt;/b&gt; &amp; ظریف"]
    assert "<b>کوچک" not in page


def test_the_query_is_escaped_wherever_the_page_shows_it(client, catalogue):
    page = page_of(client, '/search?q="><script>alert(1)</script>')

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- facets ------------------------------------------------------------------------------


def test_facet_links_narrow_the_results_and_can_be_combined(client, catalogue):
    # Given a search for «گلیم» (four kilims in two cities)
    page = page_of(client, "/search?q=گلیم")
    assert sorted(result_ids(page)) == sorted(
        catalogue[k] for k in ("kilim", "small_kilim", "rug", "kerman_kilim")
    )
    href, count, selected = link_for(page, KERMAN)
    assert (count, selected) == (3, False)
    # When following the city link
    page = page_of(client, href)
    # Then only the listings of that city are shown, and the city is marked selected
    assert args_of(href) == {"q": "گلیم", "city": KERMAN}
    assert sorted(result_ids(page)) == sorted(
        catalogue[k] for k in ("small_kilim", "rug", "kerman_kilim")
    )
    assert link_for(page, KERMAN)[1:] == (3, True)
    # When then following a price band link
    href, count, _ = link_setting(page, "price_band", "5m-20m")
    assert count == 2
    page = page_of(client, href)
    # Then both filters apply together
    assert args_of(href) == {"q": "گلیم", "city": KERMAN, "price_band": "5m-20m"}
    assert sorted(result_ids(page)) == sorted([catalogue["rug"], catalogue["kerman_kilim"]])
    # And the selected city's link removes only the city
    href, _, selected = link_for(page, KERMAN)
    assert selected and args_of(href) == {"q": "گلیم", "price_band": "5m-20m"}
    assert sorted(result_ids(page_of(client, href))) == sorted(
        [catalogue["rug"], catalogue["kerman_kilim"]]
    )


def test_facet_counts_on_the_page_add_up_to_the_results(client, catalogue):
    page = page_of(client, "/search")
    by_label = {label: count for _, label, count, _ in facet_links(page)}

    assert by_label[MASHHAD] == 2 and by_label[KERMAN] == 4
    assert by_label["گلیم"] == 4
    assert by_label["آماده ارسال"] == 5
    assert "<span>۶ نتیجه</span>" in page


def test_a_facet_link_drops_the_page_number(client, catalogue):
    page = page_of(client, "/search?per_page=2&page=2")
    href, _, _ = link_for(page, KERMAN)

    assert args_of(href) == {"per_page": "2", "city": KERMAN}


# -- sorting -----------------------------------------------------------------------------


def prices_of(ids, catalogue, prices):
    by_id = {catalogue[k]: prices[k] for k in catalogue}
    return [by_id[i] for i in ids]


PRICES = {
    "kilim": 30_000_000,
    "bag": 9_000_000,
    "small_kilim": 5_000_000,
    "rug": 120_000_000,
    "scarf": 2_000_000,
    "kerman_kilim": 60_000_000,
}


def test_sorting_by_price_and_by_newest(client, catalogue):
    ascending = result_ids(page_of(client, "/search?sort=price_asc"))
    descending = result_ids(page_of(client, "/search?sort=price_desc"))
    newest = result_ids(page_of(client, "/search?sort=newest"))

    assert prices_of(ascending, catalogue, PRICES) == [
        2_000_000,
        5_000_000,
        9_000_000,
        30_000_000,
        60_000_000,
        120_000_000,
    ]
    assert descending == list(reversed(ascending))
    assert newest == list(reversed(catalogue.values()))
    # A search sorted by price keeps the query
    ids = result_ids(page_of(client, "/search?q=گلیم&sort=price_desc"))
    assert prices_of(ids, catalogue, PRICES) == [120_000_000, 60_000_000, 30_000_000, 5_000_000]


def test_relevance_is_the_default_sort_for_a_query_and_newest_without(client, catalogue):
    page = page_of(client, "/search?q=قشقایی")
    assert re.search(r'<option value="relevance" selected>', page)
    assert result_ids(page)[-1] == catalogue["bag"]  # description-only match last

    page = page_of(client, "/search")
    assert re.search(r'<option value="newest" selected>', page)


def test_the_sort_form_keeps_the_other_arguments(client, catalogue):
    page = page_of(client, "/search?q=گلیم&city=کرمان&page=2&per_page=2")
    form = re.search(r'<form class="toolbar".*?</form>', page, re.S).group(0)

    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert hidden == {"q": "گلیم", "city": KERMAN, "per_page": "2"}


# -- pagination --------------------------------------------------------------------------


def test_pagination_with_a_small_page_size(client, catalogue):
    # Given six listings and two per page
    newest = list(reversed(catalogue.values()))
    seen = []
    url = "/search?sort=newest&per_page=2"
    for number in (1, 2, 3):
        # When following the «next» links
        page = page_of(client, url)
        assert f"صفحه {to_persian(number)} از ۳" in page
        seen += result_ids(page)
        assert len(result_ids(page)) == 2
        assert ('rel="prev"' in page) == (number > 1)
        next_link = re.search(r'rel="next" href="([^"]+)"', page)
        assert (next_link is not None) == (number < 3)
        if next_link:
            url = html.unescape(next_link.group(1))
            assert args_of(url) == {"sort": "newest", "per_page": "2", "page": str(number + 1)}
    # Then every listing is shown once, in order
    assert seen == newest
    # And a page past the end is empty, not an error
    page = page_of(client, "/search?per_page=2&page=9")
    assert result_ids(page) == [] and NOTHING_MATCHED in page


def to_persian(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_persian_digits_in_page_and_per_page_are_accepted(client, catalogue):
    assert result_ids(page_of(client, "/search?sort=newest&per_page=۲&page=۲")) == result_ids(
        page_of(client, "/search?sort=newest&per_page=2&page=2")
    )
    assert len(result_ids(page_of(client, "/search?per_page=٣"))) == 3


# -- did you mean, empty state -----------------------------------------------------------


def test_did_you_mean_links_to_the_corrected_search(client, catalogue):
    # Given listings with «گلیم» in their titles
    # When searching the misspelling «گلیمم»
    page = page_of(client, "/search?q=گلیمم&city=کرمان")
    # Then nothing is found, and a link offers «گلیم» with the other filters kept
    assert result_ids(page) == []
    block = re.search(r'<p class="did-you-mean">(.*?)</p>', page, re.S)
    assert block is not None and DID_YOU_MEAN in block.group(1)
    href = html.unescape(re.search(r'href="([^"]+)"', block.group(1)).group(1))
    assert args_of(href) == {"q": "گلیم", "city": KERMAN}
    assert "<strong>گلیم</strong>" in block.group(1)
    assert len(result_ids(page_of(client, href))) == 3
    # And a query that finds listings offers no correction
    assert 'class="did-you-mean"' not in page_of(client, "/search?q=گلیم")


def test_did_you_mean_in_english(client, catalogue):
    client.set_cookie("lang", "en")
    page = page_of(client, "/search?q=چرمم")

    assert re.search(
        r'<p class="did-you-mean">Did you mean <a href="[^"]+"><strong>چرمی</strong>', page
    )


def test_nothing_found_shows_a_clear_empty_state(client, catalogue):
    page = page_of(client, "/search?q=هواپیما")

    assert result_ids(page) == []
    assert NOTHING_MATCHED in page
    assert 'href="/search"' in page  # «see all handicrafts»
    assert 'class="did-you-mean"' not in page


def test_nothing_found_offers_the_categories_instead_of_sort_and_filters(client, catalogue):
    page = page_of(client, "/search?q=هواپیما")

    # No sort menu and no (empty) filters box for nothing
    assert 'id="search-sort"' not in page
    assert 'class="facets"' not in page and 'id="search-filters"' not in page
    # The top-level categories instead, as links to their pages
    block = re.search(r'<ul class="category-links"[^>]*>(.*?)</ul>', page, re.S)
    assert block is not None
    links = re.findall(r'<a href="(/categories/[^"]+)">([^<]+)</a>', block.group(1))
    assert ("/categories/carpets-rugs", "فرش و زیرانداز") in links
    assert ("/categories/leather", "چرم دست\u200cدوز") in links
    for href, _ in links:
        assert page_of(client, href)
    client.set_cookie("lang", "en")
    page = page_of(client, "/search?q=هواپیما")
    assert "Or browse a category:" in page
    assert '<a href="/categories/leather">Leather goods</a>' in page


def test_the_filters_are_folded_without_script_and_the_sort_menu_works_alone(client, catalogue):
    page = page_of(client, "/search?q=گلیم")

    # The facets are inside a «Filters» disclosure that is closed in the HTML (a phone
    # without script sees the results first; search.js opens it on a wide screen)
    details = re.search(r'<details class="filters" id="search-filters"( open)?>', page)
    assert details is not None and details.group(1) is None
    assert re.search(r'<summary id="search-filters-title">فیلترها</summary>', page)
    # Only facets with values are shown: nobody here is in a cooperative
    assert "<h2>تعاونی</h2>" not in page and "<h2>شهر</h2>" in page
    # The sort menu says it may send itself, and keeps its button for when it cannot
    form = re.search(r'<form class="toolbar".*?</form>', page, re.S).group(0)
    assert re.search(r'<select id="search-sort" name="sort" data-autosubmit>', form)
    assert '<button class="button small" type="submit">مرتب\u200cسازی</button>' in form
    # A selected filter is counted on the folded button
    page = page_of(client, f"/search?q=گلیم&city={KERMAN}&price_band=5m-20m")
    assert '<summary id="search-filters-title">فیلترها <span class="count">(۲)</span>' in page


def test_search_on_an_empty_shop(client):
    page = page_of(client, "/search?q=گلیم")

    assert NOTHING_MATCHED in page


# -- words written joined, with a half-space or apart; the adjectival «ی» ---------------


@cached_fixture
def crafts(factory):
    """Tableau rugs and embroidery written the three ways, and leather with and without «ی»."""
    producer = factory.producer(shop_name="کارگاه نمونه")
    titles = {
        "tableau_joined": "تابلوفرش گل و مرغ",
        "tableau_zwnj": "تابلو\u200cفرش منظره",
        "tableau_spaced": "تابلو فرش چهره",
        "embroidery_zwnj": "رومیزی سوزن\u200cدوزی",
        "embroidery_spaced": "کوسن سوزن دوزی",
        "leather": "کیف چرم طبیعی",
        "leathery": "کیف چرمی دوشی",
    }
    made = {
        key: factory.listing(producer, title=title, category="garments", photos=0)
        for key, title in titles.items()
    }
    finish(list(made.values()), {})
    return {key: product.id for key, product in made.items()}


def test_a_compound_typed_three_ways_gives_the_same_results(client, crafts):
    tableaux = sorted(crafts[k] for k in ("tableau_joined", "tableau_zwnj", "tableau_spaced"))
    for query in ["تابلوفرش", "تابلو\u200cفرش", "تابلو فرش", "تابلو‌فرشها"]:
        page = page_of(client, f"/search?q={query}")
        assert sorted(result_ids(page)) == tableaux, query
        assert "<span>۳ نتیجه</span>" in page, query


def test_the_page_marks_the_spaced_compound_and_the_adjective(client, crafts):
    page = page_of(client, "/search?q=تابلوفرش")
    assert "<mark>تابلو فرش</mark> چهره" in page
    assert "<mark>تابلو\u200cفرش</mark> منظره" in page
    # «کیف چرمی» finds the bag that says «چرم», and marks it
    page = page_of(client, "/search?q=کیف چرمی")
    assert sorted(result_ids(page)) == sorted([crafts["leather"], crafts["leathery"]])
    assert "<mark>کیف</mark> <mark>چرم</mark> طبیعی" in page
    assert "<mark>کیف</mark> <mark>چرمی</mark> دوشی" in page


def test_suggestions_keep_the_half_space_the_titles_use(client, crafts):
    data = client.get("/search/suggest", query_string={"q": "سوزن"}).get_json()
    assert data["suggestions"] == ["سوزن", "سوزن\u200cدوزی"]  # one title each: in order
    data = client.get("/search/suggest", query_string={"q": "كوسن سوزند"}).get_json()
    assert data["suggestions"] == ["کوسن سوزن\u200cدوزی"]


# -- the header search box ---------------------------------------------------------------


def test_the_header_search_box_is_on_every_page(client, catalogue):
    for url, status in [
        ("/", 200),
        ("/search", 200),
        ("/search?q=گلیم", 200),
        (f"/products/{catalogue['kilim']}", 200),
        ("/categories/kilim", 200),
        ("/no-such-page", 404),
        ("/search?page=abc", 400),
    ]:
        page = page_of(client, url, status)
        box = re.search(
            r'<form class="search-box" role="search"[^>]*action="/search">.*?</form>', page, re.S
        )
        assert box is not None, url
        form = box.group(0)
        assert re.search(r'<input id="search-q" name="q" type="search"', form), url
        assert 'role="combobox"' in form and 'aria-controls="search-suggestions"' in form, url
        assert 'data-suggest-url="/search/suggest"' in form, url
    # On the search page it keeps the query
    page = page_of(client, "/search?q=گلیم")
    assert re.search(r'<input id="search-q" name="q" type="search" value="گلیم"', page)


# -- suggestions -------------------------------------------------------------------------


def test_suggest_completes_the_last_word(client, catalogue):
    response = client.get("/search/suggest?q=گل")

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {"query": "گل", "suggestions": ["گلیم"]}
    # The words before the last are kept
    data = client.get("/search/suggest?q=گلیم قش").get_json()
    assert data == {"query": "گلیم قش", "suggestions": ["گلیم قشقایی"]}
    # Arabic letters and upper case complete the same words
    assert client.get("/search/suggest?q=كي").get_json()["suggestions"] == ["کیف"]
    assert client.get("/search/suggest?q=HAND").get_json()["suggestions"] == ["handwoven"]


def test_suggest_for_an_empty_or_odd_query(client, catalogue):
    for url in ["/search/suggest", "/search/suggest?q=", "/search/suggest?q=%20%20"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_json() == {"query": "", "suggestions": []}, url
    # Odd input never fails
    for query in [
        "گ" * 1000,
        "a" * 1000,
        "*",
        '"گلیم',
        "گل*",
        "title:گ",
        "'; DROP TABLE x; --",
        "٪",
    ]:
        response = client.get("/search/suggest", query_string={"q": query})
        assert response.status_code == 200, query
        data = response.get_json()
        assert len(data["query"]) <= 100 and isinstance(data["suggestions"], list), query
        assert len(data["suggestions"]) <= 8, query


# -- bad input ---------------------------------------------------------------------------

ODD_QUERIES = [
    "",
    "گ" * 1000,
    "گلیم " * 200,
    '"گلیم',
    "*",
    "title:گلیم",
    "گلیم AND چرم",
    "NOT گلیم",
    "گل*",
    "گلیم~",
    "'; DROP TABLE products; --",
    "( ) [ ] { } ^ ~ : \\",
    "\u200c\u200f",
]


def test_odd_queries_give_a_page_not_an_error(client, catalogue):
    for query in ODD_QUERIES:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, query
        assert len(result_ids(response.get_data(as_text=True))) <= 24, query
    # A 1,000-character query is cut short and still searched
    assert len(result_ids(page_of(client, "/search?q=" + "گلیم " * 200))) == 4


def test_odd_queries_find_sensible_results(client, catalogue):
    kilims = sorted(catalogue[k] for k in ("kilim", "small_kilim", "rug", "kerman_kilim"))
    for query in ['"گلیم', 'گلیم"', "گلیم~", "گلیم*", "(گلیم)", "+گلیم"]:
        found = sorted(result_ids(page_of(client, f"/search?q={query}")))
        assert found == kilims, query
    # A field name is a plain word («title»), «AND» a stop word: every other word must match
    for query in ["title:گلیم", "گلیم AND چرم"]:
        assert result_ids(page_of(client, f"/search?q={query}")) == [], query
    # «*» and an empty query list everything
    assert len(result_ids(page_of(client, "/search?q=*"))) == 6
    # «NOT» is a word, not an operator
    assert result_ids(page_of(client, "/search?q=NOT گلیم")) == []
    # an SQL-looking query is only words; the listings are still there afterwards
    assert result_ids(page_of(client, "/search?q='; DROP TABLE products; --")) == []
    assert len(result_ids(page_of(client, "/search"))) == 6


def test_unknown_facet_values_give_no_results(client, catalogue):
    for url in ["/search?city=nowhere", "/search?category=nope", "/search?cooperative=nope"]:
        page = page_of(client, url)
        assert result_ids(page) == [] and NOTHING_MATCHED in page, url


BAD_ARGUMENTS = [
    ("page=-1", "page"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=1001", "page"),
    ("per_page=51", "per_page"),
    ("per_page=0", "per_page"),
    ("min_price=-5", "min_price"),
    ("max_price=abc", "max_price"),
    ("min_price=1.5", "min_price"),
    ("min_price=10&max_price=5", "min_price"),
    ("sort=cheapest", "sort"),
    ("in_stock=maybe", "in_stock"),
]


def test_bad_arguments_give_400_with_a_message_naming_them(client):
    for query, named in BAD_ARGUMENTS:
        # When an argument cannot be used
        page = page_of(client, f"/search?q=گلیم&{query}", 400)
        # Then the error page says which
        message = re.search(r'<section class="error-page">.*?<h1>(.*?)</h1>', page, re.S)
        assert named in html.unescape(message.group(1)), query


def test_bad_band_and_availability_give_400(client):
    for query in ["price_band=cheap", "availability=soon"]:
        page = page_of(client, f"/search?{query}", 400)
        assert 'class="error-page"' in page, query


def test_unicode_digits_int_cannot_read_give_400(client):
    page_of(client, "/search?page=²", 400)


# -- degraded mode: the index cannot answer ----------------------------------------------


def remove_index(app):
    (Path(app.config["SHOP_SEARCH_INDEX_DIR"]) / "CURRENT").unlink()


def test_without_an_index_the_page_answers_from_the_database(app, client, catalogue):
    remove_index(app)

    page = page_of(client, "/search?q=قشقایی&sort=price_asc")

    assert 'class="flash flash-warning"' in page
    assert '<aside class="facets"' not in page
    assert result_ids(page) == [catalogue["small_kilim"], catalogue["bag"], catalogue["kilim"]]


def test_without_an_index_the_price_band_still_filters(app, client, catalogue):
    remove_index(app)

    page = page_of(client, "/search?price_band=5m-20m")

    assert sorted(result_ids(page)) == sorted([catalogue["rug"], catalogue["kerman_kilim"]])


# -- no N+1 ------------------------------------------------------------------------------


def make_listings(factory, count):
    producer = factory.producer()
    cooperative = factory.cooperative(name="Naqsh Cooperative")
    other = factory.producer(cooperative=cooperative)
    for number in range(count):
        factory.listing(producer if number % 2 else other, title=f"گلیم نمونه {number}", photos=1)


def test_the_search_page_runs_a_fixed_number_of_queries(client, factory, count_queries):
    # Given twelve listings with photos, from producers with and without a cooperative
    make_listings(factory, 12)
    client.get("/search?q=گلیم")  # warm up: the searcher is opened once
    counts = {}
    for shown in (2, 12):
        # When the search page shows 2, then 12 results
        with count_queries() as counter:
            page = page_of(client, f"/search?q=گلیم&per_page={shown}")
        assert len(result_ids(page)) == shown
        counts[shown] = counter.count
    # Then it runs the same, small number of SQL queries
    assert counts[2] == counts[12] <= 8, counts
