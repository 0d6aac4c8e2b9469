"""Administration, the timetable tab: one class's week as a grid (lesson number with its bell
time × Monday to Saturday), the lessons of the chosen cell in full below it, and the forms
that add a weekly lesson from one of the class's load rows or remove one.

The admin screen owns the keys (`a` adds a lesson to the chosen cell, `d` removes it after a «Да», `e`
sets the row's bell time, `c` chooses the class); Enter or a second click on a day's cell
adds too, on the bell column it sets the bell time. The bell column is an ordinary column
of fixed width, not DataTable row labels: those are measured only once the table is idle,
and rows painted before that keep no labels.
Reads run through the app's `call_service`, changes through its write queue. A refused
lesson (the class or the teacher is busy at that time, a lesson number without a bell time)
is shown with the service's message and the form comes back with what was typed; nothing is
stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.services import admin
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.admin_prompt import next_field_or_save
from ejournal_tui.tui.widgets.confirm import confirm_then
from ejournal_tui.tui.widgets.table_labels import relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.services.admin import BellInfo, ClassInfo, LoadInfo, SlotInfo
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "adm.tt_q_remove": ("Убрать из расписания урок {lesson}?", "Remove the lesson {lesson} from the timetable?"),
    "adm.weekdays": ("Пн Вт Ср Чт Пт Сб", "Mon Tue Wed Thu Fri Sat"),
    "adm.tt_choose": ("Класс", "Class"),
    "adm.tt_total": ("Уроков в неделю: {slots} · по нагрузке: {hours} ч", "Lessons a week: {slots} · load: {hours} h"),
    "adm.tt_cell": ("{day}, урок {number}, {start}–{end}", "{day}, lesson {number}, {start}–{end}"),
    "adm.tt_no_bell": ("нет звонка", "no bell time"),
    "adm.tt_free": ("свободно · a — поставить урок · e — время звонка · c — класс",
                    "free · a: add a lesson · e: bell time · c: class"),
    "adm.tt_bell_cell": ("Урок {number}: {start}–{end} · Enter или e — изменить время звонка",
                         "Lesson {number}: {start}–{end} · Enter or e: change the bell time"),
    "adm.tt_in_room": ("каб. {room}", "room {room}"),
    "adm.tt_add": ("Урок в расписание · {klass}", "A lesson for the timetable · {klass}"),
    "adm.tt_load": ("Строка нагрузки (часов в неделю: в расписании/по плану)",
                    "Load row (hours a week: timetabled/planned)"),
    "adm.tt_day": ("День (1–6)", "Day (1–6)"),
    "adm.tt_no": ("Урок №", "Lesson"),
    "adm.tt_pick_load": ("выберите строку нагрузки", "choose a load row"),
    "adm.tt_bad_day": ("день недели: число 1–6 (понедельник = 1)", "weekday: a number 1–6 (Monday = 1)"),
    "adm.tt_bad_no": ("номер урока: число", "lesson number: a number"),
    "adm.tt_no_load": ("У класса {klass} нет нагрузки: добавьте её на вкладке «Нагрузка»",
                       "Class {klass} has no teaching load: add it on the Teaching load tab"),
    "adm.tt_empty_cell": ("В этой клетке нет урока", "There is no lesson in this cell"),
    "adm.tt_which": ("Какой урок убрать из расписания?", "Which lesson leaves the timetable?"),
    "adm.tt_hint": ("Enter — далее · Ctrl+S — сохранить · Esc — отмена",
                    "Enter: next · Ctrl+S: save · Esc: cancel"),
    "adm.tt_class_key": ("Класс", "Class"),
    "adm.tt_class_tip": ("Выбрать класс, чья неделя показана", "Choose the class whose week is shown"),
    "adm.tt_save": ("Сохранить", "Save"),
    "adm.tt_cancel": ("Отмена", "Cancel"),
    "adm.tt_cancel.tip": ("Закрыть, ничего не сохраняя", "Close without saving"),
    "adm.tt_save.tip": ("Сохранить из любого поля", "Save from any field"),
    "adm.tt_pick_cancel.tip": ("Ничего не выбирать", "Choose nothing"),
})

DAYS = 6
BELL_W = 7  # "1 08:30"
CELL_W = 9  # "Англ ×2", "Рус 215": six of them and the bell column fit in 80 columns


@dataclass(frozen=True)
class WeekView:
    """What the tab shows: the classes to choose from and the chosen class's week."""

    classes: list[ClassInfo]
    class_id: int | None
    bells: list[BellInfo]
    slots: list[SlotInfo]
    loads: list[LoadInfo]  # the chosen class's load rows
    short: dict[str, str] = field(default_factory=dict)  # subject name -> short name

    @property
    def class_name(self) -> str:
        return next((c.name for c in self.classes if c.id == self.class_id), "")


