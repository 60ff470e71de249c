from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from shop.forms import hex_colour
from shop.text import contrast_ratio

NAME_RULES = [
    InputRequired(message=_l("This field is required.")),
    Length(min=2, max=120, message=_l("Between %(min)d and %(max)d characters.", min=2, max=120)),
]


def _optional_id(value):
    if value in (None, "", "None", "0", 0):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # an id that matches no choice, so the field reports it


class ApplyForm(FlaskForm):
    shop_name = StringField(_l("Shop name"), validators=NAME_RULES)
    city = StringField(_l("City"), validators=[*NAME_RULES[:1], Length(max=80)])
    neighbourhood = StringField(_l("Neighbourhood"), validators=[Optional(), Length(max=120)])
    centre_id = SelectField(_l("Training centre"), coerce=_optional_id, validate_choice=True)
    cooperative_id = SelectField(
        _l("Cooperative (optional)"), coerce=_optional_id, validate_choice=True
    )
    certificate = FileField(_l("Skills certificate (optional photo)"))


class BrandForm(FlaskForm):
    shop_name = StringField(_l("Shop name"), validators=NAME_RULES)
    tagline = StringField(_l("Tagline"), validators=[Optional(), Length(max=200)])
    story = TextAreaField(_l("Your story"), validators=[Optional(), Length(max=4000)])
    color_primary = StringField(_l("Main colour"), validators=[hex_colour])
    color_secondary = StringField(_l("Second colour"), validators=[hex_colour])
    logo = FileField(_l("Logo"))
    banner = FileField(_l("Banner"))

    def validate_color_primary(self, field):
        if field.data and len(field.data) == 7 and field.data.startswith("#"):
            try:
                ratio = contrast_ratio(field.data, "#ffffff")
            except ValueError:
                return
            if ratio < 3:
                raise ValidationError(
                    _l("This colour is too light for white writing on it; choose a darker one.")
                )


class JoinCooperativeForm(FlaskForm):
    cooperative_id = SelectField(_l("Cooperative"), coerce=_optional_id, validate_choice=True)
