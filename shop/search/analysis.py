"""The Whoosh analyzer: normalise the whole text, tokenise, drop stop words, light stemming."""

from __future__ import annotations

from whoosh.analysis import Filter, RegexTokenizer, StopFilter, Tokenizer

from shop.search.normalize import STOP_WORDS, light_stem, normalize_text

TOKEN_PATTERN = r"\w+(?:\.\d+)?"  # noqa: S105 - a regular expression


class NormalizingTokenizer(Tokenizer):
    """Normalise the text (see ``normalize_text``), then split it into words."""

    def __init__(self) -> None:
        self.inner = RegexTokenizer(TOKEN_PATTERN)

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value, **kwargs):
        return self.inner(normalize_text(value), **kwargs)


class LightStemFilter(Filter):
    """Strip Persian plural endings (``کیفها`` → ``کیف``)."""

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        for token in tokens:
            token.text = light_stem(token.text)
            yield token


def persian_analyzer():
    return NormalizingTokenizer() | StopFilter(stoplist=STOP_WORDS, minsize=1) | LightStemFilter()


def analyze(text: str) -> list[str]:
    """The terms a text becomes in the index (used to build queries the same way)."""
    return [token.text for token in persian_analyzer()(text)]
