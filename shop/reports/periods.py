"""Report periods in the Jalali calendar: a month, a season, a year, or any range of days,
with the instants (UTC) where they start and end in the shop's time zone.

Reports group by Jalali month in SQL without any calendar function of the database's own: the
months' first instants are computed here and the query sorts each timestamp into its month with
one ``CASE`` over them (``month_index``), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, literal

from shop.errors import DomainError
from shop.money import to_ascii_digits

#: The longest range a report covers.
MAX_YEARS = 5
#: Seasons of the Jalali year: spring is Farvardin–Khordad, and so on.
SEASONS = (1, 2, 3, 4)


class InvalidPeriod(DomainError):
    field = "period"
    message = _l("Choose a period from the list, or give a start and an end date.")


class BadDate(InvalidPeriod):
    message = _l("Write the date as year/month/day in the Jalali calendar, e.g. 1405/07/15.")


class EndsBeforeStart(InvalidPeriod):
    message = _l("The period ends before it starts.")


class TooLong(InvalidPeriod):
    message = _l("A report can cover at most five years.")


@dataclass(frozen=True)
class Month:
    """A Jalali month: (1405, 1) is Farvardin 1405."""

    year: int
    month: int

    @property
    def index(self) -> int:
        """Months counted from year 0, so that stepping over Nowruz is plain arithmetic."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        year, month = divmod(index, 12)
        return cls(year, month + 1)

    @property
    def first_day(self) -> jdatetime.date:
        return jdatetime.date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month.from_index(self.index + 1)

    @property
    def last_day(self) -> jdatetime.date:
        return self.next().first_day - timedelta(days=1)

    @property
    def season(self) -> int:
        return (self.month - 1) // 3 + 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Period:
    """The days from ``first`` to ``last`` (both Jalali dates, both included)."""

    first: jdatetime.date
    last: jdatetime.date
    #: How it was chosen: "month", "season", "year" or "range" (for labels and links).
    kind: str = "range"
    zone: str = "Asia/Tehran"

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise EndsBeforeStart()
        limit = jdatetime.date(self.first.year + MAX_YEARS, self.first.month, 1) + timedelta(
            days=self.first.day - 1
        )
        if self.last >= limit:  # five years from Mehr 3rd end on the Mehr 2nd five years on
            raise TooLong()

    # Constructors -------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int, zone: str = "Asia/Tehran") -> Period:
        chosen = _month(year, month)
        return cls(chosen.first_day, chosen.last_day, "month", zone)

    @classmethod
    def season(cls, year: int, season: int, zone: str = "Asia/Tehran") -> Period:
        if season not in SEASONS:
            raise InvalidPeriod()
        first = _month(year, (season - 1) * 3 + 1)
        return cls(first.first_day, Month.from_index(first.index + 2).last_day, "season", zone)

    @classmethod
    def year(cls, year: int, zone: str = "Asia/Tehran") -> Period:
        return cls(_month(year, 1).first_day, _month(year, 12).last_day, "year", zone)

    @classmethod
    def months_back(cls, months: int, now: datetime, zone: str = "Asia/Tehran") -> Period:
        """The last ``months`` Jalali months up to and including ``now``'s."""
        newest = month_of(now, zone)
        oldest = Month.from_index(newest.index - months + 1)
        return cls(oldest.first_day, newest.last_day, "range", zone)

    # What it covers -----------------------------------------------------------------------

    @property
    def starts_at(self) -> datetime:
        """The first instant of the first day, in UTC."""
        return _start_of(self.first, self.zone)

    @property
    def ends_at(self) -> datetime:
        """The first instant after the last day, in UTC (excluded)."""
        return _start_of(self.last + timedelta(days=1), self.zone)

    @property
    def months(self) -> list[Month]:
        """Every Jalali month the period touches, oldest first."""
        first = Month(self.first.year, self.first.month)
        last = Month(self.last.year, self.last.month)
        return [Month.from_index(i) for i in range(first.index, last.index + 1)]

    def month_starts(self) -> list[datetime]:
        """Where each month of ``months`` begins inside the period (the first at the period's
        own start), in UTC."""
        starts = [self.starts_at]
        for month in self.months[1:]:
            starts.append(_start_of(month.first_day, self.zone))
        return starts

    def contains(self, moment: datetime) -> bool:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return self.starts_at <= moment < self.ends_at

    def previous(self) -> Period:
        """The period of the same length just before this one (a month for a month)."""
        if self.kind in ("month", "season", "year"):
            span = {"month": 1, "season": 3, "year": 12}[self.kind]
            first = Month.from_index(Month(self.first.year, self.first.month).index - span)
            last = Month.from_index(first.index + span - 1)
            return Period(first.first_day, last.last_day, self.kind, self.zone)
        days = (self.last.togregorian() - self.first.togregorian()).days + 1
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=days - 1), last, "range", self.zone)

    @property
    def key(self) -> str:
        """A short name for file names: ``1405-07``, ``1405-S2``, ``1405``, or the two days."""
        if self.kind == "month":
            return f"{self.first.year:04d}-{self.first.month:02d}"
        if self.kind == "season":
            return f"{self.first.year:04d}-S{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year:04d}"
        return f"{format_jalali(self.first, '-')}_{format_jalali(self.last, '-')}"


