"""Shared helpers of the exporter tests: a few weeks of lessons with marks and absences in
the factory school's 5А, written directly (the services' deadlines are not under test here)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import Session

from ejournal_tui.data import models as m

Q2_DAYS = [date(2026, 11, 9) + timedelta(days=i) for i in range(12) if (date(2026, 11, 9) + timedelta(days=i)).weekday() < 5]
Q1_DAYS = [date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19)]


def fill_lessons(school, days: list[date], load: str = "rus5", topic: str = "Имя существительное") -> list[int]:  # noqa: ANN001
    """A lesson each day; marks for Алексеев and Борисова, an absence for Волков (ill), a
    late-coming for Григорьева on the first day."""
    ids = []
    with Session(school.db.engine) as s:
        ld = s.get(m.TeachingLoad, school.loads[load])
        for i, day in enumerate(days):
            lesson = m.Lesson(school_id=school.school_id, load_id=ld.id, class_id=ld.class_id, group_id=ld.group_id,
                              subject_id=ld.subject_id, date=day, number=1, topic=f"{topic}. Урок {i + 1}",
                              homework=f"упр. {100 + i}", teacher_id=ld.teacher_id)
            s.add(lesson)
            s.flush()
            ids.append(lesson.id)
            for last, value in (("Алексеев", "5"), ("Борисова", "4")):
                s.add(m.Mark(school_id=school.school_id, lesson_id=lesson.id, pupil_id=school.pupils[last], value=value,
                             work_kind="oral", weight=1.0, entered_by=ld.teacher_id))
            s.add(m.Attendance(school_id=school.school_id, lesson_id=lesson.id, pupil_id=school.pupils["Волков"],
                               status="absent", reason="Б", entered_by=ld.teacher_id))
            if i == 0:
                s.add(m.Attendance(school_id=school.school_id, lesson_id=lesson.id,
                                   pupil_id=school.pupils["Григорьева"], status="late", reason="О",
                                   entered_by=ld.teacher_id))
        s.commit()
    return ids


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and double spaces folded."""
    return " ".join(text.split())
