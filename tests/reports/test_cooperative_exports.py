"""The report's CSV and XLSX files hold the very tables the page shows, cell by cell; the
workbook reads right to left in Persian; a name a spreadsheet would run as a formula is
written as text."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest

from shop.database import transaction
from shop.money import to_ascii_digits
from tests.reports.test_cooperative_report import at, build_shop, sell

QUERY = "period=range&from=1404/07/01&to=1404/09/30"
#: The page's tables, in the order of the files' sheets.
TABLES = ["by-month", "by-producer", "by-category", "top-products"]


class PageTables(HTMLParser):
    """Each table's rows (head, body, foot) of (text, is a number) cells, by the table's id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, bool]]]] = {}
        self.table = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self.table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("th", "td") and self.table is not None:
            self.cell = ([], "num" in (attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag in ("th", "td") and self.cell is not None:
            parts, numeric = self.cell
            self.table[-1].append((" ".join("".join(parts).split()), numeric))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0].append(data)


def page_tables(html: str) -> dict[str, list[list[tuple[str, bool]]]]:
    parser = PageTables()
    parser.feed(html)
    return parser.tables


def page_number(text: str) -> Decimal:
    """A number as the page shows it: Persian digits, thousands separators, a minus sign."""
    cleaned = to_ascii_digits(text).replace("٬", "").replace(",", "")
    cleaned = cleaned.replace("−", "-").replace("٫", ".")
    assert re.fullmatch(r"-?\d+(\.\d+)?", cleaned), text
    return Decimal(cleaned)


def as_written(text: str) -> str:
    """What the files write for a page's text: a formula-looking one behind an apostrophe."""
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def assert_same_cells(page_rows, file_rows):
    """The headings as text, then every row's cells: numbers as numbers, text as written."""
    assert len(page_rows) == len(file_rows)
    for index, (page_row, file_row) in enumerate(zip(page_rows, file_rows, strict=True)):
        assert len(page_row) == len(file_row), (page_row, file_row)
        for (text, numeric), value in zip(page_row, file_row, strict=True):
            if numeric and index > 0:
                assert page_number(text) == Decimal(str(value)), (text, value)
            else:
                assert as_written(text) == value, (text, value)


@pytest.fixture
def shop(app, factory):
    """The cooperative, its members' sales and its manager (see ``build_shop``)."""
    return build_shop(app, factory)


@pytest.fixture
def manager_client(client, login_as, shop):
    login_as(shop["manager"])
    return client


def english(client):
    client.post("/language/en", data={"next": "/"})


def report_url(shop, suffix="", query=QUERY):
    return f"/cooperative/{shop['cooperative'].id}/reports{suffix}?{query}"


def workbook_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return book, [list(ws.iter_rows(values_only=True)) for ws in book.worksheets]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_workbook_holds_the_pages_tables_cell_by_cell(manager_client, shop, language):
    if language == "en":
        english(manager_client)
    page = manager_client.get(report_url(shop))
    assert page.status_code == 200
    tables = page_tables(page.text)

    response = manager_client.get(report_url(shop, ".xlsx"))

    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book, sheets = workbook_rows(response)
    assert len(sheets) == len(TABLES)
    for name, rows in zip(TABLES, sheets, strict=True):
        assert_same_cells(tables[name], [list(row) for row in rows])
    for worksheet in book.worksheets:
        assert bool(worksheet.sheet_view.rightToLeft) is (language == "fa")


def test_the_figures_in_the_files_are_the_reports(manager_client, shop):
    english(manager_client)

    _, sheets = workbook_rows(manager_client.get(report_url(shop, ".xlsx")))

    months, producers, categories, top = sheets
    assert months == [
        ("Month", "Sales (toman)", "Commission (toman)", "Items sold"),
        ("Mehr 1404", 550_000, 22_000, 3),
        ("Aban 1404", 400_000, 16_000, 1),
        ("Azar 1404", 0, 0, 0),
        ("Total", 950_000, 38_000, 4),
    ]
    assert producers[1:] == [
        ("کارگاه گلیم مریم", 800_000, 32_000, 3),
        ("چرم زهرا", 150_000, 6_000, 1),
        ("Total", 950_000, 38_000, 4),
    ]
    assert [row[0] for row in categories] == [
        "Category",
        "Tableau rug",
        "Kilim",
        "Leather goods",
        "Total",
    ]
    assert top[1] == ("تابلوفرش گل", "کارگاه گلیم مریم", 1, 500_000)


def csv_blocks(response) -> list[list[list[str]]]:
    text = response.data.decode("utf-8-sig")
    blocks, block = [], []
    for row in csv.reader(io.StringIO(text)):
        if row:
            block.append(row)
        else:
            blocks.append(block)
            block = []
    return [*blocks, block]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_csv_holds_the_pages_tables_cell_by_cell(manager_client, shop, language):
    if language == "en":
        english(manager_client)
    page = manager_client.get(report_url(shop))
    tables = page_tables(page.text)
    titles = re.findall(
        r'<h2 id="(by-month|by-producer|by-category|top-products)-title">([^<]+)<', page.text
    )

    response = manager_client.get(report_url(shop, ".csv"))

    assert response.status_code == 200 and response.mimetype == "text/csv"
    blocks = csv_blocks(response)
    assert [block[0] for block in blocks] == [[title] for _, title in titles]
    for name, block in zip(TABLES, blocks, strict=True):
        assert_same_cells(tables[name], block[1:])


def test_a_name_that_looks_like_a_formula_is_written_as_text(manager_client, shop, factory):
    trap = factory.producer(shop_name="=HYPERLINK(1)", cooperative=shop["cooperative"])
    shawl = factory.listing(trap, title="+شال", price=100_000, stock=5, category="garments")
    sell(factory.user(), shawl, 1, at(1404, 9, 1))

    page = manager_client.get(report_url(shop))
    _, sheets = workbook_rows(manager_client.get(report_url(shop, ".xlsx")))
    blocks = csv_blocks(manager_client.get(report_url(shop, ".csv")))

    producers = page_tables(page.text)["by-producer"]
    assert "=HYPERLINK(1)" in [text for row in producers for text, _ in row]
    assert ("'=HYPERLINK(1)", 10_000, 400, 1) in sheets[1]
    assert ("'+شال", "'=HYPERLINK(1)", 1, 10_000) in sheets[3]
    assert ["'=HYPERLINK(1)", "10000", "400", "1"] in blocks[1]


def test_a_files_name_is_ascii_with_the_cooperatives_id_for_a_persian_slug(manager_client, shop):
    response = manager_client.get(report_url(shop, ".xlsx"))

    cooperative = shop["cooperative"]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="cooperative-{cooperative.id}-1404-07-01_1404-09-30.xlsx"'
    )


