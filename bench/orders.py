"""Benchmark: placing orders through the service (``shop.orders.services.place_order``).

Run with::

    .venv/bin/python -m bench.orders                                   # SQLite file
    .venv/bin/python -m bench.orders --database-url postgresql+psycopg://…/bench  # PostgreSQL

On a migrated database (SQLite with WAL and ``synchronous=FULL``, as in production) it
measures, for two-line orders from two producers paid cash on delivery (each writing its
e-mails to the mail folder after the commit, as the command line does):

* one buyer after another: orders per second and p50 / p95 latency of one placement;
* ``--threads`` buyers at once (each its own thread, connection and transaction);
* a race: ``--racers`` buyers at once for ``--race-stock`` pieces of one listing — the result
  must be exactly that many orders and the rest "sold out", with no other error.

``bench.checkout_http`` places the same orders through the checkout page under gunicorn and
sets them beside this path, using the seed and helpers here. Results go to stdout and
``bench/data/orders-results-<database>.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def make_app(folder: Path, database_url: str | None):
    from shop import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "orders-benchmark-secret-key-000000000000",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder / 'shop.sqlite3'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 120}
            if database_url
            else {},
            "SHOP_SQLITE_SYNCHRONOUS": "FULL",
            "SHOP_UPLOAD_DIR": str(folder / "uploads"),
            "SHOP_SEARCH_INDEX_DIR": str(folder / "index"),
            "SHOP_MAIL_FOLDER": str(folder / "mail"),
            "SHOP_PASSWORD_METHOD": "pbkdf2:sha256:1000",
            "SHOP_SEARCH_WORKER": False,
        }
    )


#: Every benchmark account's password (hashed with the fast method ``make_app`` sets).
PASSWORD = "x" * 12

#: Where every benchmark order goes: the service's address, and what the checkout form is given.
ADDRESS = {
    "recipient": "مریم رضایی",
    "mobile": "09121234567",
    "province": "razavi-khorasan",
    "city": "مشهد",
    "street_address": "بلوار طلاب، پلاک ۴",
    "postal_code": "9177948974",
}


def buyer_email(n: int) -> str:
    return f"buyer{n}@bench.test"


def add_producer(n: int, centre: str | None = None) -> int:
    """An approved shop (with its own training centre when ``centre`` names one); its id."""
    from shop.accounts import services as accounts
    from shop.cooperatives import services as cooperatives
    from shop.database import transaction
    from shop.producers import services as producers

    with transaction():
        centre_id = (
            cooperatives.create_centre(cooperatives.CentreData(centre, "مشهد", "طلاب")).id
            if centre
            else None
        )
        owner = accounts.register_user(
            accounts.Registration(f"maker{n}@bench.test", PASSWORD, f"سازنده {n}")
        )
        shop = producers.apply_as_producer(
            owner, producers.Application(f"کارگاه {n}", "مشهد", "طلاب", centre_id, None)
        )
        producers.approve_producer(shop)
    return shop.id


def add_listing(producer_id: int, title: str, stock: int) -> int:
    """An approved listing of ``stock`` pieces at 1,200,000 rials, without photos; its id."""
    from shop.catalog.models import Category
    from shop.database import transaction
    from shop.extensions import db
    from shop.listings import services as listings
    from shop.listings.models import DescriptionFormat
    from shop.producers.models import Producer

    kilim = db.session.scalar(db.select(Category).where(Category.slug == "kilim"))
    with transaction():
        product = listings.create_listing(
            db.session.get(Producer, producer_id),
            listings.ListingData(
                title=title,
                description="—",
                description_format=DescriptionFormat.PLAIN,
                category_id=kilim.id,
                price=1_200_000,
                is_made_to_order=False,
                stock_quantity=stock,
                lead_time_days=None,
            ),
            [],
        )
    with transaction():
        revision = product.open_revision
        listings.approve_revision(product, revision.id, revision.version, None)
    return product.id


def implicit_variants(product_ids: list[int]) -> dict[int, int]:
    """Listing id → its one (implicit) variant's id: what a checkout names."""
    from shop.extensions import db
    from shop.listings.models import ProductVariant

    rows = db.session.execute(
        db.select(ProductVariant.product_id, ProductVariant.id).where(
            ProductVariant.product_id.in_(product_ids)
        )
    ).all()
    return dict(rows)


