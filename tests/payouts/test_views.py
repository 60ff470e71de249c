"""The admin's payout pages: run a batch, download its bank file, confirm or cancel it; a
tampered total or a second confirmation is refused with a message and changes nothing."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from shop.extensions import db
from shop.ledger.models import LedgerTransaction, TransactionKind
from shop.payouts.models import BatchStatus, PayoutBatch
from tests.conftest import count, reload


def payout_transactions() -> int:
    return count(LedgerTransaction, LedgerTransaction.kind == TransactionKind.PAYOUT)


def test_an_admin_runs_downloads_and_confirms_a_batch(client, login_as, factory, members):
    _, weaver, tanner, _ = members
    login_as(factory.admin())
    client.post("/language/en", data={"next": "/"})

    listing = client.get("/admin/payouts/")
    assert listing.status_code == 200 and 'data-due="3"' in listing.text

    made = client.post("/admin/payouts/")
    assert made.status_code == 303
    batch = db.session.scalars(select(PayoutBatch)).one()
    page = client.get(made.headers["Location"])
    assert page.status_code == 200
    assert f'data-total="{batch.total}"' in page.text
    assert "Skipped: no valid Sheba number" in page.text and tanner.shop_name in page.text

    download = client.get(f"/admin/payouts/{batch.id}/bank.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert batch.reference in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))[1:]
    assert sum(int(row[3]) for row in rows) == batch.total

    confirmed = client.post(f"/admin/payouts/{batch.id}/confirm", data={"total": batch.total})
    assert confirmed.status_code == 303
    assert reload(batch).status is BatchStatus.CONFIRMED and payout_transactions() == 2

    again = client.post(f"/admin/payouts/{batch.id}/confirm", data={"total": batch.total})
    assert again.status_code == 409 and "already confirmed or cancelled" in again.text
    assert payout_transactions() == 2

    # the weaver sees the payout on their earnings page
    client.post("/logout")
    login_as(reload(weaver).user)
    earnings = client.get("/producer/earnings")
    assert "data-payouts" in earnings.text and batch.reference in earnings.text


def test_tampered_or_missing_totals_are_refused(client, login_as, factory, members):
    login_as(factory.admin())
    client.post("/language/en", data={"next": "/"})
    client.post("/admin/payouts/")
    batch = db.session.scalars(select(PayoutBatch)).one()

    for total in (batch.total + 1, batch.total - 1, 1):
        page = client.post(f"/admin/payouts/{batch.id}/confirm", data={"total": total})
        assert page.status_code == 400 and "is not this batch" in page.text
    for data in ({}, {"total": "lots"}, {"total": "-5"}):
        page = client.post(f"/admin/payouts/{batch.id}/confirm", data=data)
        assert page.status_code == 400 and "total is missing" in page.text
    assert reload(batch).status is BatchStatus.DRAFT and payout_transactions() == 0
    assert client.post("/admin/payouts/999/confirm", data={"total": 1}).status_code == 404
    assert client.get("/admin/payouts/999/bank.csv").status_code == 404


def test_a_cancelled_batch_cannot_be_confirmed(client, login_as, factory, members):
    login_as(factory.admin())
    client.post("/language/en", data={"next": "/"})
    client.post("/admin/payouts/")
    batch = db.session.scalars(select(PayoutBatch)).one()

    assert client.post(f"/admin/payouts/{batch.id}/cancel").status_code == 303
    page = client.post(f"/admin/payouts/{batch.id}/confirm", data={"total": batch.total})

    assert page.status_code == 409
    assert reload(batch).status is BatchStatus.CANCELLED and payout_transactions() == 0


def test_nothing_due_is_said_plainly(client, login_as, factory):
    login_as(factory.admin())
    client.post("/language/en", data={"next": "/"})

    assert "Nobody is due a payout now." in client.get("/admin/payouts/").text
    page = client.post("/admin/payouts/")

    assert page.status_code == 400 and "No producer or cooperative" in page.text
    assert count(PayoutBatch) == 0
