from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput


class ConfirmBatchForm(FlaskForm):
    """Confirming a batch as paid carries the total the admin was shown: a batch whose total
    is not that one is not confirmed."""

    total = IntegerField(
        _l("Total"),
        widget=HiddenInput(),
        validators=[
            InputRequired(message=_l("The batch's total is missing.")),
            NumberRange(min=1, message=_l("The batch's total is missing.")),
        ],
    )
