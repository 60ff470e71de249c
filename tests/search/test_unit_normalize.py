"""Persian-aware normalisation and analysis: the same word, however it is typed, is one term."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.search.analysis import analyze, query_terms
from shop.search.normalize import (
    MIN_ADJECTIVE_STEM,
    OWN_FINAL_YEH,
    STOP_WORDS,
    adjective_stem,
    light_stem,
    normalize_text,
    stem,
    tidy_text,
)

ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "ـ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
ARABIC_VARIANTS = "يىكةؤأإئآٱۀء"
INVISIBLE = ZWNJ + ZWJ + "\u200e\u200f\u061c\ufeff" + TATWEEL
PUNCTUATION = "،؛؟٬٫ \t\n"
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,:;*'\"-_~()"

NORMALISER_ALPHABET = (
    PERSIAN_LETTERS
    + ARABIC_VARIANTS
    + INVISIBLE
    + HARAKAT
    + "\u0670\u0654\u0655"
    + PERSIAN_DIGITS
    + ARABIC_DIGITS
    + ASCII_DIGITS
    + PUNCTUATION
    + ASCII
)
#: Pieces that trigger the rules on words: verb prefixes and plural suffixes typed apart.
NORMALISER_PIECES = ["می ", "نمی ", " ها", " های", " هایی", "می" + ZWNJ, ZWNJ + "ها", ZWNJ + "ای"]


# -- normalize_text: examples ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("موسى", "موسی"),  # alef maksura
        ("كيف", "کیف"),  # Arabic kaf and yeh
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("مؤمن", "مومن"),
        ("أنار", "انار"),
        ("إيران", "ایران"),
        ("آب", "اب"),
        ("گَلیم", "گلیم"),  # fatha
        ("گُلّیمٌ", "گلیم"),  # damma, shadda, tanwin
        ("گلـــیم", "گلیم"),  # tatweel
        ("گل\u200dیم", "گلیم"),  # zero-width joiner
        ("\u200fگلیم\u200e", "گلیم"),  # direction marks
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),  # Persian digits
        ("١٢٣٤٥٦٧٨٩٠", "1234567890"),  # Arabic-Indic digits
        ("KILIM Rug", "kilim rug"),  # case folded
        ("Straße", "strasse"),
        ("  گلیم \t\n  چرم  ", "گلیم چرم"),  # spaces collapsed
        ("کیف، گلیم؛ چرم؟", "کیف گلیم چرم"),  # Persian punctuation becomes space
        ("", ""),
    ],
)
def test_normalize_text_folds_each_variant(typed, expected):
    # Given a word typed with one of the variant characters
    # When it is normalised
    # Then it is the canonical form
    assert normalize_text(typed) == expected


def test_normalize_text_of_none_is_empty():
    assert normalize_text(None) == ""


@pytest.mark.parametrize("typed", ["می\u200cخواهم", "میخواهم", "مي خواهم", "مى\u200cخواهم"])
def test_the_ways_of_typing_mikhaham_normalise_the_same(typed):
    # Given «می‌خواهم» typed with ZWNJ, joined, with a space and with Arabic yeh
    # When normalised
    # Then all are «میخواهم», and so one term
    assert normalize_text(typed) == "میخواهم"
    assert analyze(typed) == ["میخواهم"]


def test_negative_verb_prefix_typed_apart_joins_the_verb():
    assert normalize_text("نمی خواهم") == normalize_text("نمی\u200cخواهم") == "نمیخواهم"


@pytest.mark.parametrize(
    ("typed", "expected"), [("کیف ها", "کیفها"), ("کیف های", "کیفهای"), ("کیف هایی", "کیفهایی")]
)
def test_plural_suffix_typed_apart_joins_its_word(typed, expected):
    assert normalize_text(typed) == expected


def test_a_word_merely_ending_in_mi_is_not_joined_to_the_next():
    # Given «کمی» (a little), whose last letters look like the verb prefix
    # Then it is not glued to the next word
    assert normalize_text("کمی گلیم") == "کمی گلیم"


# -- normalize_text: properties ----------------------------------------------------------

texts = st.lists(
    st.one_of(
        st.text(alphabet=NORMALISER_ALPHABET, max_size=12), st.sampled_from(NORMALISER_PIECES)
    ),
    max_size=6,
).map("".join)


@settings(max_examples=400, database=None)
@given(texts)
def test_normalize_text_is_idempotent(text):
    # Given any text of Persian/Arabic letters, ZWNJ, digits, harakat and ASCII
    # When normalised twice
    # Then the second pass changes nothing
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=200, database=None)
@given(texts)
def test_normalised_text_has_no_variant_characters_left(text):
    once = normalize_text(text)
    for char in "يىكةؤأإٱآۀ" + INVISIBLE + HARAKAT + PERSIAN_DIGITS + ARABIC_DIGITS + "،؛؟٬":
        assert char not in once
    assert once == once.strip() and "  " not in once
    assert once == once.casefold()


@pytest.mark.parametrize("text", ["cafe\u200c\u0301", "cafe" + TATWEEL + "\u0301"])
def test_normalize_text_is_idempotent_when_a_removed_joiner_separated_a_combining_mark(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


# -- analyze: variants of a word give the same terms ------------------------------------

VARIANTS = {
    "ی": ["ی", "ي", "ى"],
    "ک": ["ک", "ك"],
    "ه": ["ه", "ة"],
    **{ASCII_DIGITS[i]: [ASCII_DIGITS[i], PERSIAN_DIGITS[i], ARABIC_DIGITS[i]] for i in range(10)},
}
#: Canonical words of the corpus used below and in the search tests.
WORDS = ["گلیم", "کیف", "چرمی", "قشقایی", "کاشی", "ملیله", "1402", "kilim"]


@st.composite
def variant_of(draw, word: str) -> str:
    """``word`` with its letters and digits swapped for variants and invisible marks added."""
    out = []
    for index, char in enumerate(word):
        if char.isascii() and char.isalpha():
            char = draw(st.sampled_from([char, char.upper()]))
        # «ه» is only written «ة» at the end of a word.
        choices = VARIANTS.get(char, [char])
        if char == "ه" and index != len(word) - 1:
            choices = ["ه"]
        out.append(draw(st.sampled_from(choices)))
        if not char.isascii():
            out.append(draw(st.sampled_from(["", "", *HARAKAT])))
        if index < len(word) - 1 and not char.isascii():
            out.append(draw(st.sampled_from(["", "", ZWNJ, ZWJ, TATWEEL])))
    return "".join(out)


@st.composite
def word_and_variant(draw):
    word = draw(st.sampled_from(WORDS))
    return word, draw(variant_of(word))


@settings(max_examples=300, database=None)
@given(word_and_variant())
def test_every_letter_and_digit_variant_of_a_word_analyses_the_same(pair):
    # Given a word and a variant typed with Arabic letters, digits of another script, ZWNJ,
    # tatweel or harakat
    word, variant = pair
    # When both are analysed
    # Then they become the same single term (the word's stem)
    assert analyze(variant) == analyze(word) == [stem(normalize_text(word))]


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("مي خواهم", ["میخواهم"]),
        ("مى\u200cخواهم", ["میخواهم"]),
        # The two words, then the two written as one (the joined pair).
        ("كيف‌هاي چرمي", ["کیف", "چرم", "کیفهایچرم"]),
        ("۱۴۰۲", ["1402"]),
        ("١٤٠٢", ["1402"]),
        ("ابعاد ۱٫۵ متر", ["ابعاد", "1.5", "متر"]),
    ],
)
def test_analyze_examples(typed, terms):
    assert analyze(typed) == terms


# -- stop words and light stemming -------------------------------------------------------


@pytest.mark.parametrize("text", ["و", "در", "the", "و در به از", "The AND of", "های", ""])
def test_stop_words_alone_give_no_terms(text):
    assert analyze(text) == []


def test_stop_words_are_dropped_between_content_words():
    assert analyze("گلیم و چرم در the bag") == ["گلیم", "چرم", "bag"]


def test_stop_words_are_stored_normalised():
    assert normalize_text("می\u200cشود") in STOP_WORDS
    assert "آن" not in STOP_WORDS and "ان" in STOP_WORDS


@pytest.mark.parametrize(
    ("token", "stem"),
    [
        ("کیفها", "کیف"),
        ("کیفهای", "کیف"),
        ("کیفهایی", "کیف"),
        ("گلیمها", "گلیم"),
        ("رها", "رها"),  # too short to be a plural
        ("کیف", "کیف"),
        ("چرمی", "چرمی"),
    ],
)
def test_light_stem(token, stem):
    assert light_stem(token) == stem


@pytest.mark.parametrize("query", ["کیف‌های چرمی", "کیفهای چرمی", "کیف های چرمی", "کیف ها چرمی"])
def test_plural_queries_analyse_to_the_singular_terms_of_the_title(query):
    # Given a listing titled «کیف چرمی» (words کیف, چرم)
    # When a plural query is analysed
    # Then its words are the title's words
    assert query_terms(query).words == query_terms("کیف چرمی").words == ("کیف", "چرم")


# -- compounds: joined, with a half-space or spaced -------------------------------------

COMPOUNDS = [
    ("تابلو", "فرش"),
    ("دست", "باف"),
    ("سوزن", "دوزی"),
    ("قالی", "بافی"),
    ("چرم", "دوزی"),
    ("فرت", "بافی"),
]


@pytest.mark.parametrize(("first", "second"), COMPOUNDS)
def test_a_compound_written_three_ways_shares_the_joined_term(first, second):
    # Given a compound written joined, with a half-space and with a space
    joined = analyze(first + second)
    # Then joined and with a half-space it is one term
    assert len(joined) == 1
    assert analyze(first + ZWNJ + second) == joined
    # And spaced, the index holds that term beside the two words
    assert analyze(f"{first} {second}") == [stem(first), stem(second), joined[0]]
    # And a spaced query lets the two words match that term instead
    assert query_terms(f"{first} {second}").joined == (joined[0],)
    assert query_terms(first + second).words == (joined[0],)


@pytest.mark.parametrize(
    "text",
    ["گلیم و چرم", "تابلو. فرش", "تابلو/فرش", "گلیم 1402", "kilim rug", "گلیم rug", "گ لیم"],
)
def test_words_apart_across_a_stop_word_punctuation_or_script_are_not_joined(text):
    terms = query_terms(text)
    index_terms = analyze(text)
    assert all(joined is None for joined in terms.joined), text
    assert index_terms == list(terms.words), text


persian_words = st.text(alphabet=PERSIAN_LETTERS, min_size=2, max_size=6).filter(
    lambda w: w not in STOP_WORDS and w not in ("می", "نمی", "هایی")
)


@settings(max_examples=300, database=None)
@given(persian_words, persian_words)
def test_any_two_adjacent_persian_words_are_also_indexed_and_searched_joined(first, second):
    # Given two Persian words written with a space, and the same two written as one
    joined = analyze(first + second)
    spaced = analyze(f"{first} {second}")
    # Then the joined form's term is among the spaced text's terms (index time), and a
    # query of the two spaced words accepts it for either word (query time)
    assert joined == [stem(first + second)]
    assert joined[0] in spaced
    assert query_terms(f"{first} {second}").joined == (joined[0],)
    assert analyze(first + ZWNJ + second) == joined


@settings(max_examples=400, database=None)
@given(texts)
def test_every_term_of_a_query_is_a_term_of_the_same_text_indexed(text):
    # Searching a listing's own text always finds it: the query's words and joined pairs
    # are made the same way as the index's terms
    assert set(query_terms(text).all) <= set(analyze(text))


# -- the adjectival «ی» ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("چرمی", "چرم"),
        ("پشمی", "پشم"),
        ("ابریشمی", "ابریشم"),
        ("چوبی", "چوب"),
        ("نقره\u200cای", "نقره"),  # «ای» after ه, with the half-space
        ("نقره ای", "نقره"),
        ("فیروزه\u200cای", "فیروزه"),
        ("طلایی", "طلا"),  # «یی» after ا
        ("روستایی", "روستا"),
        ("كرماني", "کرمان"),
        ("چرمی\u200cها", "چرم"),  # plural first, then the adjective
    ],
)
def test_the_adjectival_yeh_is_stemmed(typed, term):
    assert analyze(typed) == [term]
    assert analyze(term) == [term]


@pytest.mark.parametrize(
    ("word", "lookalike"),
    [
        ("قالی", "قال"),
        ("صندلی", "صندل"),
        ("ماهی", "ماه"),
        ("چینی", "چین"),
        ("سینی", "سین"),
        ("کاشی", "کاش"),
        ("پشتی", "پشت"),
        ("آبی", "آب"),  # too short a stem: blue is not water
        ("چای", "چا"),
    ],
)
def test_a_word_merely_ending_in_yeh_keeps_it(word, lookalike):
    assert analyze(word) == [normalize_text(word)]
    assert analyze(word) != analyze(lookalike)


def test_every_word_of_the_exception_list_keeps_its_yeh():
    for word in OWN_FINAL_YEH:
        assert adjective_stem(word) == word, word
        assert analyze(word) == [word], word


@settings(max_examples=300, database=None)
@given(st.text(alphabet=PERSIAN_LETTERS, max_size=8))
def test_the_adjectival_stem_never_goes_below_its_minimum(word):
    stemmed = adjective_stem(word)
    assert word.startswith(stemmed)
    if stemmed != word:
        assert len(stemmed) >= MIN_ADJECTIVE_STEM
        assert word[len(stemmed) :] in ("ی", "یی")
        assert word not in OWN_FINAL_YEH


# -- tidy_text: what people see ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("سوزن\u200cدوزي", "سوزن\u200cدوزی"),  # the half-space kept, the Arabic yeh not
        ("  كرمان  ", "کرمان"),
        ("آبادان", "آبادان"),  # «آ» as written
        ("گلـیمِ", "گلیم"),  # tatweel and harakat dropped
        ("\u200cکیف\u200c", "کیف"),  # a half-space at the edge means nothing
        ("Tehran", "Tehran"),
        ("", ""),
    ],
)
def test_tidy_text(typed, shown):
    assert tidy_text(typed) == shown
