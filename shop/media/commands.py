"""``shop media …``: keeping the upload folder and the image rows in step."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("media")
def media_group() -> None:
    """Uploaded pictures."""


@media_group.command("gc")
@click.option(
    "--grace-minutes",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Keep files and rows younger than this: an upload in flight writes its files "
    "before its row commits.",
)
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@with_appcontext
def gc_command(grace_minutes: int, dry_run: bool) -> None:
    """Remove image rows nothing refers to, and files no image row names."""
    from shop.database import transaction, utcnow
    from shop.media.services import remove_unreferenced_files, remove_unreferenced_images

    cutoff = utcnow() - timedelta(minutes=grace_minutes)
    verb = "would remove" if dry_run else "removed"
    with transaction():
        rows = remove_unreferenced_images(created_before=cutoff, dry_run=dry_run)
    for row in rows:
        click.echo(
            f"{verb} image row {row.id} (key {row.key}, widths {row.renditions}, "
            f"created {row.created_at:%Y-%m-%d %H:%M} UTC)"
        )
    files = remove_unreferenced_files(
        modified_before=cutoff,
        dry_run=dry_run,
        also_unreferenced={row.key for row in rows} if dry_run else (),
    )
    root = current_app.config["SHOP_UPLOAD_DIR"]
    for file in files:
        click.echo(f"{verb} file {file.path.relative_to(root)}")
    summary = f"{len(rows)} image row(s) and {len(files)} file(s)"
    if dry_run:
        click.echo(f"Dry run: {summary} would be removed; nothing was changed.")
    else:
        click.echo(f"Removed {summary} (kept anything younger than {grace_minutes} minutes).")
