"""Choosing the interface language."""

from flask import Blueprint, redirect, request
from flask_login import current_user

from shop.accounts.services import set_locale
from shop.database import transaction
from shop.extensions import csrf
from shop.i18n import LANGUAGE_COOKIE, LANGUAGES
from shop.urls import safe_next_url

bp = Blueprint("i18n", __name__)


@bp.post("/language/<code>")
@csrf.exempt
def switch_language(code: str):
    """Remember the chosen language (cookie, and the account when signed in)."""
    # A visitor's switch only sets a cookie, so it needs no token (and public pages, carrying
    # none, can be cached); a signed-in switch changes the account, so it must carry one.
    if current_user.is_authenticated:
        csrf.protect()
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
