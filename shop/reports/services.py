"""What admins change for the impact figures: how many people each centre trained (one month
at a time, or a CSV file of many), and who holds the read-only programme role."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.accounts.models import Role, User
from shop.accounts.services import find_user_by_email, grant_role, revoke_role
from shop.audit.services import record
from shop.cooperatives.models import Centre
from shop.errors import DomainError, NotFound
from shop.extensions import db
from shop.i18n import digits
from shop.money import to_ascii_digits
from shop.reports.models import TrainingRecord
from shop.reports.periods import Month

#: The most people one centre can be said to have trained in a month.
MAX_TRAINED = 100_000
#: Jalali years a training figure can be for.
YEARS = (1300, 1600)
#: A training file's columns, in this order, named in its first row.
COLUMNS = ("centre_slug", "jalali_year", "jalali_month", "trained")
#: The most rows one file may carry (twelve months of many centres over many years).
MAX_ROWS = 10_000


class UnknownCentre(DomainError):
    field = "centre_id"
    message = _l("Choose a centre from the list.")


class BadMonth(DomainError):
    field = "year"
    message = _l("Choose a Jalali month between 1300 and 1600.")


class TrainedOutOfRange(DomainError):
    field = "trained"
    message = _l("Write how many people were trained: a whole number from 0 to 100,000.")


class BadTrainingFile(DomainError):
    """A training file that cannot be imported; the message names the row and the reason."""

    field = "file"
    message = _l("The file could not be read.")


class NoSuchAccount(DomainError):
    field = "email"
    message = _l("No account has that e-mail address. Ask the person to register first.")


class AlreadyProgramme(DomainError):
    field = "email"
    message = _l("That account already has access to the impact figures.")


@dataclass(frozen=True)
class TrainingFigure:
    centre_id: int
    month: Month
    trained: int


def _check_month(year: int, month: int) -> Month:
    if not (YEARS[0] <= year <= YEARS[1] and 1 <= month <= 12):
        raise BadMonth()
    return Month(year, month)


def _check_trained(trained: int) -> int:
    if not 0 <= trained <= MAX_TRAINED:
        raise TrainedOutOfRange()
    return trained


def _save(figures: list[TrainingFigure], actor) -> list[dict]:
    """Write ``figures`` over what was there; the changes as (centre, month, before, after)."""
    existing = {
        (found.centre_id, found.jalali_year, found.jalali_month): found
        for found in db.session.scalars(
            select(TrainingRecord).where(
                TrainingRecord.centre_id.in_({f.centre_id for f in figures})
            )
        )
    }
    changes = []
    for figure in figures:
        key = (figure.centre_id, figure.month.year, figure.month.month)
        found = existing.get(key)
        before = found.trained if found is not None else None
        if found is None:
            found = TrainingRecord(
                centre_id=figure.centre_id,
                jalali_year=figure.month.year,
                jalali_month=figure.month.month,
                trained=figure.trained,
            )
            db.session.add(found)
            existing[key] = found
        found.trained = figure.trained
        found.updated_by_id = getattr(actor, "id", None)
        changes.append(
            {
                "centre_id": figure.centre_id,
                "month": str(figure.month),
                "before": before,
                "after": figure.trained,
            }
        )
    db.session.flush()
    return changes


def set_training(centre_id: int, year: int, month: int, trained: int, actor) -> TrainingRecord:
    """Set how many people ``centre_id`` trained in Jalali ``year``/``month``; logged."""
    if db.session.get(Centre, centre_id) is None:
        raise UnknownCentre()
    figure = TrainingFigure(centre_id, _check_month(year, month), _check_trained(trained))
    [change] = _save([figure], actor)
    record(
        actor,
        "training.set",
        f"centre:{centre_id}",
        {"month": change["month"], "trained": change["before"]},
        {"month": change["month"], "trained": change["after"]},
    )
    return db.session.scalar(
        select(TrainingRecord).where(
            TrainingRecord.centre_id == centre_id,
            TrainingRecord.jalali_year == year,
            TrainingRecord.jalali_month == month,
        )
    )


class _Number:
    """A number in a message, written in the digits of the language it is read in."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return digits(self.value)


