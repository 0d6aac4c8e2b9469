"""Column headers that follow the interface language (Ctrl+T) on a table already painted, and
widths that follow the terminal's (`SizedColumns`, for a screen built around one table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable


def fitted(label: str, width: int) -> int:
    """A column's width: the fixed width asked for, or the header's if that is longer (a
    Russian header is often longer than the English one the width was chosen for)."""
    return max(width, len(label))


def relabel_columns(table: DataTable, labels: Sequence[tuple[str, int]]) -> None:
    """New header words (and widths) for the table's columns, in order; the rows stay.

    DataTable has no public way to rename a column, and it caches the painted header and
    the column widths: both caches are dropped here so the next paint uses the new words.
    """
    for column, (label, width) in zip(table.ordered_columns, labels, strict=False):
        column.label = Text(label)
        column.width = fitted(label, width)
    table._require_update_dimensions = True  # noqa: SLF001 - widths changed, see the docstring
    table._clear_caches()  # noqa: SLF001 - the header row is cached, see the docstring
    table.refresh()


class SizedColumns:
    """Mix into a `Screen` whose main table (`TABLE`, a selector) has the columns `COLUMNS`,
    headed by the phrases `COLUMN_PHRASE.format(key=…)` and as wide as `COLUMN_WIDTHS[wide]`,
    `wide` from `WIDE_FROM` columns of terminal on. The headers follow Ctrl+T and the widths a
    resized terminal; `retranslate` shows the screen's content again (`reshow`)."""

    TABLE: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]
    COLUMN_WIDTHS: ClassVar[dict[bool, dict[str, int]]]
    WIDE_FROM: ClassVar[int]
    COLUMN_PHRASE: ClassVar[str]

    @classmethod
    def column_labels(cls, terminal_width: int) -> list[tuple[str, int]]:
        from ejournal_tui.i18n import t

        widths = cls.COLUMN_WIDTHS[terminal_width >= cls.WIDE_FROM]
        labels = [t(cls.COLUMN_PHRASE.format(key=key)) for key in cls.COLUMNS]
        return [(label, fitted(label, widths[key])) for key, label in zip(cls.COLUMNS, labels, strict=True)]

    def add_sized_columns(self) -> DataTable:
        """The table with its columns, for the terminal's width now; focused."""
        table = self.query_one(self.TABLE, DataTable)  # type: ignore[attr-defined]
        for key, (label, width) in zip(self.COLUMNS, self.column_labels(self.app.size.width), strict=True):  # type: ignore[attr-defined]
            table.add_column(label, key=key, width=width)
        table.focus()
        return table

    def on_resize(self) -> None:
        # Textual calls every class's on_resize along the screen's MRO (FittedFooter's too):
        # no super() here, or the others would run twice
        relabel_columns(self.query_one(self.TABLE, DataTable), self.column_labels(self.size.width))  # type: ignore[attr-defined]

    def retranslate(self) -> None:
        """After Ctrl+T: the headers and the lines in the new language."""
        relabel_columns(self.query_one(self.TABLE, DataTable), self.column_labels(self.size.width))  # type: ignore[attr-defined]
        self.reshow()

    def reshow(self) -> None:
        """Show what the screen holds again (in the new language)."""
