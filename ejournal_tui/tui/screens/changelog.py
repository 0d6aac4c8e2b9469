"""The change log: who changed what and when, before → after and why, filtered by user,
class, pupil and dates; newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.admin_prompt import parse_day
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter

if TYPE_CHECKING:
    from ejournal_tui.services.audit_log import LogEntry
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "log.title": ("Журнал изменений · {n} записей", "Change log · {n} events"),
    "log.loading": ("Загрузка…", "Loading…"),
    "log.user": ("пользователь", "user"),
    "log.class": ("класс", "class"),
    "log.pupil": ("ученик (фамилия)", "pupil (last name)"),
    "log.since": ("с дд.мм.гггг", "since dd.mm.yyyy"),
    "log.until": ("по дд.мм.гггг", "until dd.mm.yyyy"),
    "log.at": ("Когда", "When"),
    "log.who": ("Кто", "Who"),
    "log.what": ("Действие", "Action"),
    "log.where": ("Класс · ученик", "Class · pupil"),
    "log.change": ("Было → стало · причина", "Before → after · reason"),
    "log.apply": ("Применить", "Apply"),
    "log.clear": ("Сбросить", "Clear filters"),
    "log.filters": ("Фильтры", "Filters"),
    "log.table": ("Таблица", "Table"),
    "log.flag": ("⚑", "⚑"),
    "log.apply.tip": ("Показать записи, подходящие под фильтры", "Show the events matching the filters"),
    "log.clear.tip": ("Убрать все фильтры", "Remove every filter"),
    "log.filters.tip": ("Перейти к фильтрам", "Go to the filters"),
    "log.table.tip": ("Перейти к списку записей", "Go to the events"),
})

_FILTERS = ("user", "class", "pupil", "since", "until")


def _short(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def describe(entry: LogEntry) -> str:
    before, after = _short(entry.before), _short(entry.after)
    change = f"{before} → {after}" if before else after
    return " · ".join(p for p in (change, entry.reason) if p)


class ChangeLogScreen(FittedFooter, Screen[None]):
    """Audit events with filters."""

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
        self.ticket = 0  # only the latest query's answer is shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            for name in _FILTERS:
                yield Input(self.initial.get(name, ""), placeholder=t(f"log.{name}"), id=f"q-{name}")
        yield Static(t("log.loading"), id="log-title", classes="section")
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        table = self.query_one("#events", DataTable)
        table.add_columns(t("log.at"), t("log.who"), t("log.what"), t("log.where"), t("log.change"))
        table.focus()
        self.action_apply()

    def _value(self, name: str) -> str:
        return self.query_one(f"#q-{name}", Input).value.strip()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.audit_log import search as change_log

        year = self.ejournal.session.db.clock.today().year  # type: ignore[union-attr]
        try:
            since = parse_day(self._value("since"), year) if self._value("since") else None
            until = parse_day(self._value("until"), year) if self._value("until") else None
        except EjournalError as exc:
            self.ejournal.show_error(exc)
            return
        self.ticket += 1
        ticket = self.ticket
        self.ejournal.call_service(change_log, user=self._value("user"), class_name=self._value("class"),
                                   pupil=self._value("pupil"), since=since, until=until,
                                   on_result=lambda rows: self.show(rows) if ticket == self.ticket else None,
                                   group="changelog")

    def show(self, entries: list[LogEntry]) -> None:
        self.entries = entries
        self.query_one("#log-title", Static).update(t("log.title", n=len(entries)))
        table = self.query_one("#events", DataTable)
        table.clear()
        for e in entries:
            when = e.at.astimezone().strftime("%d.%m.%Y %H:%M")
            where = " · ".join(p for p in (e.class_name, e.pupil) if p)
            flag = f" {t('log.flag')}" if e.flagged else ""
            table.add_row(when, e.actor, e.action + flag, where, describe(e)[:90], key=str(e.seq))

    def action_clear(self) -> None:
        for name in _FILTERS:
            self.query_one(f"#q-{name}", Input).value = ""
        self.action_apply()

    def action_filters(self) -> None:
        self.query_one("#q-user", Input).focus()

    def action_table(self) -> None:
        self.query_one("#events", DataTable).focus()
