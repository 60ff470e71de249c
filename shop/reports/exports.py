"""The same figures as a report page, as a CSV file or an XLSX workbook.

A report builds its ``Sheet``s once; the page, the CSV and the workbook all show those rows, so
the three cannot disagree. Amounts are written in the currency's display unit (toman for IRR),
as the page shows them, with the unit named in the column's heading. In Persian the workbook's
sheets read right to left. A cell that a spreadsheet would run as a formula (text beginning
with ``=``, ``+``, ``-`` or ``@``) is written with a leading apostrophe, as in the bank file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from flask import Response, current_app

from shop.money import amount_to_display_text, get_currency

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_NAME_LENGTH = 31
SHEET_NAME_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Money:
    """An amount in minor units; written in the display unit."""

    amount: int


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    #: A last row of totals (bold in the workbook), or None.
    totals: list | None = None


def _currency():
    return get_currency(current_app.config["SHOP_CURRENCY"])


def money_value(amount: int) -> Decimal:
    """An amount in the display unit, exactly: 12,345 rials are 1234.5 toman."""
    return Decimal(amount_to_display_text(amount, _currency()))


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return amount_to_display_text(value.amount, _currency())
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return _safe_text(str(value))


def csv_bytes(sheets: list[Sheet]) -> bytes:
    """One CSV file: each sheet's title, headings and rows, a blank line between sheets.
    UTF-8 with a byte-order mark, so that Excel reads the Persian correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, sheet in enumerate(sheets):
        if index:
            writer.writerow([])
        if len(sheets) > 1:
            writer.writerow([_safe_text(sheet.title)])
        writer.writerow([_safe_text(h) for h in sheet.headers])
        for row in sheet.rows:
            writer.writerow([_csv_cell(v) for v in row])
        if sheet.totals is not None:
            writer.writerow([_csv_cell(v) for v in sheet.totals])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_name(title: str, taken: set[str]) -> str:
    base = title.translate(SHEET_NAME_REFUSED).strip().strip("'")[:SHEET_NAME_LENGTH] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def xlsx_bytes(sheets: list[Sheet], *, rtl: bool) -> bytes:
    """An XLSX workbook, one worksheet per sheet, amounts as numbers."""
    out = io.BytesIO()
    decimals = _currency().display_decimals
    with xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False}) as book:
        text = book.add_format({"reading_order": 2 if rtl else 1})
        heading = book.add_format({"bold": True, "bg_color": "#F4E1C1", "text_wrap": True})
        number = book.add_format({"num_format": "#,##0"})
        money_format = "#,##0" + ("." + "0" * decimals if decimals else ".#")
        money = book.add_format({"num_format": money_format})
        bold = {
            key: book.add_format({**base, "bold": True})
            for key, base in (
                ("text", {"reading_order": 2 if rtl else 1}),
                ("number", {"num_format": "#,##0"}),
                ("money", {"num_format": money_format}),
            )
        }
        taken: set[str] = set()
        for sheet in sheets:
            worksheet = book.add_worksheet(_sheet_name(sheet.title, taken))
            if rtl:
                worksheet.right_to_left()
            worksheet.write_row(0, 0, sheet.headers, heading)
            worksheet.freeze_panes(1, 0)
            widths = [max(10, len(h) + 2) for h in sheet.headers]
            rows = list(sheet.rows) + ([sheet.totals] if sheet.totals is not None else [])
            for r, row in enumerate(rows, start=1):
                is_total = sheet.totals is not None and r == len(rows)
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, Money):
                        worksheet.write_number(
                            r,
                            c,
                            float(money_value(value.amount)),
                            bold["money"] if is_total else money,
                        )
                    elif isinstance(value, int) and not isinstance(value, bool):
                        worksheet.write_number(r, c, value, bold["number"] if is_total else number)
                    else:
                        cell = _safe_text(str(value))
                        worksheet.write_string(r, c, cell, bold["text"] if is_total else text)
                        if c < len(widths):
                            widths[c] = min(60, max(widths[c], len(cell) + 2))
            for c, width in enumerate(widths):
                worksheet.set_column(c, c, width)
    return out.getvalue()


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(sheets: list[Sheet], filename: str, kind: str, *, rtl: bool) -> Response:
    """``sheets`` as ``filename``.csv or .xlsx (``kind`` is "csv" or "xlsx")."""
    if kind == "csv":
        data, mimetype = csv_bytes(sheets), CSV_TYPE
    elif kind == "xlsx":
        data, mimetype = xlsx_bytes(sheets, rtl=rtl), XLSX_TYPE
    else:
        raise ValueError(f"no export as {kind!r}")
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
