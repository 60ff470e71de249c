"""shop/text.py: Persian slugs, safe descriptions, colour contrast."""

from __future__ import annotations

import pytest

from shop.text import contrast_ratio, relative_luminance, render_description, slugify

REL = 'rel="nofollow noopener noreferrer"'


# --- slugify ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("فرش دستباف", "فرش-دستباف"),
        ("  گلیم   سنتی  ", "گلیم-سنتی"),
        ("كيف چرمي", "کیف-چرمی"),  # Arabic kaf and yeh become Persian ک and ی
        ("ى", "ی"),  # Arabic alef maksura
        ("می\u200cخواهم", "می-خواهم"),  # zero-width non-joiner becomes a hyphen
        ("سوزن\u200cدوزی بلوچ", "سوزن-دوزی-بلوچ"),
        ("ﻓﺮﺵ", "فرش"),  # Arabic presentation forms are normalised (NFKC)
        ("کتابِ خوب", "کتاب-خوب"),  # diacritics dropped
        ("گلیم_سنتی  ۱۴۰۳", "گلیم-سنتی-۱۴۰۳"),  # Persian digits kept
        ("Hello, World!", "hello-world"),
        ("Kilim -- Tabriz", "kilim-tabriz"),
        ("«گلیم»؟", "گلیم"),  # Persian punctuation dropped
    ],
)
def test_slugify_keeps_persian_letters(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "   ", "--", "!!!", "\u200c"])
def test_slugify_of_nothing_usable_is_shop(text):
    assert slugify(text) == "shop"


def test_slugify_cuts_to_max_length_without_a_trailing_hyphen():
    assert slugify("a" * 100) == "a" * 80
    assert slugify("abcd efgh", max_length=5) == "abcd"


# --- render_description: Markdown ------------------------------------------------------------


def test_markdown_keeps_the_allowed_formatting():
    html = render_description("**پررنگ** _کج_\n\n- یک\n- دو\n\n> نقل", as_markdown=True)

    assert html == (
        "<p><strong>پررنگ</strong> <em>کج</em></p>\n"
        "<ul>\n<li>یک</li>\n<li>دو</li>\n</ul>\n"
        "<blockquote>\n<p>نقل</p>\n</blockquote>"
    )


def test_markdown_drops_script_tags_with_their_content():
    html = render_description("<script>alert(1)</script>\n\nسلام", as_markdown=True)

    assert "script" not in html
    assert "alert" not in html
    assert "<p>سلام</p>" in html


def test_markdown_drops_javascript_links():
    html = render_description("[click](javascript:alert(1))", as_markdown=True)

    assert html == f"<p><a {REL}>click</a></p>"


def test_markdown_drops_data_links():
    html = render_description("[x](data:text/html,hi)", as_markdown=True)

    assert html == f"<p><a {REL}>x</a></p>"


HIDDEN_CHARACTERS = {
    "tab": "\t",
    "newline": "\n",
    "carriage return": "\r",
    "form feed": "\x0c",
    "NUL": "\x00",
    "unit separator": "\x1f",
    "DEL": "\x7f",
    "C1 control": "\x85",
    "no-break space": "\u00a0",
    "em space": "\u2003",
    "ideographic space": "\u3000",
    "line separator": "\u2028",
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "right-to-left mark": "\u200f",
    "byte order mark": "\ufeff",
}


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "data:text/html,<b>hi</b>"])
@pytest.mark.parametrize("hidden", HIDDEN_CHARACTERS.values(), ids=HIDDEN_CHARACTERS.keys())
@pytest.mark.parametrize("where", ["inside", "before the colon", "in front"])
def test_markdown_drops_script_links_hidden_by_invisible_characters(scheme, hidden, where):
    # Given a link whose scheme is broken up by a character a browser may ignore
    name, rest = scheme.split(":", 1)
    url = {
        "inside": f"{name[:4]}{hidden}{name[4:]}:{rest}",
        "before the colon": f"{name}{hidden}:{rest}",
        "in front": f"{hidden}{name}:{rest}",
    }[where]

    # When it is written as a Markdown link (angle brackets allow any character)
    html = render_description(f"[x](<{url}>)", as_markdown=True)

    # Then the link keeps its text and loses its address
    assert html == f"<p><a {REL}>x</a></p>"


