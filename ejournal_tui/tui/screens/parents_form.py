"""The form of one pupil's parents: each parent's name, e-mail, phone and consent to e-mail
delivery, one parent per two lines (it fits 80×24 with three parents). An empty line below the
parents adds one; a parent whose name, e-mail and phone are all cleared is removed (Ctrl+D
clears the parent under the cursor). Enter moves from field to field and saves in the last one;
Ctrl+S or «Сохранить» save from anywhere; Esc closes without saving. After a refusal the form
comes back with what was typed, the cursor on the parent the refusal names."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

register_many({
    "pform.title": ("Родители: {pupil}", "Parents: {pupil}"),
    "pform.note": ("Согласие — письменное согласие родителя на получение сведений по e-mail (152-ФЗ); "
                   "без согласия или без адреса семья получает отчёт на бумаге.",
                   "Consent: the parent's written consent to receive the register by e-mail (152-ФЗ); "
                   "without consent or an address the family gets a printed report."),
    "pform.paper": ("В бумажном журнале: {text}", "On the paper register: {text}"),
    "pform.parent": ("{n}.", "{n}."),
    "pform.name": ("ФИО родителя (законного представителя)", "Parent's (guardian's) full name"),
    "pform.email": ("e-mail", "e-mail"),
    "pform.phone": ("телефон", "phone"),
    "pform.consent": ("согласие", "consent"),
    "pform.new": ("новый родитель: заполните, чтобы добавить", "a new parent: fill in to add"),
    "pform.save": ("Сохранить", "Save"),
    "pform.cancel": ("Отмена", "Cancel"),
    "pform.hint": ("Enter — далее / сохранить · Ctrl+S — сохранить · Ctrl+D — убрать родителя · Esc — отмена",
                   "Enter: next / save · Ctrl+S: save · Ctrl+D: remove the parent · Esc: cancel"),
    "pform.save.tip": ("Сохранить из любого поля", "Save from any field"),
    "pform.cancel.tip": ("Закрыть, ничего не сохраняя", "Close without saving"),
    "pform.clear": ("Убрать родителя", "Remove the parent"),
    "pform.clear.tip": ("Очистить строку родителя под курсором: при сохранении он будет удалён",
                        "Clear the parent under the cursor: saving removes them"),
    "pform.next": ("Далее / сохранить", "Next / save"),
    "pform.next.tip": ("К следующему полю; в последнем — сохранить форму",
                       "To the next field; in the last one, save the form"),
    "pform.toggle": ("Да / нет", "Yes / no"),
    "pform.toggle.tip": ("Отметить согласие или снять его (пробел)", "Tick or clear the consent (Space)"),
})


@dataclass(frozen=True)
class ParentLine:
    """One parent as the form holds it (`id` None: a new one)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    consent: bool = False
    id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.email.strip() or self.phone.strip())


class ConsentBox(Checkbox, inherit_bindings=False):
    """The consent checkbox of a parent: Space toggles it; Enter moves on like Enter in a
    text field (and saves in the last field), as the form's hint says."""

    BINDINGS = [
        Binding("space", "toggle_button", bt("pform.toggle"), show=False, tooltip=bt("pform.toggle.tip")),
        Binding("enter", "entered", bt("pform.next"), show=False, tooltip=bt("pform.next.tip")),
    ]

    class Entered(Message):
        def __init__(self, box: ConsentBox) -> None:
            super().__init__()
            self.box = box

    def action_entered(self) -> None:
        self.post_message(self.Entered(self))


