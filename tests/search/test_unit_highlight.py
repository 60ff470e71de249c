"""Snippets: matched words in <mark>, in the original text, safely escaped, in a window."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from shop.search.analysis import analyze
from shop.search.highlight import highlight


def test_matched_words_are_marked_in_the_original_text():
    # Given a text and the analysed terms of a query
    # When highlighted
    # Then every matching word is wrapped in <mark> and the rest is unchanged
    snippet = highlight("گلیم قشقایی دستباف", analyze("گلیم قشقایی"))

    assert isinstance(snippet, Markup)
    assert str(snippet) == "<mark>گلیم</mark> <mark>قشقایی</mark> دستباف"


def test_arabic_letter_text_is_marked_for_a_persian_query_and_kept_as_typed():
    # Given a description typed with Arabic yeh
    # When highlighted for the Persian query «گلیم قشقایی»
    # Then the words are marked and keep their Arabic letters (not the normalised form)
    snippet = highlight("یک گليم قشقايي زيبا", analyze("گلیم قشقایی"))

    assert str(snippet) == "یک <mark>گليم</mark> <mark>قشقايي</mark> زيبا"


def test_persian_text_is_marked_for_a_query_typed_with_arabic_letters():
    assert str(highlight("گلیم قشقایی", analyze("گليم"))) == "<mark>گلیم</mark> قشقایی"


def test_case_is_kept_in_the_marked_english_word():
    assert str(highlight("Handwoven KILIM rug", analyze("kilim"))) == (
        "Handwoven <mark>KILIM</mark> rug"
    )


def test_persian_digits_in_the_text_match_an_ascii_digit_query():
    assert str(highlight("سال ۱۴۰۲ بافته شد", analyze("1402"))) == (
        "سال <mark>۱۴۰۲</mark> بافته شد"
    )


def test_plural_word_is_marked_for_the_singular_term():
    assert str(highlight("کیفهای چرمی", analyze("کیف"))) == "<mark>کیفهای</mark> چرمی"


def test_html_in_the_text_is_escaped():
    # Given a text containing markup and a query word inside it
    text = '<script>alert("x")</script> <b>گلیم</b> & چرم'
    # When highlighted
    snippet = str(highlight(text, analyze("گلیم script")))
    # Then only our <mark> tags are markup: everything else is escaped
    assert snippet == (
        "&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; "
        "&lt;b&gt;<mark>گلیم</mark>&lt;/b&gt; &amp; چرم"
    )
    assert "<script" not in snippet and "<b>" not in snippet


@settings(max_examples=200, database=None)
@given(st.text(alphabet="<>&\"'گلیم abc/=", max_size=60))
def test_no_markup_but_mark_survives_any_text(text):
    snippet = str(highlight(text, ["گلیم", "abc"]))
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks and '"' not in without_marks


def test_long_text_gives_a_window_around_the_first_match_with_ellipses():
    # Given a long text whose match is far from the start
    text = "ا " * 60 + "گلیم" + " ب" * 100
    # When highlighted with a 40-character window
    snippet = str(highlight(text, ["گلیم"], width=40))
    # Then the snippet starts at a word a third of the window before the match, ends after
    # the window, and both cut ends show an ellipsis
    assert snippet == "… " + "ا " * 7 + "<mark>گلیم</mark>" + " ب" * 11 + " …"


def test_match_at_the_start_has_no_leading_ellipsis():
    text = "گلیم " + "ب " * 100
    snippet = str(highlight(text, ["گلیم"], width=20))
    assert snippet.startswith("<mark>گلیم</mark> ")
    assert snippet.endswith(" …") and not snippet.startswith("…")


def test_short_text_has_no_ellipses():
    assert str(highlight("گلیم کوچک", ["گلیم"])) == "<mark>گلیم</mark> کوچک"


def test_no_match_gives_the_start_of_the_text_unmarked():
    assert str(highlight("abc " * 60, ["zzz"], width=20)) == "abc " * 5 + " …"


@pytest.mark.parametrize("terms", [[], [""]])
def test_no_terms_mark_nothing(terms):
    assert str(highlight("گلیم چرمی", terms)) == "گلیم چرمی"


@pytest.mark.parametrize("text", ["", None])
def test_empty_text_gives_an_empty_snippet(text):
    assert str(highlight(text, ["گلیم"])) == ""


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("من می\u200cخواهم", "میخواهم", "من <mark>می\u200cخواهم</mark>"),
        ("یک گَلیم", "گلیم", "یک <mark>گَلیم</mark>"),
        ("کیف\u200cهای چرمی", "کیف", "<mark>کیف\u200cهای</mark> چرمی"),
    ],
)
def test_words_with_zwnj_or_harakat_are_marked_whole(text, query, expected):
    assert str(highlight(text, analyze(query))) == expected
