"""TUI benchmarks (issue 3): start-up to the login screen next to a bare Textual app,
switching registers (35 pupils × 70 lessons) next to Textual's stock DataTable filled with the
same cells, and a digit typed to the mark committed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from common import Context, Sample, benchmark, interleaved
from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Clock, Database

STARTS = 7
SWITCHES = 20
KEYSTROKES = 40

_BARE = """
import os
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare")
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        import sys, time
        print(f"painted {time.time():.6f}", file=sys.stderr, flush=True)
        self.exit()
Bare().run(headless=True)
"""


def _spawn(args: list[str]) -> float:
    """Seconds from starting the process to its first screen painted (the child prints the
    wall-clock time of that moment)."""
    env = dict(os.environ, EJOURNAL_TUI_EXIT_AFTER_PAINT="1", EJOURNAL_TUI_HEADLESS="1", EJOURNAL_LANG="ru")
    start = time.time()
    done = subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=60, text=True)
    painted = [line for line in done.stderr.splitlines() if line.startswith("painted ")]
    return float(painted[-1].split()[1]) - start


@benchmark("tui_start", baseline="tui_start_bare", target="≤ 1.5 × bare Textual app")
def tui_start(ctx: Context) -> Sample:
    url = ctx.demo_url("small")
    args = [sys.executable, "-m", "ejournal_tui", "--db", url, "tui"]
    bare = [sys.executable, "-c", _BARE]
    samples, ratio = interleaved(lambda: _spawn(args), lambda: _spawn(bare), STARTS, self_timed=True)
    return Sample(samples, {"ratio_interleaved": ratio})


@benchmark("tui_start_bare", target="baseline")
def tui_start_bare(ctx: Context) -> Sample:
    args = [sys.executable, "-c", _BARE]
    _spawn(args)
    return Sample([_spawn(args) for _ in range(STARTS)])


BIG_AS_OF = date(2026, 12, 18)  # by then a 6-hour subject has about 80 lessons in the year
BIG_CLASS = 35


def _db(ctx: Context) -> Database:
    """The school demo late in Q2, its biggest registers' classes topped up to 35 pupils with
    marks, so switching is measured on a register of 35 pupils × 70+ lessons."""
    if "register35" not in ctx._urls:
        url = ctx.demo_url("school", as_of=BIG_AS_OF)
        engine = make_engine(url)
        with engine.connect() as conn:
            school_id = conn.execute(select(m.School.id)).scalar_one()
        db = Database(engine, school_id, Clock(datetime.combine(BIG_AS_OF, dtime(9), UTC)))
        loads, _ = _big_registers(db)
        for load_id in set(loads):
            _top_up(db, load_id)
        ctx._urls["register35"] = url
        return db
    engine = make_engine(ctx._urls["register35"])
    with engine.connect() as conn:
        school_id = conn.execute(select(m.School.id)).scalar_one()
    return Database(engine, school_id, Clock(datetime.combine(BIG_AS_OF, dtime(9), UTC)))


def _top_up(db: Database, load_id: int) -> None:
    """New pupils in the load's class until it has 35, each with marks at a third of its lessons."""
    import random

    rng = random.Random(load_id)
    with db.uow() as uow:
        load = uow.session.get(m.TeachingLoad, load_id)
        members = uow.session.execute(select(func.count()).select_from(m.Membership).where(
            m.Membership.class_id == load.class_id)).scalar_one()
        lessons = uow.session.execute(select(m.Lesson.id).where(m.Lesson.load_id == load_id)).scalars().all()
        for i in range(BIG_CLASS - members):
            pupil = m.Pupil(school_id=db.school_id, last_name=f"Яковлев{i:02d}", first_name="Ян")
            uow.session.add(pupil)
            uow.session.flush()
            uow.session.add(m.Membership(school_id=db.school_id, pupil_id=pupil.id, class_id=load.class_id,
                                         start=date(2026, 9, 1)))
            for lesson_id in lessons:
                if rng.random() < 0.3:
                    uow.session.add(m.Mark(school_id=db.school_id, lesson_id=lesson_id, pupil_id=pupil.id,
                                           value=str(rng.randint(3, 5)), work_kind="oral", weight=1.0,
                                           entered_by=load.teacher_id))
        uow.commit()


def _big_registers(db: Database) -> tuple[list[int], object]:
    """Two loads of the teacher with the most lessons in the year, and that teacher."""
    from ejournal_tui.services.accounts import actor_of

    with db.uow() as uow:
        L = m.Lesson
        rows = uow.session.execute(
            select(L.load_id, func.count(L.id)).group_by(L.load_id).order_by(func.count(L.id).desc()).limit(40)
        ).all()
        teacher = uow.session.get(m.TeachingLoad, rows[0][0]).teacher_id
        loads = [lid for lid, _ in rows if uow.session.get(m.TeachingLoad, lid).teacher_id == teacher][:2]
        if len(loads) < 2:
            loads = [rows[0][0], rows[0][0]]
        return loads, actor_of(uow.session.get(m.Staff, teacher))


def _run(coro_fn) -> Sample:  # noqa: ANN001
    return asyncio.run(coro_fn())


