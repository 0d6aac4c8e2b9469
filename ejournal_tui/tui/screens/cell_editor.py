"""The cell editor (Enter on a cell): every mark of a pupil at a lesson with its kind of
work and comment for parents; add, change or remove marks; attendance. Also the small modal
that asks for the reason of a late entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.services.register import Register, RegLesson, RegPupil
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "cell.title": ("{pupil} · {day} · урок {number}", "{pupil} · {day} · lesson {number}"),
    "cell.value": ("Отметка", "Mark"),
    "cell.kind": ("Вид работы", "Kind of work"),
    "cell.comment": ("Комментарий для родителей", "Comment for parents"),
    "cell.add": ("Добавить", "Add"),
    "cell.save": ("Изменить выбранную", "Change selected"),
    "cell.delete": ("Удалить выбранную", "Delete selected"),
    "cell.close": ("Закрыть", "Close"),
    "cell.attendance": ("Посещаемость", "Attendance"),
    "cell.present": ("присутствовал", "present"),
    "cell.absent": ("н — отсутствовал", "н — absent"),
    "cell.late": ("опоздал", "late"),
    "cell.saved": ("Сохранено", "Saved"),
    "reason.title": ("Нужна причина", "A reason is needed"),
    "reason.label": ("Причина записи задним числом", "Reason for the late entry"),
    "reason.ok": ("Сохранить с причиной", "Save with the reason"),
    "reason.cancel.tip": ("Не сохранять: ячейка останется как была", "Leave the cell as it was"),
    "cell.close.tip": ("Вернуться в журнал", "Back to the register"),
})


class ReasonModal(ModalScreen[str | None]):
    """Asks why an entry is late; the entry is then sent again with the reason."""

    DEFAULT_CSS = """
    ReasonModal { align: center middle; }
    ReasonModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning; padding: 1 2; background: $surface; }
    ReasonModal Button { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", bt("cell.close"), tooltip=bt("reason.cancel.tip"))]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{t('reason.title')}[/b]\n{self.message}")
            yield Label(t("reason.label"))
            yield Input(id="reason")
            yield Button(t("reason.ok"), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one(Input).value.strip()
        if reason:
            self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CellEditorModal(ModalScreen[bool]):
    """Several marks in one cell, their kinds of work and comments; the pupil's attendance."""

    CSS_PATH = "cell_editor.tcss"
    BINDINGS = [Binding("escape", "close", bt("cell.close"), tooltip=bt("cell.close.tip"))]

    def __init__(self, reg: Register, lesson: RegLesson, pupil: RegPupil, kinds: list[Any], *,
                 read_only: bool = False) -> None:
        super().__init__()
        self.lesson, self.pupil, self.kinds, self.read_only = lesson, pupil, kinds, read_only
        self.marks = list(reg.marks.get((pupil.id, lesson.id), []))
        self.absence = reg.absences.get((pupil.id, lesson.id))
        self.changed = False

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        kinds = [(k.name, k.code) for k in self.kinds]
        default = self.lesson.work_kind or "oral"
        status = self.absence.status if self.absence else "present"
        with Vertical(id="cell-box"):
            yield Static(t("cell.title", pupil=self.pupil.name, day=f"{self.lesson.date:%d.%m.%Y}",
                           number=self.lesson.number), id="cell-title")
            yield DataTable(id="cell-marks", cursor_type="row")
            with Horizontal(classes="row"):
                with Vertical(classes="field short"):
                    yield Label(t("cell.value"))
                    yield Input(id="value", max_length=4)
                with Vertical(classes="field"):
                    yield Label(t("cell.kind"))
                    yield Select(kinds, value=default if any(c == default for _, c in kinds) else Select.NULL,
                                 id="kind", allow_blank=False)
            yield Label(t("cell.comment"))
            yield Input(id="comment")
            yield Label(t("cell.attendance"))
            yield Select([(t("cell.present"), "present"), (t("cell.absent"), "absent"), (t("cell.late"), "late")],
                         value=status, id="attendance", allow_blank=False)
            with Horizontal(classes="buttons"):
                yield Button(t("cell.add"), id="add", variant="primary", disabled=self.read_only)
                yield Button(t("cell.save"), id="save", disabled=self.read_only)
                yield Button(t("cell.delete"), id="delete", variant="error", disabled=self.read_only)
                yield Button(t("cell.close"), id="close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("cell.value"), t("cell.kind"), t("cell.comment"))
        self._fill()
        self.query_one("#value", Input).focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        names = {k.code: k.name for k in self.kinds}
        for mk in self.marks:
            table.add_row(mk.value, names.get(mk.work_kind, mk.work_kind), mk.comment, key=str(mk.id))

    def _selected(self) -> Any:
        table = self.query_one(DataTable)
        if not self.marks or table.cursor_row < 0 or table.cursor_row >= len(self.marks):
            return None
        return self.marks[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        mark = self._selected()
        if mark is not None:
            self.query_one("#value", Input).value = mark.value
            self.query_one("#kind", Select).value = mark.work_kind
            self.query_one("#comment", Input).value = mark.comment

    def _form(self) -> tuple[str, str, str]:
        kind = self.query_one("#kind", Select).value
        return (self.query_one("#value", Input).value.strip(), str(kind),
                self.query_one("#comment", Input).value.strip())

    @on(Input.Submitted, "#value")
    @on(Input.Submitted, "#comment")
    @on(Button.Pressed, "#add")
    def add(self) -> None:
        from ejournal_tui.services.marks import add_mark

        value, kind, comment = self._form()
        if self.read_only or not value:
            return
        self._write(add_mark, self.lesson.id, self.pupil.id, value, work_kind=kind, comment=comment,
                    apply=lambda ref: self.marks.append(_mark(ref, comment, self.kinds)))

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        from ejournal_tui.services.marks import correct_mark

        mark = self._selected()
        value, kind, comment = self._form()
        if mark is None or self.read_only:
            return
        self._write(correct_mark, mark.id, value=value, work_kind=kind, comment=comment,
                    expected_version=mark.version,
                    apply=lambda ref: self._replace(mark, _mark(ref, comment, self.kinds)))

    @on(Button.Pressed, "#delete")
    def delete(self) -> None:
        from ejournal_tui.services.marks import delete_mark

        mark = self._selected()
        if mark is None or self.read_only:
            return
        self._write(delete_mark, mark.id, expected_version=mark.version, apply=lambda _r: self.marks.remove(mark))

    @on(Select.Changed, "#attendance")
    def attendance(self, event: Select.Changed) -> None:
        from ejournal_tui.services.attendance import set_attendance

        status = None if event.value == "present" else str(event.value)
        current = self.absence.status if self.absence else None
        if self.read_only or status == current:
            return
        self._write(set_attendance, self.lesson.id, self.pupil.id, status,
                    expected_version=self.absence.version if self.absence else 0,
                    apply=lambda ref: setattr(self, "absence", ref if ref.status else None))

    def _replace(self, old: Any, new: Any) -> None:
        self.marks[self.marks.index(old)] = new

    def _write(self, fn: Any, *args: Any, apply: Any, reason: str = "", **kwargs: Any) -> None:
        from ejournal_tui.domain.errors import ReasonRequired

        def done(result: Any) -> None:
            apply(result)
            self.changed = True
            self._fill()
            self.notify(t("cell.saved"), timeout=2)

        def failed(exc: Exception) -> None:
            if isinstance(exc, ReasonRequired) and not reason:
                exc.handled = True  # type: ignore[attr-defined]
                self.app.push_screen(ReasonModal(str(exc)),
                                     lambda why: self._write(fn, *args, apply=apply, reason=why, **kwargs) if why else None)

        if reason:
            kwargs["reason"] = reason
        self.ejapp.write(fn, *args, on_result=done, on_error=failed, **kwargs)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.changed)


def _mark(ref: Any, comment: str, kinds: list[Any]) -> Any:
    from ejournal_tui.services.register import CellMark

    weight = next((k.weight for k in kinds if k.code == ref.work_kind), 1.0)
    return CellMark(ref.id, ref.value, ref.work_kind, weight, comment, ref.version)
