"""The control report screen: the deputy sees the service's rows, sorts them, and drills
down from a number to the items behind it; a teacher is refused."""

from __future__ import annotations

from ejournal_tui.services.control import control_report
from tests.ui.harness import actor, demo_database, settle, signed_in_app


def _expected(url: str):  # noqa: ANN202
    db = demo_database(url)
    with db.uow() as uow:
        return control_report(uow, actor(db, "deputy"), "Q2")


async def test_rows_sort_and_drill_down(demo_url: str) -> None:
    expected = _expected(demo_url)
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("control")
        await settle(pilot)
        screen = app.screen
        assert screen.report.period == "Q2"
        table = screen.query_one("#ctl-rows")
        assert table.row_count == len(expected.rows)
        screen.sort_by("no_marks")
        await pilot.pause()
        figures = [table.get_row_at(i)[12] for i in range(table.row_count)]
        assert figures == sorted(figures, reverse=True)
        top = max(expected.rows, key=lambda r: r.figures.no_marks)
        load_id = int(str(table.coordinate_to_cell_key((0, 0)).row_key.value))
        assert expected.row(load_id).figures.no_marks == top.figures.no_marks
        screen.drill(load_id, "no_marks")
        await pilot.pause()
        assert screen.query_one("#ctl-details").row_count == top.figures.no_marks
        assert {i.issue for i in screen.items} == {"no_marks"}


async def test_window_input_and_teacher_refused(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("control", period="Q2", window="2026-11-16")
        await settle(pilot)
        assert (app.screen.report.kind, str(app.screen.report.start)) == ("week", "2026-11-16")
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        app.open_screen("control")
        await settle(pilot)
        assert app.screen.report is None
        assert any("control reports" in n.message for n in app._notifications)
