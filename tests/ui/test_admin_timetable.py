"""The administration screen's timetable tab: a class's week as a grid; a lesson added through
the form is stored with its change-log event, one removed is gone (of a cell's two group
lessons, only the one chosen); refused lessons show the service's message, keep what was
typed and store nothing; snapshots at 80×24."""

from __future__ import annotations

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.services import admin
from tests.ui.harness import SMALL, demo_database, make_app, painted, settle, signed_in_app

SAT, MON = 6, 1


def _week(url: str, class_name: str) -> list[tuple[int, int, str, str, str]]:
    """(weekday, number, subject, group, room) of the class's timetable, read from the DB."""
    db = demo_database(url)
    with db.uow() as uow:
        klass = next(c for c in admin.list_classes(uow) if c.name == class_name)
        return [(s.weekday, s.number, s.subject, s.group, s.room) for s in admin.timetable(uow, klass.id)]


def _events(url: str, action: str) -> int:
    db = demo_database(url)
    with db.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(m.AuditEvent).where(
            m.AuditEvent.action == action, m.AuditEvent.actor == "deputy")).scalar_one()


async def _open_week(app, pilot, class_name: str) -> object:  # noqa: ANN001
    """The timetable tab with `class_name` chosen as a user does: `c`, arrows, Enter."""
    app.open_screen("admin", tab="timetable")
    await settle(pilot)
    pane = app.screen.query_one("TimetablePane")
    names = [c.name for c in pane.view.classes]
    await pilot.press("c")
    await pilot.press(*["down"] * names.index(class_name), "enter")
    await settle(pilot)
    assert pane.view.class_name == class_name
    return pane


async def _to_cell(pilot, pane, weekday: int, number: int) -> None:  # noqa: ANN001
    pane.grid.focus()
    await pilot.press("home", "ctrl+home")  # Textual's DataTable: first column (the bells), first row
    await pilot.press(*["right"] * weekday, *["down"] * pane.numbers.index(number))
    await pilot.pause()
    assert pane.cursor() == (weekday, number)


async def _form(app, pilot, subject: str, **values: str) -> None:  # noqa: ANN001
    """Fill the open lesson form: the load row of `subject`, then the typed fields; save."""
    await settle(pilot)
    modal = app.screen
    assert type(modal).__name__ == "SlotModal"
    options = modal.query_one("#f-load")
    options.highlighted = next(i for i, x in enumerate(modal.loads) if x.subject == subject)
    for name, value in values.items():
        modal.query_one(f"#f-{name}").value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_add_a_lesson_through_the_form(demo_url: str) -> None:
    before = _week(demo_url, "5А")
    assert not [s for s in before if s[0] == SAT]  # Saturday is free in the demo
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open_week(app, pilot, "5А")
        await _to_cell(pilot, pane, SAT, 2)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one("#f-weekday").value == "6"  # the cell's day and number, ready
        assert app.screen.query_one("#f-number").value == "2"
        await _form(app, pilot, "Музыка", room="21")
        assert type(app.screen).__name__ == "AdminScreen"
        assert pane.grid.get_cell_at(pane.grid.cursor_coordinate) == "Муз 21"
    assert sorted(set(_week(demo_url, "5А")) - set(before)) == [(SAT, 2, "Музыка", "", "21")]
    assert _events(demo_url, "timetable.add") == 1


async def test_remove_a_lesson_and_one_of_two_groups(demo_url: str) -> None:
    before = _week(demo_url, "5А")
    groups = [s for s in before if (s[0], s[1]) == (MON, 4)]
    assert len(groups) == 2  # English in two groups on Monday, lesson 4
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open_week(app, pilot, "5А")
        await _to_cell(pilot, pane, MON, 1)
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmModal"  # a destructive key asks first
        await pilot.press("enter")
        await settle(pilot)
        assert pane.grid.get_cell_at(pane.grid.cursor_coordinate) == ""
        await _to_cell(pilot, pane, MON, 4)
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "PickModal"  # which of the two groups?
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("enter")  # «Да»
        await settle(pilot)
    after = _week(demo_url, "5А")
    assert [s for s in after if (s[0], s[1]) == (MON, 1)] == []
    assert [s for s in after if (s[0], s[1]) == (MON, 4)] == [groups[0]]
    assert len(after) == len(before) - 2
    assert _events(demo_url, "timetable.remove") == 2


