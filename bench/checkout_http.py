"""Benchmark: checkout through the full HTTP stack (gunicorn, 4 sync workers, on loopback),
beside the same orders placed directly through the service in the same run.

Run with::

    .venv/bin/python -m bench.checkout_http                                    # SQLite file
    .venv/bin/python -m bench.checkout_http --database-url postgresql+psycopg://…/bench

It migrates and seeds a database with ``bench.orders`` (two shops with a listing of plenty
each, one listing with no stock yet, the buyers), then serves the shop from it with
``gunicorn --workers 4`` in production settings: ``SHOP_ENV=production``, SQLite in WAL with
``synchronous=FULL``, mail and search updates after the response, and each process's search
drainer and order-expiry threads running. Three settings differ from a deployment, each because
the client is a script on loopback: cookies are not marked Secure (there is no TLS); every buyer
sends its own ``X-Forwarded-For`` through one trusted proxy hop, as nginx would, so the
per-address limit on adds counts each buyer rather than the single loopback address; and
passwords keep the seed's fast hash (sign-in is never timed; production's scrypt would only
slow the set-up down).

Each buyer is a ``requests`` session that does what a browser does: it signs in through the
sign-in form, opens a listing's page and posts its add-to-cart form (following the redirect to
the cart page), opens the checkout review page and posts that form back — its CSRF token,
idempotency key and cart fingerprint as the page gave them, the benchmark's address, post for
every parcel, cash on delivery. Measured:

* one buyer after another, then ``--threads`` buyers at once: orders per second and p50 / p95
  of the checkout POST alone — every buyer has signed in, filled its cart and opened the review
  page before the clock starts — beside ``bench.orders.place`` called as many times in this
  process for the same two-line orders (in one thread, then ``--threads``), before the server
  starts; the ratio is HTTP / service. For one buyer after another, the whole add → review →
  place flow (its seven requests) is timed too.
* a race: ``--racers`` buyers post their checkouts at once for ``--race-stock`` pieces of one
  listing. The database must then hold exactly that many orders of it, every other buyer must
  get the sold-out answer (409 with the shortage message), nobody anything else, and the server
  log must not say "database is locked".
* SQL statements the cart page and the checkout review page run for 1 line from 1 shop and for
  6 lines from 3 shops (each with its own centre), counted in this process through Flask's test
  client as ``tests/orders/test_query_counts.py`` does.

Results go to stdout and ``bench/data/checkout-http-results-<database>.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from bench.orders import (
    ADDRESS,
    DATA,
    PASSWORD,
    add_listing,
    add_producer,
    buyer_email,
    make_app,
    place,
    run_threads,
    seed,
    summary,
)

ROOT = Path(__file__).resolve().parent.parent
SECRET = "checkout-http-benchmark-secret-key-0000000000"  # noqa: S105 - throwaway
#: Requests that set a buyer up (sign-in, cart, review) run this many at a time, untimed.
SETUP_THREADS = 4


# -- reading pages as a browser does -----------------------------------------------------------


class _Forms(HTMLParser):
    """Every form of a page, with what a browser would send for it as it stands: inputs with
    their values, checked boxes and radios, each select's chosen (else first) option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append((attributes.get("action") or "", {}))
            return
        if not self.forms:
            return
        fields, name = self.forms[-1][1], attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    fields[name] = attributes.get("value") or "on"
            elif kind not in ("submit", "button", "reset", "image", "file"):
                fields[name] = attributes.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first = name, None
        elif tag == "option" and self._select:
            value = attributes.get("value") or ""
            if self._first is None:
                self._first = value
            if "selected" in attributes:
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self.forms:
            self.forms[-1][1].setdefault(self._select, self._first or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str]:
    """What the page's form posting to ``action`` would send."""
    parser = _Forms()
    parser.feed(html)
    for target, fields in parser.forms:
        if target.split("?")[0] == action:
            return dict(fields)
    raise LookupError(f"no form posting to {action}")


