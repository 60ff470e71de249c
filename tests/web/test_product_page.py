"""The product page: the gallery without script (?photo=n), its link-preview tags, and seller
text that keeps its own direction on a page of the other language."""

from __future__ import annotations

import pytest

from shop.extensions import db
from shop.listings.models import Product
from tests.browser.site import DIMENSIONS, ENGLISH_DESCRIPTION, build_site
from tests.snapshots import cached_fixture
from tests.web.markup import parse, unisolated_texts


def translated(app, message: str, lang: str = "fa", **variables) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        return gettext(message, **variables)


@cached_fixture
def site(factory):
    return build_site(factory.app)


def rug(site) -> Product:
    return db.session.get(Product, site.ids["rug"])


def media_url(image, width: int, host: str = "") -> str:
    return f"{host}/media/{image.key}-{width}.webp"


def gallery(html: str):
    root = parse(html)
    main = root.find("img", class_="gallery-main")
    links = root.find(class_="thumbs").find_all("a")
    return main, links


def test_each_thumbnail_links_to_the_page_with_that_photo_large(app, client, site):
    product = rug(site)
    images = [photo.image for photo in product.photos]
    assert len(images) == 3

    main, links = gallery(client.get(f"/products/{product.id}").text)
    assert main.attrs["src"] == media_url(images[0], 800)
    assert [a.attrs["href"] for a in links] == [
        f"/products/{product.id}?photo={n}" for n in (1, 2, 3)
    ]
    assert [a.attrs.get("aria-current") for a in links] == ["true", None, None]
    assert [a.attrs["data-src"] for a in links] == [media_url(i, 800) for i in images]
    # A thumbnail never points at the bare picture file any more.
    assert all(".webp" not in a.attrs["href"] for a in links)
    # Each link is named by its picture's text.
    alts = [
        translated(app, "Photo %(n)s of %(title)s", n=n, title=product.title)
        for n in ("۱", "۲", "۳")
    ]
    assert [a.find("img").attrs["alt"] for a in links] == alts

    response = client.get(f"/products/{product.id}?photo=2")
    assert response.status_code == 200
    main, links = gallery(response.text)
    assert main.attrs["src"] == media_url(images[1], 800)
    assert main.attrs["srcset"].startswith(media_url(images[1], 320) + " 320w")
    assert main.attrs["alt"] == alts[1]
    assert [a.attrs.get("aria-current") for a in links] == [None, "true", None]

    # Persian digits are read as well.
    main, _ = gallery(client.get(f"/products/{product.id}?photo=۳").text)
    assert main.attrs["src"] == media_url(images[2], 800)


@pytest.mark.parametrize("photo", ["0", "4", "-1", "abc", "", "9" * 400, "1.5", "٢x"])
def test_a_photo_number_that_is_not_one_of_the_photos_is_ignored(client, site, photo):
    product = rug(site)
    response = client.get(f"/products/{product.id}", query_string={"photo": photo})
    assert response.status_code == 200
    main, links = gallery(response.text)
    assert main.attrs["src"] == media_url(product.photos[0].image, 800)
    assert [a.attrs.get("aria-current") for a in links] == ["true", None, None]


def meta(html: str) -> dict[str, str]:
    head = parse(html).find("head")
    found = {}
    for node in head.find_all("meta"):
        key = node.attrs.get("property") or node.attrs.get("name")
        if key:
            assert key not in found or key == "og:locale:alternate", f"{key} twice"
            found[key] = node.attrs.get("content")
    return found


@pytest.mark.parametrize(
    ("lang", "locale", "alternate", "price"),
    [("fa", "fa_IR", "en_US", "۲۵۰٬۰۰۰ تومان"), ("en", "en_US", "fa_IR", "250,000 toman")],
)
def test_a_shared_product_link_shows_its_photo_title_and_price(
    client, site, lang, locale, alternate, price
):
    product = rug(site)
    client.set_cookie("lang", lang)
    html = client.get(f"/products/{product.id}?photo=2").text
    tags = meta(html)
    summary = f"{price} · کارگاه تابلوفرش زهرا · {ENGLISH_DESCRIPTION}"
    assert tags == {
        "viewport": "width=device-width, initial-scale=1",
        "description": summary,
        "og:site_name": "دسترنج" if lang == "fa" else "Dastranj",
        "og:type": "product",
        "og:title": "تابلوفرش گل و مرغ",
        "og:description": summary,
        "og:url": f"http://localhost/products/{product.id}",
        "og:locale": locale,
        "og:locale:alternate": alternate,
        "og:image": media_url(product.cover, 1600, "http://localhost"),
        "og:image:type": "image/webp",
        "og:image:width": "1600",
        "og:image:height": "1200",
        "product:price:amount": "2500000",
        "product:price:currency": "IRR",
        "twitter:card": "summary_large_image",
    }
    with client.get(tags["og:image"].removeprefix("http://localhost")) as picture:
        assert (picture.status_code, picture.mimetype) == (200, "image/webp")
    canonical = parse(html).find("link", rel="canonical")
    assert canonical.attrs["href"] == f"/products/{product.id}"


def test_the_description_is_cut_at_a_word_for_a_long_description(client, site, factory):
    from shop.database import transaction
    from shop.text import render_description

    product = rug(site)
    with transaction():
        product.description_html = render_description("واژه " * 100, as_markdown=False)
    tags = meta(client.get(f"/products/{product.id}").text)
    assert len(tags["og:description"]) <= 203
    assert tags["og:description"].endswith("واژه...")
    assert tags["description"] == tags["og:description"]


def test_seller_text_keeps_its_own_direction_on_the_product_page(client, site):
    product = rug(site)
    for lang in ("fa", "en"):
        client.set_cookie("lang", lang)
        root = parse(client.get(f"/products/{product.id}").text)
        texts = [
            product.title,
            "Wool, silk",
            "کارگاه تابلوفرش زهرا",
            "Tableau rugs since 2015.",
            ENGLISH_DESCRIPTION,
            "مرکز رویش طلاب",
            "تعاونی بانوان نقش",
        ]
        assert unisolated_texts(root.find("main"), texts) == [], lang
        description = root.find(class_="description").find(class_="user-text")
        assert description.attrs["dir"] == "auto"
        assert description.text == f"{ENGLISH_DESCRIPTION}"


def test_a_latin_measurement_is_isolated_so_it_reads_in_its_own_order(client, site):
    product = rug(site)
    root = parse(client.get(f"/products/{product.id}").text)
    measure = root.find(class_="measure")
    assert measure.tag == "bdi"
    assert measure.text == "۸۰ × ۲۵۰ cm"
    client.set_cookie("lang", "en")
    measure = parse(client.get(f"/products/{product.id}").text).find(class_="measure")
    assert measure.text == DIMENSIONS
