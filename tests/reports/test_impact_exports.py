"""The dashboard's CSV and XLSX files hold the page's tables cell by cell, in the page's
language; in Persian the workbook's sheets read right to left. A bad period is refused with
its reason, an unknown kind of file is not found."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from shop.money import to_ascii_digits
from tests.reports.test_impact_figures import build_programme

NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")
TABLES = [
    "funnel",
    "by-centre",
    "by-neighbourhood",
    "by-city",
    "by-cooperative",
    "by-category",
    "subsidies",
    "months",
]


class PageTables(HTMLParser):
    """The page's summary (its <dl>) and tables, as the text of each cell; what is only for
    screen readers (``visually-hidden``) is left out, as a sighted reader sees the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.titles: dict[str, str] = {}
        self._table = self._cell = self._heading = None
        self._hidden = 0
        self._summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden or "visually-hidden" in (attrs.get("class") or "").split():
            self._hidden += 1
            return
        if tag == "table" and attrs.get("id") in TABLES:
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif tag == "dl" and attrs.get("id") == "summary":
            self._summary = True
            self.tables["summary"] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "dt" and self._summary:
            self.tables["summary"].append([])
            self._cell = []
        elif tag == "dd" and self._summary:
            self._cell = []
        elif tag == "h2" and attrs.get("id", "").endswith("-title"):
            self._heading = (attrs["id"][: -len("-title")], [])

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1
            return
        if tag == "table":
            self._table = None
        elif tag == "dl":
            self._summary = False
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("dt", "dd") and self._cell is not None and self._summary:
            self.tables["summary"][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "h2" and self._heading:
            self.titles[self._heading[0]] = "".join(self._heading[1]).strip()
            self._heading = None

    def handle_data(self, data):
        if self._hidden:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._heading:
            self._heading[1].append(data)


def page_tables(html: str) -> PageTables:
    parser = PageTables()
    parser.feed(html)
    return parser


def as_exported(text: str) -> str:
    """A cell as the page shows it, written the way the CSV file writes it: a number in plain
    digits without grouping (an amount without its unit), nothing for "not applicable", and
    any other text as it is."""
    number = to_ascii_digits(text).replace("٬", "").replace(",", "").replace("٫", ".")
    number = number.replace("٪", "%").replace(" toman", "").replace(" تومان", "")
    if number == "—":
        return ""
    return number if NUMBER.match(number) else text


def csv_sheets(data: bytes) -> list[list[list[str]]]:
    """The CSV file's sheets: each its title row, headings and rows (blank lines between)."""
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheets, current = [], []
    for row in rows:
        if not row:
            sheets.append(current)
            current = []
        else:
            current.append(row)
    sheets.append(current)
    return sheets


def xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _query(programme) -> str:
    shown = programme["shown"]
    return f"period=month&month={shown.year}-{shown.month:02d}"


@pytest.fixture
def programme(factory, gateway):
    return build_programme(factory)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_csv_file_holds_the_pages_tables_cell_by_cell(
    client,
    login_as,
    programme,
    language,
):
    login_as(programme["admin"])
    if language == "en":
        client.post("/language/en", data={"next": "/"})
    query = _query(programme)

    page = page_tables(client.get(f"/programme/impact?{query}").text)
    response = client.get(f"/programme/impact.csv?{query}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    shown = programme["shown"]
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="impact-{shown.year}-{shown.month:02d}.csv"'
    )
    sheets = csv_sheets(response.data)
    assert len(sheets) == 1 + len(TABLES)
    for name, sheet in zip(["summary", *TABLES], sheets, strict=True):
        title, headings, *rows = sheet
        shown_rows = page.tables[name]
        if name == "summary":
            assert title == [page.titles["summary"]]
            assert [[label, as_exported(value)] for label, value in shown_rows] == rows
        else:
            assert title == [page.titles[name]], name
            assert shown_rows[0] == headings, name
            assert [[as_exported(cell) for cell in row] for row in shown_rows[1:]] == rows, name
    # the figures are there, not only empty tables
    centres = {row[0]: row for row in page.tables["by-centre"][1:]}
    assert "مرکز رویش طلاب" in centres and int(as_exported(centres["مرکز رویش طلاب"][4])) == 2


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_workbook_holds_the_csv_files_cells(
    client,
    login_as,
    programme,
    language,
):
    login_as(programme["admin"])
    if language == "en":
        client.post("/language/en", data={"next": "/"})
    query = _query(programme)

    sheets = csv_sheets(client.get(f"/programme/impact.csv?{query}").data)
    response = client.get(f"/programme/impact.xlsx?{query}")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.worksheets) == len(sheets)
    for worksheet, sheet in zip(book.worksheets, sheets, strict=True):
        title, *rows = sheet
        assert worksheet.title == title[0][:31]
        cells = [
            [xlsx_cell(value) for value in row] for row in worksheet.iter_rows(values_only=True)
        ]
        assert [row[: len(rows[0])] for row in cells] == [
            row + [""] * (len(rows[0]) - len(row)) for row in rows
        ]
        assert bool(worksheet.sheet_view.rightToLeft) is (language == "fa")


def test_amounts_are_numbers_in_the_workbook(client, login_as, programme):
    login_as(programme["admin"])

    response = client.get(f"/programme/impact.xlsx?{_query(programme)}")

    summary = load_workbook(io.BytesIO(response.data)).worksheets[0]
    values = [row[1] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, int | float) for value in values)
    assert values[6] == 4  # orders


def test_a_bad_period_is_refused_with_its_reason(client, login_as, factory):
    login_as(factory.admin())
    client.post("/language/en", data={"next": "/"})

    page = client.get("/programme/impact?period=range&from=1405/07/10&to=1405/07/01")
    export = client.get("/programme/impact.csv?period=month&month=1405-13")
    long = client.get("/programme/impact.xlsx?period=range&from=1390/01/01&to=1405/01/01")

    assert page.status_code == 400 and "The period ends before it starts." in page.text
    assert 'id="summary"' not in page.text
    assert export.status_code == 400 and "Choose a period from the list" in export.text
    assert long.status_code == 400 and "at most five years" in long.text


def test_an_unknown_kind_of_file_is_not_found(client, login_as, factory):
    login_as(factory.admin())

    assert client.get("/programme/impact.pdf?period=this_year").status_code == 404


def test_the_download_links_keep_the_period(client, login_as, factory):
    login_as(factory.admin())

    page = client.get("/programme/impact?period=season&year=1404&season=2").text

    assert 'href="/programme/impact.csv?period=season&amp;year=1404&amp;season=2"' in page
    assert 'href="/programme/impact.xlsx?period=season&amp;year=1404&amp;season=2"' in page
