"""Every text the program writes fits its column, on both engines.

SQLite keeps a 500-character login in a VARCHAR(64) without a word; PostgreSQL refuses it,
with a DataError that showed the row (an Argon2 hash included) in a crash log. A school's
data then cannot move to a server: its backup passes `backup verify` and fails to restore
into PostgreSQL. So a value longer than its column is refused before anything is written,
with the field's name and the limit (`InvalidInput`), whichever engine is used.

The limits are the models' own (`max_length`, read from the tables' metadata); a column
without one is unlimited text and is left alone. `CheckedSession`, the unit of work's
session, checks every row it flushes, so every service, import and screen writing through
the ORM is covered at once; `check_values` serves the Core statements that bypass it
(`services/versioning.py`); `stored_problems` finds such values a database already holds.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, event, func, inspect, or_, select
from sqlmodel import Session, SQLModel

from ejournal_tui.data import models as m  # noqa: F401 - the tables must be in the metadata
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.domain.people import NAME_PART_MAX
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "len.too_long": ("{field} — не более {limit} символов, введено {length}",
                     "{field}: at most {limit} characters, {length} given"),
    "len.stored": ("{table}, запись {id}: {field} — {length} символов при пределе {limit}; в PostgreSQL "
                   "такие данные не восстановить: сократите значение и сделайте новую копию",
                   "{table}, row {id}: {field} has {length} characters where {limit} fit; such data cannot "
                   "be restored into PostgreSQL: shorten the value and make a new backup"),
})

# the field's name in a refusal: "table.column" first, then the column alone, else the column
_LABELS: dict[str, tuple[str, str]] = {
    "school.code": ("код школы", "school code"),
    "period.code": ("код периода", "period code"),
    "schoolclass.name": ("название класса", "class name"),
    "schoolclass.letter": ("буква класса", "class letter"),
    "belltime.start": ("начало урока", "lesson start"),
    "belltime.end": ("конец урока", "lesson end"),
    "workkind.code": ("код вида работы", "kind of work code"),
    "absencereason.code": ("код причины пропуска", "absence reason code"),
    "attendance.reason": ("причина пропуска", "absence reason"),
    "absencenote.reason": ("причина пропуска", "absence reason"),
    "mark.value": ("отметка", "mark"),
    "finalmark.value": ("итоговая отметка", "final mark"),
    "finalmark.kind": ("вид итоговой отметки", "kind of final mark"),
    "setting.key": ("название настройки", "setting name"),
    "papercopy.kind": ("вид копии", "kind of copy"),
    "parentcontact.name": ("имя родителя", "parent's name"),
    "email": ("адрес электронной почты", "e-mail address"),
    "phone": ("телефон", "phone"),
    "delivery.address": ("адреса доставки", "delivery addresses"),
    "message_id": ("идентификатор письма", "message id"),
    "error": ("ошибка доставки", "delivery error"),
    "created_by": ("кто отправил", "sent by"),
    "login": ("логин", "login"),
    "code": ("код", "code"),
    "name": ("название", "name"),
    "last_name": ("фамилия", "last name"),
    "first_name": ("имя", "first name"),
    "patronymic": ("отчество", "patronymic"),
    "topic": ("тема урока", "lesson topic"),
    "homework": ("домашнее задание", "homework"),
    "comment": ("комментарий", "comment"),
    "reason": ("причина", "reason"),
    "note": ("примечание", "note"),
    "file_name": ("имя файла", "file name"),
    "period_code": ("код периода", "period code"),
    "work_kind": ("вид работы", "kind of work"),
    "printed_by": ("кто напечатал", "printed by"),
    "sha256": ("контрольная сумма", "checksum"),
    "room": ("кабинет", "room"),
    "actor": ("автор изменения", "author of the change"),
}
register_many({f"len.field.{key}": words for key, words in _LABELS.items()})

# table -> {column: length} for every text column with a length
LIMITS: dict[str, dict[str, int]] = {
    table.name: found
    for table in SQLModel.metadata.sorted_tables
    if (found := {c.name: c.type.length for c in table.columns if isinstance(getattr(c.type, "length", None), int)})
}
# limits that are the program's rules, not the columns' (the names are unlimited text on both
# engines, so a backup never fails on them): a 100,000-character surname pasted by mistake is
# refused naming its row instead of being stored, or cut to a spreadsheet cell's 32,767 later
_RULES: dict[str, dict[str, int]] = {
    table: dict.fromkeys(("last_name", "first_name", "patronymic"), NAME_PART_MAX) for table in ("pupil", "staff")
}
_CHECKED: dict[str, dict[str, int]] = {t: {**LIMITS.get(t, {}), **_RULES.get(t, {})} for t in {*LIMITS, *_RULES}}
_BY_CLASS: dict[type, tuple[tuple[str, str, int], ...]] = {}


def field_label(table: str, column: str) -> Phrase | str:
    """The field's human name, translated when shown."""
    for key in (f"{table}.{column}", column):
        if key in _LABELS:
            return Phrase(f"len.field.{key}")
    return column


