"""The subsidy arithmetic: a share of the cost, within what is left of the yearly cap.

Pure functions of integers in the currency's minor unit, so that the page that shows the
arithmetic, the submission that stores it and the approval that checks it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop.money import MAX_AMOUNT, split_basis_points

#: The most a branding cost may be: 10,000,000,000 toman (in rials), far above any real one.
MAX_COST = 100_000_000_000
#: The rate an admin may set, in basis points (100 = 1%).
LOWEST_RATE_BP = 1
HIGHEST_RATE_BP = 10_000
#: The yearly cap an admin may set, in minor units.
LOWEST_CAP = 1
HIGHEST_CAP = MAX_AMOUNT


@dataclass(frozen=True)
class Arithmetic:
    """How a subsidy is computed, every step kept so that it can be shown."""

    cost: int
    rate_bp: int
    #: rate × cost, rounded half up.
    share: int
    cap: int
    #: What the cooperative was already granted in the same Jalali year.
    granted: int
    #: What is left of the cap (never below zero).
    remaining: int
    #: The subsidy: the smaller of the share and what remains.
    amount: int

    @property
    def is_capped(self) -> bool:
        """The cap, not the rate, decides the amount."""
        return self.remaining < self.share


def subsidy_for(cost: int, rate_bp: int, cap: int, granted: int) -> Arithmetic:
    """min(rate × cost, cap − granted), with the steps."""
    if cost < 0 or rate_bp < 0 or cap < 0 or granted < 0:
        raise ValueError("cost, rate, cap and granted must not be negative")
    share = split_basis_points(cost, rate_bp)
    remaining = max(0, cap - granted)
    return Arithmetic(
        cost=cost,
        rate_bp=rate_bp,
        share=share,
        cap=cap,
        granted=granted,
        remaining=remaining,
        amount=min(share, remaining),
    )
