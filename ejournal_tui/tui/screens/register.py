"""The class register: choose a register (class or group × subject) and a period; type marks
and absences straight into the grid. Every entry is written at once through the services
(in order, off the UI thread) and confirmed on screen; a refused entry says why and leaves
the cell as it was. The rules of editing live in `services.register_editor`; this screen
lays out the grid, takes the keys and says what happened on the status line."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    from ejournal_tui.services.register_editor import Outcome, Plan, RegisterEditor
    from ejournal_tui.services.register_view import KindOfWork
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "reg.choose": ("Журнал", "Register"),
    "reg.period": ("Период", "Period"),
    "reg.loading": ("Загрузка…", "Loading…"),
    "reg.saving": ("Сохраняется: {n}", "Saving: {n}"),
    "reg.lesson_info": ("{day} · урок {number} · {kind} · Тема: {topic} · Д/з: {homework}",
                        "{day} · lesson {number} · {kind} · Topic: {topic} · Homework: {homework}"),
    "reg.held_by": ("Замена: {teacher} за {absent}", "Substitute: {teacher} for {absent}"),
    "reg.substitute_note": ("Замена: только урок {lessons}", "Substitute: lesson {lessons} only"),
    "reg.planned": ("{day} · урок {number} по расписанию: ещё не записан — запишется с первой отметкой, «н» или темой (t)",
                    "{day} · lesson {number} of the timetable: not recorded yet — written with the first mark, «н» or topic (t)"),
    "reg.no_lesson": ("Итоговая отметка за период {period}", "Period mark for {period}"),
    "reg.none": ("—", "—"),
    "reg.keys": ("«{char}» здесь не работает. Клавиши: 2–5 отметка · н (y, n) отсутствие · "
                 "Del удалить · Enter н/а, осв, зач, комментарий · t урок · f итоговая · F1 все",
                 "«{char}» does nothing here. Keys: 2–5 mark · н (y, n) absent · Del remove · "
                 "Enter н/а, осв, зач, comment · t lesson · f final · F1 all"),
    "reg.refresh": ("Обновить", "Refresh"),
    "reg.lesson": ("Урок", "Lesson"),
    "reg.new_lesson": ("Урок сегодня", "Lesson today"),
    "reg.remark_to": ("Замечание родителям", "Remark to parents"),
    "reg.praise_to": ("Благодарность родителям", "Thanks to parents"),
    "reg.no_registers": ("Нет доступных журналов", "No registers to show"),
    "reg.refresh.tip": ("Показать, что изменили на других рабочих местах", "Show what other workstations changed"),
    "reg.lesson.tip": ("Тема из КТП, домашнее задание, вид работы, замена", "Topic from the plan, homework, kind of work, substitute"),
    "reg.new_lesson.tip": ("Открыть сегодняшний урок этого журнала", "Open today's lesson of this register"),
    "reg.back.tip": ("Вернуться на экран «Сегодня»", "Back to Today"),
})


@dataclass(frozen=True)
class Opened:
    """A register read in a worker, with what the screen needs around it."""

    codes: list[str]
    reg: Register
    settings: RuleSettings
    kinds: list[KindOfWork]
    # who held the register's substituted lessons, and whom they replaced: staff id → name
    names: dict[int, str] = field(default_factory=dict)


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
    # actions, one by one in this order, until the rest fit; 80 columns keep `t`, Esc, F1, F2, F6
    # and the palette's (F3 too where the words are short). Delete and Enter do what everyone
    # expects, F5 refreshes as everywhere, `f` and `+` are rare here, F3 is this screen; each
    # still works, and F1 help lists it with its long text.
    FOOTER_LEAVES_OUT = ("clear", "accept_final", "new_lesson", "quit", "lock", "open_screen('homework')",
                         "refresh", "edit", "open_screen('register')", "open_screen('print')")

    def __init__(self, load_id: int | None = None, day: date | None = None, period: str | None = None,
                 number: int | None = None) -> None:
        super().__init__()
        self.load_id = load_id
        self.day = day
        self.period = period
        self.number = number  # with `day`: the timetable's lesson to open (held or not yet)
        self.editor: RegisterEditor | None = None
        self._period_codes: list[str] = []
        self._names: dict[int, str] = {}

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

    @property
    def reg(self) -> Register | None:
        return self.editor.reg if self.editor else None

    @property
    def read_only(self) -> bool:
        return self.editor is None or self.editor.read_only

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
        # a past year's register asked for (from the palette) joins the list, labelled with its year
        asked = [r for r in getattr(self.ejapp, "past_registers", []) if r.load_id == self.load_id]
        refs = [*self.ejapp.registers, *asked]
        if not refs:
            self.query_one("#reg-status", Static).update(t("reg.no_registers"))
            return
        asked_elsewhere = self.load_id is not None and self.day is not None and self.number is not None
        if self.load_id is None or (all(r.load_id != self.load_id for r in refs) and not asked_elsewhere):
            self.load_id = refs[0].load_id
        # a colleague's register opened at a lesson this person substitutes in (from Today)
        # joins the list once it is read (`show`)
        select = self.query_one("#reg-select", Select)
        with select.prevent(Select.Changed):  # our own setting is not the user's choice
            select.set_options([(r.title, r.load_id) for r in refs])
            if any(r.load_id == self.load_id for r in refs):
                select.value = self.load_id
        self.load()

    @on(Select.Changed, "#reg-select")
    def _register_chosen(self, event: Select.Changed) -> None:
        if event.value == Select.NULL or event.value == self.load_id:
            return
        self.load_id, self.period, self.day, self.number = event.value, None, None, None  # type: ignore[assignment]
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

    def show(self, opened: Opened, keep_cursor: bool = False) -> None:
        from ejournal_tui.services.register_editor import LessonSlot, RegisterEditor

        reg, session, old = opened.reg, self.ejapp.session, self.editor
        self._names = opened.names
        self._list_register(reg)
        slot = LessonSlot(reg.ref.load_id, self.day, self.number) if self.day and self.number else None
        reasons = old.reasons if old is not None and old.reg.ref.load_id == reg.ref.load_id else None
        self.editor = RegisterEditor(reg, opened.settings, opened.kinds, actor_id=session.actor.id if session else None,
                                     slot=slot, reasons=reasons)
        self.period = reg.period
        period = self.query_one("#period-select", Select)
        # Setting the options and the value posts Changed messages, handled after this method:
        # without `prevent` they would ask for the register again, and again (a reload loop).
        with period.prevent(Select.Changed):
            if opened.codes != self._period_codes:
                period.set_options([(c, c) for c in opened.codes])
                self._period_codes = list(opened.codes)
            period.value = reg.period
        focus = self.editor.slot_lesson() if not keep_cursor else None
        self.grid.set_register(reg, day=self.day, lesson_id=focus, keep_cursor=keep_cursor)
        self._status()

    def _list_register(self, reg: Register) -> None:
        """The register shown is in the list of registers, even one of a colleague's load."""
        select = self.query_one("#reg-select", Select)
        options = [(prompt, value) for prompt, value in select._options if value != Select.NULL]  # noqa: SLF001
        if any(value == reg.ref.load_id for _prompt, value in options):
            return
        with select.prevent(Select.Changed):
            select.set_options([*options, (reg.ref.title, reg.ref.load_id)])
            select.value = reg.ref.load_id

    def _status(self, extra: str = "") -> None:
        reg = self.reg
        if reg is None or self.editor is None:
            return
        # newest first: at 80 columns the line has room for two short lines of it
        parts = [extra] if extra else []
        pending = len(self.grid.pending)
        if pending:
            parts.append(t("reg.saving", n=pending))
        if self.read_only:
            parts.append(self.editor.refusal())
        elif not self.editor.own:  # a substitute: short, the status line has two short lines at 80 columns
            parts.append(t("reg.substitute_note", lessons=self.editor.substituted()))
        elif reg.year_past:
            parts.append(t("reg.year_past"))
        parts.append(f"{reg.ref.teacher} · {reg.start:%d.%m}–{reg.end:%d.%m}")
        self.query_one("#reg-status", Static).update(" · ".join(parts))

    def action_refresh(self) -> None:
        self.load(keep_cursor=True)

    # ---- the line under the grid ------------------------------------------------------------

    @on(RegisterGrid.CursorMoved)
    def _moved(self, event: RegisterGrid.CursorMoved) -> None:
        self.query_one("#cell-info", Static).update(self._info(event.cell))

    @on(RegisterGrid.KeyUnknown)
    def _unknown_key(self, event: RegisterGrid.KeyUnknown) -> None:
        self.query_one("#cell-info", Static).update(t("reg.keys", char=event.char))

    def _info(self, cell: CellRef | None) -> str:
        from ejournal_tui.services.register_editor import PLANNED_ID

        editor = self.editor
        if editor is None or cell is None:
            return ""
        pupil = editor.pupil(cell.pupil_id)
        name = pupil.name if pupil else ""
        if cell.lesson_id is None:
            return f"{name} · {t('reg.no_lesson', period=editor.reg.period)}"
        lesson = editor.lesson(cell.lesson_id)
        if lesson is None:  # the message is older than the register now shown
            return ""
        if lesson.id == PLANNED_ID:
            return f"{t('reg.planned', day=f'{lesson.date:%d.%m.%Y}', number=lesson.number)}\n{name}"
        kinds = editor.kinds
        kind = kinds.get(lesson.work_kind or "oral")
        marks = ", ".join(f"{mk.value} ({kinds[mk.work_kind].name if mk.work_kind in kinds else mk.work_kind})"
                          + (f" «{mk.comment}»" if mk.comment else "") for mk in editor.marks_at(cell))
        head = t("reg.lesson_info", day=f"{lesson.date:%d.%m.%Y}", number=lesson.number,
                 kind=kind.name if kind else lesson.work_kind, topic=lesson.topic or t("reg.none"),
                 homework=lesson.homework or t("reg.none"))
        if lesson.substitute_for_id is not None:
            head = t("reg.held_by", teacher=self._names.get(lesson.teacher_id, "?"),
                     absent=self._names.get(lesson.substitute_for_id, "?")) + " · " + head
        return f"{head}\n{name}{': ' + marks if marks else ''}{self._remark_info(cell)}"

    def _remark_info(self, cell: CellRef) -> str:
        """« · Замечание родителям: …», cut to keep the line under the grid to its two lines."""
        remark = self.editor.remark_at(cell) if self.editor else None
        if remark is None:
            return ""
        text = remark.text if len(remark.text) <= 60 else remark.text[:59] + "…"
        return f" · {t('reg.praise_to') if remark.praise else t('reg.remark_to')}: {text}"

    # ---- entries ----------------------------------------------------------------------------

    @on(RegisterGrid.Entered)
    def _entered(self, event: RegisterGrid.Entered) -> None:
        from ejournal_tui.services.register_editor import Refusal
        from ejournal_tui.tui.screens.cell_editor import confirmed

        event.stop()
        if self.editor is None:
            return
        plan = self.editor.plan(event.cell, event.entry)
        if isinstance(plan, Refusal):
            self.notify(plan.message, severity="warning")
        elif plan is not None:
            confirmed(self, [plan], lambda: self.send(plan))

    def send(self, plan: Plan) -> None:
        """Show the entry as pending and queue its write (asking for a reason if late)."""
        from ejournal_tui.services.register_editor import write
        from ejournal_tui.tui.widgets.reason_retry import write_asking_reason

        assert self.editor is not None
        self.grid.pending[plan.cell] = plan.shown
        self.grid.invalidate_cell(plan.cell)
        reason = self.editor.begin(plan)
        # label: how the entry is named should the database fall silent before it is stored
        write_asking_reason(self, write, plan, reason=reason, on_result=self._written,
                            on_error=lambda exc: self._refused(plan, exc), label=self.editor.describe(plan))
        self._status()

    def _written(self, outcome: Outcome) -> None:
        """An entry reached the database: the cell, the row's figures, and a word about it."""
        if self.editor is None:
            return
        said = self.editor.apply(outcome)
        self.grid.pending.pop(outcome.plan.cell, None)
        self.grid.invalidate_cell(outcome.plan.cell)
        self._status(said)
        self.query_one("#cell-info", Static).update(self._info(self.grid.current_cell()))

    def _refused(self, plan: Plan, exc: Exception) -> None:
        from ejournal_tui.domain.errors import Conflict

        if self.editor is not None:
            self.editor.abandon(plan)
        self.grid.pending.pop(plan.cell, None)
        self.grid.invalidate_cell(plan.cell)
        self._status()
        if isinstance(exc, Conflict):
            self.load(keep_cursor=True)

    # ---- the editors ------------------------------------------------------------------------

    @on(RegisterGrid.EditRequested)
    def _edit(self, event: RegisterGrid.EditRequested) -> None:
        from ejournal_tui.tui.screens.cell_editor import CellEditorModal

        cell = event.cell
        if self.editor is None or cell.lesson_id is None or self.editor.lesson(cell.lesson_id) is None:
            return
        self.app.push_screen(CellEditorModal(self.editor, cell), lambda changed: self._cell_edited(cell, changed))

    def _cell_edited(self, cell: CellRef, changed: bool | None) -> None:
        if changed:
            self.grid.invalidate_cell(cell)
            self._status()
            self.query_one("#cell-info", Static).update(self._info(self.grid.current_cell()))

    def action_lesson(self) -> None:
        from ejournal_tui.tui.screens.lesson_editor import LessonEditorModal

        cell, editor = self.grid.current_cell(), self.editor
        if editor is None or cell is None or cell.lesson_id is None:
            return
        modal = LessonEditorModal(editor.reg.ref.load_id, editor.target(cell.lesson_id), list(editor.kinds.values()),
                                  read_only=not editor.may_write(cell.lesson_id))
        self.app.push_screen(modal, lambda changed: self.load(keep_cursor=True) if changed else None)

    def action_new_lesson(self) -> None:
        """Today's lesson of this register, shown to be filled in; written with its first entry."""
        from ejournal_tui.services.register_view import next_lesson_slot

        if self.editor is None or self.read_only or self.ejapp.session is None:
            return
        day = self.ejapp.session.db.clock.today()

        def got_slot(number: int | None) -> None:
            self.day, self.number, self.period = day, number or 1, None  # the period today falls in
            self.load()

        self.ejapp.call_service(next_lesson_slot, self.editor.reg.ref.load_id, day, on_result=got_slot, group="slot")


def _open(uow: Any, actor: Any, load_id: int, period: str | None, day: date | None) -> Opened:
    """Runs in a worker: the periods, the register, the rules and the kinds of work."""
    from ejournal_tui.services.register import open_register
    from ejournal_tui.services.register_view import kinds_of_work, periods_of
    from ejournal_tui.services.remarks import register_remarks
    from ejournal_tui.services.substitutions import held_by_names

    codes, current = periods_of(uow, actor, load_id, day)
    reg = open_register(uow, actor, load_id, period or current)
    reg.remarks = register_remarks(uow, reg)  # shown on screen, never printed
    substituted = {who for les in reg.lessons if les.substitute_for_id is not None
                   for who in (les.teacher_id, les.substitute_for_id)}
    return Opened(codes, reg, uow.settings, kinds_of_work(uow), held_by_names(uow, substituted))  # type: ignore[arg-type]
