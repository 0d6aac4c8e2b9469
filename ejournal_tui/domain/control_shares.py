"""The percentages of the deputy director's control of how the register is kept (001 §3.5:
«процент участия в работе, процент обучающихся, не имеющих оценок, процент обучающихся,
имеющих одну оценку, запись домашнего задания, учёт пройденного учебного материала»).

Participation is the timetable's lessons that were recorded, of those due; homework and
material are the recorded lessons with homework and with a topic. «Процент участия родителей
и обучающихся» needs the parents' electronic diary, which this program does not have.

A share is the pupils counted against all the pupils the figure is about (of a teacher's
class and subject, of a teacher, of the school), in percent with one decimal, rounded half
up; with no pupils there is no share. The control report's spreadsheet and printed copy take
their percentages from here (`exporters.control_tables`).

Progress (успеваемость) and quality (качество) percentages of a class are not among the
rules: neither DOMAIN.md nor the regulations behind it define them, so nothing computes them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, one decimal, half up (1 of 3 -> 33.3, 1 of 8 -> 12.5);
    None when `whole` is 0."""
    if whole <= 0:
        return None
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(share)


def no_marks_percent(no_marks: int, pupils: int) -> float | None:
    """Pupils with no marks yet, of the pupils counted."""
    return percent(no_marks, pupils)


def one_mark_percent(one_mark: int, pupils: int) -> float | None:
    """Pupils with exactly one mark, of the pupils counted."""
    return percent(one_mark, pupils)


def participation_percent(scheduled: int, not_recorded: int) -> float | None:
    """Timetable lessons recorded in the register, of those due (процент участия в работе)."""
    return percent(max(scheduled - not_recorded, 0), scheduled)


def homework_percent(held: int, no_homework: int) -> float | None:
    """Recorded lessons with their homework written (запись домашнего задания)."""
    return percent(max(held - no_homework, 0), held)


def material_percent(held: int, no_topic: int) -> float | None:
    """Recorded lessons with the material covered written as a topic (учёт пройденного материала)."""
    return percent(max(held - no_topic, 0), held)
