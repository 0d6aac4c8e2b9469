"""Substitutions for a day, the deputy director's screen: every lesson of the school's
timetable that day (held already or not yet) with the teacher it names and the substitute
who holds it instead. Enter on a lesson opens the picker: teachers free at that lesson first,
«no substitute» to give the lesson back; Enter, Ctrl+S or the button saves, Escape discards.
←/→ (or [ and ]) go to the day before or after; the day opened is today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ejournal_tui.i18n import fmt_date, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import SizedColumns

if TYPE_CHECKING:
    from ejournal_tui.services.substitutions import Candidate, DaySlot, SubstitutionDay
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "subs.title": ("Замены на {weekday} {day} · уроков: {lessons} · с заменой: {subs}",
                   "Substitutions for {weekday} {day} · lessons: {lessons} · substituted: {subs}"),
    "subs.holiday": ("{weekday} {day}: {name} — уроков по расписанию нет",
                     "{weekday} {day}: {name} — no lessons in the timetable"),
    "subs.none": ("Замены на {weekday} {day}: уроков в этот день нет", "Substitutions for {weekday} {day}: no lessons that day"),
    "subs.loading": ("Загрузка…", "Loading…"),
    "subs.weekdays": ("пн вт ср чт пт сб вс", "Mon Tue Wed Thu Fri Sat Sun"),
    "subs.col.no": ("№", "No."),
    "subs.col.class": ("Класс", "Class"),
    "subs.col.subject": ("Предмет", "Subject"),
    "subs.col.teacher": ("По расписанию", "Timetable"),
    "subs.col.substitute": ("Замена", "Substitute"),
    "subs.detail": ("Урок {number}, {start}–{end} · {title} · по расписанию {teacher} · {state}",
                    "Lesson {number}, {start}–{end} · {title} · timetable: {teacher} · {state}"),
    "subs.held_by": ("ведёт {name}", "held by {name}"),
    "subs.no_sub": ("без замены", "no substitute"),
    "subs.not_held": ("ещё не проведён", "not held yet"),
    "subs.pick": ("Заменить", "Substitute"),
    "subs.prev": ("Пред. день", "Prev. day"),
    "subs.next": ("След. день", "Next day"),
    "subs.today": ("Сегодня", "Today"),
    "subs.refresh": ("Обновить", "Refresh"),
    "subs.pick.tip": ("Выбрать учителя, который проведёт выбранный урок", "Choose who holds the chosen lesson"),
    "subs.prev.tip": ("Замены на предыдущий день", "The day before"),
    "subs.next.tip": ("Замены на следующий день", "The day after"),
    "subs.today.tip": ("Вернуться к сегодняшнему дню", "Back to today"),
    "subs.refresh.tip": ("Загрузить заново из базы данных", "Reload from the database"),
    # the picker
    "subs.modal.title": ("{title} · {weekday} {day}, урок {number} ({start}–{end})",
                         "{title} · {weekday} {day}, lesson {number} ({start}–{end})"),
    "subs.modal.teacher": ("По расписанию: {teacher} · сейчас: {state}", "Timetable: {teacher} · now: {state}"),
    "subs.modal.back": ("Без замены — ведёт {teacher}", "No substitute — {teacher} holds it"),
    "subs.modal.same": ("{name} · учитель предмета", "{name} · teaches the subject"),
    "subs.modal.busy": ("{name} — занят(а): {lesson}", "{name} — busy: {lesson}"),
    "subs.save": ("Сохранить", "Save"),
    "subs.cancel": ("Отмена", "Cancel"),
    "subs.save.tip": ("Сохранить выбранную замену", "Save the substitute chosen"),
    "subs.cancel.tip": ("Закрыть без сохранения", "Back without saving"),
    "subs.hint": ("Enter или Ctrl+S — сохранить · Esc — отмена", "Enter or Ctrl+S: save · Esc: cancel"),
    "subs.saved": ("Замена сохранена: {title}, урок {number} — {who}", "Saved: {title}, lesson {number} — {who}"),
    "subs.loading_teachers": ("Загрузка списка учителей…", "Loading the teachers…"),
})

COLUMNS = ("no", "class", "subject", "teacher", "substitute")
# below 100 columns of terminal they fit 80 with the table's scrollbar (the lesson's time is on
# the line under the table); from 100 on, subjects and names are seldom cut
WIDTHS = {False: {"no": 2, "class": 15, "subject": 16, "teacher": 15, "substitute": 15},
          True: {"no": 2, "class": 18, "subject": 30, "teacher": 20, "substitute": 20}}
NO_SUBSTITUTE = "none"  # the picker's option that gives the lesson back to its teacher


def weekday(day: date) -> str:
    return t("subs.weekdays").split()[day.weekday()]


def _cut(text: str, style: str = "") -> Text:
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


class SubstitutionsScreen(SizedColumns, FittedFooter, Screen[None]):
    """The day's lessons of the whole school and who holds each."""

    TABLE, COLUMNS, COLUMN_WIDTHS, WIDE_FROM, COLUMN_PHRASE = "#subs-table", COLUMNS, WIDTHS, 100, "subs.col.{key}"
    CSS_PATH = "substitutions.tcss"
    BINDINGS = [
        # before the table's own Enter (which the footer does not show) and its ← → (of no use:
        # its columns fit): Enter picks the substitute, the arrows change the day
        Binding("enter", "pick", bt("subs.pick"), tooltip=bt("subs.pick.tip"), priority=True),
        Binding("left,left_square_bracket,х", "day(-1)", bt("subs.prev"), tooltip=bt("subs.prev.tip"), priority=True),
        Binding("right,right_square_bracket,ъ", "day(1)", bt("subs.next"), tooltip=bt("subs.next.tip"), priority=True),
        Binding("home", "today", bt("subs.today"), tooltip=bt("subs.today.tip"), show=False, priority=True),
        Binding("f5", "refresh", bt("subs.refresh"), tooltip=bt("subs.refresh.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "refresh", "open_screen('register')")

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day  # None: today, as the database's clock has it
        self.view: SubstitutionDay | None = None

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("subs.loading"), id="subs-title", classes="section")
        yield DataTable(id="subs-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="subs-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.add_sized_columns()
        self.action_refresh()

    def reshow(self) -> None:
        if self.view is not None:
            self.show(self.view)

    # ---- the day ------------------------------------------------------------------------

    def action_refresh(self) -> None:
        from ejournal_tui.services.substitutions import substitution_day

        self.ejapp.call_service(substitution_day, self.day, on_result=self.show, group="substitutions")

    def action_day(self, step: int) -> None:
        if self.view is None:
            return
        day = self.view.day + timedelta(days=step)
        if day.isoweekday() == 7:  # no school on Sundays: on to Monday or back to Saturday
            day += timedelta(days=step)
        self.day = day
        self.action_refresh()

    def action_today(self) -> None:
        self.day = None
        self.action_refresh()

    def show(self, view: SubstitutionDay) -> None:
        table = self.query_one("#subs-table", DataTable)
        kept = self._current_key() if self.view is not None and self.view.day == view.day else None
        self.view, self.day = view, view.day
        self.query_one("#subs-title", Static).update(self._title(view))
        table.clear()
        for slot in view.slots:
            table.add_row(*self._row(slot), key=_key(slot))
        keys = [_key(slot) for slot in view.slots]
        if kept in keys:
            table.move_cursor(row=keys.index(kept))
        self._detail()

    @staticmethod
    def _title(view: SubstitutionDay) -> str:
        day, wd = fmt_date(view.day), weekday(view.day)
        if view.holiday:
            return t("subs.holiday", weekday=wd, day=day, name=view.holiday)
        if not view.slots:
            return t("subs.none", weekday=wd, day=day)
        return t("subs.title", weekday=wd, day=day, lessons=len(view.slots), subs=view.substituted)

    @staticmethod
    def _row(slot: DaySlot) -> list[Any]:
        klass = f"{slot.class_name} {slot.group}".strip()
        return [str(slot.number), _cut(klass), _cut(slot.subject),
                _cut(slot.teacher, "strike" if slot.substitute_id else ""), _cut(slot.substitute, "bold")]

    def _current_key(self) -> str | None:
        table = self.query_one("#subs-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def current(self) -> DaySlot | None:
        key = self._current_key()
        view = self.view
        if view is None or key is None:
            return None
        return next((slot for slot in view.slots if _key(slot) == key), None)

    @on(DataTable.RowHighlighted, "#subs-table")
    def _detail(self) -> None:
        slot = self.current()
        text = "" if slot is None else t(
            "subs.detail", number=slot.number, start=slot.start, end=slot.end, title=slot.title, teacher=slot.teacher,
            state=_state(slot))
        self.query_one("#subs-detail", Static).update(text)

    # ---- the picker ---------------------------------------------------------------------

    @on(DataTable.RowSelected, "#subs-table")
    def action_pick(self) -> None:
        slot, view = self.current(), self.view
        if slot is None or view is None:
            return
        self.app.push_screen(SubstituteModal(slot, view.day), lambda changed: self.action_refresh() if changed else None)


def _key(slot: DaySlot) -> str:
    return f"{slot.load_id}:{slot.number}"


def _state(slot: DaySlot) -> str:
    if slot.substitute_id is not None:
        return t("subs.held_by", name=slot.substitute)
    return t("subs.no_sub") if slot.lesson_id is not None else t("subs.not_held")


class SubstituteModal(ModalScreen[bool]):
    """Who holds one lesson: a teacher from the list (free ones first) or, «no substitute»,
    the timetable's teacher again. Dismissed with True once a change is stored."""

    CSS_PATH = "substitutions.tcss"
    BINDINGS = [
        Binding("escape", "cancel", bt("subs.cancel"), tooltip=bt("subs.cancel.tip")),
        Binding("ctrl+s", "save", bt("subs.save"), tooltip=bt("subs.save.tip")),
    ]

    def __init__(self, slot: DaySlot, day: date) -> None:
        super().__init__()
        self.slot, self.day = slot, day
        self.candidates: list[Candidate] = []
        self.busy = False  # a save on its way: a second Enter does not send it twice

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        slot = self.slot
        with Vertical(id="subs-box"):
            yield Static(t("subs.modal.title", title=slot.title, weekday=weekday(self.day),
                           day=fmt_date(self.day), number=slot.number, start=slot.start, end=slot.end),
                         id="subs-modal-title")
            yield Static(t("subs.modal.teacher", teacher=slot.teacher, state=_state(slot)), id="subs-modal-teacher")
            yield OptionList(Option(t("subs.loading_teachers"), disabled=True), id="subs-options")
            with Horizontal(classes="buttons"):
                yield Button(t("subs.save"), id="subs-save", variant="primary")
                yield Button(t("subs.cancel"), id="subs-cancel")
            yield Static(t("subs.hint"), id="subs-hint")
        yield Footer()

    def on_mount(self) -> None:
        from ejournal_tui.services.substitutions import candidates

        self.query_one(OptionList).focus()
        slot = self.slot
        self.ejapp.call_service(candidates, slot.load_id, self.day, slot.number, on_result=self._loaded,
                                group="subs-candidates")

    def _loaded(self, found: list[Candidate]) -> None:
        self.candidates = found
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_option(Option(t("subs.modal.back", teacher=self.slot.teacher), id=NO_SUBSTITUTE))
        options.add_options([Option(_label(c), id=str(c.id)) for c in found])
        ids = [str(c.id) for c in found]
        current = str(self.slot.substitute_id) if self.slot.substitute_id is not None else None
        # the substitute holding it now; else the first free teacher (the likeliest choice). Once
        # the list has its new height: scrolled to it in the one-line list of «loading», the
        # list hid its first line («no substitute»)
        wanted = ids.index(current) + 1 if current in ids else (1 if found else 0)
        self.call_after_refresh(setattr, options, "highlighted", wanted)

    @on(OptionList.OptionSelected, "#subs-options")
    @on(Button.Pressed, "#subs-save")
    def action_save(self) -> None:
        """Store the teacher highlighted; the lesson's holder unchanged, nothing is written."""
        from ejournal_tui.services.substitutions import set_substitute

        options = self.query_one(OptionList)
        if self.busy or not self.candidates or options.highlighted is None:
            return
        chosen = options.get_option_at_index(options.highlighted).id
        wanted = None if chosen == NO_SUBSTITUTE else int(chosen or 0)
        if wanted == self.slot.substitute_id:
            self.dismiss(False)
            return
        self.busy = True
        self.ejapp.write(set_substitute, self.slot.load_id, self.day, self.slot.number, wanted,
                         on_result=lambda _ref: self._saved(wanted), on_error=self._failed)

    def _saved(self, wanted: int | None) -> None:
        who = next((c.name for c in self.candidates if c.id == wanted), t("subs.no_sub"))
        self.notify(t("subs.saved", title=self.slot.title, number=self.slot.number, who=who), timeout=3)
        self.dismiss(True)

    def _failed(self, _exc: Exception) -> None:  # the app says why; the picker stays open
        self.busy = False

    @on(Button.Pressed, "#subs-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def _label(candidate: Candidate) -> Text:
    if candidate.busy:
        return Text(t("subs.modal.busy", name=candidate.name, lesson=candidate.busy), style="dim")
    return Text(t("subs.modal.same", name=candidate.name) if candidate.same_subject else candidate.name)
