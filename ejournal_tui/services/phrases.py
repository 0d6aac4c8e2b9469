"""Names of the things a refusal can be about ("lesson 7", "class '5А'"), in both languages.

Several services say "not found: pupil 12"; the nouns live here once so that every module's
`NotFound(what=noun("pupil", id=...))` reads the same. Messages that belong to one
use case stay in that service module, next to the code that raises them.
"""

from __future__ import annotations

from ejournal_tui.i18n import Phrase, register_many

register_many(
    {
        "what.academic_year": ("учебный год", "academic year"),
        "what.academic_year_of": ("учебный год {start}/{end}", "academic year {start}/{end}"),
        "what.account": ("учётная запись «{login}»", "account {login!r}"),
        "what.class": ("класс {id}", "class {id}"),
        "what.class_named": ("класс «{name}»", "class {name!r}"),
        "what.class_of_pupil": ("класс ученика {id} на {day}", "class of pupil {id} on {day}"),
        "what.group": ("группа {id}", "group {id}"),
        "what.holiday": ("каникулы {id}", "holiday {id}"),
        "what.lesson": ("урок {id}", "lesson {id}"),
        "what.period": ("период {code}", "period {code}"),
        "what.pupil": ("ученик {id}", "pupil {id}"),
        "what.pupil_named": ("ученик «{name}»", "pupil {name!r}"),
        "what.register": ("журнал {id}", "register {id}"),
        "what.subject": ("предмет {id}", "subject {id}"),
        "what.subject_named": ("предмет «{name}»", "subject {name!r}"),
        "what.teacher": ("учитель {id}", "teacher {id}"),
        "what.teacher_named": ("учитель «{login}»", "teacher {login!r}"),
        "what.load": ("учебная нагрузка {id}", "teaching load {id}"),
        "what.slot": ("урок расписания {id}", "timetable slot {id}"),
    }
)


def noun(kind: str, **params: object) -> Phrase:
    """The lazily translated name of one thing: `noun("lesson", id=7)` -> "урок 7" / "lesson 7"."""
    return Phrase(f"what.{kind}", **params)
