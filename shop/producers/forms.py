import math

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from shop.forms import hex_colour
from shop.i18n import digits, is_persian
from shop.text import MIN_TEXT_CONTRAST, brand_contrasts

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


def colours_readable(form, messages: dict) -> bool:
    """Whether every text a brand page draws on the form's two colours (``color_primary``,
    ``color_secondary``) can be read; if not, the field to change gets ``messages``' words
    for it (a name of ``BRAND_TEXT_PAIRS`` → (field, message))."""
    if form.color_primary.errors or form.color_secondary.errors:
        return False
    readable = True
    contrasts = brand_contrasts(form.color_primary.data, form.color_secondary.data)
    for name, ratio in contrasts.items():
        if ratio < MIN_TEXT_CONTRAST:
            field, message = messages[name]
            getattr(form, field).errors.append(
                message % {"ratio": _ratio_text(ratio), "least": _ratio_text(MIN_TEXT_CONTRAST)}
            )
            readable = False
    return readable


class BrandForm(FlaskForm):
    shop_name = StringField(_l("Shop name"), validators=NAME_RULES)
    tagline = StringField(_l("Tagline"), validators=[Optional(), Length(max=200)])
    story = TextAreaField(_l("Your story"), validators=[Optional(), Length(max=4000)])
    color_primary = StringField(_l("Main colour"), validators=[hex_colour])
    color_secondary = StringField(_l("Second colour"), validators=[hex_colour])
    logo = FileField(_l("Logo"))
    banner = FileField(_l("Banner"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return colours_readable(self, _CONTRAST_MESSAGES) and valid


#: For each of ``BRAND_TEXT_PAIRS``: the field that gets the message, and the message, which
#: says what is written on what and which colour to change.
_CONTRAST_MESSAGES = {
    "name": (
        "color_primary",
        _l(
            "The shop name is written in white on the main colour, and they contrast only "
            "%(ratio)s:1 (at least %(least)s:1 is needed). Choose a darker main colour."
        ),
    ),
    "tagline": (
        "color_secondary",
        _l(
            "The tagline is written in the second colour on the main colour, and they contrast "
            "only %(ratio)s:1 (at least %(least)s:1 is needed). Choose a lighter second colour "
            "(or a darker main colour)."
        ),
    ),
    "badge": (
        "color_secondary",
        _l(
            "Labels are written in dark ink on the second colour, and they contrast only "
            "%(ratio)s:1 (at least %(least)s:1 is needed). Choose a lighter second colour."
        ),
    ),
}


def _ratio_text(ratio: float) -> str:
    """``4.49`` for 4.4999 (never rounded up to a figure that would pass), in local digits."""
    text = f"{math.floor(ratio * 100) / 100:.2f}".rstrip("0").rstrip(".")
    return digits(text.replace(".", "٫") if is_persian() else text)


class JoinCooperativeForm(FlaskForm):
    cooperative_id = SelectField(_l("Cooperative"), coerce=_optional_id, validate_choice=True)
