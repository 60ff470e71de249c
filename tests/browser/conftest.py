"""Fixtures for the real-browser tests: the app on a live HTTP server, and Chromium.

Playwright's *sync* API is used directly (not pytest-playwright, not pytest-asyncio): it runs
its own event loop inside a greenlet, so the tests stay plain synchronous functions.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

#: Debian's Chromium; ``playwright install`` cannot download browsers here.
CHROMIUM = Path(os.environ.get("SHOP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

BROWSER_DIR = Path(__file__).resolve().parent
#: Screenshots for people to look at (git-ignored).
ARTIFACTS_DIR = BROWSER_DIR.parent.parent / "test-artifacts" / "browser"


def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser drives a real browser: mark it so ``-m "not browser"`` works."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(app):
    """Serve the test's ``app`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()  # stops serve_forever and waits for it
        thread.join(timeout=10)
        server.server_close()  # closes the listening socket
        assert not thread.is_alive(), "the live server did not stop"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; each test opens its own context."""
    if not CHROMIUM.is_file():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; browser tests must run in CI.", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
