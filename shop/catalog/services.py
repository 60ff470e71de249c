"""Catalogue operations: the category tree."""

from __future__ import annotations

from shop.catalog.models import Category
from shop.search.outbox import enqueue_category


def rename_category(category: Category, name_fa: str, name_en: str) -> None:
    """Rename a category in both languages; its listings are re-indexed."""
    category.name_fa = name_fa.strip()
    category.name_en = name_en.strip()
    enqueue_category(category.id)
