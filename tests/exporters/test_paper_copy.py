"""The paper copy an archive accepts (001 3.6–3.8, 4.4–4.7): nothing printed is lost (long
topics, homework, names and a crowded mark cell are wrapped, never cut with «…»); every
subject's sheets carry its teacher's signature line, the missed-lessons and pupils' pages the
class leader's, the title page the class leader's, the deputy director's and the director's
(М. П.); a page of remarks on keeping the register; the closing page counts the sheets;
pupils who left before the period are not listed, those who left during it are, with the
date; a grade without marks has no mark columns.

The data is written through the services (lessons, marks, attendance, substitutions,
pupils, the school's details) on the factory school; the register is read back from the PDF.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from ejournal_tui.data import models as m
from ejournal_tui.domain.attendance import ABSENT, LATE
from ejournal_tui.exporters.data import (
    DocHead,
    LessonRow,
    MarkRow,
    PupilInfo,
    RegisterDoc,
    SubjectSheet,
)
from ejournal_tui.exporters.fonts import find_font, light
from ejournal_tui.exporters.register_pages import number_words, sheets_phrase
from ejournal_tui.exporters.register_pdf import planned_pages, render_register
from ejournal_tui.services import admin, attendance, lessons, marks
from ejournal_tui.services.exports import export_register
from ejournal_tui.services.exports.signers import deputy_name, director_name
from ejournal_tui.services.school_setup import edit_school
from tests.exporters.helpers import flat, pdf_pages

TODAY = date(2026, 11, 20)  # the factory clock's day, in Q2
TOPIC = ("Комплексный анализ текста: определение темы и основной мысли, выделение микротем, "
         "составление сложного плана, поиск языковых средств выразительности (эпитеты, метафоры, "
         "олицетворения, сравнения), орфографический и пунктуационный разбор трудных случаев, "
         "подготовка к написанию изложения с элементами сочинения-рассуждения по теме урока")
HOMEWORK = ("Параграф 47 прочитать полностью, выписать ключевые понятия в словарь, выполнить "
            "упражнения 512, 514 и 516 письменно, подготовить устный пересказ текста о родном крае "
            "и придумать три собственных примера")
LONG_NAME = "Константинопольская-Верхнеднепровская Александра-Мария Вильгельмовна-Константиновна"


def _words(text: str) -> list[str]:
    return re.findall(r"[\w/-]+", text)


def overlapping_text(path: Path) -> list[tuple[int, str, str]]:
    """Runs of text whose boxes overlap (text spilling out of its cell into the next one, or
    drawn larger than it was measured): (page, run, the run it overlaps)."""
    from fpdf import FPDF

    font = light(find_font())
    meter = FPDF()
    meter.add_font("m", "", str(font.regular))
    meter.add_font("m", "B", str(font.bold))
    found = []
    for n, page in enumerate(PdfReader(str(path)).pages, 1):
        boxes: list[tuple[float, float, float, float, str]] = []

        def visit(text: str, cm, tm, fdict, size: float, boxes=boxes) -> None:  # noqa: ANN001
            if text.strip() and size:
                meter.set_font("m", "B" if "Bold" in str((fdict or {}).get("/BaseFont", "")) else "", size)
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                width = meter.get_string_width(text.strip()) * 72 / 25.4  # mm to pt
                boxes.append((x, x + width, y - 0.2 * size, y + 0.7 * size, text.strip()))

        page.extract_text(visitor_text=visit)
        boxes.sort()
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if b[0] >= a[1] - 0.5:
                    break
                if min(a[3], b[3]) - max(a[2], b[2]) > 0.5:
                    found.append((n, a[4], b[4]))
    return found


@pytest.fixture
def q2(school):  # noqa: ANN001, ANN201
    """5А in Q2: a lesson with a 300-character topic and 200-character homework, Алексеев
    late with three marks, a pupil with a very long name, a substitution, Дмитриев leaving on
    13 November; the director named in the school's details."""
    assert len(TOPIC) >= 300 and len(HOMEWORK) >= 200
    s = school
    with s.uow() as uow:
        long_id = admin.add_pupil(uow, s.actors["admin"], s.classes["5А"], LONG_NAME, date(2026, 9, 1))
    with s.uow() as uow:
        lesson = lessons.open_lesson(uow, s.actors["ivanova"], s.loads["rus5"], TODAY, 1)
    with s.uow() as uow:
        lessons.record_lesson(uow, s.actors["ivanova"], lesson.id, topic=TOPIC, homework=HOMEWORK)
    with s.uow() as uow:
        attendance.set_attendance(uow, s.actors["ivanova"], lesson.id, s.pupils["Алексеев"], LATE)
    for value in ("5", "4", "3"):
        with s.uow() as uow:
            marks.add_mark(uow, s.actors["ivanova"], lesson.id, s.pupils["Алексеев"], value)
    with s.uow() as uow:
        marks.add_mark(uow, s.actors["ivanova"], lesson.id, long_id, "5")
    with s.uow() as uow:
        lessons.assign_substitute(uow, s.actors["deputy"], s.loads["math5"], TODAY, 2, s.staff["smirnova"])
    with s.uow() as uow:
        admin.pupil_leaves(uow, s.actors["admin"], s.pupils["Дмитриев"], date(2026, 11, 13))
    edit_school(s.db, s.actors["admin"], director="Директорова Дарья Дмитриевна")
    return s


