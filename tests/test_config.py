"""shop/config.py: production refuses to run unsafely; the environment chooses the settings."""

from __future__ import annotations

import os

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from shop import create_app
from shop.config import (
    DEVELOPMENT_SECRET,
    PRODUCTION_PASSWORD_METHOD,
    PROJECT_ROOT,
    ConfigError,
    load_config,
)

GOOD_KEY = "k" * 32


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """No SHOP_… variable from the machine; instance and uploads under tmp_path."""
    for name in list(os.environ):
        if name.startswith("SHOP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SHOP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SHOP_UPLOAD_DIR", str(tmp_path / "uploads"))
    return monkeypatch


@pytest.fixture
def instance(tmp_path):
    return str(tmp_path / "instance")


# --- the secret key ---------------------------------------------------------------------------


@pytest.mark.parametrize("shop_env", [None, "production", "Production ", "staging"])
def test_production_refuses_to_start_without_a_secret_key(environment, instance, shop_env):
    if shop_env is not None:
        environment.setenv("SHOP_ENV", shop_env)

    with pytest.raises(ConfigError, match="SHOP_SECRET_KEY must be set"):
        load_config(instance)


def test_production_refuses_an_empty_secret_key(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", "")

    with pytest.raises(ConfigError, match="SHOP_SECRET_KEY must be set"):
        load_config(instance)


def test_production_refuses_a_key_of_spaces(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", " " * 40)

    with pytest.raises(ConfigError, match="SHOP_SECRET_KEY must be set"):
        load_config(instance)


def test_production_refuses_the_development_secret(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", DEVELOPMENT_SECRET)

    with pytest.raises(ConfigError, match="SHOP_SECRET_KEY must be set"):
        load_config(instance)


def test_production_refuses_a_key_shorter_than_32_characters(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", "k" * 31)

    with pytest.raises(ConfigError) as refused:
        load_config(instance)
    assert str(refused.value) == "SHOP_SECRET_KEY must be at least 32 characters long."


def test_production_accepts_a_32_character_key(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)

    config = load_config(instance)

    assert config["SECRET_KEY"] == GOOD_KEY
    assert config["SHOP_ENV"] == "production"


def test_create_app_refuses_to_start_in_production_without_a_key(environment, tmp_path):
    with pytest.raises(ConfigError):
        create_app()
    assert not (tmp_path / "instance").exists()


def test_development_without_a_key_uses_the_development_secret(environment, instance):
    environment.setenv("SHOP_ENV", "development")

    config = load_config(instance)

    assert config["SECRET_KEY"] == DEVELOPMENT_SECRET
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["PREFERRED_URL_SCHEME"] == "http"


def test_testing_override_relaxes_the_checks(environment, instance):
    config = load_config(instance, {"TESTING": True})

    assert config["SHOP_ENV"] == "testing"
    assert config["SECRET_KEY"] == DEVELOPMENT_SECRET


# --- production settings ----------------------------------------------------------------------


def test_create_app_in_production_sets_safe_cookies_and_limits(environment, tmp_path):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)

    app = create_app()

    assert app.instance_path == str(tmp_path / "instance")
    assert (tmp_path / "instance").is_dir()
    assert app.config["SHOP_ENV"] == "production"
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 90 * 1024 * 1024
    assert app.config["SHOP_MAX_IMAGE_BYTES"] == 10 * 1024 * 1024
    assert app.config["SHOP_MAX_IMAGE_PIXELS"] == 40_000_000
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert app.config["SHOP_PASSWORD_METHOD"] == PRODUCTION_PASSWORD_METHOD
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'instance' / 'dastranj.sqlite3'}"
    )
    assert app.config["SHOP_UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert not app.testing
    assert not app.debug


def test_secure_cookies_can_be_turned_off_explicitly(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_SECURE_COOKIES", "off")

    config = load_config(instance)

    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["REMEMBER_COOKIE_SECURE"] is False


def test_size_limits_come_from_the_environment(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_MAX_REQUEST_BYTES", "1048576")
    environment.setenv("SHOP_MAX_IMAGE_BYTES", " 524288 ")
    environment.setenv("SHOP_MAX_IMAGE_PIXELS", "1000000")

    config = load_config(instance)

    assert config["MAX_CONTENT_LENGTH"] == 1_048_576
    assert config["SHOP_MAX_IMAGE_BYTES"] == 524_288
    assert config["SHOP_MAX_IMAGE_PIXELS"] == 1_000_000


def test_a_number_setting_that_is_not_a_number_is_refused(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_MAX_IMAGE_BYTES", "10MB")

    with pytest.raises(ConfigError) as refused:
        load_config(instance)
    assert str(refused.value) == "SHOP_MAX_IMAGE_BYTES must be a whole number, not '10MB'"


def test_an_unknown_sqlite_synchronous_setting_is_refused(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_SQLITE_SYNCHRONOUS", "sometimes")

    with pytest.raises(ConfigError) as refused:
        load_config(instance)
    assert "SHOP_SQLITE_SYNCHRONOUS must be one of OFF, NORMAL, FULL, EXTRA" in str(refused.value)


def test_sqlite_waits_for_the_disk_at_every_commit_unless_told_otherwise(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    assert load_config(instance)["SHOP_SQLITE_SYNCHRONOUS"] == "FULL"

    environment.setenv("SHOP_SQLITE_SYNCHRONOUS", "normal")
    assert load_config(instance)["SHOP_SQLITE_SYNCHRONOUS"] == "NORMAL"


def test_shop_database_url_switches_the_database(environment, instance):
    url = "postgresql+psycopg://shop:secret@db.example:5432/dastranj"
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_DATABASE_URL", url)

    config = load_config(instance)

    assert config["SQLALCHEMY_DATABASE_URI"] == url


def test_without_shop_database_url_sqlite_lives_in_the_instance_folder(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)

    config = load_config(instance)

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/dastranj.sqlite3"


def test_empty_settings_from_env_example_fall_back_to_the_defaults(environment, instance):
    # `shop` loads .env, and a copied .env.example leaves several settings empty.
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_DATABASE_URL", "")
    environment.setenv("SHOP_UPLOAD_DIR", "")
    environment.setenv("SHOP_CURRENCY", "")
    environment.setenv("SHOP_PASSWORD_METHOD", " ")
    environment.setenv("SHOP_SECURE_COOKIES", "")

    config = load_config(instance)

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/dastranj.sqlite3"
    assert config["SHOP_UPLOAD_DIR"] == str(PROJECT_ROOT / "uploads")
    assert config["SHOP_CURRENCY"] == "IRR"
    assert config["SHOP_PASSWORD_METHOD"] == PRODUCTION_PASSWORD_METHOD
    assert config["SESSION_COOKIE_SECURE"] is True


def test_overrides_win_over_the_environment(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_DATABASE_URL", "sqlite:///from-environment.sqlite3")

    config = load_config(instance, {"SQLALCHEMY_DATABASE_URI": "sqlite:///override.sqlite3"})

    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///override.sqlite3"


# --- password hashing -------------------------------------------------------------------------


def test_production_password_method_meets_the_owasp_scrypt_minimum():
    # OWASP Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1 at least.
    method, n, r, p = PRODUCTION_PASSWORD_METHOD.split(":")

    assert method == "scrypt"
    assert int(n) >= 2**17
    assert int(n) & (int(n) - 1) == 0  # scrypt needs a power of two
    assert int(r) >= 8
    assert int(p) >= 1


def test_production_password_method_is_the_default(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)

    assert load_config(instance)["SHOP_PASSWORD_METHOD"] == "scrypt:131072:8:1"


def test_werkzeug_hashes_with_the_production_method():
    hashed = generate_password_hash("correct horse battery", method=PRODUCTION_PASSWORD_METHOD)

    assert hashed.startswith("scrypt:131072:8:1$")
    assert check_password_hash(hashed, "correct horse battery")


# --- throttling ---------------------------------------------------------------------------------

LIMIT_DEFAULTS = {
    "SHOP_LOGIN_LIMIT_PAIR": "5 per 15 minutes",
    "SHOP_LOGIN_LIMIT_ACCOUNT": "50 per hour",
    "SHOP_LOGIN_LIMIT_ADDRESS": "20 per 15 minutes",
    "SHOP_REGISTER_LIMIT": "10 per hour",
    "SHOP_PASSWORD_CHANGE_LIMIT": "5 per 15 minutes",
}


def test_throttling_defaults(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)

    config = load_config(instance)

    assert {name: config[name] for name in LIMIT_DEFAULTS} == LIMIT_DEFAULTS
    assert config["SHOP_TRUSTED_PROXIES"] == 0


def test_trusted_proxies_come_from_the_environment(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_TRUSTED_PROXIES", "1")

    assert load_config(instance)["SHOP_TRUSTED_PROXIES"] == 1


def test_a_negative_proxy_count_is_refused(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_TRUSTED_PROXIES", "-1")

    with pytest.raises(ConfigError) as refused:
        load_config(instance)
    assert str(refused.value) == "SHOP_TRUSTED_PROXIES must be 0 (no proxy) or more."


@pytest.mark.parametrize("name", sorted(LIMIT_DEFAULTS))
def test_each_limit_comes_from_the_environment(environment, instance, name):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv(name, " 3 per 2 minutes ")

    assert load_config(instance)[name] == "3 per 2 minutes"


@pytest.mark.parametrize("name", sorted(LIMIT_DEFAULTS))
def test_an_empty_limit_falls_back_to_its_default(environment, instance, name):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv(name, "")

    assert load_config(instance)[name] == LIMIT_DEFAULTS[name]


@pytest.mark.parametrize("name", sorted(LIMIT_DEFAULTS))
def test_a_limit_that_cannot_be_read_is_refused_at_start(environment, instance, name):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv(name, "five an hour")

    with pytest.raises(ConfigError) as refused:
        load_config(instance)
    assert str(refused.value) == (
        f"{name} must be a rate limit like '5 per 15 minutes', not 'five an hour'"
    )


def test_env_example_and_readme_list_every_limit_and_hsts_setting():
    names = [
        *LIMIT_DEFAULTS,
        "SHOP_TRUSTED_PROXIES",
        "SHOP_HSTS_SECONDS",
        "SHOP_HSTS_INCLUDE_SUBDOMAINS",
    ]
    example = (PROJECT_ROOT / ".env.example").read_text()
    readme = (PROJECT_ROOT / "README.md").read_text()

    for name in names:
        assert f"\n{name}=" in example, name
        assert f"| `{name}` |" in readme, name
    for name, default in LIMIT_DEFAULTS.items():
        assert f"\n{name}={default}\n" in example, name


# --- Strict-Transport-Security ------------------------------------------------------------------


def test_hsts_is_one_year_with_subdomains_in_production(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)

    config = load_config(instance)

    assert config["SHOP_HSTS_SECONDS"] == 31_536_000
    assert config["SHOP_HSTS_INCLUDE_SUBDOMAINS"] is True


@pytest.mark.parametrize("shop_env", ["development", "testing"])
def test_hsts_is_off_in_development_and_testing(environment, instance, shop_env):
    environment.setenv("SHOP_ENV", shop_env)

    assert load_config(instance)["SHOP_HSTS_SECONDS"] == 0


def test_hsts_is_off_for_the_testing_override(environment, instance):
    assert load_config(instance, {"TESTING": True})["SHOP_HSTS_SECONDS"] == 0


def test_hsts_comes_from_the_environment(environment, instance):
    environment.setenv("SHOP_ENV", "development")
    environment.setenv("SHOP_HSTS_SECONDS", "600")
    environment.setenv("SHOP_HSTS_INCLUDE_SUBDOMAINS", "off")

    config = load_config(instance)

    assert config["SHOP_HSTS_SECONDS"] == 600
    assert config["SHOP_HSTS_INCLUDE_SUBDOMAINS"] is False


def test_hsts_can_be_turned_off_in_production(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_HSTS_SECONDS", "0")

    assert load_config(instance)["SHOP_HSTS_SECONDS"] == 0


def test_negative_hsts_is_refused(environment, instance):
    environment.setenv("SHOP_SECRET_KEY", GOOD_KEY)
    environment.setenv("SHOP_HSTS_SECONDS", "-1")

    with pytest.raises(ConfigError) as refused:
        load_config(instance)
    assert str(refused.value) == "SHOP_HSTS_SECONDS must be 0 (no header) or more."
