"""The Persian catalogue is complete, and the pages really come out in Persian (and English).

A developer who adds an interface string and forgets to translate it gets a failing test that
names the missing strings. The strings are extracted from the source the same way
``make messages`` does (babel.cfg, the default keywords plus ``_l`` and ``lazy_gettext``),
without writing any file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
PO_FILE = ROOT / "shop" / "i18n" / "translations" / "fa" / "LC_MESSAGES" / "messages.po"

#: As in the Makefile: Babel's defaults (_, gettext, ngettext, ...) plus the lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

#: ``%(name)s``-style placeholders, and bare ``%s``/``%d`` ones (``%%`` is a literal percent).
NAMED_PLACEHOLDER = re.compile(
    r"%\((\w+)\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrs])"
)
BARE_PLACEHOLDER = re.compile(
    r"%(?!\()[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrs%])"
)

#: Arabic yeh, kaf and alef maksura: Persian text uses ی and ک.
ARABIC_LETTERS = {
    "\u064a": "ي (Arabic yeh)",
    "\u0643": "ك (Arabic kaf)",
    "\u0649": "ى (alef maksura)",
}


def _read_mapping():
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse(handle)
    resolved = []
    for pattern, method in method_map:
        if method == "jinja2":
            method = "jinja2.ext:babel_extract"
            options = dict(options_map.get(pattern, {}))
            options.setdefault("extensions", "jinja2.ext.i18n")
            # Jinja's extractor skips a template it cannot parse unless told not to be silent,
            # which would hide that template's strings from this test.
            options.setdefault("silent", "false")
            options_map[pattern] = options
        resolved.append((pattern, method))
    return resolved, options_map


def extract_source_messages() -> dict[tuple[str | tuple[str, ...], str | None], list[str]]:
    """Every translatable message in the source, keyed by (msgid, context), with its places."""
    method_map, options_map = _read_mapping()
    top_dirs = {pattern.split("/", 1)[0] for pattern, _method in method_map}

    def only_mapped_dirs(path: str) -> bool:
        relative = Path(os.path.relpath(path, ROOT))
        name = relative.name
        return relative.parts[0] in top_dirs and not name.startswith((".", "_"))

    found: dict[tuple[str | tuple[str, ...], str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=only_mapped_dirs,
    ):
        key = tuple(message) if isinstance(message, (list, tuple)) else message
        if key[0] if isinstance(key, tuple) else key:
            found.setdefault((key, context), []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogue():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="fa")


@pytest.fixture(scope="module")
def source_messages():
    return extract_source_messages()


def entries(catalogue):
    return [message for message in catalogue if message.id]


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, (list, tuple)) else (message.string,)


def ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, (list, tuple)) else (message.id,)


def test_catalogue_header(catalogue):
    assert str(catalogue.locale) == "fa"
    assert catalogue.charset.lower() == "utf-8"
    assert catalogue.num_plurals == 1 and catalogue.plural_expr == "0"


def test_extraction_finds_the_interface_strings(source_messages):
    # A guard against the extraction silently finding nothing (wrong paths or mapping).
    assert ("Sign in", None) in source_messages  # a Jinja template
    assert ("Enter your e-mail address.", None) in source_messages  # a lazy_gettext label
    assert ("We could not find that page.", None) in source_messages  # a Python gettext call
    assert len(source_messages) > 100


def test_every_source_string_has_a_persian_translation(catalogue, source_messages):
    missing = []
    for (key, context), places in sorted(source_messages.items(), key=str):
        message = catalogue.get(key[0] if isinstance(key, tuple) else key, context)
        problem = None
        if message is None:
            problem = "not in the catalogue (run `make messages`, then translate it)"
        elif isinstance(key, tuple) and (not message.pluralizable or tuple(message.id) != key):
            problem = f"catalogue has {message.id!r}; the plural form changed (run `make messages`)"
        elif message.fuzzy:
            problem = "marked fuzzy"
        elif not all(text.strip() for text in strings(message)):
            problem = "untranslated"
        if problem:
            where = ", ".join(places[:2])
            label = f"{key!r} (context {context!r})" if context else repr(key)
            missing.append(f"{label} ({where}): {problem}")
    assert not missing, (
        f"{len(missing)} interface string(s) lack a Persian translation in "
        f"{PO_FILE.relative_to(ROOT)}:\n" + "\n".join(missing)
    )


def test_no_entry_is_fuzzy_or_empty(catalogue):
    bad = [
        message.id
        for message in entries(catalogue)
        if message.fuzzy or not all(text.strip() for text in strings(message))
    ]
    assert not bad, f"fuzzy or untranslated entries: {bad}"


def _placeholders(text: str, with_bare: bool) -> set[tuple[str, str]]:
    found = {(name, kind) for name, kind in NAMED_PLACEHOLDER.findall(text)}
    if with_bare:
        found |= {("", kind) for kind in BARE_PLACEHOLDER.findall(text) if kind != "%"}
    return found


def test_placeholders_match(catalogue):
    wrong = []
    for message in entries(catalogue):
        with_bare = message.python_format
        source_forms = ids(message)
        expected = _placeholders(source_forms[-1], with_bare)
        # Persian has one plural form, which stands for the English plural; the singular may
        # leave out a placeholder (say, the count) but must not bring one of its own.
        extra = _placeholders(source_forms[0], with_bare) - expected
        if extra:
            wrong.append(f"{message.id!r}: the singular has {sorted(extra)}, the plural has not")
        for text in strings(message):
            got = _placeholders(text, with_bare)
            if got != expected:
                wrong.append(
                    f"{message.id!r} → {text!r}: missing {sorted(expected - got)}, "
                    f"unknown {sorted(got - expected)}"
                )
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_translations_use_persian_letters(catalogue):
    wrong = [
        f"{message.id!r} → {text!r}: "
        + ", ".join(name for char, name in ARABIC_LETTERS.items() if char in text)
        for message in entries(catalogue)
        for text in strings(message)
        if any(char in text for char in ARABIC_LETTERS)
    ]
    assert not wrong, "use Persian ی and ک, not the Arabic letters:\n" + "\n".join(wrong)


def test_login_page_is_persian_by_default(client, catalogue):
    response = client.get("/login")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود" in html
    for english in ("Sign in", "Password", "Keep me signed in"):
        persian = catalogue.get(english).string
        assert persian in html, english
    assert "Sign in" not in html and "Keep me signed in" not in html


def test_login_page_in_english_with_the_language_cookie(client):
    client.set_cookie("lang", "en")

    response = client.get("/login")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Sign in" in html and "Keep me signed in" in html
    assert "ورود" not in html
