"""The closure screen: accepting suggestions stores final marks, closing refuses while the
checklist is not clear (nothing changes), reopening needs a reason; snapshots."""

from __future__ import annotations

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from tests.ui.harness import SMALL, demo_database, make_app, settle, signed_in_app


def _count(url: str, model, *where) -> int:  # noqa: ANN001
    db = demo_database(url)
    with db.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _closed(url: str) -> int:
    return _count(url, m.PeriodClosure, m.PeriodClosure.closed.is_(True))


async def loaded(pilot) -> None:  # noqa: ANN001
    """Settled with the sheet shown: its loading is two workers, one started by the other."""
    for _ in range(100):
        await settle(pilot)
        if getattr(pilot.app.screen, "sheet", None) is not None:
            break
    await settle(pilot)


async def _open(app, pilot) -> None:  # noqa: ANN001
    app.open_screen("closure")
    await loaded(pilot)


async def test_accept_one_and_all_suggestions(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await _open(app, pilot)
        screen = app.screen
        own = [b.teacher for b in screen.sheet.blocks].index(app.session.actor.name)
        screen.query_one("#subjects").move_cursor(row=own)
        await pilot.pause()
        block = screen._block()
        todo = [p for p in block.pupils if p.suggested and not p.final]
        assert todo, "the demo has pupils with a suggestion and no final mark"
        before = _count(demo_url, m.FinalMark)
        screen.query_one("#pupils").move_cursor(row=block.pupils.index(todo[0]))
        await pilot.press("a")
        await settle(pilot)
        assert _count(demo_url, m.FinalMark) == before + 1
        await pilot.press("A")
        await settle(pilot)
        assert _count(demo_url, m.FinalMark) == before + len(todo)
        line = next(p for p in screen._block().pupils if p.pupil_id == todo[0].pupil_id)
        assert line.final == todo[0].suggested
    assert _count(demo_url, m.AuditEvent, m.AuditEvent.action == "final.set") >= len(todo)


async def test_close_refused_while_checklist_not_clear(demo_url: str) -> None:
    before = _closed(demo_url)
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await _open(app, pilot)
        assert app.screen.sheet.checklist()
        await pilot.press("f7")
        await settle(pilot)
        assert any("cannot be closed" in n.message for n in app._notifications)
    assert _closed(demo_url) == before


async def test_reopen_needs_a_reason(demo_url: str) -> None:
    before = _closed(demo_url)
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await _open(app, pilot)
        app.screen.period = "Q1"  # closed in the demo
        app.screen.action_refresh()
        await settle(pilot)
        assert app.screen.sheet.closed
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("ctrl+s")  # no reason: refused, asked again
        await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal"
        assert _closed(demo_url) == before
        app.screen.query_one("#f-reason").value = "исправление ошибки учителя"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.screen.sheet.closed
    assert _closed(demo_url) == before - 1


async def test_teacher_cannot_close(demo_url: str) -> None:
    before = _closed(demo_url)
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await _open(app, pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert any("deputy" in n.message for n in app._notifications)
    assert _closed(demo_url) == before


def _snap(size):  # noqa: ANN001, ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        pilot.app.open_screen("closure")
        await loaded(pilot)

    return run_before


def test_snapshot_closure(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, "teacher"), terminal_size=(120, 40), run_before=_snap(None))


def test_snapshot_closure_small(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, "deputy"), terminal_size=SMALL, run_before=_snap(None))


async def test_closing_before_the_last_school_day_asks_why_and_records_it(demo_url: str) -> None:
    """A period that is not over closes only with a reason (issue 10): F7 asks for it, an empty
    reason is refused, Enter on a reason closes and the change log keeps it."""
    before = _closed(demo_url)
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await _open(app, pilot)
        screen = app.screen
        screen.class_id = next(c.id for c in screen.class_options if c.name == "1А")
        screen.period = "Q3"  # nothing missing but that the quarter has not begun
        screen.action_refresh()
        await loaded(pilot)
        assert [i.kind for i in screen.sheet.checklist()] == ["early"]
        await pilot.press("f7")
        await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal"
        await pilot.press("enter")  # no reason: refused, asked again
        await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal" and _closed(demo_url) == before
        for key in "приказ 7":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sheet.closed
    assert _closed(demo_url) == before + 1
    assert _reasons(demo_url, "period.close")[-1] == "приказ 7"


def _reasons(url: str, action: str) -> list[str]:
    db = demo_database(url)
    with db.uow() as uow:
        return list(uow.session.scalars(select(m.AuditEvent.reason).where(m.AuditEvent.action == action)
                                        .order_by(m.AuditEvent.id)))
