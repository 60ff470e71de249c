"""``shop payments …``: bringing online payments to their final state."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("payments")
def payments_group() -> None:
    """Online payments."""


@payments_group.command("reconcile")
@with_appcontext
def reconcile_command() -> None:
    """Ask the gateways about every open payment and repair our side (pay, fail, give back),
    then expire the orders whose payment time is up. Safe to run at any time, repeatedly."""
    from shop.payments.reconcile import reconcile_all

    for name, count in reconcile_all().items():
        click.echo(f"{name}: {count}")
