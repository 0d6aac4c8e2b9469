"""The deputy director's control report on screen: one row per teacher × class × subject,
sortable by any column (select its header, or `s` for the column under the cursor), and a
drill-down from any number to the lessons or pupils behind it. The teacher, class and subject
stay in place while the figures scroll sideways."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ejournal_tui.i18n import fmt_date, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import fitted, relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.services.control import ControlItem, ControlReport, ControlRow
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "ctl.period": ("период: Q1…Q4, H1, H2, Y", "period: Q1…Q4, H1, H2, Y"),
    "ctl.window": ("месяц ГГГГ-ММ или неделя ГГГГ-ММ-ДД", "month YYYY-MM or week YYYY-MM-DD"),
    "ctl.loading": ("Загрузка…", "Loading…"),
    "ctl.title": ("{period} · {start} – {end} · учтено по {to} · строк: {n} · {school}",
                  "{period} · {start} – {end} · counted to {to} · rows: {n} · {school}"),
    "ctl.apply": ("Показать", "Show"),
    "ctl.sort": ("Сортировать", "Sort"),
    "ctl.details": ("За цифрой: {what} · {n}", "Behind the figure: {what} · {n}"),
    "ctl.col.teacher": ("Учитель", "Teacher"),
    "ctl.col.class": ("Класс", "Class"),
    "ctl.col.subject": ("Предмет", "Subject"),
    "ctl.col.scheduled": ("По расп.", "Timetable"),
    "ctl.col.held": ("Пров.", "Held"),
    "ctl.col.not_recorded": ("Не зап.", "Not rec."),
    "ctl.col.plan_lag": ("Отст. КТП", "Plan lag"),
    "ctl.col.no_topic": ("Без темы", "No topic"),
    "ctl.col.no_homework": ("Без д/з", "No hw"),
    "ctl.col.late_lessons": ("Ур. поздно", "Late less."),
    "ctl.col.late_homework": ("Д/з поздно", "Late hw"),
    "ctl.col.late_marks": ("Отм. поздно", "Late marks"),
    "ctl.col.no_marks": ("Без отм.", "No marks"),
    "ctl.col.one_mark": ("1 отм.", "One mark"),
    "ctl.col.below_minimum": ("< мин.", "< min"),
    "ctl.col.substituted": ("Замены", "Subs"),
    "ctl.col.verdict": ("Что исправить", "What to fix"),
    "ctl.item.what": ("Что", "What"),
    "ctl.item.date": ("Дата", "Date"),
    "ctl.item.number": ("Урок", "Lesson"),
    "ctl.item.pupil": ("Ученик", "Pupil"),
    "ctl.item.count": ("Кол-во", "Count"),
    "ctl.item.due": ("Срок", "Due"),
    "ctl.apply.tip": ("Построить отчёт за указанный период, месяц или неделю", "Build the report for the period and window typed"),
    "ctl.sort.tip": ("Сортировать по столбцу под курсором (ещё раз — в обратном порядке)", "Sort by the column under the cursor (again: reverse)"),
})

TEXT_COLS = ("teacher", "class", "subject")
NUMBER_COLS = ("scheduled", "held", "not_recorded", "plan_lag", "no_topic", "no_homework", "late_lessons",
               "late_homework", "late_marks", "no_marks", "one_mark", "below_minimum", "substituted")
COLUMNS = (*TEXT_COLS, *NUMBER_COLS, "verdict")
ITEM_COLS = ("what", "date", "number", "pupil", "count", "due")
# widths of the identifying columns (they stay while the figures scroll): below 100 columns
# of terminal, and from 100 on
TEXT_WIDTHS = {False: {"teacher": 14, "class": 8, "subject": 14}, True: {"teacher": 16, "class": 14, "subject": 22}}


def column_labels(terminal_width: int) -> list[tuple[str, int]]:
    """(label, width) of every column; the figures and the verdict as wide as their header."""
    widths = TEXT_WIDTHS[terminal_width >= 100]
    return [(t(f"ctl.col.{key}"), widths.get(key, 0)) for key in COLUMNS]


def _plain(value: Any) -> Any:
    """What a column sorts by: the words of a text cell, the number of a figure."""
    return value.plain.casefold() if isinstance(value, Text) else value


def load_report(uow: Any, actor: Any, period: str, window: str) -> ControlReport:
    """The report for the period typed (default: the current quarter or half-year) and, if
    typed, a month (YYYY-MM) or the week of a date (YYYY-MM-DD)."""
    from ejournal_tui.services.control import control_report
    from ejournal_tui.services.control.reminders import current_periods

    code = period.strip() or (current_periods(uow, uow.today()) or ["Y"])[0]
    window = window.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", window):
        return control_report(uow, actor, code, week=window)
    return control_report(uow, actor, code, month=window or None)


def row_values(row: ControlRow) -> list[Any]:
    from ejournal_tui.services.control.texts import verdict_text

    f = row.figures
    group = f" ({row.group})" if row.group else ""
    counts = {name: getattr(f, name) for name in NUMBER_COLS}
    names = [Text(v, no_wrap=True, overflow="ellipsis") for v in (row.teacher, row.class_name + group, row.subject)]
    return [*names, *(getattr(f, n) for n in NUMBER_COLS), verdict_text(row.verdict, counts)]


class ControlScreen(FittedFooter, Screen[None]):
    """The control report with sorting and drill-down."""

    CSS_PATH = "control.tcss"
    BINDINGS = [
        Binding("f5", "apply", bt("ctl.apply"), tooltip=bt("ctl.apply.tip")),
        Binding("s", "sort", bt("ctl.sort"), tooltip=bt("ctl.sort.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "open_screen('register')", "open_screen('print')")

    def __init__(self, period: str = "", window: str = "") -> None:
        super().__init__()
        self.initial = (period, window)
        self.report: ControlReport | None = None
        self.items: tuple[ControlItem, ...] = ()
        self._sorted: tuple[str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ctl-filters"):
            yield Input(self.initial[0], placeholder=t("ctl.period"), id="ctl-period")
            yield Input(self.initial[1], placeholder=t("ctl.window"), id="ctl-window")
        yield Static(t("ctl.loading"), id="ctl-title", classes="section")
        yield DataTable(id="ctl-rows", cursor_type="cell", zebra_stripes=True, fixed_columns=len(TEXT_COLS))
        yield Static("", id="ctl-details-title", classes="section")
        yield DataTable(id="ctl-details", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        rows = self.query_one("#ctl-rows", DataTable)
        for key, (label, width) in zip(COLUMNS, column_labels(self.app.size.width), strict=True):
            rows.add_column(label, key=key, width=fitted(label, width) if width else None)
        details = self.query_one("#ctl-details", DataTable)
        for key in ITEM_COLS:
            details.add_column(t(f"ctl.item.{key}"), key=key)
        rows.focus()
        self.action_apply()

    def on_resize(self) -> None:
        """Wider identifying columns from 100 columns of terminal, narrower below."""
        relabel_columns(self.query_one("#ctl-rows", DataTable), column_labels(self.size.width))

    def retranslate(self) -> None:
        """After Ctrl+T: the headers, the verdicts and the drill-down in the new language."""
        self.on_resize()
        details = [(t(f"ctl.item.{key}"), 0) for key in ITEM_COLS]
        relabel_columns(self.query_one("#ctl-details", DataTable), details)
        if self.report is not None:
            self.show(self.report)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        period = self.query_one("#ctl-period", Input).value
        window = self.query_one("#ctl-window", Input).value
        self.ejournal.call_service(load_report, period, window, on_result=self.show, group="control")

    def show(self, report: ControlReport) -> None:
        self.report = report
        self.query_one("#ctl-title", Static).update(t(
            "ctl.title", school=report.school_name, period=report.period, start=report.start, end=report.end,
            to=report.counted_to, n=len(report.rows)))
        table = self.query_one("#ctl-rows", DataTable)
        table.clear()
        for row in report.rows:
            table.add_row(*row_values(row), key=str(row.load_id))
        self._sorted = None
        self.show_items((), "")

    # sorting --------------------------------------------------------------------------
    @on(DataTable.HeaderSelected, "#ctl-rows")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def action_sort(self) -> None:
        table = self.query_one("#ctl-rows", DataTable)
        self.sort_by(COLUMNS[table.cursor_column])

    def sort_by(self, column: str) -> None:
        """Numbers largest first (what needs most fixing on top); again: the other way."""
        if self._sorted and self._sorted[0] == column:
            reverse = not self._sorted[1]
        else:
            reverse = column in NUMBER_COLS
        self.query_one("#ctl-rows", DataTable).sort(column, key=_plain, reverse=reverse)
        self._sorted = (column, reverse)

    # drill-down -----------------------------------------------------------------------
    @on(DataTable.CellSelected, "#ctl-rows")
    def _cell(self, event: DataTable.CellSelected) -> None:
        self.drill(int(str(event.cell_key.row_key.value)), COLUMNS[event.coordinate.column])

    def drill(self, load_id: int, column: str) -> None:
        if self.report is None:
            return
        row = self.report.row(load_id)
        if column in NUMBER_COLS and column not in ("scheduled", "held"):
            self.show_items(row.details(column), t(f"ctl.col.{column}"))
        else:
            self.show_items(row.items, f"{row.class_name} · {row.subject}")

    def show_items(self, items: tuple[ControlItem, ...], what: str) -> None:
        self.items = items
        self.query_one("#ctl-details-title", Static).update(t("ctl.details", what=what, n=len(items)) if what else "")
        table = self.query_one("#ctl-details", DataTable)
        table.clear()
        for item in items:
            table.add_row(t(f"ctl.col.{item.issue}") if item.issue in NUMBER_COLS else item.issue,
                          fmt_date(item.date), item.number or "", item.pupil,
                          item.count, fmt_date(item.due))
