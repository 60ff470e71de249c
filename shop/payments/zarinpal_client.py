"""A small client for Zarinpal's payment gateway (REST, JSON, v4): payment request, StartPay
address, verify, the list of unverified payments, inquiry and reverse.

Amounts are in rials. Every call has a timeout; a transport failure, an HTTP error or an answer
that is not Zarinpal's JSON raises ``GatewayUnavailable``, a refusal by the gateway raises
``GatewayRefused`` with its code — the caller decides what each means for the order.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

LIVE_BASE = "https://payment.zarinpal.com"
SANDBOX_BASE = "https://sandbox.zarinpal.com"
#: Codes the gateway answers with (its documentation's table, the ones we act on).
SUCCESS = 100
ALREADY_VERIFIED = 101


class GatewayError(Exception):
    pass


class GatewayUnavailable(GatewayError):
    """No usable answer (network, timeout, HTTP error, not JSON): try again later."""


class GatewayRefused(GatewayError):
    """The gateway answered with an error code (e.g. -51: the payment failed)."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True)
class Verification:
    ref_id: str
    card_pan: str
    card_hash: str
    #: True when the gateway had verified it before (code 101): nothing new happened.
    again: bool


@dataclass(frozen=True)
class Unverified:
    authority: str
    amount: int


def base_url(sandbox: bool = False, api_base: str = "") -> str:
    """Where the gateway is: ``api_base`` if given, else Zarinpal's sandbox or live site."""
    return (api_base or (SANDBOX_BASE if sandbox else LIVE_BASE)).rstrip("/")


class ZarinpalClient:
    def __init__(
        self, merchant_id: str, *, sandbox: bool = False, api_base: str = "", timeout=10.0
    ) -> None:
        self.merchant_id = merchant_id
        self.base = base_url(sandbox, api_base)
        self.timeout = timeout
        self.session = requests.Session()

    def _post(self, path: str, payload: dict) -> dict:
        try:
            response = self.session.post(
                f"{self.base}/pg/v4/payment/{path}",
                json={"merchant_id": self.merchant_id, **payload},
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise GatewayUnavailable(str(exc)) from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise GatewayUnavailable(f"HTTP {response.status_code}, not JSON") from exc
        data, errors = body.get("data"), body.get("errors")
        if isinstance(data, dict) and data.get("code") in (SUCCESS, ALREADY_VERIFIED):
            return data
        if isinstance(errors, dict) and isinstance(errors.get("code"), int):
            raise GatewayRefused(errors["code"], str(errors.get("message", "")))
        raise GatewayUnavailable(f"HTTP {response.status_code}, unexpected answer")

    def request_payment(
        self, amount: int, callback_url: str, description: str, metadata: dict
    ) -> str:
        """Ask for a payment of ``amount`` rials; its authority (the buyer pays at
        ``start_pay_url(authority)``)."""
        data = self._post(
            "request.json",
            {
                "amount": amount,
                "currency": "IRR",
                "callback_url": callback_url,
                "description": description,
                "metadata": metadata,
            },
        )
        authority = data.get("authority")
        if not isinstance(authority, str) or not authority:
            raise GatewayUnavailable("no authority in the answer")
        return authority

    def start_pay_url(self, authority: str) -> str:
        return f"{self.base}/pg/StartPay/{authority}"

    def verify(self, authority: str, amount: int) -> Verification:
        """Confirm the payment with the amount we expect (from our database, in rials)."""
        data = self._post("verify.json", {"authority": authority, "amount": amount})
        return Verification(
            ref_id=str(data.get("ref_id", "")),
            card_pan=str(data.get("card_pan", ""))[:32],
            card_hash=str(data.get("card_hash", ""))[:128],
            again=data.get("code") == ALREADY_VERIFIED,
        )

    def unverified(self) -> list[Unverified]:
        """Payments made at the gateway that nobody has verified yet."""
        data = self._post("unVerified.json", {})
        return [
            Unverified(str(item.get("authority", "")), int(item.get("amount", 0)))
            for item in data.get("authorities") or []
        ]

    def reverse(self, authority: str) -> None:
        """Give a verified payment back to the payer (allowed shortly after it was made)."""
        self._post("reverse.json", {"authority": authority})
