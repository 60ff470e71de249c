"""``shop ledger …``: checking the books."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("ledger")
def ledger_group() -> None:
    """The ledger."""


@ledger_group.command("check")
@with_appcontext
def check_command() -> None:
    """Recompute every balance from the entries; exit 1 if the books do not sum to zero (in
    all, per transaction, per order) or an account the shop owes is below zero."""
    from shop.ledger.queries import check_books

    found = check_books()
    click.echo(f"trial balance: {found.total}")
    for key, total in found.unbalanced_transactions:
        click.echo(f"transaction {key} sums to {total}")
    for order_id, total in found.unbalanced_orders:
        click.echo(f"order {order_id} sums to {total}")
    for account, total in found.negative_balances:
        click.echo(f"account {account} is negative: {total}")
    if not found.ok:
        sys.exit(1)
    click.echo("the books balance")
