"""Ranking, stemming, stop words and spelling on a small fixed corpus, through the real index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.analysis import StopFilter
from whoosh.query import And, Or, Term

from shop.database import transaction
from shop.extensions import db
from shop.search import queries
from shop.search.analysis import NormalizingTokenizer, query_terms
from shop.search.backend import SearchRequest
from shop.search.normalize import STOP_WORDS
from shop.search.outbox import enqueue_products
from shop.search.services import drain_outbox
from shop.search.whoosh_index import TEXT_FIELDS
from shop.text import render_description
from tests.snapshots import cached_fixture

ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "ـ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"


def finish(products, descriptions=None):
    """Give each listing its description and a distinct publication time (the first listed
    is the oldest), then apply the changes to the index in one drain."""
    descriptions = descriptions or {}
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for position, product in enumerate(products):
        if product.id in descriptions:
            product.description = descriptions[product.id]
            product.description_html = render_description(product.description, False)
        product.published_at = start + timedelta(hours=position)
    enqueue_products([p.id for p in products])
    db.session.commit()
    drain_outbox()


def ids(text, **filters):
    page = queries.search_products(SearchRequest(text=text, per_page=50, **filters))
    return [p.id for p in page.items]


@cached_fixture
def corpus(factory):
    producer = factory.producer(shop_name="کارگاه نمونه")
    made, descriptions = {}, {}

    def add(key, title, category, description):
        made[key] = factory.listing(producer, title=title, category=category, photos=0)
        descriptions[made[key].id] = description

    add("qashqai_kilim", "گلیم قشقایی", "kilim", "دستباف عشایر فارس")
    add("bag", "کیف چرمی", "leather", "کیف دوشی با نقش قشقایی")
    add("english_rug", "Handwoven rug", "kilim", "Wool from Fars, naturally dyed")
    add("men_bag", "کیف چرمی مردانه", "leather", "دوخت دست")
    add("scarf", "روسری ابریشمی", "garments", "و و و در در در the the and")
    add("wallet", "Leather wallet", "leather", "Hand-stitched")
    add("kilim_leather", "کیف چرم و گلیم", "leather", "ترکیب گلیم با چرم طبیعی")
    add("tile", "کاشی فیروزه", "other-handicrafts", "کاشی لعابدار")
    add("filigree", "ملیله نقره", "other-handicrafts", "ملیله زنجان")
    add("dated_kilim", "گلیم ۱۴۰۲", "kilim", "بافت سال ۱۴۰۲")
    finish(list(made.values()), descriptions)
    return {key: product.id for key, product in made.items()}


# -- ranking -----------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_description_only_match(corpus):
    # Given «گلیم قشقایی» (قشقایی in the title) and «کیف چرمی» (قشقایی only in the description)
    # When searching «قشقایی»
    # Then both are found, the title match first
    assert ids("قشقایی") == [corpus["qashqai_kilim"], corpus["bag"]]


def test_a_persian_query_typed_with_arabic_letters_finds_the_persian_listing(corpus):
    # Given the listing «گلیم قشقایی» typed with Persian letters
    # When searching «گليم قشقايي» typed with Arabic yeh
    # Then it is found
    assert ids("گليم قشقايي") == [corpus["qashqai_kilim"]]


def test_english_queries_find_the_english_listings(corpus):
    for query in ["rug", "RUG", "Handwoven", "handwoven RUG"]:
        assert ids(query) == [corpus["english_rug"]], query
    # English words of descriptions are found too
    assert ids("Fars wool") == [corpus["english_rug"]]
    # Given «Leather wallet» (title) and other listings in the category «Leather goods»,
    # when searching «leather», every listing of the category is found, the title match first
    found = ids("leather")
    assert found[0] == corpus["wallet"]
    assert sorted(found) == sorted(corpus[k] for k in ("bag", "men_bag", "wallet", "kilim_leather"))


def test_digits_of_any_script_match_and_every_word_must_match(corpus):
    assert ids("1402") == ids("۱۴۰۲") == ids("١٤٠٢") == [corpus["dated_kilim"]]
    assert ids("کیف مردانه") == [corpus["men_bag"]]
    assert ids("کیف مردانه قشقایی") == []


# -- stemming ----------------------------------------------------------------------------


def test_plural_queries_find_the_singular_title(corpus):
    # Given listings titled «کیف چرمی», «کیف چرمی مردانه» and «کیف چرم و گلیم»
    # When searching a plural form of «کیف»
    # Then all three are found («چرمی» finds «چرم»), in the order the singular query gives
    singular = ids("کیف چرمی")
    assert sorted(singular) == sorted([corpus["bag"], corpus["men_bag"], corpus["kilim_leather"]])
    for query in ["کیف\u200cهای چرمی", "کیفهای چرمی", "کیف های چرمی", "كيف‌هاي چرمي"]:
        assert ids(query) == singular, query
    assert set(singular) <= set(ids("کیف ها"))


def _unstemmed_terms(text: str) -> list[str]:
    """The analyzer's words without stemming."""
    chain = NormalizingTokenizer() | StopFilter(stoplist=STOP_WORDS, minsize=1)
    return [token.text for token in chain(text)]


