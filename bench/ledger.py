"""Benchmark: reading the ledger (``shop.ledger.queries``) over 100,000 entries.

Run with::

    .venv/bin/python -m bench.ledger                                   # SQLite file
    .venv/bin/python -m bench.ledger --database-url postgresql+psycopg://…/bench  # PostgreSQL

On a migrated database (SQLite with WAL and ``synchronous=FULL``, as in production; PostgreSQL's
tables dropped first) it writes, in bulk (``db.session.execute(insert(Model), rows)``, not
through the services), 1,000 approved producers, one buyer, and for each producer two delivered
parcels (one order each): one delivered 30 days ago, past the hold period, one 2 days ago,
within it. Then 27,000 balanced ledger transactions of 100,000 entries — per producer 20 card
sales through ``clearing:zarinpal`` with a cooperative's commission (4 entries), 2 without one
(3 entries), 2 cash-on-delivery sales with their cash collected (4 + 2 entries) and 1 payout
(2 entries, tied to no parcel) — split between the two parcels so that every producer has an
available and a pending part. Accounts are names, not foreign keys: no cooperative rows are
needed. ``ANALYZE`` runs once after seeding, as a live database would have statistics.

Before timing, the figures are checked once: the trial balance sums to zero, ``check_books()``
finds nothing, ``balances()`` returns 1,000 producer accounts, and every account's balance and
available part equal those computed in Python while seeding.

It then times, ``--runs`` times each after ``--warmup`` runs not counted, interleaved run by run
so a noisy neighbour slows all of them alike (each call in a fresh session, as a request is):

* the baseline: a plain ``SELECT count(*) FROM ledger_entries``;
* ``balances()``: every account's balance and available part, one grouped query;
* ``balances(accounts)`` for the 1,000 ``producer:N`` accounts named in one ``IN`` list;
* ``producer_earnings(producer_id)`` for one producer (a different one each run);
* ``trial_balance()`` and ``check_books()``.

Median and p95 (nearest rank, as ``bench.search``) are reported in milliseconds and as ratios to
the baseline's median and p95 measured in the same process. Results go to stdout and
``bench/data/ledger-results-<database>.md``; exit status 1 means a correctness check failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench.orders import ADDRESS, DATA, make_app

PRODUCERS = 1000
COOPERATIVES = 20
#: Per producer: (transactions, entries each). 20×4 + 2×3 + 2×(4+2) + 1×2 = 100 entries.
CARD_SALES_WITH_COMMISSION = 20
CARD_SALES_WITHOUT_COMMISSION = 2
CASH_SALES = 2
PAYOUTS = 1
ENTRIES_PER_PRODUCER = (
    CARD_SALES_WITH_COMMISSION * 4
    + CARD_SALES_WITHOUT_COMMISSION * 3
    + CASH_SALES * 6
    + PAYOUTS * 2
)
PLATFORM_FEE_BP = 1000
COMMISSION_BP = 500
BATCH = 5000
SEED = 20240611


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _batches(rows: list[dict]):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def migrate(app, database_url: str | None) -> float:
    """An empty, migrated database (PostgreSQL's tables dropped first); returns seconds."""
    from flask_migrate import upgrade

    from shop.extensions import db

    started = time.perf_counter()
    with app.app_context():
        if database_url:
            db.session.remove()  # an open session would make DROP TABLE wait on its locks
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        db.session.remove()
    return time.perf_counter() - started


class Expected:
    """Every account's balance and available part, as written."""

    def __init__(self) -> None:
        self.balance: dict[str, int] = defaultdict(int)
        self.available: dict[str, int] = defaultdict(int)

    def add(self, account: str, amount: int, settled: bool) -> None:
        self.balance[account] += amount
        if settled:
            self.available[account] += amount


def _split(gross: int, with_commission: bool) -> tuple[int, int, int]:
    """(producer share, platform fee, commission) of ``gross``: they add up to it."""
    fee = gross * PLATFORM_FEE_BP // 10_000
    commission = gross * COMMISSION_BP // 10_000 if with_commission else 0
    return gross - fee - commission, fee, commission


def ledger_rows(parcels: dict[int, list[tuple[int, int, bool]]], now: datetime):
    """The transactions and entries of every producer; and what each account must come to.

    ``parcels``: producer id → its (parcel id, order id, past the hold) parcels."""
    from shop.ledger.models import (
        BANK,
        PLATFORM,
        Purpose,
        TransactionKind,
        clearing_account,
        cooperative_account,
        producer_account,
        producer_cash_account,
    )

    rng = random.Random(SEED)
    transactions: list[dict] = []
    entries: list[dict] = []
    expected = Expected()

    def post(kind, order_id, parcel, rows, at):
        transaction_id = len(transactions) + 1
        assert sum(amount for _, amount, _ in rows) == 0
        transactions.append(
            {
                "id": transaction_id,
                "kind": kind,
                "key": f"bench:{kind.value}:{transaction_id}",
                "order_id": order_id,
                "memo": "",
                "created_at": at,
            }
        )
        for account, amount, purpose in rows:
            entries.append(
                {
                    "transaction_id": transaction_id,
                    "account": account,
                    "amount": amount,
                    "purpose": purpose,
                    "order_id": order_id,
                    "parcel_id": parcel[0] if parcel else None,
                    "created_at": at,
                }
            )
            expected.add(account, amount, parcel is None or parcel[2])

    def sale(producer_id, parcel, provider, with_commission, at):
        gross = rng.randrange(50, 500) * 10_000
        share, fee, commission = _split(gross, with_commission)
        rows = [
            (clearing_account(provider), -gross, Purpose.GOODS),
            (producer_account(producer_id), share, Purpose.PRODUCER_SHARE),
            (PLATFORM, fee, Purpose.PLATFORM_FEE),
        ]
        if with_commission:
            cooperative = cooperative_account(producer_id % COOPERATIVES + 1)
            rows.append((cooperative, commission, Purpose.COMMISSION))
        post(TransactionKind.SALE, parcel[1], parcel, rows, at)
        return gross, share

    for producer_id, own in parcels.items():
        settled_share = 0
        plan = (
            [("zarinpal", True)] * CARD_SALES_WITH_COMMISSION
            + [("zarinpal", False)] * CARD_SALES_WITHOUT_COMMISSION
            + [("cash", True)] * CASH_SALES
        )
        for n, (provider, with_commission) in enumerate(plan):
            parcel = own[n % len(own)]
            at = now - timedelta(days=31 if parcel[2] else 3, minutes=n)
            gross, share = sale(producer_id, parcel, provider, with_commission, at)
            if parcel[2]:
                settled_share += share
            if provider == "cash":
                collected = [
                    (clearing_account("cash"), gross, Purpose.CASH),
                    (producer_cash_account(producer_id), -gross, Purpose.CASH),
                ]
                post(TransactionKind.CASH_COLLECTED, parcel[1], parcel, collected, at)
        for n in range(PAYOUTS):  # half of what was available, settled at once (no parcel)
            paid = settled_share // (2 * PAYOUTS)
            rows = [
                (producer_account(producer_id), -paid, Purpose.PAYOUT),
                (BANK, paid, Purpose.PAYOUT),
            ]
            post(TransactionKind.PAYOUT, None, None, rows, now - timedelta(days=10, minutes=n))
    return transactions, entries, expected


def seed(app, database_url: str | None) -> dict:
    """The producers, their parcels and the ledger, in bulk; seconds taken and what to check."""
    from shop.accounts.models import User
    from shop.extensions import db
    from shop.ledger.models import LedgerEntry, LedgerTransaction
    from shop.orders.models import Order, OrderStatus, Parcel, ParcelStatus, ShippingMethod
    from shop.producers.models import Producer, ProducerStatus

    hold = app.config["SHOP_PAYOUT_HOLD_DAYS"]
    now = datetime.now(UTC)
    started = time.perf_counter()
    with app.app_context():
        buyer_id = PRODUCERS + 1
        users = [
            {
                "id": n,
                "email": f"maker{n}@bench.test" if n <= PRODUCERS else "buyer@bench.test",
                "password_hash": "!",
                "display_name": f"سازنده {n}" if n <= PRODUCERS else "خریدار",
                "session_token": f"bench-{n}",
            }
            for n in range(1, PRODUCERS + 2)
        ]
        producers = [
            {
                "id": n,
                "user_id": n,
                "shop_name": f"کارگاه {n}",
                "slug": f"bench-shop-{n}",
                "city": "مشهد",
                "status": ProducerStatus.APPROVED,
                "approved_at": now - timedelta(days=400),
            }
            for n in range(1, PRODUCERS + 1)
        ]
        orders, parcel_rows = [], []
        parcels: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        for producer_id in range(1, PRODUCERS + 1):
            for past_hold in (True, False):
                n = len(parcel_rows) + 1  # order n holds parcel n
                delivered = now - timedelta(days=hold + 23 if past_hold else hold - 5)
                orders.append(
                    {
                        "id": n,
                        "number": f"BL{n:06d}",
                        "buyer_id": buyer_id,
                        "idempotency_key": f"bench-ledger-{n}",
                        "status": OrderStatus.COMPLETED if past_hold else OrderStatus.PAID,
                        "currency": "IRR",
                        "items_total": 1_200_000,
                        "shipping_total": 0,
                        "total": 1_200_000,
                        "payment_method": "zarinpal",
                        "placed_at": delivered - timedelta(days=4),
                        **ADDRESS,
                    }
                )
                parcel_rows.append(
                    {
                        "id": n,
                        "order_id": n,
                        "producer_id": producer_id,
                        "status": ParcelStatus.DELIVERED,
                        "shipping_method": ShippingMethod.POST,
                        "items_total": 1_200_000,
                        "shipping_cost": 0,
                        "shipped_at": delivered - timedelta(days=2),
                        "delivered_at": delivered,
                    }
                )
                parcels[producer_id].append((n, n, past_hold))
        transactions, entries, expected = ledger_rows(parcels, now)
        for model, rows in (
            (User, users),
            (Producer, producers),
            (Order, orders),
            (Parcel, parcel_rows),
            (LedgerTransaction, transactions),
            (LedgerEntry, entries),
        ):
            for batch in _batches(rows):
                db.session.execute(insert(model), batch)
        db.session.commit()
        inserted = time.perf_counter() - started
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        db.session.remove()
    return {
        "seconds": time.perf_counter() - started,
        "insert_seconds": inserted,
        "parcels": len(parcel_rows),
        "transactions": len(transactions),
        "entries": len(entries),
        "expected": expected,
    }


def verify(app, seeded: dict) -> list[str]:
    """What is wrong with the figures the queries give (nothing, when they are right)."""
    from shop.extensions import db
    from shop.ledger.models import account_kind, producer_account
    from shop.ledger.queries import balances, check_books, producer_earnings, trial_balance

    problems = []
    expected = seeded["expected"]
    with app.app_context():
        count = db.session.scalar(text("SELECT count(*) FROM ledger_entries"))
        if count != PRODUCERS * ENTRIES_PER_PRODUCER:
            problems.append(f"{count} entries, not {PRODUCERS * ENTRIES_PER_PRODUCER}")
        _, total = trial_balance()
        if total != 0:
            problems.append(f"the trial balance sums to {total}")
        books = check_books()
        if not books.ok:
            problems.append(
                f"check_books: total {books.total}, {len(books.unbalanced_transactions)} "
                f"unbalanced transactions, {len(books.unbalanced_orders)} unbalanced orders, "
                f"{len(books.negative_balances)} negative balances"
            )
        found = balances()
        producers = [a for a in found if account_kind(a) == "producer"]
        if len(producers) != PRODUCERS:
            problems.append(f"{len(producers)} producer accounts, not {PRODUCERS}")
        wrong = [
            account
            for account in set(found) | set(expected.balance)
            if account not in found
            or found[account].balance != expected.balance[account]
            or found[account].available != expected.available[account]
        ]
        if wrong:
            problems.append(f"{len(wrong)} accounts differ from what was written, e.g. {wrong[0]}")
        if not all(0 < found[a].available < found[a].balance for a in producers):
            problems.append("some producer has no available and pending part both")
        named = balances([producer_account(n) for n in range(1, PRODUCERS + 1)])
        if any(named[a] != found[a] for a in named) or len(named) != PRODUCERS:
            problems.append("balances(accounts) differs from balances()")
        earnings = producer_earnings(1)
        if earnings.balance != found[producer_account(1)] or earnings.cash_held >= 0:
            problems.append(f"producer_earnings(1) is {earnings}")
        db.session.remove()
    return problems


def operations() -> list[tuple[str, object]]:
    """(name, call of the run number) of every timed operation; the baseline first."""
    from shop.extensions import db
    from shop.ledger.models import producer_account
    from shop.ledger.queries import balances, check_books, producer_earnings, trial_balance

    producer_accounts = [producer_account(n) for n in range(1, PRODUCERS + 1)]
    return [
        (
            "baseline: `SELECT count(*) FROM ledger_entries`",
            lambda run: db.session.scalar(text("SELECT count(*) FROM ledger_entries")),
        ),
        ("`balances()`: every account, one grouped query", lambda run: balances()),
        (
            f"`balances(accounts)`: the {PRODUCERS:,} `producer:N` accounts",
            lambda run: balances(producer_accounts),
        ),
        (
            "`producer_earnings(id)`: one producer",
            lambda run: producer_earnings(run * 37 % PRODUCERS + 1),
        ),
        ("`trial_balance()`", lambda run: trial_balance()),
        ("`check_books()`", lambda run: check_books()),
    ]


def interleaved(timed: list[tuple[str, object]], runs: int, warmup: int):
    """Seconds of each (name, call of the run number), interleaved run by run so that a noisy
    neighbour slows all of them alike, each call in a fresh session; ``warmup`` runs first are
    not counted. Inside an app context."""
    from shop.extensions import db

    samples: dict[str, list[float]] = {name: [] for name, _ in timed}
    for run in range(warmup + runs):
        for name, call in timed:
            started = time.perf_counter()
            call(run)
            seconds = time.perf_counter() - started
            db.session.remove()
            if run >= warmup:
                samples[name].append(seconds)
    return [(name, samples[name]) for name, _ in timed]


def measure(app, runs: int, warmup: int) -> list[tuple[str, list[float]]]:
    with app.app_context():
        return interleaved(operations(), runs, warmup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    options = parser.parse_args(argv)
    if options.runs < 20:
        parser.error("--runs must be at least 20")

    folder = Path(tempfile.mkdtemp(prefix="dastranj-bench-ledger-"))
    app = make_app(folder, options.database_url)
    migrated = migrate(app, options.database_url)
    seeded = seed(app, options.database_url)
    problems = verify(app, seeded)
    for problem in problems:
        print(f"CHECK FAILED: {problem}", file=sys.stderr)
    results = measure(app, options.runs, options.warmup)

    database = "postgresql" if options.database_url else "sqlite"
    base = results[0][1]
    lines = [
        f"# Ledger balances ({database}), {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"{PRODUCERS:,} producers, {seeded['parcels']:,} delivered parcels (half past the "
        f"hold), {seeded['transactions']:,} transactions, {seeded['entries']:,} entries. "
        f"Migration {migrated:.1f} s; seeding {seeded['seconds']:.1f} s once (bulk inserts "
        f"{seeded['insert_seconds']:.1f} s, then ANALYZE). {options.runs} runs each after "
        f"{options.warmup} warm-up runs; {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}.",
        "",
        "| operation | median ms | p95 ms | × baseline median | × baseline p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, samples in results:
        lines.append(
            f"| {name} | {p50(samples) * 1000:.2f} | {p95(samples) * 1000:.2f} "
            f"| {p50(samples) / p50(base):.1f}× | {p95(samples) / p95(base):.1f}× |"
        )
    lines.append("")
    lines.append(
        "Checks: "
        + (
            "; ".join(problems)
            if problems
            else "trial balance 0, books balance, "
            f"{PRODUCERS:,} producer accounts, every balance and available part as written."
        )
    )
    report = "\n".join(lines)
    print(report)
    DATA.mkdir(exist_ok=True)
    (DATA / f"ledger-results-{database}.md").write_text(report + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
