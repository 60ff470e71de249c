"""Error pages: a clear message in the user's language, as HTML or as JSON under /api/."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def _messages() -> dict[int, str]:
    return {
        400: _("The request was not valid."),
        403: _("You are not allowed to do that."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many requests. Please wait a little and try again."),
        500: _("Something went wrong on our side. Please try again."),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str | None = None):
    message = message or _messages().get(status) or _("The request was not valid.")
    if wants_json():
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("errors/error.html", status=status, message=message), status


def init_errors(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_response(
            400, _("This form has expired or was not sent from this site. Please try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = None
        limit = getattr(error, "limit", None)
        if status == 429 and limit is not None and limit.error_message:
            message = str(error.description)
        return error_response(status, message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return error_response(InternalServerError.code)
