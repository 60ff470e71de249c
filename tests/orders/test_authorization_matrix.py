"""The authorization matrix: buyers and producers only ever see and act on their own carts,
orders, parcels and addresses. Every route that names someone's object by its id is tried by
every other kind of person: they get a 404 (a visitor is sent to sign in, a buyer to the shop
application) and the database is exactly as before; the owner, tried the same way, succeeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.cart import services as carts
from shop.cart.models import CartLine
from shop.cart.views import CART_KEY
from shop.database import transaction
from shop.extensions import db
from shop.orders import addresses
from shop.orders import services as orders
from shop.orders.models import Order, Parcel, ParcelStatus
from shop.orders.queries import ParcelGroup
from shop.orders.services import DeliveryAddress
from tests.conftest import count, login
from tests.orders.test_place_order import checkout
from tests.snapshots import cached_fixture

#: Each buyer's address: kept in their address book and used for their order. The recipient
#: and street appear on no page but the owner's (and their producer's), never in a URL.
ADDRESSES = {
    "A": DeliveryAddress(
        recipient="آیدا احمدی",
        mobile="09121234567",
        province="razavi-khorasan",
        city="مشهد",
        street_address="بلوار طلاب، کوچه آلاله",
        postal_code="9177948974",
    ),
    "B": DeliveryAddress(
        recipient="بهار بهرامی",
        mobile="09351112233",
        province="tehran",
        city="تهران",
        street_address="خیابان انقلاب، کوچه بنفشه",
        postal_code="1315713345",
    ),
}

#: Who asks: the two buyers, the producer selling to each, the admin, and a visitor who has
#: a cart of their own but has not signed in.
ACTORS = ("A", "B", "P", "Q", "admin", "visitor")

#: Whose private data each actor may see anywhere: P sells to A, Q to B.
SEES = {"A": {"A"}, "B": {"B"}, "P": {"A"}, "Q": {"B"}, "admin": {"A", "B"}, "visitor": set()}


def place(buyer, listing, key: str, address: DeliveryAddress) -> Order:
    """The one place this module builds an order: one of ``listing``, paid in cash."""
    with transaction():
        return orders.place_order(buyer, checkout({listing.id: 1}, key=key, address=address))


@cached_fixture
def scene(factory):
    """Buyer A with a cart line, a saved address and a cash order holding a parcel from P;
    buyer B likewise with Q; an admin; and a visitor's cart."""
    p, q = factory.producer(shop_name="کارگاه گلیم"), factory.producer(shop_name="کارگاه چرم")
    kilim = factory.listing(p, title="گلیم قشقایی", stock=5)
    bag = factory.listing(q, title="کیف چرمی", stock=5)
    a, b, admin = factory.user(), factory.user(), factory.admin()
    token = carts.new_token()
    with transaction():
        a_line = carts.add_to_cart(carts.cart_for_user(a), kilim.id)
        b_line = carts.add_to_cart(carts.cart_for_user(b), bag.id)
        visitor_line = carts.add_to_cart(carts.cart_for_token(token), bag.id)
        a_address = addresses.add_address(a, ADDRESSES["A"])
        b_address = addresses.add_address(b, ADDRESSES["B"])
    a_order = place(a, kilim, "checkout-a", ADDRESSES["A"])
    b_order = place(b, bag, "checkout-b", ADDRESSES["B"])
    return SimpleNamespace(
        users={"A": a, "B": b, "P": p.user, "Q": q.user, "admin": admin},
        producers={"P": p, "Q": q},
        kilim=kilim,
        bag=bag,
        lines={"A": a_line, "B": b_line, "visitor": visitor_line},
        addresses={"A": a_address, "B": b_address},
        orders={"A": a_order, "B": b_order},
        parcels={"A": a_order.parcels[0], "B": b_order.parcels[0]},
        visitor_token=token,
    )


def ids(s) -> dict[str, object]:
    """What the routes' URLs are filled with."""
    return {
        "a_line": s.lines["A"].id,
        "a_number": s.orders["A"].number,
        "a_parcel": s.parcels["A"].id,
        "b_number": s.orders["B"].number,
    }