def test_without_light_stemming_the_plural_queries_would_find_nothing(app, corpus):
    # Given the index holding «کیف چرمی»
    root = Path(app.config["SHOP_SEARCH_INDEX_DIR"])
    ix = whoosh_index.open_dir(str(root / (root / "CURRENT").read_text().strip()))
    try:
        with ix.searcher() as searcher:
            for query in ["کیف\u200cهای چرمی", "کیفهای چرمی", "کیف ها"]:
                unstemmed = _unstemmed_terms(query)
                words = list(query_terms(query).words)
                assert unstemmed != words, query  # the stemmer changes the terms
                # When the query is matched with unstemmed terms, then nothing is found;
                # with the analyzer's (stemmed) terms the listing is found
                plain = And([Or([Term(f, t) for f in TEXT_FIELDS]) for t in unstemmed])
                stemmed = And([Or([Term(f, t) for f in TEXT_FIELDS]) for t in words])
                assert len(searcher.search(plain)) == 0, query
                found = {int(hit["id"]) for hit in searcher.search(stemmed)}
                assert corpus["bag"] in found, query
    finally:
        ix.close()


def test_plural_titles_are_found_by_the_singular(factory):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم‌های قشقایی", photos=0)

    assert ids("گلیم قشقایی") == [product.id]


# -- stop words --------------------------------------------------------------------------


def test_stop_words_do_not_dominate_a_query(corpus):
    # Given a listing with «و»/«در»/«the» all over its description
    # When searching «گلیم و چرم»
    # Then the results are those of «گلیم چرم»: the listing that has both words
    assert ids("گلیم و چرم") == ids("گلیم چرم") == [corpus["kilim_leather"]]


def test_a_stop_word_in_an_english_query_is_ignored(corpus):
    assert ids("the rug") == ids("rug") == [corpus["english_rug"]]


def test_a_query_of_only_stop_words_lists_everything_newest_first(corpus):
    expected = list(reversed(corpus.values()))
    assert ids("") == expected
    for query in ["و", "در", "the", "و در the", "و\u200c"]:
        # When the query has only stop words
        page = queries.search_products(SearchRequest(text=query, per_page=50))
        # Then every listing is shown, newest first, as for an empty query
        assert [p.id for p in page.items] == expected, query
        assert page.total == len(corpus) and page.suggestion is None, query


# -- variants of a word find the same listings -------------------------------------------

VARIANTS = {
    "ی": ["ی", "ي", "ى"],
    "ک": ["ک", "ك"],
    "ه": ["ه"],
    **{ASCII_DIGITS[i]: [ASCII_DIGITS[i], PERSIAN_DIGITS[i], ARABIC_DIGITS[i]] for i in range(10)},
}
WORDS = ["گلیم", "کیف", "چرمی", "قشقایی", "کاشی", "ملیله", "1402", "rug", "مردانه"]


@st.composite
def word_and_variant(draw):
    word = draw(st.sampled_from(WORDS))
    out = []
    for index, char in enumerate(word):
        if char.isascii() and char.isalpha():
            out.append(draw(st.sampled_from([char, char.upper()])))
            continue
        out.append(draw(st.sampled_from(VARIANTS.get(char, [char]))))
        if not char.isascii():
            out.append(draw(st.sampled_from(["", *HARAKAT])))
            if index < len(word) - 1:
                out.append(draw(st.sampled_from(["", ZWNJ, ZWJ, TATWEEL])))
    return word, "".join(out)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=30,
    deadline=None,
    database=None,
)
@given(pair=word_and_variant())
def test_every_letter_and_digit_variant_of_a_word_finds_the_same_listings(corpus, pair):
    # Given the corpus and a word typed with Arabic letters, other digits, ZWNJ, tatweel or
    # harakat
    word, variant = pair
    # When searching the variant and the canonical word
    # Then the same listings are found, in the same order
    canonical = ids(word)
    assert canonical
    assert ids(variant) == canonical


# -- spelling: did you mean, suggestions -------------------------------------------------