def page_errors(html: str) -> str:
    """The messages a page shows at the top of its form and under its fields, as plain text."""
    found = re.findall(r'class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    found += re.findall(r'class="field-error"[^>]*>(.*?)<', html, re.S)
    return " | ".join(" ".join(unescape(re.sub(r"<[^>]+>", " ", p)).split()) for p in found)


# -- a shopper, over real HTTP or through the test client --------------------------------------


@dataclass
class Page:
    status: int
    text: str
    location: str


class HttpBrowser:
    """A ``requests`` session with its own client address; redirects are not followed."""

    def __init__(self, base: str, n: int) -> None:
        import requests

        self.base = base
        self.session = requests.Session()
        self.session.headers["X-Forwarded-For"] = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    def _page(self, response) -> Page:
        return Page(response.status_code, response.text, response.headers.get("Location", ""))

    def get(self, path: str) -> Page:
        return self._page(self.session.get(self.base + path, allow_redirects=False, timeout=120))

    def post(self, path: str, data: dict) -> Page:
        return self._page(
            self.session.post(self.base + path, data=data, allow_redirects=False, timeout=120)
        )


class AppBrowser:
    """The same through Flask's test client (for counting a page's queries in this process)."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def _page(self, response) -> Page:
        return Page(response.status_code, response.get_data(as_text=True), response.location or "")

    def get(self, path: str) -> Page:
        return self._page(self.client.get(path))

    def post(self, path: str, data: dict) -> Page:
        return self._page(self.client.post(path, data=data))


def _path(location: str) -> str:
    return re.sub(r"^https?://[^/]+", "", location)


class Shopper:
    """One buyer going through the shop's pages; each step returns the seconds it took."""

    def __init__(self, browser, n: int) -> None:
        self.browser, self.n = browser, n
        self.checkout: dict[str, str] | None = None

    def _timed(self, call, *args) -> tuple[Page, float]:
        started = time.perf_counter()
        page = call(*args)
        return page, time.perf_counter() - started

    def sign_in(self) -> None:
        fields = form_fields(self.browser.get("/login").text, "/login")
        fields.update(email=buyer_email(self.n), password=PASSWORD)
        page = self.browser.post("/login", fields)
        if page.status != 303:
            raise RuntimeError(f"sign-in of buyer {self.n}: {page.status} {page_errors(page.text)}")

    def add(self, product_id: int) -> float:
        """Open the listing, post its add-to-cart form, follow to the cart page."""
        listing, seconds = self._timed(self.browser.get, f"/products/{product_id}")
        fields = form_fields(listing.text, "/cart/add")
        added, more = self._timed(self.browser.post, "/cart/add", fields)
        if added.status != 303:
            raise RuntimeError(f"add by buyer {self.n}: {added.status} {page_errors(added.text)}")
        cart, last = self._timed(self.browser.get, _path(added.location))
        if cart.status != 200:
            raise RuntimeError(f"cart page of buyer {self.n}: {cart.status}")
        return seconds + more + last

    def review(self) -> float:
        """Open the checkout review page and fill its form as the buyer would."""
        page, seconds = self._timed(self.browser.get, "/checkout")
        if page.status != 200:
            raise RuntimeError(f"review page of buyer {self.n}: {page.status}")
        fields = form_fields(page.text, "/checkout")
        fields.update(ADDRESS)
        fields["payment_method"] = "cash"
        self.checkout = fields
        return seconds

    def place(self, sold_out_message: str) -> tuple[str, float]:
        """Post the reviewed checkout: (outcome, seconds of that one POST)."""
        page, seconds = self._timed(self.browser.post, "/checkout", self.checkout)
        self.checkout = None
        if page.status == 303 and "/orders/" in page.location:
            return "ordered", seconds
        if page.status == 409 and sold_out_message in unescape(page.text):
            return "sold out", seconds
        return f"error: {page.status} {page_errors(page.text)}"[:200], seconds


# -- the server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(app, folder: Path, database_url: str | None, workers: int):
    """gunicorn serving ``shop:create_app()`` on the benchmark's database; (process, base URL,
    log file) once it answers."""
    port = _free_port()
    log = folder / "gunicorn.log"
    config = folder / "gunicorn.conf.py"
    config.write_text(
        "# Written by bench.checkout_http.\n"
        f"errorlog = {str(log)!r}\n"
        "capture_output = True\n"
        'loglevel = "info"\n'
        "timeout = 120\n"
        "# No control socket in the home folder, where another server's may be (gunicorn 25+).\n"
        "control_socket_disable = True\n",
        encoding="utf-8",
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SHOP_")},
        "SHOP_ENV": "production",
        "SHOP_SECRET_KEY": SECRET,
        "SHOP_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SHOP_SQLITE_SYNCHRONOUS": "FULL",
        "SHOP_INSTANCE_PATH": str(folder / "instance"),
        "SHOP_UPLOAD_DIR": app.config["SHOP_UPLOAD_DIR"],
        "SHOP_SEARCH_INDEX_DIR": app.config["SHOP_SEARCH_INDEX_DIR"],
        "SHOP_MAIL_FOLDER": app.config["SHOP_MAIL_FOLDER"],
        "SHOP_PASSWORD_METHOD": app.config["SHOP_PASSWORD_METHOD"],
        "SHOP_SECURE_COOKIES": "0",
        "SHOP_TRUSTED_PROXIES": "1",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(config),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "shop:create_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603 - our own argv
    base = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log}")
        try:
            if requests.get(base + "/login", timeout=5).status_code == 200:
                return process, base, log
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer within 90 s; see {log}")


def stop_server(process) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the runs -------------------------------------------------------------------------------------


def _in_pool(work, items, threads: int = SETUP_THREADS) -> list:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(work, items))


