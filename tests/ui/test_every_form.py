"""Every form of the TUI that saves something saves the three ways a person tries, and Escape
discards: (1) its «Сохранить» (primary) button clicked, (2) Enter in its last field, (3)
Ctrl+S; (4) Escape, after which nothing is written.

One test, parametrised over (form, way). `FORMS` says for each form who signs in, the keys
that open it from the Today screen and fill it in (ending with the focus in the form's last
field, so that Enter there is the second way), its primary button, and how the database
shows it saved. Only keys and clicks: no action is called directly, no value is set on a
widget. Each case has its own copy of the small demo school (made once per session).
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from textual.screen import ModalScreen

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from tests.ui.harness import actor, demo_database, make_app, settle

TODAY = date(2026, 11, 20)
WAYS = ("button", "enter", "ctrl+s", "escape")
Ctx = dict[str, Any]


@pytest.fixture(autouse=True)
def _russian() -> None:
    set_language("ru")  # the palette is searched by the screens' Russian titles


# ---- what a person does -----------------------------------------------------------------


async def keys(pilot: Any, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def palette(pilot: Any, title: str) -> None:
    """Ctrl+P, a screen's title typed, Enter: how a person opens a screen without an F-key."""
    await keys(pilot, "ctrl+p")
    await type_text(pilot, title)
    await settle(pilot)
    await keys(pilot, "enter")
    for _ in range(50):  # a screen whose rows come from two workers, one started by the other
        await settle(pilot)
        if getattr(pilot.app.screen, "sheet", True) is not None:
            break


async def down_to(pilot: Any, table: Any, row: int) -> None:
    """The table's cursor moved down (or up) to `row` with the arrow keys."""
    step = "down" if row >= table.cursor_row else "up"
    await keys(pilot, *[step] * abs(row - table.cursor_row))
    assert table.cursor_row == row


async def next_fields(pilot: Any, count: int) -> None:
    """Enter `count` times: from field to field, keeping what they hold."""
    await keys(pilot, *["enter"] * count)


def query(ctx: Ctx, stmt: Any) -> list[Any]:
    with demo_database(ctx["url"]).uow() as uow:
        return list(uow.session.execute(stmt).scalars())


# ---- the forms: how to open and fill each, and how its saving shows in the database --------


@dataclass(frozen=True)
class Form:
    login: str | None
    fill: Callable[[Any, Any, Ctx], Awaitable[None]]  # opens the form and types into it
    button: str  # the primary button's selector
    saved: Callable[[Ctx], bool]  # what the database holds once it is saved
    then: tuple[tuple[Callable[[Any, Any, Ctx], Awaitable[None]], str], ...] = ()  # a form that follows
    stays: bool = False  # Escape leaves the form on screen (nothing to go back to)
    start: Callable[[str], Any] | None = None  # the app, if not signed in as `login`
    # whether the form is still on screen (a modal or a screen: whether it is still stacked)
    is_open: Callable[[Any, Any], bool] = lambda app, shown: shown in app.screen_stack


# -- the teacher's forms --


