"""Sheba numbers (شبا): the Iranian form of the IBAN, the account a producer is paid into.

A Sheba is "IR", two check digits, a three-digit bank code and 19 digits of account: 26
characters, such as ``IR062960000000100324200001``. The check digits (ISO 13616, computed with
ISO 7064 mod 97-10) catch every mistyped digit and every swap of two neighbouring ones. Checking
them before a number is stored matters twice over: a mistyped number that happened to exist
would send a producer's earnings to a stranger's account, and the bank refuses the whole group
transfer file that carries one bad number, holding up every other producer's payout with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shop.errors import DomainError
from shop.text import typed_number


@dataclass(frozen=True)
class Bank:
    #: The three digits that follow the check digits in a Sheba number.
    code: str
    #: The name Iranians know the bank by.
    fa: str
    #: The bank's usual English name.
    en: str


#: The banks and credit institutions whose accounts producers are likely to give, by code.
BANKS: tuple[Bank, ...] = (
    Bank("010", "بانک مرکزی", "Central Bank of Iran"),
    Bank("011", "بانک صنعت و معدن", "Industry and Mine Bank"),
    Bank("012", "بانک ملت", "Bank Mellat"),
    Bank("013", "بانک رفاه کارگران", "Refah Bank"),
    Bank("014", "بانک مسکن", "Bank Maskan"),
    Bank("015", "بانک سپه", "Bank Sepah"),
    Bank("016", "بانک کشاورزی", "Bank Keshavarzi"),
    Bank("017", "بانک ملی ایران", "Bank Melli Iran"),
    Bank("018", "بانک تجارت", "Tejarat Bank"),
    Bank("019", "بانک صادرات ایران", "Bank Saderat Iran"),
    Bank("020", "بانک توسعه صادرات ایران", "Export Development Bank"),
    Bank("021", "پست بانک ایران", "Post Bank of Iran"),
    Bank("022", "بانک توسعه تعاون", "Tose'e Ta'avon Bank"),
    Bank("053", "بانک کارآفرین", "Karafarin Bank"),
    Bank("054", "بانک پارسیان", "Parsian Bank"),
    Bank("055", "بانک اقتصاد نوین", "EN Bank"),
    Bank("056", "بانک سامان", "Saman Bank"),
    Bank("057", "بانک پاسارگاد", "Bank Pasargad"),
    Bank("058", "بانک سرمایه", "Sarmayeh Bank"),
    Bank("059", "بانک سینا", "Sina Bank"),
    Bank("060", "بانک قرض\u200cالحسنه مهر ایران", "Mehr Iran Bank"),
    Bank("061", "بانک شهر", "Shahr Bank"),
    Bank("062", "بانک آینده", "Ayandeh Bank"),
    Bank("064", "بانک گردشگری", "Gardeshgari Bank"),
    Bank("066", "بانک دی", "Dey Bank"),
    Bank("069", "بانک ایران زمین", "Iran Zamin Bank"),
    Bank("070", "بانک قرض\u200cالحسنه رسالت", "Resalat Bank"),
    Bank("073", "موسسه اعتباری کوثر", "Kosar Credit Institution"),
    Bank("075", "موسسه اعتباری ملل", "Melal Credit Institution"),
    Bank("078", "بانک خاورمیانه", "Middle East Bank"),
    Bank("080", "موسسه اعتباری نور", "Noor Credit Institution"),
)

_BY_CODE = {bank.code: bank for bank in BANKS}


class InvalidSheba(DomainError):
    """Text that is not a Sheba number we can pay into; ``reason`` says what is wrong with it."""

    field = "sheba"
    #: "shape" or "check_digits", for code that must tell the two apart without a type check.
    reason: str = ""


class ShebaWrongShape(InvalidSheba):
    """Not "IR" and 24 digits, whatever the check digits say."""

    reason = "shape"
    message = _l("A Sheba number is IR followed by 24 digits.")


class ShebaWrongCheckDigits(InvalidSheba):
    """Shaped like a Sheba, but its check digits do not match the rest: a typing mistake."""

    reason = "check_digits"
    message = _l("This Sheba number has a typing mistake: its check digits do not match.")


#: Every kind of space (NBSP included), the hyphen-minus and the dashes typed in its place.
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015\u2212]")
#: ASCII only: ``\d`` would also take Devanagari or fullwidth digits, which no bank reads.
_BARE_DIGITS = re.compile("[0-9]{24}")
_SHAPE = re.compile("IR[0-9]{24}")


def normalise_sheba(text: str | None) -> str:
    """``text`` as a compact, upper-case Sheba with ASCII digits; never raises, even on junk."""
    if not isinstance(text, str):
        return ""
    compact = _SEPARATORS.sub("", typed_number(text)).upper()
    if _BARE_DIGITS.fullmatch(compact):
        # Bank apps often show the number with "IR" apart from it, and people copy only the digits.
        return "IR" + compact
    return compact


def _mod_97(sheba: str) -> int:
    # ISO 13616: the country and check digits go to the end, letters become 10 to 35 (I = 18,
    # R = 27), and the whole is read as one integer, which Python holds without chunking.
    rearranged = sheba[4:] + sheba[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def sheba_for(bban: str) -> str:
    """The Sheba of a 22-digit Iranian account number (BBAN), with its check digits."""
    return f"IR{98 - _mod_97('IR00' + bban):02d}{bban}"


def validate_sheba(text: str | None) -> str:
    """The normalised Sheba if it is IR, 24 digits and matching check digits; else InvalidSheba."""
    sheba = normalise_sheba(text)
    # The details name what is wrong, never the number: it is someone's bank account.
    if _SHAPE.fullmatch(sheba) is None:
        raise ShebaWrongShape(f"{len(sheba)} characters, not IR and 24 digits")
    if _mod_97(sheba) != 1:
        raise ShebaWrongCheckDigits("mod 97 is not 1")
    return sheba


def _bank_of(sheba: str | None) -> Bank | None:
    normalised = normalise_sheba(sheba)
    if _SHAPE.fullmatch(normalised) is None:
        return None
    return _BY_CODE.get(normalised[4:7])


def bank_name(sheba: str | None, language: str) -> str | None:
    """The bank's name in ``language`` ("fa" or "en", "fa_IR" too), or None if it names none."""
    language = str(language).replace("-", "_").split("_", 1)[0].lower()
    if language not in ("fa", "en"):
        raise ValueError(f"no bank names in {language!r}")
    bank = _bank_of(sheba)
    if bank is None:
        return None
    return bank.fa if language == "fa" else bank.en


def format_sheba(sheba: str | None) -> str:
    """The normalised Sheba in groups of four for reading: ``IR06 2960 0000 0010 0324 2000 01``."""
    normalised = normalise_sheba(sheba)
    return " ".join(normalised[start : start + 4] for start in range(0, len(normalised), 4))
