"""Absences: the class leader's pupils × school days of a week, with each day's missed
lessons; reasons (Б ill, У excused, Н unexcused, О late) per day or per lesson, a sick note
over a date range, and each pupil's totals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ejournal_tui.domain.attendance import normalize_reason
from ejournal_tui.i18n import fmt_date, fmt_day, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.admin_prompt import Field, PromptModal, parse_day, refill
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter

if TYPE_CHECKING:
    from textual.coordinate import Coordinate

    from ejournal_tui.services.absence_sheet import AbsenceSheet, SheetAbsence, SheetClass
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "abs.title": ("Пропуски · {klass} · {start}–{end}", "Absences · {klass} · {start}–{end}"),
    "abs.unsaved": ("{pupil}, {day} — причина {code}", "{pupil}, {day} — reason {code}"),
    "abs.unsaved_note": ("{pupil}, {start}–{end} — справка {code}", "{pupil}, {start}–{end} — note {code}"),
    "abs.none": ("Нет классов, где вы классный руководитель", "You lead no class"),
    "abs.loading": ("Загрузка…", "Loading…"),
    "abs.pupil": ("Ученик", "Pupil"),
    "abs.missed": ("Проп.", "Missed"),
    "abs.ill": ("Б", "Ill"),
    "abs.exc": ("У", "Exc."),
    "abs.unexc": ("Н", "Unexc."),
    "abs.uncoded": ("н?", "No r."),
    "abs.late": ("Оп.", "Late"),
    "abs.days": ("Дни", "Days"),
    "abs.lessons": ("Уроки дня: {pupil}, {day}", "Lessons of the day: {pupil}, {day}"),
    "abs.pick": ("Выберите клетку с пропусками", "Choose a cell with absences"),
    "abs.col.no": ("Урок", "Lesson"),
    "abs.col.subject": ("Предмет", "Subject"),
    "abs.col.mark": ("Отметка", "Entry"),
    "abs.col.reason": ("Причина", "Reason"),
    "abs.absent": ("н", "absent"),
    "abs.late_entry": ("опоздание", "late"),
    "abs.saved": ("Причина «{code}» сохранена: {n} ур.", "Reason {code} saved (lessons: {n})"),
    "abs.note_title": ("Справка: {pupil}", "Sick note: {pupil}"),
    "abs.from": ("С (дд.мм.гггг)", "From (dd.mm.yyyy)"),
    "abs.to": ("По (дд.мм.гггг)", "To (dd.mm.yyyy)"),
    "abs.code": ("Причина (Б/У/Н/О)", "Reason (Б/У/Н/О)"),
    "abs.comment": ("Комментарий", "Comment"),
    # in Russian the key (б, у, н, о) is the code itself, so the footer names only the reason
    "abs.b": ("болезнь", "Б ill"),
    "abs.u": ("уважит.", "У excused"),
    "abs.n": ("неуважит.", "Н unexcused"),
    "abs.o": ("опоздание", "О late"),
    "abs.clear": ("Снять причину", "Clear reason"),
    "abs.note": ("Справка", "Sick note"),
    "abs.prev": ("Пред. неделя", "Previous week"),
    "abs.next": ("След. неделя", "Next week"),
    "abs.class": ("Класс", "Class"),
    "abs.lessons_key": ("Уроки дня", "Day's lessons"),
    "abs.refresh": ("Обновить", "Refresh"),
    "abs.no_absence": ("В этот день у ученика нет пропусков", "The pupil has no absences that day"),
    "abs.b.tip": ("Болезнь: причина пропусков дня (или урока)", "Ill: the day's (or the lesson's) absences"),
    "abs.u.tip": ("Уважительная причина пропусков дня (или урока)", "Excused: the day's (or the lesson's) absences"),
    "abs.n.tip": ("Неуважительная причина пропусков дня (или урока)", "Unexcused: the day's (or the lesson's) absences"),
    "abs.o.tip": ("Опоздание на урок", "Late for the lesson"),
    "abs.clear.tip": ("Снять причину пропуска урока", "Clear the lesson's reason"),
    "abs.note.tip": ("Справка о болезни за несколько дней", "A sick note over a date range"),
    "abs.lessons_key.tip": ("Причины пропусков по каждому уроку дня", "Reasons lesson by lesson"),
    "abs.prev.tip": ("Предыдущая неделя", "The week before"),
    "abs.next.tip": ("Следующая неделя", "The week after"),
    "abs.class.tip": ("Следующий класс, где вы классный руководитель", "The next class you lead"),
    "abs.refresh.tip": ("Загрузить заново из базы данных", "Reload from the database"),
})

_TOTALS = ("abs.missed", "abs.ill", "abs.exc", "abs.unexc", "abs.uncoded", "abs.late", "abs.days")


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=5)


class AbsencesScreen(FittedFooter, Screen[None]):
    """The class leader's absence sheet for one week."""

    CSS_PATH = "absences.tcss"
    BINDINGS = [
        Binding("б,b,comma", "reason('Б')", bt("abs.b"), tooltip=bt("abs.b.tip")),
        Binding("у,u,e", "reason('У')", bt("abs.u"), tooltip=bt("abs.u.tip")),
        Binding("н,n,y", "reason('Н')", bt("abs.n"), tooltip=bt("abs.n.tip")),
        Binding("о,o,j", "reason('О')", bt("abs.o"), show=False, tooltip=bt("abs.o.tip")),
        Binding("delete", "reason('')", bt("abs.clear"), show=False, tooltip=bt("abs.clear.tip")),
        Binding("s", "sick_note", bt("abs.note"), tooltip=bt("abs.note.tip")),
        Binding("enter", "lessons", bt("abs.lessons_key"), show=False, tooltip=bt("abs.lessons_key.tip")),
        Binding("left_square_bracket,pageup", "week(-1)", bt("abs.prev"), tooltip=bt("abs.prev.tip")),
        Binding("right_square_bracket,pagedown", "week(1)", bt("abs.next"), tooltip=bt("abs.next.tip")),
        Binding("c", "next_class", bt("abs.class"), tooltip=bt("abs.class.tip")),
        Binding("f5", "refresh", bt("abs.refresh"), tooltip=bt("abs.refresh.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "refresh", "next_class", "week(1)",
                         "week(-1)", "open_screen('register')", "sick_note")

    def __init__(self, class_id: int | None = None, start: date | None = None, *, class_name: str = "",
                 pupil_id: int | None = None, day: date | None = None) -> None:
        """`class_name`, `pupil_id`, `day`: where to start (a reminder about a pupil's absences
        without a reason): that class, the week of `day`, the cursor on the pupil's day."""
        super().__init__()
        self.class_id = class_id
        self.class_name = class_name
        self.start = start if start is not None or day is None else week_of(day)[0]
        self.go_to = (pupil_id, day) if pupil_id is not None and day is not None else None
        self.keep_classes: list[SheetClass] = []
        self.ticket = 0  # only the latest load's answer is shown
        self.sheet: AbsenceSheet | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("abs.loading"), id="abs-title", classes="section")
        yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True)
        yield Static(t("abs.pick"), id="lessons-title", classes="section")
        yield DataTable(id="lessons", cursor_type="row")
        yield Footer()

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.query_one("#lessons", DataTable).add_columns(
            t("abs.col.no"), t("abs.col.subject"), t("abs.col.mark"), t("abs.col.reason"))
        self.query_one("#grid", DataTable).focus()
        from ejournal_tui.services.absence_sheet import classes_for

        self.ejournal.call_service(classes_for, on_result=self._classes_loaded, group="absences")

    def _classes_loaded(self, classes: list[SheetClass]) -> None:
        self.keep_classes = classes
        if not classes:
            self.query_one("#abs-title", Static).update(t("abs.none"))
            return
        named = [c.id for c in classes if c.name == self.class_name]
        if named and self.class_id is None:
            self.class_id = named[0]
        if self.class_id not in [c.id for c in classes]:
            self.class_id = classes[0].id
        self.action_refresh()

    # ---- loading --------------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.class_id is None:
            return
        from ejournal_tui.services.absence_sheet import open_sheet

        if self.start is None:
            self.start = week_of(self.ejournal.session.db.clock.today())[0]  # type: ignore[union-attr]
        start, end = self.start, self.start + timedelta(days=5)
        self.ticket += 1
        ticket = self.ticket
        self.ejournal.call_service(open_sheet, self.class_id, start, end, group="absences",
                                   on_result=lambda r: self.show(r) if ticket == self.ticket else None)

    def show(self, sheet: AbsenceSheet) -> None:
        self.sheet = sheet
        self.query_one("#abs-title", Static).update(t(
            "abs.title", klass=sheet.klass.name, start=fmt_day(sheet.start), end=fmt_date(sheet.end)))
        grid = self.query_one("#grid", DataTable)
        cursor = grid.cursor_coordinate
        grid.clear(columns=True)
        # explicit widths: the grid is rebuilt whole and must not be painted half-measured
        name_width = max([len(t("abs.pupil"))] + [len(f"{p.no}. {p.name}") for p in sheet.pupils])
        grid.add_column(t("abs.pupil"), key="pupil", width=name_width)
        for day in sheet.days:
            width = max([5] + [len(sheet.cell_text(p.id, day)) for p in sheet.pupils])
            grid.add_column(fmt_day(day), key=day.isoformat(), width=width)
        for key in _TOTALS:
            grid.add_column(t(key), key=key, width=max(3, len(t(key))))
        for p in sheet.pupils:
            tot = sheet.totals[p.id]
            counts = (tot.missed, tot.ill, tot.excused, tot.unexcused, tot.uncoded, tot.late, tot.full_days)
            grid.add_row(f"{p.no}. {p.name}", *[sheet.cell_text(p.id, d) for d in sheet.days],
                         *[str(n) if n else "" for n in counts], key=str(p.id))
        if sheet.pupils:
            grid.cursor_coordinate = grid.validate_cursor_coordinate(self._start_at(sheet) or cursor)
            if grid.cursor_coordinate.column == 0 and sheet.days:
                grid.move_cursor(column=1)
        self._show_lessons()

    # ---- where the cursor is --------------------------------------------------------------

    def _start_at(self, sheet: AbsenceSheet) -> Coordinate | None:
        """The cell asked for when the screen was opened, the first time the sheet is shown."""
        from textual.coordinate import Coordinate

        if self.go_to is None:
            return None
        pupil_id, day = self.go_to
        self.go_to = None
        rows = [i for i, p in enumerate(sheet.pupils) if p.id == pupil_id]
        columns = [i for i, d in enumerate(sheet.days) if d == day]
        return Coordinate(rows[0], columns[0] + 1) if rows and columns else None

    def _cursor(self) -> tuple[int, date] | None:
        """The pupil and day under the grid's cursor (None outside the day columns)."""
        sheet = self.sheet
        if sheet is None or not sheet.pupils:
            return None
        grid = self.query_one("#grid", DataTable)
        row, col = grid.cursor_coordinate
        if not 1 <= col <= len(sheet.days) or row >= len(sheet.pupils):
            return None
        return sheet.pupils[row].id, sheet.days[col - 1]

    def _pupil_name(self, pupil_id: int) -> str:
        assert self.sheet is not None
        return next(p.name for p in self.sheet.pupils if p.id == pupil_id)

    @on(DataTable.CellHighlighted, "#grid")
    def _moved(self) -> None:
        self._show_lessons()

    def _day_absences(self) -> list[SheetAbsence]:
        here = self._cursor()
        return self.sheet.cell(*here) if here and self.sheet else []

    def _show_lessons(self) -> None:
        table = self.query_one("#lessons", DataTable)
        table.clear()
        here = self._cursor()
        title = self.query_one("#lessons-title", Static)
        if here is None:
            title.update(t("abs.pick"))
            return
        title.update(t("abs.lessons", pupil=self._pupil_name(here[0]), day=fmt_date(here[1])))
        for a in self._day_absences():
            entry = t("abs.absent") if a.status == "absent" else t("abs.late_entry")
            table.add_row(str(a.number), a.subject, entry, a.reason or "—", key=str(a.attendance_id))

    # ---- actions --------------------------------------------------------------------------

    def action_lessons(self) -> None:
        if self._day_absences():
            self.query_one("#lessons", DataTable).focus()

    def action_reason(self, code: str) -> None:
        lessons = self.query_one("#lessons", DataTable)
        if lessons.has_focus:
            self._lesson_reason(code)
        elif code:
            self._day_reason(code)

    def _lesson_reason(self, code: str) -> None:
        from ejournal_tui.services.absence_sheet import set_lesson_reason

        absences = self._day_absences()
        row = self.query_one("#lessons", DataTable).cursor_row
        if not absences or row >= len(absences):
            return
        self.ejournal.write(set_lesson_reason, absences[row], code or None,
                            on_result=lambda _r: self._saved(code or "—", 1), on_error=self._refused,
                            label=self._unsaved(code or "—"))

    def _day_reason(self, code: str) -> None:
        from ejournal_tui.services.absence_sheet import set_day_reason

        here = self._cursor()
        if here is None:
            return
        if not self._day_absences():
            self.notify(t("abs.no_absence"), severity="warning")
            return
        self.ejournal.write(set_day_reason, here[0], here[1], code,
                            on_result=lambda n: self._saved(code, n), on_error=self._refused,
                            label=self._unsaved(code))

    def _unsaved(self, code: str) -> str:
        """How a reason not stored yet is named on the reconnect screen."""
        here = self._cursor()
        return t("abs.unsaved", pupil=self._pupil_name(here[0]), day=fmt_day(here[1]), code=code) if here else ""

    def _saved(self, code: str, n: int) -> None:
        self.notify(t("abs.saved", code=code, n=n))
        self.action_refresh()

    def _refused(self, _exc: Exception) -> None:
        self.action_refresh()

    def action_sick_note(self, values: dict[str, str] | None = None) -> None:
        here = self._cursor()
        if here is None:
            return
        pupil_id, day = here
        fields = [Field("start", t("abs.from"), fmt_date(day)),
                  Field("end", t("abs.to"), fmt_date(day)),
                  Field("code", t("abs.code"), "Б"), Field("comment", t("abs.comment"))]
        if values:
            fields = refill(fields, values)
        title = t("abs.note_title", pupil=self._pupil_name(pupil_id))
        self.app.push_screen(PromptModal(title, fields), lambda v: self._note_given(pupil_id, v))

    def _note_given(self, pupil_id: int, values: dict[str, str] | None) -> None:
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.absence_sheet import apply_sick_note

        if values is None:
            return
        try:
            year = self.sheet.start.year if self.sheet else date.today().year
            start, end = parse_day(values["start"], year), parse_day(values["end"], year)
        except EjournalError as exc:
            self.ejournal.show_error(exc)
            self.action_sick_note(values)
            return
        code = normalize_reason(values["code"]) or values["code"]
        self.ejournal.write(apply_sick_note, pupil_id, start, end, code, values.get("comment", ""),
                            on_result=lambda n: self._saved(code, n),
                            on_error=lambda _e: self.action_sick_note(values),
                            label=t("abs.unsaved_note", pupil=self._pupil_name(pupil_id), start=fmt_day(start),
                                    end=fmt_day(end), code=code))

    def action_week(self, step: int) -> None:
        if self.start is not None:
            self.start += timedelta(days=7 * step)
            self.action_refresh()

    def action_next_class(self) -> None:
        ids = [c.id for c in self.keep_classes]
        if len(ids) > 1 and self.class_id in ids:
            self.class_id = ids[(ids.index(self.class_id) + 1) % len(ids)]
            self.action_refresh()

    def on_key(self, event: Any) -> None:
        if event.key == "escape" and self.query_one("#lessons", DataTable).has_focus:
            self.query_one("#grid", DataTable).focus()
            event.stop()