def test_a_misspelling_gets_a_correction_that_finds_results(corpus):
    for typed, meant in [("گلیمم", "گلیم"), ("ملیلع", "ملیله"), ("چرمم", "چرمی")]:
        # Given a word that is in no listing but is one letter away from a title word
        page = queries.search_products(SearchRequest(text=typed))
        # Then nothing is found and the close title word is suggested
        assert (page.total, page.suggestion) == (0, meant), typed
        assert ids(meant), typed


def test_a_query_with_enough_results_gets_no_correction(corpus):
    assert queries.search_products(SearchRequest(text="کیف")).suggestion is None


def test_a_query_far_from_every_word_gets_no_correction(corpus):
    page = queries.search_products(SearchRequest(text="زززززز"))
    assert page.total == 0 and page.suggestion is None


def test_suggest_completes_a_prefix_from_titles(corpus):
    assert queries.suggest("گل") == ["گلیم"]
    assert queries.suggest("كي") == ["کیف"]
    # ranked by how many titles have the word: «چرمی» is in two, «چرم» in one
    assert queries.suggest("کیف چ") == ["کیف چرمی", "کیف چرم"]
    assert queries.suggest("zzz") == []
    assert queries.suggest("") == []


def test_suggest_does_not_offer_words_of_a_paused_listing(factory):
    from shop.listings.services import pause_listing

    # Given a listing «زیلوی یزدی» that was paused (removed from the index)
    producer = factory.producer()
    product = factory.listing(producer, title="زیلوی یزدی", photos=0)
    with transaction():
        pause_listing(producer, product)
    drain_outbox()
    assert ids("زیلوی") == []
    # When asking for completions of «زیل»
    # Then no word of the paused listing is offered
    assert queries.suggest("زیل") == []


# -- compounds written joined, with a half-space or with a space; the adjectival «ی» -----

#: Each listing's title and description. Categories whose names say nothing of the words
#: searched below (every listing's category names are indexed too).
CRAFTS = {
    "tableau_joined": ("تابلوفرش گل و مرغ", "بافت تبریز"),
    "tableau_zwnj": ("تابلو\u200cفرش منظره", "ابعاد ۶۰ در ۹۰"),
    "tableau_spaced": ("تابلو فرش چهره", "گره ظریف"),
    "handwoven_zwnj": ("زیرانداز دست\u200cباف", "پنبه"),
    "handwoven_spaced": ("جاجیم دست باف", "رنگ گیاهی"),
    "handwoven_joined": ("پادری دستباف", "پشم"),
    "embroidery_zwnj": ("رومیزی سوزن\u200cدوزی", "کتان"),
    "embroidery_spaced": ("کوسن سوزن دوزی", "مخمل"),
    "embroidery_joined": ("شال سوزندوزی", "ابریشم"),
    "leather": ("کیف چرم طبیعی", "دوخت دست"),
    "leathery": ("کیف چرمی دوشی", "بند بلند"),
    "wool": ("شال پشم", "گرم"),
    "woollen": ("شال پشمی بلند", "زمستانی"),
    "silvery": ("گردنبند نقره\u200cای", "براق"),
    "silver": ("انگشتر نقره", "عیار ۹۲۵"),
    "golden": ("النگو طلایی", "آبکاری"),
    "gold": ("گوشواره طلا", "سبک"),
    "chair": ("صندلی چوبی", "راش"),
    "sandal": ("صندل زنانه", "تابستانی"),
    "fish": ("ماهی سفالی", "لعاب"),
    "moon": ("آویز ماه", "برنجی"),
    "porcelain": ("ظرف چینی", "گل سرخ"),
    "pleat": ("دامن چین", "ساتن"),
    "tray": ("سینی مسی", "قلم زنی"),
    "haftsin": ("سفره هفت سین", "ترمه"),
}


@cached_fixture
def crafts(factory):
    producer = factory.producer(shop_name="کارگاه نمونه")
    made, descriptions = {}, {}
    for key, (title, description) in CRAFTS.items():
        made[key] = factory.listing(producer, title=title, category="garments", photos=0)
        descriptions[made[key].id] = description
    finish(list(made.values()), descriptions)
    return {key: product.id for key, product in made.items()}


