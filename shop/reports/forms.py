"""The period picker of the report pages: a GET form, so a report is a link one can share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from shop.reports.periods import Month, Period, format_jalali

#: What the picker offers, in its order (``shop.reports.periods.period_from_args`` reads them).
PERIOD_CHOICES = (
    ("this_month", _l("This month")),
    ("last_month", _l("Last month")),
    ("this_season", _l("This season")),
    ("this_year", _l("This year")),
    ("last_year", _l("Last year")),
    ("month", _l("A month")),
    ("range", _l("From one date to another")),
)
#: The query string's names the picker (and so a report's links) carries.
PERIOD_ARGS = ("period", "month", "year", "season", "from", "to")


class PeriodForm(FlaskForm):
    """The period a report covers. Read the period itself with ``period_from_args`` (which
    raises ``InvalidPeriod``); this form shows the choice and where it went wrong."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    period = SelectField(
        _l("Period"),
        choices=[SelectChoice(value, label) for value, label in PERIOD_CHOICES],
        default="this_month",
    )
    month = StringField(
        _l("Month"), description=_l("Year and month in the Jalali calendar, e.g. 1405-07.")
    )
    start = StringField(_l("From"), name="from", description=_l("A Jalali date, e.g. 1405/07/01."))
    end = StringField(_l("To"), name="to", description=_l("A Jalali date, e.g. 1405/07/30."))

    def fill(self, period: Period) -> None:
        """Put ``period``'s month and days in the fields left empty, so that choosing "a
        month" or "from one date to another" starts from the period shown."""
        if not self.month.data:
            self.month.data = str(Month(period.last.year, period.last.month))
        if not self.start.data:
            self.start.data = format_jalali(period.first)
        if not self.end.data:
            self.end.data = format_jalali(period.last)


def period_query(args) -> dict[str, str]:
    """The period's part of a query string, for links to the same report (its exports)."""
    return {name: args[name] for name in PERIOD_ARGS if args.get(name)}