def load_week(uow: Any, actor: Any, class_id: int | None) -> WeekView:
    """The week of `class_id` (or of the first class); runs in a worker."""
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.domain.errors import NotAllowed

    if not (perm.may(actor.roles, "manage_school") or perm.may(actor.roles, "manage_accounts")):
        raise NotAllowed(what=Phrase("adm.denied"))
    classes = admin.list_classes(uow)
    if class_id not in {c.id for c in classes}:
        class_id = classes[0].id if classes else None
    name = next((c.name for c in classes if c.id == class_id), "")
    slots = admin.timetable(uow, class_id) if class_id is not None else []
    loads = [x for x in admin.list_load(uow) if x.class_name == name]
    short = {s.name: s.short_name for s in admin.list_subjects(uow)}
    return WeekView(classes, class_id, admin.bells(uow), slots, loads, short)


def cell_text(slots: list[SlotInfo], short: dict[str, str]) -> str:
    """One cell of the grid: the subject's short name, and the room or how many groups."""
    if not slots:
        return ""
    names = list(dict.fromkeys(short.get(s.subject) or s.subject[:6] for s in slots))
    if len(names) > 1:
        return "/".join(names)
    if len(slots) > 1:
        return f"{names[0]} ×{len(slots)}"
    return f"{names[0]} {slots[0].room}".strip()


def slot_line(slot: SlotInfo) -> str:
    parts = [slot.subject, slot.group, slot.teacher, t("adm.tt_in_room", room=slot.room) if slot.room else ""]
    return " · ".join(p for p in parts if p)


def load_line(load: LoadInfo) -> str:
    what = f"{load.subject} · {load.group}" if load.group else load.subject
    return f"{what} — {load.teacher} ({load.slots}/{load.hours:g})"


