"""A small form in a modal: labelled inputs, Enter to accept, Esc to cancel.

Used by the absences, closure, admin and change-log screens for everything they ask
(a sick note's dates, a reopening reason, a new pupil). Returns the values by field name,
or None when cancelled. A screen whose write was refused asks again with the values typed,
so nothing typed is lost, and with the focus on the field the refusal is about. A password
field never shows what is typed, the first time or after a refusal. A field with `choices`
is a drop-down list (a pupil's group in each split of a class); Enter on it moves on like
Enter in a text field, and saves in the last field, as the form's hint says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.tui.bindings_i18n import bt

register_many({
    "prompt.hint": ("Enter — далее / сохранить · Ctrl+S — сохранить · Esc — отмена",
                    "Enter: next / save · Ctrl+S: save · Esc: cancel"),
    "prompt.cancel": ("Отмена", "Cancel"),
    "prompt.save": ("Сохранить", "Save"),
    "prompt.cancel.tip": ("Закрыть, ничего не сохраняя", "Close without saving"),
    "prompt.save.tip": ("Сохранить из любого поля", "Save from any field"),
    "prompt.bad_date": ("дата «{raw}»: введите ДД.ММ.ГГГГ", "date {raw!r}: use DD.MM.YYYY"),
    "prompt.open_list": ("Открыть список", "Open the list"),
    "prompt.open_list.tip": ("Показать варианты (пробел, ↑ или ↓)", "Show the choices (Space, Up or Down)"),
    "prompt.next": ("Далее / сохранить", "Next / save"),
    "prompt.next.tip": ("К следующему полю; в последнем — сохранить форму",
                        "To the next field; in the last one, save the form"),
})


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    secret: bool = False  # typed characters are hidden (passwords)
    choices: tuple[tuple[str, str], ...] = ()  # (shown, value): a drop-down list instead of typing


class FormSelect(Select[str], inherit_bindings=False):
    """A drop-down field of a form. Enter moves on as in a text field (in the last field it
    saves): Select's own Enter opened the list, so a form whose last field was a drop-down
    could not be saved with Enter. Space, Up, Down or a click open the list."""

    BINDINGS = [
        Binding("down,space,up", "show_overlay", bt("prompt.open_list"), show=False,
                tooltip=bt("prompt.open_list.tip")),
        Binding("enter", "entered", bt("prompt.next"), show=False, tooltip=bt("prompt.next.tip")),
    ]

    class Entered(Message):
        """Enter was pressed on the closed drop-down."""

        def __init__(self, select: FormSelect) -> None:
            super().__init__()
            self.select = select

    def action_entered(self) -> None:
        self.post_message(self.Entered(self))


class PromptModal(ModalScreen[dict[str, str] | None]):
    """Ask for a few values; `dismiss` with {name: text} or None."""

    DEFAULT_CSS = """
    PromptModal { align: center middle; }
    PromptModal > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
                             border: round $primary; background: $surface; padding: 0 1; }
    PromptModal .prompt-title { text-style: bold; margin-bottom: 1; }
    PromptModal Horizontal { height: 3; }
    PromptModal Label { width: 22; padding: 1 1 0 0; }
    PromptModal Input { width: 1fr; }
    PromptModal Select { width: 1fr; }
    PromptModal .prompt-note { color: $text-muted; margin-bottom: 1; }
    PromptModal #prompt-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    PromptModal #prompt-buttons Button { margin-left: 1; }
    PromptModal .prompt-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", bt("prompt.cancel"), tooltip=bt("prompt.cancel.tip")),
        Binding("ctrl+s", "save", bt("prompt.save"), tooltip=bt("prompt.save.tip")),
    ]

    def __init__(self, title: str, fields: list[Field], note: str = "", focus: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.note = note  # a line under the title: what the value means
        self.focus_name = focus  # the field to start in (the one a refusal was about)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="prompt-title")
            if self.note:
                yield Static(self.note, classes="prompt-note", id="prompt-note")
            for f in self.fields:
                with Horizontal():
                    yield Label(f.label)
                    yield _field_widget(f)
            with Horizontal(id="prompt-buttons"):
                yield Button(t("prompt.save"), id="prompt-save", variant="primary")
                yield Button(t("prompt.cancel"), id="prompt-cancel")
            yield Static(t("prompt.hint"), classes="prompt-hint")

    def on_mount(self) -> None:
        names = [f.name for f in self.fields]
        if self.focus_name in names:
            self.query_one(f"#f-{self.focus_name}").focus()
        elif names:
            self.query_one(f"#f-{names[0]}").focus()

    @on(Input.Submitted)
    @on(FormSelect.Entered)
    def _submitted(self, event: Input.Submitted | FormSelect.Entered) -> None:
        next_field_or_save(self, event, self.action_save)

    @on(Button.Pressed, "#prompt-save")
    def action_save(self) -> None:
        self.dismiss({f.name: _field_value(self.query_one(f"#f-{f.name}")) for f in self.fields})

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _field_widget(f: Field) -> Input | Select[str]:
    if f.choices:
        values = [value for _, value in f.choices]
        return FormSelect(list(f.choices), value=f.value if f.value in values else values[0], allow_blank=False,
                          id=f"f-{f.name}")
    return Input(f.value, placeholder=f.placeholder, id=f"f-{f.name}", password=f.secret)


def _field_value(widget: Any) -> str:
    value = widget.value
    return value if isinstance(value, str) else ""


def refill(fields: list[Field], values: dict[str, str]) -> list[Field]:
    """The same form with what was typed, to ask again after a refusal (a password stays
    hidden: `replace` keeps every other property of the field)."""
    return [replace(f, value=values.get(f.name, f.value)) for f in fields]


def parse_day(text: str, default_year: int) -> object:
    """A date typed as 20.11.2026, 20.11 or 2026-11-20; raises InvalidInput otherwise."""
    from datetime import date

    from ejournal_tui.domain.errors import InvalidInput

    raw = (text or "").strip()
    try:
        if "-" in raw:
            return date.fromisoformat(raw)
        parts = [int(p) for p in raw.split(".") if p]
        if len(parts) == 2:
            return date(default_year, parts[1], parts[0])
        if len(parts) == 3:
            return date(parts[2] + (2000 if parts[2] < 100 else 0), parts[1], parts[0])
    except ValueError:
        pass
    raise InvalidInput(what=Phrase("prompt.bad_date", raw=raw))


def next_field_or_save(form: Any, event: Input.Submitted | FormSelect.Entered, save: Callable[[], None]) -> None:
    """Enter in a form's field (typed or a drop-down) moves to the next field; in the last one it saves."""
    fields = list(form.query("Input, FormSelect"))
    index = fields.index(event.input if isinstance(event, Input.Submitted) else event.select)
    if index + 1 < len(fields):
        fields[index + 1].focus()
    else:
        save()
