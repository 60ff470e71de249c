"""Domain errors raised by services, and the error pages (HTML, or JSON under /api/)."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


class DomainError(Exception):
    """An operation refused by the rules of the shop; nothing was changed.

    ``field`` names the form field the refusal concerns (None for the form as a whole);
    ``message`` is what the person is told, in their language.
    """

    field: str | None = None
    message = _l("That cannot be done now.")

    def __init__(self, detail: str = "", *, field: str | None = None, message=None) -> None:
        super().__init__(detail or type(self).__name__)
        if field is not None:
            self.field = field
        if message is not None:
            self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(DomainError):
    """The person may not do this (to this object)."""

    message = _l("You are not allowed to do that.")


class NotFound(DomainError):
    """What the operation names does not exist (or is not theirs to see)."""

    message = _l("We could not find that.")


class IllegalTransition(DomainError):
    """A status change that the state machine does not allow."""

    message = _l("That cannot be done in its present state.")


class BadArgument(DomainError):
    """A query-string argument that cannot be used; the message says which and why."""

    message = _l("The request was not valid.")


def _messages() -> dict[int, str]:
    return {
        400: _("The request was not valid."),
        403: _("You are not allowed to do that."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        409: _("Someone changed this at the same moment. Please try again."),
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

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        # A refusal that no view turned into a form message: a 4xx, never a 500.
        status = (
            404 if isinstance(error, NotFound) else 403 if isinstance(error, NotAllowed) else 400
        )
        return error_response(status, str(error))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return error_response(InternalServerError.code)
