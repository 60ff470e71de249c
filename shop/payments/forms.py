"""An admin's refund of a payment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from shop.forms import PriceField


class RefundForm(FlaskForm):
    amount = PriceField(
        _l("Amount to give back"), validators=[InputRequired(message=_l("Enter the amount."))]
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            InputRequired(message=_l("Write why the money is given back.")),
            Length(max=500),
        ],
    )
    #: Made when the page is shown: sending the same form again is the same refund.
    key = HiddenField()
