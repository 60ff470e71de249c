"""Every capture and refund writes one balanced ledger transaction in its own transaction: the
sale split between producer, cooperative and platform, the reverse of what is given back, and
for cash what the producer collected. Entries are never changed, and ``shop ledger check``
recomputes the books."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from shop.database import transaction, utcnow
from shop.extensions import db
from shop.ledger import queries as ledger
from shop.ledger.models import LedgerEntry, LedgerTransaction
from shop.ledger.split import split_sale
from shop.orders import services as orders
from shop.orders.models import Order, Parcel, ParcelStatus
from shop.payments import refunds
from shop.payments.models import PaymentStatus
from shop.payouts import services as payouts
from shop.payouts.models import BatchStatus, Payout, PayoutBatch
from tests.conftest import reload
from tests.orders.test_place_order import checkout


@pytest.fixture
def weaver(factory):
    """A producer in a cooperative that takes 4%."""
    cooperative = factory.cooperative()
    with transaction():
        cooperative.commission_bp = 400
    return factory.producer(cooperative=cooperative)


_keys = iter(range(10**6))


def place_cash(buyer, quantities) -> Order:
    with transaction():
        return orders.place_order(buyer, checkout(quantities, key=f"c{next(_keys)}"))


def deliver_with_cash(parcel) -> None:
    with transaction():
        parcel = db.session.get(type(parcel), parcel.id)
        orders.ship_parcel(parcel.producer, parcel, "پست", "123")
        orders.deliver_parcel(parcel.producer, parcel, cash_received=True)


def entries_of(order) -> list[tuple[str, int, str]]:
    return [(e.account, e.amount, e.purpose.value) for e in ledger.order_entries(order.id)]


def test_a_cash_sale_pays_the_producer_the_cooperative_and_the_platform(factory, weaver):
    rug = factory.listing(weaver, price=1_000_010, stock=5)
    order = place_cash(factory.user(), {rug.id: 2})
    [parcel] = order.parcels
    deliver_with_cash(parcel)

    gross, shipping, total = 2_000_020, parcel.shipping_cost, parcel.total
    share = split_sale(gross, 500, 400)  # 5% platform, 4% cooperative
    assert (share.platform_fee, share.commission) == (100_001, 80_001)
    producer, cooperative = f"producer:{weaver.id}", f"cooperative:{weaver.cooperative_id}"
    assert entries_of(order) == [
        ("clearing:cash", -gross, "goods"),
        (producer, share.producer, "producer_share"),
        ("platform", share.platform_fee, "platform_fee"),
        (cooperative, share.commission, "commission"),
        ("clearing:cash", -shipping, "shipping"),
        (producer, shipping, "shipping"),
        ("clearing:cash", total, "cash"),
        (f"producer-cash:{weaver.id}", -total, "cash"),
    ]
    earnings = ledger.producer_earnings(weaver.id)
    assert earnings.balance.balance == share.producer + shipping
    assert earnings.balance.available == 0  # held for the return window after delivery
    later = utcnow() + timedelta(days=8)
    earnings = ledger.producer_earnings(weaver.id, now=later)
    assert earnings.balance.available == share.producer + shipping
    # the producer took the buyer's cash: what the shop is owed comes off later payouts
    assert earnings.payable == -(share.platform_fee + share.commission)
    assert ledger.check_books().ok


def test_no_cooperative_no_commission_entry(factory):
    maker = factory.producer()
    bag = factory.listing(maker, price=500_000, stock=5)
    order = place_cash(factory.user(), {bag.id: 1})
    deliver_with_cash(order.parcels[0])
    purposes = [purpose for _, _, purpose in entries_of(order)]
    assert "commission" not in purposes and purposes.count("platform_fee") == 1


def test_a_refund_in_parts_reverses_the_sale_exactly(factory, weaver):
    rug = factory.listing(weaver, price=333_333, stock=5)
    order = place_cash(factory.user(), {rug.id: 3})
    deliver_with_cash(order.parcels[0])
    payment = reload(order).payments[0]

    for key, amount in (("a", 100_001), ("b", 7), ("c", payment.amount - 100_008)):
        refunds.refund_payment(payment.id, amount, f"part-{key}")

    assert reload(payment).status is PaymentStatus.REFUNDED
    by_account: dict[str, int] = {}
    for account, amount, _ in entries_of(order):
        by_account[account] = by_account.get(account, 0) + amount
    assert set(by_account.values()) == {0}  # every account back where it was
    assert len(db.session.scalars(select(LedgerTransaction)).all()) == 5  # sale, cash, 3 refunds
    assert ledger.check_books().ok


def test_a_capture_or_refund_recorded_twice_is_written_once(factory, weaver):
    from shop.ledger.services import record_capture, record_refund

    rug = factory.listing(weaver, price=200_000, stock=5)
    order = place_cash(factory.user(), {rug.id: 1})
    deliver_with_cash(order.parcels[0])
    payment = reload(order).payments[0]
    refund = refunds.refund_payment(payment.id, 50_000, "once")
    before = len(ledger.order_entries(order.id))
    with transaction():
        record_capture(reload(payment))
        record_refund(reload(refund))
    assert len(ledger.order_entries(order.id)) == before


def test_an_online_sale_comes_from_the_providers_clearing_account(
    client, factory, weaver, fake_stripe
):
    from tests.payments.test_stripe import begin, deliver, event, place

    scarf = factory.listing(weaver, price=4_500, stock=3)
    order = place(factory.user(), scarf)
    session = fake_stripe.complete(begin(order))
    assert deliver(client, event("checkout.session.completed", session)).status_code == 200

    accounts = {account for account, _, _ in entries_of(order)}
    assert "clearing:stripe" in accounts and not any("cash" in a for a in accounts)
    assert sum(amount for _, amount, _ in entries_of(order)) == 0

    # the buyer calls the parcel off: the refund reverses the sale
    buyer = reload(order).buyer
    with transaction():
        orders.cancel_parcel(buyer, db.session.get(Order, order.id).parcels[0])
    refunds.pay_back_cancelled(order.parcels[0].id)
    totals: dict[str, int] = {}
    for account, amount, _ in entries_of(order):
        totals[account] = totals.get(account, 0) + amount
    assert set(totals.values()) == {0}


def test_entries_are_never_changed_or_deleted(factory, weaver):
    rug = factory.listing(weaver, price=200_000, stock=5)
    order = place_cash(factory.user(), {rug.id: 1})
    deliver_with_cash(order.parcels[0])
    entry_id = ledger.order_entries(order.id)[0].id

    for statement in (
        "UPDATE ledger_entries SET amount = amount + 1 WHERE id = :id",
        "DELETE FROM ledger_entries WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="never changed"), transaction():
            db.session.execute(text(statement), {"id": entry_id})
    assert ledger.check_books().ok


def test_shop_ledger_check_exits_1_on_an_imbalance(runner, factory, weaver):
    rug = factory.listing(weaver, price=200_000, stock=5)
    order = place_cash(factory.user(), {rug.id: 1})
    deliver_with_cash(order.parcels[0])

    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0 and "the books balance" in result.output

    from shop.ledger.models import Purpose, TransactionKind

    with transaction():  # a bug writes one side of a transaction only
        bad = LedgerTransaction(kind=TransactionKind.SALE, key="bug", order_id=order.id)
        db.session.add(bad)
        db.session.add(
            LedgerEntry(transaction=bad, account="platform", amount=5, purpose=Purpose.GOODS)
        )
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1
    assert "trial balance: 5" in result.output and "transaction bug sums to 5" in result.output


# -- any sequence of sales, refunds and cancellations ---------------------------------------------


def _left_over(amount: int, remaining: list[int]) -> list[int]:
    """The test's own largest-remainder share of ``amount`` over what is left of each item."""
    total = sum(remaining)
    exact = [amount * r / total if total else 0 for r in remaining]
    parts = [int(x) for x in exact]
    order = sorted(range(len(remaining)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: amount - sum(parts)]:
        parts[i] += 1
    return parts


operations = st.lists(
    st.one_of(
        st.tuples(st.just("sell"), st.integers(1, 3), st.integers(1, 3)),
        st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 100)),
        st.tuples(st.just("cancel"), st.integers(0, 20)),
        st.tuples(st.just("sell_online"), st.integers(1, 3)),
        st.tuples(st.just("payout")),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations)
