"""A teacher writes a remark or thanks to parents in the cell editor, by keys only, on the
small demo school: signed in as `teacher` (password `demo`), F3, a cell, Enter; the remark
typed in the form's last field and saved by Enter, changed to thanks and saved by Ctrl+S,
shown again when the cell is reopened, marked on the grid, and removed by clearing it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ejournal_tui.data import models as m
from tests.ui.harness import demo_database, make_app, settle

TO_REMARK = ["tab"] * 5  # from the mark: kind of work, comment, attendance, remark or thanks, its text


async def keys(pilot: Any, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    await keys(pilot, *("space" if ch == " " else ch for ch in text))


def stored(url: str, pupil_id: int, lesson_id: int) -> list[tuple[str, bool]]:
    with demo_database(url).uow() as uow:
        return [(r.text, r.praise) for r in uow.session.scalars(select(m.Remark).where(
            m.Remark.pupil_id == pupil_id, m.Remark.lesson_id == lesson_id))]


def grid_line(screen: Any, row: int) -> str:
    """The grid's painted line of the pupil in `row` (the two header lines above)."""
    grid = screen.grid
    return "".join(segment.text for segment in grid.render_line(2 + row - grid.top))


async def open_cell(app: Any, pilot: Any) -> Any:
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "CellEditorModal"
    return app.screen


async def test_a_remark_is_written_shown_again_changed_to_thanks_and_cleared(demo_url: str) -> None:
    app = make_app(demo_url, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await keys(pilot, *"teacher", "tab", *"demo", "enter")
        assert app.session is not None and app.session.actor.login == "teacher"
        await keys(pilot, "f3", "down", "down")
        register = app.screen
        assert type(register).__name__ == "RegisterScreen"
        cell, row = register.grid.current_cell(), register.grid.row
        assert stored(demo_url, cell.pupil_id, cell.lesson_id) == []
        assert "•" not in grid_line(register, row)

        editor = await open_cell(app, pilot)
        await keys(pilot, *TO_REMARK)
        assert editor.focused.id == "remark"
        await type_text(pilot, "Забыл тетрадь")
        await keys(pilot, "enter")  # Enter in the last field saves the form
        assert app.screen is register
        assert stored(demo_url, cell.pupil_id, cell.lesson_id) == [("Забыл тетрадь", False)]
        assert "•" in grid_line(register, row)
        assert "Remark to parents: Забыл тетрадь" in str(register.query_one("#cell-info").render())

        editor = await open_cell(app, pilot)  # shown again
        assert editor.query_one("#remark").value == "Забыл тетрадь"
        assert editor.query_one("#remark-kind").value == "remark"
        await keys(pilot, *TO_REMARK[:-1], "enter", "down", "enter")  # the kind: thanks
        assert editor.query_one("#remark-kind").value == "praise"
        await keys(pilot, "tab", "end", "ctrl+u")
        await type_text(pilot, "Помог однокласснику")
        await keys(pilot, "ctrl+s")
        assert app.screen is register
        assert stored(demo_url, cell.pupil_id, cell.lesson_id) == [("Помог однокласснику", True)]

        editor = await open_cell(app, pilot)
        assert editor.query_one("#remark").value == "Помог однокласснику"
        assert editor.query_one("#remark-kind").value == "praise"
        await keys(pilot, *TO_REMARK, "end", "ctrl+u", "enter")  # cleared: removed
        assert app.screen is register
        assert stored(demo_url, cell.pupil_id, cell.lesson_id) == []
        assert "•" not in grid_line(register, row)

        editor = await open_cell(app, pilot)
        assert editor.query_one("#remark").value == ""
        await keys(pilot, "escape")
    with demo_database(demo_url).uow() as uow:
        actions = list(uow.session.scalars(select(m.AuditEvent.action).where(m.AuditEvent.action.like("remark.%"))
                                           .order_by(m.AuditEvent.seq)))
    assert actions == ["remark.add", "remark.edit", "remark.delete"]


async def test_a_remark_is_saved_with_the_mark_by_the_button_and_kept_after_a_refresh(demo_url: str) -> None:
    app = make_app(demo_url, "teacher")
    async with app.run_test(size=(80, 24)) as pilot:  # the form fits the smallest terminal
        await settle(pilot)
        await keys(pilot, "f3", "down")
        register = app.screen
        cell = register.grid.current_cell()
        editor = await open_cell(app, pilot)
        await keys(pilot, *TO_REMARK)
        await type_text(pilot, "Отвечал лучше всех")
        await keys(pilot, "shift+tab", "enter", "down", "enter")
        assert await pilot.click("#save")
        await settle(pilot)
        assert app.screen is register
        assert stored(demo_url, cell.pupil_id, cell.lesson_id) == [("Отвечал лучше всех", True)]
        await keys(pilot, "f5")  # read afresh from the database
        editor = await open_cell(app, pilot)
        assert editor.query_one("#remark").value == "Отвечал лучше всех"
        assert editor.query_one("#remark-kind").value == "praise"
