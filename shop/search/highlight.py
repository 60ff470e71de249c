"""Snippets with the matched words marked, taken from the original (not normalised) text."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from shop.search.normalize import normalize_text

#: A word, with the joiners, tatweel and harakat that may sit inside Persian words.
_WORD = re.compile(r"[\w\u200c\u200d\u0640\u064b-\u065f\u0670]+")


def _normalised_words(text: str):
    """Yield (start, end, normalised word) for each word of ``text``, in original offsets."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), normalize_text(match.group())


def highlight(text: str, terms: list[str], width: int = 160) -> Markup:
    """A window of ``text`` around the first match, each matching word in ``<mark>``.

    A word matches when its normalised form starts with a query term, so plural and joined
    forms (``کیف‌های`` for ``کیف``) are marked too.
    """
    if not text:
        return Markup("")
    terms = [t for t in terms if t]
    spans = [
        (start, end)
        for start, end, word in _normalised_words(text)
        if terms and any(word.startswith(term) for term in terms)
    ]
    if spans:
        first = spans[0][0]
        begin = max(0, first - width // 3)
        if begin:
            space = text.rfind(" ", 0, begin)
            begin = space + 1 if space != -1 and begin - space < 20 else begin
    else:
        begin = 0
    end = min(len(text), begin + width)
    parts, position = [], begin
    for start, stop in spans:
        if start < begin or stop > end:
            continue
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>") + escape(text[start:stop]) + Markup("</mark>"))
        position = stop
    parts.append(escape(text[position:end]))
    snippet = Markup("").join(parts)
    if begin > 0:
        snippet = Markup("… ") + snippet
    if end < len(text):
        snippet += Markup(" …")
    return snippet
