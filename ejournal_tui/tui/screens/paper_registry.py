"""The registry of paper copies (реестр бумажных копий ЭЖ) on screen: the year's printed
copies with their sheets, who printed them when, the dates of the signatures and of the
handing to the archive. The secretary enters a printed PDF (`a`), records a signature or the
archive (`s`) and prints the registry for signing (`p`); the deputy director sees it and
records only their own countersignature; other roles are told it is not theirs.

The rules are the service's (`services/paper_copies`, also behind `ejournal archive …`):
this screen reads and writes through `app.call_service` / `app.write`, and a refusal comes
back as the service's message with the form as it was typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from ejournal_tui.domain.calendar import period_name
from ejournal_tui.i18n import fmt_date, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.screens.paper_registry_view import (
    ADD_FAULTS,
    DATE_OF,
    PERIOD_CODES,
    SIGN_FAULTS,
    SIGNERS,
    RegistryView,
    fault,
    load_registry,
    may,
    period_typed,
)
from ejournal_tui.tui.widgets.admin_prompt import (
    Field,
    FormSelect,
    PromptModal,
    next_field_or_save,
    parse_day,
    refill,
)
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import fitted, relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.services.paper_copies import CopyRow, RegistryFile
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "preg.title": ("Реестр бумажных копий · {year} учебный год · копий: {n}",
                   "Registry of paper copies · school year {year} · copies: {n}"),
    "preg.title.deputy": (" · вы отмечаете свою подпись (s)", " · you record your own signature (s)"),
    "preg.loading": ("Загрузка…", "Loading…"),
    "preg.empty": ("Копий в реестре нет: напечатайте журнал (F6) и внесите его файл (a)",
                   "No copies yet: print a register (F6) and enter its file (a)"),
    "preg.not_for_role": ("Реестр бумажных копий — не для вашей роли: его видят секретарь, заместитель директора, "
                          "директор и администратор", "The registry of paper copies is not for your role: the "
                          "secretary, the deputy director, the director and the administrator see it"),
    "preg.col.number": ("№", "No."),
    "preg.col.class": ("Класс", "Class"),
    "preg.col.period": ("Период", "Period"),
    "preg.col.kind": ("Вид", "Kind"),
    "preg.col.sheets": ("Листов", "Sheets"),
    "preg.col.draft": ("Черновик", "Draft"),
    "preg.col.printed": ("Напечатана", "Printed"),
    "preg.col.printed_by": ("Кем", "By"),
    "preg.col.teachers": ("Учителя", "Teachers"),
    "preg.col.leader": ("Кл. рук.", "Leader"),
    "preg.col.deputy": ("Зам.", "Deputy"),
    "preg.col.director": ("Директор", "Director"),
    "preg.col.archived": ("Архив", "Archived"),
    "preg.yes": ("да", "yes"),
    "preg.kind.register": ("журнал", "register"),
    "preg.kind.summary": ("сводная", "summary"),
    "preg.kind_long.register": ("Классный журнал", "Class register"),
    "preg.kind_long.summary": ("Сводная ведомость", "Summary sheet"),
    "preg.detail": ("№ {number} · {klass} · {period} · {kind} · листов: {sheets}{draft}{note}\n"
                    "Напечатана {printed} ({by}) · файл {file}\n"
                    "Подписи: учителя {teachers} · кл. рук. {leader} · зам. {deputy} · директор {director} · {archived}",
                    "No. {number} · {klass} · {period} · {kind} · {sheets} sheets{draft}{note}\n"
                    "Printed {printed} ({by}) · file {file}\n"
                    "Signed: teachers {teachers} · leader {leader} · deputy {deputy} · director {director} · {archived}"),
    "preg.detail.draft": (" · ЧЕРНОВИК", " · DRAFT"),
    "preg.detail.archived": ("сдана в архив {day}", "handed to the archive {day}"),
    "preg.detail.not_archived": ("в архив не сдана", "not in the archive"),
    # keys
    "preg.add": ("Внести копию", "Enter a copy"),
    "preg.add.tip": ("Внести напечатанный PDF в реестр под следующим номером",
                     "Enter a printed PDF in the registry under the next number"),
    "preg.sign": ("Подпись", "Signature"),
    "preg.sign.tip": ("Отметить дату подписи или сдачи в архив выбранной копии",
                      "Record the date of a signature or of the archive for the chosen copy"),
    "preg.print": ("Печать", "Print"),  # short: with «Внести копию» and «Подпись» it fits 80 columns
    "preg.print.tip": ("Напечатать реестр в PDF для подписи (в папку печати)",
                       "Print the registry as a PDF for signing (into the printing folder)"),
    "preg.refresh": ("Обновить", "Refresh"),
    "preg.refresh.tip": ("Загрузить реестр заново из базы данных", "Reload the registry from the database"),
    # the form «Внести копию»
    "preg.add.title": ("Внести копию в реестр", "Enter a copy in the registry"),
    "preg.add.note": ("PDF, напечатанный программой (F6 или «ejournal export»): листов — его страниц",
                      "A PDF printed by the program (F6 or `ejournal export`): its pages are the sheets"),
    "preg.f.file": ("Файл PDF", "PDF file"),
    "preg.f.kind": ("Документ", "Document"),
    "preg.f.draft": ("черновик", "draft"),
    "preg.f.draft.tip": ("Копия, напечатанная до закрытия периода: в реестр — только как черновик, в архив — нет",
                         "A copy printed before the period was closed: entered only as a draft, never archived"),
    "preg.f.class": ("Класс", "Class"),
    "preg.f.class_hint": ("например, 5А", "e.g. 5А"),
    "preg.f.period": ("Период", "Period"),
    "preg.f.period_hint": ("Q1…Q4, H1, H2; сводная — Y", "Q1…Q4, H1, H2; summary: Y"),
    "preg.added": ("Копия № {number} внесена: {klass}, {period}, листов: {sheets}{draft}",
                   "Copy no. {number} entered: {klass}, {period}, {sheets} sheets{draft}"),
    # the form «Подпись»
    "preg.sign.title": ("Подпись · копия № {number} · {klass} · {period}", "Signature · copy no. {number} · {klass} · {period}"),
    "preg.f.who": ("Чья подпись", "Whose"),
    "preg.f.day": ("Дата", "Date"),
    "preg.f.day_hint": ("ДД.ММ.ГГГГ; пусто — сегодня", "DD.MM.YYYY; empty: today"),
    "preg.who.teachers": ("Учителя (листы предметов)", "Teachers (subject sheets)"),
    "preg.who.leader": ("Классный руководитель", "Class leader"),
    "preg.who.deputy": ("Заместитель директора", "Deputy director"),
    "preg.who.director": ("Директор", "Director"),
    "preg.who.archive": ("Сдана в архив", "Handed to the archive"),
    "preg.signed": ("Копия № {number}: {who} — {day}", "Copy no. {number}: {who} — {day}"),
    "preg.no_copy": ("Выберите копию в таблице (в реестре её ещё нет: a — внести)",
                     "Choose a copy in the table (none yet: a enters one)"),
    # printing the registry
    "preg.printing": ("Печать реестра…", "Printing the registry…"),
    "preg.printed": ("Реестр напечатан: {path} (копий: {copies}, страниц: {pages})",
                     "Registry printed: {path} ({copies} copies, {pages} pages)"),
    "preg.replace": ("Файл {path} уже есть. Заменить его новым реестром?",
                     "{path} is there already. Replace it with the new registry?"),
})

COLUMNS = ("number", "class", "period", "kind", "sheets", "draft", "printed", "printed_by",
           "teachers", "leader", "deputy", "director", "archived")
# the first three identify a copy and stay in place while the rest scroll sideways
FIXED = 3
WIDTHS = {"number": 3, "class": 5, "period": 12, "kind": 7, "sheets": 6, "draft": 8, "printed": 16,
          "printed_by": 16, "teachers": 10, "leader": 10, "deputy": 10, "director": 10, "archived": 10}


def _day(day: date | None) -> str:
    return fmt_date(day) if day else "—"


def period_words(code: str) -> str:
    return str(period_name(code))


def row_cells(row: CopyRow) -> list[Any]:
    def cut(text: str, style: str = "") -> Text:
        return Text(text, style=style, no_wrap=True, overflow="ellipsis")

    dates = [cut(_day(getattr(row, DATE_OF[who])), "" if getattr(row, DATE_OF[who]) else "dim") for who in SIGNERS]
    return [Text(str(row.number), justify="right"), cut(row.class_name), cut(period_words(row.period_code)),
            cut(t(f"preg.kind.{row.kind}")), Text(str(row.sheets), justify="right"),
            cut(t("preg.yes") if row.draft else "", "bold"),
            cut(f"{fmt_date(row.printed_at.date())} {row.printed_at:%H:%M}"), cut(row.printed_by), *dates]


def detail(row: CopyRow) -> str:
    archived = t("preg.detail.archived", day=row.archived) if row.archived else t("preg.detail.not_archived")
    return t("preg.detail", number=row.number, klass=row.class_name, period=period_words(row.period_code),
             kind=t(f"preg.kind_long.{row.kind}"), sheets=row.sheets, draft=t("preg.detail.draft") if row.draft else "",
             file=row.file_name, note=f" · {row.note}" if row.note else "",
             printed=f"{fmt_date(row.printed_at.date())} {row.printed_at:%H:%M}", by=row.printed_by,
             teachers=_day(row.teachers_signed), leader=_day(row.leader_signed), deputy=_day(row.deputy_signed),
             director=_day(row.director_signed), archived=archived)


# ---- the form «Внести копию» -----------------------------------------------------------------


class AddCopyModal(ModalScreen[dict[str, Any] | None]):
    """The PDF file, the document, draft or not, the class and the period; `dismiss` with
    them or None. Enter moves from field to field (the document's list too; Space opens it)
    and saves in the last, the period; the draft box is reached with Tab."""

    CSS_PATH = "paper_registry.tcss"
    BINDINGS = [
        Binding("escape", "cancel", bt("prompt.cancel"), tooltip=bt("prompt.cancel.tip")),
        Binding("ctrl+s", "save", bt("prompt.save"), tooltip=bt("prompt.save.tip")),
    ]

    def __init__(self, values: dict[str, Any], classes: tuple[str, ...] = (), note: str = "",
                 focus: str = "") -> None:
        super().__init__()
        self.values = values
        self.class_names = classes
        self.note = note  # a refusal's message when asked again
        self.focus_name = focus

    def compose(self) -> ComposeResult:
        v = self.values
        with Vertical(id="add-box"):
            yield Static(t("preg.add.title"), classes="prompt-title")
            yield Static(self.note or t("preg.add.note"), id="add-note", classes="error" if self.note else "")
            with Horizontal(classes="add-row"):
                yield Label(t("preg.f.file"))
                yield Input(v.get("file", ""), id="f-file")
            with Horizontal(classes="add-row"):
                yield Label(t("preg.f.kind"))
                yield FormSelect([(t(f"preg.kind_long.{k}"), k) for k in ("register", "summary")], id="f-kind",
                                 value=v.get("kind") or "register", allow_blank=False)
                yield Checkbox(t("preg.f.draft"), bool(v.get("draft")), id="f-draft")
            with Horizontal(classes="add-row"):
                yield Label(t("preg.f.class"))
                yield Input(v.get("class", ""), placeholder=t("preg.f.class_hint"), id="f-class",
                            suggester=SuggestFromList(self.class_names, case_sensitive=False))
            with Horizontal(classes="add-row"):
                yield Label(t("preg.f.period"))
                yield Input(v.get("period", ""), placeholder=t("preg.f.period_hint"), id="f-period",
                            suggester=SuggestFromList(PERIOD_CODES, case_sensitive=False))
            with Horizontal(id="add-buttons"):
                yield Button(t("prompt.save"), id="add-save", variant="primary")
                yield Button(t("prompt.cancel"), id="add-cancel")
            yield Static(t("prompt.hint"), classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one("#f-draft", Checkbox).tooltip = t("preg.f.draft.tip")
        self.query_one(f"#f-{self.focus_name or 'file'}").focus()

    @on(Select.Changed, "#f-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        """A summary sheet is the year's: its period says so."""
        if event.value == "summary":
            self.query_one("#f-period", Input).value = "Y"

    @on(Input.Submitted)
    @on(FormSelect.Entered)
    def _submitted(self, event: Input.Submitted | FormSelect.Entered) -> None:
        next_field_or_save(self, event, self.action_save)

    @on(Button.Pressed, "#add-save")
    def action_save(self) -> None:
        self.dismiss({
            "file": self.query_one("#f-file", Input).value.strip(),
            "kind": str(self.query_one("#f-kind", Select).value),
            "draft": self.query_one("#f-draft", Checkbox).value,
            "class": self.query_one("#f-class", Input).value.strip(),
            "period": self.query_one("#f-period", Input).value.strip(),
        })

    @on(Button.Pressed, "#add-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# ---- the screen -------------------------------------------------------------------------------


class PaperRegistryScreen(FittedFooter, Screen[None]):
    """The year's paper copies; a, s and p as the person's role allows."""

    CSS_PATH = "paper_registry.tcss"
    BINDINGS = [
        Binding("a,ф", "add", bt("preg.add"), tooltip=bt("preg.add.tip")),
        Binding("s,ы", "sign", bt("preg.sign"), tooltip=bt("preg.sign.tip")),
        Binding("p,з", "print", bt("preg.print"), tooltip=bt("preg.print.tip")),
        Binding("f5", "refresh", bt("preg.refresh"), tooltip=bt("preg.refresh.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "refresh", "open_screen('homework')", "open_screen('register')")

    def __init__(self) -> None:
        super().__init__()
        self.view: RegistryView | None = None

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def _may(self, what: str) -> bool:
        session = self.ejournal.session
        return session is not None and may(session.actor, what)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("preg.loading"), id="preg-title", classes="section")
        # a cell cursor: ←/→ go column by column to the signatures, the copy's number and class
        # staying in place; `s` offers the signature under the cursor
        yield DataTable(id="preg-rows", cursor_type="cell", zebra_stripes=True, fixed_columns=FIXED)
        yield Static("", id="preg-detail")
        yield Static("", id="preg-answer")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#preg-rows", DataTable)
        for key, (label, width) in zip(COLUMNS, self._labels(), strict=True):
            table.add_column(label, key=key, width=width)
        if not self._may("view_paper_registry"):
            self.ejournal.notify(t("preg.not_for_role"), severity="warning", timeout=8)
            self.call_after_refresh(self._leave)
            return
        table.focus()
        self.action_refresh()

    def _leave(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    @staticmethod
    def _labels() -> list[tuple[str, int]]:
        return [(t(f"preg.col.{key}"), fitted(t(f"preg.col.{key}"), WIDTHS[key])) for key in COLUMNS]

    def retranslate(self) -> None:
        """After Ctrl+T: the headers and the rows in the new language."""
        relabel_columns(self.query_one("#preg-rows", DataTable), self._labels())
        if self.view is not None:
            self.show(self.view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys the person's role may use are shown and work."""
        if action == "add":
            return self._may("keep_paper_registry")
        if action == "sign":
            return self._may("keep_paper_registry") or self._may("countersign_paper_copy")
        if action in ("print", "refresh"):
            return self._may("view_paper_registry")
        return True

    # ---- the rows ---------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.ejournal.call_service(load_registry, on_result=self.show, group="paper-registry")

    def show(self, view: RegistryView) -> None:
        keep = self.current()
        self.view = view
        title = t("preg.title", year=view.year_label, n=len(view.rows))
        if not self._may("keep_paper_registry"):
            title += t("preg.title.deputy")
        self.query_one("#preg-title", Static).update(title)
        table = self.query_one("#preg-rows", DataTable)
        table.clear()
        for row in view.rows:
            table.add_row(*row_cells(row), key=str(row.number))
        self.select(keep.number if keep else None)

    def select(self, number: int | None) -> None:
        """The cursor on copy `number` (else the first) and its details under the table."""
        table = self.query_one("#preg-rows", DataTable)
        rows = self.view.rows if self.view else ()
        index = next((i for i, r in enumerate(rows) if r.number == number), 0)
        if rows:
            table.move_cursor(row=index)
        self._detail()

    def current(self) -> CopyRow | None:
        if self.view is None or not self.view.rows:
            return None
        row = self.query_one("#preg-rows", DataTable).cursor_row
        return self.view.rows[row] if 0 <= row < len(self.view.rows) else None

    @on(DataTable.CellHighlighted, "#preg-rows")
    def _detail(self) -> None:
        row = self.current()
        self.query_one("#preg-detail", Static).update(detail(row) if row else t("preg.empty") if self.view else "")

    def _say(self, text: str, error: bool = False) -> None:
        answer = self.query_one("#preg-answer", Static)
        answer.set_class(error, "error")
        answer.update(text)

    # ---- «Внести копию» ---------------------------------------------------------------

    def action_add(self) -> None:
        if self.view is None or not self._may("keep_paper_registry"):
            return
        s = self.view.suggestion
        self._ask_copy({"file": s.file, "kind": s.kind, "class": s.class_name, "period": s.period, "draft": False})

    def _ask_copy(self, values: dict[str, Any], note: str = "", focus: str = "") -> None:
        classes = self.view.classes if self.view else ()
        self.app.push_screen(AddCopyModal(values, classes, note, focus), self._copy_given)

    def _copy_given(self, values: dict[str, Any] | None) -> None:
        from ejournal_tui.services.paper_copies import register_copy

        if values is None:
            return
        path = str(Path(values["file"]).expanduser()) if values["file"] else ""

        def refused(exc: Exception) -> None:
            message = str(exc)
            self._say(message, error=True)
            self._ask_copy(values, message, fault(exc, ADD_FAULTS))

        self.ejournal.write(register_copy, path, values["class"], period_typed(values["period"]), values["kind"],
                            bool(values["draft"]), on_result=self._added, on_error=refused)

    def _added(self, row: CopyRow) -> None:
        text = t("preg.added", number=row.number, klass=row.class_name, period=period_words(row.period_code),
                 sheets=row.sheets, draft=t("preg.detail.draft") if row.draft else "")
        self._say(text)
        self.notify(text)
        self.ejournal.call_service(load_registry, on_result=lambda view: self._reloaded(view, row.number),
                                   group="paper-registry")

    def _reloaded(self, view: RegistryView, number: int) -> None:
        self.show(view)
        self.select(number)

    # ---- «Подпись» ----------------------------------------------------------------------

    def _signers(self) -> tuple[str, ...]:
        return SIGNERS if self._may("keep_paper_registry") else ("deputy",)

    def action_sign(self) -> None:
        row = self.current()
        if row is None:
            self._say(t("preg.no_copy"), error=True)
            return
        if self.view is None:
            return
        signers = self._signers()
        column = COLUMNS[self.query_one("#preg-rows", DataTable).cursor_column]
        under = "archive" if column == "archived" else column
        who = under if under in signers else next((w for w in signers if getattr(row, DATE_OF[w]) is None), signers[-1])
        self._ask_sign(row, {"who": who, "day": fmt_date(self.view.today)})

    def _sign_fields(self) -> list[Field]:
        choices = tuple((t(f"preg.who.{w}"), w) for w in self._signers())
        return [Field("who", t("preg.f.who"), choices[0][1], choices=choices),
                Field("day", t("preg.f.day"), placeholder=t("preg.f.day_hint"))]

    def _ask_sign(self, row: CopyRow, values: dict[str, str], note: str = "", focus: str = "") -> None:
        title = t("preg.sign.title", number=row.number, klass=row.class_name, period=period_words(row.period_code))
        form = PromptModal(title, refill(self._sign_fields(), values), note=note or detail(row).split("\n")[-1],
                           focus=focus)
        self.app.push_screen(form, lambda given: self._sign_given(row, given))

    def _sign_given(self, row: CopyRow, values: dict[str, str] | None) -> None:
        from ejournal_tui.services.paper_copies import sign

        if values is None or self.view is None:
            return

        def refused(exc: Exception) -> None:
            message = str(exc)
            self._say(message, error=True)
            self._ask_sign(row, values, message, fault(exc, SIGN_FAULTS))

        try:
            day = parse_day(values["day"], self.view.today.year) if values["day"].strip() else None
        except Exception as exc:  # noqa: BLE001 - a date mistyped: said, and the form asked again
            self.ejournal.show_error(exc)
            refused(exc)
            return
        who = values["who"]
        self.ejournal.write(sign, row.number, who, day, on_result=lambda r: self._signed(r, who), on_error=refused)

    def _signed(self, row: CopyRow, who: str) -> None:
        text = t("preg.signed", number=row.number, who=t(f"preg.who.{who}"), day=getattr(row, DATE_OF[who]))
        self._say(text)
        self.notify(text)
        self.ejournal.call_service(load_registry, on_result=lambda view: self._reloaded(view, row.number),
                                   group="paper-registry")

    # ---- «Печать реестра» ---------------------------------------------------------------

    def action_print(self, force: bool = False) -> None:
        if self.ejournal.session is None:
            return
        self._say(t("preg.printing"))
        self._print(force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="paper-print")
    def _print(self, force: bool) -> None:
        """The registry's PDF into the printing screen's folder (made readable by its owner only)."""
        from ejournal_tui.services.paper_copies import print_registry
        from ejournal_tui.tui.screens.printing_jobs import default_folder, prepare_folder

        session = self.ejournal.session
        if session is None:
            return
        try:
            folder = default_folder()
            prepare_folder(folder)
            result = print_registry(session.db, session.actor, folder, force=force)
        except Exception as exc:  # noqa: BLE001 - shown, never raised
            self.app.call_from_thread(self._print_failed, exc)
            return
        self.app.call_from_thread(self._printed, result)

    def _printed(self, result: RegistryFile) -> None:
        text = t("preg.printed", path=result.path, copies=result.copies, pages=result.pages)
        self._say(text)
        self.notify(text, timeout=10)

    def _print_failed(self, exc: Exception) -> None:
        from ejournal_tui.services.exports.common import TargetExists
        from ejournal_tui.tui.widgets.confirm import confirm_then

        if isinstance(exc, TargetExists):
            self._say("")
            confirm_then(self.app, t("preg.replace", path=exc.path), lambda: self.action_print(force=True))
            return
        self._say(str(exc), error=True)
        self.ejournal.show_error(exc)
