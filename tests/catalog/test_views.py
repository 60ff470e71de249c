"""Public catalogue pages: what is shown, sorting, pagination, and a fixed number of queries."""

import re

import pytest

from shop.database import transaction
from shop.listings.services import pause_listing


@pytest.fixture
def shop_with(factory):
    manager = factory.user(email="m@example.com")
    cooperative = factory.cooperative(manager=manager)
    centre = factory.centre()

    def build(count):
        producers = [factory.producer(centre=centre, cooperative=cooperative) for _ in range(2)]
        return (
            [
                factory.listing(
                    producers[n % 2], title=f"گلیم شماره {n}", price=(n + 1) * 100_000, photos=2
                )
                for n in range(count)
            ],
            cooperative,
            centre,
        )

    return build


def test_only_active_listings_of_approved_producers_are_shown(client, factory):
    producer = factory.producer()
    active = factory.listing(producer, title="فعال")
    paused = factory.listing(producer, title="متوقف")
    with transaction():
        pause_listing(producer, paused)
    factory.listing(producer, title="در انتظار بررسی", active=False)

    html = client.get("/categories/kilim").text

    assert "فعال" in html
    assert "متوقف" not in html and "در انتظار بررسی" not in html
    assert client.get(f"/products/{active.id}").status_code == 200


def test_sorting_by_price(client, shop_with):
    shop_with(3)

    cheap_first = client.get("/categories/kilim?sort=price_asc").text
    dear_first = client.get("/categories/kilim?sort=price_desc").text

    titles = re.findall(r'class="title"[^>]*>([^<]+)<', cheap_first)
    assert titles == ["گلیم شماره 0", "گلیم شماره 1", "گلیم شماره 2"]
    assert re.findall(r'class="title"[^>]*>([^<]+)<', dear_first) == titles[::-1]


def test_pagination(app, client, shop_with):
    app.config["SHOP_PAGE_SIZE"] = 2
    shop_with(5)

    last = client.get("/categories/kilim?page=3").text

    assert len(re.findall(r'class="title"', last)) == 1
    assert "۳" in last  # page numbers in Persian digits
    assert client.get("/categories/kilim?page=0").status_code == 400
    assert client.get("/categories/kilim?page=x").status_code == 400


@pytest.mark.parametrize("path", ["/categories/kilim", "/search", "/search?q=گلیم"])
def test_an_unknown_sort_gets_the_same_400_on_browsing_and_search_pages(client, factory, path):
    joiner = "&" if "?" in path else "?"

    response = client.get(f"{path}{joiner}sort=bogus")

    assert response.status_code == 400
    assert "ترتیب" in response.text  # "There is no such sort order…", in Persian


def test_product_page_shows_brand_price_and_stock(client, factory):
    centre = factory.centre()
    producer = factory.producer(shop_name="گلیم‌بافی نرگس", centre=centre)
    producer.tagline = "گره به گره با عشق"
    product = factory.listing(producer, price=12_000_000, stock=4)

    html = client.get(f"/products/{product.id}").text

    assert "۱٬۲۰۰٬۰۰۰ تومان" in html
    assert "گلیم‌بافی نرگس" in html and "گره به گره با عشق" in html
    assert centre.name in html
    assert "۴" in html
    assert f"--brand: {producer.color_primary}" in html


def test_unknown_pages_get_404_in_persian(client, ctx):
    response = client.get("/categories/nothing")

    assert response.status_code == 404
    assert 'dir="rtl"' in response.text
    assert client.get("/products/999").status_code == 404
    assert client.get("/shops/nobody").status_code == 404
    assert client.get("/cooperatives/nothing").status_code == 404
    assert client.get("/centres/nothing").status_code == 404


def test_pages_load_nothing_from_other_sites(client, shop_with):
    products, _cooperative, _centre = shop_with(2)

    for url in ["/", "/categories/kilim", f"/products/{products[0].id}"]:
        html = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_language_switch_persists(client, ctx):
    response = client.post("/language/en", data={"next": "/categories/kilim"})

    assert response.status_code == 303 and response.headers["Location"] == "/categories/kilim"
    html = client.get("/categories/kilim").text
    assert '<html lang="en" dir="ltr">' in html
    assert client.post("/language/xx", data={"next": "/"}).status_code == 303
    assert '<html lang="en" dir="ltr">' in client.get("/").text


def _count(client, count_queries, url):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize("page", ["home", "category", "shop", "product", "cooperative", "centre"])
def test_query_count_does_not_grow_with_products(client, shop_with, count_queries, page):
    few, cooperative, centre = shop_with(2)
    producer = few[0].producer
    urls = {
        "home": "/",
        "category": "/categories/carpets-rugs",
        "shop": f"/shops/{producer.slug}",
        "product": f"/products/{few[0].id}",
        "cooperative": f"/cooperatives/{cooperative.slug}",
        "centre": f"/centres/{centre.slug}",
    }
    small = _count(client, count_queries, urls[page])

    shop_with(12)
    large = _count(client, count_queries, urls[page])

    assert large == small
    assert small <= 10
