"""shop/orders/iran.py: the provinces, and reading the mobile numbers and postal codes typed."""

from __future__ import annotations

import dataclasses

import pytest

from shop.errors import DomainError
from shop.money import to_persian_digits
from shop.orders.iran import (
    PROVINCES,
    BadMobile,
    BadPostalCode,
    Province,
    normalise_mobile,
    normalise_postal_code,
    province_by_code,
    province_choices,
)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def to_arabic_digits(text: str) -> str:
    return text.translate(ARABIC_INDIC)


# --- provinces --------------------------------------------------------------------------------

#: Every province code, in the order of the Persian names.
PERSIAN_ORDER = [
    "east-azerbaijan",
    "west-azerbaijan",
    "ardabil",
    "isfahan",
    "alborz",
    "ilam",
    "bushehr",
    "tehran",
    "chaharmahal-bakhtiari",
    "south-khorasan",
    "razavi-khorasan",
    "north-khorasan",
    "khuzestan",
    "zanjan",
    "semnan",
    "sistan-baluchestan",
    "fars",
    "qazvin",
    "qom",
    "kurdistan",
    "kerman",
    "kermanshah",
    "kohgiluyeh-boyer-ahmad",
    "golestan",
    "gilan",
    "lorestan",
    "mazandaran",
    "markazi",
    "hormozgan",
    "hamadan",
    "yazd",
]


def test_there_are_31_provinces_with_unique_codes_and_names():
    assert len(PROVINCES) == 31
    assert len({province.code for province in PROVINCES}) == 31
    assert len({province.fa for province in PROVINCES}) == 31
    assert len({province.en for province in PROVINCES}) == 31


def test_codes_are_short_ascii_slugs():
    for province in PROVINCES:
        assert province.code.isascii() and province.code == province.code.lower()
        assert all(part.isalpha() for part in province.code.split("-")), province.code
        assert len(province.code) <= 30


def test_persian_names_use_persian_letters():
    for province in PROVINCES:
        assert not set(province.fa) & {"\u064a", "\u0643", "\u0649"}, province.code
        assert province.fa == province.fa.strip() and "  " not in province.fa


def test_provinces_are_in_persian_alphabetical_order():
    assert [province.code for province in PROVINCES] == PERSIAN_ORDER