class ParentsModal(ModalScreen[list[ParentLine] | None]):
    """Edit a pupil's parents; `dismiss` with the lines (empty ones left out) or None."""

    CSS_PATH = "parents_form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", bt("pform.cancel"), tooltip=bt("pform.cancel.tip")),
        Binding("ctrl+s", "save", bt("pform.save"), tooltip=bt("pform.save.tip")),
        Binding("ctrl+d", "clear", bt("pform.clear"), tooltip=bt("pform.clear.tip")),
    ]

    def __init__(self, pupil: str, lines: list[ParentLine], paper: str = "", focus: int = 0,
                 field: str = "name") -> None:
        super().__init__()
        self.pupil = pupil
        self.lines = [*lines, ParentLine()]  # the empty line adds a parent
        self.paper = paper  # the register's text, shown while there are no contacts
        self.focus_line = focus  # the parent (from 0) to start in
        self.focus_field = field  # and the field: name, email, phone or consent

    def compose(self) -> ComposeResult:
        with Vertical(id="pform"):
            yield Static(t("pform.title", pupil=self.pupil), classes="pform-title")
            yield Static(t("pform.note"), classes="pform-note")
            if self.paper:
                yield Static(t("pform.paper", text=self.paper), classes="pform-note", id="pform-paper")
            with VerticalScroll(id="pform-lines"):
                for i, line in enumerate(self.lines):
                    yield from self._line(i, line)
            with Horizontal(id="pform-buttons"):
                yield Button(t("pform.save"), id="pform-save", variant="primary")
                yield Button(t("pform.cancel"), id="pform-cancel")
            yield Static(t("pform.hint"), classes="pform-hint")

    def _line(self, i: int, line: ParentLine) -> ComposeResult:
        new = line.id is None and line.empty
        with Horizontal(classes="pform-row"):
            yield Static(t("pform.parent", n=i + 1), classes="pform-no")
            yield Input(line.name, placeholder=t("pform.new") if new else t("pform.name"), id=f"p{i}-name")
        with Horizontal(classes="pform-row pform-second"):
            yield Static("", classes="pform-no")
            yield Input(line.email, placeholder=t("pform.email"), id=f"p{i}-email", classes="pform-email")
            yield Input(line.phone, placeholder=t("pform.phone"), id=f"p{i}-phone", classes="pform-phone")
            yield ConsentBox(t("pform.consent"), line.consent, id=f"p{i}-consent", classes="pform-consent")

    def on_mount(self) -> None:
        line = min(max(self.focus_line, 0), len(self.lines) - 1)
        start = self.query_one(f"#p{line}-{self.focus_field}")
        start.focus()
        if self.focus_field != "name" and isinstance(start, Input):
            # a field to correct: the cursor after what was typed, nothing selected, so that the
            # keys typed next add to it rather than replace it
            self.call_after_refresh(start.action_end)

    def _fields(self) -> list[Input | ConsentBox]:
        return list(self.query("#pform-lines Input, #pform-lines ConsentBox"))  # type: ignore[arg-type]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._next(event.input)

    @on(ConsentBox.Entered)
    def _entered(self, event: ConsentBox.Entered) -> None:
        self._next(event.box)

    def _next(self, widget: Input | ConsentBox) -> None:
        fields = self._fields()
        index = fields.index(widget)
        if index + 1 < len(fields):
            fields[index + 1].focus()
        else:
            self.action_save()

    def values(self) -> list[ParentLine]:
        """What the form holds now, empty parents left out."""
        found = []
        for i, line in enumerate(self.lines):
            typed = ParentLine(self.query_one(f"#p{i}-name", Input).value, self.query_one(f"#p{i}-email", Input).value,
                               self.query_one(f"#p{i}-phone", Input).value,
                               self.query_one(f"#p{i}-consent", ConsentBox).value, line.id)
            if not typed.empty or typed.consent:
                found.append(typed)
        return found

    @on(Button.Pressed, "#pform-save")
    def action_save(self) -> None:
        self.dismiss(self.values())

    @on(Button.Pressed, "#pform-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        """Empty the parent whose field has the cursor."""
        focused = self.focused
        if focused is None or not (focused.id or "").startswith("p"):
            return
        i = (focused.id or "").split("-")[0][1:]
        for name in ("name", "email", "phone"):
            self.query_one(f"#p{i}-{name}", Input).value = ""
        self.query_one(f"#p{i}-consent", ConsentBox).value = False
