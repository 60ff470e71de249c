"""The seeded category tree, in Persian and English."""

from __future__ import annotations

from sqlalchemy import select

from shop.extensions import db

#: (slug, Persian name, English name, children)
CATEGORY_TREE: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "carpets-rugs",
        "فرش و زیرانداز",
        "Carpets & rugs",
        [
            ("hand-woven-carpet", "فرش دستباف", "Hand-woven carpet"),
            ("tableau-rug", "تابلوفرش", "Tableau rug"),
            ("kilim", "گلیم", "Kilim"),
        ],
    ),
    ("leather", "چرم دست‌دوز", "Leather goods", []),
    # Bags, pencil cases, coasters and wall hangings: buyers look for them as bags and home
    # goods, not under carpets (migration 0004 moved it here).
    ("fret-weaving", "کیف و لوازم فرت‌بافی", "Fret-woven bags & home goods", []),
    ("resin-crafts", "مصنوعات رزینی", "Resin crafts", []),
    ("garments", "پوشاک و خیاطی", "Garments", []),
    ("other-handicrafts", "سایر صنایع دستی", "Other handicrafts", []),
]


def seed_categories() -> int:
    """Add the categories that are missing (by slug); returns how many were added."""
    from shop.catalog.models import Category

    by_slug = {c.slug: c for c in db.session.scalars(select(Category))}
    added = 0
    for position, (slug, name_fa, name_en, children) in enumerate(CATEGORY_TREE):
        parent = by_slug.get(slug)
        if parent is None:
            parent = Category(slug=slug, name_fa=name_fa, name_en=name_en, position=position)
            db.session.add(parent)
            added += 1
        for child_position, (child_slug, child_fa, child_en) in enumerate(children):
            if child_slug not in by_slug:
                db.session.add(
                    Category(
                        slug=child_slug,
                        name_fa=child_fa,
                        name_en=child_en,
                        position=child_position,
                        parent=parent,
                    )
                )
                added += 1
    db.session.flush()
    return added
