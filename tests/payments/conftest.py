from __future__ import annotations

import pytest

from tests.payments.fake_zarinpal import FakeZarinpalServer


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
