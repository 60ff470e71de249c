"""Listing revisions: words, photos and category are reviewed as a numbered, versioned
revision while the approved listing stays on sale; photo positions unique per listing.

Existing listings waiting for review (or rejected) get revision 1 holding their current
content and photos; the rejection reason moves onto it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

REVISION_STATUS = ('pending', 'approved', 'rejected', 'withdrawn')
FORMAT = ('plain', 'markdown')
CONTENT = ('title', 'description', 'description_format', 'description_html', 'category_id',
           'materials', 'dimensions', 'weight_grams')


def upgrade():
    op.create_table('product_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('open_product_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum(*REVISION_STATUS, name='revisionstatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_format', sa.Enum(*FORMAT, name='descriptionformat', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('materials', sa.String(length=300), nullable=False),
    sa.Column('dimensions', sa.String(length=120), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.String(length=500), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_product_revisions_version_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_product_revisions_category_id_categories')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_revisions_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_product_revisions_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_revisions')),
    sa.UniqueConstraint('open_product_id', name=op.f('uq_product_revisions_open_product_id')),
    sa.UniqueConstraint('product_id', 'number', name='product_revision_number')
    )
    with op.batch_alter_table('product_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_revisions_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_revisions_status'), ['status'], unique=False)

    op.create_table('revision_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_revision_photos_image_id_images'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['product_revisions.id'], name=op.f('fk_revision_photos_revision_id_product_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision_photos')),
    sa.UniqueConstraint('revision_id', 'image_id', name='revision_image'),
    sa.UniqueConstraint('revision_id', 'position', name='revision_position')
    )
    with op.batch_alter_table('revision_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_photos_revision_id'), ['revision_id'], unique=False)

    bind = op.get_bind()
    photos = sa.table('product_photos', sa.column('id', sa.Integer), sa.column('product_id', sa.Integer),
                      sa.column('image_id', sa.Integer), sa.column('position', sa.Integer))
    # Concurrent uploads could leave two photos at one position: number them 0, 1, 2… again.
    rows = bind.execute(sa.select(photos.c.id, photos.c.product_id).order_by(
        photos.c.product_id, photos.c.position, photos.c.id)).all()
    position, current = 0, None
    for photo_id, product_id in rows:
        position = 0 if product_id != current else position + 1
        current = product_id
        bind.execute(photos.update().where(photos.c.id == photo_id).values(position=-1 - position))
    bind.execute(photos.update().values(position=-1 - photos.c.position))
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.create_unique_constraint('product_position', ['product_id', 'position'])

    products = sa.table('products', sa.column('id', sa.Integer), sa.column('status', sa.String),
                        sa.column('rejection_reason', sa.String), sa.column('created_at', sa.DateTime(timezone=True)),
                        sa.column('updated_at', sa.DateTime(timezone=True)),
                        *(sa.column(name) for name in CONTENT))
    revisions = sa.table('product_revisions', *(sa.column(c) for c in (
        'id', 'product_id', 'number', 'version', 'open_product_id', 'status', 'rejection_reason',
        'created_at', 'submitted_at', *CONTENT)))
    revision_photos = sa.table('revision_photos', sa.column('revision_id'), sa.column('image_id'), sa.column('position'))
    waiting = bind.execute(sa.select(products).where(products.c.status.in_(('pending', 'rejected', 'draft')))).mappings().all()
    now = datetime.now(timezone.utc)
    for product in waiting:
        revision_id = bind.execute(revisions.insert().values(
            product_id=product['id'], number=1, version=1, open_product_id=product['id'],
            status='rejected' if product['status'] == 'rejected' else 'pending',
            rejection_reason=product['rejection_reason'] or '',
            created_at=product['created_at'] or now, submitted_at=product['updated_at'] or now,
            **{name: product[name] for name in CONTENT},
        ).returning(revisions.c.id)).scalar_one()
        # A listing that was never approved shows its photos only once it is.
        for image_id, pos in bind.execute(sa.select(photos.c.image_id, photos.c.position)
                                          .where(photos.c.product_id == product['id'])).all():
            bind.execute(revision_photos.insert().values(revision_id=revision_id, image_id=image_id, position=pos))
        bind.execute(photos.delete().where(photos.c.product_id == product['id']))
    bind.execute(products.update().where(products.c.status == 'draft').values(status='pending'))

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('rejection_reason')


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejection_reason', sa.String(length=500), nullable=False, server_default=''))
    bind = op.get_bind()
    products = sa.table('products', sa.column('id', sa.Integer), sa.column('status', sa.String),
                        sa.column('rejection_reason', sa.String), *(sa.column(name) for name in CONTENT))
    photos = sa.table('product_photos', sa.column('product_id'), sa.column('image_id'), sa.column('position'))
    revisions = sa.table('product_revisions', *(sa.column(c) for c in (
        'id', 'product_id', 'status', 'rejection_reason', *CONTENT)))
    revision_photos = sa.table('revision_photos', sa.column('revision_id'), sa.column('image_id'), sa.column('position'))
    # Listings never approved get their content and photos back; changes waiting for review
    # on a listing already on sale are lost (the old schema kept one version of a listing).
    for revision in bind.execute(sa.select(revisions).where(revisions.c.status.in_(('pending', 'rejected')))).mappings().all():
        status = bind.execute(sa.select(products.c.status).where(products.c.id == revision['product_id'])).scalar()
        if status not in ('pending', 'rejected'):
            continue
        bind.execute(products.update().where(products.c.id == revision['product_id']).values(
            rejection_reason=revision['rejection_reason'], **{name: revision[name] for name in CONTENT}))
        for image_id, pos in bind.execute(sa.select(revision_photos.c.image_id, revision_photos.c.position)
                                          .where(revision_photos.c.revision_id == revision['id'])).all():
            bind.execute(photos.insert().values(product_id=revision['product_id'], image_id=image_id, position=pos))
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.drop_constraint('product_position', type_='unique')
    with op.batch_alter_table('revision_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_photos_revision_id'))
    op.drop_table('revision_photos')
    with op.batch_alter_table('product_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_revisions_status'))
        batch_op.drop_index(batch_op.f('ix_product_revisions_product_id'))
    op.drop_table('product_revisions')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.alter_column('rejection_reason', server_default=None, existing_type=sa.String(length=500), existing_nullable=False)