def _export(school, period: str, tmp_path: Path, klass: str = "5А") -> list[str]:  # noqa: ANN001
    out = tmp_path / f"{klass}-{period}.pdf"
    result = export_register(school.db, school.actors["deputy"], klass, period, "pdf", out)
    pages = pdf_pages(out)
    assert result.pages == len(pages)
    return [flat(p) for p in pages]


def test_every_word_and_mark_is_printed_and_nothing_is_cut(q2, tmp_path) -> None:  # noqa: ANN001
    pages = _export(q2, "Q2", tmp_path)
    text = " ".join(pages)
    assert "…" not in text
    lessons_page = next(p for p in pages if "Русский язык — записи уроков" in p)
    assert TOPIC in lessons_page and HOMEWORK in lessons_page  # wrapped between words, in order
    for word in _words(LONG_NAME):
        assert word in text
    assert LONG_NAME in text  # on the pupils' list, in full
    marks_page = next(p for p in pages if "Русский язык — отметки" in p)
    row = marks_page[marks_page.index("Алексеев Антон"):marks_page.index("Борисова")]
    assert "оп 5/4/3" in row or ("оп" in row and "5/4/3" in row.replace(" ", ""))
    assert "Смирнова Е. О. вместо Петров П. И." in text  # the substitution noted whole
    assert overlapping_text(tmp_path / "5А-Q2.pdf") == []


def test_signature_lines_name_who_signs(q2, tmp_path) -> None:  # noqa: ANN001
    pages = _export(q2, "Q2", tmp_path)
    teachers = {"Русский язык": "Иванова А. П.", "Математика": "Петров П. И.",
                "Иностранный язык (английский) (Англ. гр. 1)": "Смирнова Е. О."}
    for subject, short in teachers.items():
        sheets = [p for p in pages if p.startswith(f"Тестовая школа № 1 · 5А класс · 2026/2027 · II четверть · "
                                                   f"{subject} ")]
        assert len(sheets) >= 2  # marks and lessons
        for page in sheets:
            assert re.search(rf"Учитель: _+ / {re.escape(short)} / Дата:", page), page[-200:]
    for title in ("пропущенных обучающимися", "№ личного дела"):
        page = next(p for p in pages if title in p)
        assert re.search(r"Классный руководитель: _+ / Иванова А\. П\. / Дата:", page)
    title = pages[0]
    for role, short in (("Классный руководитель", "Иванова А. П."), ("Заместитель директора по УВР", "Завучева З. П."),
                        ("Директор", "Директорова Д. Д.")):
        assert re.search(rf"{role}: _+ / {re.escape(short)} / Дата:", title), role
    assert "М. П." in title


