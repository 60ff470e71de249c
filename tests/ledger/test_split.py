"""The fee split: the three shares always sum to the gross, none is negative, and giving a line
back in any number of parts reverses its sale exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.ledger.split import Split, split_part, split_sale

grosses = st.integers(min_value=0, max_value=10**13)
rates = st.integers(min_value=0, max_value=10_000)


def test_each_share_is_rounded_half_up_and_the_producer_gets_the_rest():
    # 5% of 1,000,010 is 50,000.5 → 50,001; 3% is 30,000.3 → 30,000
    assert split_sale(1_000_010, 500, 300) == Split(920_009, 50_001, 30_000)
    assert split_sale(10, 500, 0) == Split(9, 1, 0)  # 0.5 rounds up
    assert split_sale(9, 500, 0) == Split(9, 0, 0)  # 0.45 rounds down
    assert split_sale(0, 500, 300) == Split(0, 0, 0)


def test_rates_that_take_everything_never_take_more():
    assert split_sale(1, 5_000, 5_000) == Split(0, 1, 0)  # both round 0.5 up; the commission yields
    assert split_sale(3, 10_000, 10_000) == Split(0, 3, 0)


@pytest.mark.parametrize("gross, fee, commission", [(-1, 0, 0), (10, -1, 0), (10, 0, 10_001)])
def test_impossible_figures_are_refused(gross, fee, commission):
    with pytest.raises(ValueError):
        split_sale(gross, fee, commission)


@given(grosses, rates, rates)
def test_the_shares_sum_to_the_gross_and_none_is_negative(gross, fee, commission):
    share = split_sale(gross, fee, commission)
    assert share.producer + share.platform_fee + share.commission == gross
    assert min(share.producer, share.platform_fee, share.commission) >= 0


@given(
    grosses, st.integers(0, 1_500), st.integers(0, 1_500), st.lists(st.integers(1, 100), max_size=6)
)
def test_giving_a_line_back_in_parts_reverses_it_exactly(gross, fee, commission, cuts):
    given_back, total = 0, Split(0, 0, 0)
    pieces = [gross * cut // 100 for cut in cuts]
    for piece in pieces:
        piece = min(piece, gross - given_back)
        part = split_part(gross, given_back, piece, fee, commission)
        total = Split(
            total.producer + part.producer,
            total.platform_fee + part.platform_fee,
            total.commission + part.commission,
        )
        given_back += piece
        assert part.gross == piece
    rest = split_part(gross, given_back, gross - given_back, fee, commission)
    assert Split(
        total.producer + rest.producer,
        total.platform_fee + rest.platform_fee,
        total.commission + rest.commission,
    ) == split_sale(gross, fee, commission)


def test_more_than_the_line_cannot_be_given_back():
    with pytest.raises(ValueError):
        split_part(100, 60, 41, 500, 300)