def test_any_sequence_keeps_the_books_balanced_and_matches_the_order_lines(
    app, factory, gateway, ops
):
    # the database lives across examples: each one sells with producers of its own
    app.config["SHOP_PAYOUT_MINIMUM"] = 1
    weaver, other = factory.producer(cooperative=factory.cooperative()), factory.producer()
    for producer in (weaver, other):
        with transaction():
            reload(producer).sheba = GOOD_SHEBA
    rug = factory.listing(weaver, price=1_234_567, stock=100)
    bag = factory.listing(other, price=98_765, stock=100)
    buyer, admin = factory.user(), factory.user()
    placed: list[int] = []
    settled: set[int] = set()  # paid out: past the return window, so never given back
    for op in ops:
        if op[0] == "sell_online":
            order = place_online(buyer, {rug.id: op[1]})
            placed.append(order.id)
        elif op[0] == "payout":
            _pay_out_everything_delivered(placed, settled, admin)
        elif op[0] in ("refund", "cancel") and placed and placed[op[1] % len(placed)] in settled:
            continue
        elif op[0] == "sell":
            order = place_cash(buyer, {rug.id: op[1], bag.id: op[2]})
            placed.append(order.id)
            deliver_with_cash(order.parcels[0])  # one delivered, the other still open
        elif op[0] == "refund" and placed:
            order = db.session.get(Order, placed[op[1] % len(placed)])
            captured = [p for p in order.payments if p.status is PaymentStatus.CAPTURED]
            if captured:
                left = captured[0].amount - refunds.refunded_so_far(captured[0])
                refunds.refund_payment(
                    captured[0].id, max(1, left * op[2] // 100), f"r{next(_keys)}"
                )
        elif op[0] == "cancel" and placed:
            order = db.session.get(Order, placed[op[1] % len(placed)])
            open_parcels = [p for p in order.parcels if p.status is ParcelStatus.PREPARING]
            if open_parcels:
                with transaction():
                    orders.cancel_parcel(buyer, open_parcels[0])

    problems = ledger.check_books()
    assert problems.ok, problems
    # independently, from the order lines and the refunds made
    for producer in (weaver, other):
        expected = 0
        for order_id in placed:
            order = db.session.get(Order, order_id)
            for payment in order.payments:
                parcel = payment.parcel or order.parcels[0]  # online: one parcel per order here
                if parcel.producer_id != producer.id or payment.captured_at is None:
                    continue
                items = [(line, line.gross) for line in parcel.lines] + [
                    (None, parcel.shipping_cost)
                ]
                remaining = [gross for _, gross in items]
                for refund in sorted(payment.refunds, key=lambda r: r.id):
                    for i, part in enumerate(_left_over(refund.amount, remaining)):
                        remaining[i] -= part
                for (line, gross), left in zip(items, remaining, strict=True):
                    if line is None:
                        expected += left
                    else:
                        rates = (
                            line.platform_fee_bp,
                            line.commission_bp if line.cooperative_id else 0,
                        )
                        expected += split_sale(gross, *rates).producer
                        expected -= split_sale(gross - left, *rates).producer
        paid_out = db.session.scalars(
            select(Payout)
            .join(PayoutBatch)
            .where(
                Payout.account == f"producer:{producer.id}",
                Payout.skipped_reason == "",
                PayoutBatch.status == BatchStatus.CONFIRMED,
            )
        ).all()
        expected -= sum(p.amount + p.cash_settled for p in paid_out)
        assert ledger.balance_of(f"producer:{producer.id}").balance == expected


GOOD_SHEBA = "IR820540102680020817909002"


def place_online(buyer, quantities) -> Order:
    """A Zarinpal order, paid (as its verified callback records it) and delivered."""
    with transaction():
        order = orders.place_order(
            buyer, checkout(quantities, key=f"o{next(_keys)}", payment_method="zarinpal")
        )
    with transaction():
        orders.record_payment(db.session.get(Order, order.id).payments[0])
    with transaction():
        parcel = db.session.get(Order, order.id).parcels[0]
        orders.ship_parcel(parcel.producer, parcel, "پست", "1")
        orders.deliver_parcel(parcel.producer, parcel)
    return order


def _pay_out_everything_delivered(placed: list[int], settled: set[int], admin) -> None:
    """The return window closes on every delivered parcel; a batch pays whoever is due."""
    with transaction():
        db.session.execute(
            update(Parcel)
            .where(Parcel.order_id.in_(placed), Parcel.delivered_at.is_not(None))
            .values(delivered_at=utcnow() - timedelta(days=30))
        )
    settled.update(placed)
    try:
        with transaction():
            batch = payouts.run_batch(admin)
    except payouts.NothingToPay:
        return
    with transaction():
        payouts.confirm_batch(batch.id, admin, batch.total)
