"""``shop orders …``: the order work that runs on a schedule."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("orders")
def orders_group() -> None:
    """Orders and parcels."""


@orders_group.command("expire")
@with_appcontext
def expire_command() -> None:
    """Expire orders whose online payment did not arrive in time; their stock goes back."""
    from shop.database import transaction
    from shop.orders.services import expire_orders

    with transaction():
        numbers = expire_orders()
    for number in numbers:
        click.echo(f"expired {number}")
    click.echo(f"{len(numbers)} order(s) expired.")
