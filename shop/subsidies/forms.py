"""The subsidy forms: a cooperative's application, the admin's decisions, and the rule."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from shop.forms import PriceField
from shop.i18n import digits, format_money
from shop.money import to_ascii_digits
from shop.subsidies.models import BrandingWork
from shop.subsidies.rules import MAX_COST

WORK_LABELS = {
    BrandingWork.LOGO: _l("Logo"),
    BrandingWork.PACKAGING: _l("Packaging"),
    BrandingWork.LABELS: _l("Labels"),
    BrandingWork.PHOTOGRAPHY: _l("Product photography"),
    BrandingWork.SHOP_PAGE: _l("Shop page"),
    BrandingWork.EXHIBITION_STAND: _l("Exhibition stand"),
    BrandingWork.OTHER: _l("Other branding work"),
}


def work_label(work) -> str:
    """What a kind of branding work is called, in the reader's language."""
    found = WORK_LABELS.get(work) or WORK_LABELS.get(_work(work))
    return str(found) if found is not None else str(work)


class AmountField(PriceField):
    """An amount typed in the display unit (toman for IRR), with its own message for text
    that is not one."""

    def __init__(self, label=None, validators=None, invalid=None, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(self.invalid)) from exc


def _work(value):
    if isinstance(value, BrandingWork) or value is None:
        return value
    try:
        return BrandingWork(value)
    except ValueError:
        return None


class ApplicationForm(FlaskForm):
    work = SelectField(
        _l("What the branding work is"),
        choices=[SelectChoice(work.value, label) for work, label in WORK_LABELS.items()],
        coerce=_work,
        validators=[InputRequired(message=_l("Choose what the branding work is."))],
    )
    description = TextAreaField(
        _l("What was made (optional)"),
        validators=[Length(max=2_000, message=_l("Write at most 2,000 characters."))],
    )
    supplier = StringField(
        _l("Supplier (who did the work)"),
        validators=[
            InputRequired(message=_l("Write who did the work (the supplier), as on the invoice.")),
            Length(max=160, message=_l("Write at most 160 characters.")),
        ],
    )
    cost = AmountField(
        _l("What it cost"),
        validators=[InputRequired(message=_l("Enter what the work cost."))],
        invalid=_l("Enter the cost as a number, like 12000000."),
    )
    invoices = MultipleFileField(_l("Invoices (PDF, JPEG or PNG, up to 5 files)"))

    def validate_work(self, field):
        if field.data is None:
            raise ValidationError(_l("Choose what the branding work is."))

    def validate_cost(self, field):
        if field.data is not None and not 0 < field.data <= MAX_COST:
            raise ValidationError(
                _(
                    "The cost must be more than zero and at most %(most)s.",
                    most=format_money(MAX_COST),
                )
            )


class ApproveForm(FlaskForm):
    amount = AmountField(
        _l("Amount to grant"),
        validators=[InputRequired(message=_l("Enter the amount to grant."))],
        invalid=_l("Enter the amount as a number, like 5000000."),
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is rejected"),
        validators=[
            InputRequired(message=_l("Write the reason, so the cooperative knows why.")),
            Length(max=1_000, message=_l("Write at most 1,000 characters.")),
        ],
    )


class ChangesForm(FlaskForm):
    note = TextAreaField(
        _l("What to change"),
        validators=[
            InputRequired(message=_l("Write what to change, so the cooperative knows what to do.")),
            Length(max=1_000, message=_l("Write at most 1,000 characters.")),
        ],
    )


_PERCENT = re.compile(r"(\d{1,3})(?:[.\u066b/](\d{1,2}))?")


class PercentField(StringField):
    """A rate typed as a percentage ("60", "62.5", "۶۰٪"); ``data`` is basis points."""

    def process_formdata(self, valuelist):
        raw = to_ascii_digits(valuelist[0] if valuelist else "").strip()
        raw = raw.replace("%", "").replace("\u066a", "").strip()
        self.data = None
        if not raw:
            return
        match = _PERCENT.fullmatch(raw)
        if match is None:
            raise ValueError(str(_l("Enter the rate as a percentage, like 60.")))
        whole, fraction = int(match.group(1)), (match.group(2) or "").ljust(2, "0")
        self.data = whole * 100 + int(fraction)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        whole, rest = divmod(int(self.data), 100)
        text = str(whole) + (f".{rest:02d}".rstrip("0") if rest else "")
        return digits(text)


class RulesForm(FlaskForm):
    rate = PercentField(
        _l("Share of the cost paid (percent)"),
        validators=[InputRequired(message=_l("Enter the rate."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    cap = AmountField(
        _l("Most granted to one cooperative in a Jalali year"),
        validators=[InputRequired(message=_l("Enter the yearly cap."))],
        invalid=_l("Enter the cap as a number, like 10000000."),
    )
