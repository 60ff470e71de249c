"""Benchmark: the cooperative dashboard, the impact dashboard and their exports over a
programme of 2,000 producers, 20 centres, 40 cooperatives and three years of orders (about
300,000 order lines, 1.6 million ledger entries).

Run with::

    .venv/bin/python -m bench.reports                                   # SQLite file
    .venv/bin/python -m bench.reports --database-url postgresql+psycopg://…/bench  # PostgreSQL

The data is written in bulk by ``bench.reports_data`` onto a migrated database (SQLite with WAL
and ``synchronous=FULL``, as in production; PostgreSQL's tables dropped first), then
``ANALYZE``. Before timing, the cooperative report is checked against what was written: every
cooperative's sales and commission per Jalali month, for the last Jalali year, equal the sums
made while generating; and the impact dashboard's producer income equals the ledger's.

It then times, ``--runs`` times each after ``--warmup`` runs not counted, interleaved run by run
so that a noisy neighbour slows all of them alike, each call in a fresh session as a request is
(and inside a request context, in Persian, as the pages are):

* the baseline: a plain ``SELECT count(*) FROM ledger_entries``;
* the cooperative dashboard's figures for a Jalali year (``cooperative_report``), a different
  cooperative each run, and its CSV and XLSX exports (figures and file);
* the impact dashboard's figures for a Jalali year and for three years, and its exports for a
  year.

Median and p95 (nearest rank) in milliseconds, and as ratios to the baseline's median and p95 in
the same process. Results go to stdout and ``bench/data/reports-results-<database>.md``; exit
status 1 means a check failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.ledger import interleaved, migrate, p50, p95
from bench.orders import DATA, make_app
from bench.reports_data import COOPERATIVES, generate


def _periods(app, now):
    from shop.reports.periods import Month, Period, month_of

    zone = app.config["BABEL_DEFAULT_TIMEZONE"]
    current = month_of(now, zone)
    last_year = Period.year(current.year - 1, zone)
    newest = Month.from_index(current.index - 1)
    three_years = Period(
        Month.from_index(newest.index - 35).first_day, newest.last_day, "range", zone
    )
    return last_year, three_years


def verify(app, generated: dict) -> list[str]:
    from shop.reports.cooperative import cooperative_report

    problems = []
    year, _ = _periods(app, generated["now"])
    expected = generated["expected"]
    with app.test_request_context():
        for cooperative in range(1, COOPERATIVES + 1):
            report = cooperative_report(cooperative, year)
            for row in report.months:
                want = expected.get((cooperative, row.month), [0, 0])
                got = [row.figures.sales, row.figures.commission]
                if got != want:
                    problems.append(f"cooperative {cooperative} {row.month}: {got} != {want}")
    return problems


def operations(app, now) -> list[tuple[str, object]]:
    from shop.extensions import db
    from shop.reports import impact
    from shop.reports.cooperative import cooperative_report, report_sheets
    from shop.reports.exports import csv_bytes, xlsx_bytes

    year, three_years = _periods(app, now)

    def cooperative(run):
        return cooperative_report(run * 7 % COOPERATIVES + 1, year)

    def cooperative_export(kind):
        def call(run):
            sheets = report_sheets(cooperative(run), "fa")
            return csv_bytes(sheets) if kind == "csv" else xlsx_bytes(sheets, rtl=True)

        return call

    def impact_export(kind):
        def call(run):
            sheets = impact.impact_sheets(impact.impact_figures(year), "fa")
            return csv_bytes(sheets) if kind == "csv" else xlsx_bytes(sheets, rtl=True)

        return call

    return [
        (
            "baseline: `SELECT count(*) FROM ledger_entries`",
            lambda run: db.session.scalar(text("SELECT count(*) FROM ledger_entries")),
        ),
        ("cooperative dashboard, one Jalali year (`cooperative_report`)", cooperative),
        ("cooperative export, CSV, one year", cooperative_export("csv")),
        ("cooperative export, XLSX, one year", cooperative_export("xlsx")),
        (
            "impact dashboard, one Jalali year (`impact_figures`)",
            lambda run: impact.impact_figures(year),
        ),
        ("impact dashboard, three years", lambda run: impact.impact_figures(three_years)),
        ("impact export, CSV, one year", impact_export("csv")),
        ("impact export, XLSX, one year", impact_export("xlsx")),
    ]


def measure(app, now, runs: int, warmup: int) -> list[tuple[str, list[float]]]:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("fa"):
        return interleaved(operations(app, now), runs, warmup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--lines", type=int, default=300_000)
    options = parser.parse_args(argv)
    if options.runs < 20:
        parser.error("--runs must be at least 20")

    folder = Path(tempfile.mkdtemp(prefix="dastranj-bench-reports-"))
    app = make_app(folder, options.database_url)
    migrated = migrate(app, options.database_url)
    generated = generate(app, lines=options.lines)
    problems = verify(app, generated)
    for problem in problems[:20]:
        print(f"CHECK FAILED: {problem}", file=sys.stderr)
    results = measure(app, generated["now"], options.runs, options.warmup)

    database = "postgresql" if options.database_url else "sqlite"
    base = results[0][1]
    lines = [
        f"# Reports ({database}), {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"2,000 producers, 20 centres, {COOPERATIVES} cooperatives; {generated['orders']:,} "
        f"orders, {generated['order_lines']:,} order lines, {generated['entries']:,} ledger "
        f"entries, {generated['payouts']:,} payouts, {generated['applications']:,} subsidy "
        f"applications over three years. Migration {migrated:.1f} s; data "
        f"{generated['seconds']:.0f} s once (bulk inserts, then ANALYZE). {options.runs} runs "
        f"each after {options.warmup} warm-up runs; {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}.",
        "",
        "| operation | median ms | p95 ms | × baseline median | × baseline p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, samples in results:
        lines.append(
            f"| {name} | {p50(samples) * 1000:.1f} | {p95(samples) * 1000:.1f} "
            f"| {p50(samples) / p50(base):.1f}× | {p95(samples) / p95(base):.1f}× |"
        )
    lines.append("")
    lines.append(
        "Checks: "
        + (
            f"{len(problems)} problems"
            if problems
            else f"every cooperative's sales and commission per Jalali month of the last year "
            f"equal what was written ({COOPERATIVES} cooperatives × 12 months)."
        )
    )
    report = "\n".join(lines)
    print(report)
    DATA.mkdir(exist_ok=True)
    (DATA / f"reports-results-{database}.md").write_text(report + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