def _month(year: int, month: int) -> Month:
    if not (1 <= month <= 12 and 1300 <= year <= 1600):
        raise InvalidPeriod()
    return Month(year, month)


def _start_of(day: jdatetime.date, zone: str) -> datetime:
    local = datetime.combine(day.togregorian(), time(0, 0), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def month_of(moment: datetime, zone: str = "Asia/Tehran") -> Month:
    """The Jalali month ``moment`` falls in, in ``zone``."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone)).date()
    jalali = jdatetime.date.fromgregorian(date=local)
    return Month(jalali.year, jalali.month)


def jalali_year_of(moment: datetime, zone: str = "Asia/Tehran") -> int:
    return month_of(moment, zone).year


def format_jalali(day: jdatetime.date, separator: str = "/") -> str:
    return f"{day.year:04d}{separator}{day.month:02d}{separator}{day.day:02d}"


def parse_jalali(text: str | None) -> jdatetime.date:
    """``1405/07/15`` (or with Persian digits, or dashes) as a Jalali date; ``BadDate`` else."""
    cleaned = to_ascii_digits((text or "").strip()).replace("-", "/").replace(".", "/")
    parts = cleaned.split("/")
    if len(parts) != 3 or not all(part.isdigit() and len(part) <= 4 for part in parts):
        raise BadDate()
    year, month, day = (int(part) for part in parts)
    if not 1300 <= year <= 1600:
        raise BadDate()
    try:
        return jdatetime.date(year, month, day)
    except ValueError as error:
        raise BadDate() from error


def _whole_number(text: str | None) -> int:
    cleaned = to_ascii_digits((text or "").strip())
    if not cleaned.isdigit() or len(cleaned) > 4:
        raise InvalidPeriod()
    return int(cleaned)


#: What the period picker offers.
CHOICES = (
    "this_month",
    "last_month",
    "this_season",
    "this_year",
    "last_year",
    "month",
    "season",
    "year",
    "range",
)


def period_from_args(args, now: datetime, zone: str = "Asia/Tehran", default="this_month"):
    """The period a report's query string asks for.

    ``period`` is one of ``CHOICES``: the named ones need nothing else; ``month`` reads
    ``month`` (``1405-07``), ``season`` reads ``year`` and ``season``, ``year`` reads ``year``,
    and ``range`` reads ``from`` and ``to`` (Jalali dates). Raises ``InvalidPeriod``.
    """
    choice = (args.get("period") or default).strip()
    current = month_of(now, zone)
    if choice == "this_month":
        return Period.month(current.year, current.month, zone)
    if choice == "last_month":
        last = Month.from_index(current.index - 1)
        return Period.month(last.year, last.month, zone)
    if choice == "this_season":
        return Period.season(current.year, current.season, zone)
    if choice == "this_year":
        return Period.year(current.year, zone)
    if choice == "last_year":
        return Period.year(current.year - 1, zone)
    if choice == "month":
        text = to_ascii_digits((args.get("month") or "").strip()).replace("/", "-")
        year, _, month = text.partition("-")
        return Period.month(_whole_number(year), _whole_number(month), zone)
    if choice == "season":
        return Period.season(
            _whole_number(args.get("year")), _whole_number(args.get("season")), zone
        )
    if choice == "year":
        return Period.year(_whole_number(args.get("year")), zone)
    if choice == "range":
        return Period(parse_jalali(args.get("from")), parse_jalali(args.get("to")), "range", zone)
    raise InvalidPeriod()


def month_index(column, period: Period):
    """SQL: the position (0, 1, …) in ``period.months`` of the month ``column``'s timestamp
    falls in. Rows outside the period must be filtered out by the query itself."""
    starts = period.month_starts()
    if len(starts) == 1:
        return literal(0)
    # Newest first: the first start the timestamp is at or after is its month.
    return case(
        *[(column >= start, index) for index, start in reversed(list(enumerate(starts)))][:-1],
        else_=0,
    )


def today(zone: str = "Asia/Tehran", now: datetime | None = None) -> jdatetime.date:
    moment = now or datetime.now(UTC)
    return jdatetime.date.fromgregorian(date=moment.astimezone(ZoneInfo(zone)).date())


def gregorian(day: jdatetime.date) -> date:
    return day.togregorian()
