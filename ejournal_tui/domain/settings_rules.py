"""What each rule setting means and which values it may take (DOMAIN.md, "Settings and their
defaults"): a label and a line of explanation in both languages, and the allowed range. The
administration screen shows them; `services.admin.set_setting` refuses anything outside.

An idle lock of 0 minutes would never lock and −5 would lock every workstation seconds after
each unlock (issue 9): the ranges are what a school could sensibly choose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ejournal_tui.i18n import Phrase, register_many


@dataclass(frozen=True)
class SettingRule:
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    grades: bool = False  # a list of grades 1–11


RULES: dict[str, SettingRule] = {
    "average": SettingRule(choices=("weighted", "arithmetic")),
    "rounding_thresholds": SettingRule(low=2.0, high=5.0),
    "min_marks_one_hour": SettingRule(low=1, high=20),
    "min_marks_more_hours": SettingRule(low=1, high=40),
    "oral_deadline_days": SettingRule(low=0, high=14),
    "written_deadline_days_junior": SettingRule(low=0, high=21),
    "written_deadline_days_senior": SettingRule(low=0, high=21),
    "written_senior_from_grade": SettingRule(low=2, high=11),
    "no_mark_grades": SettingRule(grades=True),
    "quarters_up_to_grade": SettingRule(low=1, high=11),
    "homework_hours_after_last_lesson": SettingRule(low=0, high=24),
    "final_marks_days_after_period": SettingRule(low=0, high=30),
    "backdating_days": SettingRule(low=0, high=30),
    "idle_lock_minutes": SettingRule(low=1, high=60),
    "max_failed_logins": SettingRule(low=3, high=20),
    "lockout_minutes": SettingRule(low=1, high=1440),
    "min_password_length": SettingRule(low=8, high=64),
    "pdf_font": SettingRule(),
    "binding_margin_mm": SettingRule(low=10, high=40),
    "notify_attach_card": SettingRule(),  # true or false
}

register_many({
    "set.average": ("Средний балл", "Average"),
    "set.average.help": ("weighted — взвешенный по видам работ, arithmetic — среднее арифметическое",
                         "weighted by kind of work, or arithmetic"),
    "set.rounding_thresholds": ("Пороги округления", "Rounding thresholds"),
    "set.rounding_thresholds.help": ("средний балл от порога округляется вверх: три числа для 3, 4, 5 (2,5; 3,5; 4,5)",
                                     "an average from the threshold rounds up: three numbers for 3, 4, 5"),
    "set.min_marks_one_hour": ("Минимум отметок (1 ч в неделю)", "Minimum marks (1 h a week)"),
    "set.min_marks_one_hour.help": ("сколько отметок нужно за период по предмету с 1 часом в неделю",
                                    "marks needed in a period for a subject of 1 hour a week"),
    "set.min_marks_more_hours": ("Минимум отметок (2+ ч в неделю)", "Minimum marks (2+ h a week)"),
    "set.min_marks_more_hours.help": ("сколько отметок нужно за период при 2 и более часах в неделю",
                                      "marks needed in a period at 2 or more hours a week"),
    "set.oral_deadline_days": ("Срок: устные ответы, дней", "Deadline: oral answers, days"),
    "set.oral_deadline_days.help": ("за сколько дней после урока выставляется отметка за устный ответ",
                                    "days after the lesson to enter a mark for an oral answer"),
    "set.written_deadline_days_junior": ("Срок: письменные, младшие, дней", "Deadline: written, junior, days"),
    "set.written_deadline_days_junior.help": ("срок проверки письменных работ до «старших» классов",
                                              "days to mark written work below the senior grades"),
    "set.written_deadline_days_senior": ("Срок: письменные, старшие, дней", "Deadline: written, senior, days"),
    "set.written_deadline_days_senior.help": ("срок проверки письменных работ в старших классах",
                                              "days to mark written work in the senior grades"),
    "set.written_senior_from_grade": ("Старшие классы с", "Senior grades from"),
    "set.written_senior_from_grade.help": ("с какого класса действует срок для старших классов",
                                           "the grade from which the senior deadline applies"),
    "set.no_mark_grades": ("Классы без отметок", "Grades without marks"),
    "set.no_mark_grades.help": ("безотметочное обучение: номера классов через запятую (обычно 1)",
                                "grades taught without marks, comma-separated (usually 1)"),
    "set.quarters_up_to_grade": ("Четверти до класса", "Quarters up to grade"),
    "set.quarters_up_to_grade.help": ("до этого класса — четверти, в старших — полугодия",
                                      "quarters up to this grade, half-years above it"),
    "set.homework_hours_after_last_lesson": ("Домашнее задание: часов после уроков", "Homework: hours after lessons"),
    "set.homework_hours_after_last_lesson.help": ("до скольких часов после последнего урока класса вносится задание",
                                                  "hours after the class's last lesson to enter homework"),
    "set.final_marks_days_after_period": ("Итоговые отметки: дней после периода", "Final marks: days after the period"),
    "set.final_marks_days_after_period.help": ("срок выставления отметок за период после его окончания",
                                               "days after a period's end to enter its final marks"),
    "set.backdating_days": ("Запись задним числом: дней", "Backdating: days"),
    "set.backdating_days.help": ("записи об уроках старше этого требуют причины и помечаются",
                                 "entries for lessons older than this need a reason and are flagged"),
    "set.idle_lock_minutes": ("Блокировка при простое, минут", "Idle lock, minutes"),
    "set.idle_lock_minutes.help": ("рабочее место блокируется, если им не пользуются столько минут (1–60)",
                                   "the workstation locks after this many idle minutes (1–60)"),
    "set.max_failed_logins": ("Неудачных входов до блокировки", "Failed sign-ins before a lock"),
    "set.max_failed_logins.help": ("после стольких неверных паролей учётная запись блокируется",
                                   "the account is locked after this many wrong passwords"),
    "set.lockout_minutes": ("Блокировка учётной записи, минут", "Account lock, minutes"),
    "set.lockout_minutes.help": ("на сколько минут блокируется учётная запись", "how long an account stays locked"),
    "set.min_password_length": ("Минимальная длина пароля", "Minimum password length"),
    "set.min_password_length.help": ("не меньше 8 знаков", "at least 8 characters"),
    "set.pdf_font": ("Шрифт печатных форм", "Font of printed forms"),
    "set.pdf_font.help": ("файл шрифта TrueType; пусто — найти в системе", "a TrueType font file; empty: find one"),
    "set.binding_margin_mm": ("Поле для подшивки, мм", "Binding margin, mm"),
    "set.binding_margin_mm.help": ("левое поле печатных форм, чтобы сшить копию для архива (10–40 мм)",
                                   "the left margin of printed forms, to bind a copy for the archive (10–40 mm)"),
    "set.notify_attach_card": ("Табель в письме родителям", "Report card in parents' e-mail"),
    "set.notify_attach_card.help": ("true — прикладывать к письму родителям отчёт об успеваемости (PDF), false — нет",
                                    "true: parents' e-mail digests carry the report card as a PDF; false: they do not"),
    "set.out_of_range": ("«{label}»: {value} — вне допустимого ({low}–{high})",
                         "{label!r}: {value} is outside what is allowed ({low}–{high})"),
    "set.not_choice": ("«{label}»: «{value}» — допустимо {choices}", "{label!r}: {value!r} — use {choices}"),
    "set.thresholds": ("«{label}»: нужны три возрастающих числа от 2 до 5",
                       "{label!r}: three rising numbers from 2 to 5"),
})


def label(name: str) -> Phrase:
    return Phrase(f"set.{name}")


def explanation(name: str) -> Phrase:
    return Phrase(f"set.{name}.help")


def _show(number: float) -> str:
    return f"{number:g}"


def problem(name: str, value: Any) -> Phrase | None:
    """Why `value` cannot be the setting `name` (None when it can)."""
    rule = RULES.get(name, SettingRule())
    if rule.choices and value not in rule.choices:
        return Phrase("set.not_choice", label=label(name), value=value, choices=", ".join(rule.choices))
    if name == "rounding_thresholds":
        ok = len(value) == 3 and list(value) == sorted(value) and all(2 <= v <= 5 for v in value)
        return None if ok else Phrase("set.thresholds", label=label(name))
    if rule.grades:
        bad = [v for v in value if not 1 <= v <= 11]
        return Phrase("set.out_of_range", label=label(name), value=bad[0], low=1, high=11) if bad else None
    if rule.low is not None and isinstance(value, int | float) and not rule.low <= value <= (rule.high or value):
        return Phrase("set.out_of_range", label=label(name), value=_show(value), low=_show(rule.low),
                      high=_show(rule.high or value))
    return None
