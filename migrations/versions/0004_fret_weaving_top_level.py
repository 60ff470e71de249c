"""Fret weaving leaves "carpets & rugs": its tote bags, pencil cases and coasters become a
top-level category, "fret-woven bags & home goods", after leather goods.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

categories = sa.table(
    'categories',
    sa.column('id', sa.Integer),
    sa.column('parent_id', sa.Integer),
    sa.column('slug', sa.String),
    sa.column('name_fa', sa.String),
    sa.column('name_en', sa.String),
    sa.column('position', sa.Integer),
)
outbox = sa.table(
    'search_outbox',
    sa.column('scope', sa.String),
    sa.column('target_id', sa.Integer),
    sa.column('created_at', sa.DateTime(timezone=True)),
)

#: slug → position among the top-level categories, after the move.
TOP_LEVEL = {'carpets-rugs': 0, 'leather': 1, 'fret-weaving': 2, 'resin-crafts': 3, 'garments': 4, 'other-handicrafts': 5}
BEFORE = {'carpets-rugs': 0, 'leather': 1, 'resin-crafts': 2, 'garments': 3, 'other-handicrafts': 4}


def _move(parent_slug, name_fa, name_en, positions, position_in_parent):
    bind = op.get_bind()
    fret = bind.execute(sa.select(categories.c.id).where(categories.c.slug == 'fret-weaving')).scalar()
    if fret is None:  # a database seeded without it: nothing to move
        return
    parent_id = None
    if parent_slug is not None:
        parent_id = bind.execute(sa.select(categories.c.id).where(categories.c.slug == parent_slug)).scalar()
    for slug, position in positions.items():
        bind.execute(categories.update().where(categories.c.slug == slug).values(position=position))
    values = dict(parent_id=parent_id, name_fa=name_fa, name_en=name_en)
    if position_in_parent is not None:
        values['position'] = position_in_parent
    bind.execute(categories.update().where(categories.c.id == fret).values(**values))
    # The index files each listing under its parent category too: look at them again.
    bind.execute(outbox.insert().values(scope='category', target_id=fret, created_at=datetime.now(timezone.utc)))


def upgrade():
    _move(None, 'کیف و لوازم فرت‌بافی', 'Fret-woven bags & home goods', TOP_LEVEL, None)


def downgrade():
    _move('carpets-rugs', 'فرت‌بافی', 'Fret weaving', BEFORE, 3)
