"""The register screen: what typing into the grid leaves in the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from tests.ui.harness import demo_database, screen_text, settle, signed_in_app

LOAD_5A_RUSSIAN = 9  # the demo teacher's 5А Русский язык
LAST_LESSON = date(2026, 11, 19)


def _count(url: str, model) -> int:  # noqa: ANN001
    with demo_database(url).uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


async def _open(app, pilot, **kwargs) -> object:  # noqa: ANN001
    app.open_screen("register", load_id=LOAD_5A_RUSSIAN, **kwargs)
    await settle(pilot)
    return app.screen


async def test_digit_stores_mark_with_kind_and_audit(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _open(app, pilot)
        cell = screen.grid.current_cell()
        lesson = next(les for les in screen.reg.lessons if les.id == cell.lesson_id)
        assert lesson.date == LAST_LESSON
        await pilot.press("down", "down", "down", "down")  # a pupil with no mark there yet
        cell = screen.grid.current_cell()
        before = len(screen.reg.marks.get((cell.pupil_id, cell.lesson_id), []))
        assert before == 0
        await pilot.press("5")
        await settle(pilot)
        assert "Saved: 5" in screen_text(app)
    with demo_database(demo_url).uow() as uow:
        mark = uow.session.scalars(select(m.Mark).where(
            m.Mark.lesson_id == cell.lesson_id, m.Mark.pupil_id == cell.pupil_id)).one()
        assert mark.value == "5" and mark.work_kind == (lesson.work_kind or "oral")
        event = uow.session.scalars(select(m.AuditEvent).where(
            m.AuditEvent.action == "mark.add", m.AuditEvent.entity_id == mark.id)).one()
        assert event.actor == "teacher"


async def test_absence_keys_in_both_layouts(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _open(app, pilot)
        cells = []
        for key in ("н", "y", "n"):
            await pilot.press("down")
            cells.append(screen.grid.current_cell())
            await pilot.press(key)
        await settle(pilot)
    with demo_database(demo_url).uow() as uow:
        for cell in cells:
            att = uow.session.scalars(select(m.Attendance).where(
                m.Attendance.lesson_id == cell.lesson_id, m.Attendance.pupil_id == cell.pupil_id)).first()
            assert att is not None and att.status == "absent", cell


async def test_delete_removes_the_mark(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _open(app, pilot)
        await pilot.press("down", "down", "down", "down", "4")
        await settle(pilot)
        cell = screen.grid.current_cell()
        await pilot.press("delete")
        await settle(pilot)
    with demo_database(demo_url).uow() as uow:
        assert not uow.session.scalars(select(m.Mark).where(
            m.Mark.lesson_id == cell.lesson_id, m.Mark.pupil_id == cell.pupil_id)).all()
        assert uow.session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "mark.delete")).first()


async def test_closed_period_is_read_only_and_changes_nothing(demo_url: str) -> None:
    marks = _count(demo_url, m.Mark)
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _open(app, pilot, period="Q1")
        assert screen.reg.closed and screen.read_only
        await pilot.press("down", "5", "н", "delete")
        await settle(pilot)
        assert "read-only" in screen_text(app)
    assert _count(demo_url, m.Mark) == marks


async def test_grade_one_refuses_marks_and_keeps_the_cell(demo_url: str) -> None:
    marks = _count(demo_url, m.Mark)
    async with signed_in_app(demo_url, "rumyantseva.om") as (app, pilot):
        ref = next(r for r in app.registers if r.grade == 1)
        app.open_screen("register", load_id=ref.load_id)
        await settle(pilot)
        screen = app.screen
        cell = screen.grid.current_cell()
        await pilot.press("5")
        await settle(pilot)
        assert cell not in screen.grid.pending
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) in ("", "н", "о")
    assert _count(demo_url, m.Mark) == marks


async def test_late_entry_asks_for_a_reason_then_stores_it(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _open(app, pilot)
        await pilot.press("home", "down")
        cell = screen.grid.current_cell()
        await pilot.press("4")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReasonModal"
        app.screen.query_one("#reason").value = "болел учитель"
        await pilot.press("enter")
        await settle(pilot)
    with demo_database(demo_url).uow() as uow:
        mark = uow.session.scalars(select(m.Mark).where(
            m.Mark.lesson_id == cell.lesson_id, m.Mark.pupil_id == cell.pupil_id, m.Mark.value == "4")).all()[-1]
        assert mark.late_entry
        event = uow.session.scalars(select(m.AuditEvent).where(m.AuditEvent.entity_id == mark.id,
                                                               m.AuditEvent.action.in_(("mark.add", "mark.correct")))
                                    .order_by(m.AuditEvent.seq.desc())).first()  # the demo's own mark.add is older
        assert event.reason == "болел учитель" and event.flagged


async def test_final_mark_accepts_the_suggestion_with_one_key(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _open(app, pilot)
        pupil = screen.reg.pupils[0]
        suggested = screen.reg.summary[pupil.id].suggested
        await pilot.press("end", "right", "f")
        await settle(pilot)
        assert screen.reg.summary[pupil.id].final == suggested  # the row shows it without F5
    with demo_database(demo_url).uow() as uow:
        final = uow.session.scalars(select(m.FinalMark).where(
            m.FinalMark.pupil_id == pupil.id, m.FinalMark.period_code == "Q2")).one()
        assert final.value == suggested


async def test_register_option_opens_that_register(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", register="5A/русский язык") as (app, pilot):
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        assert app.screen.reg.ref.load_id == LOAD_5A_RUSSIAN


async def test_deputy_sees_every_register_read_only(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        assert len(app.registers) > 6
        screen = await _open(app, pilot)
        assert screen.read_only


async def test_grid_paints_the_first_part_asked_for_in_its_own_style(demo_url: str) -> None:
    """The grid works its styles out again after each change of style (focus, theme); the part
    it paints first then gets its own style. It once got the praise dot's green: the header,
    painted first when the register was read before the grid's first paint (a snapshot that
    failed only after other UI tests had imported the services, which made reading faster)."""
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        grid = (await _open(app, pilot)).grid
        for name in ("header", "cursor", "base", "stripe", "praise.dot"):
            grid._styles = None  # as notify_style_update leaves it
            first = grid._style(name)
            assert first == grid._styles[name], name
