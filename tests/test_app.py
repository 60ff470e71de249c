"""The application as a whole: headers, error pages, font, and the 500 page."""

import pytest


def test_security_headers_on_every_page(client, ctx):
    response = client.get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_font_is_served_locally_with_its_licence(client, ctx):
    font = client.get("/static/fonts/Vazirmatn-wght.woff2")
    licence = client.get("/static/fonts/OFL.txt")

    assert font.status_code == 200 and font.data[:4] == b"wOF2"
    assert "SIL OPEN FONT LICENSE" in licence.get_data(as_text=True).upper()
    font.close()
    licence.close()
    css = client.get("/static/css/app.css")
    assert "Vazirmatn-wght.woff2" in css.get_data(as_text=True)
    css.close()


def test_html_errors_are_pages_in_the_users_language(client, ctx):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in response.text
    assert "۴۰۴" in response.text


def test_method_not_allowed(client, ctx):
    assert client.get("/logout").status_code == 405


def test_unexpected_error_shows_a_friendly_500_page(new_app):
    app = new_app(PROPAGATE_TEST_ERRORS=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    response = client.get("/boom")

    assert response.status_code == 500
    assert "kaboom" not in response.text
    assert '<html lang="fa" dir="rtl">' in response.text


@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/products/abc"])
def test_api_errors_are_json(client, ctx, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