class TimetablePane(Vertical):
    """The chosen class's week; the admin screen forwards its keys here."""

    DEFAULT_CSS = """
    TimetablePane { height: 1fr; }
    TimetablePane #tt-bar { height: 3; }
    TimetablePane #tt-bar Label { padding: 1 1 0 1; }
    TimetablePane #tt-class { width: 16; }
    TimetablePane #tt-total { width: 1fr; padding: 1 1 0 2; color: $text-muted; }
    TimetablePane #t-timetable { height: 1fr; }
    TimetablePane #tt-detail { height: auto; max-height: 5; padding: 0 1; border-top: hkey $primary-background; }
    """
    BINDINGS = [Binding("c,с", "choose_class", bt("adm.tt_class_key"), tooltip=bt("adm.tt_class_tip"))]

    class Saved(Message):
        """A lesson was added to or removed from the timetable."""

    def __init__(self) -> None:
        super().__init__()
        self.view: WeekView | None = None
        self.numbers: list[int] = []  # the grid's rows: lesson numbers
        self._options: list[tuple[str, int]] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="tt-bar"):
            yield Label(t("adm.tt_choose"), id="tt-class-label")
            yield Select[int]([], id="tt-class", prompt=t("adm.tt_choose"))
            yield Static("", id="tt-total")
        yield DataTable(id="t-timetable", cursor_type="cell")
        yield Static("", id="tt-detail")

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    @property
    def grid(self) -> DataTable:
        return self.query_one("#t-timetable", DataTable)

    def on_mount(self) -> None:
        for label, width in self._columns():
            self.grid.add_column(label, width=width)

    @staticmethod
    def _columns() -> list[tuple[str, int]]:
        return [(t("adm.tt_no"), BELL_W), *((day, CELL_W) for day in t("adm.weekdays").split()[:DAYS])]

    def retranslate(self) -> None:
        """After Ctrl+T: the weekdays, the labels, and the total and the cell read again."""
        relabel_columns(self.grid, self._columns())
        self.query_one("#tt-class-label", Label).update(t("adm.tt_choose"))
        if self.view is not None:
            self.reload()

    # ---- reading --------------------------------------------------------------------------

    def reload(self) -> None:
        class_id = self.view.class_id if self.view else None
        self.ejournal.call_service(load_week, class_id, on_result=self.show, group="admin-timetable")

    def show(self, view: WeekView) -> None:
        first, self.view = self.view is None, view
        self._show_classes(view)
        bells = {b.number: b for b in view.bells}
        self.numbers = sorted(set(bells) | {s.number for s in view.slots})
        grid = self.grid
        row, column = grid.cursor_coordinate
        grid.clear()
        for number in self.numbers:
            bell = bells.get(number)
            label = Text(f"{number} {bell.start if bell else '--:--'}", style="bold")
            grid.add_row(label, *(cell_text(self.slots_at(day, number), view.short) for day in range(1, DAYS + 1)),
                         key=str(number))
        if self.numbers:  # the first time on Monday's first lesson, then where it was
            grid.move_cursor(row=min(row, len(self.numbers) - 1), column=max(column, 1) if first else column)
        hours = sum(x.hours for x in view.loads)
        self.query_one("#tt-total", Static).update(t("adm.tt_total", slots=len(view.slots), hours=f"{hours:g}"))
        self._show_detail()

    def _show_classes(self, view: WeekView) -> None:
        select = self.query_one("#tt-class", Select)
        options = [(c.name, c.id) for c in view.classes]
        with self.prevent(Select.Changed):
            if options != self._options:
                self._options = options
                select.set_options(options)
            if view.class_id is not None and select.value != view.class_id:
                select.value = view.class_id

    def slots_at(self, weekday: int, number: int) -> list[SlotInfo]:
        slots = self.view.slots if self.view else []
        return [s for s in slots if s.weekday == weekday and s.number == number]

    def cursor(self) -> tuple[int, int] | None:
        """(weekday, lesson number) of the grid's cursor; weekday 0: the bell column."""
        row, column = self.grid.cursor_coordinate
        if not 0 <= row < len(self.numbers):
            return None
        return column, self.numbers[row]

    def current_bell(self) -> BellInfo | None:
        """The bell of the cursor's row (a row without a bell time: only its number)."""
        from ejournal_tui.services.admin import BellInfo

        where = self.cursor()
        if where is None or self.view is None:
            return None
        return next((b for b in self.view.bells if b.number == where[1]), BellInfo(where[1], "", ""))

    @on(DataTable.CellHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#tt-detail", Static)
        where, bell = self.cursor(), self.current_bell()
        if where is None or bell is None:
            detail.update("")
            return
        if where[0] == 0:
            detail.update(t("adm.tt_bell_cell", number=bell.number, start=bell.start or "--:--", end=bell.end or "--:--"))
            return
        day = t("adm.weekdays").split()[where[0] - 1]
        head = t("adm.tt_cell", day=day, number=where[1], start=bell.start or t("adm.tt_no_bell"), end=bell.end)
        lines = [slot_line(s) for s in self.slots_at(*where)] or [t("adm.tt_free")]
        detail.update(Text(head.rstrip("–"), style="bold") + Text("\n" + "\n".join(lines)))

    @on(Select.Changed, "#tt-class")
    def _class_chosen(self, event: Select.Changed) -> None:
        if self.view is None or event.value == Select.NULL or event.value == self.view.class_id:
            return
        self.ejournal.call_service(load_week, event.value, on_result=self.show, group="admin-timetable")
        self.grid.focus()

    def action_choose_class(self) -> None:
        select = self.query_one("#tt-class", Select)
        select.focus()
        select.expanded = True

    # ---- writing --------------------------------------------------------------------------

    @on(DataTable.CellSelected)
    async def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if event.coordinate.column == 0:
            await self.run_action("screen.edit")  # the admin screen's bell form
        else:
            self.add()

    def add(self, values: dict[str, str] | None = None) -> None:
        """The form for a lesson in the cursor's cell (or `values`, typed before a refusal)."""
        view, where = self.view, self.cursor()
        if view is None or view.class_id is None:
            return
        if not view.loads:
            self.notify(t("adm.tt_no_load", klass=view.class_name), severity="warning")
            return
        if values is None:
            weekday, number = where or (1, 1)
            weekday = weekday or 1
            wanted = next((x for x in view.loads if x.slots < x.hours), view.loads[0])
            values = {"load": str(wanted.id), "weekday": str(weekday), "number": str(number), "room": ""}
        modal = SlotModal(t("adm.tt_add", klass=view.class_name), view.loads, values)
        self.app.push_screen(modal, self._given)

    def _given(self, values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            args = _slot_args(values)
        except Exception as exc:  # noqa: BLE001 - bad input typed: shown, asked again
            self.ejournal.show_error(exc)
            self.add(values)
            return
        self.ejournal.write(admin.add_slot, *args, on_result=self._saved, on_error=lambda _e: self.add(values))

    def remove(self) -> None:
        """Remove the cursor cell's lesson; of several (groups), the one chosen."""
        where = self.cursor()
        slots = self.slots_at(*where) if where else []
        if not slots:
            self.notify(t("adm.tt_empty_cell"), severity="warning")
        elif len(slots) == 1:
            self._remove(slots[0].id)
        else:
            options = [(slot_line(s), str(s.id)) for s in slots]
            self.app.push_screen(PickModal(t("adm.tt_which"), options),
                                 lambda chosen: self._remove(int(chosen)) if chosen else None)

    def _remove(self, slot_id: int) -> None:
        slot = next((s for s in self.view.slots if s.id == slot_id), None) if self.view else None
        question = t("adm.tt_q_remove", lesson=slot_line(slot) if slot else slot_id)
        confirm_then(self.app, question,
                     lambda: self.ejournal.write(admin.remove_slot, slot_id, on_result=self._saved))

    def _saved(self, _result: Any) -> None:
        self.post_message(self.Saved())


def _slot_args(values: dict[str, str]) -> tuple[int, int, int, str]:
    """(load id, weekday, lesson number, room) from the form; InvalidInput if not numbers."""
    from ejournal_tui.domain.errors import InvalidInput

    def number(text: str, message: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise InvalidInput(what=Phrase(message)) from None

    load = number(values.get("load", ""), "adm.tt_pick_load")
    return load, number(values["weekday"], "adm.tt_bad_day"), number(values["number"], "adm.tt_bad_no"), values["room"]


class SlotModal(ModalScreen[dict[str, str] | None]):
    """Which load row, on which weekday, as which lesson, in which room."""

    DEFAULT_CSS = """
    SlotModal { align: center middle; }
    SlotModal > Vertical { width: 78; max-width: 100%; height: auto; max-height: 100%; border: round $primary;
                           background: $surface; padding: 0 1; }
    SlotModal .slot-title { text-style: bold; }
    SlotModal .slot-label { color: $text-muted; margin-top: 1; }
    SlotModal OptionList { height: auto; max-height: 9; }
    SlotModal Horizontal { height: 3; }
    SlotModal Horizontal Label { padding: 1 1 0 0; }
    SlotModal #f-weekday, SlotModal #f-number { width: 7; margin-right: 2; }
    SlotModal #f-room { width: 1fr; }
    SlotModal #slot-buttons { align-horizontal: right; }
    SlotModal Button { margin-left: 1; }
    SlotModal .slot-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", bt("adm.tt_cancel"), tooltip=bt("adm.tt_cancel.tip")),
        Binding("ctrl+s", "save", bt("adm.tt_save"), tooltip=bt("adm.tt_save.tip")),
    ]

    def __init__(self, title: str, loads: list[LoadInfo], values: dict[str, str]) -> None:
        super().__init__()
        self.title_text, self.loads, self.values = title, loads, values

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="slot-title")
            yield Static(t("adm.tt_load"), classes="slot-label")
            yield OptionList(*(Option(load_line(x), id=str(x.id)) for x in self.loads), id="f-load")
            with Horizontal():
                yield Label(t("adm.tt_day"))
                yield Input(self.values.get("weekday", ""), id="f-weekday")
                yield Label(t("adm.tt_no"))
                yield Input(self.values.get("number", ""), id="f-number")
                yield Label(t("adm.room"))
                yield Input(self.values.get("room", ""), id="f-room")
            with Horizontal(id="slot-buttons"):
                yield Button(t("adm.tt_save"), id="slot-save", variant="primary")
                yield Button(t("adm.tt_cancel"), id="slot-cancel")
            yield Static(t("adm.tt_hint"), classes="slot-hint")

    def on_mount(self) -> None:
        loads = self.query_one("#f-load", OptionList)
        ids = [str(x.id) for x in self.loads]
        wanted = self.values.get("load", "")
        loads.highlighted = ids.index(wanted) if wanted in ids else 0
        loads.focus()

    @on(OptionList.OptionSelected, "#f-load")
    def _load_chosen(self) -> None:
        self.query_one("#f-weekday", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        next_field_or_save(self, event, self.action_save)

    @on(Button.Pressed, "#slot-save")
    def action_save(self) -> None:
        option = self.query_one("#f-load", OptionList).highlighted_option
        self.dismiss({"load": option.id if option and option.id else "",
                      **{name: self.query_one(f"#f-{name}", Input).value for name in ("weekday", "number", "room")}})

    @on(Button.Pressed, "#slot-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PickModal(ModalScreen[str | None]):
    """Choose one of a few lines (Enter or a click); Esc: none."""

    DEFAULT_CSS = """
    PickModal { align: center middle; }
    PickModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning;
                           background: $surface; padding: 0 1; }
    PickModal OptionList { height: auto; max-height: 10; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", bt("adm.tt_cancel"), tooltip=bt("adm.tt_pick_cancel.tip"))]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.options = title, options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text)
            yield OptionList(*(Option(text, id=key) for text, key in self.options))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

