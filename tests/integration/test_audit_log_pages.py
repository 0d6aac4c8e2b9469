"""The change log read from the database, on each engine: events carry the subject they are
about (through the mark, the absence, the lesson or the final mark's JSON), read as words, and
come a page at a time with no stop at 300 rows and no event twice."""

from __future__ import annotations

from datetime import date

from ejournal_tui.i18n import set_language
from ejournal_tui.services import attendance, audit, finals, marks
from ejournal_tui.services.audit_log import PAGE, search_page
from ejournal_tui.services.audit_words import words

DAY = date(2026, 11, 20)  # today on the frozen clock: no late entry


def _page(school, **filters):  # noqa: ANN001, ANN003, ANN202
    with school.uow() as uow:
        return search_page(uow, school.actors["deputy"], **filters)


def test_a_mark_correction_reads_3_to_4_with_subject_and_lesson_date(school) -> None:  # noqa: ANN001
    lesson = school.lesson("rus5", DAY)
    with school.uow() as uow:
        mark = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "3")
    with school.uow() as uow:
        marks.correct_mark(uow, school.actors["ivanova"], mark.id, value="4", reason="ошибка ввода")
    page = _page(school)
    set_language("ru")
    said = words(page.entries[0], page.glossary)
    assert (said.action, said.change, said.reason) == ("Отметка исправлена", "3 → 4", "ошибка ввода")
    assert (said.class_name, said.subject, said.lesson_date, said.pupil) == ("5А", "Русский язык", "20.11.2026",
                                                                              "Волков Виктор")
    assert said.who == "Иванова А.П."
    assert words(page.entries[1], page.glossary).change.startswith("3 (")  # the kind of work in words


def test_absence_reason_and_final_mark_name_their_subject(school) -> None:  # noqa: ANN001
    lesson = school.lesson("alg10", DAY)
    with school.uow() as uow:
        ref = attendance.set_attendance(uow, school.actors["petrov"], lesson, school.pupils["Ильин"], "absent")
    with school.uow() as uow:
        attendance.set_reason(uow, school.actors["deputy"], ref.id, "Б")
    with school.uow() as uow:
        finals.set_final_mark(uow, school.actors["petrov"], school.classes["10А"], school.subjects["Алгебра"],
                              school.pupils["Ильин"], "period", "4", period_code="H1")
    set_language("ru")
    page = _page(school)
    final, reason, absent = (words(e, page.glossary) for e in page.entries[:3])
    assert (final.action, final.subject, final.change) == ("Итоговая отметка", "Алгебра", "I полугодие: — → 4")
    assert (reason.action, reason.subject, reason.change) == ("Причина пропуска", "Алгебра", "н → Б")
    assert (absent.subject, absent.lesson_date, absent.change) == ("Алгебра", "20.11.2026", "— → н")


def test_pages_go_past_300_rows_without_repeating(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        for i in range(2 * PAGE + 50):
            audit.record(uow, school.actors["ivanova" if i % 2 else "petrov"], "auth.login")
        uow.commit()
    first = _page(school)
    assert (len(first.entries), first.more) == (PAGE, PAGE + 50)
    second = _page(school, before_seq=first.last_seq)
    third = _page(school, before_seq=second.last_seq)
    assert (len(second.entries), second.more, len(third.entries), third.more) == (PAGE, 50, 50, 0)
    seqs = [e.seq for p in (first, second, third) for e in p.entries]
    assert seqs == sorted(set(seqs), reverse=True) and len(seqs) == 2 * PAGE + 50
    mine = _page(school, user="ivanova")
    assert (len(mine.entries), mine.more) == (PAGE, 25) and {e.actor for e in mine.entries} == {"ivanova"}
    rest = _page(school, user="ivanova", before_seq=mine.last_seq)
    assert len(rest.entries) == 25 and rest.more == 0