async def lesson_editor(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Today's first lesson (Enter), its page (`t`): a topic, Enter, homework."""
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "RegisterScreen"
    await keys(pilot, "t")
    await type_text(pilot, "Тема 1")
    await keys(pilot, "enter")
    await type_text(pilot, "упр. 5")


def lesson_saved(ctx: Ctx) -> bool:
    return bool(query(ctx, select(m.Lesson.id).where(m.Lesson.date == TODAY, m.Lesson.topic == "Тема 1",
                                                      m.Lesson.homework == "упр. 5")))


async def _to_pupil(pilot: Any, wanted: Callable[[list[Any], Any], bool]) -> Any:
    """Down the register to the first pupil (below the first) whose cell at the cursor's
    lesson holds what `wanted(marks, absence)` likes; returns the cell."""
    screen = pilot.app.screen
    grid, reg = screen.grid, screen.reg
    lesson = grid.current_cell().lesson_id
    row = next(i for i, p in enumerate(reg.pupils) if i > 0
               and wanted(reg.marks.get((p.id, lesson), []), reg.absences.get((p.id, lesson))))
    await keys(pilot, *["down"] * (row - grid.row))
    return grid.current_cell()


async def cell_editor(app: Any, pilot: Any, ctx: Ctx) -> None:
    """F3, a cell with one mark, Enter: the mark changed, Tab Tab to the comment, typed; Tab
    past the attendance and the remark's kind to the remark to parents (the last field), typed."""
    await keys(pilot, "f3")
    cell = await _to_pupil(pilot, lambda marks, absent: len(marks) == 1 and not absent)
    old = app.screen.reg.marks[(cell.pupil_id, cell.lesson_id)][0].value
    ctx["cell"], ctx["value"] = cell, "2" if old != "2" else "3"
    await keys(pilot, "enter")
    await pilot.press("end", "backspace", ctx["value"], "tab", "tab")
    await type_text(pilot, "молодец")
    await pilot.press("tab", "tab", "tab")
    await type_text(pilot, "Забыл тетрадь")


def cell_saved(ctx: Ctx) -> bool:
    cell = ctx["cell"]
    mark = query(ctx, select(m.Mark.value + "|" + m.Mark.comment).where(
        m.Mark.pupil_id == cell.pupil_id, m.Mark.lesson_id == cell.lesson_id)) == [f"{ctx['value']}|молодец"]
    remark = query(ctx, select(m.Remark.text).where(
        m.Remark.pupil_id == cell.pupil_id, m.Remark.lesson_id == cell.lesson_id)) == ["Забыл тетрадь"]
    assert mark == remark, "the mark and the remark are saved together, or neither"
    return mark


async def late_reason(app: Any, pilot: Any, ctx: Ctx) -> None:
    """F3, the register's first lesson (long past), a mark in an empty cell: the reason asked."""
    await keys(pilot, "f3", "home")
    ctx["cell"] = await _to_pupil(pilot, lambda marks, absent: not marks and not absent)
    await keys(pilot, "4")
    assert type(app.screen).__name__ == "ReasonModal"
    await type_text(pilot, "болел")


def late_saved(ctx: Ctx) -> bool:
    cell = ctx["cell"]
    return query(ctx, select(m.Mark.value).where(m.Mark.pupil_id == cell.pupil_id,
                                                 m.Mark.lesson_id == cell.lesson_id)) == ["4"]


async def homework(app: Any, pilot: Any, ctx: Ctx) -> None:
    """F4, Enter on the lesson offered (today's or the next), homework typed."""
    await keys(pilot, "f4")
    screen = app.screen
    ctx["row"] = screen.rows[screen.query_one("#hw-lessons").cursor_row]
    await keys(pilot, "enter")  # the field shows what is there, selected: typing replaces it
    await type_text(pilot, "стр. 70")


def homework_saved(ctx: Ctx) -> bool:
    row = ctx["row"]
    return query(ctx, select(m.Lesson.homework).where(m.Lesson.load_id == row.load_id, m.Lesson.date == row.day,
                                                      m.Lesson.number == row.number)) == ["стр. 70"]


async def sick_note(app: Any, pilot: Any, ctx: Ctx) -> None:
    """The absences sheet (palette), to a pupil's day with an absence, `s`: the dates and the
    reason as offered, a comment typed."""
    await palette(pilot, "Причины проп")
    screen = app.screen
    sheet = screen.sheet
    row, day = next((i, d) for i, p in enumerate(sheet.pupils) for d in sheet.days if sheet.cell(p.id, d))
    grid = screen.query_one("#grid")
    await down_to(pilot, grid, row)
    await keys(pilot, *["right"] * (sheet.days.index(day) + 1 - grid.cursor_column))
    await keys(pilot, "s")
    await next_fields(pilot, 3)
    await type_text(pilot, "справка")


def note_saved(ctx: Ctx) -> bool:
    return bool(query(ctx, select(m.AbsenceNote.id).where(m.AbsenceNote.comment == "справка")))


async def parents_form(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Today's `p` (the class leader's parents of 5А), Enter on the first family, Enter through
    its parents to the empty line: a new parent's name and e-mail, on to the consent (last)."""
    await keys(pilot, "p")
    assert type(app.screen).__name__ == "ParentsScreen"
    await keys(pilot, "enter")
    lines = len(app.screen.lines)
    await next_fields(pilot, 4 * (lines - 1))
    await type_text(pilot, "Бабушкина Вера")
    await keys(pilot, "enter")
    await type_text(pilot, "vera@example.org")
    await next_fields(pilot, 2)
    assert app.focused.id == f"p{lines - 1}-consent"


def parents_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.ParentContact.email).where(m.ParentContact.name == "Бабушкина Вера")) == [
        "vera@example.org"]


