"""shop/money.py: parsing what people type, formatting what they read, splitting fees."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.money import (
    MAX_AMOUNT,
    InvalidAmount,
    amount_to_display_text,
    format_amount,
    get_currency,
    parse_amount,
    split_basis_points,
    to_ascii_digits,
    to_persian_digits,
)

IRR = get_currency("IRR")
USD = get_currency("USD")
EUR = get_currency("EUR")


# --- currencies -------------------------------------------------------------------------------


def test_get_currency_ignores_case():
    assert get_currency("usd") is USD
    assert get_currency("irr") is IRR


def test_get_currency_refuses_an_unknown_code():
    with pytest.raises(ValueError, match="unsupported currency 'GBP'"):
        get_currency("GBP")


def test_irr_is_stored_in_rials_and_shown_in_toman():
    assert (IRR.exponent, IRR.display_factor, IRR.display_decimals) == (0, 10, 0)
    assert (IRR.name_en, IRR.name_fa) == ("toman", "تومان")


# --- parse_amount: IRR (typed in toman, stored in rials) --------------------------------------


@pytest.mark.parametrize(
    ("typed", "rials"),
    [
        ("120000", 1_200_000),
        ("120,000", 1_200_000),
        ("۱۲۰۰۰۰", 1_200_000),
        ("۱۲۰٬۰۰۰", 1_200_000),  # Persian digits, Arabic thousands separator U+066C
        ("١٢٠,٠٠٠", 1_200_000),  # Arabic-Indic digits
        ("١٢٠٬٠٠٠", 1_200_000),
        ("۱۲۰،۰۰۰", 1_200_000),  # Persian comma U+060C as grouping
        ("120,000 تومان", 1_200_000),
        ("۱۲۰٬۰۰۰ تومان", 1_200_000),
        ("120000 toman", 1_200_000),
        ("120000 TOMAN", 1_200_000),
        ("تومان۱۲۰۰۰۰", 1_200_000),
        ("  120000  ", 1_200_000),
        ("\t120 000\n", 1_200_000),
        ("120\u202f000", 1_200_000),  # narrow no-break space
        ("1", 10),
        ("0", 0),
        ("1.0", 10),  # a zero fraction is not extra precision
        ("000120000", 1_200_000),
        ("100000000000000", MAX_AMOUNT),  # 10^14 toman = 10^15 rials, the largest price
    ],
)
def test_parse_amount_reads_toman_into_rials(typed, rials):
    assert parse_amount(typed, IRR) == rials


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   ", "empty"),
        ("تومان", "empty"),
        ("abc", "not a number"),
        ("-5", "not a number"),
        ("−5", "not a number"),  # U+2212 minus sign
        ("+5", "not a number"),
        ("5-", "not a number"),
        ("1e6", "not a number"),
        ("12.", "not a number"),
        (".5", "not a number"),
        ("1.2.3", "not a number"),
        ("1.5", "too many decimals"),  # IRR shows whole toman only
        ("۱٫۵", "too many decimals"),  # Persian decimal separator U+066B
        ("1/5", "too many decimals"),  # "/" is typed as a decimal point on Persian keyboards
        ("100000000000001", "too large"),  # one toman over MAX_AMOUNT
        ("9" * 17, "too large"),
        ("9" * 400, "too large"),
        ("120000 ریال", "not a number"),  # rials typed into a toman field: not read as toman
        ("120000 rial", "not a number"),
        ("120000 IRR", "not a number"),  # the ISO code names rials, not toman
        ("$5", "not a number"),
        ("5 €", "not a number"),
    ],
)
def test_parse_amount_refuses_what_is_not_a_toman_price(typed, reason):
    with pytest.raises(InvalidAmount) as refused:
        parse_amount(typed, IRR)
    assert str(refused.value) == reason


# --- parse_amount: USD (typed in dollars, stored in cents) ------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.34", 1234),
        ("12.3", 1230),
        ("12", 1200),
        ("12.340", 1234),
        ("0.01", 1),
        ("$12.34", 1234),
        ("12.34 USD", 1234),
        ("12.34 usd", 1234),
        ("۱۲٫۳۴", 1234),
        ("۱۲/۳۴", 1234),
        ("1,234.50", 123_450),
        ("12.34 دلار", 1234),
    ],
)
def test_parse_amount_reads_dollars_into_cents(typed, cents):
    assert parse_amount(typed, USD) == cents


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12.345", "too many decimals"),
        ("0.001", "too many decimals"),
        ("-12.34", "not a number"),
        ("12.34 toman", "not a number"),
        ("€12", "not a number"),
        ("10000000000000.01", "too large"),  # 10^15 + 1 cents
    ],
)
def test_parse_amount_refuses_what_is_not_a_dollar_price(typed, reason):
    with pytest.raises(InvalidAmount) as refused:
        parse_amount(typed, USD)
    assert str(refused.value) == reason


def test_parse_amount_reads_euros_with_the_euro_sign():
    assert parse_amount("€ 9.90", EUR) == 990
    assert parse_amount("9.90 EUR", EUR) == 990


def test_invalid_amount_is_a_value_error():
    # Forms catch ValueError to show a field error.
    assert issubclass(InvalidAmount, ValueError)


# --- format_amount ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rials", "persian", "english"),
    [
        (1_200_000, "۱۲۰٬۰۰۰ تومان", "120,000 toman"),
        (0, "۰ تومان", "0 toman"),
        (10, "۱ تومان", "1 toman"),
        (9_990, "۹۹۹ تومان", "999 toman"),
        (10_000, "۱٬۰۰۰ تومان", "1,000 toman"),
        (12_345_678_900, "۱٬۲۳۴٬۵۶۷٬۸۹۰ تومان", "1,234,567,890 toman"),
        (15, "۱٫۵ تومان", "1.5 toman"),  # not a whole toman: shown, not hidden
        (-1_200_000, "−۱۲۰٬۰۰۰ تومان", "−120,000 toman"),
        (-15, "−۱٫۵ تومان", "−1.5 toman"),
        (MAX_AMOUNT, "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ تومان", "100,000,000,000,000 toman"),
    ],
)
def test_format_amount_shows_toman(rials, persian, english):
    assert format_amount(rials, IRR, "fa") == persian
    assert format_amount(rials, IRR, "en") == english


def test_format_amount_defaults_to_persian_and_accepts_a_region():
    assert format_amount(1_200_000, IRR) == "۱۲۰٬۰۰۰ تومان"
    assert format_amount(1_200_000, IRR, "fa_IR") == "۱۲۰٬۰۰۰ تومان"
    assert format_amount(1_200_000, IRR, "en_GB") == "120,000 toman"


@pytest.mark.parametrize(
    ("cents", "persian", "english"),
    [
        (1234, "۱۲٫۳۴ دلار", "12.34 USD"),
        (0, "۰٫۰۰ دلار", "0.00 USD"),
        (5, "۰٫۰۵ دلار", "0.05 USD"),
        (123_456_789, "۱٬۲۳۴٬۵۶۷٫۸۹ دلار", "1,234,567.89 USD"),
        (-1, "−۰٫۰۱ دلار", "−0.01 USD"),
        (-150, "−۱٫۵۰ دلار", "−1.50 USD"),
    ],
)
def test_format_amount_shows_dollars_with_cents(cents, persian, english):
    assert format_amount(cents, USD, "fa") == persian
    assert format_amount(cents, USD, "en") == english


# --- amount_to_display_text (the value put back into a price field) ---------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (1_200_000, IRR, "120000"),
        (0, IRR, "0"),
        (15, IRR, "1.5"),
        (12_345_675, IRR, "1234567.5"),  # no float formatting ("1.23457e+06")
        (MAX_AMOUNT + 5, IRR, "100000000000000.5"),
        (-1_200_000, IRR, "-120000"),
        (-15, IRR, "-1.5"),
        (1234, USD, "12.34"),
        (1200, USD, "12.00"),
        (5, USD, "0.05"),
        (0, USD, "0.00"),
        (-1, USD, "-0.01"),  # divmod of a negative amount must not give "-1.99"
        (-150, USD, "-1.50"),
    ],
)
def test_amount_to_display_text_is_plain_ascii(amount, currency, text):
    assert amount_to_display_text(amount, currency) == text


@given(st.integers(min_value=0, max_value=MAX_AMOUNT // 10))
def test_display_text_of_a_whole_toman_price_parses_back(toman):
    rials = toman * 10
    assert parse_amount(amount_to_display_text(rials, IRR), IRR) == rials


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_display_text_of_a_dollar_price_parses_back(cents):
    assert parse_amount(amount_to_display_text(cents, USD), USD) == cents


# --- digits -----------------------------------------------------------------------------------


def test_to_persian_digits_replaces_ascii_digits_only():
    assert to_persian_digits("0123456789") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("12,345 toman") == "۱۲,۳۴۵ toman"


def test_to_ascii_digits_reads_persian_and_arabic_indic_digits():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("قیمت ۱۲٬۵ تومان") == "قیمت 12٬5 تومان"


@given(st.text())
def test_digits_round_trip_through_persian(text):
    assert to_ascii_digits(to_persian_digits(text)) == to_ascii_digits(text)


@given(st.text(alphabet="0123456789,. abc"))
def test_ascii_text_round_trips_exactly(text):
    persian = to_persian_digits(text)
    assert not any(ch.isascii() and ch.isdigit() for ch in persian)
    assert to_ascii_digits(persian) == text


# --- formatted text parses back (property) ----------------------------------------------------


@given(st.integers(min_value=0, max_value=MAX_AMOUNT // 10))
def test_persian_formatted_toman_parses_back(toman):
    rials = toman * 10
    shown = format_amount(rials, IRR, "fa")
    number = shown.removesuffix(" تومان")
    assert number != shown
    assert not any(ch.isascii() and ch.isdigit() for ch in number)
    assert parse_amount(number, IRR) == rials
    assert parse_amount(shown, IRR) == rials


@given(st.integers(min_value=0, max_value=MAX_AMOUNT // 10))
def test_english_formatted_toman_parses_back(toman):
    rials = toman * 10
    shown = format_amount(rials, IRR, "en")
    number = shown.removesuffix(" toman")
    assert number != shown
    assert parse_amount(number, IRR) == rials
    assert parse_amount(to_persian_digits(number), IRR) == rials
    assert parse_amount(shown, IRR) == rials


@given(st.integers(min_value=0, max_value=MAX_AMOUNT), st.sampled_from(["fa", "en"]))
def test_formatted_dollars_parse_back(cents, locale):
    assert parse_amount(format_amount(cents, USD, locale), USD) == cents


# --- split_basis_points -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "rate_bp", "share"),
    [
        (1_200_000, 500, 60_000),  # 5%
        (1_200_000, 300, 36_000),  # 3%
        (0, 500, 0),
        (1_000, 0, 0),
        (1, 5_000, 1),  # 0.5 → 1: half rounds up
        (3, 5_000, 2),  # 1.5 → 2
        (5, 5_000, 3),  # 2.5 → 3 (not to even)
        (1, 4_999, 0),  # 0.4999 → 0
        (10, 50, 0),  # 0.05 → 0
        (100, 50, 1),  # 0.5 → 1
        (99, 50, 0),  # 0.495 → 0
        (1_000, 10_000, 1_000),  # 100%
        (123_457, 333, 4_111),  # 4111.1181 → 4111
    ],
)
def test_split_basis_points_rounds_half_up(gross, rate_bp, share):
    assert split_basis_points(gross, rate_bp) == share


@pytest.mark.parametrize(("gross", "rate_bp"), [(-1, 500), (100, -1)])
def test_split_basis_points_refuses_negative_input(gross, rate_bp):
    with pytest.raises(ValueError, match="must not be negative"):
        split_basis_points(gross, rate_bp)


@given(
    st.integers(min_value=0, max_value=MAX_AMOUNT),
    st.integers(min_value=0, max_value=4_999),
    # The cooperatives table allows 0..5000 basis points.
    st.integers(min_value=0, max_value=5_000),
)
def test_fee_split_always_sums_to_gross(gross, platform_bp, commission_bp):
    # Rates that add up to less than 100% can never leave the producer a negative share: each
    # rounding adds at most half a unit. (At exactly 100%, gross=1 at 50% + 50% gives -1.)
    platform = split_basis_points(gross, platform_bp)
    commission = split_basis_points(gross, commission_bp)
    producer = gross - platform - commission
    assert platform + commission + producer == gross
    assert producer >= 0
    # Each share is within half a minor unit of the exact product.
    assert abs(platform * 10_000 - gross * platform_bp) <= 5_000
    assert abs(commission * 10_000 - gross * commission_bp) <= 5_000
