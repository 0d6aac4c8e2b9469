"""Homework: the teacher's lessons, past and planned, with their homework (entered ahead or
on the day; entries after the deadline flagged), and a class's day-by-day homework load."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Static

from ejournal_tui.i18n import fmt_day, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter

if TYPE_CHECKING:
    from ejournal_tui.services.homework import DayLoad, HomeworkRow
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "hw.unsaved": ("{lesson}, {day} — домашнее задание: {text}", "{lesson}, {day} — homework: {text}"),
    "hw.lessons": ("Мои уроки и домашние задания", "My lessons and their homework"),
    "hw.load": ("Нагрузка класса {klass} по дням", "Homework load of {klass} by day"),
    "hw.col.day": ("Дата", "Date"),
    "hw.col.no": ("№", "No."),
    "hw.col.lesson": ("Класс · предмет", "Class · subject"),
    "hw.col.homework": ("Домашнее задание", "Homework"),
    "hw.col.flag": ("Отметка", "Flag"),
    "hw.days": ("пн вт ср чт пт сб вс", "Mon Tue Wed Thu Fri Sat Sun"),
    "hw.col.count": ("Заданий", "Tasks"),
    "hw.col.subjects": ("Предметы", "Subjects"),
    "hw.late": ("поздно", "late"),
    "hw.planned": ("план", "planned"),
    # one line at 80 columns: Ctrl+S is in the footer, «Сохранить» beside the field
    "hw.edit": ("Д/з к уроку {day} ({title}) · Enter — сохранить · Esc — отмена",
                "Homework for {day} ({title}) · Enter: save · Esc: cancel"),
    "hw.saved": ("Домашнее задание сохранено", "Homework saved"),
    "hw.refresh": ("Обновить", "Refresh"),
    "hw.save": ("Сохранить", "Save"),
    "hw.save.tip": ("Сохранить домашнее задание выбранного урока", "Save the homework of the chosen lesson"),
    "hw.enter": ("Записать д/з", "Write homework"),
    "hw.enter.tip": ("Записать домашнее задание к выбранному уроку", "Write the homework of the chosen lesson"),
    "hw.refresh.tip": ("Загрузить заново из базы данных", "Reload from the database"),
    "hw.back.tip": ("Закрыть поле д/з, а из списка — на экран «Сегодня»", "Close the homework field; from the list, back to Today"),
})


class HomeworkScreen(FittedFooter, Screen[None]):
    """Lessons with their homework; the chosen lesson's class load alongside."""

    CSS_PATH = "homework.tcss"
    BINDINGS = [
        Binding("enter", "edit", bt("hw.enter"), tooltip=bt("hw.enter.tip")),
        Binding("f5", "refresh", bt("hw.refresh"), tooltip=bt("hw.refresh.tip")),
        Binding("ctrl+s", "save", bt("hw.save"), tooltip=bt("hw.save.tip")),
        Binding("escape", "back", bt("screen.today"), tooltip=bt("hw.back.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("open_screen('homework')", "lock", "quit", "open_screen('today')")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HomeworkRow] = []
        self.editing: HomeworkRow | None = None
        self.busy = False  # a save on its way: a second Enter does not send it twice

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="hw-main"):
            with Vertical(id="hw-left"):
                yield Static(t("hw.lessons"), classes="section")
                yield DataTable(id="hw-lessons", cursor_type="row")
            with Vertical(id="hw-right"):
                yield Static("", id="hw-load-title", classes="section")
                yield DataTable(id="hw-load", cursor_type="row")
        yield Static("", id="hw-edit-label")
        with Horizontal(id="hw-edit"):
            yield Input(id="hw-input")
            yield Button(t("hw.save"), id="hw-save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        lessons = self.query_one("#hw-lessons", DataTable)
        # fixed widths: auto-measured columns may paint before they are measured (and jump)
        for key, width in (("hw.col.day", 12), ("hw.col.no", 3), ("hw.col.lesson", 20), ("hw.col.homework", 48),
                           ("hw.col.flag", 10)):
            lessons.add_column(t(key), width=max(width, len(t(key))))
        load = self.query_one("#hw-load", DataTable)
        for key, width in (("hw.col.day", 10), ("hw.col.count", 6), ("hw.col.subjects", 40)):
            load.add_column(t(key), width=max(width, len(t(key))))
        self.query_one("#hw-edit").display = False
        lessons.focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        from ejournal_tui.services.homework import teacher_homework

        self.ejapp.call_service(teacher_homework, on_result=self.show, group="homework")

    def show(self, rows: list[HomeworkRow]) -> None:
        self.rows = rows
        table = self.query_one("#hw-lessons", DataTable)
        keep = table.cursor_row
        table.clear()
        today = self.ejapp.session.db.clock.today() if self.ejapp.session else None
        for i, row in enumerate(rows):
            flag = t("hw.late") if row.late else (t("hw.planned") if row.lesson_id is None else "")
            mark = "▶ " if row.day == today else ""
            table.add_row(f"{mark}{_day(row.day)}", str(row.number), row.title, row.homework[:48] or "—", flag,
                          key=str(i))
        if rows:
            index = keep if 0 < keep < len(rows) else next((i for i, r in enumerate(rows) if today and r.day >= today), 0)
            table.move_cursor(row=index, scroll=False)
            table.scroll_to(y=max(0, index - 2), animate=False)  # today's row near the top, every time

    @on(DataTable.RowHighlighted, "#hw-lessons")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        from ejournal_tui.services.homework import class_load

        if not self.rows or event.cursor_row >= len(self.rows):
            return
        row = self.rows[event.cursor_row]
        self.query_one("#hw-load-title", Static).update(t("hw.load", klass=row.title.split(" · ")[0]))
        self.ejapp.call_service(class_load, row.class_id, on_result=self.show_load, group="hw-load")

    def show_load(self, days: list[DayLoad]) -> None:
        table = self.query_one("#hw-load", DataTable)
        table.clear()
        for day in days:
            table.add_row(_day(day.day), str(len(day.items)), ", ".join(s for s, _ in day.items))

    @on(DataTable.RowSelected, "#hw-lessons")
    def action_edit(self) -> None:
        table = self.query_one("#hw-lessons", DataTable)
        if not self.rows or self.focused is not table:
            return
        self.editing = self.rows[table.cursor_row]
        field = self.query_one("#hw-input", Input)
        self.query_one("#hw-edit-label", Static).update(
            t("hw.edit", day=f"{self.editing.day:%d.%m}", title=self.editing.title))
        self.query_one("#hw-edit").display = True
        field.value = self.editing.homework
        field.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+S is in the footer only while a lesson's homework is being written."""
        return self.editing is not None if action == "save" else True

    @on(Input.Submitted, "#hw-input")
    @on(Button.Pressed, "#hw-save")
    def action_save(self) -> None:
        """Write the homework typed; after its deadline the reason is asked (reason_retry)."""
        from ejournal_tui.services.homework import set_homework
        from ejournal_tui.tui.widgets.reason_retry import write_asking_reason

        row = self.editing
        if row is None or self.busy:
            return
        self.busy = True
        text = self.query_one("#hw-input", Input).value.strip()
        write_asking_reason(self, set_homework, row, text, on_result=self._saved, on_error=self._refused,
                            label=t("hw.unsaved", lesson=row.title, day=fmt_day(row.day), text=text[:40]))

    def _refused(self, _exc: Exception) -> None:  # the app says why; the field keeps what was typed
        self.busy = False

    def _saved(self, _version: Any) -> None:
        self.busy = False
        self.notify(t("hw.saved"), timeout=2)
        self._close_editor()
        self.action_refresh()

    def _close_editor(self) -> None:
        self.editing = None
        self.query_one("#hw-edit").display = False
        self.refresh_bindings()
        self.query_one("#hw-edit-label", Static).update("")
        self.query_one("#hw-lessons", DataTable).focus()

    def action_back(self) -> None:
        if self.editing is not None:
            self._close_editor()
        else:
            self.ejapp.open_screen("today")


def _day(day: Any) -> str:
    return f"{t('hw.days').split()[day.weekday()]} {day:%d.%m}"
