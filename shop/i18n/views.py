"""Choosing the interface language."""

from flask import Blueprint, redirect, request
from flask_login import current_user

from shop.accounts.services import set_locale
from shop.database import transaction
from shop.i18n import LANGUAGE_COOKIE, LANGUAGES
from shop.urls import safe_next_url

bp = Blueprint("i18n", __name__)


@bp.post("/language/<code>")
def switch_language(code: str):
    """Remember the chosen language (cookie, and the account when signed in)."""
    if code not in LANGUAGES:
        return redirect(safe_next_url(request.form.get("next")), 303)
    response = redirect(safe_next_url(request.form.get("next")), 303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    if current_user.is_authenticated:
        with transaction():
            set_locale(current_user._get_current_object(), code)
    return response
