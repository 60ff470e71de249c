"""The public /impact page: a few figures per city and centre for anyone, with no name of a
person or a shop, no e-mail and no one producer's income; kept for SHOP_IMPACT_CACHE_SECONDS
(figures on the server, the page in shared caches for visitors)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.database import transaction
from shop.extensions import db
from shop.orders.models import Order
from shop.producers.models import Producer
from shop.reports import impact
from tests.payouts.conftest import sell_cash

SHOPS = ("کارگاه مریم", "چرم فاطمه", "گلیم زهرا")


@pytest.fixture(autouse=True)
def fresh_cache():
    impact.clear_public_cache()
    yield
    impact.clear_public_cache()


@pytest.fixture
def makers(factory):
    """Three producers of one centre in Mashhad who each sold a kilim, and one of another
    centre in Bushehr who sold nothing."""
    tollab = factory.centre(name="مرکز رویش طلاب", city="مشهد")
    sangi = factory.centre(name="مرکز رویش سنگی", city="بوشهر")
    sellers = [
        factory.producer(user=factory.user(name="Maryam"), centre=tollab, shop_name=name)
        for name in SHOPS
    ]
    for seller in sellers:
        sell_cash(factory, seller, price=300_000)
    quiet = factory.producer(centre=sangi, shop_name="سفال بی‌فروش")
    return tollab, sangi, sellers, quiet


def english(client):
    client.post("/language/en", data={"next": "/"})


def test_anyone_sees_figures_per_city_and_centre(client, makers):
    english(client)

    response = client.get("/impact")

    assert response.status_code == 200
    page = response.text
    assert "مرکز رویش طلاب" in page and "مرکز رویش سنگی" in page and "بوشهر" in page
    assert "Producers selling now" in page and "Orders in" in page


def test_the_page_carries_no_personal_data(client, makers, factory):
    _, _, sellers, quiet = makers
    english(client)

    page = client.get("/impact").text

    for producer in [*sellers, quiet]:
        assert producer.shop_name not in page
        assert producer.user.email not in page
        assert producer.user.display_name not in page
        assert producer.slug not in page
    orders = db.session.scalars(select(Order)).all()
    for order in orders:
        assert order.recipient not in page and order.number not in page
        assert order.mobile not in page and order.buyer.email not in page
        for line in order.lines:
            assert line.title not in page
    assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_amount_is_shown_only_where_three_producers_earned(client, makers):
    english(client)

    page = client.get("/impact").text

    by_centre = page.split('id="by-centre"', 1)[1]
    tollab_row = by_centre.split("مرکز رویش طلاب", 1)[1].split("</tr>", 1)[0]
    sangi_row = by_centre.split("مرکز رویش سنگی", 1)[1].split("</tr>", 1)[0]
    assert " toman" in tollab_row  # three producers earned here
    assert " toman" not in sangi_row and "not shown" in sangi_row


def test_a_new_sale_shows_only_once_the_cache_is_cleared(client, makers, factory):
    _, _, sellers, _ = makers
    english(client)
    before = client.get("/impact").text

    sell_cash(factory, sellers[0], price=400_000)
    kept = client.get("/impact").text
    impact.clear_public_cache()
    after = client.get("/impact").text

    assert kept == before
    assert after != before
    assert headline(before, "Orders, all time") == "3"
    assert headline(after, "Orders, all time") == "4"


def test_the_figures_are_computed_again_once_they_are_old(
    app, client, makers, factory, monkeypatch
):
    _, _, sellers, _ = makers
    english(client)
    clock = [1_000.0]
    monkeypatch.setattr(impact.time, "monotonic", lambda: clock[0])
    before = client.get("/impact").text
    sell_cash(factory, sellers[1], price=400_000)

    clock[0] += app.config["SHOP_IMPACT_CACHE_SECONDS"] - 1
    still = client.get("/impact").text
    clock[0] += 2
    later = client.get("/impact").text

    assert headline(before, "Orders, all time") == headline(still, "Orders, all time") == "3"
    assert headline(later, "Orders, all time") == "4"


def test_each_language_is_kept_on_its_own(client, makers):
    persian = client.get("/impact").text
    english(client)
    in_english = client.get("/impact").text

    assert '<html lang="fa" dir="rtl">' in persian
    assert '<html lang="en" dir="ltr">' in in_english and "Our impact" in in_english
    assert set(impact._public_cache) == {"fa", "en"}


def test_a_visitors_page_may_be_kept_by_shared_caches(app, client, makers):
    response = client.get("/impact")

    seconds = app.config["SHOP_IMPACT_CACHE_SECONDS"]
    assert response.headers["Cache-Control"] == f"public, max-age={seconds}"
    assert "Cookie" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    assert "csrf_token" not in response.text
    assert "<form" not in response.text.split("<main", 1)[1]


def test_a_signed_in_persons_page_is_never_kept(client, login_as, makers, factory):
    login_as(factory.user())

    response = client.get("/impact")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_page_showing_a_message_once_is_never_kept(client, login_as, makers, factory):
    login_as(factory.user())
    client.post("/logout")  # "You are signed out" waits to be shown on the next page

    response = client.get("/impact")

    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/impact").headers["Cache-Control"].startswith("public")


def test_the_footer_links_to_the_public_page(client, makers):
    assert 'href="/impact"' in client.get("/").text


def headline(page: str, label: str) -> str:
    """The headline figure named ``label`` on the English page."""
    headlines = page.split('id="headline"', 1)[1].split("</dl>", 1)[0]
    return headlines.split(f"<dt>{label}</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_only_cities_with_approved_producers_are_named(client, factory):
    factory.producer(shop_name="کارگاه")
    applicant = factory.producer(approved=False, shop_name="متقاضی")
    with transaction():
        db.session.get(Producer, applicant.id).city = "کرمان"
    english(client)

    page = client.get("/impact").text

    cities = page.split('id="by-city"', 1)[1].split("</table>", 1)[0]
    assert "مشهد" in cities and "کرمان" not in page
