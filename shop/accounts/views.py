"""Registering, signing in and out, the account page and changing the password."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from shop.accounts import services
from shop.accounts.forms import ChangePasswordForm, LoginForm, RegisterForm
from shop.accounts.throttling import (
    password_change_limit,
    record_failure,
    register_limit,
    sign_in_limits,
)
from shop.cart.views import CART_KEY, merge_at_sign_in
from shop.database import transaction
from shop.errors import DomainError
from shop.forms import show_error
from shop.i18n import current_language
from shop.money import to_ascii_digits
from shop.urls import safe_next_url

bp = Blueprint("accounts", __name__)


def _sign_in(user, remember: bool = False) -> None:
    # A new session at login: nothing from before the login survives in it, but the
    # visitor's cart joins the user's.
    visitor_cart = session.get(CART_KEY)
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True
    merge_at_sign_in(user, visitor_cart)


@bp.route("/register", methods=["GET", "POST"])
@register_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("catalog.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            with transaction():
                user = services.register_user(
                    services.Registration(
                        email=form.email.data,
                        password=form.password.data,
                        display_name=form.display_name.data,
                        phone=to_ascii_digits(form.phone.data or ""),
                        locale=current_language(),
                    )
                )
        except DomainError as exc:
            show_error(form, exc)
        else:
            _sign_in(user)
            flash(_("Welcome to Dastranj, %(name)s!", name=user.display_name), "success")
            return redirect(url_for("catalog.home"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limits
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        with transaction():
            user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(safe_next_url(form.next.data), 303)
        record_failure()
        form.password.errors.append(_("The e-mail address or password is not correct."))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        with transaction():
            services.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("catalog.home"), 303)


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return render_template("accounts/account.html")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@password_change_limit
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            with transaction():
                services.change_password(
                    current_user._get_current_object(),
                    form.current_password.data,
                    form.new_password.data,
                )
        except services.WrongPassword as exc:
            record_failure()
            show_error(form, exc)
        except DomainError as exc:
            show_error(form, exc)
        else:
            _sign_in(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/password.html", form=form), status
