"""The checkout form: where to deliver, how to pay, and what was reviewed."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

REQUIRED = _l("This field is required.")


class CheckoutForm(FlaskForm):
    recipient = StringField(
        _l("Recipient's name"), validators=[InputRequired(message=REQUIRED), Length(max=120)]
    )
    mobile = StringField(
        _l("Mobile number"), validators=[InputRequired(message=REQUIRED), Length(max=20)]
    )
    province = SelectField(_l("Province"), validators=[InputRequired(message=REQUIRED)])
    city = StringField(_l("City"), validators=[InputRequired(message=REQUIRED), Length(max=80)])
    street_address = TextAreaField(
        _l("Street address"), validators=[InputRequired(message=REQUIRED), Length(max=300)]
    )
    postal_code = StringField(
        _l("Postal code"), validators=[InputRequired(message=REQUIRED), Length(max=20)]
    )
    save_address = BooleanField(_l("Keep this address in my address book"), default=True)
    payment_method = RadioField(_l("Payment"), default="cash")
    #: The cart as shown on this page (``shop.cart.services.fingerprint``).
    reviewed = HiddenField()
    #: One order per checkout, however many times it is sent.
    key = HiddenField()


class ShipForm(FlaskForm):
    carrier = StringField(_l("Carrier"), validators=[Length(max=80)])
    tracking_code = StringField(_l("Tracking code"), validators=[Length(max=80)])


class DeliverForm(FlaskForm):
    cash_received = BooleanField(_l("I received the cash for this parcel"))


class ReturnForm(FlaskForm):
    """A buyer's return: how many of each line (``return-<line id>``, read by the view), why,
    and photos."""

    reason = TextAreaField(
        _l("What is wrong"),
        validators=[
            InputRequired(message=_l("Write what is wrong, so the maker can answer.")),
            Length(max=1000),
        ],
    )
    photos = MultipleFileField(_l("Photos (up to 4)"))
