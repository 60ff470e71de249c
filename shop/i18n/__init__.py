"""Languages: Persian first (RTL, Persian digits, Jalali dates), English one click away."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import jdatetime
from flask import current_app, request
from flask_babel import format_datetime, get_locale, gettext
from flask_login import current_user
from markupsafe import Markup

from shop.money import format_amount, get_currency, to_persian_digits

LANGUAGES = {"fa": {"name": "فارسی", "dir": "rtl"}, "en": {"name": "English", "dir": "ltr"}}
LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The signed-in user's choice, else the language cookie, else the shop default."""
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    default = current_app.config["SHOP_DEFAULT_LOCALE"]
    return default if default in LANGUAGES else "fa"


def current_language() -> str:
    return str(get_locale() or "fa")[:2]


def is_persian() -> bool:
    return current_language() == "fa"


def digits(value) -> str:
    """Show numbers in the current language's digits."""
    text = str(value)
    return to_persian_digits(text) if is_persian() else text


def format_number(value: int) -> str:
    separator = "٬" if is_persian() else ","
    sign = "-" if value < 0 else ""
    text = f"{abs(int(value)):,}".replace(",", separator)
    return digits(sign + text)


def format_basis_points(bp: int) -> str:
    """A rate in basis points as a percentage: 250 → "2.5%", in Persian "۲٫۵٪"."""
    whole, rest = divmod(int(bp), 100)
    text = str(whole) + (f".{rest:02d}".rstrip("0") if rest else "")
    if is_persian():
        return digits(text.replace(".", "٫")) + "٪"
    return text + "%"


def format_money(amount: int) -> str:
    currency = get_currency(current_app.config["SHOP_CURRENCY"])
    return format_amount(int(amount), currency, current_language())


def format_price_range(prices: tuple[int, int]) -> str:
    """A listing's price, or "from – to" when its variants cost different amounts."""
    low, high = prices
    if low == high:
        return format_money(low)
    return gettext("%(low)s to %(high)s", low=format_money(low), high=format_money(high))


def format_date(value: datetime | None, with_time: bool = False) -> str:
    """Jalali dates in Persian, Gregorian in English, in the shop's time zone."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    local = value.astimezone(zone)
    if is_persian():
        jalali = jdatetime.datetime.fromgregorian(datetime=local, locale="fa_IR")
        text = jalali.strftime("%d %B %Y" + (" %H:%M" if with_time else ""))
        return to_persian_digits(text.lstrip("0"))
    return format_datetime(value, "d MMMM y" + (" HH:mm" if with_time else ""))


def isolate(text) -> Markup:
    """``text`` in its own direction inside a sentence of the other language (a Persian shop
    name in an English sentence), for ``_("From %(shop)s", shop=name | isolate)``."""
    return Markup("<bdi>{}</bdi>").format(text)


def init_app(app) -> None:
    app.jinja_env.filters.update(
        money=format_money,
        price_range=format_price_range,
        digits=digits,
        number=format_number,
        rate=format_basis_points,
        date=format_date,
        isolate=isolate,
    )

    @app.context_processor
    def language_context():
        language = current_language()
        return {
            "lang": language,
            "text_dir": LANGUAGES[language]["dir"],
            "languages": LANGUAGES,
        }
