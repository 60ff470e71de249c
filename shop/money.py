"""Money: integer minor units, parsing what people type, and formatting for each language.

The shop has one currency. IRR is stored in rials and shown in toman (1 toman = 10 rials),
because that is how Iranians read prices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)

#: Upper bound for a single price, in minor units: far above any handicraft, far below 2^63.
MAX_AMOUNT = 10**15


@dataclass(frozen=True)
class Currency:
    code: str
    #: Digits of the minor unit in storage (rial: 0, cent: 2).
    exponent: int
    #: How many minor units make one displayed unit (toman: 10 rials; dollar: 100 cents).
    display_factor: int
    #: Decimal places people type and see in the display unit.
    display_decimals: int
    name_en: str
    name_fa: str


CURRENCIES = {
    "IRR": Currency("IRR", 0, 10, 0, "toman", "تومان"),
    "USD": Currency("USD", 2, 100, 2, "USD", "دلار"),
    "EUR": Currency("EUR", 2, 100, 2, "EUR", "یورو"),
}


class InvalidAmount(ValueError):
    """Text that is not a valid price."""


def get_currency(code: str) -> Currency:
    try:
        return CURRENCIES[code.upper()]
    except KeyError as exc:
        raise ValueError(f"unsupported currency {code!r}") from exc


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits → ASCII digits."""
    return text.translate(_TO_ASCII)


def to_persian_digits(text: str) -> str:
    """ASCII digits → Persian digits (Babel never prints them)."""
    return text.translate(_TO_PERSIAN)


# Thousands separators people type: comma, Arabic thousands separator, Persian comma, spaces,
# apostrophes, dots used as grouping in some keyboards are NOT accepted (ambiguous with decimals).
_GROUPING = re.compile(r"[,\u066c\u060c\s'\u2009\u202f\u200c]")
_DECIMAL_SEPARATORS = str.maketrans({"\u066b": ".", "/": "."})


_SYMBOLS = {"USD": ("$",), "EUR": ("€",)}


def _unit_words(currency: Currency) -> tuple[str, ...]:
    """What people may type after a price in the display unit, longest first."""
    words = {currency.name_en.lower(), currency.name_fa, *_SYMBOLS.get(currency.code, ())}
    if currency.display_factor == 10**currency.exponent:
        words.add(currency.code.lower())  # the code names the display unit only when they agree
    return tuple(sorted(words, key=len, reverse=True))


def parse_amount(text: str | None, currency: Currency) -> int:
    """Parse a price typed in the display unit (toman for IRR) into integer minor units.

    Accepts Persian, Arabic-Indic and ASCII digits and the usual grouping separators.
    Raises ``InvalidAmount`` for empty, negative, non-numeric, over-precise or huge input.
    """
    if text is None:
        raise InvalidAmount("empty")
    cleaned = to_ascii_digits(str(text)).strip()
    # Only the display unit's own names are dropped. Any other unit ("ریال" for a toman
    # field, "$" in an IRR shop) is refused rather than read as toman: "120000 ریال" read
    # as toman would be a price ten times too high.
    for word in _unit_words(currency):
        cleaned = re.sub(re.escape(word), "", cleaned, flags=re.IGNORECASE)
    cleaned = _GROUPING.sub("", cleaned).translate(_DECIMAL_SEPARATORS)
    if not cleaned:
        raise InvalidAmount("empty")
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?", cleaned)
    if not match:
        raise InvalidAmount("not a number")
    whole, fraction = match.group(1).lstrip("0") or "0", match.group(2) or ""
    fraction = fraction.rstrip("0")
    if len(fraction) > currency.display_decimals:
        raise InvalidAmount("too many decimals")
    if len(whole) > 16:
        raise InvalidAmount("too large")
    scale = 10**currency.display_decimals
    display_units = int(whole) * scale + int(fraction.ljust(currency.display_decimals, "0") or 0)
    amount = display_units * currency.display_factor // scale
    if amount > MAX_AMOUNT:
        raise InvalidAmount("too large")
    return amount


def amount_to_display_text(amount: int, currency: Currency) -> str:
    """Minor units → the plain number people type in a form (ASCII digits, no grouping)."""
    # Integer arithmetic on the absolute value: floats print 1234567.5 as "1.23457e+06", and
    # divmod of a negative amount would give "-1.99" for minus one cent.
    sign = "-" if amount < 0 else ""
    whole, rest = divmod(abs(amount), currency.display_factor)
    places = max(currency.display_decimals, (len(str(currency.display_factor)) - 1) if rest else 0)
    if places == 0:
        return f"{sign}{whole}"
    fraction = rest * 10**places // currency.display_factor
    return f"{sign}{whole}.{fraction:0{places}d}"


def _group(digits: str, separator: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return separator.join(reversed(groups))


def format_amount(amount: int, currency: Currency, locale: str = "fa") -> str:
    """Integer minor units → what people read: ``۱۲۰٬۰۰۰ تومان`` or ``120,000 toman``."""
    negative = amount < 0
    whole, rest = divmod(abs(amount), currency.display_factor)
    persian = locale.startswith("fa")
    number = _group(str(whole), "٬" if persian else ",")
    if currency.display_decimals:
        cents = rest * 10**currency.display_decimals // currency.display_factor
        number += ("٫" if persian else ".") + f"{cents:0{currency.display_decimals}d}"
    elif rest:
        # A rial amount that is not a whole toman: show one decimal rather than hide it.
        number += ("٫" if persian else ".") + str(rest)
    if negative:
        number = "−" + number
    if persian:
        return f"{to_persian_digits(number)} {currency.name_fa}"
    return f"{number} {currency.name_en}"


def split_basis_points(gross: int, rate_bp: int) -> int:
    """The share of ``gross`` at ``rate_bp`` basis points, rounded half up (for fees)."""
    if gross < 0 or rate_bp < 0:
        raise ValueError("gross and rate must not be negative")
    return (gross * rate_bp + 5_000) // 10_000
