"""The class register: choose a register (class or group × subject) and a period; type marks
and absences straight into the grid. Every entry is written at once through the services
(in order, off the UI thread) and confirmed on screen; a refused entry says why and leaves
the cell as it was."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Select, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.register_grid import CellRef, RegisterGrid

if TYPE_CHECKING:

    from ejournal_tui.domain.settings import RuleSettings
    from ejournal_tui.services.register import Register
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "reg.choose": ("Журнал", "Register"),
    "reg.period": ("Период", "Period"),
    "reg.loading": ("Загрузка…", "Loading…"),
    "reg.closed": ("Период закрыт: только чтение", "Period closed: read-only"),
    "reg.readonly": ("Только чтение: журнал другого учителя", "Read-only: another teacher's register"),
    "reg.saved": ("Сохранено: {what} — {pupil}, {day}", "Saved: {what} — {pupil}, {day}"),
    "reg.saving": ("Сохраняется: {n}", "Saving: {n}"),
    "reg.absent": ("н", "absent"),
    "reg.present": ("присутствие", "present"),
    "reg.removed": ("удалено", "removed"),
    "reg.final": ("итоговая {value}", "final {value}"),
    "reg.no_suggestion": ("Нет предложенной отметки", "No suggested mark"),
    "reg.lesson_info": ("{day} · урок {number} · {kind} · Тема: {topic} · Д/з: {homework}",
                        "{day} · lesson {number} · {kind} · Topic: {topic} · Homework: {homework}"),
    "reg.no_lesson": ("Итоговая отметка за период {period}", "Period mark for {period}"),
    "reg.none": ("—", "—"),
    "reg.refresh": ("Обновить", "Refresh"),
    "reg.lesson": ("Урок", "Lesson"),
    "reg.new_lesson": ("Урок сегодня", "Lesson today"),
    "reg.no_registers": ("Нет доступных журналов", "No registers to show"),
    "reg.several": ("В ячейке несколько отметок: откройте редактор (Enter)",
                    "The cell holds several marks: use the cell editor (Enter)"),
    "reg.refresh.tip": ("Показать, что изменили на других рабочих местах", "Show what other workstations changed"),
    "reg.lesson.tip": ("Тема из КТП, домашнее задание, вид работы, замена", "Topic from the plan, homework, kind of work, substitute"),
    "reg.new_lesson.tip": ("Открыть сегодняшний урок этого журнала", "Open today's lesson of this register"),
    "reg.back.tip": ("Вернуться на экран «Сегодня»", "Back to Today"),
})


class RegisterScreen(FittedFooter, Screen[None]):
    """One register for one period: the grid and the lesson under the cursor."""

    CSS_PATH = "register.tcss"
    BINDINGS = [
        Binding("f5", "refresh", bt("reg.refresh"), tooltip=bt("reg.refresh.tip")),
        Binding("t,е", "lesson", bt("reg.lesson"), tooltip=bt("reg.lesson.tip")),
        Binding("insert,+", "new_lesson", bt("reg.new_lesson"), tooltip=bt("reg.new_lesson.tip")),
        Binding("escape", "app.open_screen('today')", bt("screen.today"), tooltip=bt("reg.back.tip")),
    ]
    # The footer has no room for every key (even at 120 columns): it leaves out the keys of these
    # actions, one by one in this order, until the rest fit; 80 columns keep `t`, Esc, F1–F3 and
    # the palette's. Delete and Enter do what everyone expects, F5 refreshes as everywhere, `f`
    # and `+` are rare here; each still works, and F1 help lists it with its long text.
    FOOTER_LEAVES_OUT = ("clear", "accept_final", "new_lesson", "quit", "lock", "open_screen('homework')",
                         "refresh", "edit")

    def __init__(self, load_id: int | None = None, day: date | None = None, period: str | None = None) -> None:
        super().__init__()
        self.load_id = load_id
        self.day = day
        self.period = period
        self.reg: Register | None = None
        self.settings: RuleSettings | None = None
        self.kinds: dict[str, Any] = {}
        self.read_only = False
        self.reasons: dict[int | None, str] = {}
        self._period_codes: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="reg-bar"):
            yield Select[int]([], prompt=t("reg.choose"), id="reg-select", allow_blank=True)
            yield Select[str]([], prompt=t("reg.period"), id="period-select", allow_blank=True)
            yield Static(t("reg.loading"), id="reg-status")
        yield RegisterGrid(id="grid")
        yield Static("", id="cell-info")
        yield Footer()

    @property
    def grid(self) -> RegisterGrid:
        return self.query_one(RegisterGrid)

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.grid.today = self.ejapp.session.db.clock.today() if self.ejapp.session else None
        self.grid.focus()
        if self.ejapp.registers:
            self._fill_registers()
        else:
            from ejournal_tui.services.register import registers_for

            self.ejapp.call_service(registers_for, on_result=self._registers_loaded, group="reg-list")

    def _registers_loaded(self, refs: list) -> None:
        self.ejapp.registers = refs
        self._fill_registers()

    def _fill_registers(self) -> None:
        refs = self.ejapp.registers
        if not refs:
            self.query_one("#reg-status", Static).update(t("reg.no_registers"))
            return
        if self.load_id is None or all(r.load_id != self.load_id for r in refs):
            self.load_id = refs[0].load_id
        select = self.query_one("#reg-select", Select)
        with select.prevent(Select.Changed):  # our own setting is not the user's choice
            select.set_options([(r.title, r.load_id) for r in refs])
            select.value = self.load_id
        self.load()

    @on(Select.Changed, "#reg-select")
    def _register_chosen(self, event: Select.Changed) -> None:
        if event.value == Select.NULL or event.value == self.load_id:
            return
        self.load_id, self.period, self.day = event.value, None, None  # type: ignore[assignment]
        self.load()

    @on(Select.Changed, "#period-select")
    def _period_chosen(self, event: Select.Changed) -> None:
        if event.value == Select.NULL or event.value == self.period:
            return
        self.period = event.value  # type: ignore[assignment]
        self.load()

    # ---- loading ----------------------------------------------------------------------------

    def load(self, *, keep_cursor: bool = False) -> None:
        if self.load_id is None:
            return
        self.query_one("#reg-status", Static).update(t("reg.loading"))
        self.ejapp.call_service(_open, self.load_id, self.period, self.day,
                                on_result=lambda r: self.show(r, keep_cursor), group="register")

    def show(self, result: tuple, keep_cursor: bool = False) -> None:
        codes, reg, settings, kinds, writable = result
        self.reg, self.settings, self.period = reg, settings, reg.period
        self.kinds = {k.code: k for k in kinds}
        self.read_only = reg.closed or not writable
        period = self.query_one("#period-select", Select)
        # Setting the options and the value posts Changed messages, handled after this method:
        # without `prevent` they would ask for the register again, and again (a reload loop).
        with period.prevent(Select.Changed):
            if codes != self._period_codes:
                period.set_options([(c, c) for c in codes])
                self._period_codes = list(codes)
            period.value = reg.period
        self.grid.set_register(reg, day=self.day, keep_cursor=keep_cursor)
        self._status()

    def _status(self, extra: str = "") -> None:
        reg = self.reg
        if reg is None:
            return
        parts = [f"{reg.ref.teacher} · {reg.start:%d.%m}–{reg.end:%d.%m}"]
        if reg.closed:
            parts.append(t("reg.closed"))
        elif self.read_only:
            parts.append(t("reg.readonly"))
        pending = len(self.grid.pending)
        if pending:
            parts.append(t("reg.saving", n=pending))
        if extra:
            parts.append(extra)
        self.query_one("#reg-status", Static).update(" · ".join(parts))

    def action_refresh(self) -> None:
        self.load(keep_cursor=True)

    # ---- the line under the grid ------------------------------------------------------------

    @on(RegisterGrid.CursorMoved)
    def _moved(self, event: RegisterGrid.CursorMoved) -> None:
        self.query_one("#cell-info", Static).update(self._info(event.cell))

    def _info(self, cell: CellRef | None) -> str:
        reg = self.reg
        if reg is None or cell is None:
            return ""
        pupil = next((p.name for p in reg.pupils if p.id == cell.pupil_id), "")
        if cell.lesson_id is None:
            return f"{pupil} · {t('reg.no_lesson', period=reg.period)}"
        lesson = next((les for les in reg.lessons if les.id == cell.lesson_id), None)
        if lesson is None:  # the message is older than the register now shown
            return ""
        kind = self.kinds.get(lesson.work_kind or "oral")
        marks = ", ".join(f"{mk.value} ({self.kinds[mk.work_kind].name if mk.work_kind in self.kinds else mk.work_kind})"
                          + (f" «{mk.comment}»" if mk.comment else "") for mk in reg.marks.get((cell.pupil_id, lesson.id), ()))
        head = t("reg.lesson_info", day=f"{lesson.date:%d.%m.%Y}", number=lesson.number,
                 kind=kind.name if kind else lesson.work_kind, topic=lesson.topic or t("reg.none"),
                 homework=lesson.homework or t("reg.none"))
        return f"{head}\n{pupil}{': ' + marks if marks else ''}"

    # ---- entries ----------------------------------------------------------------------------

    @on(RegisterGrid.Entered)
    def _entered(self, event: RegisterGrid.Entered) -> None:
        from ejournal_tui.tui.screens.register_entry import enter

        event.stop()
        if self.reg is None:
            return
        if self.read_only:
            self.notify(t("reg.closed") if self.reg.closed else t("reg.readonly"), severity="warning")
            return
        enter(self, event.cell, event.what)

    @on(RegisterGrid.EditRequested)
    def _edit(self, event: RegisterGrid.EditRequested) -> None:
        from ejournal_tui.tui.screens.cell_editor import CellEditorModal

        reg = self.reg
        if reg is None or event.cell.lesson_id is None:
            return
        lesson = next(les for les in reg.lessons if les.id == event.cell.lesson_id)
        pupil = next(p for p in reg.pupils if p.id == event.cell.pupil_id)
        editor = CellEditorModal(reg, lesson, pupil, list(self.kinds.values()), read_only=self.read_only)
        self.app.push_screen(editor, lambda changed: self.load(keep_cursor=True) if changed else None)

    def action_lesson(self) -> None:
        from ejournal_tui.tui.screens.lesson_editor import LessonEditorModal

        cell = self.grid.current_cell()
        if self.reg is None or cell is None or cell.lesson_id is None:
            return
        modal = LessonEditorModal(self.reg.ref.load_id, cell.lesson_id, list(self.kinds.values()),
                                  read_only=self.read_only)
        self.app.push_screen(modal, lambda changed: self.load(keep_cursor=True) if changed else None)

    def action_new_lesson(self) -> None:
        from ejournal_tui.services.lessons import open_lesson
        from ejournal_tui.services.register_view import next_lesson_slot

        if self.reg is None or self.read_only or self.ejapp.session is None:
            return
        day = self.ejapp.session.db.clock.today()
        load_id = self.reg.ref.load_id

        def got_slot(number: int | None) -> None:
            self.day = day
            self.ejapp.write(open_lesson, load_id, day, number or 1, on_result=lambda _r: self.load())

        self.ejapp.call_service(next_lesson_slot, load_id, day, on_result=got_slot, group="slot")

    def confirmed(self, cell: CellRef, what: str) -> None:
        """An entry reached the database: recount the row and say so."""
        reg = self.reg
        if reg is None:
            return
        self.grid.pending.pop(cell, None)
        self.resummarize(cell.pupil_id)
        self.grid.invalidate_cell(cell)
        pupil = next((p.name for p in reg.pupils if p.id == cell.pupil_id), "")
        lesson = next((les for les in reg.lessons if les.id == cell.lesson_id), None)
        day = f"{lesson.date:%d.%m}" if lesson else reg.period
        self._status(t("reg.saved", what=what, pupil=pupil, day=day))
        self.query_one("#cell-info", Static).update(self._info(self.grid.current_cell()))

    def refused(self, cell: CellRef) -> None:
        self.grid.pending.pop(cell, None)
        self.grid.invalidate_cell(cell)
        self._status()

    def resummarize(self, pupil_id: int) -> None:
        from ejournal_tui.domain.finals import suggest_period_mark
        from ejournal_tui.domain.marks import average, count_marks

        reg, settings = self.reg, self.settings
        if reg is None or settings is None or pupil_id not in reg.summary:
            return
        marks = [(mk.value, mk.weight) for (p, _l), cell in reg.marks.items() if p == pupil_id for mk in cell]
        avg = average(marks, settings)
        n = count_marks(v for v, _ in marks)
        reg.summary[pupil_id] = reg.summary[pupil_id]._replace(marks=n, average=avg, below_minimum=n < reg.minimum,
                                                               suggested=suggest_period_mark(avg, n, 1, settings))


def _open(uow: Any, actor: Any, load_id: int, period: str | None, day: date | None) -> tuple:
    """Runs in a worker: the periods, the register, the rules and the kinds of work."""
    from ejournal_tui.services.register import open_register
    from ejournal_tui.services.register_view import kinds_of_work, periods_of

    codes, current = periods_of(uow, actor, load_id, day)
    reg = open_register(uow, actor, load_id, period or current)
    writable = actor.id == reg.ref.teacher_id or any(les.teacher_id == actor.id for les in reg.lessons)
    return codes, reg, uow.settings, kinds_of_work(uow), writable