async def _switch(ctx: Context, use_datatable: bool) -> Sample:
    from textual.widgets import DataTable

    from ejournal_tui.tui.app import EjournalApp
    from ejournal_tui.tui.widgets.register_grid import RegisterGrid

    db = _db(ctx)
    loads, actor = _big_registers(db)
    app = EjournalApp(db=db, signed_in=actor)
    painted: list[float] = []
    cls = DataTable if use_datatable else RegisterGrid
    original = cls.render_line
    current: dict = {}

    def traced(self, y):  # noqa: ANN001, ANN202
        strip = original(self, y)
        # the grid is painted when its last visible line has been drawn with the new data
        if y == self.size.height - 1 and current.get("reg") is not None and _shows(self, current["reg"]):
            painted.append(time.perf_counter())
        return strip

    cls.render_line = traced  # type: ignore[method-assign]
    samples: list[float] = []
    extra: dict = {}
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            app.open_screen("register", load_id=loads[0], period="Y")
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            table = None
            if use_datatable:
                table = DataTable()
                await screen.mount(table, before=screen.grid)
                screen.grid.display = False
            for i in range(SWITCHES + 2):
                load_id = loads[i % 2]
                painted.clear()
                start = time.perf_counter()
                if use_datatable:
                    reg = await asyncio.to_thread(_open, db, actor, load_id)  # the same service read
                    current["reg"] = reg
                    _fill(table, reg)
                else:
                    screen.load_id, screen.period = load_id, "Y"
                    current["reg"] = load_id
                    screen.load()
                    while screen.reg is None or screen.reg.ref.load_id != load_id:
                        await asyncio.sleep(0.001)
                    reg = screen.reg
                await pilot.pause()
                if i >= 2 and painted:
                    samples.append(painted[0] - start)
            extra = {"pupils": len(reg.pupils), "lessons": len(reg.lessons)}
    finally:
        cls.render_line = original  # type: ignore[method-assign]
    return Sample(samples, extra)


def _shows(widget, wanted) -> bool:  # noqa: ANN001
    """Whether the widget being painted already holds the register switched to."""
    reg = getattr(widget, "register", None)
    if isinstance(wanted, int):
        return reg is not None and reg.ref.load_id == wanted
    return widget.row_count == len(wanted.pupils)


def _open(db: Database, actor: object, load_id: int) -> object:
    from ejournal_tui.services.register import open_register

    with db.uow() as uow:
        return open_register(uow, actor, load_id, "Y")


def _fill(table, reg) -> None:  # noqa: ANN001
    table.clear(columns=True)
    table.add_columns("№", "Ученик", *[f"{les.date:%d.%m}" for les in reg.lessons], "Отм", "Сред", "Пр", "Ит")
    for pupil in reg.pupils:
        s = reg.summary.get(pupil.id)
        table.add_row(str(pupil.no), pupil.name, *[reg.cell_text(pupil.id, les.id) for les in reg.lessons],
                      str(s.marks), f"{s.average or ''}", s.suggested or "", s.final or "")


@benchmark("register_switch", baseline="register_switch_datatable", target="≤ 100 ms and ≥ 2 × faster than DataTable")
def register_switch(ctx: Context) -> Sample:
    return _run(lambda: _switch(ctx, False))


@benchmark("register_switch_datatable", target="baseline")
def register_switch_datatable(ctx: Context) -> Sample:
    return _run(lambda: _switch(ctx, True))


async def _keystrokes(ctx: Context) -> Sample:
    from ejournal_tui.tui.app import EjournalApp

    db = _db(ctx)
    loads, actor = _big_registers(db)
    app = EjournalApp(db=db, signed_in=actor)
    samples: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        app.open_screen("register", load_id=loads[0])
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        grid = screen.grid
        reg = screen.reg
        # empty cells only (a cell with marks may hold two, which a digit does not replace),
        # so every sample is a mark really added and committed
        empty = [(col, row) for col, les in enumerate(reg.lessons) for row, p in enumerate(reg.pupils)
                 if (p.id, les.id) not in reg.marks and (p.id, les.id) not in reg.absences
                 and les.date >= BIG_AS_OF - timedelta(days=1)]
        for i, (col, row) in enumerate(empty[: KEYSTROKES + 3]):
            grid.move_to(col, row)
            cell = grid.current_cell()
            start = time.perf_counter()
            grid.action_enter_value("4")  # what the digit key runs
            await asyncio.sleep(0)
            while cell in grid.pending or not screen.reg.marks.get((cell.pupil_id, cell.lesson_id)):
                await asyncio.sleep(0.0005)
            if i >= 3:
                samples.append(time.perf_counter() - start)
    with db.uow() as uow:  # every keystroke measured left a mark in the database
        stored = uow.session.execute(select(func.count()).select_from(m.Mark).where(
            m.Mark.entered_by == actor.id, m.Mark.entered_at >= datetime.combine(BIG_AS_OF, dtime(0), UTC))).scalar_one()
    assert stored >= len(samples), (stored, len(samples))
    return Sample(samples)


@benchmark("mark_keystroke", target="≤ 30 ms from the digit to the mark committed")
def mark_keystroke(ctx: Context) -> Sample:
    return _run(lambda: _keystrokes(ctx))
