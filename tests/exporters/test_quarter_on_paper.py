"""Nothing is lost on paper: the small demo school's first period (Q1; H1 for grades 10–11),
printed for every class with `ejournal export register` and read back with pypdf, holds
every lesson's topic and homework in full, every pupil's full name and parents, and on every
subject sheet, for every pupil, each mark and each «н» / «оп» the database holds for the
period, in the column of its lesson; the period marks too.

The demo has on purpose what is hard to print: topics and homework of several lines, pupils
with double-barrelled surnames, «оп» with two marks in one cell; a test below makes sure it
still does, so that this comparison keeps seeing them.

Rows are rebuilt from each text piece's position (pypdf's visitor): the painter draws a table
row by row, so a row begins at its number (or date) in the first column, and a piece belongs
to the column its left edge is in. Text is compared without whitespace, as a cell wraps it
onto several lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.settings import RuleSettings
from ejournal_tui.exporters.pdfbase import PAD, RIGHT_MM, scaled
from ejournal_tui.exporters.register_pdf import DATE_W, LESSON_COLS, NAME_W, NO_W
from tests.acceptance.runner import Calendar, cli
from tests.signin import person_env

AS_OF = date(2026, 11, 20)
MM = 72 / 25.4  # points per mm
TOKEN = re.compile(r"н/а|осв|зач|оп|н|[2-5]")  # what a cell of the marks grid may hold
DAY = re.compile(r"\d\d\.\d\d\.\d{4}")
STAY = re.compile(r"\((выб|приб)\.\d\d\.\d\d\)$")  # "(выб. 15.10)" after a name, spaces removed
SHEET_TITLE = re.compile(r"^(.+?) — (отметки и посещаемость|посещаемость \(безотметочное обучение\)|записи уроков)"
                         r"(?: \(часть (\d+) из \d+\))?\.")
STATUS_TOKEN = {"absent": "н", "late": "оп"}


def bare(text: str) -> str:
    """Text without whitespace: a wrapped line break and a space read the same."""
    return "".join(text.split())


# --- the paper ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    x: float  # mm from the page's left edge to the text's start
    y: float  # mm from the page's top edge to the baseline
    text: str


@dataclass
class PaperSheet:
    """One subject sheet as printed: the dates' day numbers, and per pupil (name without
    whitespace) the cells by lesson index and the period mark."""

    days: dict[int, list[str]] = field(default_factory=dict)  # part -> day numbers of its columns
    cells: dict[str, dict[int, str]] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)
    lessons: list[tuple[str, str, str, str]] = field(default_factory=list)  # date, №, topic, homework


@dataclass
class Paper:
    sheets: dict[str, PaperSheet] = field(default_factory=dict)
    pupils_text: str = ""  # the pupils' list, without whitespace


def pieces(page) -> list[Piece]:  # noqa: ANN001 - a pypdf page
    height = float(page.mediabox.height)
    out: list[Piece] = []

    def visit(text: str, cm, tm, _font, _size) -> None:  # noqa: ANN001
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            out.append(Piece(x / MM, (height - y) / MM, text.strip()))

    page.extract_text(visitor_text=visit)
    return out


def read_register(path: Path) -> Paper:
    paper = Paper()
    for page in PdfReader(str(path)).pages:
        found = pieces(page)
        if not found:
            continue
        band, rest = found[0], [p for p in found[1:] if not p.text.startswith("ЧЕРНОВИК")]
        left = band.x - PAD  # the band starts at the left margin, like every table
        width = float(page.mediabox.width) / MM - left - RIGHT_MM
        head = " ".join(p.text for p in rest[:8])
        title = SHEET_TITLE.match(head)
        if title:
            sheet = paper.sheets.setdefault(title.group(1), PaperSheet())
            if title.group(2) == "записи уроков":
                sheet.lessons += lesson_rows(rest, left, width)
            else:
                marks_page(sheet, int(title.group(3) or 1), rest, left)
        elif head.startswith("Общие сведения об обучающихся"):
            paper.pupils_text += bare("".join(p.text for p in rest))
    return paper


def marks_page(sheet: PaperSheet, part: int, found: list[Piece], left: float) -> None:
    """The grid's rows: a row begins at its number in the № column, and the grid ends at the
    first other text there (the teacher's signature line)."""
    name_x, dates_x = left + NO_W, left + NO_W + NAME_W
    header = found[:next(i for i, p in enumerate(found) if p.text == "№")]
    started, rows = False, []
    for p in found[len(header):]:
        if p.x < name_x:
            if not p.text.isdigit():
                if started:
                    break
                continue
            started = True
            rows.append([])
        elif started:
            rows[-1].append(p)
        else:
            header.append(p)
    # the day numbers are the header's lowest line over the dates (a month may read «09» too)
    numbers = [p for p in header if p.x >= dates_x and p.text.isdigit()]
    lowest = max((p.y for p in numbers), default=0.0)
    days = [p.text for p in sorted(numbers, key=lambda p: p.x) if abs(p.y - lowest) < 0.5]
    sheet.days.setdefault(part, days)
    offset = sum(len(sheet.days[k]) for k in range(1, part))
    for row in rows:
        name = bare(" ".join(p.text for p in row if p.x < dates_x))
        name = STAY.sub("", name)
        cells = sheet.cells.setdefault(name, {})
        for p in row:
            if p.x < dates_x:
                continue
            col = int((p.x + 0.1 - dates_x) // DATE_W)
            if col >= len(days):
                sheet.marks[name] = p.text
            else:
                key = offset + col
                cells[key] = f"{cells[key]} {p.text}" if key in cells else p.text


def lesson_rows(found: list[Piece], left: float, width: float) -> list[tuple[str, str, str, str]]:
    """The lessons table's rows: a row begins at its date, and the table ends at the first
    other text in the date column (the count of lessons under it)."""
    edges, x = [], left
    for col in scaled(LESSON_COLS, width):
        x += col.width
        edges.append(x)
    rows: list[list[str]] = []
    for p in found:
        col = next((i for i, edge in enumerate(edges) if p.x < edge), len(edges) - 1)
        if col == 0:
            if not DAY.fullmatch(p.text):
                if rows:
                    break
                continue
            rows.append([""] * len(edges))
        if rows:
            rows[-1][col] = f"{rows[-1][col]} {p.text}".strip()
    return [(r[0], r[1], bare(r[2]), bare(r[3])) for r in rows]


# --- the database -------------------------------------------------------------------------
@dataclass
class DbSheet:
    pupils: set[str]  # names of the pupils on the sheet (the class's, or the group's)
    lessons: list[tuple[str, str, str, str]] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    cells: dict[str, dict[int, Counter]] = field(default_factory=dict)  # name -> lesson index -> tokens
    marks: dict[str, str] = field(default_factory=dict)


@dataclass
class DbClass:
    name: str
    period: str
    pupils: list[m.Pupil]
    sheets: dict[str, DbSheet]


def first_periods(engine: Engine) -> list[tuple[str, str]]:
    """Every class of the school with its first period (Q1, or H1 for a half-year grade)."""
    with Session(engine) as s:
        classes = s.execute(select(m.SchoolClass.name, m.SchoolClass.grade)
                            .order_by(m.SchoolClass.grade, m.SchoolClass.letter)).all()
    return [(name, cal.periods_for_grade(grade, RuleSettings())[0]) for name, grade in classes]


def members(s: Session, model, owner, period: m.Period) -> list[int]:  # noqa: ANN001 - a membership model and its column
    """Pupils in a class or group at any time in the period."""
    return list(s.scalars(select(model.pupil_id).where(owner, model.start <= period.end,
                                                       or_(model.end.is_(None), model.end >= period.start))))


def database_class(engine: Engine, class_name: str, code: str) -> DbClass:
    with Session(engine) as s:
        klass = s.scalars(select(m.SchoolClass).where(m.SchoolClass.name == class_name)).one()
        period = s.scalars(select(m.Period).where(m.Period.code == code, m.Period.year_id == klass.year_id)).one()
        in_class = members(s, m.Membership, m.Membership.class_id == klass.id, period)
        pupils = list(s.scalars(select(m.Pupil).where(m.Pupil.id.in_(in_class))))
        names = {p.id: bare(f"{p.last_name} {p.first_name}") for p in pupils}
        assert len(set(names.values())) == len(names), f"{class_name}: two pupils of one name, rows not told apart"
        sheets = {}
        for load in s.scalars(select(m.TeachingLoad).where(m.TeachingLoad.class_id == klass.id)):
            subject = s.get(m.Subject, load.subject_id).name
            title, on_sheet = subject, in_class
            if load.group_id is not None:
                title = f"{subject} ({s.get(m.StudyGroup, load.group_id).name})"
                on_sheet = members(s, m.GroupMember, m.GroupMember.group_id == load.group_id, period)
            sheets[title] = database_sheet(s, load, period, {pid: names[pid] for pid in on_sheet if pid in names})
    return DbClass(class_name, code, pupils, sheets)


def database_sheet(s: Session, load: m.TeachingLoad, period: m.Period, names: dict[int, str]) -> DbSheet:
    """The sheet of a teaching load as the database holds it: cells as tokens by lesson index,
    each mark's value and «н» / «оп» for an absence or lateness."""
    sheet = DbSheet(set(names.values()))
    lessons = list(s.scalars(select(m.Lesson).where(
        m.Lesson.load_id == load.id, m.Lesson.date >= period.start, m.Lesson.date <= period.end)
        .order_by(m.Lesson.date, m.Lesson.number)))
    index = {ls.id: i for i, ls in enumerate(lessons)}
    for ls in lessons:
        sheet.lessons.append((ls.date.strftime("%d.%m.%Y"), str(ls.number), bare(ls.topic), bare(ls.homework)))
        sheet.days.append(f"{ls.date.day:02d}")
    tokens = [(mk.pupil_id, mk.lesson_id, mk.value) for mk in s.scalars(select(m.Mark).where(m.Mark.lesson_id.in_(index)))]
    tokens += [(a.pupil_id, a.lesson_id, STATUS_TOKEN[a.status])
               for a in s.scalars(select(m.Attendance).where(m.Attendance.lesson_id.in_(index)))]
    for pupil_id, lesson_id, token in tokens:
        cells = sheet.cells.setdefault(names.get(pupil_id, f"pupil #{pupil_id}, not on the sheet"), {})
        cells.setdefault(index[lesson_id], Counter())[token] += 1
    F = m.FinalMark
    for pupil_id, value in s.execute(select(F.pupil_id, F.value).where(
            F.subject_id == load.subject_id, F.kind == "period", F.period_code == period.code,
            F.pupil_id.in_(list(names)))):
        sheet.marks[names[pupil_id]] = value
    return sheet


# --- the school, printed ------------------------------------------------------------------
@dataclass(frozen=True)
class Printed:
    engine: Engine
    classes: list[tuple[DbClass, Paper]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    folder = tmp_path_factory.mktemp("paper")
    url = f"sqlite:///{folder / 'demo.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EJOURNAL_DB", url)
        Calendar(mp).go(AS_OF)
        cli("demo", "--size", "small", "--no-tui", "--as-of", AS_OF.isoformat()).ok()
        for name, value in person_env(folder, "secretary").items():  # who prints the registers
            mp.setenv(name, value)
        engine = make_engine(url)
        classes = []
        for name, code in first_periods(engine):
            out = folder / f"{name}-{code}.pdf"
            cli("export", "register", "--class", name, "--period", code, "--format", "pdf", "--out", str(out),
                "--year", str(AS_OF.year if AS_OF.month >= 9 else AS_OF.year - 1)).ok()
            classes.append((database_class(engine, name, code), read_register(out)))
    return Printed(engine, classes)


def test_the_demo_has_what_is_hard_to_print(printed: Printed) -> None:
    topics = homework = 0
    for db, _ in printed.classes:
        for sheet in db.sheets.values():
            topics += sum(len(t) >= 150 for _, _, t, _ in sheet.lessons)
            homework += sum(len(h) >= 150 for _, _, _, h in sheet.lessons)
    late_two = sum(1 for db, _ in printed.classes for sheet in db.sheets.values() for cells in sheet.cells.values()
                   for cell in cells.values() if cell["оп"] and sum(cell[v] for v in "2345") == 2)
    double = [p.last_name for db, _ in printed.classes for p in db.pupils if "-" in p.last_name]
    assert topics >= 10 and homework >= 5 and late_two >= 3 and len(double) >= 2, (topics, homework, late_two, double)


def test_every_lesson_is_printed_with_its_whole_topic_and_homework(printed: Printed) -> None:
    for db, paper in printed.classes:
        assert set(paper.sheets) == set(db.sheets), db.name
        for title, sheet in db.sheets.items():
            on_paper = paper.sheets[title].lessons
            lost = [row for row in sheet.lessons if row not in on_paper]
            assert not lost, f"{db.name} {db.period} {title}: lessons not on paper as they are: {lost}"
            assert on_paper == sheet.lessons, f"{db.name} {db.period} {title}"


def test_every_pupil_is_printed_with_full_name_and_parents(printed: Printed) -> None:
    for db, paper in printed.classes:
        for pupil in db.pupils:
            for text in (pupil.full_name, pupil.parents, pupil.personal_file_no):
                assert bare(text) in paper.pupils_text, f"{db.name}: {text!r} not in the pupils' list"
        for title, sheet in db.sheets.items():
            assert set(paper.sheets[title].cells) == sheet.pupils, f"{db.name} {title}: the rows"


def test_every_mark_and_absence_is_printed_in_its_lessons_column(printed: Printed) -> None:
    for db, paper in printed.classes:
        for title, sheet in db.sheets.items():
            where = f"{db.name} {db.period} {title}"
            printed_sheet = paper.sheets[title]
            days = [d for part in sorted(printed_sheet.days) for d in printed_sheet.days[part]]
            assert days == sheet.days, f"{where}: the columns' dates"
            for name in set(sheet.cells) | set(printed_sheet.cells):
                expected = sheet.cells.get(name, {})
                on_paper = {col: Counter(TOKEN.findall(text)) for col, text in printed_sheet.cells.get(name, {}).items()}
                odd = {text for text in printed_sheet.cells.get(name, {}).values() if TOKEN.sub("", text).strip(" /")}
                assert not odd, f"{where}, {name}: cells that read {odd}"
                assert sum(on_paper.values(), Counter()) == sum(expected.values(), Counter()), f"{where}, {name}"
                assert on_paper == expected, f"{where}, {name}: by lesson"


def test_every_period_mark_is_printed(printed: Printed) -> None:
    for db, paper in printed.classes:
        for title, sheet in db.sheets.items():
            assert paper.sheets[title].marks == sheet.marks, f"{db.name} {db.period} {title}"


def test_a_copy_that_lacks_period_marks_says_how_many_on_its_first_page(printed: Printed, tmp_path: Path) -> None:
    """A "closed" copy could lack its marks without a word (issue 10): the title page counts
    the period marks not yet given to pupils still in the class."""
    url = str(printed.engine.url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EJOURNAL_DB", url)
        Calendar(mp).go(AS_OF)
        for name, value in person_env(tmp_path, "secretary").items():
            mp.setenv(name, value)
        for period, out in (("Q1", tmp_path / "q1.pdf"), ("Q2", tmp_path / "q2.pdf")):
            cli("export", "register", "--class", "5А", "--period", period, "--format", "pdf", "--out", str(out)).ok()
    q1 = PdfReader(tmp_path / "q1.pdf").pages[0].extract_text()
    q2 = PdfReader(tmp_path / "q2.pdf").pages[0].extract_text()
    assert "Не выставлено итоговых отметок" not in q1
    found = re.search(r"Не выставлено итоговых отметок за период: (\d+)", q2)
    assert found, q2
    with Session(printed.engine) as s:
        klass = s.execute(select(m.SchoolClass).where(m.SchoolClass.name == "5А")).scalar_one()
        given = s.execute(select(func.count()).select_from(m.FinalMark).where(
            m.FinalMark.class_id == klass.id, m.FinalMark.period_code == "Q2")).scalar()
    assert given == 0 and int(found.group(1)) > 0