# -- the deputy's --


async def _closure(pilot: Any, klass: str = "") -> Any:
    """The closure screen (palette); `c` to the class wanted."""
    await palette(pilot, "Закрытие")
    screen = pilot.app.screen
    for _ in range(8):
        if not klass or screen.sheet.klass.name == klass:
            break
        await keys(pilot, "c")
    return screen


async def final_mark(app: Any, pilot: Any, ctx: Ctx) -> None:
    """The closure screen (palette), 5А (1А has no marks), `e` on the first pupil: another
    final mark typed."""
    screen = await _closure(pilot, "5А")
    line = screen._line()
    ctx["pupil"], ctx["subject"] = line.pupil_id, screen._block().subject_id
    ctx["value"] = "3" if line.final != "3" else "4"
    await keys(pilot, "e")
    await type_text(pilot, ctx["value"])


def final_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.FinalMark.value).where(
        m.FinalMark.pupil_id == ctx["pupil"], m.FinalMark.subject_id == ctx["subject"],
        m.FinalMark.period_code == "Q2")) == [ctx["value"]]


async def reopen_reason(app: Any, pilot: Any, ctx: Ctx) -> None:
    """The closure screen, `p` to the closed Q1, F8: the reason typed."""
    screen = await _closure(pilot)
    for _ in range(8):
        if screen.sheet.period == "Q1":
            break
        await keys(pilot, "p")
    assert screen.sheet.closed
    ctx["class"] = screen.sheet.klass.id
    await keys(pilot, "f8")
    await type_text(pilot, "ошибка")


def reopened(ctx: Ctx) -> bool:
    return query(ctx, select(m.PeriodClosure.closed).join(m.Period, m.Period.id == m.PeriodClosure.period_id).where(
        m.Period.code == "Q1", m.PeriodClosure.class_id == ctx["class"])) == [False]


# -- the administrator's --

async def _admin(pilot: Any, tab: str) -> Any:
    """The administration screen (palette), its tab clicked (`]` six times over is as good,
    but slower)."""
    await palette(pilot, "Админ")
    if tab != "users":
        assert await pilot.click(f"#--content-tab-tab-{tab}")
        await settle(pilot)
    screen = pilot.app.screen
    assert screen.tab == tab
    return screen


async def _admin_row(pilot: Any, tab: str, pick: Callable[[Any], bool]) -> Any:
    screen = await _admin(pilot, tab)
    items = screen.items[tab]
    row = next(i for i, item in enumerate(items) if pick(item))
    await down_to(pilot, screen.query_one(f"#t-{tab}"), row)
    return items[row]


async def account_add(app: Any, pilot: Any, ctx: Ctx) -> None:
    await _admin(pilot, "users")
    await keys(pilot, "a")
    await type_text(pilot, "newbie")
    await keys(pilot, "enter")
    await type_text(pilot, "Ким Нина")
    await next_fields(pilot, 2)  # the roles offered: teacher
    await type_text(pilot, "Long-4242")


