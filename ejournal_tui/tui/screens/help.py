"""F1: every key of the screen underneath and of the app, with what it does: the footer's short
words and the long text of its tooltip, also for the keys the footer leaves out for room."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

register_many({
    "help.title": ("Клавиши", "Keys"),
    "help.key": ("Клавиша", "Key"),
    "help.action": ("Действие", "Action"),
    "help.details": ("Подробно", "In detail"),
    "help.close_key": ("Закрыть", "Close"),
    "help.close": ("Esc или F1 — закрыть", "Esc or F1 closes this"),
    "help.close.tip": ("Закрыть справку", "Close the help"),
})

# Textual's own keys (of every screen, of tables, fields, lists) come with English words; F1
# lists them in the user's language: by their English words, as keys of the catalog.
TEXTUAL_WORDS = {
    "Focus Next": "Следующее поле", "Focus Previous": "Предыдущее поле",
    "Copy selected text": "Копировать выделенное", "Select": "Выбрать", "Cursor up": "Курсор вверх",
    "Cursor down": "Курсор вниз", "Cursor right": "Курсор вправо", "Cursor left": "Курсор влево",
    "Page up": "Страница вверх", "Page down": "Страница вниз", "Top": "В начало таблицы",
    "Bottom": "В конец таблицы", "Home": "В начало строки", "End": "В конец строки",
    "Scroll Up": "Прокрутить вверх", "Scroll Down": "Прокрутить вниз", "Scroll Left": "Прокрутить влево",
    "Scroll Right": "Прокрутить вправо", "Scroll Home": "Прокрутить в начало", "Scroll End": "Прокрутить в конец",
    "Page Up": "Страница вверх", "Page Down": "Страница вниз", "Page Left": "Страница влево",
    "Page Right": "Страница вправо", "Move cursor left": "Курсор влево",
    "Move cursor left and select": "Выделить символ слева", "Move cursor left a word": "На слово влево",
    "Move cursor left a word and select": "Выделить слово слева",
    "Move cursor right or accept the completion suggestion": "Курсор вправо или принять подсказку",
    "Move cursor right and select": "Выделить символ справа", "Move cursor right a word": "На слово вправо",
    "Move cursor right a word and select": "Выделить слово справа", "Delete character left": "Стереть символ слева",
    "Select all": "Выделить всё", "Go to start": "В начало поля", "Go to end": "В конец поля",
    "Select line start": "Выделить до начала", "Select line end": "Выделить до конца",
    "Delete character right": "Стереть символ справа", "Submit": "Ввод",
    "Delete left to start of word": "Стереть слово слева", "Delete all to the left": "Стереть всё слева",
    "Delete right to start of word": "Стереть слово справа", "Delete all to the right": "Стереть всё справа",
    "Cut selected text": "Вырезать выделенное", "Paste text from the clipboard": "Вставить из буфера обмена",
    "Show menu": "Открыть список", "Down": "Вниз", "Up": "Вверх", "Last": "В конец", "First": "В начало",
    "Press button": "Нажать кнопку",
}
register_many({f"help.textual.{en}": (ru, en) for en, ru in TEXTUAL_WORDS.items()})
HELP_WIDTH = 100  # the box's width, as in DEFAULT_CSS (narrower terminals: all of it)


def keys_of(screen: Screen) -> list[tuple[str, str, str]]:
    """(key, description, tooltip) of every binding active on `screen`, the app's included,
    and any extra keys a screen lists in HELP_KEYS (typed keys that are not bindings)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    nodes = [*screen.focused.ancestors_with_self] if screen.focused else [screen, screen.app]
    for node in nodes:
        for key, description in getattr(node, "HELP_KEYS", ()):
            if (key, description) not in seen:
                seen.add((key, description))
                rows.append((key, t(description) if description.startswith("key.") else description, ""))
        for binding in node._bindings.key_to_bindings.values():  # noqa: SLF001 - the app's own map
            for b in binding:
                label = b.key_display or screen.app.get_key_display(b)
                label = label.upper() if label[:1] == "f" and label[1:].isdigit() else label
                description = t(f"help.textual.{b.description}") if b.description in TEXTUAL_WORDS else b.description
                if description and (label, description) not in seen:
                    seen.add((label, description))
                    rows.append((label, description, b.tooltip))
    return rows


class HelpModal(ModalScreen[None]):
    """The keys of the screen it was opened over."""

    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > Vertical { width: 100; max-width: 100%; height: 90%; border: round $primary; background: $surface; }
    HelpModal #help-title { text-style: bold; padding: 0 1; }
    HelpModal DataTable { height: 1fr; }
    HelpModal #help-close { color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", bt("help.close_key"), tooltip=bt("help.close.tip")),
        Binding("f1", "dismiss", bt("help.close_key"), show=False, tooltip=bt("help.close.tip")),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows = keys_of(under)

    def retranslate(self) -> None:
        """After Ctrl+T (the app translates the bindings first): the keys in the new language."""
        self.rows = keys_of(self.under)
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("help.title"), id="help-title")
            table: DataTable = DataTable(cursor_type="row", zebra_stripes=True)
            key_w, action_w, details_w = self._widths()
            table.add_column(t("help.key"), width=key_w)
            table.add_column(t("help.action"), width=action_w)
            table.add_column(t("help.details"), width=details_w)
            for key, description, details in self.rows:
                # the long text wraps in its column (the row grows): it is read whole at 80 columns
                table.add_row(key, Text(description), Text(details), height=None)
            yield table
            yield Static(t("help.close"), id="help-close")

    def _widths(self) -> tuple[int, int, int]:
        """Key and action as wide as their longest (the action at most 26), the details the rest
        of the box: its border, each column's padding and the table's scrollbar taken off."""
        key_w = max((cell_len(key) for key, _, _ in self.rows), default=4)
        action_w = min(26, max((cell_len(action) for _, action, _ in self.rows), default=10))
        inner = min(self.app.size.width, HELP_WIDTH) - 2 - 6 - 2
        return key_w, action_w, max(20, inner - key_w - action_w)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
