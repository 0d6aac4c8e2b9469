"""The administration screen: admit, move and leave a pupil (dated memberships), change a
rule setting, add an account; refusals change nothing; snapshots."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from tests.ui.harness import SMALL, demo_database, make_app, settle, signed_in_app


def _memberships(url: str, last_name: str) -> list[tuple[str, date, date | None]]:
    db = demo_database(url)
    P, Ms, C = m.Pupil, m.Membership, m.SchoolClass
    with db.uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(C.name, Ms.start, Ms.end).join(Ms, Ms.class_id == C.id).join(P, P.id == Ms.pupil_id)
            .where(P.last_name == last_name).order_by(Ms.start))]


async def _tab(app, pilot, tab: str) -> None:  # noqa: ANN001
    app.screen.query_one("TabbedContent").active = f"tab-{tab}"
    await settle(pilot)


async def _fill(app, pilot, **values: str) -> None:  # noqa: ANN001
    await settle(pilot)
    for name, value in values.items():
        app.screen.query_one(f"#f-{name}").value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _pick_pupil(app, pilot, class_name: str) -> object:  # noqa: ANN001
    items = app.screen.items["classes"]
    row = next(i for i, it in enumerate(items) if isinstance(it, tuple) and it[0].name == class_name
               and it[1].end is None)
    app.screen.query_one("#t-classes").move_cursor(row=row)
    await pilot.pause()
    return items[row][1]


async def test_admit_move_and_leave(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("admin", tab="classes")
        await settle(pilot)
        await pilot.press("a")
        await _fill(app, pilot, **{"class": "5A", "name": "Новенький Никита", "start": "23.11.2026"})
        assert _memberships(demo_url, "Новенький") == [("5А", date(2026, 11, 23), None)]
        pupil = await _pick_pupil(app, pilot, "5А")
        last = pupil.name.split()[0]
        await pilot.press("m")
        await _fill(app, pilot, **{"class": "7Б", "day": "23.11.2026"})
        if type(app.screen).__name__ == "PromptModal":  # 7Б's groups: the first of each split
            await pilot.press("ctrl+s")
            await settle(pilot)
        rows = _memberships(demo_url, last)
        assert rows[-2][2] == date(2026, 11, 22) and rows[-1] == ("7Б", date(2026, 11, 23), None)
        pupil = await _pick_pupil(app, pilot, "7Б")
        await pilot.press("l")
        await _fill(app, pilot, day="30.11.2026")
        assert _memberships(demo_url, pupil.name.split()[0])[-1][2] == date(2026, 11, 30)


async def test_refused_move_changes_nothing_and_keeps_input(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("admin", tab="classes")
        await settle(pilot)
        pupil = await _pick_pupil(app, pilot, "5А")
        before = _memberships(demo_url, pupil.name.split()[0])
        await pilot.press("m")
        await _fill(app, pilot, **{"class": "5А", "day": "23.11.2026"})  # already there
        if not app.screen.query("#f-day"):  # 5А's groups are asked first
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal"
        assert app.screen.query_one("#f-day").value == "23.11.2026"
    assert _memberships(demo_url, pupil.name.split()[0]) == before


async def test_setting_changed_and_logged(demo_url: str) -> None:
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="settings")
        await settle(pilot)
        names = [s.name for s in app.screen.items["settings"]]
        app.screen.query_one("#t-settings").move_cursor(row=names.index("min_marks_one_hour"))
        await pilot.press("e")
        await _fill(app, pilot, value="4")
    db = demo_database(demo_url)
    with db.uow() as uow:
        assert uow.settings.min_marks_one_hour == 4
        assert uow.session.execute(select(func.count()).select_from(m.AuditEvent)
                                   .where(m.AuditEvent.action == "setting.set")).scalar() == 1


async def test_teacher_sees_nothing_and_changes_nothing(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        app.open_screen("admin")
        await settle(pilot)
        assert app.screen.items == {}
        assert any("administration" in n.message for n in app._notifications)


def _run(tab: str):  # noqa: ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        pilot.app.open_screen("admin", tab=tab)
        await settle(pilot)

    return run_before


def test_snapshot_admin_users(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, "admin"), terminal_size=(120, 40), run_before=_run("users"))


def test_snapshot_admin_classes_small(demo_url: str, frozen_ui: None, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, "deputy"), terminal_size=SMALL, run_before=_run("classes"))


async def test_admin_resets_a_password_that_must_be_changed_at_sign_in(demo_url: str) -> None:
    from ejournal_tui.services.accounts import check_password

    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="users")
        await settle(pilot)
        users = app.screen.items["users"]
        row = next(i for i, u in enumerate(users) if u.login == "secretary")
        app.screen.query_one("#t-users").move_cursor(row=row)
        await pilot.pause()
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one("#f-password").password  # typed characters are hidden
        await _fill(app, pilot, password="temporary-42")
    db = demo_database(demo_url)
    with db.uow() as uow:
        staff = uow.session.execute(select(m.Staff).where(m.Staff.login == "secretary")).scalar_one()
        assert staff.must_change_password and check_password(staff.password_hash, "temporary-42")
        events = uow.session.execute(select(func.count()).select_from(m.AuditEvent).where(
            m.AuditEvent.action == "account.passwd", m.AuditEvent.actor == "admin")).scalar_one()
    assert events == 1
