"""The Whoosh analyzer: normalise the whole text, tokenise, drop stop words, index the joined
form of adjacent Persian words, light stemming.

The same steps make the terms of a query (``query_terms``), so a word matches however it was
typed: «تابلوفرش», «تابلو‌فرش» and «تابلو فرش» are one term «تابلوفرش» (a pair of adjacent
words is also indexed joined, and a pair of query words may match its joined form), and «چرمی»
finds «چرم» (the adjectival «ی» is stemmed, see ``normalize.stem``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.analysis import Filter, RegexTokenizer, StopFilter, Tokenizer

from shop.search.normalize import STOP_WORDS, light_stem, normalize_text, stem, tidy_text

TOKEN_PATTERN = r"\w+(?:\.\d+)?"  # noqa: S105 - a regular expression
#: What may separate two words that are also one word written joined: «دست باف», «دست-باف».
JOINING_GAPS = frozenset(" -")


#: Two or more letters of the Arabic script (digits are ASCII once normalised).
_PERSIAN_WORD = re.compile(
    "[\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff]{2,}"
)


def is_persian_word(text: str) -> bool:
    return _PERSIAN_WORD.fullmatch(text) is not None


class NormalizingTokenizer(Tokenizer):
    """Normalise the text (see ``normalize_text``), then split it into words.

    Each token also says whether it follows the previous word on its line with only a space
    or a hyphen between them (``token.joinable``), for ``JoinedPairFilter``.
    """

    def __init__(self) -> None:
        self.inner = RegexTokenizer(TOKEN_PATTERN)

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value, **kwargs):
        # Line by line: words on two lines (a listing's name and its shop's, two paragraphs)
        # are never one word.
        text = "\n".join(normalize_text(line) for line in value.splitlines())
        kwargs["chars"] = True
        kwargs.pop("start_char", None)
        for token in self.inner(text, **kwargs):
            start = token.startchar
            token.joinable = start > 0 and text[start - 1] in JOINING_GAPS
            yield token


def joins(previous: tuple[str, int] | None, token) -> bool:
    """Whether ``token`` and the word before it (text, end offset) may be one word joined."""
    return (
        previous is not None
        and getattr(token, "joinable", False)
        and token.startchar - previous[1] == 1
        and is_persian_word(previous[0])
        and is_persian_word(token.text)
    )


class JoinedPairFilter(Filter):
    """After each pair of adjacent Persian words, also yield the two written as one
    («تابلو فرش» → تابلو, فرش, تابلوفرش), so a listing that spaces a compound is found by
    the joined word. Stop words are dropped before, so «گلیم و چرم» joins nothing."""

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        previous = None
        for token in tokens:
            # Later filters change ``token`` in place (Whoosh reuses one token object).
            text, end = token.text, token.endchar
            yield token
            if joins(previous, token):
                token.text = previous[0] + text
                yield token
            previous = (text, end)


class StemFilter(Filter):
    """Strip Persian plural endings and the adjectival «ی» (``کیفها`` → ``کیف``,
    ``چرمی`` → ``چرم``); see ``normalize.stem``."""

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        for token in tokens:
            token.text = stem(token.text)
            yield token


def persian_analyzer(join_pairs: bool = True):
    """The analyzer of a text field; ``join_pairs`` also indexes each pair of adjacent words
    joined. Titles and names get it; descriptions do not (their pairs would be most of the
    index's postings, for compounds that a listing's title almost always names as well)."""
    analyzer = NormalizingTokenizer() | StopFilter(stoplist=STOP_WORDS, minsize=1)
    if join_pairs:
        analyzer = analyzer | JoinedPairFilter()
    return analyzer | StemFilter()


def analyze(text: str, join_pairs: bool = True) -> list[str]:
    """The terms a text becomes in the index (joined pairs included, unless told not to)."""
    return [token.text for token in persian_analyzer(join_pairs)(text)]


def _words(text: str):
    """(normalised word, its end offset, whether it joins the word before), stop words out."""
    chain = NormalizingTokenizer() | StopFilter(stoplist=STOP_WORDS, minsize=1)
    previous = None
    for token in chain(text):
        yield token.text, token.endchar, joins(previous, token)
        previous = (token.text, token.endchar)


@dataclass(frozen=True)
class QueryTerms:
    """The terms of a query: every word must match, and two adjacent words may match the
    term of the two written as one instead («تابلو فرش» finds «تابلوفرش»)."""

    words: tuple[str, ...] = ()
    #: ``joined[i]``: the term of words ``i`` and ``i + 1`` written as one, or None.
    joined: tuple[str | None, ...] = ()

    def alternatives(self, index: int) -> list[str]:
        """The terms any one of which matches word ``index``."""
        found = [self.words[index]]
        if index > 0 and self.joined[index - 1]:
            found.append(self.joined[index - 1])
        if index < len(self.joined) and self.joined[index]:
            found.append(self.joined[index])
        return list(dict.fromkeys(found))

    @property
    def all(self) -> list[str]:
        """Every term, for highlighting."""
        return list(dict.fromkeys([*self.words, *(j for j in self.joined if j)]))


def query_terms(text: str) -> QueryTerms:
    words, joined = [], []
    previous = None
    for word, _end, joining in _words(text):
        if words:
            joined.append(stem(previous + word) if joining else None)
        words.append(stem(word))
        previous = word
    return QueryTerms(tuple(words), tuple(joined))


_SURFACE_WORD = re.compile(r"[\w\u200c]+")
_TOKEN = re.compile(TOKEN_PATTERN)


def title_words(title: str) -> list[tuple[str, str]]:
    """(key, surface) of each word of a title that suggestions may offer: the key is the
    normalised word without its plural ending (what a typed prefix is compared with), the
    surface the word as written, tidied (``tidy_text``, lower case) with its half-space kept."""
    found = []
    for match in _SURFACE_WORD.finditer(tidy_text(title)):
        surface = match.group().strip("\u200c").casefold()
        keys = [
            light_stem(token)
            for token in _TOKEN.findall(normalize_text(surface))
            if token not in STOP_WORDS
        ]
        if len(keys) == 1 and len(keys[0]) >= 2:
            found.append((keys[0], surface))
    return found


def spelling_key(word: str) -> str | None:
    """The key (see ``title_words``) of one typed word, or None for a stop word."""
    keys = [
        light_stem(token)
        for token in _TOKEN.findall(normalize_text(word))
        if token not in STOP_WORDS
    ]
    return keys[0] if keys else None
