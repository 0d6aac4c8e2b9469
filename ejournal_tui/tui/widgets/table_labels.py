"""Column headers that follow the interface language (Ctrl+T) on a table already painted."""

from __future__ import annotations

from collections.abc import Sequence

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
