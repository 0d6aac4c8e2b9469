"""The change log screen: events filtered by user, class, pupil and date; refused for a
teacher; snapshots."""

from __future__ import annotations

from datetime import date

from ejournal_tui.data import models as m
from ejournal_tui.services import absence_sheet
from tests.ui.harness import SMALL, actor, demo_database, make_app, painted, settle, signed_in_app


def _give_reason(url: str) -> str:
    """The class leader gives one absence a reason; returns the pupil's last name."""
    db = demo_database(url)
    who = actor(db, "teacher")
    with db.uow() as uow:
        (klass,) = absence_sheet.classes_for(uow, who)
        sheet = absence_sheet.open_sheet(uow, who, klass.id, date(2026, 11, 16), date(2026, 11, 20))
    (pupil_id, _day), cell = next(iter(sheet.cells.items()))
    with db.uow() as uow:
        absence_sheet.set_lesson_reason(uow, who, cell[0], "Б" if cell[0].reason != "Б" else "У")
    with db.uow() as uow:
        return uow.session.get(m.Pupil, pupil_id).last_name


async def _filter(app, pilot, **values: str) -> None:  # noqa: ANN001
    for name, value in values.items():
        app.screen.query_one(f"#q-{name}").value = value
    await pilot.press("f5")
    await settle(pilot)


async def test_filters_by_user_class_pupil_and_date(demo_url: str) -> None:
    last_name = _give_reason(demo_url)
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("changelog")
        await settle(pilot)
        await _filter(app, pilot, user="teacher")  # the demo's history has the teacher's lessons too
        entries = app.screen.entries
        assert entries[0].action == "attendance.reason" and {e.actor for e in entries} == {"teacher"}
        await _filter(app, pilot, user="", pupil=last_name[:4].lower())
        assert app.screen.entries[0].action == "attendance.reason"  # the newest; the demo's marks of the pupil follow
        assert all(e.pupil.startswith(last_name) for e in app.screen.entries)
        await _filter(app, pilot, pupil="", **{"class": "5A"})  # a Latin look-alike letter
        assert app.screen.entries[0].action == "attendance.reason"
        assert {e.class_name for e in app.screen.entries} == {"5А"}
        await _filter(app, pilot, since="21.11.2026")
        assert app.screen.entries == []
        await _filter(app, pilot, since="", **{"class": "9Я"})
        assert any("not found" in n.message.lower() for n in app._notifications)


async def test_teacher_is_refused(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        app.open_screen("changelog")
        await settle(pilot)
        assert app.screen.entries == []
        assert any("change log" in n.message for n in app._notifications)


def _run(pilot_key: str):  # noqa: ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        from textual.widgets import DataTable

        await settle(pilot)
        pilot.app.open_screen(pilot_key)
        await settle(pilot)
        # the table paints its new rows a moment after they are added: picture them, not the gap
        await painted(pilot, pilot.app.screen.query_one("#events", DataTable), (2, 1), row=0)

    return run_before


def test_snapshot_changelog(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    _give_reason(demo_url)
    assert snap_compare(make_app(demo_url, "deputy"), terminal_size=(120, 40), run_before=_run("changelog"))


def test_snapshot_changelog_small(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    _give_reason(demo_url)
    assert snap_compare(make_app(demo_url, "deputy"), terminal_size=SMALL, run_before=_run("changelog"))


