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
            ("fret-weaving", "فرت‌بافی", "Fret weaving"),
        ],
    ),
    ("leather", "چرم دست‌دوز", "Leather goods", []),
    ("resin-crafts", "مصنوعات رزینی", "Resin crafts", []),
    ("garments", "پوشاک و خیاطی", "Garments", []),
    ("other-handicrafts", "سایر صنایع دستی", "Other handicrafts", []),
]


def category_rows() -> list[dict]:
    """Flat rows with ids, in insertion order (parents first); used by the migration too."""
    rows, next_id = [], 1
    for position, (slug, name_fa, name_en, children) in enumerate(CATEGORY_TREE):
        parent_id = next_id
        rows.append(
            {
                "id": parent_id,
                "parent_id": None,
                "slug": slug,
                "name_fa": name_fa,
                "name_en": name_en,
                "position": position,
            }
        )
        next_id += 1
        for child_position, (child_slug, child_fa, child_en) in enumerate(children):
            rows.append(
                {
                    "id": next_id,
                    "parent_id": parent_id,
                    "slug": child_slug,
                    "name_fa": child_fa,
                    "name_en": child_en,
                    "position": child_position,
                }
            )
            next_id += 1
    return rows


def seed_categories() -> int:
    """Insert the categories that are missing (by slug); returns how many were added."""
    from shop.catalog.models import Category

    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    added = 0
    by_slug = dict(existing)
    for row in category_rows():
        if row["slug"] in by_slug:
            continue
        parent = None
        if row["parent_id"] is not None:
            parent_slug = next(r["slug"] for r in category_rows() if r["id"] == row["parent_id"])
            parent = by_slug[parent_slug]
        category = Category(
            slug=row["slug"],
            name_fa=row["name_fa"],
            name_en=row["name_en"],
            position=row["position"],
            parent=parent,
        )
        db.session.add(category)
        by_slug[row["slug"]] = category
        added += 1
    db.session.commit()
    return added
