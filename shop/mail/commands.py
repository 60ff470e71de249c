"""``shop mail …``: sending what is waiting (run it from cron to retry failed sends)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("mail")
def mail_group() -> None:
    """Outgoing e-mail."""


@mail_group.command("send")
@click.option("--failed", is_flag=True, help="Also try again the messages that gave up.")
@with_appcontext
def send_command(failed: bool) -> None:
    """Send every e-mail still waiting."""
    from shop.mail.services import send_pending

    sent, not_sent = send_pending(include_failed=failed)
    click.echo(f"{sent} sent, {not_sent} not sent.")
    if not_sent:
        raise SystemExit(1)
