"""shop/ledger/sheba.py: reading the Sheba numbers producers type, and refusing mistyped ones."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.errors import DomainError
from shop.ledger.sheba import (
    BANKS,
    InvalidSheba,
    ShebaWrongCheckDigits,
    ShebaWrongShape,
    bank_name,
    format_sheba,
    normalise_sheba,
    validate_sheba,
)
from shop.money import to_persian_digits

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

SHAPE_MESSAGE = "A Sheba number is IR followed by 24 digits."
CHECK_DIGITS_MESSAGE = "This Sheba number has a typing mistake: its check digits do not match."

#: Published valid Iranian IBANs, each checked by ``check_digits_match`` below as well.
PUBLISHED = [
    "IR062960000000100324200001",  # Wikipedia's example for Iran
    "IR710570029971601460641001",  # iban.com's example for Iran (bank code 057)
    "IR580540105180021273113007",  # in the test lists of several IBAN libraries (054)
    "IR820540102680020817909002",  # the sample many Iranian services show (054)
]
EXAMPLE = "IR062960000000100324200001"


def to_arabic_digits(text: str) -> str:
    return text.translate(ARABIC_INDIC)


# An implementation of ISO 13616 written apart from the module's: letters by their code point,
# the remainder carried seven digits at a time as one does by hand, so a shared mistake is unlikely.


def as_digits(text: str) -> str:
    return "".join(str(ord(char) - ord("A") + 10) if "A" <= char <= "Z" else char for char in text)


def piecewise_mod_97(digits: str) -> int:
    remainder = 0
    for start in range(0, len(digits), 7):
        remainder = int(f"{remainder}{digits[start : start + 7]}") % 97
    return remainder


def check_digits_match(sheba: str) -> bool:
    return piecewise_mod_97(as_digits(sheba[4:] + sheba[:4])) == 1


def with_check_digits(bban: str) -> str:
    """The Sheba for a 22-digit bank code and account, with the check digits ISO 13616 gives."""
    check = 98 - piecewise_mod_97(as_digits(bban + "IR00"))
    return f"IR{check:02d}{bban}"


def mistyped(sheba: str, position: int, digit: str) -> str:
    return sheba[:position] + digit + sheba[position + 1 :]


# --- valid numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("sheba", PUBLISHED)
def test_published_examples_are_valid(sheba):
    assert check_digits_match(sheba)
    assert with_check_digits(sheba[4:]) == sheba
    assert validate_sheba(sheba) == sheba


@pytest.mark.parametrize(
    ("bban", "expected"),
    [
        ("0170000000108459732004", "IR650170000000108459732004"),  # Bank Melli Iran
        ("0120010000004567891236", "IR330120010000004567891236"),  # Bank Mellat
        ("0560611828005123456789", "IR370560611828005123456789"),  # Saman Bank
    ],
)
def test_numbers_with_computed_check_digits_are_valid(bban, expected):
    sheba = with_check_digits(bban)

    assert sheba == expected
    assert validate_sheba(sheba) == expected


# --- what people type -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "IR062960000000100324200001",
        "IR06 2960 0000 0010 0324 2000 01",
        "  IR06 2960 0000 0010 0324 2000 01\n",
        "IR06-2960-0000-0010-0324-2000-01",
        "IR06\u20132960\u20130000\u20130010\u20130324\u20132000\u201301",  # en dashes
        "IR06\u00a02960\u00a00000\u00a00010\u00a00324\u00a02000\u00a001",  # no-break spaces
        "ir062960000000100324200001",
        "Ir06 2960 0000 0010 0324 2000 01",
        "IR" + to_persian_digits("062960000000100324200001"),
        "IR" + to_arabic_digits("062960000000100324200001"),
        "IR۰۶ 2960 ٠٠٠٠ 0010 ۰۳۲۴ 2000 01",  # the three scripts mixed
        "\u200fIR062960000000100324200001\u200e",  # right-to-left and left-to-right marks
        "\u202bIR062960000000100324200001\u202c",  # an embedding, as a Persian editor adds
        "\u2067IR062960000000100324200001\u2069",  # an isolate
        "IR06\u200c2960\u200c0000\u200c0010\u200c0324\u200c2000\u200c01",  # non-joiners
        "062960000000100324200001",
        "0629 6000 0000 1003 2420 0001",
        to_persian_digits("062960000000100324200001"),
    ],
)
def test_every_way_of_typing_it_gives_the_compact_form(text):
    assert normalise_sheba(text) == EXAMPLE
    assert validate_sheba(text) == EXAMPLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("\u200f", ""),
        ("not a number", "NOTANUMBER"),
        ("de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("06296000000010032420000", "06296000000010032420000"),  # 23 digits: no IR added
    ],
)
def test_normalising_never_raises_and_leaves_the_judging_to_validation(text, expected):
    assert normalise_sheba(text) == expected


# --- mistyped numbers -------------------------------------------------------------------------


def test_every_single_digit_mistyped_is_refused():
    refused = []
    for position in range(2, 26):
        for digit in "0123456789":
            if digit == EXAMPLE[position]:
                continue
            with pytest.raises(ShebaWrongCheckDigits) as caught:
                validate_sheba(mistyped(EXAMPLE, position, digit))
            refused.append(caught.value)

    assert len(refused) == 24 * 9
    assert {error.reason for error in refused} == {"check_digits"}


def test_every_swap_of_two_neighbouring_digits_is_refused():
    sheba = "IR710570029971601460641001"
    swapped = [
        sheba[:position] + sheba[position + 1] + sheba[position] + sheba[position + 2 :]
        for position in range(2, 25)
        if sheba[position] != sheba[position + 1]
    ]

    assert len(swapped) == 20
    for text in swapped:
        with pytest.raises(ShebaWrongCheckDigits):
            validate_sheba(text)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "IR",
        "IR06296000000010032420000",  # 23 digits
        "IR0629600000001003242000011",  # 25 digits
        "06296000000010032420000",  # 23 digits without IR
        "0629600000001003242000011",  # 25 digits without IR
        "IR06296000000O100324200001",  # the letter O for a zero
        "IR06296000000010032420000A",
        "IRIR062960000000100324200001",
        "IR06.2960.0000.0010.0324.2000.01",
        "IR\uff10\uff16" + "2960000000100324200001",  # fullwidth digits
        "IR" + "\u0966" * 24,  # Devanagari zeros: digits to \d, not to a bank
        "DE89370400440532013000",  # a valid German IBAN
        "DE89 3704 0044 0532 0130 00",
        "TR330006100519786457841326",  # a valid Turkish IBAN, 26 characters like a Sheba
    ],
)
def test_what_is_not_ir_and_24_digits_is_refused_for_its_shape(text):
    with pytest.raises(ShebaWrongShape) as caught:
        validate_sheba(text)

    assert caught.value.reason == "shape"
    assert caught.value.field == "sheba"
    assert str(caught.value) == SHAPE_MESSAGE


def test_both_refusals_are_domain_errors_on_the_sheba_field():
    with pytest.raises(InvalidSheba) as shape:
        validate_sheba("IR123")
    with pytest.raises(InvalidSheba) as check_digits:
        validate_sheba("IR072960000000100324200001")

    assert isinstance(shape.value, DomainError)
    assert isinstance(check_digits.value, DomainError)
    assert (shape.value.field, check_digits.value.field) == ("sheba", "sheba")
    assert (shape.value.reason, check_digits.value.reason) == ("shape", "check_digits")


def test_a_mistyped_number_is_told_apart_from_a_misshapen_one():
    with pytest.raises(ShebaWrongCheckDigits) as caught:
        validate_sheba("IR06 2960 0000 0010 0324 2000 02")

    assert str(caught.value) == CHECK_DIGITS_MESSAGE


def test_the_refusal_does_not_repeat_the_account_number():
    with pytest.raises(ShebaWrongCheckDigits) as caught:
        validate_sheba("IR062960000000100324200002")

    assert "2960000000100324200002" not in repr(caught.value.args)


# --- banks ------------------------------------------------------------------------------------


def test_there_are_31_banks_in_code_order_with_unique_names():
    assert [bank.code for bank in BANKS] == [
        *("010", "011", "012", "013", "014", "015", "016", "017", "018", "019", "020", "021"),
        *("022", "053", "054", "055", "056", "057", "058", "059", "060", "061", "062", "064"),
        *("066", "069", "070", "073", "075", "078", "080"),
    ]
    assert len({bank.fa for bank in BANKS}) == 31
    assert len({bank.en for bank in BANKS}) == 31


def test_persian_bank_names_use_persian_letters():
    for bank in BANKS:
        assert not set(bank.fa) & {"\u064a", "\u0643", "\u0649"}, bank.code
        assert bank.fa == bank.fa.strip() and "  " not in bank.fa


@pytest.mark.parametrize(
    ("sheba", "language", "expected"),
    [
        ("IR650170000000108459732004", "fa", "بانک ملی ایران"),
        ("IR650170000000108459732004", "en", "Bank Melli Iran"),
        ("IR330120010000004567891236", "fa", "بانک ملت"),
        ("IR330120010000004567891236", "en", "Bank Mellat"),
        ("IR710570029971601460641001", "en", "Bank Pasargad"),
        ("IR820540102680020817909002", "fa", "بانک پارسیان"),
        ("IR 65 0170 0000 0010 8459 7320 04", "fa_IR", "بانک ملی ایران"),
        (to_persian_digits("650170000000108459732004"), "en-GB", "Bank Melli Iran"),
    ],
)
def test_bank_name_in_each_language(sheba, language, expected):
    assert bank_name(sheba, language) == expected


def test_the_mehr_iran_name_keeps_its_non_joiner():
    assert bank_name(with_check_digits("0600000000000000000001"), "fa") == (
        "بانک قرض\u200cالحسنه مهر ایران"
    )


@pytest.mark.parametrize(
    "sheba",
    [
        "IR062960000000100324200001",  # 296: the published example names no real bank
        with_check_digits("0990000000000000000001"),
        "IR123",
        "",
        None,
    ],
)
def test_no_bank_name_for_an_unknown_code_or_a_misshapen_number(sheba):
    assert bank_name(sheba, "fa") is None
    assert bank_name(sheba, "en") is None


def test_bank_names_exist_only_in_persian_and_english():
    with pytest.raises(ValueError):
        bank_name("IR650170000000108459732004", "de")


# --- display ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["IR062960000000100324200001", to_persian_digits("062960000000100324200001")],
)
def test_format_groups_in_fours(text):
    assert format_sheba(text) == "IR06 2960 0000 0010 0324 2000 01"


# --- every number ------------------------------------------------------------------------------

ACCOUNT_DIGITS = st.text(alphabet="0123456789", min_size=19, max_size=19)


@given(
    bank_code=st.sampled_from([bank.code for bank in BANKS]),
    account=ACCOUNT_DIGITS,
    position=st.integers(min_value=2, max_value=25),
    step=st.integers(min_value=1, max_value=9),
)
def test_any_number_with_computed_check_digits_is_valid_and_any_mistyped_digit_is_not(
    bank_code, account, position, step
):
    sheba = with_check_digits(bank_code + account)
    digit = str((int(sheba[position]) + step) % 10)

    assert validate_sheba(sheba) == sheba
    with pytest.raises(ShebaWrongCheckDigits):
        validate_sheba(mistyped(sheba, position, digit))
