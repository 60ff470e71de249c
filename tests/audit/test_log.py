"""Money actions leave an audit entry (who, what, before and after), which admins read and
filter on their page."""

from __future__ import annotations

import json

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.payments import refunds
from tests.payments.test_refunds import delivered_cash_payment


def test_a_refund_is_logged_with_who_made_it(factory):
    admin = factory.admin()
    payment = delivered_cash_payment(factory, factory.producer())

    refunds.refund_payment(payment.id, 100_000, "k-audit", "broken corner", by=admin)

    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "refund.make"))
    assert entry.actor_id == admin.id and entry.subject == f"payment:{payment.id}"
    assert json.loads(entry.before) == {"refunded": 0}
    after = json.loads(entry.after)
    assert (after["refunded"], after["amount"], after["by_hand"]) == (100_000, 100_000, True)
    assert after["reason"] == "broken corner"


def test_admins_read_and_filter_the_log(client, login_as, factory):
    admin = factory.admin()
    payment = delivered_cash_payment(factory, factory.producer())
    refunds.refund_payment(payment.id, 50_000, "k-page", "late", by=admin)
    login_as(admin)

    everything = client.get("/admin/audit")
    assert everything.status_code == 200 and 'data-action="refund.make"' in everything.text

    only = client.get("/admin/audit?action=payout_batch.confirm")
    assert 'data-action="refund.make"' in only.text  # not an action logged yet: all are shown
    filtered = client.get("/admin/audit?action=refund.make")
    assert filtered.status_code == 200 and filtered.text.count('data-action="') == 1
    assert client.get("/admin/audit?page=0").status_code == 400
    assert client.get("/admin/audit?page=lots").status_code == 400
