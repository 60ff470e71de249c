"""An admin sets each cooperative's commission within bounds the admin sets (0–15% unless
changed); a rate or bounds outside them is refused with a message and changes nothing; every
change is in the audit log, and an order keeps the rate it was placed with."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.database import transaction
from shop.extensions import db
from shop.ledger import fees
from shop.orders.models import OrderLine
from tests.conftest import count, reload
from tests.orders.test_place_order import place


@pytest.fixture
def admin_en(client, login_as, factory):
    admin = factory.admin()
    login_as(admin)
    client.post("/language/en", data={"next": "/"})
    return admin


def rate_form(cooperative, value) -> dict:
    return {f"c{cooperative.id}-commission_bp": value}


def test_a_rate_within_the_bounds_is_saved_and_logged(client, admin_en, factory):
    cooperative = factory.cooperative()

    page = client.post(f"/admin/commissions/{cooperative.id}", data=rate_form(cooperative, "۴۵۰"))

    assert page.status_code == 303
    assert reload(cooperative).commission_bp == 450
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.subject, entry.actor_id) == (
        "cooperative.commission",
        f"cooperative:{cooperative.id}",
        admin_en.id,
    )
    assert json.loads(entry.before) == {"commission_bp": 300}
    assert json.loads(entry.after) == {"commission_bp": 450}
    log = client.get("/admin/audit")
    assert "commission rate · " in log.text and "300 → 450" in log.text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1501", "must be from 0% to 15%"),
        ("5001", "from 0 to 5000"),
        ("-1", "from 0 to 5000"),
        ("three", ""),
        ("", "required"),
    ],
)
def test_a_rate_outside_the_bounds_is_refused(client, admin_en, factory, value, message):
    cooperative = factory.cooperative()

    page = client.post(f"/admin/commissions/{cooperative.id}", data=rate_form(cooperative, value))

    assert page.status_code == 400 and message in page.text
    assert reload(cooperative).commission_bp == 300 and count(AuditEntry) == 0


def test_bounds_change_what_a_rate_may_be(client, admin_en, factory):
    cooperative = factory.cooperative()

    assert client.post("/admin/commissions", data={"low": "200", "high": "600"}).status_code == 303
    assert fees.commission_bounds() == (200, 600)
    refused = client.post(f"/admin/commissions/{cooperative.id}", data=rate_form(cooperative, 700))
    assert refused.status_code == 400 and "must be from 2% to 6%" in refused.text
    created = client.post(
        "/admin/cooperatives", data={"name": "تعاونی تازه", "city": "یزد", "commission_bp": "100"}
    )
    assert created.status_code == 400 and "must be from 2% to 6%" in created.text
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["fees.commission_bounds"]


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        ("700", "600", "must not be above the highest"),
        ("0", "5001", "from 0 to 5000"),
        ("400", "600", "outside these bounds"),  # the cooperative takes 3%
    ],
)
def test_bad_bounds_are_refused(client, admin_en, factory, low, high, message):
    factory.cooperative()

    page = client.post("/admin/commissions", data={"low": low, "high": high})

    assert page.status_code == 400 and message in page.text
    assert fees.commission_bounds() == (0, 1500) and count(AuditEntry) == 0


def test_an_order_keeps_the_rate_it_was_placed_with(factory, admin_en):
    cooperative = factory.cooperative()
    weaver = factory.producer(cooperative=cooperative)
    rug = factory.listing(weaver, price=1_000_000, stock=5)
    place(factory.user(), {rug.id: 1}, key="before")

    with transaction():
        fees.set_commission_rate(reload(cooperative), 800, admin_en)
    place(factory.user(), {rug.id: 1}, key="after")

    rates = db.session.scalars(select(OrderLine.commission_bp).order_by(OrderLine.id)).all()
    assert rates == [300, 800]
