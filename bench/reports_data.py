"""Generated data for the reports benchmark: a programme of 2,000 producers in 20 centres and 40
cooperatives with three Jalali years of orders (about 300,000 order lines), written in bulk
(``db.session.execute(insert(Model), rows)``, not through the services) onto a migrated
database, with the ledger entries a capture, a refund and a payout would write.

Per order: one parcel from one producer, one to three lines (two on average) of that
producer's listings, post at a flat rate. Every order is delivered and captured (card orders
through ``clearing:zarinpal``, one in five cash on delivery through ``clearing:cash`` with the
cash collected); one in twenty parcels is then refunded in full a week later. Producers are
paid out once a Jalali season. Cooperatives apply for branding subsidies (some approved, some
paid, some rejected, some waiting); centres have training figures for every month.

``generate(app, years, lines)`` returns what the checks need: for each cooperative and Jalali
month its sales and commission, as written.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from bench.orders import ADDRESS

CENTRES = 20
COOPERATIVES = 40
PRODUCERS = 2_000
LISTINGS_PER_PRODUCER = 4
PLATFORM_FEE_BP = 500
COMMISSION_BP = 400
POST = 800_000
SEED = 14051209
BATCH = 10_000
CITIES = ("مشهد", "بوشهر", "اصفهان", "تهران")
NEIGHBOURHOODS = ("طلاب", "سیدی", "قلعه‌ساختمان", "محله ۱۰", "محله ۱۲", "ناحیه ۱۳")


def _insert(model, rows: list[dict]) -> None:
    from shop.extensions import db

    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


def _split(gross: int, commission_bp: int) -> tuple[int, int, int]:
    fee = (gross * PLATFORM_FEE_BP + 5_000) // 10_000
    commission = (gross * commission_bp + 5_000) // 10_000
    return gross - fee - commission, fee, commission


def generate(app, *, years: int = 3, lines: int = 300_000, now: datetime | None = None) -> dict:
    """Fill the (migrated, empty) database; returns counts, seconds and the expected figures."""
    from shop.accounts.models import User
    from shop.catalog.models import Category
    from shop.cooperatives.models import Centre, Cooperative
    from shop.extensions import db
    from shop.ledger.models import (
        BANK,
        PLATFORM,
        SUBSIDY_FUND,
        LedgerEntry,
        LedgerTransaction,
        Purpose,
        TransactionKind,
        clearing_account,
        cooperative_account,
        producer_account,
        producer_cash_account,
    )
    from shop.listings.models import Product, ProductStatus, ProductVariant
    from shop.orders.models import Order as OrderModel
    from shop.orders.models import (
        OrderLine,
        OrderStatus,
        Parcel,
        ParcelStatus,
        ShippingMethod,
    )
    from shop.payouts.models import BatchStatus, Payout, PayoutBatch
    from shop.producers.models import Producer, ProducerStatus
    from shop.reports.models import TrainingRecord
    from shop.reports.periods import Month, month_of
    from shop.subsidies.models import BrandingWork, SubsidyApplication, SubsidyStatus

    rng = random.Random(SEED)
    now = now or datetime.now(UTC)
    started = time.perf_counter()
    span = timedelta(days=round(365.25 * years))
    begin = now - span
    with app.app_context():
        leaves = db.session.scalars(
            select(Category.id).where(Category.parent_id.is_not(None)).order_by(Category.id)
        ).all()
        users = [
            {
                "id": n,
                "email": f"maker{n}@bench.test",
                "password_hash": "!",
                "display_name": f"سازنده {n}",
                "session_token": f"bench-{n}",
            }
            for n in range(1, PRODUCERS + 3)
        ]
        buyer_id, admin_id = PRODUCERS + 1, PRODUCERS + 2
        centres = [
            {
                "id": n,
                "name": f"مرکز رویش {n}",
                "slug": f"bench-centre-{n}",
                "city": CITIES[n % len(CITIES)],
                "neighbourhood": NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)],
            }
            for n in range(1, CENTRES + 1)
        ]
        cooperatives = [
            {
                "id": n,
                "name": f"تعاونی {n}",
                "slug": f"bench-cooperative-{n}",
                "city": CITIES[n % len(CITIES)],
                "commission_bp": COMMISSION_BP,
                "sheba": "",
            }
            for n in range(1, COOPERATIVES + 1)
        ]
        producers, producer_coop = [], {}
        for n in range(1, PRODUCERS + 1):
            created = begin - timedelta(days=60) + timedelta(days=rng.uniform(0, span.days))
            cooperative = rng.randint(1, COOPERATIVES) if rng.random() < 0.8 else None
            producer_coop[n] = cooperative
            centre = rng.randint(1, CENTRES) if rng.random() < 0.9 else None
            producers.append(
                {
                    "id": n,
                    "user_id": n,
                    "shop_name": f"کارگاه {n}",
                    "slug": f"bench-shop-{n}",
                    "city": CITIES[(centre or n) % len(CITIES)],
                    "neighbourhood": NEIGHBOURHOODS[(centre or n) % len(NEIGHBOURHOODS)],
                    "centre_id": centre,
                    "cooperative_id": cooperative,
                    "status": ProducerStatus.APPROVED,
                    "created_at": created,
                    "approved_at": created + timedelta(days=rng.randint(1, 10)),
                }
            )
        products, variants, listings_of = [], [], defaultdict(list)
        for producer in producers:
            for _ in range(LISTINGS_PER_PRODUCER):
                n = len(products) + 1
                price = rng.randrange(30, 900) * 10_000
                products.append(
                    {
                        "id": n,
                        "producer_id": producer["id"],
                        "category_id": rng.choice(leaves),
                        "title": f"دست‌بافته {n}",
                        "price": price,
                        "stock_quantity": 5,
                        "status": ProductStatus.ACTIVE
                        if rng.random() < 0.8
                        else ProductStatus.PAUSED,
                        "created_at": producer["approved_at"],
                        "updated_at": producer["approved_at"],
                        "published_at": producer["approved_at"],
                    }
                )
                variants.append({"id": n, "product_id": n, "stock_quantity": 5, "price": None})
                listings_of[producer["id"]].append((n, price))

        orders, parcels, order_lines, transactions, entries = [], [], [], [], []
        expected: dict[tuple[int, Month], list[int]] = defaultdict(lambda: [0, 0])
        zone = app.config["BABEL_DEFAULT_TIMEZONE"]

        def post(kind, key, order_id, at, rows):
            transaction_id = len(transactions) + 1
            assert sum(row[1] for row in rows) == 0, key
            transactions.append(
                {
                    "id": transaction_id,
                    "kind": kind,
                    "key": key,
                    "order_id": order_id,
                    "memo": "",
                    "created_at": at,
                }
            )
            for account, amount, purpose, extra in rows:
                if amount:
                    entries.append(
                        {
                            "transaction_id": transaction_id,
                            "account": account,
                            "amount": amount,
                            "purpose": purpose,
                            "order_id": order_id,
                            "created_at": at,
                            **extra,
                        }
                    )

        earned_by_producer = defaultdict(list)  # producer → [(at, share)]
        line_count = 0
        while line_count < lines:
            n = len(orders) + 1
            producer = producers[rng.randrange(PRODUCERS)]
            earliest = max(begin, producer["approved_at"])
            if earliest >= now - timedelta(days=3):
                continue
            placed = earliest + (now - timedelta(days=3) - earliest) * rng.random()
            cash = rng.random() < 0.2
            cooperative = producer_coop[producer["id"]]
            chosen = rng.sample(listings_of[producer["id"]], rng.choice((1, 2, 2, 3)))
            chosen = chosen[: lines - line_count]
            items_total = 0
            parcel_lines = []
            for product_id, price in chosen:
                quantity = 1 if rng.random() < 0.85 else 2
                line_id = len(order_lines) + 1
                order_lines.append(
                    {
                        "id": line_id,
                        "parcel_id": n,
                        "product_id": product_id,
                        "variant_id": product_id,
                        "title": f"دست‌بافته {product_id}",
                        "unit_price": price,
                        "quantity": quantity,
                        "producer_id": producer["id"],
                        "cooperative_id": cooperative,
                        "platform_fee_bp": PLATFORM_FEE_BP,
                        "commission_bp": COMMISSION_BP if cooperative else 0,
                    }
                )
                items_total += price * quantity
                parcel_lines.append((line_id, price * quantity))
            line_count += len(chosen)
            delivered = placed + timedelta(days=rng.randint(2, 6))
            refunded = rng.random() < 0.05
            orders.append(
                {
                    "id": n,
                    "number": f"BR{n:07d}",
                    "buyer_id": buyer_id,
                    "idempotency_key": f"bench-reports-{n}",
                    "status": OrderStatus.COMPLETED,
                    "currency": "IRR",
                    "items_total": items_total,
                    "shipping_total": POST,
                    "total": items_total + POST,
                    "payment_method": "cash" if cash else "zarinpal",
                    "placed_at": placed,
                    "updated_at": delivered,
                    **ADDRESS,
                }
            )
            parcels.append(
                {
                    "id": n,
                    "order_id": n,
                    "producer_id": producer["id"],
                    "status": ParcelStatus.DELIVERED,
                    "shipping_method": ShippingMethod.POST,
                    "items_total": items_total,
                    "shipping_cost": POST,
                    "shipped_at": placed + timedelta(days=1),
                    "delivered_at": delivered,
                }
            )
            clearing = clearing_account("cash" if cash else "zarinpal")
            captured = delivered if cash else placed
            rows = [
                (clearing, -POST, Purpose.SHIPPING, {"parcel_id": n}),
                (producer_account(producer["id"]), POST, Purpose.SHIPPING, {"parcel_id": n}),
            ]
            commission_total = 0
            for line_id, gross in parcel_lines:
                share, fee, commission = _split(gross, COMMISSION_BP if cooperative else 0)
                columns = {"parcel_id": n, "order_line_id": line_id}
                rows += [
                    (clearing, -gross, Purpose.GOODS, columns),
                    (producer_account(producer["id"]), share, Purpose.PRODUCER_SHARE, columns),
                    (PLATFORM, fee, Purpose.PLATFORM_FEE, columns),
                ]
                if cooperative:
                    rows.append(
                        (cooperative_account(cooperative), commission, Purpose.COMMISSION, columns)
                    )
                commission_total += commission
            post(TransactionKind.SALE, f"bench:capture:{n}", n, captured, rows)
            if not cash and not refunded:  # payouts pay card sales that were kept
                earned_by_producer[producer["id"]].append(
                    (captured, sum(r[1] for r in rows if r[0] == producer_account(producer["id"])))
                )
            if cooperative:
                figures = expected[(cooperative, month_of(captured, zone))]
                figures[0] += items_total
                figures[1] += commission_total
            if cash:
                post(
                    TransactionKind.CASH_COLLECTED,
                    f"bench:cash:{n}",
                    n,
                    captured,
                    [
                        (clearing, items_total + POST, Purpose.CASH, {"parcel_id": n}),
                        (
                            producer_cash_account(producer["id"]),
                            -(items_total + POST),
                            Purpose.CASH,
                            {"parcel_id": n},
                        ),
                    ],
                )
            if refunded and delivered + timedelta(days=7) < now:
                at = delivered + timedelta(days=7)
                back = [
                    (account, -amount, purpose, extra) for account, amount, purpose, extra in rows
                ]
                post(TransactionKind.REFUND, f"bench:refund:{n}", n, at, back)
                if cooperative:
                    figures = expected[(cooperative, month_of(at, zone))]
                    figures[0] -= items_total
                    figures[1] -= commission_total

        # Payouts once a Jalali season: what card sales earned the producer that season.
        batches, payouts = [], []
        season_starts = []
        month = month_of(begin, zone)
        while True:
            first = Month(month.year, (month.season - 1) * 3 + 1)
            start = datetime.combine(first.first_day.togregorian(), datetime.min.time(), UTC)
            if start > now:
                break
            season_starts.append(start)
            month = Month.from_index(first.index + 3)
        for index, start in enumerate(season_starts[1:], start=1):
            batch_id = len(batches) + 1
            batches.append(
                {
                    "id": batch_id,
                    "status": BatchStatus.CONFIRMED,
                    "currency": "IRR",
                    "created_by_id": admin_id,
                    "created_at": start + timedelta(days=2),
                    "decided_by_id": admin_id,
                    "decided_at": start + timedelta(days=3),
                }
            )
            low = season_starts[index - 1]
            for producer_id, earned in earned_by_producer.items():
                amount = sum(a for at, a in earned if low <= at < start) // 2
                if amount <= 0:
                    continue
                payout_id = len(payouts) + 1
                payouts.append(
                    {
                        "id": payout_id,
                        "batch_id": batch_id,
                        "account": producer_account(producer_id),
                        "beneficiary": f"کارگاه {producer_id}",
                        "sheba": "",
                        "amount": amount,
                        "cash_settled": 0,
                        "skipped_reason": "",
                    }
                )
                post(
                    TransactionKind.PAYOUT,
                    f"payout:{payout_id}",
                    None,
                    start + timedelta(days=3),
                    [
                        (
                            producer_account(producer_id),
                            -amount,
                            Purpose.PAYOUT,
                            {"payout_id": payout_id},
                        ),
                        (BANK, amount, Purpose.PAYOUT, {"payout_id": payout_id}),
                    ],
                )

        applications = []
        statuses = [
            SubsidyStatus.PAID,
            SubsidyStatus.APPROVED,
            SubsidyStatus.REJECTED,
            SubsidyStatus.SUBMITTED,
            SubsidyStatus.CHANGES_REQUESTED,
            SubsidyStatus.DRAFT,
        ]
        for cooperative in range(1, COOPERATIVES + 1):
            for k in range(6):
                n = len(applications) + 1
                submitted = begin + (now - begin) * rng.random()
                status = statuses[k]
                cost = rng.randrange(200, 2_000) * 100_000
                granted = (cost * 6_000 + 5_000) // 10_000 if status in statuses[:2] else None
                applications.append(
                    {
                        "id": n,
                        "cooperative_id": cooperative,
                        "created_by_id": admin_id,
                        "work": rng.choice(list(BrandingWork)),
                        "description": "طراحی نشان و بسته‌بندی",
                        "supplier": "استودیو نقش",
                        "cost": cost,
                        "status": status,
                        "rate_bp": 6_000,
                        "cap": 100_000_000,
                        "jalali_year": month_of(submitted, zone).year,
                        "computed_amount": (cost * 6_000 + 5_000) // 10_000,
                        "approved_amount": min(granted, 100_000_000) if granted else None,
                        "decision_note": "",
                        "created_at": submitted - timedelta(days=2),
                        "submitted_at": submitted if status is not SubsidyStatus.DRAFT else None,
                        "decided_at": submitted + timedelta(days=5) if k < 3 else None,
                        "paid_at": submitted + timedelta(days=20) if k == 0 else None,
                    }
                )
                if granted:
                    amount = min(granted, 100_000_000)
                    post(
                        TransactionKind.SUBSIDY,
                        f"subsidy:{n}",
                        None,
                        submitted + timedelta(days=5),
                        [
                            (SUBSIDY_FUND, -amount, Purpose.SUBSIDY, {}),
                            (cooperative_account(cooperative), amount, Purpose.SUBSIDY, {}),
                        ],
                    )
        training = []
        for centre in range(1, CENTRES + 1):
            index = month_of(begin, zone).index
            while index <= month_of(now, zone).index:
                month = Month.from_index(index)
                training.append(
                    {
                        "centre_id": centre,
                        "jalali_year": month.year,
                        "jalali_month": month.month,
                        "trained": rng.randint(0, 12),
                    }
                )
                index += 1
        prepared = time.perf_counter() - started

        _insert(User, users)
        for model, rows in (
            (Centre, centres),
            (Cooperative, cooperatives),
            (Producer, producers),
            (Product, products),
            (ProductVariant, variants),
            (OrderModel, orders),
            (Parcel, parcels),
            (OrderLine, order_lines),
            (PayoutBatch, batches),
            (Payout, payouts),
            (LedgerTransaction, transactions),
            (LedgerEntry, entries),
            (SubsidyApplication, applications),
            (TrainingRecord, training),
        ):
            _insert(model, rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:  # ids were given: move the sequences on
                for table in (
                    "users",
                    "centres",
                    "cooperatives",
                    "producers",
                    "products",
                    "product_variants",
                    "orders",
                    "parcels",
                    "order_lines",
                    "payout_batches",
                    "payouts",
                    "ledger_transactions",
                    "subsidy_applications",
                ):
                    statement = (
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                    connection.execute(text(statement))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        db.session.remove()
    return {
        "seconds": time.perf_counter() - started,
        "prepare_seconds": prepared,
        "orders": len(orders),
        "order_lines": len(order_lines),
        "entries": len(entries),
        "payouts": len(payouts),
        "applications": len(applications),
        "expected": dict(expected),
        "now": now,
    }
