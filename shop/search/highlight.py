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


#: What may separate two words that one term matches written joined: «تابلو فرش».
_JOINING_GAP = re.compile(r"[ \t\u00a0-]")


def _matched_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Offsets of the matched words: a word whose normalised form starts with a term, or two
    adjacent words that a term matches written as one («تابلو فرش» for «تابلوفرش»)."""
    words = [(s, e, w.replace(" ", "")) for s, e, w in _normalised_words(text)]
    spans, index = [], 0
    while index < len(words):
        start, end, word = words[index]
        if word and any(word.startswith(term) for term in terms):
            spans.append((start, end))
            index += 1
            continue
        if word and index + 1 < len(words):
            after_start, after_end, after = words[index + 1]
            joined = word + after
            if _JOINING_GAP.fullmatch(text[end:after_start]) and any(
                len(term) > len(word) and term.startswith(word) and joined.startswith(term)
                for term in terms
            ):
                spans.append((start, after_end))
                index += 2
                continue
        index += 1
    return spans


def highlight(text: str, terms: list[str], width: int = 160) -> Markup:
    """A window of ``text`` around the first match, each matching word in ``<mark>``.

    A word matches when its normalised form starts with a query term, so plural, adjectival
    and joined forms (``کیف‌های`` for ``کیف``, ``چرمی`` for ``چرم``) are marked too, and so
    are two words that a term matches written as one.
    """
    if not text:
        return Markup("")
    terms = [t for t in terms if t]
    spans = _matched_spans(text, terms) if terms else []
    if spans and len(text) > width:  # a text that fits is shown whole (a title)
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
