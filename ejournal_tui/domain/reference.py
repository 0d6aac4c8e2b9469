"""A new school's reference data (DOMAIN.md, "The school's year: set-up and rollover"):
the kinds of work with their weights and deadline category, the absence reasons, the bell
schedule, and the rules for editing them. `school create` and the demo both start from these.

A kind of work is known by its code (stored with every mark), its name and its short name
(printed in narrow columns); the plan import and the CLI accept any of the three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORAL = "oral"
WRITTEN = "written"
CATEGORIES = (ORAL, WRITTEN)

# The four codes of the regulations (Instruction 5.2, class leader a): their names may be
# reworded by a school, the codes and what they count as may not.
REASON_CATEGORIES = {"Б": "ill", "У": "excused", "Н": "unexcused", "О": "late"}


@dataclass(frozen=True)
class KindOfWork:
    code: str
    name: str
    short: str
    weight: float
    category: str  # oral | written: which mark deadline applies


DEFAULT_KINDS: tuple[KindOfWork, ...] = (
    KindOfWork("oral", "Устный ответ", "уст", 1.0, ORAL),
    KindOfWork("written", "Письменная работа", "пис", 1.0, WRITTEN),
    KindOfWork("independent", "Самостоятельная работа", "с/р", 1.5, WRITTEN),
    KindOfWork("check", "Проверочная работа", "п/р", 1.5, WRITTEN),
    KindOfWork("dictation", "Диктант", "дикт", 1.5, WRITTEN),
    KindOfWork("essay", "Сочинение", "соч", 2.0, WRITTEN),
    KindOfWork("exposition", "Изложение", "изл", 1.5, WRITTEN),
    KindOfWork("test", "Тест", "тест", 1.5, WRITTEN),
    KindOfWork("practical", "Практическая работа", "пр", 1.5, WRITTEN),
    KindOfWork("lab", "Лабораторная работа", "лаб", 1.5, WRITTEN),
    KindOfWork("credit", "Зачёт", "зачёт", 2.0, WRITTEN),
    KindOfWork("project", "Проект", "проект", 1.5, WRITTEN),
    KindOfWork("homework", "Домашняя работа", "д/з", 1.0, ORAL),
    KindOfWork("control", "Контрольная работа", "к/р", 2.0, WRITTEN),
    KindOfWork("exam", "Экзамен", "экз", 2.0, WRITTEN),
)

DEFAULT_REASONS: tuple[tuple[str, str], ...] = (
    ("Б", "по болезни"), ("У", "по уважительной причине"), ("Н", "без уважительной причины"), ("О", "опоздание"),
)

DEFAULT_BELLS: tuple[tuple[str, str], ...] = (
    ("08:30", "09:10"), ("09:20", "10:00"), ("10:15", "10:55"), ("11:10", "11:50"),
    ("12:00", "12:40"), ("12:50", "13:30"), ("13:40", "14:20"), ("14:30", "15:10"),
)

MAX_WEIGHT = 10.0
CODE_LENGTH = 16  # the column holding a mark's kind of work
_CODE = re.compile(r"^[0-9A-Za-zА-Яа-яЁё_/.-]+$")


def kind_key(text: str) -> str:
    """How a kind is matched when typed or imported: case, ё/е, dots and spaces do not matter
    («Контрольная работа», «контрольная  работа», «К/Р» and «к/р» are the same)."""
    return " ".join((text or "").lower().replace("ё", "е").replace(".", " ").split())


def code_problem(code: str) -> str | None:
    """Why a kind's code cannot be used ("" → None when it can)."""
    if not code or len(code) > CODE_LENGTH:
        return "length"
    if not _CODE.match(code):
        return "chars"
    return None


def weight_ok(weight: float) -> bool:
    return 0 < weight <= MAX_WEIGHT


def bell_times_ok(bells: list[tuple[str, str]]) -> int | None:
    """The number (1-based) of the first lesson whose bell is out of order, else None: each
    lesson ends after it starts and starts after the previous one ends."""
    previous_end = ""
    for number, (start, end) in enumerate(bells, 1):
        if not start < end or start < previous_end:
            return number
        previous_end = end
    return None


def year_for_new_school(today_year: int, today_month: int) -> int:
    """The academic year a school created today starts in: from June on, the one that starts
    in September (the year ending now is not worth setting up); before June, the running one."""
    return today_year if today_month >= 6 else today_year - 1
