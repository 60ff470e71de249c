"""A local stand-in for Zarinpal's gateway: its v4 JSON API (request, verify, unVerified,
reverse) and a StartPay page whose two links pay or cancel and send the buyer back to the
callback, as the real page does. Tests make it fail on request.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.payments.fake_server import LocalServer, QuietHandler


@dataclass
class FakePayment:
    amount: int
    callback_url: str
    metadata: dict
    #: new → paid (at the gateway) → verified → reversed; or cancelled
    state: str = "new"
    ref_id: int = 0


@dataclass
class FakeZarinpal:
    merchant_id: str = "00000000-1111-2222-3333-444444444444"
    payments: dict[str, FakePayment] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    #: endpoint → what its next calls do: "500", "timeout", "garbage" (one use each, in order)
    failures: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0
    url: str = ""

    def pay(self, authority: str) -> None:
        """The buyer pays on the gateway's page."""
        with self.lock:
            self.payments[authority].state = "paid"

    def fail_next(self, endpoint: str, *how: str) -> None:
        self.failures.setdefault(endpoint, []).extend(how)

    def count(self, endpoint: str) -> int:
        return self.calls.get(endpoint, 0)

    # -- the API -------------------------------------------------------------------------------

    def answer(self, endpoint: str, body: dict) -> tuple[int, dict]:
        if body.get("merchant_id") != self.merchant_id:
            return 200, _error(-11, "The merchant is not valid.")
        with self.lock:
            if endpoint == "request.json":
                authority = "A" + "".join(secrets.choice("0123456789") for _ in range(35))
                self.payments[authority] = FakePayment(
                    int(body["amount"]), body["callback_url"], body.get("metadata") or {}
                )
                return 200, _data(100, authority=authority, fee_type="Merchant", fee=0)
            payment = self.payments.get(str(body.get("authority")))
            if endpoint == "verify.json":
                if payment is None:
                    return 200, _error(-54, "Invalid authority.")
                if int(body.get("amount", -1)) != payment.amount:
                    return 200, _error(-50, "The amount does not match.")
                if payment.state in ("verified", "reversed"):
                    return 200, _data(101, ref_id=payment.ref_id, card_pan="6037****1234")
                if payment.state != "paid":
                    return 200, _error(-51, "The payment failed.")
                payment.state, payment.ref_id = "verified", 10_000 + len(self.payments)
                return 200, _data(
                    100,
                    ref_id=payment.ref_id,
                    card_pan="603799******1234",
                    card_hash="9F" * 32,
                    fee_type="Merchant",
                    fee=0,
                )
            if endpoint == "unVerified.json":
                listed = [
                    {"authority": a, "amount": p.amount, "callback_url": p.callback_url}
                    for a, p in self.payments.items()
                    if p.state == "paid"
                ]
                return 200, _data(100, authorities=listed)
            if endpoint == "reverse.json":
                if payment is None or payment.state != "verified":
                    return 200, _error(-63, "Not reversible.")
                payment.state = "reversed"
                return 200, _data(100)
        return 404, {"errors": {"code": -404, "message": "no such endpoint"}}


def _data(code: int, **values) -> dict:
    return {"data": {"code": code, "message": "Success", **values}, "errors": []}


def _error(code: int, message: str) -> dict:
    return {"data": [], "errors": {"code": code, "message": message, "validations": []}}


def _handler(fake: FakeZarinpal):
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            endpoint = self.path.rsplit("/", 1)[-1]
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            with fake.lock:
                fake.calls[endpoint] = fake.calls.get(endpoint, 0) + 1
                planned = fake.failures.get(endpoint) or []
                how = planned.pop(0) if planned else None
            if fake.delay:
                time.sleep(fake.delay)
            if how == "timeout":
                time.sleep(4)  # longer than the shop waits
            if how == "500":
                return self._send(500, b"<html>Internal Server Error</html>", "text/html")
            if how == "garbage":
                return self._send(200, b"not json", "text/plain")
            status, answer = fake.answer(endpoint, body)
            self._send(status, json.dumps(answer).encode())

        def do_GET(self) -> None:
            parts = self.path.split("?")[0].strip("/").split("/")
            # /pg/StartPay/<authority>[/pay|/cancel]
            if len(parts) >= 3 and parts[:2] == ["pg", "StartPay"]:
                authority = parts[2]
                payment = fake.payments.get(authority)
                if payment is None:
                    return self._send(404, b"unknown authority", "text/plain")
                action = parts[3] if len(parts) > 3 else ""
                if action in ("pay", "cancel"):
                    if action == "pay":
                        fake.pay(authority)
                    status = "OK" if action == "pay" else "NOK"
                    query = urlencode({"Authority": authority, "Status": status})
                    return self._send(
                        302, b"", "text/plain", [("Location", f"{payment.callback_url}?{query}")]
                    )
                page = (
                    "<!doctype html><html lang='fa' dir='rtl'><head><meta charset='utf-8'>"
                    "<title>Fake Zarinpal</title></head><body><main>"
                    f"<h1>درگاه آزمایشی</h1><p data-amount>{payment.amount}</p>"
                    f"<a id='pay' href='/pg/StartPay/{authority}/pay'>پرداخت</a> "
                    f"<a id='cancel' href='/pg/StartPay/{authority}/cancel'>انصراف</a>"
                    "</main></body></html>"
                )
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            self._send(404, b"not found", "text/plain")

    return Handler


class FakeZarinpalServer(LocalServer):
    """``with FakeZarinpalServer() as fake:`` — serves on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        super().__init__(FakeZarinpal(), _handler)
