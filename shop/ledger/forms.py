"""The producer's (and cooperative's) payout account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class ShebaForm(FlaskForm):
    sheba = StringField(
        _l("Sheba number (IBAN) for your payouts"),
        validators=[InputRequired(message=_l("Enter your Sheba number.")), Length(max=60)],
        render_kw={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"},
    )
