"""Bad input from anyone, signed in or not, is a clear 4xx and changes nothing — never a 500:
numbers too long to convert in query strings and URLs, a price of only spaces, and the same
e-mail address registered several times at once."""

from __future__ import annotations

import contextlib
import re
import threading

import pytest
from sqlalchemy import event, func, select
from werkzeug.routing import IntegerConverter

from shop.accounts.models import User
from shop.extensions import db
from shop.listings.models import Product
from shop.money import to_ascii_digits
from shop.web import MAX_ID
from tests.conftest import form_errors

#: Python refuses to turn a string of more than 4,300 digits into an int (CVE-2020-10735).
HUGE = {
    "ascii": "9" * 4301,
    "persian": "۹" * 4301,
    "ten to the 4300": "1" + "0" * 4300,
    "arabic-indic": "٩" * 4301,
}
TOO_BIG_IDS = {
    # ids are INTEGER columns: 32 bits on PostgreSQL (64 on SQLite), so 2^31 is the first id
    # no table can hold on every database the shop runs on
    "2^31": str(2**31),
    "2^63": str(2**63),
    "2^64": str(2**64),
    "20 digits": "9" * 20,
    "4301 digits": "9" * 4301,
    "4301 persian digits": "۹" * 4301,
    "4302 characters, value 1": "0" * 4301 + "1",
}
SEARCH_ARGUMENTS = ["page", "per_page", "min_price", "max_price"]


def _heading(html: str) -> str:
    match = re.search(r"<h1>([^<]*)</h1>", html)
    return match.group(1) if match else ""


# --- numbers in query strings ---------------------------------------------------------------


@pytest.mark.parametrize("digits", HUGE.values(), ids=HUGE.keys())
@pytest.mark.parametrize("name", SEARCH_ARGUMENTS)
def test_a_huge_number_in_a_search_argument_is_a_400_in_persian(client, ctx, name, digits):
    response = client.get("/search", query_string={"q": "گلیم", name: digits})

    assert response.status_code == 400
    assert '<html lang="fa" dir="rtl">' in response.text
    assert _heading(response.text).startswith(f"مقدار {name} باید یک عدد صحیح از ")


@pytest.mark.parametrize("digits", HUGE.values(), ids=HUGE.keys())
@pytest.mark.parametrize("name", SEARCH_ARGUMENTS)
def test_a_huge_number_in_an_api_argument_is_a_json_400(client, ctx, name, digits):
    response = client.get("/api/v1/products", query_string={name: digits})

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400
    assert error["message"].startswith(f"مقدار {name} باید یک عدد صحیح از ")


def test_the_api_message_is_in_english_for_english_visitors(client, ctx):
    client.set_cookie("lang", "en")

    response = client.get("/api/v1/products", query_string={"per_page": HUGE["ascii"]})

    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "per_page must be a whole number from 1 to 50."
    )


@pytest.mark.parametrize("digits", HUGE.values(), ids=HUGE.keys())
def test_a_huge_page_number_on_a_category_page_is_a_400(client, ctx, digits):
    response = client.get("/categories/kilim", query_string={"page": digits})

    assert response.status_code == 400
    assert _heading(response.text) == "مقدار page باید یک عدد صحیح از ۱ تا ۱۰٬۰۰۰ باشد."


@pytest.mark.parametrize(
    ("url", "name"),
    [("/search", "page"), ("/api/v1/products", "per_page"), ("/categories/kilim", "page")],
)
def test_zeros_in_front_of_a_small_number_do_not_make_it_huge(client, ctx, url, name):
    # 4,301 characters, but the value is 1: read without handing int() 4,301 digits.
    response = client.get(url, query_string={name: "0" * 4300 + "1"})

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["per_page", "min_price", "max_price"])
def test_a_category_page_ignores_the_search_only_arguments(client, ctx, name):
    # A category page reads only ?page= and ?sort=; other arguments are not its business.
    response = client.get("/categories/kilim", query_string={name: HUGE["ascii"]})

    assert response.status_code == 200


# --- numbers in URLs: every route with an <int:…> part ----------------------------------------

_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _int_names(rule) -> list[str]:
    return [
        name
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules() if _int_names(rule)]


def _url(rule, bad_name: str, bad_value: str, good: dict[str, str]) -> str:
    def fill(match):
        converter, name = match.group(1), match.group(2)
        if name == bad_name:
            return bad_value
        if converter == "int":
            return good.get(name, "1")
        return good.get(name, "x")

    return _ARGUMENT.sub(fill, rule.rule)


@pytest.fixture
def signed_in_admin_producer(app, factory, login_as):
    """One account that is admin, approved producer and cooperative manager, so every role's
    route is open to it."""
    admin = factory.admin()
    producer = factory.producer(user=admin)
    factory.cooperative(manager=admin)
    product = factory.listing(producer)
    client = login_as(admin)
    good = {
        "product_id": str(product.id),
        "producer_id": str(producer.id),
        "photo_id": str(product.photos[0].id) if product.photos else "1",
        "image_id": str(product.photos[0].image_id) if product.photos else "1",
        "request_id": "1",
        "decision": "accept",
        "code": "en",
        "key": "x",
        "width": "320",
    }
    return client, good, product


def test_every_int_route_is_found(app):
    endpoints = {rule.endpoint for rule in _int_rules(app)}

    # the iteration really sees the routes of each kind (public, producer, admin, API, media)
    assert {"catalog.product", "api.product", "listings.edit_listing", "media.image"} <= endpoints
    assert any(endpoint.startswith("admin.") for endpoint in endpoints)
    assert len(endpoints) >= 15