@pytest.mark.parametrize(
    "source",
    [
        "[x](java\tscript:alert(1))",  # Markdown turns the tab into spaces
        "[x](java&#9;script:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](java&Tab;script:alert(1))",
        "[x](java&#10;script:alert(1))",
        "[x](java&nbsp;script:alert(1))",
        "[x](java&#0;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;&#x61;vascript&#x3A;alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data&#9;:text/html,hi)",
        "[x](d&#x00A0;ata:text/html,hi)",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="&#1;javascript:alert(1)">x</a>',
        '<a href=" &#x2028;javascript:alert(1)">x</a>',
        '<a href="jav&#x200B;ascript:alert(1)">x</a>',
    ],
)
def test_markdown_drops_entity_encoded_and_spaced_script_links(source):
    html = render_description(source, as_markdown=True)

    assert html == f"<p><a {REL}>x</a></p>"


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[x](https://example.com/a?b=1#c)", "https://example.com/a?b=1#c"),
        ("[x](http://example.com)", "http://example.com"),
        ("[x](HTTPS://EXAMPLE.COM/)", "HTTPS://EXAMPLE.COM/"),
        ("[x](/products/12)", "/products/12"),
        ("[x](../shops/نقش)", "../shops/نقش"),
        ("[x](#materials)", "#materials"),
        ("[x](?page=2)", "?page=2"),
        ("[x](/a:b)", "/a:b"),  # a colon after the first slash is not a scheme
        # a ZWNJ inside a Persian address is part of it and stays
        (
            "[x](https://fa.wikipedia.org/wiki/قالی\u200cبافی)",
            "https://fa.wikipedia.org/wiki/قالی\u200cبافی",
        ),
        # invisible characters around a good address are trimmed, controls inside dropped
        ('<a href="\u200f https://example.com/\u00a0">x</a>', "https://example.com/"),
        ('<a href="https://exa&#9;mple.com/">x</a>', "https://example.com/"),
    ],
)
def test_markdown_keeps_safe_links(source, href):
    html = render_description(source, as_markdown=True)

    assert html == f'<p><a href="{href}" {REL}>x</a></p>'


@pytest.mark.parametrize("url", ["foo:bar", "a:b/c", "intent://x#Intent;end", "file:///etc/passwd"])
def test_markdown_drops_links_with_any_other_scheme(url):
    assert render_description(f"[x]({url})", as_markdown=True) == f"<p><a {REL}>x</a></p>"


def test_markdown_link_title_survives_the_address_check():
    html = render_description('[x](https://example.com "گلیم")', as_markdown=True)

    assert html == f'<p><a href="https://example.com" title="گلیم" {REL}>x</a></p>'


def test_markdown_drops_images_and_their_event_handlers():
    html = render_description('<img src="x" onerror="alert(1)">', as_markdown=True)

    assert html == "<p></p>"


def test_markdown_drops_event_handlers_and_styles_on_allowed_tags():
    html = render_description(
        "<a href='https://example.com' onclick='steal()'>l</a> "
        "<strong style='color:red' onmouseover='x()'>b</strong>",
        as_markdown=True,
    )

    assert html == f'<p><a href="https://example.com" {REL}>l</a> <strong>b</strong></p>'


def test_markdown_links_get_nofollow():
    html = render_description("[سایت](https://example.com/page)", as_markdown=True)

    assert html == f'<p><a href="https://example.com/page" {REL}>سایت</a></p>'


def test_markdown_keeps_mailto_links():
    html = render_description("[نامه](mailto:shop@example.com)", as_markdown=True)

    assert html == f'<p><a href="mailto:shop@example.com" {REL}>نامه</a></p>'


def test_markdown_drops_iframes():
    assert render_description('<iframe src="https://evil.example"></iframe>', True) == ""


def test_markdown_big_headings_become_text():
    # Only h3/h4 are allowed, so a description cannot outshout the page's own title.
    assert render_description("# بزرگ\n\n### کوچک", True) == "بزرگ\n<h3>کوچک</h3>"


def test_empty_markdown_is_empty():
    assert render_description("", as_markdown=True) == ""


# --- render_description: plain text ----------------------------------------------------------


def test_plain_text_escapes_html():
    html = render_description('<script>alert("x")</script> & <b>co</b>', as_markdown=False)

    assert html == (
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;</p>"
    )


def test_plain_text_keeps_paragraphs_and_line_breaks():
    html = render_description("خط یک\nخط دو\n\n\n  بند دوم  ", as_markdown=False)

    assert html == "<p>خط یک<br>خط دو</p><p>بند دوم</p>"


@pytest.mark.parametrize("text", ["", "  \n \n", None])
def test_empty_plain_text_is_empty(text):
    assert render_description(text, as_markdown=False) == ""


def test_plain_text_does_not_interpret_markdown():
    assert render_description("**نه** [x](javascript:1)", False) == (
        "<p>**نه** [x](javascript:1)</p>"
    )


# --- colours ----------------------------------------------------------------------------------


def test_contrast_of_white_on_black_is_21():
    assert contrast_ratio("#ffffff", "#000000") == 21.0
    assert contrast_ratio("#000000", "#FFFFFF") == 21.0


def test_contrast_of_a_colour_with_itself_is_1():
    assert contrast_ratio("#7a3e2b", "#7a3e2b") == 1.0


def test_default_producer_colours_pass_wcag_aa():
    assert round(contrast_ratio("#7a3e2b", "#f4e1c1"), 2) == 6.42
    assert contrast_ratio("#7a3e2b", "#f4e1c1") >= 4.5


def test_relative_luminance_of_black_and_white():
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == 1.0
