"""One conversion from our integer minor units to each provider's amount.

Our amounts are in the shop currency's minor unit (``shop.money``: the rial for IRR, the cent
for USD and EUR). Zarinpal takes rials; Stripe takes the currency's smallest unit, which for
the currencies we sell in is the cent. Each provider refuses a currency it does not take.
"""

from __future__ import annotations

from shop.money import get_currency

#: Stripe's smallest unit per currency we offer (IRR is not accepted by Stripe).
STRIPE_EXPONENTS = {"USD": 2, "EUR": 2}


class UnsupportedCurrency(ValueError):
    """The provider does not take this currency."""


def provider_amount(amount: int, currency: str, provider: str) -> int:
    """``amount`` minor units of ``currency`` as ``provider`` counts them."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError("an amount is a positive whole number of minor units")
    ours = get_currency(currency)
    if provider == "zarinpal":
        if ours.code != "IRR":
            raise UnsupportedCurrency(f"Zarinpal takes rials, not {ours.code}")
        return amount  # our IRR minor unit is the rial
    if provider == "stripe":
        if ours.code not in STRIPE_EXPONENTS:
            raise UnsupportedCurrency(f"Stripe does not accept {ours.code}")
        return amount * 10 ** (STRIPE_EXPONENTS[ours.code] - ours.exponent)
    raise ValueError(f"unknown provider {provider!r}")


def accepts(provider: str, currency: str) -> bool:
    """Whether ``provider`` can take payments in ``currency``."""
    try:
        provider_amount(1, currency, provider)
    except UnsupportedCurrency:
        return False
    return True