def client_of(app, s, actor: str):
    client = app.test_client()
    if actor == "visitor":
        with client.session_transaction() as session:
            session[CART_KEY] = s.visitor_token
    else:
        assert login(client, s.users[actor].email).status_code == 303
    return client


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request changed nothing at all."""
    rows = {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()  # read afresh next time, and hold no transaction during a request
    return rows


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def leaked(text: str, actor: str) -> list[str]:
    """The private details of other people's addresses that ``text`` shows to ``actor``."""
    return [
        detail
        for owner, address in ADDRESSES.items()
        if owner not in SEES[actor]
        for detail in (address.recipient, address.street_address)
        if detail in text
    ]


# -- what each route answers to whom ---------------------------------------------------------

OK, NOT_FOUND, SIGN_IN, UNAUTHORIZED, NOT_A_SHOP = "ok", 404, "sign in", 401, "not a shop"

#: A buyer's web pages need a sign-in; the lookup is the buyer's own.
BUYERS_PAGE = {"B": NOT_FOUND, "P": NOT_FOUND, "Q": NOT_FOUND, "admin": NOT_FOUND}
#: A cart is the signed-in user's or the visitor's (by their token): a line of another's is
#: not found in it.
CART = {**BUYERS_PAGE, "visitor": NOT_FOUND}
#: The JSON API answers a visitor with a 401.
API = {**BUYERS_PAGE, "visitor": UNAUTHORIZED}
#: A producer's pages send a signed-in person without a shop to the shop application.
PRODUCERS_PAGE = {"Q": NOT_FOUND, "A": NOT_A_SHOP, "B": NOT_A_SHOP, "admin": NOT_A_SHOP}


def ship(s) -> None:
    with transaction():
        orders.ship_parcel(s.producers["P"], s.parcels["A"], "پست", "RR123456789IR")


def parcel_status(s) -> ParcelStatus:
    return fresh(Parcel, s.parcels["A"].id).status


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    #: Filled with ``ids(scene)``: always someone else's object, but for the owner.
    url: str
    owner: str
    answers: dict[str, object]
    data: dict[str, str] = field(default_factory=dict)
    #: Run before the request (the parcel sent, for the delivery).
    given: Callable | None = None
    #: True when the owner's request did what it should: ``done(scene, response)``.
    done: Callable = lambda s, response: True
    #: Who tries; all the others but the owner by default.
    actors: tuple[str, ...] = ACTORS

    def answer(self, actor: str):
        if actor == self.owner:
            return OK
        return self.answers.get(actor, SIGN_IN)


ROUTES = [
    Route(
        "cart-quantity",
        "POST",
        "/cart/lines/{a_line}",
        "A",
        CART,
        data={"quantity": "2"},
        done=lambda s, r: fresh(CartLine, s.lines["A"].id).quantity == 2,
    ),
    Route(
        "cart-remove",
        "POST",
        "/cart/lines/{a_line}/remove",
        "A",
        CART,
        done=lambda s, r: fresh(CartLine, s.lines["A"].id) is None,
    ),
    Route(
        "order-page",
        "GET",
        "/orders/{a_number}",
        "A",
        BUYERS_PAGE,
        done=lambda s, r: ADDRESSES["A"].street_address in r.text,
    ),
    Route(
        "order-cancel-parcel",
        "POST",
        "/orders/{a_number}/parcels/{a_parcel}/cancel",
        "A",
        BUYERS_PAGE,
        done=lambda s, r: parcel_status(s) is ParcelStatus.CANCELLED,
    ),
    # B names their own order, and A's parcel in it.
    Route(
        "order-cancel-parcel-under-own-order",
        "POST",
        "/orders/{b_number}/parcels/{a_parcel}/cancel",
        "A",
        BUYERS_PAGE,
        actors=("B",),
    ),
    Route(
        "api-order",
        "GET",
        "/api/v1/orders/{a_number}",
        "A",
        API,
        done=lambda s, r: r.get_json()["number"] == s.orders["A"].number,
    ),
    Route(
        "parcel-page",
        "GET",
        "/producer/parcels/{a_parcel}",
        "P",
        PRODUCERS_PAGE,
        done=lambda s, r: (
            ADDRESSES["A"].street_address in r.text
            and fresh(Parcel, s.parcels["A"].id).seen_at is not None
        ),
    ),
    Route(
        "parcel-slip",
        "GET",
        "/producer/parcels/{a_parcel}/slip",
        "P",
        PRODUCERS_PAGE,
        done=lambda s, r: ADDRESSES["A"].recipient in r.text,
    ),
    Route(
        "parcel-ship",
        "POST",
        "/producer/parcels/{a_parcel}/ship",
        "P",
        PRODUCERS_PAGE,
        data={"carrier": "پست", "tracking_code": "RR123456789IR"},
        done=lambda s, r: parcel_status(s) is ParcelStatus.SHIPPED,
    ),
    Route(
        "parcel-deliver",
        "POST",
        "/producer/parcels/{a_parcel}/deliver",
        "P",
        PRODUCERS_PAGE,
        data={"cash_received": "y"},
        given=ship,
        done=lambda s, r: parcel_status(s) is ParcelStatus.DELIVERED,
    ),
    Route(
        "parcel-refuse",
        "POST",
        "/producer/parcels/{a_parcel}/refuse",
        "P",
        PRODUCERS_PAGE,
        data={"reason": "تمام شد"},
        done=lambda s, r: parcel_status(s) is ParcelStatus.CANCELLED,
    ),
]