def fill_and_review(shoppers: list[Shopper], products: list[int]) -> None:
    """Untimed: every shopper adds one of each product and opens the review page."""

    def prepare(shopper):
        for product_id in products:
            shopper.add(product_id)
        shopper.review()

    _in_pool(prepare, shoppers)


def post_at_once(shoppers: list[Shopper], threads: int, message: str) -> tuple[list, float]:
    """The shoppers' reviewed checkouts posted by ``threads`` client threads (all of them at
    once when ``threads`` is their number); the wall time from the start to the last answer."""
    results: list[tuple[str, float]] = []
    queue = list(shoppers)
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def worker():
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    return
                shopper = queue.pop()
            outcome = shopper.place(message)
            with lock:
                results.append(outcome)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return results, time.perf_counter() - started


def service_runs(app, ids: dict, orders: int, threads: int) -> tuple[dict, dict]:
    """``bench.orders.place`` for ``orders`` two-line orders, one after another, then again
    with ``threads`` threads (after ten warm-up placements, as ``bench.orders`` does)."""
    two_lines = {ids["variant"][ids["plenty"][0]]: 1, ids["variant"][ids["plenty"][1]]: 1}
    jobs = [(ids["buyers"][n], two_lines, f"svc-seq-{n}") for n in range(orders)]
    with app.app_context():
        for buyer_id, quantities, key in jobs[:10]:
            place(app, buyer_id, quantities, f"svc-warm-{key}")
        started = time.perf_counter()
        one_by_one = summary([place(app, *job) for job in jobs], time.perf_counter() - started)
    results, seconds = run_threads(
        app, [(b, q, k.replace("seq", "par")) for b, q, k in jobs], threads
    )
    return one_by_one, summary(results, seconds)


def sold_out_message(app) -> str:
    """The shortage message as a buyer reads it (in the shop's default language)."""
    from flask_babel import force_locale

    from shop.orders.services import OutOfStock

    with app.test_request_context(), force_locale(app.config["SHOP_DEFAULT_LOCALE"]):
        return str(OutOfStock.message)


