"""A user with a mouse: a footer key opens its screen; a click in the register grid moves the
cursor to that cell (past the fixed name column, with the grid scrolled) and a digit typed
then is stored; a click highlights a lesson on Today and a second click opens its register;
the cell editor's and the lock screen's buttons work when clicked. Run at 80×24, where the
register grid is scrolled both ways."""

from __future__ import annotations

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.tui.widgets.register_grid import CELL_W, HEADER_H, NO_W
from tests.ui.harness import SMALL, demo_database, painted, settle, signed_in_app


def _marks(url: str, pupil_id: int, lesson_id: int) -> list[str]:
    db = demo_database(url)
    with db.uow() as uow:
        return list(uow.session.scalars(select(m.Mark.value).where(
            m.Mark.pupil_id == pupil_id, m.Mark.lesson_id == lesson_id).order_by(m.Mark.id)))


def _footer_key(app, key: str):  # noqa: ANN001, ANN202
    return next(k for k in app.screen.query("FooterKey") if k.key == key)


def _cell_offset(grid, row: int, col: int) -> tuple[int, int]:  # noqa: ANN001
    """Where pupil `row`, lesson `col` is painted inside the grid (it must be visible)."""
    assert grid.top <= row < grid.top + grid.size.height - HEADER_H
    assert grid.left <= col < grid.left + grid._visible_cols()  # noqa: SLF001
    return NO_W + grid._name_w + 1 + (col - grid.left) * CELL_W + 2, HEADER_H + row - grid.top  # noqa: SLF001


def _free_row(grid, col: int) -> int:  # noqa: ANN001
    """A visible pupil with nothing at lesson `col`, not the cursor's row."""
    reg, lesson = grid.register, grid.register.lessons[col]
    rows = range(grid.top, min(len(reg.pupils), grid.top + grid.size.height - HEADER_H))
    return next(r for r in rows if r != grid.row and (reg.pupils[r].id, lesson.id) not in reg.marks
                and (reg.pupils[r].id, lesson.id) not in reg.absences)


async def _register(app, pilot):  # noqa: ANN001, ANN202
    """The register, opened by clicking F3 in the footer."""
    assert await pilot.click(_footer_key(app, "f3"))
    await settle(pilot)
    assert type(app.screen).__name__ == "RegisterScreen"
    return app.screen.grid


async def test_clicking_a_footer_key_opens_its_screen(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        assert type(app.screen).__name__ == "TodayScreen"
        grid = await _register(app, pilot)
        assert grid.register is not None and grid.register.pupils
        assert await pilot.click(_footer_key(app, "t"))  # the register's own key, in the footer
        await settle(pilot)
        assert type(app.screen).__name__ == "LessonEditorModal"


async def test_click_a_register_cell_then_type_a_mark(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        grid = await _register(app, pilot)
        await pilot.press("pagedown", "pagedown")  # scrolled down: clicks must count from its top row
        await pilot.pause()
        assert grid.top > 0 and grid.left > 0  # 80 columns: the latest lessons, scrolled right
        col = grid.col
        row = _free_row(grid, col)
        assert await pilot.click(grid, offset=_cell_offset(grid, row, col - 1))
        assert (grid.row, grid.col) == (row, col - 1)
        assert await pilot.click(grid, offset=_cell_offset(grid, row, col))
        assert (grid.row, grid.col) == (row, col)
        await pilot.press("5")
        await settle(pilot)
        pupil, lesson = grid.register.pupils[row], grid.register.lessons[col]
        assert grid.cell_text(pupil.id, lesson.id) == "5"
        assert await pilot.click(grid, offset=(grid.size.width - 4, HEADER_H + row - grid.top))
        assert (grid.row, grid.col) == (row, len(grid.register.lessons))  # the summary: the final mark
    assert _marks(demo_url, pupil.id, lesson.id) == ["5"]


async def test_click_a_lesson_on_today_then_click_again_to_open_it(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        today = app.screen
        lessons = today.query_one("#lessons")
        second = today.view.lessons[1]
        at = await painted(pilot, lessons, (20, 2), row=1)  # the header, then the lessons: the second
        assert await pilot.click(lessons, offset=at)
        await settle(pilot)
        assert lessons.cursor_row == 1 and app.screen is today  # one click only chooses it
        assert await pilot.click(lessons, offset=at)
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        assert app.screen.load_id == second.load_id
        grid = app.screen.grid
        assert grid.register.lessons[grid.col].date == today.view.day  # today's lesson, opened


async def test_double_click_opens_the_cell_editor_and_its_buttons_work(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        grid = await _register(app, pilot)
        col = grid.col
        row = _free_row(grid, col)
        assert await pilot.double_click(grid, offset=_cell_offset(grid, row, col))
        await settle(pilot)
        editor = app.screen
        assert type(editor).__name__ == "CellEditorModal"
        assert (grid.row, grid.col) == (row, col)
        editor.query_one("#value").value = "4"
        assert await pilot.click("#add")
        await settle(pilot)
        assert editor.query_one("#cell-marks").row_count == 1
        assert await pilot.click("#close")
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        pupil, lesson = grid.register.pupils[row], grid.register.lessons[col]
    assert _marks(demo_url, pupil.id, lesson.id) == ["4"]


async def test_lock_screen_buttons(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert type(app.screen).__name__ == "LockScreen"
        app.screen.query_one("#lock-password").value = "wrong"
        assert await pilot.click("#unlock")
        await settle(pilot)
        assert type(app.screen).__name__ == "LockScreen"  # still locked, and says why
        assert str(app.screen.query_one("#lock-error").render()).strip()
        app.screen.query_one("#lock-password").value = "demo"
        assert await pilot.click("#unlock")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert await pilot.click("#switch")
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen" and app.session is None