CASES = [
    pytest.param(route, actor, id=f"{route.name}-{actor}")
    for route in ROUTES
    for actor in route.actors
]


@pytest.mark.parametrize(("route", "actor"), CASES)
def test_only_the_owner_sees_or_changes_it(app, scene, route, actor):
    client = client_of(app, scene, actor)
    if route.given:
        route.given(scene)
    before = database_rows()

    response = client.open(route.url.format(**ids(scene)), method=route.method, data=route.data)

    answer = route.answer(actor)
    if answer == OK:
        assert response.status_code in (200, 303), response.text[:500]
        assert route.done(scene, response)
        return
    if answer == SIGN_IN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    elif answer == NOT_A_SHOP:
        assert response.status_code == 302 and response.headers["Location"] == "/producer/"
    else:
        assert response.status_code == answer, response.text[:500]
    assert leaked(response.text, actor) == []
    assert database_rows() == before


# -- pages that list what is someone's ------------------------------------------------------

LIST_PAGES = [
    "/orders",
    "/api/v1/orders",
    "/cart",
    "/checkout",
    *[f"/producer/parcels?tab={group.value}" for group in ParcelGroup],
    "/admin/orders",
]


def private_marks(s, owner: str) -> list[str]:
    """What would show one of ``owner``'s orders, parcels, cart lines or addresses."""
    address = ADDRESSES[owner]
    return [
        s.orders[owner].number,
        f'href="/producer/parcels/{s.parcels[owner].id}"',
        f'action="/cart/lines/{s.lines[owner].id}/remove"',
        address.recipient,
        address.street_address,
    ]


@pytest.mark.parametrize("actor", ACTORS)
def test_no_list_shows_anyone_elses_orders_parcels_lines_or_addresses(app, scene, actor):
    client = client_of(app, scene, actor)

    for url in LIST_PAGES:
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 401, 403), url
        for owner in {"A", "B"} - SEES[actor]:
            shown = [mark for mark in private_marks(scene, owner) if mark in response.text]
            assert shown == [], (url, owner)


def test_each_list_shows_its_owner_their_own(app, scene):
    # the marks the previous test looks for are on these pages: its silence means something
    a, p, admin = (client_of(app, scene, actor) for actor in ("A", "P", "admin"))
    number = scene.orders["A"].number

    assert number in a.get("/orders").text
    assert [o["number"] for o in a.get("/api/v1/orders").get_json()["items"]] == [number]
    assert f'action="/cart/lines/{scene.lines["A"].id}/remove"' in a.get("/cart").text
    prefilled = a.get("/checkout").text
    assert ADDRESSES["A"].recipient in prefilled and ADDRESSES["A"].street_address in prefilled
    assert f'href="/producer/parcels/{scene.parcels["A"].id}"' in p.get("/producer/parcels").text
    everyone = admin.get("/admin/orders").text
    assert number in everyone and scene.orders["B"].number in everyone


def test_another_buyers_checkout_key_does_not_lead_to_their_order(app, scene):
    # A checkout sent again leads to the order it placed: by the buyer's own key only.
    b = client_of(app, scene, "B")
    before = count(Order)

    response = b.post("/checkout", data={"key": "checkout-a"})

    assert response.status_code == 400
    assert scene.orders["A"].number not in response.headers.get("Location", "")
    assert leaked(response.text, "B") == []
    assert count(Order) == before
    replay = client_of(app, scene, "A").post("/checkout", data={"key": "checkout-a"})
    assert replay.headers["Location"] == f"/orders/{scene.orders['A'].number}"
