"""A local stand-in for the parts of Stripe's API the shop uses, for the real ``stripe``
library to talk to (``base_addresses={"api": url}``): Checkout Sessions (create, retrieve,
expire) and refunds, with idempotency keys honoured as Stripe does. Tests play the customer
(``complete``) and sign webhooks themselves."""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from tests.payments.fake_server import LocalServer, QuietHandler


def _nested(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (``line_items[0][price_data][currency]=usd``) as a dict."""
    root: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


@dataclass
class FakeStripe:
    sessions: dict[str, dict] = field(default_factory=dict)
    refunds: list[dict] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    idempotent: dict[str, bytes] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def count(self, name: str) -> int:
        return self.calls.get(name, 0)

    def fail_next(self, name: str, *how: str) -> None:
        self.failures.setdefault(name, []).extend(how)

    def complete(self, session_id: str, payment_status: str = "paid") -> dict:
        """The customer pays (or, for a delayed method, starts paying) on Stripe's page."""
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = "complete"
            session["payment_status"] = payment_status
            session["payment_intent"] = session["payment_intent"] or f"pi_{secrets.token_hex(8)}"
            return dict(session)

    # -- the API -------------------------------------------------------------------------------

    def create_session(self, params: dict) -> dict:
        items = params.get("line_items", {})
        total = sum(
            int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
            for item in items.values()
        )
        currency = next(iter(items.values()))["price_data"]["currency"] if items else "usd"
        session_id = f"cs_test_{secrets.token_hex(12)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"{self.url}/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": currency,
            "metadata": params.get("metadata", {}),
            "client_reference_id": params.get("client_reference_id"),
            "success_url": str(params.get("success_url", "")).replace(
                "{CHECKOUT_SESSION_ID}", session_id
            ),
            "cancel_url": params.get("cancel_url"),
            "payment_intent": None,
            "expires_at": int(params["expires_at"]) if "expires_at" in params else None,
            "line_items_sent": items,
        }
        self.sessions[session_id] = session
        return session


def _handler(fake: FakeStripe):
    class Handler(QuietHandler):
        def _json(self, status: int, value: dict) -> bytes:
            body = json.dumps(value).encode()
            self._send(status, body)
            return body

        def _planned(self, name: str) -> str | None:
            with fake.lock:
                fake.calls[name] = fake.calls.get(name, 0) + 1
                planned = fake.failures.get(name) or []
                return planned.pop(0) if planned else None

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            params = _nested(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            key = self.headers.get("Idempotency-Key")
            path = self.path.split("?")[0]
            name = "refunds" if path == "/v1/refunds" else path
            if path == "/v1/checkout/sessions":
                name = "sessions.create"
            how = self._planned(name)
            if how == "500":
                return self._json(500, {"error": {"type": "api_error", "message": "boom"}})
            if how == "400":
                error = {"type": "invalid_request_error", "message": "expires_at is too soon"}
                return self._json(400, {"error": error})
            if how == "timeout":
                time.sleep(3)
            if key and key in fake.idempotent:
                return self._send(200, fake.idempotent[key])
            if path == "/v1/checkout/sessions":
                body = self._json(200, fake.create_session(params))
            elif path == "/v1/refunds":
                with fake.lock:
                    refund = {
                        "id": f"re_{secrets.token_hex(8)}",
                        "object": "refund",
                        "payment_intent": params.get("payment_intent"),
                        "amount": int(params["amount"]) if "amount" in params else None,
                        "status": "succeeded",
                        "metadata": params.get("metadata", {}),
                    }
                    fake.refunds.append(refund)
                body = self._json(200, refund)
            elif path.startswith("/v1/checkout/sessions/") and path.endswith("/expire"):
                session = fake.sessions.get(path.split("/")[4])
                if session is None:
                    return self._json(404, {"error": {"type": "invalid_request_error"}})
                session["status"] = "expired"
                body = self._json(200, session)
            else:
                return self._json(404, {"error": {"type": "invalid_request_error"}})
            if key:
                fake.idempotent[key] = body

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path.startswith("/v1/checkout/sessions/"):
                self._planned("sessions.retrieve")
                session = fake.sessions.get(path.rsplit("/", 1)[1])
                if session is None:
                    return self._json(
                        404, {"error": {"type": "invalid_request_error", "message": "No such"}}
                    )
                return self._json(200, session)
            if path.startswith("/pay/"):
                session = fake.sessions.get(path.rsplit("/", 1)[1])
                if session is None:
                    return self._send(404, b"unknown session", "text/plain")
                page = (
                    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                    "<title>Fake Stripe Checkout</title></head><body><main>"
                    f"<h1>Pay</h1><p data-amount>{session['amount_total']}</p>"
                    f"<a id='pay' href='{session['success_url']}'>Pay</a> "
                    f"<a id='cancel' href='{session['cancel_url']}'>Cancel</a>"
                    "</main></body></html>"
                )
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            self._json(404, {"error": {"type": "invalid_request_error"}})

    return Handler


class FakeStripeServer(LocalServer):
    """``with FakeStripeServer() as fake:`` — serves on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        super().__init__(FakeStripe(), _handler)