@pytest.mark.parametrize(
    ("spellings", "keys"),
    [
        (
            ["تابلوفرش", "تابلو\u200cفرش", "تابلو فرش"],
            ["tableau_joined", "tableau_zwnj", "tableau_spaced"],
        ),
        (
            ["دستباف", "دست\u200cباف", "دست باف"],
            ["handwoven_zwnj", "handwoven_spaced", "handwoven_joined"],
        ),
        (
            ["سوزن\u200cدوزی", "سوزن دوزی", "سوزندوزی"],
            ["embroidery_zwnj", "embroidery_spaced", "embroidery_joined"],
        ),
    ],
)
def test_a_compound_written_joined_with_a_half_space_or_a_space_finds_the_same_listings(
    crafts, spellings, keys
):
    # Given three listings that write the compound in the three ways
    expected = sorted(crafts[key] for key in keys)
    for spelling in spellings:
        # When searching any of the three ways
        # Then all three listings are found, and nothing else
        assert sorted(ids(spelling)) == expected, spelling


def test_a_spaced_compound_in_a_longer_query_still_needs_the_other_words(crafts):
    assert ids("تابلو فرش چهره") == [crafts["tableau_spaced"]]
    assert ids("تابلوفرش منظره") == [crafts["tableau_zwnj"]]
    assert ids("سوزن دوزی کتان") == [crafts["embroidery_zwnj"]]  # «کتان» in its description
    assert ids("تابلوفرش پشم") == []


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("کیف چرمی", ["leather", "leathery"]),
        ("کیف چرم", ["leather", "leathery"]),
        ("شال پشمی", ["wool", "woollen"]),
        ("شال پشم", ["wool", "woollen"]),
        ("نقره", ["silvery", "silver"]),
        ("نقره\u200cای", ["silvery", "silver"]),
        ("نقره ای", ["silvery", "silver"]),
        ("طلا", ["golden", "gold"]),
        ("طلایی", ["golden", "gold"]),
    ],
)
def test_the_adjectival_yeh_finds_the_noun_and_the_noun_the_adjective(crafts, query, keys):
    # «کیف چرمی» (a leather bag) finds «کیف چرم طبیعی», «نقره» finds «گردنبند نقره‌ای» …
    assert sorted(ids(query)) == sorted(crafts[key] for key in keys)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("صندلی", "chair"),
        ("صندل", "sandal"),
        ("ماهی", "fish"),
        ("ماه", "moon"),
        ("چینی", "porcelain"),
        ("چین", "pleat"),
        ("سینی", "tray"),
        ("سین", "haftsin"),
    ],
)
def test_a_word_that_merely_ends_in_yeh_does_not_find_its_shorter_lookalike(crafts, query, key):
    # A chair is not a sandal, a fish not the moon, a tray not the letter «سین»
    assert ids(query) == [crafts[key]]


def test_titles_mark_the_words_a_compound_or_a_stem_matched(crafts):
    def title(query, key):
        page = queries.search_products(SearchRequest(text=query, per_page=50))
        return str(page.titles[crafts[key]])

    # The joined query marks the two spaced words as one match
    assert title("تابلوفرش", "tableau_spaced") == "<mark>تابلو فرش</mark> چهره"
    assert title("تابلو فرش", "tableau_zwnj") == "<mark>تابلو\u200cفرش</mark> منظره"
    assert title("تابلو فرش", "tableau_spaced") == "<mark>تابلو</mark> <mark>فرش</mark> چهره"
    # The stem marks the whole adjective, and the adjective the noun
    assert title("چرم", "leathery") == "کیف <mark>چرمی</mark> دوشی"
    assert title("کیف چرمی", "leather") == "<mark>کیف</mark> <mark>چرم</mark> طبیعی"
    assert title("نقره", "silvery") == "گردنبند <mark>نقره\u200cای</mark>"


def test_suggestions_keep_the_half_space_of_the_titles(crafts):
    # Given «سوزن‌دوزی» written with a half-space in one title and joined in another
    # When completing «سوزن»
    # Then the word is offered as the titles write it, with the half-space
    # (in two titles, so before «سوزن» of «کوسن سوزن دوزی»)
    assert queries.suggest("سوزن") == ["سوزن\u200cدوزی", "سوزن"]
    assert queries.suggest("سوزند") == ["سوزن\u200cدوزی"]
    # One title writes «تابلوفرش», one «تابلو‌فرش»: one suggestion, with the half-space
    assert queries.suggest("تابلوف") == ["تابلو\u200cفرش"]
    # Arabic letters typed are shown as Persian, the words before the last as typed
    assert queries.suggest("رومیزي سوزند") == ["رومیزی سوزن\u200cدوزی"]


def test_did_you_mean_offers_the_word_as_the_titles_write_it(crafts):
    page = queries.search_products(SearchRequest(text="سوزن‌دوزیی"))
    assert page.total == 0
    assert page.suggestion == "سوزن\u200cدوزی"