def seed(app, buyers: int, database_url: str | None) -> dict:
    """Migrate an empty database (PostgreSQL's schema dropped first), then write two shops
    with a listing of plenty each, one listing with no stock yet, and ``buyers`` buyers."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from shop.accounts import services as accounts
    from shop.database import transaction
    from shop.extensions import db

    with app.app_context():
        if database_url:
            db.session.remove()
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        shops = [add_producer(n) for n in range(2)]
        plenty = [add_listing(shops[n], f"گلیم {n}", 100_000) for n in range(2)]
        scarce = add_listing(shops[0], "فرش یگانه", 0)
        variant_of = implicit_variants([*plenty, scarce])
        buyer_ids = []
        for n in range(buyers):
            with transaction():
                buyer_ids.append(
                    accounts.register_user(
                        accounts.Registration(buyer_email(n), PASSWORD, f"خریدار {n}")
                    ).id
                )
        db.session.remove()
    return {"plenty": plenty, "scarce": scarce, "buyers": buyer_ids, "variant": variant_of}


def _checkout(quantities: dict[int, int], key: str):
    from shop.orders.services import Checkout, DeliveryAddress

    return Checkout(quantities, DeliveryAddress(**ADDRESS), "cash", key)


def place(app, buyer_id: int, quantities: dict[int, int], key: str) -> tuple[str, float]:
    from shop.accounts.models import User
    from shop.database import transaction
    from shop.extensions import db
    from shop.orders.services import OutOfStock, place_order

    started = time.perf_counter()
    try:
        with transaction():
            place_order(db.session.get(User, buyer_id), _checkout(quantities, key))
        outcome = "ordered"
    except OutOfStock:
        outcome = "sold out"
    except Exception as exc:  # anything else is a defect the figures must show
        outcome = f"error: {type(exc).__name__}: {exc}"[:200]
    finally:
        db.session.remove()
    return outcome, time.perf_counter() - started


def run_threads(app, jobs: list[tuple[int, dict, str]], threads: int) -> tuple[list, float]:
    results: list[tuple[str, float]] = []
    lock = threading.Lock()
    queue = list(jobs)
    barrier = threading.Barrier(threads)

    def worker():
        with app.app_context():
            barrier.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                outcome = place(app, *job)
                with lock:
                    results.append(outcome)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return results, time.perf_counter() - started


def summary(results: list[tuple[str, float]], seconds: float) -> dict:
    latencies = sorted(r[1] * 1000 for r in results)
    outcomes: dict[str, int] = {}
    for outcome, _ in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return {
        "n": len(results),
        "per_second": len(results) / seconds,
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "outcomes": outcomes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--racers", type=int, default=100)
    parser.add_argument("--race-stock", type=int, default=10)
    options = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="dastranj-bench-orders-"))
    app = make_app(folder, options.database_url)
    ids = seed(app, max(options.orders, options.racers), options.database_url)
    two_lines = {ids["variant"][ids["plenty"][0]]: 1, ids["variant"][ids["plenty"][1]]: 1}
    jobs = [(ids["buyers"][n], two_lines, f"seq-{n}") for n in range(options.orders)]

    with app.app_context():
        for buyer_id, quantities, key in jobs[:10]:  # warm-up, not counted
            place(app, buyer_id, quantities, f"warm-{key}")
        started = time.perf_counter()
        sequential = [place(app, *job) for job in jobs]
        one_by_one = summary(sequential, time.perf_counter() - started)

    concurrent_jobs = [(b, q, k.replace("seq", "par")) for b, q, k in jobs]
    results, seconds = run_threads(app, concurrent_jobs, options.threads)
    at_once = summary(results, seconds)

    with app.app_context():
        from shop.database import transaction
        from shop.extensions import db
        from shop.listings.models import Product
        from shop.listings.variants import set_single_stock

        with transaction():
            set_single_stock(db.session.get(Product, ids["scarce"]), options.race_stock)
        db.session.remove()
    scarce = ids["variant"][ids["scarce"]]
    race_jobs = [(ids["buyers"][n], {scarce: 1}, f"race-{n}") for n in range(options.racers)]
    results, seconds = run_threads(app, race_jobs, options.racers)
    race = summary(results, seconds)
    with app.app_context():
        left = db.session.get(Product, ids["scarce"]).stock_quantity
        db.session.remove()

    database = "postgresql" if options.database_url else "sqlite"
    lines = [
        f"# Order placement ({database}), {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| run | orders | orders/s | p50 ms | p95 ms | outcomes |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, s in (
        ("one buyer after another", one_by_one),
        (f"{options.threads} buyers at once", at_once),
        (f"{options.racers} buyers for {options.race_stock} pieces", race),
    ):
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(s["outcomes"].items()))
        lines.append(
            f"| {name} | {s['n']} | {s['per_second']:.1f} | {s['p50']:.1f} | {s['p95']:.1f} "
            f"| {outcomes} |"
        )
    lines.append("")
    lines.append(f"Race: {left} pieces left afterwards.")
    text = "\n".join(lines)
    print(text)
    DATA.mkdir(exist_ok=True)
    (DATA / f"orders-results-{database}.md").write_text(text + "\n", encoding="utf-8")
    ok = (
        race["outcomes"].get("ordered") == options.race_stock
        and race["outcomes"].get("sold out") == options.racers - options.race_stock
        and left == 0
        and all(k in ("ordered",) for k in one_by_one["outcomes"])
        and all(k in ("ordered",) for k in at_once["outcomes"])
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
