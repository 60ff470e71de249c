"""Iranian delivery addresses: the 31 provinces, mobile numbers and postal codes.

Pure functions, no database: the checkout form calls them to check and normalise what a buyer
typed (in Persian, Arabic-Indic or ASCII digits) before an address is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shop.errors import DomainError
from shop.text import typed_number


@dataclass(frozen=True)
class Province:
    #: A short, stable ASCII slug, safe to store and to use as a form value.
    code: str
    #: The official Persian name.
    fa: str
    #: The usual English name.
    en: str


#: The 31 provinces (استان‌ها), in Persian alphabetical order.
PROVINCES: tuple[Province, ...] = (
    Province("east-azerbaijan", "آذربایجان شرقی", "East Azerbaijan"),
    Province("west-azerbaijan", "آذربایجان غربی", "West Azerbaijan"),
    Province("ardabil", "اردبیل", "Ardabil"),
    Province("isfahan", "اصفهان", "Isfahan"),
    Province("alborz", "البرز", "Alborz"),
    Province("ilam", "ایلام", "Ilam"),
    Province("bushehr", "بوشهر", "Bushehr"),
    Province("tehran", "تهران", "Tehran"),
    Province("chaharmahal-bakhtiari", "چهارمحال و بختیاری", "Chaharmahal and Bakhtiari"),
    Province("south-khorasan", "خراسان جنوبی", "South Khorasan"),
    Province("razavi-khorasan", "خراسان رضوی", "Razavi Khorasan"),
    Province("north-khorasan", "خراسان شمالی", "North Khorasan"),
    Province("khuzestan", "خوزستان", "Khuzestan"),
    Province("zanjan", "زنجان", "Zanjan"),
    Province("semnan", "سمنان", "Semnan"),
    Province("sistan-baluchestan", "سیستان و بلوچستان", "Sistan and Baluchestan"),
    Province("fars", "فارس", "Fars"),
    Province("qazvin", "قزوین", "Qazvin"),
    Province("qom", "قم", "Qom"),
    Province("kurdistan", "کردستان", "Kurdistan"),
    Province("kerman", "کرمان", "Kerman"),
    Province("kermanshah", "کرمانشاه", "Kermanshah"),
    Province("kohgiluyeh-boyer-ahmad", "کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
    Province("golestan", "گلستان", "Golestan"),
    Province("gilan", "گیلان", "Gilan"),
    Province("lorestan", "لرستان", "Lorestan"),
    Province("mazandaran", "مازندران", "Mazandaran"),
    Province("markazi", "مرکزی", "Markazi"),
    Province("hormozgan", "هرمزگان", "Hormozgan"),
    Province("hamadan", "همدان", "Hamadan"),
    Province("yazd", "یزد", "Yazd"),
)

_BY_CODE = {province.code: province for province in PROVINCES}

#: The Persian alphabet in dictionary order. Unicode code points do not follow it
#: (پ چ ژ ک گ ی lie outside the Arabic block), so sorting the names as strings would not do.
_PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_PERSIAN_RANK = {letter: rank for rank, letter in enumerate(_PERSIAN_ALPHABET)}
_PERSIAN_RANK.update({"ي": _PERSIAN_RANK["ی"], "ك": _PERSIAN_RANK["ک"]})


def _persian_sort_key(text: str) -> tuple[int, ...]:
    # Spaces and the zero-width non-joiner sort before every letter ("کرمان" before "کرمانشاه"
    # either way); anything else goes after the alphabet, by code point.
    return tuple(
        -1 if char in " \u200c" else _PERSIAN_RANK.get(char, len(_PERSIAN_RANK) + ord(char))
        for char in text
    )


def province_by_code(code: str) -> Province | None:
    """The province with this code, or None for an unknown code."""
    return _BY_CODE.get(code) if isinstance(code, str) else None


def province_choices(locale: str) -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a select box: names in the locale's language, sorted by them.

    ``locale`` is "fa" or "en" (a region such as "fa_IR" or "en-GB" is allowed).
    """
    language = str(locale).replace("-", "_").split("_", 1)[0].lower()
    if language == "fa":
        ordered = sorted(PROVINCES, key=lambda province: _persian_sort_key(province.fa))
        return [(province.code, province.fa) for province in ordered]
    if language == "en":
        ordered = sorted(PROVINCES, key=lambda province: province.en.casefold())
        return [(province.code, province.en) for province in ordered]
    raise ValueError(f"no province names in {locale!r}")


class BadMobile(DomainError):
    """Text that is not an Iranian mobile number."""

    field = "mobile"
    message = _l("Enter a mobile number of 11 digits starting with 09, such as 09121234567.")


class BadPostalCode(DomainError):
    """Text that is not an Iranian postal code."""

    field = "postal_code"
    message = _l(
        "Enter a postal code of 10 digits, such as 1315713345. "
        "Its first five digits never contain 0 or 2."
    )


#: Hyphen-minus and the dashes a keyboard or a word processor puts in its place.
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))

_MOBILE_SEPARATORS = re.compile(r"[\s\-()]")
#: 09XXXXXXXXX, 9XXXXXXXXX, +989XXXXXXXXX, 00989XXXXXXXXX or 989XXXXXXXXX.
_MOBILE = re.compile(r"(?:\+98|0098|98|0)?(9[0-9]{9})")
#: Ten digits; neither 0 nor 2 among the first five.
_POSTAL_CODE = re.compile(r"[13-9]{5}[0-9]{5}")


def _clean(text: str) -> str:
    return typed_number(text).translate(_HYPHENS)


def normalise_mobile(text: str) -> str:
    """An Iranian mobile number as 11 ASCII digits, ``09121234567``; else BadMobile.

    Persian, Arabic-Indic and ASCII digits are read alike; spaces, hyphens and parentheses are
    ignored; the country code may be written +98, 0098 or 98 instead of the leading 0.
    """
    if not isinstance(text, str):
        raise BadMobile("not text")
    match = _MOBILE.fullmatch(_MOBILE_SEPARATORS.sub("", _clean(text)))
    if match is None:
        raise BadMobile("not a mobile number")
    return "0" + match.group(1)


def normalise_postal_code(text: str) -> str:
    """An Iranian postal code as 10 ASCII digits, ``1315713345``; else BadPostalCode.

    Persian, Arabic-Indic and ASCII digits are read alike; spaces and one hyphen (as in
    ``13157-13345``) are ignored. No postal code has a 0 or a 2 in its first five digits, so
    one that has is refused as a typo.
    """
    if not isinstance(text, str):
        raise BadPostalCode("not text")
    match = re.fullmatch(r"([0-9]+)(?:-([0-9]+))?", re.sub(r"\s", "", _clean(text)))
    if match is None:
        raise BadPostalCode("not digits with at most one hyphen")
    digits = match.group(1) + (match.group(2) or "")
    if len(digits) != 10:
        raise BadPostalCode("not 10 digits")
    if _POSTAL_CODE.fullmatch(digits) is None:
        raise BadPostalCode("a 0 or 2 in the first five digits")
    return digits
