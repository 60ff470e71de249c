"""The bank group-transfer (Paya) file of a payout batch: one row per paid beneficiary, with
the name, the Sheba, the amount in rials and a reference the bank statement will show.

Written as CSV in UTF-8 with a byte-order mark (what Iranian banks' group-transfer upload and
spreadsheets read), ASCII digits only, no thousands separators and no total row.
"""

from __future__ import annotations

import csv
import io

from shop.payouts.models import PayoutBatch

HEADER = ("row", "beneficiary_name", "sheba", "amount_rial", "reference")

#: A cell a spreadsheet would take for a formula (CSV injection) starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def in_rials(amount: int, currency: str) -> int:
    """The amount the bank is told. Our IRR minor unit is the rial; Sheba transfers are in
    rials only."""
    if currency != "IRR":
        raise ValueError(f"a Sheba transfer is made in rials, not {currency}")
    return amount


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def line_reference(batch: PayoutBatch, payout) -> str:
    return f"{batch.reference}-{payout.id}"


def bank_file(batch: PayoutBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row, payout in enumerate(batch.paid_lines, start=1):
        writer.writerow(
            (
                row,
                _cell(payout.beneficiary),
                payout.sheba,
                in_rials(payout.amount, batch.currency),
                line_reference(batch, payout),
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