def _beyond_the_converter(value: str) -> bool:
    digits = to_ascii_digits(value).lstrip("0")
    return len(digits) > len(str(MAX_ID)) or int(digits or "0") > MAX_ID


@pytest.mark.parametrize("value", TOO_BIG_IDS.values(), ids=TOO_BIG_IDS.keys())
def test_an_id_too_big_for_the_database_is_a_404_on_every_int_route(
    app, signed_in_admin_producer, value
):
    signed_in, good, product = signed_in_admin_producer
    anonymous = app.test_client()
    before = (db.session.scalar(select(func.count(Product.id))), product.status, product.title)
    # Past the converter's bound no route matches (404); within it, the view must refuse it
    # with a 4xx of its own (or send a visitor to sign in). A 5xx is never fine.
    no_route = _beyond_the_converter(value)
    checked = 0

    for rule in _int_rules(app):
        for name in _int_names(rule):
            url = _url(rule, name, value, good)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for who, client in (("anonymous", anonymous), ("signed in", signed_in)):
                    response = client.open(
                        url, method=method, data={} if method == "POST" else None
                    )

                    where = f"{who} {method} {rule.rule} ({name}={value[:25]}…)"
                    status = response.status_code
                    to_login = status == 302 and response.headers["Location"].startswith("/login")
                    if no_route:
                        assert status in (404, 405) or to_login, where
                    else:
                        assert 400 <= status < 500 or to_login, where
                    checked += 1

    assert checked >= 2 * 15
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (db.session.scalar(select(func.count(Product.id))), product.status, product.title) == (
        before
    )


def test_the_largest_id_still_reaches_the_view(client, ctx):
    # The largest id the converter lets through matches the route and is looked up: a 404
    # page from the view, not a database error.
    response = client.get(f"/products/{MAX_ID}")

    assert response.status_code == 404
    assert "<h1>" in response.text


# --- a price of only spaces ---------------------------------------------------------------


def _listing_form(factory, **overrides):
    data = {
        "title": "گلیم دستباف قشقایی",
        "category_id": str(factory.category("kilim").id),
        "description": "با پشم طبیعی",
        "description_format": "plain",
        "price": "۲٬۵۰۰٬۰۰۰",
        "stock_quantity": "۲",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("price", ["   ", "\t", " \n ", "\u00a0\u2003"])
def test_a_price_of_only_spaces_is_refused_under_the_price_field(client, factory, login_as, price):
    # Given an approved producer filling in a new listing
    producer = factory.producer()
    login_as(producer.user)

    # When the price is only spaces
    response = client.post("/producer/listings/new", data=_listing_form(factory, price=price))

    # Then the form comes back with one message, under the price field, and nothing is saved
    assert response.status_code == 400
    assert form_errors(response.text) == ["قیمت را وارد کنید."]
    assert 'id="price-error"' in response.text
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_the_empty_price_message_in_english(client, factory, login_as):
    producer = factory.producer()
    login_as(producer.user)
    client.set_cookie("lang", "en")

    response = client.post("/producer/listings/new", data=_listing_form(factory, price="   "))

    assert response.status_code == 400
    assert form_errors(response.text) == ["Enter the price."]
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_spaces_around_a_price_are_ignored(client, factory, login_as):
    producer = factory.producer()
    login_as(producer.user)

    response = client.post(
        "/producer/listings/new", data=_listing_form(factory, price="  ۱۲۰٬۰۰۰ ")
    )

    assert response.status_code == 303, form_errors(response.text)
    assert db.session.scalar(select(Product.price)) == 1_200_000


# --- the same e-mail registered several times at once ---------------------------------------

TAKEN_FA = "با این ایمیل نمی‌توان ثبت‌نام کرد. اگر ایمیل خودتان است، وارد حساب خود شوید."
RACERS = 5


def test_the_same_email_registered_five_times_at_once_makes_one_account(app, ctx):
    # Given five visitors, each with their own session and form token
    clients = [app.test_client() for _ in range(RACERS)]
    forms = [
        {
            "display_name": f"لیلا {n}",
            "email": "Leila@Example.com" if n % 2 else "leila@example.com",
            "password": "a good long password",
            "confirm": "a good long password",
            "csrf_token": client.csrf_token(),
        }
        for n, client in enumerate(clients)
    ]
    # Every request must have checked that the address is free before any inserts it: hold
    # each INSERT until all five are there (a request that never gets there breaks the wait).
    arrived = threading.Barrier(RACERS, timeout=15)

    def hold_insert(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO USERS"):
            with contextlib.suppress(threading.BrokenBarrierError):
                arrived.wait()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", hold_insert)
    results: list = [None] * RACERS

    def register(n):
        try:
            results[n] = clients[n].post(
                "/register", data=forms[n], environ_overrides={"REMOTE_ADDR": f"10.0.0.{n}"}
            )
        except Exception as exc:  # a 500 in testing propagates as the exception itself
            results[n] = exc

    # When they all register the same address at the same moment
    threads = [threading.Thread(target=register, args=(n,)) for n in range(RACERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(engine, "before_cursor_execute", hold_insert)

    # Then exactly one account exists, and the four others were told the address is taken
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303] + [400] * (RACERS - 1)
    for response in results:
        if response.status_code == 400:
            assert form_errors(response.text) == [TAKEN_FA]
            assert 'id="email-error"' in response.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert db.session.scalar(select(User.email)) == "leila@example.com"
