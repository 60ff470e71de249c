"""The ``shop`` command: run, demo data, migrations (``shop db``), admins and translations."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def _create_app() -> Flask:
    from shop import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="Dastranj marketplace commands.")
def main() -> None:
    """Entry point of the ``shop`` console script."""


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no users.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load the demo catalogue: centres, cooperatives, producers, listings and accounts."""
    from shop.demo import DEMO_ACCOUNTS, database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("The database already has data; demo data not loaded.")
    else:
        from shop.search.services import reindex

        summary = load_demo()
        click.echo(f"Demo data loaded: {summary}")
        click.echo(f"Search index built: {reindex()} listings.")
    click.echo("Demo accounts (e-mail / password):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role:<20} {account.email:<28} {account.password}")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="Admin")
@with_appcontext
def create_admin_command(email: str, password: str, name: str) -> None:
    """Create an admin account (or make an existing account an admin)."""
    from shop.accounts.services import create_admin
    from shop.database import transaction

    if len(password) < 8:
        raise click.BadParameter("at least 8 characters", param_hint="--password")
    with transaction():
        user = create_admin(email, password, name)
    click.echo(f"{user.email} is an admin.")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Add the category tree (already done by the first migration; safe to repeat)."""
    from shop.catalog.seed import seed_categories
    from shop.database import transaction

    with transaction():
        added = seed_categories()
    click.echo(f"{added} categories added.")


@click.group("search")
def search_group() -> None:
    """The catalogue search index."""


@search_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the whole index into a new folder and switch to it (searches keep working)."""
    import time

    from shop.search.services import reindex

    started = time.perf_counter()
    count = reindex()
    click.echo(f"{count} listings indexed in {time.perf_counter() - started:.1f} s.")


@search_group.command("check")
@with_appcontext
def check_command() -> None:
    """Report listings missing from, extra in, or stale in the index; exit 1 if any."""
    from shop.search.backend import SearchUnavailable
    from shop.search.services import check_index

    try:
        report = check_index()
    except SearchUnavailable as exc:
        click.echo(f"The index cannot be read ({exc}). Run `shop search reindex`.", err=True)
        raise SystemExit(1) from exc
    for label, ids in (
        ("missing", report.missing),
        ("extra", report.extra),
        ("stale", report.stale),
    ):
        shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
        click.echo(f"{label}: {len(ids)}" + (f" ({shown})" if ids else ""))
    if not report.ok:
        raise SystemExit(1)
    click.echo("The index matches the database.")


@search_group.command("drain")
@with_appcontext
def drain_command() -> None:
    """Apply waiting changes to the index now (a running shop does this by itself)."""
    from shop.search.services import drain_outbox

    click.echo(f"{drain_outbox()} change(s) applied.")


@click.group("translations")
def translations_group() -> None:
    """Compile the message catalogues."""


@translations_group.command("compile")
def compile_command() -> None:
    from shop.i18n.catalog import compile_catalogues

    written = compile_catalogues(force=True)
    click.echo(f"{len(written)} catalogue(s) compiled.")


def register(app: Flask) -> None:
    from shop.ledger.commands import ledger_group
    from shop.mail.commands import mail_group
    from shop.media.commands import media_group
    from shop.orders.commands import orders_group
    from shop.payments.commands import payments_group

    for command in (
        demo_command,
        create_admin_command,
        seed_command,
        search_group,
        media_group,
        orders_group,
        payments_group,
        ledger_group,
        mail_group,
    ):
        app.cli.add_command(command)


main.add_command(translations_group)
