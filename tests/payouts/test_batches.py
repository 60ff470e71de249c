"""Payout batches: everyone whose available balance passed the minimum is paid once, by a batch
an admin confirms after the bank paid it; nobody twice, even with two batches or two
confirmations at once; its bank file adds up to its total."""

from __future__ import annotations

import csv
import io
import threading

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.database import transaction
from shop.extensions import db
from shop.ledger import queries as ledger
from shop.ledger.models import LedgerTransaction, TransactionKind
from shop.orders.models import Order
from shop.payments import refunds
from shop.payouts import services as payouts
from shop.payouts.bank_file import HEADER, bank_file
from shop.payouts.models import BatchStatus, Payout, PayoutBatch
from tests.conftest import count, reload
from tests.payouts.conftest import GOOD


def run(actor) -> PayoutBatch:
    with transaction():
        return payouts.run_batch(actor)


def confirm(batch, actor):
    with transaction():
        return payouts.confirm_batch(batch.id, actor, reload(batch).total)


def test_a_batch_pays_everyone_due_and_lists_who_has_no_sheba(factory, members):
    cooperative, weaver, tanner, potter = members
    admin = factory.admin()
    due = {d.account: d for d in payouts.due_now()}
    weaver_now = ledger.producer_earnings(weaver.id)
    assert weaver_now.cash_held < 0  # the cash sale's money is with the weaver

    batch = run(admin)

    paid = {p.account: p for p in batch.paid_lines}
    assert set(paid) == {f"producer:{weaver.id}", f"cooperative:{cooperative.id}"}
    assert paid[f"producer:{weaver.id}"].amount == weaver_now.payable
    assert paid[f"producer:{weaver.id}"].cash_settled == -weaver_now.cash_held
    [skipped] = [p for p in batch.payouts if p.skipped_reason]
    assert skipped.account == f"producer:{tanner.id}" and skipped.open_account is None
    assert f"producer:{potter.id}" not in due  # delivered 2 days ago: still pending
    assert count(LedgerTransaction, LedgerTransaction.kind == TransactionKind.PAYOUT) == 0

    confirm(batch, admin)

    assert reload(batch).status is BatchStatus.CONFIRMED
    weaver_after = ledger.producer_earnings(weaver.id)
    assert (weaver_after.balance.available, weaver_after.cash_held) == (0, 0)
    assert ledger.cooperative_earnings(cooperative.id).balance.available == 0
    assert ledger.balance_of("bank").balance == batch.total
    assert ledger.producer_earnings(tanner.id).payable > 0  # kept for a later batch
    assert ledger.check_books().ok
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"payout_batch.run", "payout_batch.confirm"} <= set(actions)


def test_running_again_pays_nobody_twice(factory, members):
    admin = factory.admin()
    first = run(admin)
    with pytest.raises(payouts.NothingToPay), transaction():
        payouts.run_batch(admin)  # everyone due is in the first, waiting
    confirm(first, admin)
    with pytest.raises(payouts.NothingToPay), transaction():
        payouts.run_batch(admin)  # and now paid
    with pytest.raises(payouts.BatchDecided), transaction():
        payouts.confirm_batch(first.id, admin, reload(first).total)
    assert count(PayoutBatch) == 1
    assert count(LedgerTransaction, LedgerTransaction.kind == TransactionKind.PAYOUT) == 2


def _at_once(app, work, n=2) -> list[str]:
    db.session.remove()
    barrier, outcomes = threading.Barrier(n), []

    def go():
        with app.app_context():
            try:
                barrier.wait(10)
                with transaction():
                    work()
                outcomes.append("done")
            except payouts.NothingToPay:
                outcomes.append("nothing")
            except payouts.BatchRunning:
                outcomes.append("running")
            except payouts.BatchDecided:
                outcomes.append("decided")
            except Exception as error:  # what the test looks for
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=go) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(outcomes)


