"""Typed errors raised by the core; the CLI and the TUI translate them into messages.

Each error carries a translation key and its parameters so the message is rendered in the
user's language at the moment it is shown.
"""

from __future__ import annotations

from ejournal_tui.i18n import register_many, t

register_many(
    {
        "err.invalid_mark": (
            "Недопустимая отметка «{value}»: допустимы 2, 3, 4, 5, н/а, осв, зач",
            "Invalid mark '{value}': use 2, 3, 4, 5, н/а, осв or зач",
        ),
        "err.no_marks_grade": (
            "В {grade} классе отметки не ставятся (безотметочное обучение)",
            "Grade {grade} gets no marks (no-mark learning)",
        ),
        "err.year_past": (
            "Учебный год класса {klass} завершён: уроки, отметки и пропуски в нём больше не вводятся "
            "(итоговые отметки — до закрытия года)",
            "The academic year of class {klass} is over: it takes no more lessons, marks or absences "
            "(final marks until the year is closed)",
        ),
        "err.period_closed": (
            "Период {period} закрыт для класса {klass}: изменения только после переоткрытия",
            "Period {period} is closed for class {klass}: reopen it to make changes",
        ),
        "err.not_allowed": ("Нет прав: {what}", "Not allowed: {what}"),
        "err.not_found": ("Не найдено: {what}", "Not found: {what}"),
        "err.not_in_class": (
            "{pupil} не числится в классе {klass} на {date}",
            "{pupil} is not in class {klass} on {date}",
        ),
        "err.reason_required": (
            "Запись задним числом ({days} дн. после урока {date}): укажите причину",
            "Late entry ({days} days after the lesson of {date}): a reason is required",
        ),
        "err.conflict": (
            "Запись уже изменена на другом рабочем месте ({what}); обновите экран и повторите",
            "This entry was changed at another workstation ({what}); refresh and try again",
        ),
        "err.invalid": ("Неверные данные: {what}", "Invalid input: {what}"),
        "err.auth": ("Неверный логин или пароль", "Wrong login or password"),
        "err.locked": (
            "Учётная запись заблокирована до {until} после неудачных попыток входа",
            "The account is locked until {until} after failed logins",
        ),
        "err.disabled": ("Учётная запись отключена", "The account is disabled"),
        "err.schema_newer": (
            "База данных новее программы (версия схемы {rev}): обновите ejournal",
            "The database is newer than this program (schema {rev}): upgrade ejournal",
        ),
        "err.schema_old": (
            "Схема базы данных устарела: выполните «ejournal db upgrade»",
            "The database schema is out of date: run 'ejournal db upgrade'",
        ),
        "err.db_unreachable": (
            "База данных недоступна: {detail}",
            "The database cannot be reached: {detail}",
        ),
        "err.wrong_band": (
            "Период {period} не подходит для {klass}: используйте {valid}",
            "Period {period} does not apply to {klass}: use {valid}",
        ),
    }
)


class EjournalError(Exception):
    """Base of every foreseeable error; `str()` is a message a teacher can act on."""

    key = "err.invalid"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


class InvalidMark(EjournalError):
    key = "err.invalid_mark"


class MarksNotAllowed(EjournalError):
    key = "err.no_marks_grade"


class PeriodClosed(EjournalError):
    key = "err.period_closed"


class YearPast(EjournalError):
    key = "err.year_past"


class NotAllowed(EjournalError):
    key = "err.not_allowed"


class NotFound(EjournalError):
    key = "err.not_found"


class NotInClass(EjournalError):
    key = "err.not_in_class"


class ReasonRequired(EjournalError):
    key = "err.reason_required"


class Conflict(EjournalError):
    key = "err.conflict"


class InvalidInput(EjournalError):
    key = "err.invalid"


class AuthFailed(EjournalError):
    key = "err.auth"


class AccountLocked(EjournalError):
    key = "err.locked"


class AccountDisabled(EjournalError):
    key = "err.disabled"


class SchemaError(EjournalError):
    key = "err.schema_old"


class DatabaseUnavailable(EjournalError):
    key = "err.db_unreachable"


class WrongBand(EjournalError):
    key = "err.wrong_band"
