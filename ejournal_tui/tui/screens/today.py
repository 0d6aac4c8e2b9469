"""Today: the signed-in person's lessons from the timetable with what each still lacks,
substitutions assigned to them (a week ahead, each marked «замена»), and what is overdue.
Enter opens a lesson's register at that lesson; the deputy's `z` opens the day's
substitutions; `p` the parents of the class (class leaders, the deputy, the administrator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ejournal_tui.i18n import fmt_date, fmt_day, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter

if TYPE_CHECKING:
    from ejournal_tui.services.today import DueItem, TodayLesson, TodayView
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "today.lessons": ("Уроки на {day}", "Lessons on {day}"),
    "today.none": ("Сегодня уроков по расписанию нет", "No lessons in the timetable today"),
    "today.subs": ("Замены", "Substitutions"),
    "today.due": ("Просрочено и к сроку", "Overdue and due"),
    "today.nothing_due": ("Просроченных записей нет", "Nothing overdue"),
    "today.col.no": ("№", "No."),
    "today.col.time": ("Время", "Time"),
    "today.col.lesson": ("Класс · предмет", "Class · subject"),
    "today.col.missing": ("Не заполнено", "Still missing"),
    "today.col.item": ("Что", "What"),
    "today.col.where": ("Где", "Where"),
    "today.col.when": ("Когда", "When"),
    "today.ok": ("всё заполнено", "all done"),
    "today.topic": ("тема", "topic"),
    "today.homework": ("д/з", "homework"),
    "today.attendance": ("посещаемость", "attendance"),
    "today.marks": ("отметки", "marks"),
    "today.sub": ("замена", "substitution"),
    "today.sub_on": ("замена {day}", "substitution {day}"),
    "today.parents": ("Родители", "Parents"),
    "today.parents.tip": ("Родители учеников класса: контакты, согласие, письма",
                          "The class's parents: contacts, consent, e-mails"),
    "today.subs.tip": ("Замены на день: кто ведёт уроки отсутствующих учителей",
                           "Substitutions for a day: who holds the lessons of absent teachers"),
    "today.no_topic": ("урок без темы", "lesson without a topic"),
    "today.no_marks": ("урок без отметок", "lesson without marks"),
    "today.uncoded_absences": ("пропуски без причины: {count}", "absences without a reason: {count}"),
    "today.finals_due": ("нет итоговых отметок: {count}, срок {day}", "final marks missing: {count}, due {day}"),
    "today.reminder": ("напоминание", "reminder"),
    "today.open": ("Открыть", "Open"),
    "today.refresh": ("Обновить", "Refresh"),
    "today.loading": ("Загрузка…", "Loading…"),
    "today.open.tip": ("Открыть журнал выбранного урока или записи", "Open the register of the chosen lesson or item"),
    "today.refresh.tip": ("Загрузить заново из базы данных", "Reload from the database"),
})


class TodayScreen(FittedFooter, Screen[None]):
    """The day's lessons and the overdue items of the signed-in person."""

    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding("enter", "open", bt("today.open"), tooltip=bt("today.open.tip")),
        Binding("f5", "refresh", bt("today.refresh"), tooltip=bt("today.refresh.tip")),
        Binding("z,я", "substitutions", bt("today.subs"), tooltip=bt("today.subs.tip")),
        Binding("p,з", "parents", bt("today.parents"), tooltip=bt("today.parents.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them); F2 is this screen
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "refresh", "open_screen('today')", "parents",
                         "open_screen('print')")

    def __init__(self) -> None:
        super().__init__()
        self.view: TodayView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="lessons-title", classes="section")
        yield DataTable(id="lessons", cursor_type="row")
        yield Static(t("today.due"), id="due-title", classes="section")
        yield DataTable(id="due", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        lessons = self.query_one("#lessons", DataTable)
        for label, width in (("today.col.no", 3), ("today.col.time", 12), ("today.col.lesson", 36),
                             ("today.col.missing", 44)):
            lessons.add_column(t(label), width=width)
        due = self.query_one("#due", DataTable)
        for label, width in (("today.col.item", 64), ("today.col.where", 28), ("today.col.when", 8)):
            due.add_column(t(label), width=width)
        lessons.focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`z` (the day's substitutions) is the deputy's: nobody else sees it in the footer."""
        if action == "substitutions":
            return self._may_substitute()
        if action == "parents":
            return self._may_keep_contacts()
        return True

    def _may_keep_contacts(self) -> bool:
        """`p` (the parents of the class) for class leaders, the deputy and the administrator."""
        from ejournal_tui.domain import permissions as perm

        session = getattr(self.app, "session", None)
        roles = session.actor.roles if session is not None else ()
        return perm.CLASS_LEADER in roles or perm.may(roles, "keep_any_contacts")

    def action_parents(self) -> None:
        if self._may_keep_contacts():
            self.app.open_screen("parents")  # type: ignore[attr-defined]

    def _may_substitute(self) -> bool:
        from ejournal_tui.domain import permissions as perm

        session = getattr(self.app, "session", None)
        return session is not None and perm.may(session.actor.roles, "manage_school")

    def action_substitutions(self) -> None:
        if self._may_substitute():
            self.app.open_screen("substitutions")  # type: ignore[attr-defined]

    def action_refresh(self) -> None:
        from ejournal_tui.services.today import today_view

        app: EjournalApp = self.app  # type: ignore[assignment]
        app.call_service(today_view, on_result=self.show, group="today")

    def show(self, view: TodayView) -> None:
        self.view = view
        self.query_one("#lessons-title", Static).update(t("today.lessons", day=fmt_date(view.day)))
        table = self.query_one("#lessons", DataTable)
        table.clear()
        for i, lesson in enumerate(self._rows(view)):
            table.add_row(str(lesson.number), f"{lesson.start}–{lesson.end}", self._lesson_title(lesson, view),
                          self._missing(lesson), key=f"l{i}")
        if not view.lessons and not view.substitutions:
            table.add_row("", "", t("today.none"), "", key="none")
        due = self.query_one("#due", DataTable)
        due.clear()
        for i, item in enumerate(view.due):
            due.add_row(*self._due_row(item), key=f"d{i}")
        for i, reminder in enumerate(view.reminders):
            when = getattr(reminder, "due", None)
            due.add_row(getattr(reminder, "text", str(reminder)), getattr(reminder, "class_name", ""),
                        fmt_day(when), key=f"r{i}")
        if not view.due and not view.reminders:
            due.add_row(t("today.nothing_due"), "", "", key="none")

    @staticmethod
    def _rows(view: TodayView) -> list[TodayLesson]:
        """Own lessons and substitutions in the order they are held (a substitution of today
        between the day's own lessons, those of the days ahead after them)."""
        return sorted([*view.lessons, *view.substitutions], key=lambda lesson: (lesson.day or view.day, lesson.number))

    @staticmethod
    def _lesson_title(lesson: TodayLesson, view: TodayView) -> str:
        if not lesson.substitute:
            return lesson.title
        if lesson.day is None or lesson.day == view.day:
            return f"{lesson.title} ({t('today.sub')})"
        return f"{lesson.title} ({t('today.sub_on', day=fmt_day(lesson.day))})"

    @staticmethod
    def _missing(lesson: TodayLesson) -> str:
        return ", ".join(t(f"today.{m}") for m in lesson.missing) or t("today.ok")

    @staticmethod
    def _due_row(item: DueItem) -> tuple[str, str, str]:
        day = fmt_day(item.day)
        return t(f"today.{item.kind}", count=item.count, day=day), item.text, day

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or self.view is None or not focused.row_count:
            return
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value or ""
        self._open(key)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value or "")

    def _open(self, key: str) -> None:
        view = self.view
        if view is None or key == "none":
            return
        if key.startswith("l"):
            self.open_lesson(self._rows(view)[int(key[1:])])
        elif key.startswith("d"):
            item = view.due[int(key[1:])]
            if item.load_id is not None:
                self.app.open_screen("register", load_id=item.load_id, day=item.day)  # type: ignore[attr-defined]
            elif item.kind == "uncoded_absences":
                self.app.open_screen("absences")  # type: ignore[attr-defined]
        elif key.startswith("r"):
            reminder = view.reminders[int(key[1:])]
            load_id = getattr(reminder, "load_id", None)
            if reminder.issue == "uncoded_absence":  # the class leader's sheet, at the pupil's first such day
                self.app.open_screen("absences", class_name=reminder.class_name,  # type: ignore[attr-defined]
                                     pupil_id=reminder.pupil_id, day=reminder.date)
            elif load_id is not None:
                self.app.open_screen("register", load_id=load_id, day=getattr(reminder, "date", None))  # type: ignore[attr-defined]

    def open_lesson(self, lesson: TodayLesson) -> None:
        """The lesson's register at today's date, the cursor on it. A lesson not held yet is
        written with the first thing entered in it, not by opening it."""
        app: EjournalApp = self.app  # type: ignore[assignment]
        day = lesson.day or (self.view.day if self.view else None)
        app.open_screen("register", load_id=lesson.load_id, day=day, number=lesson.number)