def test_an_ascii_slug_names_the_file(manager_client, shop):
    with transaction():
        from shop.cooperatives.models import Cooperative
        from shop.extensions import db

        db.session.get(Cooperative, shop["cooperative"].id).slug = "naqsh-women"

    response = manager_client.get(report_url(shop, ".csv", "period=month&month=1404-08"))

    assert response.headers["Content-Disposition"] == (
        'attachment; filename="cooperative-naqsh-women-1404-08.csv"'
    )


def test_an_export_of_another_kind_is_not_found(manager_client, shop):
    assert manager_client.get(report_url(shop, ".pdf")).status_code == 404
    assert manager_client.get(report_url(shop, ".html")).status_code == 404


def test_the_pages_links_to_the_files_carry_its_period(manager_client, shop):
    page = manager_client.get(report_url(shop)).text

    cooperative_id = shop["cooperative"].id
    for kind in ("csv", "xlsx"):
        assert (
            f'href="/cooperative/{cooperative_id}/reports.{kind}?period=range&amp;'
            'from=1404/07/01&amp;to=1404/09/30"' in page
        )
    assert f'href="/cooperative/{cooperative_id}/statement?period=range&amp;' in page


def test_the_statement_shows_each_months_tables(manager_client, shop):
    english(manager_client)

    page = manager_client.get(f"/cooperative/{shop['cooperative'].id}/statement?{QUERY}")

    assert page.status_code == 200
    assert page.text.count('class="statement-page"') == 3
    tables = page_tables(page.text)
    assert [[text for text, _ in row] for row in tables["month-2-producers"]] == [
        ["Producer", "Sales (toman)", "Commission (toman)", "Items sold"],
        ["کارگاه گلیم مریم", "400,000", "16,000", "1"],
        ["Total", "400,000", "16,000", "1"],
    ]
    assert [[text for text, _ in row] for row in tables["month-2-categories"]][1:] == [
        ["Tableau rug", "500,000", "20,000", "1"],
        ["Kilim", "−100,000", "−4,000", "0"],
        ["Total", "400,000", "16,000", "1"],
    ]
    assert "Statement for Aban 1404" in page.text
