"""The deputy director's screens read at 80×24 and at 120×40, used as a person uses them: the
change log says each event in words (no action codes, no `value=3`), Enter shows every field
and Escape closes it, PageDown past the 300th row loads the next rows; the control report
keeps its teacher, class and subject in view while the figures scroll; the closure checklist
scrolls to its last item."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from ejournal_tui.services import closure, marks
from tests.ui.harness import SIZE, SMALL, actor, demo_database, screen_text, settle, signed_in_app

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(SIZE, id="120x40")]
LESSON_DAY = date(2026, 11, 16)  # four days before the frozen today: entries for it are late


def _corrected_mark(url: str) -> tuple[str, str, str]:
    """The teacher enters a 3 late (with a reason) and corrects it to 4: (teacher, subject, pupil)."""
    db = demo_database(url)
    who = actor(db, "teacher")
    with db.uow() as uow:
        lesson = uow.session.scalars(select(m.Lesson).where(m.Lesson.teacher_id == who.id,
                                                            m.Lesson.date == LESSON_DAY)).first()
        member = uow.session.scalars(select(m.Membership).where(m.Membership.class_id == lesson.class_id)).first()
        subject = uow.session.get(m.Subject, lesson.subject_id).name
        pupil = uow.session.get(m.Pupil, member.pupil_id)
        pupil_name, lesson_id, pupil_id = f"{pupil.last_name} {pupil.first_name}", lesson.id, pupil.id
    with db.uow() as uow:
        ref = marks.add_mark(uow, who, lesson_id, pupil_id, "3", reason="болел учитель")
    with db.uow() as uow:
        marks.correct_mark(uow, who, ref.id, value="4", reason="ошибка ввода")
    return who.name, subject, pupil_name


async def _open(app: Any, pilot: Any, key: str, **kwargs: Any) -> None:
    app.open_screen(key, **kwargs)
    for _ in range(5):  # a load may start another (the closure's classes, then its sheet)
        await settle(pilot)


async def _press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await settle(pilot)


# ---- the change log -------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
async def test_change_log_rows_are_in_words_and_when_who_stay_in_view(demo_url: str, size: tuple[int, int]) -> None:
    teacher, subject, pupil = _corrected_mark(demo_url)
    set_language("ru")
    async with signed_in_app(demo_url, "deputy", size=size) as (app, pilot):
        await _open(app, pilot, "changelog")
        table = app.screen.query_one("#events")
        top = [str(cell) for cell in table.get_row_at(0)]
        assert top[2:8] == ["⚑ Отметка исправлена", app.screen.entries[0].class_name, subject, "16.11.26",
                            pupil.split()[0] + f" {pupil.split()[1][0]}.", "3 → 4"]
        assert top[8] == "ошибка ввода" and top[1] == teacher
        text = screen_text(app)
        assert "Отметка исправлена" in text and "mark.correct" not in text and "value=" not in text
        await _press(pilot, *["right"] * 120)  # to the far right: the reason
        assert table.scroll_x > 0
        text = screen_text(app)
        assert "ошибка ввода" in text  # the last column is in view …
        for shown in ("Когда", "Кто", "20.11.26", teacher):  # … and when and who stayed
            assert shown in text, shown


async def test_enter_shows_every_field_of_an_event_and_escape_closes(demo_url: str) -> None:
    teacher, subject, _pupil = _corrected_mark(demo_url)
    set_language("ru")
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        await _open(app, pilot, "changelog")
        await _press(pilot, "enter")
        assert type(app.screen).__name__ == "EventModal"
        text = screen_text(app)
        for shown in ("Отметка исправлена (mark.correct)", f"{teacher} (teacher)", subject, "16.11.2026",
                      "3 → 4", "ошибка ввода", '"value": "3"', '"value": "4"'):
            assert shown in text, shown
        await _press(pilot, "escape")
        assert type(app.screen).__name__ == "ChangeLogScreen"


async def test_page_down_past_300_rows_loads_the_next_rows(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        await _open(app, pilot, "changelog")
        screen = app.screen
        table = screen.query_one("#events")
        with demo_database(demo_url).uow() as uow:
            total = uow.session.scalar(select(func.count()).select_from(m.AuditEvent))
        assert table.row_count == 300 and total > 600
        for _ in range(60):  # a page at a time, as far as the rows go
            await _press(pilot, "pagedown")
            if table.row_count > 300:
                break
        assert table.row_count == 600  # no silent stop at 300
        assert f"строк: 600 из {total}" in screen_text(app)  # and the status line says how many in all
        seqs = [e.seq for e in screen.entries]
        assert seqs == sorted(set(seqs), reverse=True)  # newest first, none twice
        assert table.cursor_row >= 299
        await _press(pilot, "down")
        assert table.cursor_row >= 300  # the cursor goes on into the new rows


async def test_ctrl_t_repaints_the_change_log(demo_url: str) -> None:
    _corrected_mark(demo_url)
    set_language("ru")
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await _open(app, pilot, "changelog")
        await _press(pilot, "ctrl+t")
        text = screen_text(app)
        assert "Mark corrected" in text and "When" in text and "rows: 300 of" in text
        assert "Отметка исправлена" not in text
    set_language("ru")


# ---- the control report ---------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
async def test_control_report_keeps_teacher_class_subject_while_figures_scroll(
        demo_url: str, size: tuple[int, int]) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "deputy", size=size) as (app, pilot):
        await _open(app, pilot, "control")
        table = app.screen.query_one("#ctl-rows")
        teacher, klass, subject = (str(cell) for cell in table.get_row_at(0)[:3])
        await _press(pilot, *["right"] * 16)  # to «Что исправить», the last column
        assert table.scroll_x > 0 and table.cursor_column == 16
        text = screen_text(app)
        for shown in ("Учитель", "Класс", "Предмет", "Что исправить", teacher, klass[:4], subject[:6]):
            assert shown in text, shown
        await _press(pilot, *["left"] * 4, "enter")  # Enter on «Без отм.» (no marks) drills down
        assert table.cursor_column == 12 and app.screen.items  # the pupils behind the figure
        assert {i.issue for i in app.screen.items} == {"no_marks"}


# ---- the closure checklist ------------------------------------------------------------------

def _worst_class(url: str) -> tuple[int, str, list[str]]:
    """(class id, period, checklist) of the class and period with the longest checklist."""
    db = demo_database(url)
    who = actor(db, "deputy")
    found = []
    with db.uow() as uow:
        for klass in closure.classes_for(uow, who):
            for period in klass.periods:
                sheet = closure.open_closure(uow, who, klass.id, period)
                found.append(([i.text for i in sheet.checklist()], klass.id, period))
    items, class_id, period = max(found, key=lambda f: len(f[0]))
    return class_id, period, items


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("size", SIZES)
async def test_closure_checklist_scrolls_to_its_last_item(demo_url: str, size: tuple[int, int]) -> None:
    set_language("ru")
    class_id, period, items = _worst_class(demo_url)
    assert len(items) >= 28
    async with signed_in_app(demo_url, "deputy", size=size) as (app, pilot):
        await _open(app, pilot, "closure", class_id=class_id, period=period)
        text = _flat(screen_text(app))  # an item longer than the screen is wide wraps
        assert _flat(items[0]) in text and _flat(items[-1]) not in text  # more than the screen holds …
        await _press(pilot, "tab", "end")  # … Tab from the pupils to the checklist, End
        text = _flat(screen_text(app))
        assert _flat(items[-1]) in text and _flat(items[-2]) in text  # … and every one can be read
        assert app.focused.id == "checklist-box" and f"Перед закрытием — {len(items)}" in text
        await _press(pilot, "home", "pagedown")
        assert app.screen.query_one("#checklist-box").scroll_y > 0