def account_saved(ctx: Ctx) -> bool:
    return bool(query(ctx, select(m.Staff.id).where(m.Staff.login == "newbie")))


def _password_hash(ctx: Ctx, login: str) -> str:
    return query(ctx, select(m.Staff.password_hash).where(m.Staff.login == login))[0]


async def password_reset(app: Any, pilot: Any, ctx: Ctx) -> None:
    await _admin_row(pilot, "users", lambda a: a.login == "secretary")
    ctx["hash"] = _password_hash(ctx, "secretary")
    await keys(pilot, "p")
    await type_text(pilot, "Temp-4242")


def password_saved(ctx: Ctx) -> bool:
    return _password_hash(ctx, "secretary") != ctx["hash"]


async def setting_edit(app: Any, pilot: Any, ctx: Ctx) -> None:
    await _admin_row(pilot, "settings", lambda s: s.name == "idle_lock_minutes")
    await keys(pilot, "e")
    await type_text(pilot, "30")


def setting_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.Setting.value).where(m.Setting.key == "idle_lock_minutes")) == ["30"]


def _pupil_in(klass: str) -> Callable[[Any], bool]:
    return lambda item: isinstance(item, tuple) and item[0].name == klass


async def pupil_edit(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Classes: the first pupil of 1А, `e`: the card's fields kept, the phone (last) typed."""
    _klass, pupil = await _admin_row(pilot, "classes", _pupil_in("1А"))
    ctx["pupil"] = pupil.id
    await keys(pilot, "e")
    await next_fields(pilot, 6)
    await type_text(pilot, "8900")


def pupil_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.Pupil.phone).where(m.Pupil.id == ctx["pupil"])) == ["8900"]


async def pupil_move(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Classes: a pupil of 1А, `m`: the class 5А typed, the day as offered; then the groups."""
    _klass, pupil = await _admin_row(pilot, "classes", _pupil_in("1А"))
    ctx["pupil"] = pupil.id
    await keys(pilot, "m")
    await type_text(pilot, "5А")
    await keys(pilot, "enter")


async def move_groups(app: Any, pilot: Any, ctx: Ctx) -> None:
    """The groups of 5А's two splits, the first of each as offered: Enter to the last."""
    assert "5А" in app.screen.title_text
    await next_fields(pilot, 1)


def moved(ctx: Ctx) -> bool:
    return bool(query(ctx, select(m.Membership.id).join(m.SchoolClass, m.SchoolClass.id == m.Membership.class_id)
                      .where(m.Membership.pupil_id == ctx["pupil"], m.SchoolClass.name == "5А",
                             m.Membership.start == TODAY)))


async def holiday_add(app: Any, pilot: Any, ctx: Ctx) -> None:
    await _admin(pilot, "periods")
    await keys(pilot, "a")
    await type_text(pilot, "Отдых")
    await keys(pilot, "enter")
    await type_text(pilot, "15.02.2027")  # one day: a longer holiday inside a quarter is refused
    await keys(pilot, "enter")
    await type_text(pilot, "15.02.2027")


def holiday_added(ctx: Ctx) -> bool:
    return query(ctx, select(m.Holiday.end).where(m.Holiday.name == "Отдых")) == [date(2027, 2, 15)]


async def holiday_edit(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Periods: the one-day holiday of 23.02, `e`: renamed, the dates kept."""
    holiday = await _admin_row(pilot, "periods", lambda h: getattr(h, "start", None) == date(2027, 2, 23))
    ctx["holiday"] = holiday.id
    await keys(pilot, "e")
    await type_text(pilot, "Праздник")
    await next_fields(pilot, 2)


def holiday_edited(ctx: Ctx) -> bool:
    return query(ctx, select(m.Holiday.name).where(m.Holiday.id == ctx["holiday"])) == ["Праздник"]


async def period_edit(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Periods: Q3, `e`: the start kept, the end a day earlier."""
    await _admin_row(pilot, "periods", lambda p: getattr(p, "code", None) == "Q3")
    await keys(pilot, "e", "enter")
    await type_text(pilot, "20.03.2027")


def period_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.Period.end).where(m.Period.code == "Q3")) == [date(2027, 3, 20)]


