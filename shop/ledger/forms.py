"""The producer's (and cooperative's) payout account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, NumberRange

from shop.forms import LocalisedIntegerField
from shop.ledger.fees import HIGHEST_BP


class ShebaForm(FlaskForm):
    sheba = StringField(
        _l("Sheba number (IBAN) for your payouts"),
        validators=[InputRequired(message=_l("Enter your Sheba number.")), Length(max=60)],
        render_kw={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"},
    )


def _rate_field(label):
    return LocalisedIntegerField(
        label,
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(min=0, max=HIGHEST_BP, message=_l("Enter a number from 0 to 5000.")),
        ],
    )


class CommissionBoundsForm(FlaskForm):
    """The bounds every cooperative's commission must keep within, in basis points."""

    low = _rate_field(_l("Lowest commission (basis points, 100 = 1%)"))
    high = _rate_field(_l("Highest commission (basis points, 1500 = 15%)"))


class CommissionRateForm(FlaskForm):
    commission_bp = _rate_field(_l("Commission (basis points, 300 = 3%)"))
