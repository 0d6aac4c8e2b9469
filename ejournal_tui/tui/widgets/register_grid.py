"""The class register's grid: pupils (numbered, name column fixed) × lesson dates under month
headings, then the number of marks, the average, the suggested and the final mark.

Drawn line by line with Textual's Line API (`render_line`), so a register of 35 pupils ×
70 lessons paints only what is visible and switching registers costs next to nothing. The
grid does no database work: keys become messages the register screen turns into service
calls; entries typed show as pending until the screen confirms or refuses them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ejournal_tui.domain.register_cells import (
    AbsenceToggled,
    CellRef,
    Cleared,
    Entry,
    FinalAccepted,
    MarkTyped,
    cell_notation,
)
from ejournal_tui.i18n import fmt_number, register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.services.register import Register

register_many({
    "grid.months": ("янв фев мар апр май июн июл авг сен окт ноя дек", "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
    "grid.count": ("Отм", "Mks"),
    "grid.avg": ("Сред", "Avg"),
    "grid.sugg": ("Пр", "Sg"),
    "grid.final": ("Ит", "Fin"),
    "grid.pupil": ("Ученик", "Pupil"),
    "grid.summary": ("Итоги", "Totals"),
    "grid.empty": ("В этом периоде уроков нет", "No lessons in this period"),
    "key.mark": ("Поставить отметку", "Set a mark"),
    "key.absent": ("Отметить отсутствие (н)", "Mark absent (н)"),
    "key.clear": ("Удалить отметку / отсутствие", "Remove the mark / absence"),
    "key.edit": ("Редактор ячейки", "Cell editor"),
    "key.final": ("Принять предложенную итоговую", "Accept the suggested final mark"),
    "key.move": ("Перемещение по журналу", "Move around the register"),
    "key.first_last": ("Первый / последний урок", "First / last lesson"),
    "key.page": ("Страница вверх / вниз", "Page up / down"),
    "key.clear.tip": ("Удалить последнюю отметку или отсутствие", "Remove the last mark or the absence"),
    "key.edit.tip": ("Несколько отметок, вид работы, комментарий", "Several marks, kind of work, comment"),
    "key.final.tip": ("Поставить предложенную отметку итоговой", "Set the suggested mark as final"),
})

NO_W = 3
CELL_W = 4  # a space and three characters: "5", "5/4", "н5", "н/а"
SUMMARY = ((3, "grid.count"), (5, "grid.avg"), (3, "grid.sugg"), (3, "grid.final"))
SUMMARY_W = sum(w + 1 for w, _ in SUMMARY) + 1
HEADER_H = 2


class RegisterGrid(Widget, can_focus=True):
    """Pupils × lessons of one register for one period."""

    COMPONENT_CLASSES = {
        "register-grid--header", "register-grid--cursor", "register-grid--pending", "register-grid--absent",
        "register-grid--low", "register-grid--summary", "register-grid--stripe", "register-grid--col",
        "register-grid--today", "register-grid--final", "register-grid--remark", "register-grid--praise",
    }
    DEFAULT_CSS = """
    RegisterGrid { height: 1fr; }
    RegisterGrid > .register-grid--header { background: $panel; color: $text; text-style: bold; }
    RegisterGrid > .register-grid--cursor { background: $accent; color: $text; text-style: bold; }
    RegisterGrid:blur > .register-grid--cursor { background: $accent 40%; }
    RegisterGrid > .register-grid--pending { color: $warning; text-style: italic; }
    RegisterGrid > .register-grid--absent { color: $error; }
    RegisterGrid > .register-grid--low { color: $warning; }
    RegisterGrid > .register-grid--summary { background: $boost; }
    RegisterGrid > .register-grid--stripe { background: $boost; }
    RegisterGrid > .register-grid--col { background: $primary 15%; }
    RegisterGrid > .register-grid--today { color: $success; text-style: bold; }
    RegisterGrid > .register-grid--final { color: $success; text-style: bold; }
    RegisterGrid > .register-grid--remark { color: $warning; text-style: bold; }
    RegisterGrid > .register-grid--praise { color: $success; text-style: bold; }
    """
    BINDINGS = [
        # no description: F1 help lists the arrows once, from HELP_KEYS, in either language
        Binding("up", "move(0,-1)", "", show=False),
        Binding("down", "move(0,1)", "", show=False),
        Binding("left", "move(-1,0)", "", show=False),
        Binding("right", "move(1,0)", "", show=False),
        Binding("home", "edge(-1)", bt("key.first_last"), show=False),
        Binding("end", "edge(1)", bt("key.first_last"), show=False),
        Binding("pageup", "page(-1)", bt("key.page"), show=False),
        Binding("pagedown", "page(1)", bt("key.page"), show=False),
        # shown when the footer has room: RegisterScreen.FOOTER_LEAVES_OUT
        Binding("delete,backspace", "clear", bt("key.clear"), tooltip=bt("key.clear.tip")),
        Binding("enter", "edit", bt("key.edit"), tooltip=bt("key.edit.tip")),
        Binding("f,а", "accept_final", bt("key.final"), tooltip=bt("key.final.tip")),
    ]
    HELP_KEYS = (("↑ ↓ ← →", "key.move"), ("2 3 4 5", "key.mark"), ("н  y  n", "key.absent"))
    MARK_KEYS = frozenset("2345")
    ABSENT_KEYS = frozenset("нНyYnN")

    class Entered(Message):
        """A key asked for a change of one cell: a mark, «н», Delete, the final accepted."""

        def __init__(self, grid: RegisterGrid, cell: CellRef, entry: Entry) -> None:
            super().__init__()
            self.grid, self.cell, self.entry = grid, cell, entry

    class KeyUnknown(Message):
        """A printable key that means nothing in the register: say which keys do."""

        def __init__(self, grid: RegisterGrid, char: str) -> None:
            super().__init__()
            self.grid, self.char = grid, char

    class EditRequested(Message):
        def __init__(self, grid: RegisterGrid, cell: CellRef) -> None:
            super().__init__()
            self.grid, self.cell = grid, cell

    class CursorMoved(Message):
        def __init__(self, grid: RegisterGrid, cell: CellRef | None) -> None:
            super().__init__()
            self.grid, self.cell = grid, cell

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.register: Register | None = None
        self.row = 0
        self.col = 0
        self.top = 0
        self.left = 0
        self.pending: dict[CellRef, str] = {}
        self.today: date | None = None
        self._styles: dict[str, Style] | None = None
        self._name_w = 20
        self._cells: dict[tuple[int, int], str] = {}

    # ---- data -------------------------------------------------------------------------------

    def set_register(self, register: Register, *, day: date | None = None, lesson_id: int | None = None,
                     keep_cursor: bool = False) -> None:
        """Show `register`; the cursor goes to the lesson `lesson_id`, else to `day`'s lesson
        (or the last lesson up to it)."""
        old = self.current_cell() if keep_cursor else None
        if old is None and register.pupils and any(les.id == lesson_id for les in register.lessons):
            old = CellRef(register.pupils[0].id, lesson_id)
        self.register = register
        self._cells = {}
        names = [len(p.name) for p in register.pupils] or [10]
        self._name_w = max(12, min(24, max(names)))
        if old is not None:
            self._restore(old)
        else:
            self.row, self.top = 0, 0
            self.col = self._column_of(day or self.today)
        self.pending = {k: v for k, v in self.pending.items() if keep_cursor}
        self._scroll_to_cursor()
        self.virtual_size = Size(self.size.width, len(register.pupils) + HEADER_H)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_cell()))

    def _restore(self, cell: CellRef) -> None:
        reg = self.register
        assert reg is not None
        rows = {p.id: i for i, p in enumerate(reg.pupils)}
        cols = {les.id: i for i, les in enumerate(reg.lessons)}
        self.row = min(rows.get(cell.pupil_id, self.row), max(0, len(reg.pupils) - 1))
        self.col = len(reg.lessons) if cell.lesson_id is None else cols.get(cell.lesson_id, min(self.col, len(reg.lessons)))

    def _column_of(self, day: date | None) -> int:
        lessons = self.register.lessons if self.register else []
        if not lessons:
            return 0
        if day is None:
            return len(lessons) - 1
        best = 0
        for i, lesson in enumerate(lessons):
            if lesson.date <= day:
                best = i
        return best

    def invalidate_cell(self, cell: CellRef) -> None:
        if cell.lesson_id is not None:
            self._cells.pop((cell.pupil_id, cell.lesson_id), None)
        self.refresh()

    def current_cell(self) -> CellRef | None:
        reg = self.register
        if reg is None or not reg.pupils:
            return None
        pupil = reg.pupils[self.row]
        lesson = reg.lessons[self.col].id if self.col < len(reg.lessons) else None
        return CellRef(pupil.id, lesson)

    def cell_text(self, pupil_id: int, lesson_id: int) -> str:
        key = (pupil_id, lesson_id)
        text = self._cells.get(key)
        if text is None:
            reg = self.register
            assert reg is not None
            absent = reg.absences.get(key)
            values = [mk.value for mk in reg.marks.get(key, ())]
            text = self._cells[key] = cell_notation(absent.status if absent else None, values, CELL_W - 1)
        return text

    # ---- keys -------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if char in self.MARK_KEYS:
            self.action_enter_value(char)
        elif char in self.ABSENT_KEYS:
            self.action_enter_value("absent")
        elif event.is_printable and not self._bound(event.key):
            self.post_message(self.KeyUnknown(self, char))
        else:
            return
        event.stop()
        event.prevent_default()

    def _bound(self, key: str) -> bool:
        """Whether a binding of the grid, its screen or the app takes the key (`t`, `f`, `+`)."""
        return any(key in node._bindings.key_to_bindings for node in self.ancestors_with_self)  # noqa: SLF001

    def action_enter_value(self, what: str) -> None:
        """A mark ("2"–"5") or "absent" typed on the cell under the cursor."""
        self._enter(AbsenceToggled() if what == "absent" else MarkTyped(what))

    def _enter(self, entry: Entry, *, final: bool = False) -> None:
        cell = self.current_cell()
        if cell is not None:
            self.post_message(self.Entered(self, CellRef(cell.pupil_id, None) if final else cell, entry))

    def action_clear(self) -> None:
        self._enter(Cleared())

    def action_accept_final(self) -> None:
        self._enter(FinalAccepted(), final=True)

    def action_edit(self) -> None:
        cell = self.current_cell()
        if cell is not None:
            self.post_message(self.EditRequested(self, cell))

    def action_move(self, dx: int, dy: int) -> None:
        self.move_to(self.col + dx, self.row + dy)

    def action_edge(self, direction: int) -> None:
        lessons = len(self.register.lessons) if self.register else 0
        self.move_to(0 if direction < 0 else max(0, lessons - 1), self.row)

    def action_page(self, direction: int) -> None:
        self.move_to(self.col, self.row + direction * max(1, self._body_height() - 1))

    def move_to(self, col: int, row: int) -> None:
        reg = self.register
        if reg is None:
            return
        self.col = max(0, min(col, len(reg.lessons)))
        self.row = max(0, min(row, len(reg.pupils) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_cell()))

    # ---- geometry ---------------------------------------------------------------------------

    def _body_height(self) -> int:
        return max(1, self.size.height - HEADER_H)

    def _visible_cols(self) -> int:
        return max(1, (self.size.width - NO_W - self._name_w - 1 - SUMMARY_W) // CELL_W)

    def _scroll_to_cursor(self) -> None:
        height, cols = self._body_height(), self._visible_cols()
        lessons = len(self.register.lessons) if self.register else 0
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + height:
            self.top = self.row - height + 1
        col = min(self.col, max(0, lessons - 1))
        if col < self.left:
            self.left = col
        elif col >= self.left + cols:
            self.left = col - cols + 1
        self.left = max(0, min(self.left, max(0, lessons - cols)))

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        if self._styles is None:
            base = self.rich_style
            self._styles = {"base": base}
            for cls in self.COMPONENT_CLASSES:
                self._styles[cls.removeprefix("register-grid--")] = base + self.get_component_rich_style(cls)
            # the dot's colour alone: on the cursor's background too (not `name`: the style asked for)
            for kind in ("remark", "praise"):
                self._styles[f"{kind}.dot"] = self.get_component_rich_style(f"register-grid--{kind}", partial=True)
        return self._styles[name]

    # ---- mouse ------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self.register is None or event.y < HEADER_H:
            return
        row = self.top + event.y - HEADER_H
        x = event.x - NO_W - self._name_w - 1
        col = self.col if x < 0 else self.left + x // CELL_W
        if x >= self._visible_cols() * CELL_W:
            col = len(self.register.lessons)
        self.move_to(col, row)
        if event.chain >= 2:
            self.action_edit()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.move_to(self.col, self.row + 3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.move_to(self.col, self.row - 3)

    # ---- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        reg = self.register
        width = self.size.width
        if reg is None:
            return Strip.blank(width, self._style("base"))
        if y < HEADER_H:
            segments = self._header(y)
        else:
            index = self.top + y - HEADER_H
            if index >= len(reg.pupils):
                return Strip.blank(width, self._style("base"))
            segments = self._row(index)
        return Strip(segments).adjust_cell_length(width, self._style("base"))

    def _visible(self) -> range:
        lessons = len(self.register.lessons) if self.register else 0
        return range(self.left, min(lessons, self.left + self._visible_cols()))

    def _header(self, y: int) -> list[Segment]:
        reg = self.register
        assert reg is not None
        head = self._style("header")
        out = [Segment(" " * NO_W if y else "№".rjust(NO_W - 1) + " ", head),
               Segment((t("grid.pupil") if y else "").ljust(self._name_w)[: self._name_w], head),
               Segment("│", head)]
        months = t("grid.months").split()
        previous_month = None
        for i in self._visible():
            lesson = reg.lessons[i]
            style = self._style("cursor") if i == self.col else head
            if y == 0:
                month = lesson.date.month
                text = months[month - 1][:3] if month != previous_month else ""
                previous_month = month
                out.append(Segment(f" {text:<3}", head))
            else:
                out.append(Segment(f" {lesson.date.day:>2} ", style))
        if not reg.lessons and y == 1:
            out.append(Segment(" " + t("grid.empty"), head))
        pad = (self._visible_cols() - len(self._visible())) * CELL_W
        if not reg.lessons:
            pad -= len(t("grid.empty")) + 1
        out.append(Segment(" " * max(0, pad), head))
        out.append(Segment("│", head))
        if y == 0:
            out.append(Segment(t("grid.summary").center(SUMMARY_W - 1), head))
        else:
            for w, key in SUMMARY:
                style = self._style("cursor") if key == "grid.final" and self.col == len(reg.lessons) else head
                out.append(Segment(t(key)[:w].rjust(w) + " ", style))
        return out

    def _row(self, index: int) -> list[Segment]:
        reg = self.register
        assert reg is not None
        pupil = reg.pupils[index]
        stripe = self._style("stripe") if index % 2 else self._style("base")
        is_row = index == self.row
        name_style = self._style("header") if is_row else stripe
        out = [Segment(f"{pupil.no:>2} ", name_style),
               Segment(pupil.name[: self._name_w].ljust(self._name_w), name_style),
               Segment("│", stripe)]
        remarks = reg.remarks
        for i in self._visible():
            lesson = reg.lessons[i]
            ref = CellRef(pupil.id, lesson.id)
            pending = self.pending.get(ref) if self.pending else None
            text = pending if pending is not None else self.cell_text(pupil.id, lesson.id)
            if is_row and i == self.col:
                style = self._style("cursor")
            elif pending is not None:
                style = stripe + self._style("pending")
            elif text.startswith(("н", "о")):
                style = stripe + self._style("absent")
            elif i == self.col:
                style = self._style("col")
            else:
                style = stripe
            remark = remarks.get((pupil.id, lesson.id)) if remarks else None
            if remark:  # a dot before the cell: a remark (or thanks) to parents at that lesson
                out.append(Segment("•", style + self._style("praise.dot" if remark[0].praise else "remark.dot")))
                out.append(Segment(text.center(3), style))
            else:
                out.append(Segment(" " + text.center(3), style))
        pad = (self._visible_cols() - len(self._visible())) * CELL_W
        out.append(Segment(" " * max(0, pad), stripe))
        out.append(Segment("│", stripe))
        out.extend(self._summary(pupil.id, is_row, stripe))
        return out

    def _summary(self, pupil_id: int, is_row: bool, stripe: Style) -> list[Segment]:
        reg = self.register
        assert reg is not None
        s = reg.summary.get(pupil_id)
        box = self._style("summary")
        if s is None:
            return [Segment(" " * SUMMARY_W, box)]
        count_style = box + self._style("low") if s.below_minimum else box
        avg = fmt_number(s.average)
        pending = self.pending.get(CellRef(pupil_id, None))
        final = pending if pending is not None else (s.final or "")
        if is_row and self.col == len(reg.lessons):
            final_style = self._style("cursor")
        else:
            final_style = box + (self._style("pending") if pending is not None else self._style("final"))
        return [Segment(f"{s.marks:>3} ", count_style), Segment(f"{avg:>5} ", box),
                Segment(f"{s.suggested or '':>3} ", box), Segment(f"{final:>3}", final_style), Segment("  ", box)]