def count_page_queries(app, ids: dict) -> dict[str, tuple[int, int]]:
    """Statements of one GET of /cart and /checkout for a buyer with 1 line from 1 shop and
    one with 6 lines from 3 shops, each shop with its own centre."""
    from sqlalchemy import event

    from shop.extensions import db

    with app.app_context():
        one = [add_listing(add_producer(10, centre="مرکز ۱۰"), "تک", 100)]
        shops = [add_producer(n, centre=f"مرکز {n}") for n in (11, 12, 13)]
        six = [add_listing(shop, f"کالا {shop}-{k}", 100) for shop in shops for k in range(2)]
        engine = db.engine
        db.session.remove()
    shoppers = []
    for n, products in zip(ids["spare"], (one, six), strict=True):
        shopper = Shopper(AppBrowser(app), n)
        shopper.sign_in()
        for product_id in products:
            shopper.add(product_id)
        shoppers.append(shopper)
    counts = {}
    for url in ("/cart", "/checkout"):
        found = []
        for shopper in shoppers:
            statements = []

            def counter(*_args, statements=statements):
                statements.append(1)

            event.listen(engine, "before_cursor_execute", counter)
            try:
                page = shopper.browser.get(url)
            finally:
                event.remove(engine, "before_cursor_execute", counter)
            if page.status != 200:
                raise RuntimeError(f"{url}: {page.status}")
            found.append(len(statements))
        counts[url] = tuple(found)
    return counts


