"""The one rule that divides a sale: the platform's fee and the cooperative's commission are
each rounded half up from the gross at their rate; the producer gets the rest, so the three
always sum to the gross exactly and no share is ever negative."""

from __future__ import annotations

from dataclasses import dataclass

from shop.money import split_basis_points


@dataclass(frozen=True)
class Split:
    producer: int
    platform_fee: int
    commission: int

    @property
    def gross(self) -> int:
        return self.producer + self.platform_fee + self.commission

    def __sub__(self, other: Split) -> Split:
        return Split(
            self.producer - other.producer,
            self.platform_fee - other.platform_fee,
            self.commission - other.commission,
        )


def split_sale(gross: int, platform_fee_bp: int, commission_bp: int) -> Split:
    """Divide ``gross`` (minor units) at the two rates (basis points, 0–10,000 each)."""
    if gross < 0:
        raise ValueError("a sale is never negative")
    if not (0 <= platform_fee_bp <= 10_000 and 0 <= commission_bp <= 10_000):
        raise ValueError("a rate is between 0 and 10,000 basis points")
    platform_fee = split_basis_points(gross, platform_fee_bp)
    # Both rounded up at once may pass the gross by one unit: the commission yields.
    commission = min(split_basis_points(gross, commission_bp), gross - platform_fee)
    return Split(gross - platform_fee - commission, platform_fee, commission)


def split_part(gross: int, part_before: int, part: int, fee_bp: int, commission_bp: int) -> Split:
    """The share of ``part`` more of a line of ``gross`` given back after ``part_before``:
    the difference of the rule at the two totals, so that giving back the whole line in any
    number of pieces reverses its sale exactly."""
    if not 0 <= part_before <= part_before + part <= gross:
        raise ValueError("more than the line is given back")
    return split_sale(part_before + part, fee_bp, commission_bp) - split_sale(
        part_before, fee_bp, commission_bp
    )