def test_remarks_page_and_closing_page_count_the_sheets(q2, tmp_path) -> None:  # noqa: ANN001
    pages = _export(q2, "Q2", tmp_path)
    remarks = [p for p in pages if "Замечания по ведению классного журнала" in p]
    assert len(remarks) == 1
    assert all(col in remarks[0] for col in ("Дата", "Замечание", "Подпись проверяющего", "Отметка о выполнении"))
    closing = pages[-1]
    n = len(pages)
    assert f"В журнале пронумеровано и прошнуровано {sheets_phrase(n)}." in closing
    assert f"от 1 до {n}" in closing and "Печать односторонняя" in closing
    assert re.search(r"Директор: _+ / Директорова Д\. Д\. / Дата:", closing) and "М. П." in closing
    assert "Замечания по ведению журнала" in pages[1] and "Заверительная надпись" in pages[1]  # the contents


def test_leavers(q2, tmp_path) -> None:  # noqa: ANN001
    q2_pages = _export(q2, "Q2", tmp_path)
    for title in ("пропущенных обучающимися", "№ личного дела"):
        page = next(p for p in q2_pages if title in p)
        assert "Егоров" not in page  # left on 15 October, before the quarter began
        assert "(выб. 13.11.2026)" in page and "Дмитриев Денис" in page  # left during it
    assert not any("Егоров" in p for p in q2_pages)
    q1_pages = _export(q2, "Q1", tmp_path)
    missed = next(p for p in q1_pages if "пропущенных обучающимися" in p)
    assert "Егоров Егор (выб. 15.10.2026)" in missed
    assert "(выб. 15.10.2026)" in next(p for p in q1_pages if "№ личного дела" in p)


