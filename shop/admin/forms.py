from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from shop.forms import LocalisedIntegerField

REQUIRED = InputRequired(message=_l("This field is required."))


class CentreForm(FlaskForm):
    name = StringField(_l("Name"), validators=[REQUIRED, Length(min=2, max=160)])
    city = StringField(_l("City"), validators=[REQUIRED, Length(max=80)])
    neighbourhood = StringField(_l("Neighbourhood"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class CooperativeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[REQUIRED, Length(min=2, max=160)])
    city = StringField(_l("City"), validators=[REQUIRED, Length(max=80)])
    neighbourhood = StringField(_l("Neighbourhood"), validators=[Optional(), Length(max=120)])
    tagline = StringField(_l("Tagline"), validators=[Optional(), Length(max=200)])
    story = TextAreaField(_l("Story"), validators=[Optional(), Length(max=4000)])
    commission_bp = LocalisedIntegerField(
        _l("Commission (basis points, 300 = 3%)"),
        default=300,
        validators=[
            REQUIRED,
            NumberRange(min=0, max=5000, message=_l("Enter a number from 0 to 5000.")),
        ],
    )
    manager_email = EmailField(
        _l("Manager's e-mail (an existing account)"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address."))],
    )
    is_verified = BooleanField(_l("Verified"))


class ApproveProducerForm(FlaskForm):
    certificate_verified = BooleanField(_l("The skills certificate was checked"))
