"""The subsidy arithmetic on its own: min(rate × cost, cap − granted), rounded half up, in
whole minor units."""

from __future__ import annotations

import pytest

from shop.subsidies.rules import Arithmetic, subsidy_for


def test_the_share_of_the_cost_when_the_cap_leaves_room():
    # Given 60% of 12,000,000 toman with nothing granted yet under a 10,000,000 toman cap
    result = subsidy_for(cost=120_000_000, rate_bp=6_000, cap=100_000_000, granted=0)

    # Then the share is the subsidy
    assert result == Arithmetic(
        cost=120_000_000,
        rate_bp=6_000,
        share=72_000_000,
        cap=100_000_000,
        granted=0,
        remaining=100_000_000,
        amount=72_000_000,
    )
    assert not result.is_capped


def test_what_remains_of_the_cap_when_it_is_smaller():
    result = subsidy_for(cost=120_000_000, rate_bp=6_000, cap=100_000_000, granted=50_000_000)

    assert (result.share, result.remaining, result.amount) == (72_000_000, 50_000_000, 50_000_000)
    assert result.is_capped


def test_nothing_once_the_cap_is_used_up_or_passed():
    used_up = subsidy_for(cost=10_000, rate_bp=6_000, cap=100_000_000, granted=100_000_000)
    passed = subsidy_for(cost=10_000, rate_bp=6_000, cap=50_000_000, granted=100_000_000)

    assert (used_up.remaining, used_up.amount) == (0, 0)
    assert (passed.remaining, passed.amount) == (0, 0)  # a lowered cap never goes negative


@pytest.mark.parametrize(
    ("cost", "rate_bp", "share"),
    [
        (5, 5_000, 3),  # 2.5 rials → 3: half up
        (12_345, 6_000, 7_407),  # 7,407.0
        (12_346, 6_000, 7_408),  # 7,407.6 → 7,408
        (12_341, 6_000, 7_405),  # 7,404.6 → 7,405
        (1, 4_999, 0),  # 0.4999 → 0
        (1, 5_000, 1),  # 0.5 → 1
        (1, 10_000, 1),
        (99_999_999_999, 1, 10_000_000),  # 9,999,999.9999 → 10,000,000
        (100_000_000_000, 10_000, 100_000_000_000),
    ],
)
def test_the_share_is_rounded_half_up_to_a_whole_rial(cost, rate_bp, share):
    result = subsidy_for(cost=cost, rate_bp=rate_bp, cap=10**15, granted=0)
    assert result.share == share and result.amount == share
    assert isinstance(result.amount, int)


def test_the_amount_equals_the_cap_exactly_at_the_edge():
    result = subsidy_for(cost=100_000_000, rate_bp=6_000, cap=100_000_000, granted=40_000_000)
    assert (result.share, result.remaining, result.amount) == (60_000_000, 60_000_000, 60_000_000)
    assert not result.is_capped


def test_negative_figures_are_a_programming_error():
    with pytest.raises(ValueError):
        subsidy_for(cost=-1, rate_bp=6_000, cap=100, granted=0)
    with pytest.raises(ValueError):
        subsidy_for(cost=1, rate_bp=6_000, cap=100, granted=-1)
