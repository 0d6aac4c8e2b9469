"""Administration, the reference tabs: the kinds of work (name, short name, weight, and oral
or written, which decides the mark deadline) and the names of the four absence reasons.

The admin screen owns the keys and forwards them here: `a` adds a kind of work, `e` or
Enter changes the chosen kind or renames the chosen reason. A new kind's code (stored with
every mark) is made from its short name. Reads run through the app's `call_service`,
changes through its write queue (`services.reference`); a refusal is shown and the form
comes back with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, RadioButton, RadioSet, Static

from ejournal_tui.domain import reference as ref
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.services import reference
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.admin_prompt import Field, PromptModal
from ejournal_tui.tui.widgets.table_labels import fitted, relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.services.reference import KindInfo, ReasonInfo
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "adm.kinds": ("Виды работ", "Kinds of work"),
    "adm.reasons": ("Причины отсутствия", "Absence reasons"),
    "adm.rf_name": ("Название", "Name"), "adm.rf_weight": ("Вес", "Weight"),
    "adm.rf_category": ("Категория", "Category"), "adm.rf_marks": ("Отметок", "Marks"),
    "adm.rf_code": ("Код", "Code"), "adm.rf_counts": ("Считается", "Counts as"),
    "adm.rf_oral": ("устная", "oral"), "adm.rf_written": ("письменная", "written"),
    "adm.rf_ill": ("болезнь", "illness"), "adm.rf_excused": ("уважительная", "excused"),
    "adm.rf_unexcused": ("неуважительная", "unexcused"), "adm.rf_late": ("опоздание", "late"),
    "adm.rf_new_kind": ("Новый вид работы", "A new kind of work"),
    "adm.rf_kind_title": ("Вид работы «{name}» (код {code})", "Kind of work {name!r} (code {code})"),
    "adm.rf_reason_title": ("Причина {code}: название", "Reason {code}: its name"),
    "adm.rf_deadline": ("Срок выставления отметки", "Mark deadline"),
    "adm.rf_choose": ("Выбрать и сохранить", "Choose and save"),
    "adm.rf_choose.tip": ("Выбрать отмеченную категорию и сохранить вид работы",
                          "Choose the highlighted category and save the kind of work"),
})

REFERENCE_TABS = ("kinds", "reasons")
# (title key, width): the kinds' six columns fit 80 columns in either language (the English
# headers are wider); the code, least used, is last
_COLUMNS = {
    "kinds": (("adm.rf_name", 23), ("adm.short", 7), ("adm.rf_weight", 4), ("adm.rf_category", 10),
              ("adm.rf_marks", 7), ("adm.rf_code", 11)),
    "reasons": (("adm.rf_code", 4), ("adm.rf_name", 40), ("adm.rf_counts", 14)),
}
_MAX_CODE = 12  # room left for "-2" under the 16 characters a code may have


def load_reference(uow: Any, actor: Any, which: str) -> list[Any]:
    """The kinds of work or the absence reasons; runs in a worker."""
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.domain.errors import NotAllowed

    if not (perm.may(actor.roles, "manage_school") or perm.may(actor.roles, "manage_accounts")):
        raise NotAllowed(what=Phrase("adm.denied"))
    return reference.list_kinds(uow) if which == "kinds" else reference.list_reasons(uow)


def kind_cells(kind: KindInfo) -> tuple[str, ...]:
    return (kind.name, kind.short, f"{kind.weight:g}", t(f"adm.rf_{kind.category}"), str(kind.marks), kind.code)


def reason_cells(reason: ReasonInfo) -> tuple[str, ...]:
    return reason.code, reason.name, t(f"adm.rf_{reason.category}")


def new_code(short: str, name: str, taken: set[str]) -> str:
    """A code for a new kind, from its short name (or name): «срез» → `срез`, «с/р» taken → `с/р-2`."""
    words = ref.kind_key(short or name).split()
    base = "".join(c for c in "_".join(words) if ref.code_problem(c) is None)[:_MAX_CODE] or "kind"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def parse_weight(text: str) -> float:
    """A weight typed as 2, 1.5 or 1,5; InvalidInput otherwise (the range is the service's)."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(what=Phrase("ref.bad_weight", value=text.strip())) from None


def kind_values(kind: KindInfo | None) -> dict[str, str]:
    """The form's first values: the kind's, or a new written kind of weight 1."""
    if kind is None:
        return {"name": "", "short": "", "weight": "1", "category": ref.WRITTEN}
    return {"name": kind.name, "short": kind.short, "weight": f"{kind.weight:g}", "category": kind.category}


class ReferencePane(Vertical):
    """One reference tab: its table, and the forms that change its rows."""

    DEFAULT_CSS = """
    ReferencePane { height: 1fr; }
    ReferencePane DataTable { height: 1fr; }
    """

    def __init__(self, which: str) -> None:
        super().__init__(id=f"pane-{which}")
        self.which = which
        self.items: list[Any] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id=f"t-{self.which}", cursor_type="row", zebra_stripes=True)

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def _columns(self) -> list[tuple[str, int]]:
        return [(t(key), width) for key, width in _COLUMNS[self.which]]

    def on_mount(self) -> None:
        for label, width in self._columns():
            self.table.add_column(label, width=fitted(label, width))

    def retranslate(self) -> None:
        """After Ctrl+T: the headers and the rows' words (oral, excused) in the new language."""
        relabel_columns(self.table, self._columns())
        self._paint()

    def reload(self) -> None:
        self.ejournal.call_service(load_reference, self.which, on_result=self.show, group=f"admin-{self.which}")

    def show(self, items: list[Any]) -> None:
        self.items = items
        self._paint()

    def _paint(self) -> None:
        table, row = self.table, self.table.cursor_row
        cells = kind_cells if self.which == "kinds" else reason_cells
        table.clear()
        for i, item in enumerate(self.items):
            table.add_row(*cells(item), key=str(i))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))

    def current(self) -> Any:
        row = self.table.cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit()

    # ---- writing --------------------------------------------------------------------------

    def add(self) -> None:
        if self.which == "kinds":
            self._ask_kind(None, kind_values(None))

    def edit(self) -> None:
        item = self.current()
        if item is None:
            return
        if self.which == "kinds":
            self._ask_kind(item, kind_values(item))
        else:
            self._ask_reason(item, item.name)

    def _ask_kind(self, kind: KindInfo | None, values: dict[str, str], refusal: str = "") -> None:
        title = t("adm.rf_new_kind") if kind is None else t("adm.rf_kind_title", name=kind.name, code=kind.code)
        self.app.push_screen(KindModal(title, values, refusal), lambda given: self._save_kind(kind, given))

    def _save_kind(self, kind: KindInfo | None, values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            weight = parse_weight(values["weight"])
        except InvalidInput as exc:  # not a number: said, and asked again with what was typed
            self.ejournal.show_error(exc)
            self._ask_kind(kind, values, str(exc))
            return
        code = kind.code if kind else new_code(values["short"], values["name"], {k.code for k in self.items})
        self.ejournal.write(reference.set_kind, code, name=values["name"], short=values["short"], weight=weight,
                            category=values["category"], on_result=self._saved,
                            on_error=lambda exc: self._ask_kind(kind, values, str(exc)))

    def _ask_reason(self, reason: ReasonInfo, name: str) -> None:
        modal = PromptModal(t("adm.rf_reason_title", code=reason.code), [Field("name", t("adm.rf_name"), name)])
        self.app.push_screen(modal, lambda given: self._rename(reason, given))

    def _rename(self, reason: ReasonInfo, values: dict[str, str] | None) -> None:
        if values is None:
            return
        self.ejournal.write(reference.rename_reason, reason.code, values["name"], on_result=self._saved,
                            on_error=lambda _e: self._ask_reason(reason, values["name"]))

    def _saved(self, _result: Any) -> None:
        self.notify(t("adm.saved"))
        self.reload()


class CategoryChoice(RadioSet):
    """Oral or written; Enter takes the highlighted one and, being the form's last field, saves."""

    BINDINGS = [Binding("enter", "choose", bt("adm.rf_choose"), show=False, tooltip=bt("adm.rf_choose.tip"))]

    class Chosen(Message):
        """Enter was pressed on a category."""

        def __init__(self, category: str) -> None:
            super().__init__()
            self.category = category

    def on_focus(self) -> None:
        # on the kind's category, not on the first: Enter then keeps it (RadioSet's mount
        # highlights the first, and runs after a subclass's on_mount)
        if self.pressed_index >= 0:
            self._selected = self.pressed_index

    def action_choose(self) -> None:
        # the category is read here: the pressed button changes only after its message
        index = self._selected if self._selected is not None else self.pressed_index
        self.action_toggle_button()
        self.post_message(self.Chosen(_category_of(self._nodes[index])))

    @property
    def category(self) -> str:
        return _category_of(self.pressed_button)


def _category_of(button: Any) -> str:
    return ref.ORAL if button is not None and button.id == "cat-oral" else ref.WRITTEN


class KindModal(ModalScreen[dict[str, str] | None]):
    """A kind of work's name, short name, weight and category; returns them, or None. Asked
    again after a refusal, it says why under the title."""

    DEFAULT_CSS = """
    KindModal { align: center middle; }
    KindModal > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%; border: round $primary;
                           background: $surface; padding: 0 1; }
    KindModal .kind-title { text-style: bold; margin-bottom: 1; }
    KindModal #kind-refusal { color: $text-error; margin-bottom: 1; }
    KindModal Horizontal { height: 3; }
    KindModal Label { width: 26; padding: 1 1 0 0; }
    KindModal Input { width: 1fr; }
    KindModal RadioSet { layout: horizontal; width: 1fr; }
    KindModal #kind-buttons { align-horizontal: right; height: 3; margin-top: 1; }
    KindModal Button { margin-left: 1; }
    KindModal .kind-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", bt("prompt.cancel"), tooltip=bt("prompt.cancel.tip")),
        Binding("ctrl+s", "save", bt("prompt.save"), tooltip=bt("prompt.save.tip")),
    ]

    def __init__(self, title: str, values: dict[str, str], refusal: str = "") -> None:
        super().__init__()
        self.title_text, self.values, self.refusal = title, values, refusal

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="kind-title")
            if self.refusal:
                yield Static(self.refusal, id="kind-refusal")
            for name, key in (("name", "adm.rf_name"), ("short", "adm.short"), ("weight", "adm.rf_weight")):
                with Horizontal():
                    yield Label(t(key))
                    yield Input(self.values.get(name, ""), id=f"f-{name}")
            with Horizontal():
                yield Label(t("adm.rf_deadline"))
                oral = self.values.get("category") == ref.ORAL
                with CategoryChoice(id="f-category"):
                    yield RadioButton(t("adm.rf_oral"), value=oral, id="cat-oral")
                    yield RadioButton(t("adm.rf_written"), value=not oral, id="cat-written")
            with Horizontal(id="kind-buttons"):
                yield Button(t("prompt.save"), id="kind-save", variant="primary")
                yield Button(t("prompt.cancel"), id="kind-cancel")
            yield Static(t("prompt.hint"), classes="kind-hint")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on; after the weight, to the category (whose Enter saves)."""
        event.stop()
        fields = [*self.query(Input), self.query_one(CategoryChoice)]
        fields[fields.index(event.input) + 1].focus()

    @on(CategoryChoice.Chosen)
    def _category_chosen(self, event: CategoryChoice.Chosen) -> None:
        self._done(event.category)

    @on(Button.Pressed, "#kind-save")
    def action_save(self) -> None:
        self._done(self.query_one(CategoryChoice).category)

    def _done(self, category: str) -> None:
        values = {name: self.query_one(f"#f-{name}", Input).value for name in ("name", "short", "weight")}
        self.dismiss({**values, "category": category})

    @on(Button.Pressed, "#kind-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
