"""Forms of the programme's pages: the dashboard's period, a month's training figure, a file of
them, and granting or taking back the programme role."""

from __future__ import annotations

import jdatetime
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from shop.forms import LocalisedIntegerField
from shop.i18n import current_language
from shop.reports.forms import PERIOD_CHOICES, PeriodForm
from shop.reports.periods import Period
from shop.reports.services import MAX_TRAINED, YEARS

TRAINED_MESSAGE = _l("Write how many people were trained: a whole number from 0 to 100,000.")
YEAR_MESSAGE = _l("Write a Jalali year between 1300 and 1600, like 1405.")

_NAMED = dict(PERIOD_CHOICES)
#: The cooperative report's choices, with a chosen season and a chosen year besides.
IMPACT_PERIOD_CHOICES = [
    *(
        SelectChoice(key, _NAMED[key])
        for key in ("this_month", "last_month", "this_season", "this_year", "last_year", "month")
    ),
    SelectChoice("season", _l("A season")),
    SelectChoice("year", _l("A year")),
    SelectChoice("range", _NAMED["range"]),
]
SEASON_CHOICES = [
    SelectChoice("1", _l("Spring (Farvardin to Khordad)")),
    SelectChoice("2", _l("Summer (Tir to Shahrivar)")),
    SelectChoice("3", _l("Autumn (Mehr to Azar)")),
    SelectChoice("4", _l("Winter (Dey to Esfand)")),
]


class ImpactPeriodForm(PeriodForm):
    """The dashboard's period: read with ``period_from_args``, shown with this form."""

    period = SelectField(_l("Period"), choices=IMPACT_PERIOD_CHOICES, default="this_year")
    year = StringField(
        _l("Year"), description=_l("A Jalali year, e.g. 1405: for a season or a whole year.")
    )
    season = SelectField(_l("Season"), choices=SEASON_CHOICES, default="1")

    def fill(self, period: Period) -> None:
        super().fill(period)
        if not self.year.data:
            self.year.data = str(period.last.year)
        if not self.season.data or self.season.data == "None":
            self.season.data = str((period.last.month - 1) // 3 + 1)


def month_choices() -> list[SelectChoice]:
    """The Jalali months, by number, named in the current language."""
    names = jdatetime.date.j_months_fa if current_language() == "fa" else jdatetime.date.j_months_en
    return [SelectChoice(number, name) for number, name in enumerate(names, start=1)]


class TrainingForm(FlaskForm):
    """How many people one centre trained in one Jalali month."""

    centre_id = SelectField(
        _l("Centre"),
        coerce=int,
        validate_choice=True,
        validators=[InputRequired(message=_l("Choose a centre from the list."))],
    )
    year = LocalisedIntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=YEAR_MESSAGE),
            NumberRange(min=YEARS[0], max=YEARS[1], message=YEAR_MESSAGE),
        ],
    )
    month = SelectField(_l("Month"), coerce=int, validate_choice=True)
    trained = LocalisedIntegerField(
        _l("People trained"),
        validators=[
            InputRequired(message=TRAINED_MESSAGE),
            NumberRange(min=0, max=MAX_TRAINED, message=TRAINED_MESSAGE),
        ],
    )

    def __init__(self, centres, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.centre_id.choices = [SelectChoice(centre_id, name) for centre_id, name in centres]
        self.month.choices = month_choices()


class TrainingImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose the CSV file to import."))],
    )


class GrantForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of their account"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(message=_l("Enter the e-mail address of their account.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )


class RevokeForm(FlaskForm):
    user_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
