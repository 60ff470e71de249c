"""Compiling the message catalogues (.po → .mo), so a fresh checkout needs no extra step."""

from __future__ import annotations

import contextlib
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def compile_catalogues(force: bool = False) -> list[Path]:
    """Write each ``messages.mo`` that is missing or older than its ``messages.po``."""
    written = []
    for po_path in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parent.parent.name)
        temporary = mo_path.with_suffix(".mo.tmp")
        with temporary.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        temporary.replace(mo_path)
        written.append(mo_path)
    return written


def ensure_compiled() -> None:
    # A read-only install has its catalogues compiled at build time.
    with contextlib.suppress(OSError):
        compile_catalogues()
