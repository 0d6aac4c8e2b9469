"""Plain data the exporters render: built by services/exports from the database, so the
exporters never see ORM rows and can be tested with hand-made values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ejournal_tui.domain.calendar import PERIOD_NAMES

PERIOD_LABELS = {code: ru for code, (ru, _en) in PERIOD_NAMES.items()}  # the printed forms are Russian
PERIOD_SHORT = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV", "H1": "I", "H2": "II"}


@dataclass(frozen=True)
class DocHead:
    """What every printed form of a class says about itself."""

    school: str
    class_name: str
    year_label: str  # "2026/2027"
    leader: str
    printed_at: datetime  # local time
    closed: bool = False
    closed_at: datetime | None = None  # local time the period was closed
    period_code: str = ""
    period_start: date | None = None
    period_end: date | None = None

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS.get(self.period_code, self.period_code)


@dataclass(frozen=True)
class MarkRow:
    no: int
    name: str
    cells: tuple[str, ...]  # one per lesson date of the sheet: "5", "5/4", "н", ""
    period_mark: str = ""
    left: bool = False  # no longer in the class at the period's end


@dataclass(frozen=True)
class LessonRow:
    date: date
    number: int
    topic: str
    homework: str
    teacher: str  # who held it
    substitute: str = ""  # "замена: Петров П. И. вместо Иванова А. П."


@dataclass(frozen=True)
class YearPlan:
    """A subject's programme at year end (DOMAIN.md, "Printed forms": lessons planned / held /
    lag), counted up to `as_of`."""

    as_of: date
    planned_year: int  # topics of the thematic plan (КТП) for the whole year
    planned: int  # of them due by `as_of`
    held: int  # lessons held by `as_of`
    lag: int  # planned - held, never negative


@dataclass(frozen=True)
class SubjectSheet:
    subject: str
    group: str
    teacher: str  # full name of the load's teacher
    hours_per_week: float
    dates: tuple[date, ...]
    rows: tuple[MarkRow, ...]
    lessons: tuple[LessonRow, ...]
    mark_column: str = "Итог"  # "I ч.", "Год"
    year_plan: YearPlan | None = None  # only on the register of the year's last period
    teacher_short: str = ""  # "Иванова А. П." for the signature line; derived from `teacher` if empty

    @property
    def title(self) -> str:
        return f"{self.subject} ({self.group})" if self.group else self.subject


@dataclass(frozen=True)
class MissedRow:
    no: int
    name: str
    per_month: tuple[tuple[int, int], ...]  # (lessons missed, of which ill) per month
    missed: int
    ill: int
    excused: int
    unexcused: int
    late: int
    joined: date | None = None  # came into the class during the period
    left: date | None = None  # last day in the class, when within the period


@dataclass(frozen=True)
class PupilInfo:
    no: int
    file_no: str
    name: str
    birth_date: date | None
    parents: str
    phone: str
    joined: date | None = None  # came into the class during the period
    left: date | None = None  # last day in the class, when within the period


@dataclass(frozen=True)
class RegisterDoc:
    head: DocHead
    sheets: tuple[SubjectSheet, ...]
    months: tuple[tuple[int, int], ...]  # (year, month) of the lessons-missed page
    missed: tuple[MissedRow, ...]
    pupils: tuple[PupilInfo, ...]
    graded: bool = True  # False: a grade without marks (безотметочное обучение), no mark columns
    deputy: str = ""  # full names of who certifies the paper copy besides the class leader
    director: str = ""
    change_log: tuple[int, str] | None = None  # a closed copy: the change log's head (seq, hash) when printed

    @property
    def missing_period_marks(self) -> int:
        """Period marks not yet given to pupils still in the class (a graded form only)."""
        if not self.graded:
            return 0
        return sum(1 for sheet in self.sheets for row in sheet.rows if not row.left and not row.period_mark)


@dataclass(frozen=True)
class SummarySubject:
    name: str
    columns: tuple[str, ...]  # "I", "II", "III", "IV", "Год", "Экз", "Итог"


@dataclass(frozen=True)
class SummaryRow:
    no: int
    name: str
    marks: tuple[tuple[str, ...], ...]  # per subject, one value per column
    missed: int
    ill: int
    decision: str = ""


@dataclass(frozen=True)
class SummaryDoc:
    head: DocHead
    subjects: tuple[SummarySubject, ...]
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class CardMark:
    date: date
    value: str
    kind: str  # short name of the kind of work: "к/р", "уст"


@dataclass(frozen=True)
class CardSubject:
    subject: str
    marks: tuple[CardMark, ...]
    average: float | None
    period_mark: str = ""


@dataclass(frozen=True)
class CardRemark:
    date: date
    subject: str
    text: str
    praise: bool


@dataclass(frozen=True)
class PupilCard:
    name: str
    subjects: tuple[CardSubject, ...]
    missed: int
    ill: int
    excused: int
    unexcused: int
    late: int
    remarks: tuple[CardRemark, ...] = ()


@dataclass(frozen=True)
class ReportCardsDoc:
    head: DocHead
    start: date
    end: date
    cards: tuple[PupilCard, ...]
    kinds_legend: tuple[tuple[str, str], ...] = ()  # (short, full name)
