"""The footer's pages, the favicon, link previews of shops and cooperatives, sort menus, and
seller text that keeps its own direction on every page that shows it."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask_babel import force_locale, gettext

from shop.cooperatives.models import Cooperative
from shop.extensions import db
from shop.producers.models import Producer
from tests.browser.site import EMAILS, build_site
from tests.conftest import login
from tests.snapshots import cached_fixture
from tests.web.markup import parse, unisolated_texts

PAGES = {
    "/about": "About Dastranj",
    "/contact": "Contact and support",
    "/terms": "Terms of use",
    "/privacy": "Privacy",
}


@cached_fixture
def site(factory):
    return build_site(factory.app)


def translated(app, message: str, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(message)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_page_has_a_footer_with_about_contact_terms_privacy_and_impact(
    app, client, site, lang
):
    client.set_cookie("lang", lang)
    for url in ["/", f"/products/{site.ids['rug']}", "/login", "/products/999999999"]:
        footer = parse(client.get(url).text).find("footer")
        links = footer.find("nav").find_all("a")
        assert [a.attrs["href"] for a in links] == [*PAGES, "/impact"], url
        assert [a.text for a in links] == [
            translated(app, text, lang)
            for text in ("About us", "Contact and support", "Terms of use", "Privacy", "Our impact")
        ]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_footer_pages_say_who_runs_the_site_how_to_reach_it_and_the_rules(
    app, client, site, lang
):
    client.set_cookie("lang", lang)
    for url, title in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        root = parse(response.text)
        assert root.find("h1").text == translated(app, title, lang), url
        article = root.find("article", class_="prose")
        assert len(article.find_all("h2")) >= 3, url
        assert len(article.text) > 900, url
    contact = parse(client.get("/contact").text)
    mail = contact.find("a", href="mailto:support@dastranj.test")
    assert mail.text == "support@dastranj.test"
    assert mail.attrs["dir"] == "ltr"


def test_the_support_address_comes_from_the_configuration(app, client, site):
    app.config["SHOP_SUPPORT_EMAIL"] = "help@example.org"
    app.config["SHOP_SUPPORT_PHONE"] = "+98 51 3000 0000"
    client.set_cookie("lang", "en")
    root = parse(client.get("/contact").text)
    assert root.find("a", href="mailto:help@example.org").text == "help@example.org"
    assert root.find("a", href="tel:+98 51 3000 0000").text == "+98 51 3000 0000"


def test_pages_have_a_favicon_and_a_description(client, site):
    head = parse(client.get("/").text).find("head")
    icon = head.find("link", rel="icon")
    assert icon.attrs == {
        "rel": "icon",
        "href": "/static/img/favicon.svg",
        "type": "image/svg+xml",
    }
    with client.get(icon.attrs["href"]) as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).startswith("<svg")
    description = head.find("meta", name="description").attrs["content"]
    assert description.startswith("فرش، گلیم") or description.startswith("Carpets")
    assert head.find("meta", property="og:type").attrs["content"] == "website"


def meta(html: str) -> dict[str, str]:
    head = parse(html).find("head")
    return {
        (n.attrs.get("property") or n.attrs.get("name")): n.attrs.get("content")
        for n in head.find_all("meta")
        if n.attrs.get("property") or n.attrs.get("name")
    }


def test_a_shared_shop_link_shows_its_banner_name_and_words(client, site):
    producer = db.session.scalars(db.select(Producer).filter_by(slug=site.slugs["shop"])).one()
    client.set_cookie("lang", "en")
    tags = meta(client.get(f"/shops/{producer.slug}?page=1").text)
    words = "Tableau rugs since 2015. — " + producer.story.replace("\n", " ")
    assert {k: v for k, v in tags.items() if k.startswith(("og:", "description"))} == {
        "description": words,
        "og:site_name": "Dastranj",
        "og:type": "profile",
        "og:title": "کارگاه تابلوفرش زهرا",
        "og:description": words,
        "og:url": f"http://localhost/shops/{quote(producer.slug)}",
        "og:locale": "en_US",
        "og:locale:alternate": "fa_IR",
        "og:image": f"http://localhost/media/{producer.banner.key}-1600.webp",
        "og:image:type": "image/webp",
        "og:image:width": "1600",
        "og:image:height": "400",
    }


def test_a_shared_cooperative_link_shows_its_banner_name_and_tagline(client, site):
    cooperative = db.session.scalars(
        db.select(Cooperative).filter_by(slug=site.slugs["cooperative"])
    ).one()
    tags = meta(client.get(f"/cooperatives/{cooperative.slug}").text)
    assert tags["og:title"] == "تعاونی بانوان نقش"
    assert tags["og:type"] == "profile"
    assert tags["og:locale"] == "fa_IR"
    story = cooperative.story.replace("\n", " ")
    assert tags["og:description"] == f"{cooperative.tagline} — {story}"
    assert tags["description"] == tags["og:description"]
    assert tags["og:url"] == f"http://localhost/cooperatives/{quote(cooperative.slug)}"
    # No banner of its own: the newest member's piece stands for it.
    assert tags["og:image"].startswith("http://localhost/media/")
    assert tags["og:image"].endswith(".webp")
    assert "product:price:amount" not in tags


def test_sort_menus_submit_themselves_when_script_runs(client, site):
    for url in [
        "/categories/carpets-rugs",
        f"/shops/{site.slugs['shop']}",
        f"/cooperatives/{site.slugs['cooperative']}",
        f"/centres/{site.slugs['centre']}",
    ]:
        form = parse(client.get(url).text).find("form", class_="toolbar")
        assert "data-autosubmit" in form.find("select", name="sort").attrs, url
        assert form.find("button").attrs["type"] == "submit", url  # kept for no script
    scripts = [s.attrs for s in parse(client.get("/").text).find("head").find_all("script")]
    assert {"src": "/static/js/app.js", "defer": None} in scripts


SELLER_TEXTS = [
    "کارگاه تابلوفرش زهرا",
    "Tableau rugs since 2015.",
    "We ship across Iran.",
    "تابلوفرش گل و مرغ",
    "Leather shoulder bag",
    "تعاونی بانوان نقش",
    "دست‌بافته‌های بانوان طلاب",
    "Handmade in Mashhad.",
    "مرکز رویش طلاب",
    "چرم‌دوزی نرگس",
]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_seller_text_keeps_its_own_direction_on_every_page(client, site, lang):
    client.set_cookie("lang", lang)
    pages = {
        None: [
            "/",
            "/categories/carpets-rugs",
            f"/shops/{site.slugs['shop']}",
            f"/cooperatives/{site.slugs['cooperative']}",
            f"/centres/{site.slugs['centre']}",
        ],
        "producer": ["/producer/", f"/producer/listings/{site.ids['paused']}/delete"],
        "manager": ["/cooperative/manage"],
        "admin": ["/admin/producers", "/admin/centres", "/admin/cooperatives"],
    }
    for role, urls in pages.items():
        if role is not None:
            client.post("/logout")
            assert login(client, EMAILS[role]).status_code == 303
            client.set_cookie("lang", lang)
        for url in urls:
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, url
            main = parse(response.text).find("main")
            assert unisolated_texts(main, SELLER_TEXTS) == [], url


def test_the_arrow_on_the_managers_page_points_the_way_the_line_reads(client, site):
    assert login(client, EMAILS["manager"]).status_code == 303
    html = client.get("/cooperative/manage", follow_redirects=True).text
    item = parse(html).find(class_="queue-item")
    assert "→" not in html and "←" not in html
    arrow = item.find(class_="to-arrow")
    assert arrow.tag == "span"
    # Said in words to a screen reader; drawn by the style sheet for the page's direction.
    assert arrow.find(class_="visually-hidden").text.strip() != ""
    with client.get("/static/css/app.css") as response:
        css = response.get_data(as_text=True)
    assert '.to-arrow::before { content: "→"; content: "→" / ""; }' in css
    assert '[dir="rtl"] .to-arrow::before { content: "←"; content: "←" / ""; }' in css