def test_grade_one_has_no_mark_columns(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons_1a(school)
    pages = _export(school, "Q2", tmp_path, klass="1А")
    grids = [p for p in pages if "Математика — посещаемость" in p]
    assert grids and all("безотметочное обучение" in p for p in grids)
    assert not any("отметки и посещаемость" in p for p in pages)
    assert not any("II ч." in p for p in pages)  # no period mark column


def fill_lessons_1a(school) -> None:  # noqa: ANN001
    for day in (date(2026, 11, 16), date(2026, 11, 17)):
        lesson = school.lesson("math1", day, 1, topic="Счёт до десяти")
        with school.uow() as uow:
            attendance.set_attendance(uow, school.actors["kozlova"], lesson, school.pupils["Жуков"], ABSENT,
                                      reason="backdated for the test")


# --- the data behind the lines, and hand-made registers ------------------------------------
def test_deputy_and_director_names(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        assert deputy_name(uow) == "Завучева Зоя Петровна"
        assert director_name(uow) == ""  # no director named: a line to write the name in
        uow.session.add(m.Staff(school_id=school.school_id, login="abc", last_name="Абрамова", first_name="Алла",
                                roles="teacher,deputy"))
        uow.session.add(m.Staff(school_id=school.school_id, login="dir", last_name="Главная", first_name="Галина",
                                patronymic="Григорьевна", roles="director"))
        uow.session.add(m.Staff(school_id=school.school_id, login="old", last_name="Аарова", first_name="Ада",
                                roles="deputy", disabled=True))
        uow.commit()
    with school.uow() as uow:
        assert deputy_name(uow) == "Абрамова Алла"  # the first by name of the active deputies
        assert director_name(uow) == "Главная Галина Григорьевна"  # the account, while the school names none
    edit_school(school.db, school.actors["admin"], director="Директорова Дарья Дмитриевна")
    with school.uow() as uow:
        assert director_name(uow) == "Директорова Дарья Дмитриевна"


def test_unnamed_signers_get_a_line_for_the_name(tmp_path) -> None:
    doc = _hand_made(("5",), deputy="", director="")
    pages = _render(doc, tmp_path)
    assert re.search(r"Заместитель директора по УВР: _+ / _+ / Дата:", pages[0])
    assert re.search(r"Директор: _+ / _+ / Дата:", pages[-1])


def test_a_crowded_cell_grows_its_row(tmp_path) -> None:
    cells = ("оп 5/4/3/2", "н", "5/5", "оп н/а")
    pages = _render(_hand_made(cells), tmp_path)
    grid = next(p for p in pages if "отметки и посещаемость" in p)
    squeezed = grid.replace(" ", "")
    for cell in cells:
        assert cell.replace(" ", "") in squeezed
    assert "…" not in " ".join(pages)


def test_text_longer_than_a_page_goes_on_over_the_next(tmp_path) -> None:
    school = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7 " \
             "с углублённым изучением отдельных предметов имени Героя Советского Союза И. И. Иванова» г. Тверь"
    homework = " ".join(f"упражнение {n} (письменно, с разбором по составу и выделением орфограмм)" for n in range(90))
    subject = "Основы духовно-нравственной культуры народов России: светская этика и мировые религиозные культуры"
    day = date(2026, 9, 1)
    sheet = SubjectSheet(subject, "", "Константинопольская-Верхнеднепровская Александра-Мария Вильгельмовна", 1,
                         (day,), (MarkRow(1, LONG_NAME, ("оп 5/4/3",), "5"),),
                         (LessonRow(day, 1, TOPIC, homework, "Петров П. И."),))
    head = DocHead(school, "5А", "2026/2027", "Иванова Анна Петровна", datetime(2026, 11, 20, 10),
                   period_code="Q1", period_start=day, period_end=day)
    parents = "; ".join(f"Родитель{n} Законный Представитель, +7 900 000-00-{n:02d}" for n in range(12))
    doc = RegisterDoc(head, (sheet,), ((2026, 9),), (), (PupilInfo(1, "А-1", LONG_NAME, None, parents, ""),))
    path = tmp_path / "hand.pdf"
    data, count = render_register(doc, find_font())
    path.write_bytes(data)
    pages = [flat(p) for p in pdf_pages(path)]
    assert count == len(pages) == planned_pages(doc)
    text = " ".join(pages)
    assert "…" not in text
    lessons_text = " ".join(p for p in pages if "записи уроков" in p)
    assert sum("записи уроков" in p for p in pages) >= 2  # the homework runs on over a second page
    for part in (homework[:2000], homework[-2000:], TOPIC):
        assert all(w in lessons_text for w in _words(part))
    assert school in text and subject in text and parents in text
    assert overlapping_text(path) == []


def test_sheets_in_words() -> None:
    assert [sheets_phrase(n) for n in (1, 2, 5, 11, 21, 22, 36, 112, 1001)] == [
        "1 (один) лист", "2 (два) листа", "5 (пять) листов", "11 (одиннадцать) листов", "21 (двадцать один) лист",
        "22 (двадцать два) листа", "36 (тридцать шесть) листов", "112 (сто двенадцать) листов",
        "1001 (одна тысяча один) лист"]
    assert number_words(240) == "двести сорок"


def _hand_made(cells: tuple[str, ...], deputy: str = "Завучева Зоя Петровна",
               director: str = "Директорова Дарья Дмитриевна") -> RegisterDoc:
    days = tuple(date(2026, 9, 1 + i) for i in range(len(cells)))
    sheet = SubjectSheet("Русский язык", "", "Иванова Анна Петровна", 5, days,
                         (MarkRow(1, "Алексеев Антон", cells, "4"),), ())
    head = DocHead("Школа № 1", "5А", "2026/2027", "Иванова Анна Петровна", datetime(2026, 11, 20, 10),
                   period_code="Q1", period_start=days[0], period_end=days[-1])
    return RegisterDoc(head, (sheet,), ((2026, 9),), (), (), deputy=deputy, director=director)


def _render(doc: RegisterDoc, tmp_path: Path) -> list[str]:
    data, count = render_register(doc, find_font())
    path = tmp_path / "hand.pdf"
    path.write_bytes(data)
    pages = pdf_pages(path)
    assert count == len(pages)
    return [flat(p) for p in pages]

