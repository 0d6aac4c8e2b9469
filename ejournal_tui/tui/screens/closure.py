"""Period closure: a class's subjects for a period with marks against the minimum and final
marks; accept the suggested mark (one pupil or all) or enter another; the checklist (every
item, scrolling when long); close (deputy director) and reopen with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ejournal_tui.domain.calendar import period_name
from ejournal_tui.i18n import fmt_date, fmt_day, fmt_number, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.admin_prompt import Field, PromptModal, refill
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.services.closure import ClosureClass, ClosureSheet, PupilLine, SubjectBlock
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "clo.title": ("Закрытие периода · {klass} · {period} ({start}–{end}) · {state}",
                  "Period closure · {klass} · {period} ({start}–{end}) · {state}"),
    "clo.open": ("открыт", "open"),
    "clo.closed": ("закрыт", "closed"),
    "clo.none": ("Нет классов для закрытия периода", "No classes to close"),
    "clo.loading": ("Загрузка…", "Loading…"),
    "clo.subject": ("Предмет", "Subject"),
    "clo.teacher": ("Учитель", "Teacher"),
    "clo.lessons": ("Уроков", "Lessons"),
    "clo.no_topic": ("Без темы", "No topic"),
    "clo.below": ("< мин.", "< min"),
    "clo.no_final": ("Без итог.", "No final"),
    "clo.pupil": ("Ученик", "Pupil"),
    "clo.marks": ("Отм./мин", "Marks/min"),
    "clo.avg": ("Средний", "Average"),
    "clo.suggested": ("Предл.", "Sugg."),
    "clo.final": ("Итог", "Final"),
    "clo.check": ("Перед закрытием — {n} (Tab, ↑↓ — листать):", "Before closing — {n} (Tab, ↑↓ scroll):"),
    "clo.clear": ("Всё готово к закрытию", "Ready to close"),
    "clo.accept": ("Принять", "Accept"),
    "clo.accept_all": ("Принять все", "Accept all"),
    "clo.enter": ("Отметка", "Enter mark"),
    "clo.close": ("Закрыть период", "Close period"),
    "clo.reopen": ("Переоткрыть", "Reopen"),
    "clo.class": ("Класс", "Class"),
    "clo.period": ("Период", "Period"),
    "clo.refresh": ("Обновить", "Refresh"),
    "clo.accepted": ("Итоговых отметок выставлено: {n}", "Final marks set: {n}"),
    "clo.closed_ok": ("Период {period} закрыт для {klass}", "Period {period} closed for {klass}"),
    "clo.reopened": ("Период {period} переоткрыт для {klass}", "Period {period} reopened for {klass}"),
    "clo.reason_title": ("Переоткрыть {period} для {klass}", "Reopen {period} for {klass}"),
    "clo.reason": ("Причина", "Reason"),
    "clo.early_title": ("Закрыть {period} для {klass} досрочно (последний учебный день {day})",
                        "Close {period} for {klass} early (last school day {day})"),
    "clo.early_reason": ("Причина досрочного закрытия", "Why it closes early"),
    "clo.mark_title": ("Итоговая отметка: {pupil}", "Final mark: {pupil}"),
    "clo.mark": ("Отметка (2–5, н/а, осв; пусто — убрать)", "Mark (2–5, н/а, осв; empty removes)"),
    "clo.accept.tip": ("Предложенная отметка становится итоговой отметкой ученика", "The suggested mark becomes the pupil's final mark"),
    "clo.accept_all.tip": ("Принять предложенную отметку всем ученикам без итоговой", "Accept the suggestion for every pupil without a final mark"),
    "clo.enter.tip": ("Поставить другую итоговую отметку", "Enter another final mark"),
    "clo.close.tip": ("Закрыть период для этого класса (заместитель директора)", "Close the period for this class (deputy director)"),
    "clo.reopen.tip": ("Переоткрыть период, указав причину", "Reopen the period with a reason"),
    "clo.class.tip": ("Следующий класс", "The next class"),
    "clo.period.tip": ("Следующий период", "The next period"),
    "clo.refresh.tip": ("Загрузить заново из базы данных", "Reload from the database"),
})

_SUBJECT_COLS = ("clo.subject", "clo.teacher", "clo.lessons", "clo.no_topic", "clo.below", "clo.no_final")
_PUPIL_COLS = ("clo.pupil", "clo.marks", "clo.avg", "clo.suggested", "clo.final")


class ClosureScreen(FittedFooter, Screen[None]):
    """A class's period: subjects, pupils' final marks, the checklist, close and reopen."""

    CSS_PATH = "closure.tcss"
    BINDINGS = [
        Binding("a", "accept", bt("clo.accept"), tooltip=bt("clo.accept.tip")),
        Binding("A", "accept_all", bt("clo.accept_all"), tooltip=bt("clo.accept_all.tip")),
        Binding("e", "enter_mark", bt("clo.enter"), tooltip=bt("clo.enter.tip")),
        Binding("f7", "close_period", bt("clo.close"), tooltip=bt("clo.close.tip")),
        Binding("f8", "reopen", bt("clo.reopen"), tooltip=bt("clo.reopen.tip")),
        Binding("c", "next_class", bt("clo.class"), tooltip=bt("clo.class.tip")),
        Binding("p", "next_period", bt("clo.period"), tooltip=bt("clo.period.tip")),
        Binding("f5", "refresh", bt("clo.refresh"), tooltip=bt("clo.refresh.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "refresh", "next_period", "next_class",
                         "reopen", "open_screen('register')", "accept_all", "enter_mark")

    def __init__(self, class_id: int | None = None, period: str | None = None) -> None:
        super().__init__()
        self.class_id = class_id
        self.period = period
        self.class_options: list[ClosureClass] = []
        self.ticket = 0  # only the latest load's answer is shown
        self.sheet: ClosureSheet | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("clo.loading"), id="clo-title", classes="section")
        with Horizontal(id="clo-body"):
            yield DataTable(id="subjects", cursor_type="row")
            yield DataTable(id="pupils", cursor_type="row", zebra_stripes=True)
        yield Static("", id="checklist-title")
        with VerticalScroll(id="checklist-box"):
            yield Static("", id="checklist")
        yield Footer()

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.query_one("#subjects", DataTable).add_columns(*(t(key) for key in _SUBJECT_COLS))
        self.query_one("#pupils", DataTable).add_columns(*(t(key) for key in _PUPIL_COLS))
        self.query_one("#pupils", DataTable).focus()
        from ejournal_tui.services.closure import classes_for

        self.ejournal.call_service(classes_for, on_result=self._classes_loaded, group="closure")

    def retranslate(self) -> None:
        """After Ctrl+T: the headers, the title and the checklist in the new language."""
        relabel_columns(self.query_one("#subjects", DataTable), [(t(key), 0) for key in _SUBJECT_COLS])
        relabel_columns(self.query_one("#pupils", DataTable), [(t(key), 0) for key in _PUPIL_COLS])
        if self.sheet is not None:
            self.show(self.sheet)

    def _classes_loaded(self, options: list[ClosureClass]) -> None:
        self.class_options = options
        if not options:
            self.query_one("#clo-title", Static).update(t("clo.none"))
            return
        if self.class_id not in [c.id for c in options]:
            self.class_id = options[0].id
        self._fix_period()
        self.action_refresh()

    def _klass(self) -> ClosureClass | None:
        return next((c for c in self.class_options if c.id == self.class_id), None)

    def _fix_period(self) -> None:
        """The period today falls in, or the first, when none (or a wrong band) is chosen."""
        klass = self._klass()
        if klass is None or self.period in klass.periods:
            return
        self.period = klass.periods[0]
        today = self.ejournal.session.db.clock.today()  # type: ignore[union-attr]
        quarter = {9: 0, 10: 0, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2}.get(today.month, 3)
        if klass.periods[0] == "H1":
            quarter = 0 if today.month >= 9 else 1
        self.period = klass.periods[min(quarter, len(klass.periods) - 2)]

    # ---- loading and showing --------------------------------------------------------------

    def action_refresh(self) -> None:
        from ejournal_tui.services.closure import open_closure

        if self.class_id is None or not self.period:
            return
        self.ticket += 1
        ticket = self.ticket
        self.ejournal.call_service(open_closure, self.class_id, self.period, group="closure",
                                   on_result=lambda r: self.show(r) if ticket == self.ticket else None)

    def show(self, sheet: ClosureSheet) -> None:
        self.sheet = sheet
        state = t("clo.closed") if sheet.closed else t("clo.open")
        self.query_one("#clo-title", Static).update(t(
            "clo.title", klass=sheet.klass.name, period=period_name(sheet.period), start=fmt_day(sheet.start),
            end=fmt_date(sheet.end), state=state))
        table = self.query_one("#subjects", DataTable)
        row = table.cursor_row
        table.clear()
        for b in sheet.blocks:
            table.add_row(b.title, b.teacher, str(b.lessons), _n(b.no_topic), _n(b.below_minimum),
                          _n(b.missing_finals), key=str(b.load_id))
        if sheet.blocks:
            table.move_cursor(row=min(row, len(sheet.blocks) - 1))
        self._show_pupils()
        self._show_checklist(sheet)

    def _show_checklist(self, sheet: ClosureSheet) -> None:
        """Every item, however many: the list scrolls (Tab to it, then ↑↓ or the mouse wheel)."""
        items = sheet.checklist()
        self.query_one("#checklist-title", Static).update(t("clo.check", n=len(items)) if items else t("clo.clear"))
        self.query_one("#checklist", Static).update(Text("\n".join(f"• {i.text}" for i in items)))
        self.query_one("#checklist-box").display = bool(items)

    def _block(self) -> SubjectBlock | None:
        if self.sheet is None or not self.sheet.blocks:
            return None
        row = self.query_one("#subjects", DataTable).cursor_row
        return self.sheet.blocks[min(row, len(self.sheet.blocks) - 1)]

    @on(DataTable.RowHighlighted, "#subjects")
    def _subject_moved(self) -> None:
        self._show_pupils()

    def _show_pupils(self) -> None:
        table = self.query_one("#pupils", DataTable)
        row = table.cursor_row
        table.clear()
        block = self._block()
        if block is None or self.sheet is None:
            return
        if not self.sheet.marks_given:
            for p in block.pupils:
                table.add_row(p.name, "", "", "", "", key=str(p.pupil_id))
            return
        for p in block.pupils:
            avg = fmt_number(p.average)
            marks = f"{p.marks}/{p.minimum}" + (" !" if p.below_minimum else "")
            table.add_row(p.name, marks, avg, p.suggested or "", p.final or "", key=str(p.pupil_id))
        if block.pupils:
            table.move_cursor(row=min(row, len(block.pupils) - 1))

    def _line(self) -> PupilLine | None:
        block = self._block()
        if block is None or not block.pupils:
            return None
        row = self.query_one("#pupils", DataTable).cursor_row
        return block.pupils[min(row, len(block.pupils) - 1)]

    # ---- actions --------------------------------------------------------------------------

    def _done(self, message: str) -> None:
        self.notify(message)
        self.action_refresh()

    def action_accept(self) -> None:
        self._accept(one=True)

    def action_accept_all(self) -> None:
        self._accept(one=False)

    def _accept(self, one: bool) -> None:
        from ejournal_tui.services.closure import accept_suggestions

        block, line, sheet = self._block(), self._line(), self.sheet
        if block is None or sheet is None or (one and line is None):
            return
        pupil = line.pupil_id if one and line else None
        self.ejournal.write(accept_suggestions, sheet.klass.id, block, sheet.period, pupil,
                            on_result=lambda n: self._done(t("clo.accepted", n=n)),
                            on_error=lambda _e: self.action_refresh())

    def action_enter_mark(self, values: dict[str, str] | None = None) -> None:
        line = self._line()
        if line is None:
            return
        fields = [Field("value", t("clo.mark"), line.final or line.suggested or "")]
        fields = refill(fields, values) if values else fields
        self.app.push_screen(PromptModal(t("clo.mark_title", pupil=line.name), fields),
                             lambda v: self._mark_given(v))

    def _mark_given(self, values: dict[str, str] | None) -> None:
        from ejournal_tui.services.closure import set_final

        block, line, sheet = self._block(), self._line(), self.sheet
        if values is None or block is None or line is None or sheet is None:
            return
        self.ejournal.write(set_final, sheet.klass.id, block, sheet.period, line, values["value"].strip() or None,
                            on_result=lambda _r: self._done(t("clo.accepted", n=1)),
                            on_error=lambda _e: self.action_enter_mark(values))

    def action_close_period(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        from ejournal_tui.domain import permissions as perm

        session = self.ejournal.session
        may_close = session is not None and perm.may(session.actor.roles, "close_period")
        # before the last school day it closes only with a reason: asked for when that is all
        # that is missing; otherwise the refusal lists everything (or who may close)
        if sheet.early and may_close and not sheet.checklist(early_reason="early"):
            self._ask_early_reason()
        else:
            self._close("")

    def _ask_early_reason(self, values: dict[str, str] | None = None) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        fields = [Field("reason", t("clo.early_reason"))]
        fields = refill(fields, values) if values else fields
        title = t("clo.early_title", period=period_name(sheet.period), klass=sheet.klass.name, day=fmt_date(sheet.last_day))
        self.app.push_screen(PromptModal(title, fields),
                             lambda v: self._close(v["reason"], v) if v is not None else None)

    def _close(self, early_reason: str, values: dict[str, str] | None = None) -> None:
        from ejournal_tui.services.closure import close_checked

        sheet = self.sheet
        if sheet is None:
            return
        retry = (lambda _e: self._ask_early_reason(values)) if values is not None else (lambda _e: self.action_refresh())
        self.ejournal.write(close_checked, sheet.period, sheet.klass.name, early_reason=early_reason,
                            on_result=lambda _r: self._done(t("clo.closed_ok", period=period_name(sheet.period),
                                                              klass=sheet.klass.name)),
                            on_error=retry)

    def action_reopen(self, values: dict[str, str] | None = None) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        fields = [Field("reason", t("clo.reason"))]
        fields = refill(fields, values) if values else fields
        title = t("clo.reason_title", period=period_name(sheet.period), klass=sheet.klass.name)
        self.app.push_screen(PromptModal(title, fields), self._reason_given)

    def _reason_given(self, values: dict[str, str] | None) -> None:
        from ejournal_tui.services.closure import reopen

        sheet = self.sheet
        if values is None or sheet is None:
            return
        self.ejournal.write(reopen, sheet.period, sheet.klass.name, values["reason"],
                            on_result=lambda _r: self._done(t("clo.reopened", period=period_name(sheet.period),
                                                              klass=sheet.klass.name)),
                            on_error=lambda _e: self.action_reopen(values))

    def action_next_class(self) -> None:
        ids = [c.id for c in self.class_options]
        if len(ids) > 1 and self.class_id in ids:
            self.class_id = ids[(ids.index(self.class_id) + 1) % len(ids)]
            self._fix_period()
            self.action_refresh()

    def action_next_period(self) -> None:
        klass = self._klass()
        if klass is None:
            return
        codes = list(klass.periods)
        self.period = codes[(codes.index(self.period) + 1) % len(codes)] if self.period in codes else codes[0]
        self.action_refresh()


def _n(value: int) -> str:
    return str(value) if value else ""
