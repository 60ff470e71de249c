"""Writing e-mails in the recipient's language, and sending them.

``queue_mail`` is called by the service whose operation the e-mail announces, inside its
transaction: the message exists only if the operation committed. Sending happens after the
commit — after the response in a request — so a slow or failing mail server never delays or
breaks a checkout; what could not be sent stays pending for ``shop mail send``.
"""

from __future__ import annotations

import logging
import smtplib
from email.header import Header
from email.mime.text import MIMEText
from email.utils import make_msgid, parseaddr
from pathlib import Path

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import select

from shop.database import lock_row, on_commit, transaction, utcnow
from shop.extensions import db
from shop.mail.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)

#: Tries before a message is marked failed (``shop mail send --failed`` tries again).
MAX_ATTEMPTS = 5


def recipient_locale(user) -> str:
    return user.locale or current_app.config["SHOP_DEFAULT_LOCALE"]


def queue_mail(user, template: str, **context) -> OutgoingMail:
    """Write ``templates/mail/<template>.txt`` for ``user`` in their language: its first
    line is the subject, the rest the body. Sent once the current operation commits."""
    locale = recipient_locale(user)
    with force_locale(locale):
        text = render_template(f"mail/{template}.txt", user=user, **context)
    subject, _, body = text.strip().partition("\n")
    mail = OutgoingMail(
        to_address=user.email, subject=subject.strip()[:200], body=body.strip(), locale=locale
    )
    db.session.add(mail)
    on_commit(_send_after_commit, once=True)
    return mail


#: Set on the session when a request committed mail: sent after its response (extension.py).
PENDING_FLAG = "mail_pending"


def _send_after_commit() -> None:
    if has_request_context() and not current_app.config["SHOP_MAIL_SYNC"]:
        db.session.info[PENDING_FLAG] = True
        return
    send_pending()


def send_pending(include_failed: bool = False) -> tuple[int, int]:
    """Send what is waiting; returns (sent, not sent). Each message is marked in its own
    operation, so one bad address does not hold back the others."""
    statuses = [MailStatus.PENDING] + ([MailStatus.FAILED] if include_failed else [])
    ids = db.session.scalars(
        select(OutgoingMail.id).where(OutgoingMail.status.in_(statuses)).order_by(OutgoingMail.id)
    ).all()
    sent = failed = 0
    for mail_id in ids:
        with transaction():
            mail = db.session.get(OutgoingMail, mail_id)
            if mail is None:
                continue
            lock_row(mail)  # two senders at once never send one message twice
            if mail.status is MailStatus.SENT:
                continue
            mail.status = MailStatus.PENDING
            mail.attempts += 1
            try:
                deliver(mail)
            except Exception as exc:  # any failure of the mail server or the network
                log.warning("Could not send mail %s to %s: %s", mail.id, mail.to_address, exc)
                mail.last_error = str(exc)[:500]
                if mail.attempts >= MAX_ATTEMPTS:
                    mail.status = MailStatus.FAILED
                failed += 1
            else:
                mail.status = MailStatus.SENT
                mail.sent_at = utcnow()
                sent += 1
    return sent, failed


def _message(mail: OutgoingMail) -> MIMEText:
    # The classic MIME classes, not EmailMessage: the modern header folder drops the space
    # between two encoded words of a long non-ASCII subject («کارگاه گلیم» → «کارگاهگلیم»).
    config = current_app.config
    message = MIMEText(mail.body, "plain", "utf-8")
    message["From"] = config["SHOP_MAIL_SENDER"]
    message["To"] = mail.to_address
    message["Subject"] = Header(mail.subject, "utf-8")
    domain = parseaddr(config["SHOP_MAIL_SENDER"])[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain or None)
    message["Content-Language"] = mail.locale
    return message


def deliver(mail: OutgoingMail) -> None:
    """Hand one message to the SMTP server (``SHOP_MAIL_SERVER``), or, without one, write it
    to the mail folder — the embedded default, where ``make run`` shows what was sent."""
    config = current_app.config
    message = _message(mail)
    if config["SHOP_MAIL_SERVER"]:
        with smtplib.SMTP(config["SHOP_MAIL_SERVER"], config["SHOP_MAIL_PORT"], timeout=10) as smtp:
            if config["SHOP_MAIL_USE_TLS"]:
                smtp.starttls()
            if config["SHOP_MAIL_USERNAME"]:
                smtp.login(config["SHOP_MAIL_USERNAME"], config["SHOP_MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    folder = Path(config["SHOP_MAIL_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{mail.id:06d}.eml"
    path.write_bytes(message.as_bytes())
    log.info("Mail %s to %s written to %s", mail.id, mail.to_address, path)
