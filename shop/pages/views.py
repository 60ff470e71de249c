"""The site's own pages, linked from every page's footer."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("pages", __name__)


def _render(name: str):
    config = current_app.config
    return render_template(
        f"pages/{name}.html",
        support_email=config["SHOP_SUPPORT_EMAIL"],
        support_phone=config["SHOP_SUPPORT_PHONE"],
    )


@bp.get("/about")
def about():
    return _render("about")


@bp.get("/contact")
def contact():
    return _render("contact")


@bp.get("/terms")
def terms():
    return _render("terms")


@bp.get("/privacy")
def privacy():
    return _render("privacy")
