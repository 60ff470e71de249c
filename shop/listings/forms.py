"""The listing form a producer fills in, and the photo upload form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from shop.forms import LocalisedIntegerField, PriceField
from shop.listings.models import DescriptionFormat
from shop.web import MAX_ID


def _category_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class ListingForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Give the listing a title.")),
            Length(
                min=3,
                max=140,
                message=_l("Between %(min)d and %(max)d characters.", min=3, max=140),
            ),
        ],
    )
    category_id = SelectField(
        _l("Category"),
        coerce=_category_id,
        validate_choice=True,
    )
    description = TextAreaField(
        _l("Description"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("At most %(max)d characters.", max=5000)),
        ],
    )
    description_format = SelectField(
        _l("Description format"),
        choices=[
            SelectChoice(DescriptionFormat.PLAIN.value, _l("Plain text")),
            SelectChoice(DescriptionFormat.MARKDOWN.value, _l("Markdown (bold, lists, links)")),
        ],
        default=DescriptionFormat.PLAIN.value,
    )
    price = PriceField(_l("Price"), validators=[InputRequired(message=_l("Enter the price."))])
    is_made_to_order = BooleanField(_l("Made to order"))
    stock_quantity = LocalisedIntegerField(
        _l("How many are ready to send"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000, message=_l("Enter a number from 0 to 100,000.")),
        ],
    )
    lead_time_days = LocalisedIntegerField(
        _l("Days needed to make it"),
        validators=[
            Optional(),
            NumberRange(min=1, max=365, message=_l("Enter a number of days from 1 to 365.")),
        ],
    )
    materials = StringField(_l("Materials"), validators=[Optional(), Length(max=300)])
    dimensions = StringField(_l("Dimensions"), validators=[Optional(), Length(max=120)])
    weight_grams = LocalisedIntegerField(
        _l("Weight (grams)"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=1_000_000, message=_l("Enter a weight from 1 to 1,000,000 grams.")
            ),
        ],
    )
    photos = MultipleFileField(_l("Photos (up to 8)"))

    def validate_price(self, field):
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("The price must be more than zero."))

    #: Set by the view for a listing with options: its stock is set per variant instead.
    stock_per_variant = False

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() stops a field's own chain when it is empty, so the pair is checked here.
        if self.is_made_to_order.data and self.lead_time_days.data is None:
            self.lead_time_days.errors.append(_l("Say how many days it takes to make."))
            valid = False
        needs_stock = not (self.is_made_to_order.data or self.stock_per_variant)
        if needs_stock and self.stock_quantity.data is None:
            self.stock_quantity.errors.append(
                _l("Say how many are ready, or mark it as made to order.")
            )
            valid = False
        return valid


class OptionsForm(FlaskForm):
    """Up to two kinds of option and their values, e.g. Size: S, M, L and Colour: red, blue."""

    option1_name = StringField(_l("First kind of option"), validators=[Optional(), Length(max=40)])
    option1_values = StringField(_l("Its values"), validators=[Optional(), Length(max=600)])
    option2_name = StringField(_l("Second kind of option"), validators=[Optional(), Length(max=40)])
    option2_values = StringField(_l("Its values"), validators=[Optional(), Length(max=600)])


class VariantRowForm(Form):
    """One variant's stock and own price (empty: the listing's price)."""

    variant_id = HiddenField()
    stock_quantity = LocalisedIntegerField(
        _l("Ready to send"),
        validators=[
            InputRequired(message=_l("Enter a number from 0 to 100,000.")),
            NumberRange(min=0, max=100_000, message=_l("Enter a number from 0 to 100,000.")),
        ],
    )
    price = PriceField(_l("Own price"), validators=[Optional()])

    def validate_price(self, field):
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("The price must be more than zero."))


class VariantsForm(FlaskForm):
    rows = FieldList(FormField(VariantRowForm), max_entries=144)


class PhotosForm(FlaskForm):
    photos = MultipleFileField(_l("Add photos"))


class ReviewForm(FlaskForm):
    """An admin's decision on one revision: it names the revision and the version seen."""

    revision_id = HiddenField(validators=[InputRequired()])
    version = HiddenField(validators=[InputRequired()])

    def named_version(self) -> tuple[int, int] | None:
        """(revision id, version) as sent, or None when they are not whole numbers."""
        raw = (self.revision_id.data or "", self.version.data or "")
        if not all(v.isascii() and v.isdigit() and len(v) <= len(str(MAX_ID)) for v in raw):
            return None
        values = int(raw[0]), int(raw[1])
        return values if all(0 < v <= MAX_ID for v in values) else None


class RejectRevisionForm(ReviewForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            InputRequired(message=_l("Write the reason, so the person knows what to change.")),
            Length(max=500),
        ],
    )