def _refuse(line: int, reason) -> BadTrainingFile:
    return BadTrainingFile(
        message=_l(
            "Row %(row)s: %(reason)s Nothing was imported.", row=_Number(line), reason=reason
        )
    )


def parse_whole_number(text: str) -> int | None:
    """``text`` as a whole number (Persian digits and grouping allowed); None if it is not."""
    cleaned = to_ascii_digits(text.strip()).replace(",", "").replace("٬", "")
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 9:
        return None
    return int(cleaned)


def parse_training_file(data: bytes) -> list[tuple[int, str, int, int, int]]:
    """The rows of a training CSV file: (row number, centre slug, year, month, trained).

    UTF-8, with or without a byte-order mark; a first row naming the columns ``COLUMNS``;
    Persian digits are read as digits. Raises ``BadTrainingFile`` at the first bad row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadTrainingFile(
            message=_l("Save the file as CSV in UTF-8, then try again.")
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header] != list(COLUMNS):
            raise _refuse(
                1, _l("The first row must name the columns %(columns)s.", columns=",".join(COLUMNS))
            )
        rows, seen = [], {}
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # a blank line
            if len(rows) >= MAX_ROWS:
                raise _refuse(
                    line, _l("A file may have at most %(rows)s rows.", rows=_Number(MAX_ROWS))
                )
            if len(values) != len(COLUMNS):
                raise _refuse(line, _l("It must have exactly four values."))
            slug = values[0].strip()
            year, month, trained = (parse_whole_number(value) for value in values[1:])
            if not slug:
                raise _refuse(line, _l("The centre is missing."))
            if (
                year is None
                or month is None
                or not (YEARS[0] <= year <= YEARS[1] and 1 <= month <= 12)
            ):
                raise _refuse(
                    line, _l("The year must be from 1300 to 1600 and the month from 1 to 12.")
                )
            if trained is None or trained > MAX_TRAINED:
                raise _refuse(
                    line, _l("The number trained must be a whole number from 0 to 100,000.")
                )
            key = (slug, year, month)
            if key in seen:
                raise _refuse(
                    line,
                    _l(
                        "The same centre and month are already on row %(row)s.",
                        row=_Number(seen[key]),
                    ),
                )
            seen[key] = line
            rows.append((line, slug, year, month, trained))
    except csv.Error as error:
        raise BadTrainingFile(message=_l("The file is not a CSV file that can be read.")) from error
    if not rows:
        raise BadTrainingFile(message=_l("The file has no rows of figures."))
    return rows


def import_training(data: bytes, actor) -> int:
    """Set every figure of a training CSV file (see ``parse_training_file``), or none of them;
    logged as one entry. Returns how many figures were set."""
    rows = parse_training_file(data)
    slugs = {slug for _, slug, _, _, _ in rows}
    centres = dict(
        db.session.execute(select(Centre.slug, Centre.id).where(Centre.slug.in_(slugs))).all()
    )
    figures = []
    for line, slug, year, month, trained in rows:
        if slug not in centres:
            raise _refuse(line, _l("No centre has the short name %(slug)s.", slug=slug))
        figures.append(TrainingFigure(centres[slug], Month(year, month), trained))
    changes = _save(figures, actor)
    record(actor, "training.import", "training", {}, {"rows": len(changes), "changes": changes})
    return len(changes)


def grant_programme(email: str, actor) -> User:
    """Give the existing account with ``email`` the read-only programme role; logged."""
    user = find_user_by_email(email or "")
    if user is None:
        raise NoSuchAccount()
    if user.has_role(Role.PROGRAMME):
        raise AlreadyProgramme()
    grant_role(user, Role.PROGRAMME)
    record(actor, "programme.grant", f"user:{user.id}", {"programme": False}, {"programme": True})
    db.session.flush()
    return user


def revoke_programme(user_id: int, actor) -> User:
    """Take the programme role from ``user_id``; logged. ``NotFound`` if they do not hold it."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.PROGRAMME):
        raise NotFound()
    revoke_role(user, Role.PROGRAMME)
    record(actor, "programme.revoke", f"user:{user.id}", {"programme": True}, {"programme": False})
    db.session.flush()
    return user