def problem(table: str, values: Mapping[str, object]) -> Phrase | None:
    """Why one of `values` (column -> value) does not fit its column of `table`, else None."""
    for column, limit in _CHECKED.get(table, {}).items():
        value = values.get(column)
        if isinstance(value, str) and len(value) > limit:
            return Phrase("len.too_long", field=field_label(table, column), limit=limit, length=len(value))
    return None


def check_values(table: str, values: Mapping[str, object]) -> None:
    """Refuse (`InvalidInput`) values that do not fit; for Core INSERT and UPDATE statements."""
    if (why := problem(table, values)) is not None:
        raise InvalidInput(what=why)


def _limited(cls: type) -> tuple[tuple[str, str, int], ...]:
    """(attribute, column, length) of a model's text columns with a length, found once."""
    found = _BY_CLASS.get(cls)
    if found is None:
        mapper = inspect(cls)
        limits = _CHECKED.get(mapper.local_table.name, {})
        found = tuple((prop.key, prop.columns[0].name, limits[prop.columns[0].name])
                      for prop in mapper.column_attrs if prop.columns[0].name in limits)
        _BY_CLASS[cls] = found
    return found


def row_problem(row: object, *, changed_only: bool = False) -> Phrase | None:
    """Why a model row does not fit its table (`changed_only`: judge only what was changed
    since it was loaded, so that an old over-long value does not block other changes)."""
    limited = _limited(type(row))
    if not limited:
        return None
    state = inspect(row)
    values = {}
    for key, column, _limit in limited:
        if changed_only:
            added = state.attrs[key].history.added
            if added:
                values[column] = added[0]
        else:
            values[column] = state.dict.get(key)
    return problem(state.mapper.local_table.name, values)


class CheckedSession(Session):
    """A session whose every flush refuses a text longer than its column (nothing is written)."""


@event.listens_for(CheckedSession, "before_flush")
def _refuse_overlong(session: Session, _context: object, _instances: object) -> None:
    for rows, changed_only in ((session.new, False), (session.dirty, True)):
        for row in rows:
            if (why := row_problem(row, changed_only=changed_only)) is not None:
                raise InvalidInput(what=why)


def stored_problems(engine: Engine) -> list[Phrase]:
    """Values a database already holds that are longer than their columns (one per table):
    written by SQLite before the check, they would stop a restore into PostgreSQL."""
    found: list[Phrase] = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            limits = LIMITS.get(table.name)
            if not limits or "id" not in table.c:
                continue
            cols = [table.c[name] for name in limits]
            row = conn.execute(select(table.c.id, *cols).where(
                or_(*(func.length(table.c[name]) > limit for name, limit in limits.items()))).limit(1)).first()
            if row is not None:
                column, value = next((c.name, v) for c, v in zip(cols, row[1:], strict=True)
                                     if isinstance(v, str) and len(v) > limits[c.name])
                found.append(Phrase("len.stored", table=table.name, id=row[0], field=field_label(table.name, column),
                                    length=len(value), limit=limits[column]))
    return found
