"""Forms of a cooperative's managers: its brand page, and removing a member."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from shop.cooperatives.services import REASON_MAX_LENGTH
from shop.forms import hex_colour
from shop.producers.forms import colours_readable

#: The same limits as a producer's brand (shop.producers.forms.BrandForm).
TAGLINE_MAX_LENGTH = 200
STORY_MAX_LENGTH = 4000


class CooperativeBrandForm(FlaskForm):
    """A producer's brand form without the name (admins rename a cooperative), with the same
    checks: colours written #rrggbb that every text drawn on them can be read against."""

    tagline = StringField(
        _l("Tagline"),
        validators=[
            Optional(),
            Length(
                max=TAGLINE_MAX_LENGTH,
                message=_l("At most %(max)d characters.", max=TAGLINE_MAX_LENGTH),
            ),
        ],
    )
    story = TextAreaField(
        _l("The cooperative's story"),
        validators=[
            Optional(),
            Length(
                max=STORY_MAX_LENGTH,
                message=_l("At most %(max)d characters.", max=STORY_MAX_LENGTH),
            ),
        ],
    )
    color_primary = StringField(_l("Main colour"), validators=[hex_colour])
    color_secondary = StringField(_l("Second colour"), validators=[hex_colour])
    logo = FileField(_l("Logo"))
    banner = FileField(_l("Banner"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return colours_readable(self, _CONTRAST_MESSAGES) and valid


#: For each of ``shop.text.BRAND_TEXT_PAIRS``, as the cooperative's page draws it: the field
#: that gets the message, and the message, which says what is written on what and what to change.
_CONTRAST_MESSAGES = {
    "name": (
        "color_primary",
        _l(
            "The cooperative's name is written in white on the main colour, and they contrast "
            "only %(ratio)s:1 (at least %(least)s:1 is needed). Choose a darker main colour."
        ),
    ),
    "tagline": (
        "color_secondary",
        _l(
            "The cooperative's city is written in the second colour on the main colour, and "
            "they contrast only %(ratio)s:1 (at least %(least)s:1 is needed). Choose a lighter "
            "second colour (or a darker main colour)."
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


class RemoveMemberForm(FlaskForm):
    """Removing a member producer, with the reason they are told (optional)."""

    reason = TextAreaField(
        _l("Reason (optional, sent to the producer)"),
        validators=[
            Optional(),
            Length(
                max=REASON_MAX_LENGTH,
                message=_l("At most %(max)d characters.", max=REASON_MAX_LENGTH),
            ),
        ],
    )
