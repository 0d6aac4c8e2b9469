"""The exporters alone, from hand-made data: long subjects paginate with their headers
repeated, long text is printed whole (wrapped inside its cell), a missing font is a typed
error."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ejournal_tui.exporters.data import (
    DocHead,
    LessonRow,
    MarkRow,
    PupilInfo,
    RegisterDoc,
    SubjectSheet,
)
from ejournal_tui.exporters.fonts import FontNotFound, find_font
from ejournal_tui.exporters.register_pdf import DATES_PER_PAGE, PUPILS_PER_PAGE, render_register
from tests.exporters.helpers import flat, pdf_pages

LONG_TOPIC = "Контрольная работа по теме «Правописание безударных гласных в корне слова, проверяемых ударением»" * 2


def _doc(pupils: int, lessons: int) -> RegisterDoc:
    days = [date(2026, 9, 1) + timedelta(days=i) for i in range(lessons)]
    rows = tuple(MarkRow(i + 1, f"Ученикова{i:02d} Мария", tuple("5" if (i + j) % 3 == 0 else "н" if j == i else ""
                                                                  for j in range(lessons)), "4")
                 for i in range(pupils))
    sheet = SubjectSheet("Русский язык", "", "Иванова Анна Петровна", 6, tuple(days), rows,
                         tuple(LessonRow(d, 1, LONG_TOPIC, "упр. 5", "Петров П. И.") for d in days))
    head = DocHead("Школа № 1", "5А", "2026/2027", "Иванова Анна Петровна", datetime(2026, 11, 20, 10), closed=True,
                   closed_at=datetime(2026, 10, 27, 16), period_code="Y", period_start=days[0], period_end=days[-1])
    infos = tuple(PupilInfo(i + 1, f"У-{i}", f"Ученикова{i:02d} Мария Ивановна", date(2015, 1, 1), "мама", "")
                  for i in range(pupils))
    return RegisterDoc(head, (sheet,), ((2026, 9),), (), infos)


def test_long_subject_paginates_with_headers_repeated(tmp_path) -> None:
    pupils, lessons = PUPILS_PER_PAGE + 5, DATES_PER_PAGE * 2 + 3
    data, pages = render_register(_doc(pupils, lessons), find_font())
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    texts = pdf_pages(path)
    assert pages == len(texts)
    marks_pages = [t for t in texts if "отметки и посещаемость" in t]
    assert len(marks_pages) == 3 * 2  # three runs of dates × two runs of pupils
    assert all("Фамилия, имя обучающегося" in t for t in marks_pages)
    assert "часть 3 из 3" in flat(marks_pages[-1])
    everything = flat(" ".join(texts))
    for i in range(pupils):
        assert f"Ученикова{i:02d} Мария" in everything
    lesson_pages = [t for t in texts if "записи уроков" in t]
    assert all("Тема урока" in t for t in lesson_pages)
    assert sum(flat(t).count(".09.2026") + flat(t).count(".10.2026") + flat(t).count(".11.2026")
               for t in lesson_pages) >= lessons


def test_long_text_is_printed_whole(tmp_path) -> None:
    data, _ = render_register(_doc(3, 2), find_font())
    path = tmp_path / "whole.pdf"
    path.write_bytes(data)
    text = flat(" ".join(pdf_pages(path)))
    assert LONG_TOPIC in text  # wrapped between words, every word kept
    assert "…" not in text


def test_missing_font_is_a_typed_error_saying_how_to_install_one() -> None:
    with pytest.raises(FontNotFound) as err:
        find_font("/nowhere/NoSuchFont.ttf")
    assert "fonts-dejavu-core" in str(err.value)
