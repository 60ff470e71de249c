from __future__ import annotations

import pytest

from tests.payments.fake_stripe import FakeStripeServer
from tests.payments.fake_zarinpal import FakeZarinpalServer

SECRET = "whsec_test_secret_for_dastranj"


@pytest.fixture
def gateway(app):
    """A fake Zarinpal on 127.0.0.1, and the shop configured to pay through it."""
    with FakeZarinpalServer() as fake:
        app.config.update(
            SHOP_ZARINPAL_MERCHANT_ID=fake.merchant_id,
            SHOP_ZARINPAL_API_BASE=fake.url,
            SHOP_ZARINPAL_TIMEOUT=1,
        )
        yield fake


@pytest.fixture
def fake_stripe(app):
    """A fake Stripe on 127.0.0.1, and a shop in dollars configured to take cards through it."""
    with FakeStripeServer() as fake:
        app.config.update(
            SHOP_CURRENCY="USD",
            STRIPE_SECRET_KEY="sk_test_dastranj",
            STRIPE_WEBHOOK_SECRET=SECRET,
            STRIPE_API_BASE=fake.url,
        )
        yield fake
