"""Form pieces shared by several features."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from shop.errors import DomainError
from shop.i18n import digits
from shop.money import InvalidAmount, amount_to_display_text, get_currency, to_ascii_digits
from shop.money import parse_amount as parse_money
from shop.text import HEX_COLOUR


class PriceField(StringField):
    """A price typed in the display unit (toman for IRR); ``data`` is integer minor units."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        if valuelist:
            # InputRequired looks at the raw input: only spaces must count as nothing typed.
            self.raw_data = [self.raw, *valuelist[1:]]
        self.data = None
        if not self.raw:
            return
        currency = get_currency(current_app.config["SHOP_CURRENCY"])
        try:
            self.data = parse_money(self.raw, currency)
        except InvalidAmount as exc:
            self.data = None
            raise ValueError(str(_l("Enter the price as a number, like 120000."))) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        currency = get_currency(current_app.config["SHOP_CURRENCY"])
        return digits(amount_to_display_text(self.data, currency))


class LocalisedIntegerField(StringField):
    """A whole number typed with Persian, Arabic-Indic or ASCII digits."""

    def process_formdata(self, valuelist):
        raw = (
            to_ascii_digits(valuelist[0]).strip().replace(",", "").replace("٬", "")
            if valuelist
            else ""
        )
        self.data = None
        if raw == "":
            return
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
            raise ValueError(str(_l("Enter a whole number.")))
        self.data = int(raw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else digits(self.data)


def hex_colour(form, field) -> None:
    if not field.data or not HEX_COLOUR.match(field.data):
        raise ValidationError(_l("Choose a colour written like #7a3e2b."))


class ActionForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


class ReasonForm(FlaskForm):
    """A refusal with the reason the person is told."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            InputRequired(message=_l("Write the reason, so the person knows what to change.")),
            Length(max=500),
        ],
    )


def show_error(form: FlaskForm, error: DomainError, default_field: str | None = None) -> None:
    """Put a service's refusal on the form: under its field, else at the top of the form."""
    name = error.field or default_field
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))
