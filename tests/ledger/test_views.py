"""The earnings page shows a producer their own sales only, with balances and a chart, and
keeps a valid Sheba; the admin's trial balance sums to zero."""

from __future__ import annotations

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.database import transaction
from shop.extensions import db
from shop.orders import services as orders
from tests.conftest import count, reload
from tests.orders.test_place_order import checkout

GOOD = "IR820540102680020817909002"


def sell(factory, producer, title, price=500_000):
    listing = factory.listing(producer, title=title, price=price, stock=5)
    with transaction():
        order = orders.place_order(factory.user(), checkout({listing.id: 1}, key=title))
    parcel = order.parcels[0]
    with transaction():
        parcel = db.session.get(type(parcel), parcel.id)
        orders.ship_parcel(parcel.producer, parcel, "پست", "1")
        orders.deliver_parcel(parcel.producer, parcel, cash_received=True)
    return order


def test_a_producer_sees_their_sales_balances_and_chart_only(client, login_as, factory):
    mine, theirs = factory.producer(), factory.producer()
    sell(factory, mine, "Kilim of mine")
    sell(factory, theirs, "Someone else's rug")
    login_as(mine.user)

    page = client.get("/producer/earnings")

    assert page.status_code == 200
    html = page.text
    assert "Kilim of mine" in html and "Someone else" not in html
    assert "<svg" in html and 'role="img"' in html
    assert "۴۷٬۵۰۰ تومان" in html  # 500,000 rials less the 5% platform fee, in toman


def test_a_bad_sheba_is_refused_and_changes_nothing(client, login_as, factory):
    producer = factory.producer()
    login_as(producer.user)
    client.post("/language/en", data={"next": "/"})
    wrong = GOOD[:-1] + ("3" if GOOD[-1] != "3" else "4")

    for sheba, message in (
        (wrong, "check digits do not match"),
        ("IR12", "IR followed by 24 digits"),
    ):
        page = client.post("/producer/earnings", data={"sheba": sheba})
        assert page.status_code == 400 and message in page.text
    assert reload(producer).sheba == "" and count(AuditEntry) == 0


def test_a_good_sheba_is_kept_as_written_by_the_bank_and_logged(client, login_as, factory):
    producer = factory.producer()
    login_as(producer.user)

    page = client.post("/producer/earnings", data={"sheba": "ir82 0540 1026 8002 0817 9090 02"})

    assert page.status_code == 303
    assert reload(producer).sheba == GOOD
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.subject, entry.actor_id) == (
        "producer.sheba",
        f"producer:{producer.id}",
        producer.user.id,
    )
    assert "IR82 0540 1026 8002 0817 9090 02" in client.get("/producer/earnings").text


def test_only_an_approved_producer_has_an_earnings_page(client, login_as, factory):
    assert client.get("/producer/earnings").status_code in (302, 303)  # sign in first
    login_as(factory.user())
    assert client.get("/producer/earnings").status_code in (302, 303, 403, 404)


def test_the_admin_trial_balance_sums_to_zero(client, login_as, factory):
    sell(factory, factory.producer(), "Rug")
    login_as(factory.admin())

    page = client.get("/admin/ledger")

    assert page.status_code == 200
    assert 'data-total="0"' in page.text and "producer:" in page.text
    login_as(factory.user())
    assert client.get("/admin/ledger").status_code in (403, 404)
