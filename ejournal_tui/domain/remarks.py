"""A remark or a word of thanks to parents about a pupil at a lesson (001 Регламент 2.4:
«замечание … или сообщить о его достижениях; обращение к родителям, благодарность» against
the pupil's name on the lesson's page, sent to the parents).

The rules of its text, and what saving the one field of the cell editor means: written
anew, changed, removed (the text cleared) or left alone. Remarks are for the parents' digest
and report cards, not the legal register: the printed register does not show them.
"""

from __future__ import annotations

from enum import Enum

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "remark.empty": ("текст замечания или благодарности пуст", "the remark or thanks has no text"),
    "remark.too_long": ("замечание или благодарность — не более {limit} символов, введено {length}",
                        "a remark or thanks: at most {limit} characters, {length} given"),
})

# a message to parents, not a letter: a few sentences (the column itself is unlimited text)
MAX_LENGTH = 500


def clean_text(text: str) -> str:
    """The text as stored: trimmed, one line; refused when empty or over `MAX_LENGTH`."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(what=Phrase("remark.empty"))
    if len(cleaned) > MAX_LENGTH:
        raise InvalidInput(what=Phrase("remark.too_long", limit=MAX_LENGTH, length=len(cleaned)))
    return cleaned


class RemarkChange(Enum):
    """What saving a cell's remark field does to the cell's remark."""

    ADD = "add"
    EDIT = "edit"
    REMOVE = "remove"


def change_of(current: tuple[str, bool] | None, text: str, praise: bool) -> RemarkChange | None:
    """Saving the field `text` (a praise or not) over the cell's remark `current` (its text
    and whether it is a praise; None: the cell has none): a cleared field removes it; the
    kind alone chosen over an empty field changes nothing."""
    typed = " ".join(text.split())
    if current is None:
        return RemarkChange.ADD if typed else None
    if not typed:
        return RemarkChange.REMOVE
    return RemarkChange.EDIT if (typed, praise) != current else None
