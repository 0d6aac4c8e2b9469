"""The cell editor (Enter on a cell): every mark of a pupil at a lesson with its kind of
work and comment for parents; correct, add or remove marks; attendance; a remark or a word
of thanks to parents (001 2.4), written, changed or removed (text cleared) with the form's
save. Also the one way a write is asked about first (`confirmed`); a late entry's reason is
asked by `widgets/reason_retry.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from ejournal_tui.domain.remarks import MAX_LENGTH
from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.confirm import confirm_then
from ejournal_tui.tui.widgets.reason_retry import write_asking_reason

if TYPE_CHECKING:
    from ejournal_tui.domain.register_cells import CellRef
    from ejournal_tui.services.register import CellMark
    from ejournal_tui.services.register_editor import MarkForm, Outcome, Plan, RegisterEditor

register_many({
    "cell.title": ("{pupil} · {day} · урок {number}", "{pupil} · {day} · lesson {number}"),
    "cell.value": ("Отметка", "Mark"),
    "cell.kind": ("Вид работы", "Kind of work"),
    "cell.comment": ("Комментарий для родителей", "Comment for parents"),
    "cell.save": ("Сохранить", "Save"),
    "cell.add": ("Добавить ещё", "Add another"),
    "cell.delete": ("Удалить выбранную", "Delete selected"),
    "cell.close": ("Закрыть", "Close"),
    "cell.attendance": ("Посещаемость", "Attendance"),
    "cell.remark": ("Замечание или благодарность родителям", "Remark or thanks to parents"),
    "cell.remark.kind": ("замечание", "remark"),
    "cell.praise.kind": ("благодарность", "thanks"),
    "cell.present": ("присутствовал", "present"),
    "cell.absent": ("н — отсутствовал", "н — absent"),
    "cell.late": ("опоздал", "late"),
    "cell.saved": ("Сохранено", "Saved"),
    "cell.hint": ("Enter/Ctrl+S — сохранить · Ctrl+N — ещё отметка · Esc — без сохранения",
                  "Enter/Ctrl+S: save · Ctrl+N: add another · Esc: close without saving"),
    "cell.save.tip": ("Сохранить форму: исправить выбранную отметку или поставить первую, посещаемость",
                      "Save the form: correct the selected mark or give the first one, attendance"),
    "cell.add.tip": ("Поставить ещё одну отметку в эту ячейку", "Give one more mark in this cell"),
    "cell.close.tip": ("Вернуться в журнал без сохранения формы", "Back to the register without saving the form"),
})


def confirmed(screen: Screen[Any], plans: list[Plan], go: Callable[[], None],
              stop: Callable[[], None] | None = None) -> None:
    """Run `go` once the person said yes to the question a plan asks (at once when none asks)."""
    question = next((plan.confirm for plan in plans if plan.confirm), "")
    if question:
        confirm_then(screen.app, question, go, stop)
    else:
        go()


class CellEditorModal(ModalScreen[bool]):
    """Several marks in one cell, their kinds of work and comments; the pupil's attendance.
    The form shows the selected mark: saving corrects it (or gives the cell its first mark),
    «add another» is the one way to a further mark. Dismissed with whether anything changed."""

    CSS_PATH = "cell_editor.tcss"
    BINDINGS = [
        Binding("escape", "close", bt("cell.close"), tooltip=bt("cell.close.tip")),
        Binding("ctrl+s", "save", bt("cell.save"), tooltip=bt("cell.save.tip")),
        Binding("ctrl+n", "add", bt("cell.add"), tooltip=bt("cell.add.tip")),
    ]

    def __init__(self, editor: RegisterEditor, cell: CellRef) -> None:
        super().__init__()
        self.editor, self.cell = editor, cell
        self.read_only = not editor.may_write(cell.lesson_id)  # a substitute writes their lesson only
        self.changed = False
        self.busy = False  # a save on its way: a second Enter does not send it twice

    def compose(self) -> ComposeResult:
        lesson, pupil = self.editor.lesson(self.cell.lesson_id), self.editor.pupil(self.cell.pupil_id)
        kinds = [(k.name, k.code) for k in self.editor.kinds.values()]
        default = (lesson.work_kind if lesson else "") or "oral"
        status = self.editor.status_at(self.cell) or "present"
        with Vertical(id="cell-box"):
            yield Static(t("cell.title", pupil=pupil.name if pupil else "", number=lesson.number if lesson else "",
                           day=f"{lesson.date:%d.%m.%Y}" if lesson else ""), id="cell-title")
            yield DataTable(id="cell-marks", cursor_type="row")
            with Horizontal(classes="row"):
                with Vertical(classes="field short"):
                    yield Label(t("cell.value"))
                    yield Input(id="value", max_length=4)
                with Vertical(classes="field"):
                    yield Label(t("cell.kind"))
                    yield Select(kinds, value=default if any(c == default for _, c in kinds) else Select.NULL,
                                 id="kind", allow_blank=False)
            with Horizontal(classes="row"):
                with Vertical(classes="field"):
                    yield Label(t("cell.comment"))
                    yield Input(id="comment")
                with Vertical(classes="field medium"):
                    yield Label(t("cell.attendance"))
                    yield Select([(t("cell.present"), "present"), (t("cell.absent"), "absent"),
                                  (t("cell.late"), "late")], value=status, id="attendance", allow_blank=False)
            yield Label(t("cell.remark"))
            with Horizontal(classes="row"):
                yield Select([(t("cell.remark.kind"), "remark"), (t("cell.praise.kind"), "praise")],
                             value="remark", id="remark-kind", allow_blank=False)
                yield Input(id="remark", max_length=MAX_LENGTH)
            with Horizontal(classes="buttons"):
                yield Button(t("cell.save"), id="save", variant="primary", disabled=self.read_only)
                yield Button(t("cell.add"), id="add", disabled=self.read_only)
                yield Button(t("cell.delete"), id="delete", variant="error", disabled=self.read_only)
                yield Button(t("cell.close"), id="close")
            yield Static(t("cell.hint"), id="cell-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("cell.value"), t("cell.kind"), t("cell.comment"))
        self._fill()
        remark = self.editor.remark_at(self.cell)
        if remark is not None:
            self.query_one("#remark", Input).value = remark.text
            self.query_one("#remark-kind", Select).value = "praise" if remark.praise else "remark"
        self.query_one("#value", Input).focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        names = {k.code: k.name for k in self.editor.kinds.values()}
        for mk in self.editor.marks_at(self.cell):
            table.add_row(mk.value, names.get(mk.work_kind, mk.work_kind), mk.comment, key=str(mk.id))
        self._show(self._selected())

    def _selected(self) -> CellMark | None:
        marks = self.editor.marks_at(self.cell)
        row = self.query_one(DataTable).cursor_row
        return marks[row] if 0 <= row < len(marks) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show(self._selected())

    def _show(self, mark: CellMark | None) -> None:
        """The form shows the selected mark (empty for a cell without marks)."""
        self.query_one("#value", Input).value = mark.value if mark else ""
        self.query_one("#comment", Input).value = mark.comment if mark else ""
        if mark is not None and mark.work_kind in self.editor.kinds:
            self.query_one("#kind", Select).value = mark.work_kind

    def _form(self) -> MarkForm:
        from ejournal_tui.services.register_editor import MarkForm

        kind, status = self.query_one("#kind", Select).value, self.query_one("#attendance", Select).value
        mark = self._selected()
        return MarkForm(mark.id if mark else None, self.query_one("#value", Input).value.strip(),
                        kind if isinstance(kind, str) else None, self.query_one("#comment", Input).value.strip(),
                        None if status in ("present", Select.NULL) else str(status),
                        remark=self.query_one("#remark", Input).value.strip(),
                        praise=self.query_one("#remark-kind", Select).value == "praise")

    # ---- the three ways to save, and the other buttons --------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save_asked(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Write the form (attendance, then the selected mark corrected or a first one) and
        go back to the register; with nothing changed, just go back."""
        if self.read_only or self.busy:
            return
        plans = self.editor.form_plans(self.cell, self._form())
        if not plans:
            self.dismiss(self.changed)
            return
        self.busy = True
        confirmed(self, plans, lambda: self._send(plans, then=lambda: self.dismiss(True)), self._idle)

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        form = self._form()
        if self.read_only or self.busy or not form.value:
            return
        plan = self.editor.add_plan(self.cell, form)
        self.busy = True
        confirmed(self, [plan], lambda: self._send([plan], then=self._idle), self._idle)

    @on(Button.Pressed, "#delete")
    def delete(self) -> None:
        mark = self._selected()
        plan = self.editor.delete_plan(self.cell, mark.id) if mark is not None and not self.busy else None
        if plan is not None:
            self.busy = True
            self._send([plan], then=self._idle)

    def _idle(self) -> None:
        self.busy = False

    def _send(self, plans: list[Plan], *, then: Callable[[], None], reason: str = "") -> None:
        """Write the plans one after another (a reason given for the first serves the rest)."""
        from ejournal_tui.services.register_editor import write

        if not plans:
            self.notify(t("cell.saved"), timeout=2)
            then()
            return
        first, rest = plans[0], plans[1:]
        given = self.editor.begin(first)

        def written(outcome: Outcome) -> None:
            self.editor.apply(outcome)
            self.changed = True
            self._fill()
            self._send(rest, then=then, reason=outcome.reason)

        def refused(_exc: Exception) -> None:  # the app says why; the form keeps what was typed
            self.editor.abandon(first)
            self._idle()

        write_asking_reason(self, write, first, reason=reason or given, on_result=written, on_error=refused,
                            label=self.editor.describe(first))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.changed)
