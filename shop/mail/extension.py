"""Sending the mail a request committed once its response has gone out."""

from __future__ import annotations

import logging

from flask import Flask

from shop.extensions import db
from shop.mail.services import PENDING_FLAG, send_pending

log = logging.getLogger(__name__)


def init_mail(app: Flask) -> None:
    @app.after_request
    def send_after_response(response):
        if db.session.info.pop(PENDING_FLAG, False):
            response.call_on_close(lambda: _send_in_context(app))
        return response


def _send_in_context(app: Flask) -> None:
    with app.app_context():
        try:
            send_pending()
        except Exception:  # the database itself failed: the messages wait for the command
            log.exception("Sending mail after a response failed; `shop mail send` retries")