@pytest.mark.parametrize(
    ("code", "fa", "en"),
    [
        ("tehran", "تهران", "Tehran"),
        ("razavi-khorasan", "خراسان رضوی", "Razavi Khorasan"),
        ("sistan-baluchestan", "سیستان و بلوچستان", "Sistan and Baluchestan"),
        ("kohgiluyeh-boyer-ahmad", "کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
        ("chaharmahal-bakhtiari", "چهارمحال و بختیاری", "Chaharmahal and Bakhtiari"),
        ("east-azerbaijan", "آذربایجان شرقی", "East Azerbaijan"),
        ("khuzestan", "خوزستان", "Khuzestan"),
        ("isfahan", "اصفهان", "Isfahan"),
        ("bushehr", "بوشهر", "Bushehr"),
        ("alborz", "البرز", "Alborz"),
    ],
)
def test_known_provinces(code, fa, en):
    assert province_by_code(code) == Province(code, fa, en)


def test_unknown_code_is_none():
    assert province_by_code("tehran-province") is None
    assert province_by_code("Tehran") is None
    assert province_by_code("") is None


def test_provinces_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PROVINCES[0].fa = "تهران"


def test_persian_choices_follow_the_persian_alphabet():
    choices = province_choices("fa")

    assert [code for code, _name in choices] == PERSIAN_ORDER
    assert choices[0] == ("east-azerbaijan", "آذربایجان شرقی")
    assert choices[-1] == ("yazd", "یزد")
    # Code point order would put پ چ ژ ک گ ی after every Arabic letter: چهارمحال after یزد.
    assert choices.index(("chaharmahal-bakhtiari", "چهارمحال و بختیاری")) == 8


def test_english_choices_are_sorted_by_english_name():
    choices = province_choices("en")

    names = [name for _code, name in choices]
    assert names == sorted(names)
    assert choices[:3] == [("alborz", "Alborz"), ("ardabil", "Ardabil"), ("bushehr", "Bushehr")]
    assert choices[-1] == ("zanjan", "Zanjan")
    assert {code for code, _name in choices} == set(PERSIAN_ORDER)


def test_choices_accept_a_region_and_refuse_other_languages():
    assert province_choices("fa_IR") == province_choices("fa")
    assert province_choices("en-GB") == province_choices("en")
    with pytest.raises(ValueError):
        province_choices("de")


def test_choices_are_a_new_list_each_time():
    province_choices("fa").clear()
    assert len(province_choices("fa")) == 31


# --- mobile numbers ---------------------------------------------------------------------------

MOBILE_FORMS = [
    "09121234567",
    "9121234567",
    "+989121234567",
    "00989121234567",
    "989121234567",
    "0912 123 4567",
    "0912-123-4567",
    "(0912) 123 45 67",
    "+98 (912) 123-4567",
    " 0098 912 1234567 ",
]


@pytest.mark.parametrize("text", MOBILE_FORMS)
@pytest.mark.parametrize("script", [str, to_persian_digits, to_arabic_digits])
def test_every_mobile_form_gives_the_11_digit_form(text, script):
    assert normalise_mobile(script(text)) == "09121234567"


def test_mixed_scripts_and_invisible_marks_are_read():
    assert normalise_mobile("۰۹۱۲ ١٢٣ 4567") == "09121234567"
    assert normalise_mobile("\u200e۰۹۳۵۱۲۳۴۵۶۷\u200f") == "09351234567"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0912123456",  # 10 digits starting with 0
        "091212345678",  # 12 digits
        "912123456",  # 9 digits
        "+98912123456",  # country code and 9 digits
        "+9891212345678",  # country code and 11 digits
        "02112345678",  # a Tehran landline
        "2112345678",
        "+982112345678",
        "0912123456a",
        "abcdefghijk",
        "0912.123.4567",
        "+09121234567",
        "98+9121234567",
        "+9809121234567",  # the 0 kept after the country code
        "0989121234567",
        "٠٩١٢١٢٣٤٥٦٧٨",  # Arabic-Indic, 12 digits
        "０９１２１２３４５６７",  # fullwidth digits
    ],
)
def test_bad_mobile_numbers_are_refused(text):
    with pytest.raises(BadMobile) as caught:
        normalise_mobile(text)

    assert caught.value.field == "mobile"
    assert isinstance(caught.value, DomainError)


def test_bad_mobile_says_what_is_wanted():
    with pytest.raises(BadMobile) as caught:
        normalise_mobile("02112345678")

    assert str(caught.value) == (
        "Enter a mobile number of 11 digits starting with 09, such as 09121234567."
    )


def test_mobile_that_is_not_text_is_refused():
    with pytest.raises(BadMobile):
        normalise_mobile(None)


# --- postal codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1315713345", "1315713345"),
        ("13157-13345", "1315713345"),
        ("۱۳۱۵۷-۱۳۳۴۵", "1315713345"),
        ("۱۳۱۵۷۱۳۳۴۵", "1315713345"),
        ("١٣١٥٧١٣٣٤٥", "1315713345"),
        ("13157 13345", "1315713345"),
        (" 13157 - 13345 ", "1315713345"),
        ("13157\u201313345", "1315713345"),  # an en dash for the hyphen
        ("9999900000", "9999900000"),  # 0 and 2 are fine in the last five digits
        ("3131522222", "3131522222"),
    ],
)
def test_postal_codes_give_10_ascii_digits(text, expected):
    assert normalise_postal_code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "131571334",  # 9 digits
        "13157133451",  # 11 digits
        "0315713345",  # starts with 0
        "1234567891",  # a 2 in the first five digits
        "1315013345",  # a 0 in the first five digits
        "13152-13345",  # a 2 in the first five digits
        "۱۳۱۰۷۱۳۳۴۵",  # a 0 in the first five digits, in Persian digits
        "13157-133-45",  # two hyphens
        "13157--13345",
        "-1315713345",
        "1315713345-",
        "1315a13345",
        "postalcode",
        "13157.13345",
        "+1315713345",
    ],
)
def test_bad_postal_codes_are_refused(text):
    with pytest.raises(BadPostalCode) as caught:
        normalise_postal_code(text)

    assert caught.value.field == "postal_code"
    assert isinstance(caught.value, DomainError)


def test_bad_postal_code_says_what_is_wanted():
    with pytest.raises(BadPostalCode) as caught:
        normalise_postal_code("12345-67890")

    assert str(caught.value) == (
        "Enter a postal code of 10 digits, such as 1315713345. "
        "Its first five digits never contain 0 or 2."
    )
