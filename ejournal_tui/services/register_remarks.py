"""The cell editor's remark field as writes of the register editor: saving the field writes
the cell's remark or thanks to parents anew, changes it, or removes it when the text was
cleared (`domain.remarks.change_of`); once the database took the write, the register on
screen holds it (`remarked`). Part of `services.register_editor`, kept apart for its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ejournal_tui.domain.remarks import RemarkChange, change_of
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.register import CellRemark
from ejournal_tui.services.remarks import RemarkRef, add_remark, edit_remark, remove_remark

if TYPE_CHECKING:
    from ejournal_tui.services.register_editor import LessonTarget

register_many({
    "reg.remark": ("замечание родителям", "remark to parents"),
    "reg.praise": ("благодарность родителям", "thanks to parents"),
    "reg.remark_removed": ("замечание удалено", "remark removed"),
})


@dataclass(frozen=True)
class AddRemark:
    lesson: LessonTarget
    pupil_id: int
    text: str
    praise: bool

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[int, RemarkRef]:
        # register_editor imports this module: its helper is looked up when a write runs
        from ejournal_tui.services.register_editor import lesson_to_write

        lesson_id = lesson_to_write(uow, actor, self.lesson, reason)
        return lesson_id, add_remark(uow, actor, lesson_id, self.pupil_id, self.text, praise=self.praise,
                                     reason=reason)


@dataclass(frozen=True)
class EditRemark:
    remark_id: int
    text: str
    praise: bool
    expected: tuple[str, bool]  # the remark as the screen showed it

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[None, RemarkRef]:
        return None, edit_remark(uow, actor, self.remark_id, text=self.text, praise=self.praise,
                                 expected=self.expected, reason=reason)


@dataclass(frozen=True)
class DeleteRemark:
    remark_id: int
    expected: tuple[str, bool]

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[None, None]:
        remove_remark(uow, actor, self.remark_id, expected=self.expected, reason=reason)
        return None, None


RemarkWrite = AddRemark | EditRemark | DeleteRemark


def remark_write(current: CellRemark | None, lesson: LessonTarget, pupil_id: int, text: str,
                 praise: bool) -> RemarkWrite | None:
    """What saving the field `text` (thanks if `praise`) over the cell's remark writes."""
    change = change_of((current.text, current.praise) if current else None, text, praise)
    if change is RemarkChange.ADD:
        return AddRemark(lesson, pupil_id, text, praise)
    if current is None or change is None:
        return None
    expected = (current.text, current.praise)
    if change is RemarkChange.REMOVE:
        return DeleteRemark(current.id, expected)
    return EditRemark(current.id, text, praise, expected)


def remarked(remarks: dict[tuple[int, int], list[CellRemark]], key: tuple[int, int], change: RemarkWrite,
             ref: RemarkRef | None) -> str:
    """The register's remarks after a write the database took; what the status line says."""
    cell = remarks.get(key, [])
    if isinstance(change, DeleteRemark) or ref is None:
        rest = [r for r in cell if r.id != getattr(change, "remark_id", None)]
        if rest:
            remarks[key] = rest
        else:
            remarks.pop(key, None)
        return t("reg.remark_removed")
    stored = CellRemark(ref.id, ref.text, ref.praise)
    if isinstance(change, AddRemark):
        remarks[key] = [*cell, stored]
    else:
        remarks[key] = [stored if r.id == ref.id else r for r in cell]
    return t("reg.praise") if ref.praise else t("reg.remark")