def _row(name: str, s: dict, service: dict | None = None) -> str:
    outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(s["outcomes"].items()))
    ratio = f"{s['per_second'] / service['per_second']:.2f}" if service else "—"
    per_second = f"{s['per_second']:.1f}" if s.get("per_second") is not None else "—"
    return (
        f"| {name} | {s['n']} | {per_second} | {s['p50']:.1f} | {s['p95']:.1f} | {ratio} "
        f"| {outcomes} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--racers", type=int, default=100)
    parser.add_argument("--race-stock", type=int, default=10)
    options = parser.parse_args(argv)
    load_before = os.getloadavg()

    folder = Path(tempfile.mkdtemp(prefix="dastranj-bench-checkout-"))
    app = make_app(folder, options.database_url)
    buyers = max(options.orders, options.racers)
    ids = seed(app, buyers + 2, options.database_url)
    ids["spare"] = list(range(buyers, buyers + 2))  # kept for counting the pages' queries
    message = sold_out_message(app)

    # The service first, while no server runs beside it (its drainers would index these orders).
    service_one, service_many = service_runs(app, ids, options.orders, options.threads)

    with app.app_context():  # the index the shop serves from (`shop search reindex`)
        from shop.search.services import reindex

        reindex()
    process, base, log = start_server(app, folder, options.database_url, options.workers)
    try:
        shoppers = [Shopper(HttpBrowser(base, n), n) for n in range(buyers)]
        _in_pool(Shopper.sign_in, shoppers)
        plenty = ids["plenty"]
        # Warm-up, not counted: every worker serves a few checkouts first.
        fill_and_review(shoppers[:8], plenty)
        post_at_once(shoppers[:8], options.threads, message)

        flows = []
        timed = shoppers[: options.orders]
        for shopper in timed:  # one buyer after another: set up, then all the POSTs in a row
            flows.append(sum(shopper.add(p) for p in plenty) + shopper.review())
        started = time.perf_counter()
        posted = [shopper.place(message) for shopper in timed]
        http_one = summary(posted, time.perf_counter() - started)
        flow = summary([(o, f + s) for (o, s), f in zip(posted, flows, strict=True)], sum(flows))
        flow["per_second"] = None

        fill_and_review(timed, plenty)
        results, seconds = post_at_once(timed, options.threads, message)
        http_many = summary(results, seconds)

        with app.app_context():
            from shop.database import transaction
            from shop.extensions import db
            from shop.listings.models import Product
            from shop.listings.variants import set_single_stock

            with transaction():
                set_single_stock(db.session.get(Product, ids["scarce"]), options.race_stock)
            db.session.remove()
        racers = shoppers[: options.racers]
        fill_and_review(racers, [ids["scarce"]])
        results, seconds = post_at_once(racers, options.racers, message)
        race = summary(results, seconds)
        race["per_second"] = None  # answers, not orders, per second
    finally:
        stop_server(process)
    server_log = log.read_text(encoding="utf-8", errors="replace")
    locked = server_log.lower().count("database is locked")
    tracebacks = server_log.count("Traceback")

    with app.app_context():
        from sqlalchemy import func, select

        from shop.extensions import db
        from shop.listings.models import Product
        from shop.orders.models import Order, OrderLine, Parcel

        left = db.session.get(Product, ids["scarce"]).stock_quantity
        race_orders = db.session.scalar(
            select(func.count(func.distinct(Parcel.order_id)))
            .join(OrderLine, OrderLine.parcel_id == Parcel.id)
            .where(OrderLine.product_id == ids["scarce"])
        )
        orders_in_all = db.session.scalar(select(func.count(Order.id)))
        db.session.remove()
    warm_ups = 10 + 8  # the service's and the server's, not counted
    expected = warm_ups + 4 * options.orders + options.race_stock
    counts = count_page_queries(app, ids)
    load_after = os.getloadavg()

    database = "postgresql" if options.database_url else "sqlite"
    n = options.orders
    lines = [
        f"# Checkout through HTTP ({database}), {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"gunicorn, {options.workers} sync workers, on 127.0.0.1; {os.cpu_count()} cores; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after. Two-line "
        "cash-on-delivery orders from two shops; HTTP times the checkout POST alone (signed in, "
        "cart filled and review page opened beforehand); the service is `bench.orders.place`.",
        "",
        "| run | orders | orders/s | p50 ms | p95 ms | HTTP / service | outcomes |",
        "|---|---:|---:|---:|---:|---:|---|",
        _row(f"service, {n} one after another", service_one),
        _row(f"HTTP, {n} one after another", http_one, service_one),
        _row(f"service, {n} with {options.threads} threads", service_many),
        _row(f"HTTP, {n} with {options.threads} client threads", http_many, service_many),
        _row(f"HTTP add → review → place, {n} one after another (7 requests)", flow),
        _row(f"HTTP, {options.racers} buyers at once for {options.race_stock} pieces", race),
        "",
        f"Race: {race_orders} orders of the scarce listing in the database, {left} pieces left; "
        f'server log: {locked} "database is locked", {tracebacks} tracebacks. Orders in the '
        f"database: {orders_in_all} (expected {expected}, warm-ups included).",
        "",
        "| page | queries, 1 line from 1 shop | queries, 6 lines from 3 shops |",
        "|---|---:|---:|",
        *(f"| {url} | {a} | {b} |" for url, (a, b) in counts.items()),
    ]
    text = "\n".join(lines)
    print(text)
    DATA.mkdir(exist_ok=True)
    (DATA / f"checkout-http-results-{database}.md").write_text(text + "\n", encoding="utf-8")
    ok = (
        race_orders == options.race_stock
        and race["outcomes"].get("ordered") == options.race_stock
        and race["outcomes"].get("sold out") == options.racers - options.race_stock
        and left == 0
        and locked == 0
        and orders_in_all == expected
        and set(http_one["outcomes"]) == {"ordered"}
        and set(http_many["outcomes"]) == {"ordered"}
        and set(service_one["outcomes"]) == {"ordered"}
        and set(service_many["outcomes"]) == {"ordered"}
        and all(a == b for a, b in counts.values())
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
