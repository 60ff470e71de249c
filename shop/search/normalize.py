"""Persian-aware text normalisation, applied to whole texts before tokenising.

The same function runs at index time and at query time, so the ways people type one word
(Arabic ي/ك, with or without the zero-width non-joiner, harakat, tatweel, Persian, Arabic-Indic
or ASCII digits, upper or lower case) all become the same tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",  # yeh with hamza above, typed for ی before a vowel
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above (ezafe)
        "ؤ": "و",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "آ": "ا",  # people type ا for آ on many keyboards
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "\u200c": "",  # zero-width non-joiner: «می‌خواهم» = «میخواهم»
        "\u200d": "",  # zero-width joiner
        "\u200e": "",
        "\u200f": "",
        "\u061c": "",  # direction marks
        "\u202a": "",
        "\u202b": "",
        "\u202c": "",
        "\u202d": "",
        "\u202e": "",
        "\u2066": "",
        "\u2067": "",
        "\u2068": "",
        "\u2069": "",
        "\ufeff": "",
        "ـ": "",  # tatweel
        "٬": " ",
        "،": " ",
        "؛": " ",
        "؟": " ",
        "٫": ".",
    }
)
_LETTERS_KEEPING_ZWNJ = {**_LETTERS, ord("\u200c"): "\u200c"}
# Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# «می خواهم», «نمی خواهم»: the verb prefixes people separate with a space join the verb.
_VERB_PREFIX = re.compile(r"(?<!\w)(ن?می) (?=\w)")
# «کیف ها», «کیف های»: plural suffixes typed apart join their word.
_PLURAL_APART = re.compile(r"(?<=\w) (ها|های|هایی)(?!\w)")
_SPACES = re.compile(r"\s+")
# «نقره‌ای», «صندلی‌ای»: «ای» after a half-space is a suffix (adjectival or indefinite), not
# the end of a joined word; it becomes a word of its own (a stop word) so «نقره‌ای» is «نقره».
# Without the half-space «نقرهای» would read as the plural «نقر» + «های».
_SUFFIX_AI = re.compile("\u200c(ای)(?![\\w\u200c])")


def normalize_text(text: str | None) -> str:
    """Fold ``text`` to the form used for indexing and searching (idempotent)."""
    if not text:
        return ""
    # Twice: removing joiners and marks can leave sequences that compose anew (ا + ٔ → أ).
    for _ in range(2):
        text = unicodedata.normalize("NFKC", text)
        text = _DIACRITICS.sub("", text.translate(_LETTERS_KEEPING_ZWNJ))
        if "\u200c" in text:
            text = _SUFFIX_AI.sub(r" \1", text).replace("\u200c", "")
    text = text.casefold()
    text = _SPACES.sub(" ", text).strip()
    text = _VERB_PREFIX.sub(r"\1", text)
    text = _PLURAL_APART.sub(r"\1", text)
    return text


def city_key(city: str | None) -> str:
    """The one form of a city name that the index stores, filters and counts facets by, and
    that the database fallback compares: «كرمان», « کرمان » and «کرمان» are one city."""
    return normalize_text(city)


_PERSIAN_STOP_TEXT = """
و در به از که این آن با را برای تا یا هم نیز اما اگر چون بر پس هر همه یک دو
است هست بود شد شده شود می‌شود کرد کند کنید کرده باشد دارد دارای نه ای ها های
ما شما او آنها ایشان من تو خود چه چی کجا کی چرا چند بسیار خیلی فقط هیچ روی زیر
"""
PERSIAN_STOP_WORDS = frozenset(normalize_text(word) for word in _PERSIAN_STOP_TEXT.split())
ENGLISH_STOP_WORDS = frozenset(
    "a an and are as at be by for from has in is it of on or the to with".split()  # noqa: SIM905
)
STOP_WORDS = PERSIAN_STOP_WORDS | ENGLISH_STOP_WORDS

#: Plural and indefinite endings stripped by light stemming: «کیفهای» → «کیف».
_PLURAL_ENDINGS = ("هایی", "های", "ها")


def light_stem(token: str) -> str:
    """Strip a Persian plural ending from a long-enough word (``«گلیمها» → «گلیم»``)."""
    for ending in _PLURAL_ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 2:
            return token[: -len(ending)]
    return token


#: Words whose final «ی» is part of the word (a chair is not a sandal, a fish not the moon),
#: so the adjectival «ی» is never stripped from them. Compared after normalising.
_OWN_FINAL_YEH_TEXT = """
قالی کاشی روسری صندلی سینی چینی ماهی بازی کرسی قوری کتری کشتی پشتی دمپایی گلابی پادری
"""
OWN_FINAL_YEH = frozenset(normalize_text(word) for word in _OWN_FINAL_YEH_TEXT.split())
#: The shortest stem the adjectival «ی» is stripped down to: «چرمی» → «چرم», but «آبی»
#: (blue) is not «آب» (water) and «چای» is not «چا».
MIN_ADJECTIVE_STEM = 3


def adjective_stem(token: str) -> str:
    """Strip the adjectival (or indefinite) «ی» of a Persian word: «چرمی» → «چرم»,
    «پشمی» → «پشم», «طلایی» → «طلا» («یی» after ا or و). «نقره‌ای» becomes «نقره» in
    ``normalize_text``. Words in ``OWN_FINAL_YEH`` and short stems are left alone."""
    if token in OWN_FINAL_YEH:
        return token
    if token.endswith("یی") and len(token) - 2 >= MIN_ADJECTIVE_STEM and token[-3] in "او":
        return token[:-2]
    if token.endswith("ی") and len(token) - 1 >= MIN_ADJECTIVE_STEM:
        return token[:-1]
    return token


@functools.lru_cache(maxsize=1 << 16)  # words repeat: a catalogue has a small vocabulary
def stem(token: str) -> str:
    """The term a normalised word is indexed and searched as: plural, then adjectival ending."""
    return adjective_stem(light_stem(token))


_TIDY = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "\u200d": "",
        "\u200e": "",
        "\u200f": "",
        "\u061c": "",
        "\ufeff": "",
        "ـ": "",
    }
)
_LOOSE_ZWNJ = re.compile(r"\u200c+(?=\s|$)|(?:(?<=\s)|^)\u200c+|(?<=\u200c)\u200c+")


def tidy_text(text: str | None) -> str:
    """``text`` as people should see it: Arabic ي/ك as Persian ی/ک, harakat, tatweel and
    invisible marks removed, spaces collapsed, but the half-space (ZWNJ) between the parts
    of a word kept («سوزن‌دوزی» stays «سوزن‌دوزی»), and case and «آ» as written."""
    if not text:
        return ""
    text = _DIACRITICS.sub("", unicodedata.normalize("NFC", text).translate(_TIDY))
    text = _SPACES.sub(" ", text).strip()
    return _LOOSE_ZWNJ.sub("", text)
