"""The change log: who changed what and when, in words (the action, the class, the subject,
the lesson's date, the pupil, before → after, why), filtered by user, class, pupil and dates;
newest first, a page at a time as the cursor reaches the end; Enter shows every field of an
event. When and who stay in place while the rest scrolls sideways."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.admin_prompt import parse_day
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import fitted, relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.services.audit_log import Glossary, LogEntry, LogPage
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "log.status": ("Журнал изменений · строк: {n} из {total}", "Change log · rows: {n} of {total}"),
    "log.status.more": (" · ниже — ещё", " · more below"),
    "log.status.hint": (" · Enter — подробно", " · Enter: details"),
    "log.loading": ("Загрузка…", "Loading…"),
    "log.user": ("пользователь", "user"),
    "log.class": ("класс", "class"),
    "log.pupil": ("ученик (фамилия)", "pupil (last name)"),
    "log.since": ("с дд.мм.гггг", "since dd.mm.yyyy"),
    "log.until": ("по дд.мм.гггг", "until dd.mm.yyyy"),
    "log.at": ("Когда", "When"),
    "log.who": ("Кто", "Who"),
    "log.what": ("Действие", "Action"),
    "log.col.class": ("Класс", "Class"),
    "log.col.subject": ("Предмет", "Subject"),
    "log.col.lesson": ("Урок", "Lesson"),
    "log.col.pupil": ("Ученик", "Pupil"),
    "log.col.change": ("Было → стало", "Before → after"),
    "log.col.reason": ("Причина", "Reason"),
    "log.apply": ("Применить", "Apply"),
    "log.clear": ("Сбросить", "Clear filters"),
    "log.filters": ("Фильтры", "Filters"),
    "log.table": ("Таблица", "Table"),
    "log.flag": ("⚑", "⚑"),
    "log.apply.tip": ("Показать записи, подходящие под фильтры", "Show the events matching the filters"),
    "log.clear.tip": ("Убрать все фильтры", "Remove every filter"),
    "log.filters.tip": ("Перейти к фильтрам", "Go to the filters"),
    "log.table.tip": ("Перейти к списку записей", "Go to the events"),
    "log.event": ("Событие № {seq}", "Event no. {seq}"),
    "log.close": ("Закрыть", "Close"),
    "log.close.tip": ("Вернуться к журналу изменений", "Back to the change log"),
    "log.close.hint": ("Esc — закрыть", "Esc closes this"),
})

_FILTERS = ("user", "class", "pupil", "since", "until")
# (key, label key, width): when and who stay in place (FIXED), the rest scrolls sideways; at
# 120 columns everything up to the first words of before → after is in view
COLUMNS = (
    ("at", "log.at", 14), ("who", "log.who", 14), ("what", "log.what", 20), ("class", "log.col.class", 4),
    ("subject", "log.col.subject", 12), ("lesson", "log.col.lesson", 8), ("pupil", "log.col.pupil", 14),
    ("change", "log.col.change", 40), ("reason", "log.col.reason", 30),
)
FIXED = 2


def columns() -> list[tuple[str, int]]:
    """(label, width) of each column in the current language (its dates are longer in English)."""
    from ejournal_tui.services.audit_words import day_words

    day = len(day_words(date(2026, 11, 16), short=True))
    wider = {"at": day + 6, "lesson": day}
    return [(t(label), wider.get(key, width)) for key, label, width in COLUMNS]


def _cell(text: str) -> Text:
    """Plain text (never markup: a topic may hold brackets), cut with … to its column."""
    return Text(text, no_wrap=True, overflow="ellipsis")


def short_name(full: str) -> str:
    """"Волков Виктор" -> "Волков В.": the table's room; the detail view has the full name."""
    last, _, first = full.partition(" ")
    return f"{last} {first[0]}." if first else last


def row_cells(entry: LogEntry, glossary: Glossary) -> list[Text]:
    from ejournal_tui.services.audit_words import day_words, when_words, words

    w = words(entry, glossary)
    action = f"{t('log.flag')} {w.action}" if w.flagged else w.action
    return [_cell(v) for v in (when_words(entry, short=True), w.who, action, w.class_name, w.subject,
                               day_words(entry.lesson_date, short=True), short_name(w.pupil), w.change, w.reason)]


