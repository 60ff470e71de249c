"""E-mails about orders: written in the recipient's language with the operation they
announce, sent only after it commits, kept and retried when the server fails — sent to a
real (local) SMTP server, or written to the mail folder without one."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest

from shop.database import transaction
from shop.mail.models import MailStatus, OutgoingMail
from shop.mail.services import MAX_ATTEMPTS, send_pending
from shop.orders import services as orders
from tests.conftest import count, reload
from tests.orders.test_place_order import checkout


def sent_files(app) -> list:
    from pathlib import Path

    folder = Path(app.config["SHOP_MAIL_FOLDER"])
    if not folder.exists():
        return []
    return [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


@pytest.fixture
def sale(factory):
    producer = factory.producer(shop_name="کارگاه گلیم مریم")
    with transaction():
        producer.user.locale = "en"  # the producer reads English; the buyer, Persian
    kilim = factory.listing(producer, title="گلیم قشقایی", price=2_000_000, stock=3)
    buyer = factory.user()
    return producer, kilim, buyer


def place(buyer, kilim, key="k"):
    with transaction():
        return orders.place_order(buyer, checkout({kilim.id: 2}, key=key))


def test_placing_an_order_writes_to_the_buyer_and_the_producer_each_in_their_language(app, sale):
    producer, kilim, buyer = sale
    order = place(buyer, kilim)

    mails = {m["To"]: m for m in sent_files(app)}
    to_buyer, to_producer = mails[buyer.email], mails[producer.user.email]
    assert to_buyer["Subject"] == f"سفارش {order.number} شما ثبت شد"
    body = to_buyer.get_content()
    assert "گلیم قشقایی × ۲" in body and "کارگاه گلیم مریم" in body
    assert "تومان" in body and "نقد" in body
    assert to_producer["Subject"] == f"New order {order.number} for کارگاه گلیم مریم"
    assert "گلیم قشقایی × 2" in to_producer.get_content()
    assert "9177948974" in to_producer.get_content()  # where to post it
    assert {m.status for m in OutgoingMail.query} == {MailStatus.SENT}


def test_a_refused_order_writes_nothing(app, sale):
    _producer, kilim, buyer = sale
    with pytest.raises(orders.OutOfStock), transaction():
        orders.place_order(buyer, checkout({kilim.id: 5}))

    assert count(OutgoingMail) == 0 and sent_files(app) == []


def test_shipping_delivery_and_cancellation_tell_the_right_person(app, factory, sale):
    producer, kilim, buyer = sale
    parcel = place(buyer, kilim, "a").parcels[0]
    with transaction():
        orders.ship_parcel(producer, parcel, "پست", "RR123IR")
    with transaction():
        orders.deliver_parcel(producer, parcel, cash_received=True)
    other = place(buyer, factory.listing(producer, stock=2), "b").parcels[0]
    with transaction():
        orders.cancel_parcel(buyer, other)

    shop = "کارگاه گلیم مریم"
    subjects = [(m["To"], m["Subject"]) for m in sent_files(app)]
    assert subjects[2] == (buyer.email, f"مرسوله‌ی شما از {shop} در راه است")
    assert subjects[3] == (buyer.email, f"مرسوله‌ی شما از {shop} رسید")
    assert subjects[-2:] == [
        (buyer.email, f"مرسوله‌ی شما از {shop} لغو شد"),
        (producer.user.email, f"Order {other.order.number}: the buyer cancelled their parcel"),
    ]
    shipped = next(m for m in sent_files(app) if "در راه" in m["Subject"])
    assert "RR123IR" in shipped.get_content()


class FakeSMTP(socketserver.StreamRequestHandler):
    """Just enough of SMTP for smtplib: it stores what it receives (or refuses it)."""

    def handle(self):
        self.wfile.write(b"220 fake ESMTP\r\n")
        data = None
        while line := self.rfile.readline():
            command = line.strip().upper()
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    self.server.received.append(b"".join(data))
                    data = None
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
            elif command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 fake\r\n")
            elif command.startswith(b"MAIL") and self.server.refuse:
                self.wfile.write(b"451 try again later\r\n")
            elif command.startswith((b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                self.wfile.write(b"250 ok\r\n")
            elif command == b"DATA":
                data = []
                self.wfile.write(b"354 go on\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")


@pytest.fixture
def smtp_server(app):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSMTP)
    server.daemon_threads = True
    server.received, server.refuse = [], False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        SHOP_MAIL_SERVER="127.0.0.1",
        SHOP_MAIL_PORT=server.server_address[1],
        SHOP_MAIL_USE_TLS=False,
    )
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_with_a_mail_server_the_messages_go_by_smtp(app, sale, smtp_server):
    _producer, kilim, buyer = sale
    order = place(buyer, kilim)

    received = [message_from_bytes(raw, policy=policy.default) for raw in smtp_server.received]
    assert sorted(m["To"] for m in received) == sorted([buyer.email, sale[0].user.email])
    assert any(order.number in m["Subject"] for m in received)
    assert sent_files(app) == []


def test_a_failing_server_never_breaks_the_checkout_and_the_command_retries(
    app, sale, smtp_server, runner
):
    _producer, kilim, buyer = sale
    smtp_server.refuse = True

    order = place(buyer, kilim)  # the order stands

    assert reload(order).status.value == "placed"
    mails = OutgoingMail.query.all()
    assert [(m.status, m.attempts) for m in mails] == [(MailStatus.PENDING, 1)] * 2
    assert "451" in mails[0].last_error

    smtp_server.refuse = False
    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0 and result.output == "2 sent, 0 not sent.\n"
    assert {m.status for m in OutgoingMail.query} == {MailStatus.SENT}
    assert len(smtp_server.received) == 2


def test_after_five_failures_a_message_is_marked_failed_until_retried(app, sale, smtp_server):
    _producer, kilim, buyer = sale
    smtp_server.refuse = True
    place(buyer, kilim)
    for _ in range(MAX_ATTEMPTS):
        send_pending()

    assert {m.status for m in OutgoingMail.query} == {MailStatus.FAILED}
    assert send_pending() == (0, 0)
    smtp_server.refuse = False
    assert send_pending(include_failed=True) == (2, 0)


def test_in_a_request_the_mail_is_sent_after_the_response(new_app, tmp_path):
    from shop.accounts import services as accounts
    from shop.extensions import db
    from shop.mail.services import queue_mail

    app = new_app(SHOP_MAIL_SYNC=False, SHOP_MAIL_FOLDER=str(tmp_path / "mail-out"))

    @app.get("/_announce/<int:user_id>")
    def announce(user_id):
        from shop.accounts.models import User

        with transaction():
            parcel = SimpleNamespace(order=SimpleNamespace(number="ABCD2345"))
            queue_mail(db.session.get(User, user_id), "parcel_cancelled_by_buyer", parcel=parcel)
            state = OutgoingMail.query.one().status
        return state.value

    with app.app_context():
        with transaction():
            user = accounts.register_user(
                accounts.Registration(email="m@example.com", password="x" * 12, display_name="م")
            )
        user_id = user.id
        db.session.remove()

    response = app.test_client().get(f"/_announce/{user_id}")
    assert response.text == "pending"  # not sent while the request ran
    response.close()

    with app.app_context():
        assert [m.status for m in OutgoingMail.query] == [MailStatus.SENT]
        db.session.remove()
    assert len(list((tmp_path / "mail-out").glob("*.eml"))) == 1
