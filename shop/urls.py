"""Helpers for URLs that come from users."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def is_safe_next(target: str | None) -> bool:
    """True only for a path on this site: no scheme, no host, no ``//`` or ``\\`` tricks."""
    if not target or len(target) > 2000:
        return False
    if any(ch in target for ch in ("\\", "\r", "\n", "\t")) or any(ord(c) < 32 for c in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next_url(target: str | None, default: str = "catalog.home") -> str:
    return target if is_safe_next(target) else url_for(default)
