"""The absences screen: the class leader sets reasons per day, per lesson and from a sick
note; what the database holds afterwards; a refused note changes nothing; snapshots."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from tests.ui.harness import SMALL, demo_database, screen_text, settle, signed_in_app


def _leader_class(url: str) -> tuple[int, str]:
    db = demo_database(url)
    with db.uow() as uow:
        staff = uow.session.scalars(select(m.Staff).where(m.Staff.login == "teacher")).one()
        klass = uow.session.scalars(select(m.SchoolClass).where(m.SchoolClass.leader_id == staff.id)).first()
        return klass.id, klass.name


def _absences(url: str, class_id: int, start: date, end: date) -> list[tuple[int, date, int, str | None]]:
    db = demo_database(url)
    A, L = m.Attendance, m.Lesson
    with db.uow() as uow:
        rows = uow.session.execute(
            select(A.pupil_id, L.date, A.id, A.reason).join(L, L.id == A.lesson_id)
            .where(L.class_id == class_id, L.date >= start, L.date <= end, A.status == "absent")
            .order_by(L.date, L.number)).all()
    return [tuple(r) for r in rows]


def _events(url: str, action: str) -> int:
    db = demo_database(url)
    with db.uow() as uow:
        return uow.session.execute(select(func.count(m.AuditEvent.id)).where(m.AuditEvent.action == action)).scalar()


async def loaded(pilot) -> None:  # noqa: ANN001
    """Settled with the sheet shown: its loading is two workers, one started by the other."""
    for _ in range(100):
        await settle(pilot)
        if getattr(pilot.app.screen, "sheet", None) is not None:
            break
    await settle(pilot)


async def _open(app, pilot, **kwargs) -> None:  # noqa: ANN001
    app.open_screen("absences", **kwargs)
    await loaded(pilot)


async def _goto(app, pilot, pupil_id: int, day: date) -> None:  # noqa: ANN001
    grid = app.screen.query_one("#grid")
    sheet = app.screen.sheet
    row = [p.id for p in sheet.pupils].index(pupil_id)
    col = sheet.days.index(day) + 1
    grid.cursor_coordinate = (row, col)
    await pilot.pause()


async def test_day_reason_is_stored_and_logged(demo_url: str) -> None:
    class_id, name = _leader_class(demo_url)
    week = (date(2026, 11, 16), date(2026, 11, 21))
    pupil, day, _id, _reason = _absences(demo_url, class_id, *week)[0]
    before = _events(demo_url, "attendance.note")
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await _open(app, pilot)
        assert name in screen_text(app)
        await _goto(app, pilot, pupil, day)
        await pilot.press("б")
        await settle(pilot)
        assert app.screen.sheet.cell_text(pupil, day).replace("Б", "") == ""
    day_rows = [r for r in _absences(demo_url, class_id, *week) if r[0] == pupil and r[1] == day]
    assert day_rows and all(r[3] == "Б" for r in day_rows)
    assert _events(demo_url, "attendance.note") == before + 1


async def test_lesson_reason_then_clear(demo_url: str) -> None:
    class_id, _ = _leader_class(demo_url)
    week = (date(2026, 11, 16), date(2026, 11, 21))
    pupil, day, att_id, _ = _absences(demo_url, class_id, *week)[0]
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await _open(app, pilot)
        await _goto(app, pilot, pupil, day)
        await pilot.press("enter", "y")  # Н on a Latin keyboard layout
        await settle(pilot)
    assert dict((r[2], r[3]) for r in _absences(demo_url, class_id, *week))[att_id] == "Н"


async def test_sick_note_sets_every_lesson_in_range(demo_url: str) -> None:
    class_id, _ = _leader_class(demo_url)
    start, end = date(2026, 11, 9), date(2026, 11, 20)
    pupil, day, _, _ = _absences(demo_url, class_id, start, end)[0]
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await _open(app, pilot, start=date(2026, 11, 9))
        await _goto(app, pilot, pupil, day)
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        modal.query_one("#f-start").value = "09.11.2026"
        modal.query_one("#f-end").value = "20.11.2026"
        modal.query_one("#f-code").value = "у"
        modal.query_one("#f-comment").value = "заявление родителей"
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = [r for r in _absences(demo_url, class_id, start, end) if r[0] == pupil]
    assert rows and all(r[3] == "У" for r in rows)


async def test_refused_note_changes_nothing_and_keeps_input(demo_url: str) -> None:
    class_id, _ = _leader_class(demo_url)
    before = _absences(demo_url, class_id, date(2026, 9, 1), date(2026, 11, 21))
    in_q1 = {r[0] for r in before if r[1] <= date(2026, 10, 24)}
    pupil, day, _, _ = next(r for r in reversed(before) if r[0] in in_q1)
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await _open(app, pilot)
        await _goto(app, pilot, pupil, day)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#f-start").value = "01.09.2026"  # Q1 is closed
        app.screen.query_one("#f-code").value = "Б"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal"  # asked again, with what was typed
        assert app.screen.query_one("#f-start").value == "01.09.2026"
        assert any("closed" in n.message for n in app._notifications)
    assert _absences(demo_url, class_id, date(2026, 9, 1), date(2026, 11, 21)) == before


def test_snapshot_absences(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    from tests.ui.harness import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        pilot.app.open_screen("absences")
        await loaded(pilot)

    assert snap_compare(make_app(demo_url, "teacher"), terminal_size=(120, 40), run_before=run_before)


def test_snapshot_absences_small(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    from tests.ui.harness import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        pilot.app.open_screen("absences")
        await loaded(pilot)

    assert snap_compare(make_app(demo_url, "teacher"), terminal_size=SMALL, run_before=run_before)
