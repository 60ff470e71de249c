"""Who may use a producer's pages."""

from __future__ import annotations

from functools import wraps

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required


def approved_producer_required(view):
    """Only a signed-in, approved producer may use the view; ``g.producer`` is theirs."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        producer = current_user.producer
        if producer is None or not producer.is_approved:
            flash(_("Your shop must be approved before you can do that."), "warning")
            return redirect(url_for("producers.dashboard"))
        g.producer = producer
        return view(*args, **kwargs)

    return wrapped