class ChangeLogScreen(FittedFooter, Screen[None]):
    """Audit events with filters, paging and a detail view."""

    CSS_PATH = "changelog.tcss"
    BINDINGS = [
        Binding("f5", "apply", bt("log.apply"), tooltip=bt("log.apply.tip")),
        Binding("ctrl+r", "clear", bt("log.clear"), tooltip=bt("log.clear.tip")),
        Binding("ctrl+f", "filters", bt("log.filters"), tooltip=bt("log.filters.tip")),
        Binding("ctrl+g", "table", bt("log.table"), show=False, tooltip=bt("log.table.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "open_screen('register')", "clear")

    def __init__(self, user: str = "", class_name: str = "", pupil: str = "") -> None:
        super().__init__()
        self.initial = {"user": user, "class": class_name, "pupil": pupil}
        self.entries: list[LogEntry] = []
        self.more = 0  # events matching the filters below the last one loaded
        self.glossary: Glossary | None = None
        self.asked: dict[str, Any] = {}  # the filters the rows were loaded with
        self.loading = False
        self.ticket = 0  # only the latest query's answer is shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            for name in _FILTERS:
                yield Input(self.initial.get(name, ""), placeholder=t(f"log.{name}"), id=f"q-{name}")
        yield Static(t("log.loading"), id="log-title", classes="section")
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True, fixed_columns=FIXED)
        yield Footer()

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> DataTable:
        return self.query_one("#events", DataTable)

    def on_mount(self) -> None:
        for (key, _, _), (label, width) in zip(COLUMNS, columns(), strict=True):
            self.table.add_column(label, width=fitted(label, width), key=key)
        self.table.focus()
        self.action_apply()

    def retranslate(self) -> None:
        """After Ctrl+T: headers, rows and the status line in the new language."""
        relabel_columns(self.table, columns())
        self._repaint()

    def _value(self, name: str) -> str:
        return self.query_one(f"#q-{name}", Input).value.strip()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    # ---- loading ----------------------------------------------------------------------------

    def action_apply(self) -> None:
        """The first page of the events matching the filters typed."""
        from ejournal_tui.domain.errors import EjournalError

        year = self.ejournal.session.db.clock.today().year  # type: ignore[union-attr]
        try:
            since = parse_day(self._value("since"), year) if self._value("since") else None
            until = parse_day(self._value("until"), year) if self._value("until") else None
        except EjournalError as exc:
            self.ejournal.show_error(exc)
            return
        self.asked = {"user": self._value("user"), "class_name": self._value("class"),
                      "pupil": self._value("pupil"), "since": since, "until": until}
        self._load(None)

    def _load(self, before_seq: int | None) -> None:
        from ejournal_tui.services.audit_log import search_page

        if before_seq is None:
            self.ticket += 1  # a new question: answers to the old one are dropped
        ticket, self.loading = self.ticket, True
        self.ejournal.call_service(search_page, **self.asked, before_seq=before_seq, group="changelog",
                                   on_result=lambda page: self._arrived(page, ticket, before_seq is None),
                                   on_error=lambda _e: self._failed(ticket))

    def _failed(self, ticket: int) -> None:
        if ticket == self.ticket:
            self.loading = False

    def _arrived(self, page: LogPage, ticket: int, first: bool) -> None:
        if ticket != self.ticket:
            return
        self.loading = False
        self.glossary, self.more = page.glossary, page.more
        if first:
            self.entries = []
            self.table.clear()
        self.entries.extend(page.entries)
        for entry in page.entries:
            self.table.add_row(*row_cells(entry, page.glossary), key=str(entry.seq))
        self._status()

    def _repaint(self) -> None:
        if self.glossary is None:
            return
        row = self.table.cursor_row
        self.table.clear()
        for entry in self.entries:
            self.table.add_row(*row_cells(entry, self.glossary), key=str(entry.seq))
        self.table.move_cursor(row=row)
        self._status()

    def _status(self) -> None:
        n = len(self.entries)
        text = t("log.status", n=n, total=n + self.more) + (t("log.status.more") if self.more else "")
        self.query_one("#log-title", Static).update(text + (t("log.status.hint") if n else ""))

    @on(DataTable.RowHighlighted, "#events")
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        """The cursor at the last row loaded: the next page comes (no silent stop)."""
        if event.cursor_row >= self.table.row_count - 1 and self.more and not self.loading and self.entries:
            self._load(self.entries[-1].seq)

    # ---- the detail view -------------------------------------------------------------------

    @on(DataTable.RowSelected, "#events")
    def _selected(self, event: DataTable.RowSelected) -> None:
        seq = int(str(event.row_key.value))
        entry = next((e for e in self.entries if e.seq == seq), None)
        if entry is not None and self.glossary is not None:
            self.app.push_screen(EventModal(entry, self.glossary))

    # ---- filters ---------------------------------------------------------------------------

    def action_clear(self) -> None:
        for name in _FILTERS:
            self.query_one(f"#q-{name}", Input).value = ""
        self.action_apply()

    def action_filters(self) -> None:
        self.query_one("#q-user", Input).focus()

    def action_table(self) -> None:
        self.table.focus()


class EventModal(ModalScreen[None]):
    """Every field of one event; its data as indented JSON. Escape closes."""

    CSS_PATH = "changelog.tcss"
    BINDINGS = [Binding("escape", "close", bt("log.close"), tooltip=bt("log.close.tip"))]

    def __init__(self, entry: LogEntry, glossary: Glossary) -> None:
        super().__init__()
        self.entry, self.glossary = entry, glossary

    def compose(self) -> ComposeResult:
        with Vertical(id="event-box") as box:
            box.border_title = t("log.event", seq=self.entry.seq)
            box.border_subtitle = t("log.close.hint")
            with VerticalScroll(id="event-fields"):
                yield Static(self._fields(), id="event-text")

    def _fields(self) -> Table:
        from ejournal_tui.services.audit_words import details

        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, text in details(self.entry, self.glossary):
            grid.add_row(label, Text(text))
        return grid

    def on_mount(self) -> None:
        self.query_one("#event-fields").focus()

    def retranslate(self) -> None:
        self.refresh(recompose=True)

    def action_close(self) -> None:
        self.dismiss(None)