async def kind_edit(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Kinds of work: the first, Enter: renamed; short name and weight kept; on to the category."""
    screen = await _admin(pilot, "kinds")
    ctx["code"] = screen.query_one("#pane-kinds").current().code
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "KindModal"
    await type_text(pilot, "Опрос 2")
    await next_fields(pilot, 3)


def kind_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.WorkKind.name).where(m.WorkKind.code == ctx["code"])) == ["Опрос 2"]


async def reason_rename(app: Any, pilot: Any, ctx: Ctx) -> None:
    screen = await _admin(pilot, "reasons")
    ctx["code"] = screen.query_one("#pane-reasons").current().code
    await keys(pilot, "e")
    await type_text(pilot, "хворь")


def reason_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.AbsenceReason.name).where(m.AbsenceReason.code == ctx["code"])) == ["хворь"]


async def timetable_slot(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Timetable: 1А's Saturday (free), `a`: the load row offered (Enter), day and number
    as offered, the room typed."""
    await _admin(pilot, "timetable")
    await keys(pilot, *["right"] * 5, "a")
    assert type(app.screen).__name__ == "SlotModal"
    await next_fields(pilot, 3)
    await type_text(pilot, "12")


def slot_saved(ctx: Ctx) -> bool:
    return query(ctx, select(m.TimetableSlot.room).where(m.TimetableSlot.weekday == 6)) == ["12"]


# -- before anyone signs in --


async def school_form(app: Any, pilot: Any, ctx: Ctx) -> None:
    """Short words (each key a person presses costs the test time), Enter from field to field;
    the login and the year as offered."""
    from tests.ui.test_first_run import fill

    await fill(pilot, {"code": "s1", "name": "Школа", "city": "Тверь", "admin-name": "Ким Ян",
                       "password": "Lamp-4242", "repeat": "Lamp-4242"}, move="enter")


def school_saved(ctx: Ctx) -> bool:
    return bool(query_engine(ctx["url"], select(func.count()).select_from(m.School)))


def query_engine(url: str, stmt: Any) -> int:
    from ejournal_tui.data.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(stmt).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the schema and no school, made once: each first-run case copies it
    rather than migrating a new file."""
    from ejournal_tui.data.db import open_database

    path = tmp_path_factory.mktemp("ui-empty") / "empty.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


def empty_school_app(url: str) -> Any:
    """The app as `ejournal --db URL` starts it on an empty database: the first-run form."""
    from ejournal_tui.cli.state import CliState
    from ejournal_tui.config import AppConfig
    from ejournal_tui.tui.app import EjournalApp

    state = CliState(db_url=url, _config=AppConfig())
    app = EjournalApp(db=None, config=state.config, connect=state.database, engine=state.engine)
    app.cli_state = state  # its engine is disposed after the test
    return app


async def new_password(app: Any, pilot: Any, ctx: Ctx) -> None:
    """A first sign-in with the password the administrator gave: a new one, twice."""
    await type_text(pilot, "teacher")
    await keys(pilot, "enter")
    await type_text(pilot, "Temp-4242")
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "ChangePasswordModal"
    await type_text(pilot, "Mine-4242")
    await keys(pilot, "enter")
    await type_text(pilot, "Mine-4242")


def password_changed(ctx: Ctx) -> bool:
    return query(ctx, select(m.Staff.must_change_password).where(m.Staff.login == "teacher")) == [False]


def reset_teacher_password(url: str) -> Any:
    """The administrator gave the teacher a temporary password; the app at the login screen."""
    from ejournal_tui.services.accounts import change_password

    db = demo_database(url)
    with db.uow() as uow:
        change_password(uow, actor(db, "admin"), "teacher", "Temp-4242")
    return make_app(url, None)


FORMS: dict[str, Form] = {
    "lesson editor": Form("teacher", lesson_editor, "#save", lesson_saved),
    "cell editor": Form("teacher", cell_editor, "#save", cell_saved),
    "late entry reason": Form("teacher", late_reason, "#ok", late_saved),
    "homework": Form("teacher", homework, "#hw-save", homework_saved,
                     is_open=lambda app, _shown: app.screen.query_one("#hw-edit").display),
    "sick note": Form("teacher", sick_note, "#prompt-save", note_saved),
    "parents' contacts": Form("teacher", parents_form, "#pform-save", parents_saved),
    "final mark": Form("deputy", final_mark, "#prompt-save", final_saved),
    "reopen reason": Form("deputy", reopen_reason, "#prompt-save", reopened),
    "account": Form("admin", account_add, "#prompt-save", account_saved),
    "password reset": Form("admin", password_reset, "#prompt-save", password_saved),
    "setting": Form("admin", setting_edit, "#prompt-save", setting_saved),
    "pupil card": Form("admin", pupil_edit, "#prompt-save", pupil_saved),
    "pupil move": Form("admin", pupil_move, "#prompt-save", moved, then=((move_groups, "#prompt-save"),)),
    "holiday add": Form("admin", holiday_add, "#prompt-save", holiday_added),
    "holiday edit": Form("admin", holiday_edit, "#prompt-save", holiday_edited),
    "period dates": Form("admin", period_edit, "#prompt-save", period_saved),
    "kind of work": Form("admin", kind_edit, "#kind-save", kind_saved),
    "absence reason name": Form("admin", reason_rename, "#prompt-save", reason_saved),
    "timetable lesson": Form("admin", timetable_slot, "#slot-save", slot_saved),
    "first-run school": Form(None, school_form, "#create", school_saved, stays=True, start=empty_school_app),
    "first sign-in password": Form(None, new_password, "#save", password_changed, start=reset_teacher_password),
}


async def finish(pilot: Any, way: str, button: str) -> None:
    if way == "button":
        assert await pilot.click(button), button
    else:
        await pilot.press(way)
    await settle(pilot)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", list(FORMS))
async def test_every_form_saves_three_ways_and_escape_discards(
    name: str, way: str, demo_url: str, tmp_path: Path, empty_template: Path,
) -> None:
    form = FORMS[name]
    url = demo_url
    if form.start is empty_school_app:
        url = f"sqlite:///{shutil.copy(empty_template, tmp_path / 'new.db')}"
    ctx: Ctx = {"url": url}
    app = form.start(url) if form.start else make_app(url, form.login)
    try:
        await run_form(app, form, name, way, ctx)
    finally:
        if getattr(app, "cli_state", None) is not None and app.cli_state._engine is not None:  # noqa: SLF001
            app.cli_state._engine.dispose()  # noqa: SLF001
    assert form.saved(ctx) is (way != "escape"), f"{name}: {way}"


async def run_form(app: Any, form: Form, name: str, way: str, ctx: Ctx) -> None:
    """Open and fill the form, then save it `way` (or Escape), and see it closed."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await form.fill(app, pilot, ctx)
        await settle(pilot)
        shown = app.screen
        assert not form.saved(ctx), "saved before it was asked to be"
        await finish(pilot, way, form.button)
        for fill, button in form.then if way != "escape" else ():
            await fill(app, pilot, ctx)
            await finish(pilot, way, button)
        if way != "escape" or not form.stays:
            said = [n.message for n in app._notifications]  # noqa: SLF001 - what the person was told
            assert not form.is_open(app, shown), f"{name} still open after {way}: {said}"
            assert not isinstance(app.screen, ModalScreen), f"{app.screen} left open: {said}"
        await settle(pilot)