def test_two_batches_run_at_once_list_each_beneficiary_once(app, factory, members):
    admin_id = factory.admin().id

    def make():
        from shop.accounts.models import User

        payouts.run_batch(db.session.get(User, admin_id))

    outcomes = _at_once(app, make)

    assert outcomes[0] == "done" and outcomes[1] in ("nothing", "running"), outcomes
    listed = db.session.scalars(select(Payout.account).where(Payout.skipped_reason == "")).all()
    assert len(listed) == len(set(listed)) == 2


def test_two_confirmations_at_once_pay_once(app, factory, members):
    admin = factory.admin()
    batch = run(admin)
    batch_id, total, admin_id = batch.id, batch.total, admin.id

    def pay():
        from shop.accounts.models import User

        payouts.confirm_batch(batch_id, db.session.get(User, admin_id), total)

    outcomes = _at_once(app, pay)

    assert outcomes == ["decided", "done"], outcomes
    assert count(LedgerTransaction, LedgerTransaction.kind == TransactionKind.PAYOUT) == 2
    assert ledger.balance_of("bank").balance == total
    assert ledger.check_books().ok


def test_a_cancelled_batch_pays_nobody_and_frees_them_for_the_next(factory, members):
    admin = factory.admin()
    first = run(admin)
    with transaction():
        payouts.cancel_batch(first.id, admin)
    with pytest.raises(payouts.BatchDecided), transaction():
        payouts.confirm_batch(first.id, admin, reload(first).total)
    assert count(LedgerTransaction, LedgerTransaction.kind == TransactionKind.PAYOUT) == 0

    second = run(admin)
    assert {p.account for p in second.paid_lines} == {p.account for p in reload(first).paid_lines}


def test_a_tampered_total_or_a_balance_gone_meanwhile_changes_nothing(factory, members):
    admin = factory.admin()
    batch = run(admin)
    with pytest.raises(payouts.BatchChanged), transaction():
        payouts.confirm_batch(batch.id, admin, batch.total + 1)

    # a refund of one of the weaver's sales after the batch was made
    order = db.session.scalars(
        select(Order).where(Order.payment_method == "zarinpal").order_by(Order.id)
    ).first()
    refunds.refund_payment(order.payments[0].id, 100_000, "after-the-batch", "broken")
    with pytest.raises(payouts.NoLongerAvailable), transaction():
        payouts.confirm_batch(batch.id, admin, reload(batch).total)

    assert reload(batch).status is BatchStatus.DRAFT
    assert count(LedgerTransaction, LedgerTransaction.kind == TransactionKind.PAYOUT) == 0


def test_the_bank_file_adds_up_to_the_batch(factory, members):
    _, weaver, *_ = members
    with transaction():
        reload(weaver).shop_name = '=HYPERLINK("x")'  # a spreadsheet must not run it
    batch = run(factory.admin())

    data = bank_file(reload(batch))

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    body = rows[1:]
    assert sum(int(row[3]) for row in body) == batch.total
    assert {row[2] for row in body} == {GOOD}
    assert all(row[4].startswith(batch.reference) for row in body)
    assert any(row[1].startswith("'=") for row in body)
    assert len(body) == len(batch.paid_lines) == 2


def test_cash_a_producer_paid_back_after_a_payout_comes_back_with_the_next(factory, gateway):
    from tests.payouts.conftest import sell_cash, sell_online, with_sheba

    admin = factory.admin()
    weaver = with_sheba(factory.producer())
    cash_order = sell_cash(factory, weaver, price=2_000_000)
    sell_online(factory, weaver, price=3_000_000)
    confirm(run(admin), admin)  # the cash she held is settled
    # an admin gives a buyer back 200,000 of the cash order, which she pays from her pocket
    refunds.refund_payment(cash_order.payments[0].id, 200_000, "after-payout", "", by=admin)
    assert ledger.balance_of(f"producer-cash:{weaver.id}").balance == 200_000
    sell_online(factory, weaver, price=3_000_000)
    due = ledger.producer_earnings(weaver.id)

    second = run(admin)

    [payout] = second.paid_lines
    assert payout.amount == due.balance.available + 200_000 and payout.cash_settled == -200_000
    confirm(second, admin)
    after = ledger.producer_earnings(weaver.id)
    assert (after.balance.available, after.cash_held) == (0, 0)
    assert ledger.check_books().ok