async def test_refused_lessons_show_why_keep_the_form_and_store_nothing(demo_url: str) -> None:
    before = _week(demo_url, "5А")
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open_week(app, pilot, "5А")
        await _to_cell(pilot, pane, MON, 1)  # Russian is there
        await pilot.press("a")
        await _form(app, pilot, "Математика", room="7")
        assert any("already has lesson 1 on weekday 1" in n.message for n in app._notifications)
        assert type(app.screen).__name__ == "SlotModal"  # asked again with what was typed
        assert app.screen.query_one("#f-room").value == "7"
        assert app.screen.loads[app.screen.query_one("#f-load").highlighted].subject == "Математика"
        await _form(app, pilot, "Математика", weekday="6", number="9")  # the demo rings 8 bells
        assert any("lesson 9 has no bell time" in n.message for n in app._notifications)
        await _form(app, pilot, "Математика", weekday="суббота")
        assert any("1–6" in n.message for n in app._notifications)
        assert type(app.screen).__name__ == "SlotModal"
        await pilot.press("escape")
        await settle(pilot)
        assert pane.grid.get_cell_at(pane.grid.cursor_coordinate) == "Рус"
    assert _week(demo_url, "5А") == before
    assert _events(demo_url, "timetable.add") == 0


async def test_enter_on_a_day_adds_on_the_bell_column_sets_the_bell(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open_week(app, pilot, "7Б")
        await _to_cell(pilot, pane, SAT, 3)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SlotModal"
        assert app.screen.query_one("#f-number").value == "3"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")  # anywhere in the row: its bell
        await settle(pilot)
        assert app.screen.query_one("#f-number").value == "3"
        await pilot.press("escape")
        await _to_cell(pilot, pane, 0, 3)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal"
        assert app.screen.query_one("#f-number").value == "3"
        app.screen.query_one("#f-start").value = "10:20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pane.current_bell().start == "10:20"
        assert pane.grid.get_cell_at(pane.grid.cursor_coordinate).plain == "3 10:20"  # the grid shows it
    db = demo_database(demo_url)
    with db.uow() as uow:
        assert next(b for b in admin.bells(uow) if b.number == 3).start == "10:20"


async def test_with_the_mouse_click_a_cell_twice_pick_a_row_and_save(demo_url: str) -> None:
    from ejournal_tui.tui.screens.admin_timetable import BELL_W, CELL_W

    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open_week(app, pilot, "5А")
        row = pane.numbers.index(3)  # Saturday, lesson 3: past the bell column and five days
        cell = await painted(pilot, pane.grid, (BELL_W + 2 + (SAT - 1) * (CELL_W + 2) + 2, 1 + row), row=row,
                             column=SAT)
        assert await pilot.click(pane.grid, offset=cell)
        await settle(pilot)
        assert pane.cursor() == (SAT, 3)
        assert type(app.screen).__name__ == "AdminScreen"  # one click only chooses the cell
        assert await pilot.click(pane.grid, offset=cell)
        await settle(pilot)
        modal = app.screen
        assert type(modal).__name__ == "SlotModal" and modal.query_one("#f-number").value == "3"
        options = modal.query_one("#f-load")
        row = next(i for i, x in enumerate(modal.loads) if x.subject == "История")
        assert await pilot.click(options, offset=await painted(pilot, options, (4, 1 + row), option=row))
        assert modal.loads[options.highlighted].subject == "История"
        assert await pilot.click("#slot-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
    assert (SAT, 3, "История", "", "") in _week(demo_url, "5А")


def _run(*keys: str):  # noqa: ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        pilot.app.open_screen("admin", tab="timetable")
        await settle(pilot)
        await pilot.press("c", "down", "enter")  # 5А, the class after 1А
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_snapshot_admin_timetable_small(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, "deputy"), terminal_size=SMALL, run_before=_run("down", "down", "down"))


def test_snapshot_admin_timetable_form_small(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, "deputy"), terminal_size=SMALL,
                        run_before=_run(*["right"] * 5, "a"))
