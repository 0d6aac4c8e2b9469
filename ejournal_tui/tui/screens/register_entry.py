"""What a key typed into the register grid becomes: the service call, the pending cell, and
what happens to the register when the database accepts or refuses the entry (a late entry
asks for a reason and is sent again with it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ejournal_tui.i18n import t
from ejournal_tui.tui.widgets.register_grid import CellRef

if TYPE_CHECKING:
    from ejournal_tui.tui.screens.register import RegisterScreen


def enter(screen: RegisterScreen, cell: CellRef, what: str) -> None:
    """Turn one key on one cell into a queued write."""
    if cell.lesson_id is None:
        _final(screen, cell, what)
    elif what in ("2", "3", "4", "5"):
        _mark(screen, cell, what)
    elif what == "absent":
        _absence(screen, cell)
    elif what == "clear":
        _clear(screen, cell)
    elif what == "accept":
        _final(screen, cell, what)


def send(screen: RegisterScreen, cell: CellRef, shown: str, fn: Callable[..., Any], *args: Any,
         apply: Callable[[Any], str], reason: str = "", **kwargs: Any) -> None:
    """Show `shown` in the cell as pending, write, then apply the result or restore."""
    from ejournal_tui.domain.errors import Conflict, ReasonRequired

    screen.grid.pending[cell] = shown
    screen.grid.invalidate_cell(cell)
    reason = reason or screen.reasons.get(cell.lesson_id, "")

    def done(result: Any) -> None:
        screen.confirmed(cell, apply(result))

    def failed(exc: Exception) -> None:
        screen.refused(cell)
        if isinstance(exc, ReasonRequired) and not reason:
            exc.handled = True  # type: ignore[attr-defined]
            def retry(why: str) -> None:
                screen.reasons[cell.lesson_id] = why  # the same reason serves the lesson's next entries
                send(screen, cell, shown, fn, *args, apply=apply, reason=why, **kwargs)

            _ask_reason(screen, str(exc), retry)
        elif isinstance(exc, Conflict):
            screen.load(keep_cursor=True)

    if reason:
        kwargs["reason"] = reason
    screen.ejapp.write(fn, *args, on_result=done, on_error=failed, **kwargs)
    screen._status()  # noqa: SLF001 - the pending count


def _ask_reason(screen: RegisterScreen, message: str, retry: Callable[[str], None]) -> None:
    from ejournal_tui.tui.screens.cell_editor import ReasonModal

    def answered(reason: str | None) -> None:
        if reason:
            retry(reason)

    screen.app.push_screen(ReasonModal(message), answered)


def _lesson(screen: RegisterScreen, cell: CellRef) -> Any:
    assert screen.reg is not None
    return next(les for les in screen.reg.lessons if les.id == cell.lesson_id)


def _mark(screen: RegisterScreen, cell: CellRef, value: str) -> None:
    from ejournal_tui.services.marks import add_mark, correct_mark
    from ejournal_tui.services.register import CellMark

    reg = screen.reg
    assert reg is not None and cell.lesson_id is not None
    key = (cell.pupil_id, cell.lesson_id)
    marks = reg.marks.get(key, [])
    if len(marks) > 1:
        screen.notify(t("reg.several"), severity="warning")
        return
    kinds = screen.kinds
    if not marks:
        kind = _lesson(screen, cell).work_kind or None

        def added(ref: Any) -> str:
            weight = kinds[ref.work_kind].weight if ref.work_kind in kinds else 1.0
            reg.marks.setdefault(key, []).append(CellMark(ref.id, ref.value, ref.work_kind, weight, "", ref.version))
            return f"{ref.value} ({kinds[ref.work_kind].name if ref.work_kind in kinds else ref.work_kind})"

        send(screen, cell, _shown(screen, key, value), add_mark, cell.lesson_id, cell.pupil_id, value,
             work_kind=kind, apply=added)
        return
    old = marks[0]

    def corrected(ref: Any) -> str:
        reg.marks[key] = [replace_mark(old, ref)]
        return ref.value

    send(screen, cell, _shown(screen, key, value), correct_mark, old.id, value=value,
         expected_version=old.version, apply=corrected)


def replace_mark(old: Any, ref: Any) -> Any:
    return old._replace(value=ref.value, work_kind=ref.work_kind, version=ref.version)


def _shown(screen: RegisterScreen, key: tuple[int, int], marks: str) -> str:
    absent = screen.reg.absences.get(key) if screen.reg else None
    return ("н" if absent else "") + marks


def _absence(screen: RegisterScreen, cell: CellRef) -> None:
    from ejournal_tui.domain.attendance import ABSENT
    from ejournal_tui.services.attendance import set_attendance

    reg = screen.reg
    assert reg is not None and cell.lesson_id is not None
    key = (cell.pupil_id, cell.lesson_id)
    current = reg.absences.get(key)
    status = None if current is not None else ABSENT
    marks = "".join(mk.value for mk in reg.marks.get(key, ()))
    send(screen, cell, ("н" if status else "") + marks or " ", set_attendance, cell.lesson_id, cell.pupil_id, status,
         expected_version=current.version if current else 0, apply=lambda ref: _absence_applied(reg, key, ref))


def _absence_applied(reg: Any, key: tuple[int, int], ref: Any) -> str:
    from ejournal_tui.services.register import CellAbsence

    if ref.status is None:
        reg.absences.pop(key, None)
        return t("reg.present")
    reg.absences[key] = CellAbsence(ref.id, ref.status, ref.reason, ref.version)
    return t("reg.absent")


def _clear(screen: RegisterScreen, cell: CellRef) -> None:
    from ejournal_tui.services.marks import delete_mark

    reg = screen.reg
    assert reg is not None and cell.lesson_id is not None
    key = (cell.pupil_id, cell.lesson_id)
    marks = reg.marks.get(key, [])
    if not marks:
        if key in reg.absences:
            _absence(screen, cell)
        return
    last = marks[-1]

    def removed(_none: Any) -> str:
        reg.marks[key] = [mk for mk in reg.marks.get(key, []) if mk.id != last.id]
        if not reg.marks[key]:
            del reg.marks[key]
        return t("reg.removed")

    rest = "".join(mk.value for mk in marks[:-1])
    send(screen, cell, _shown(screen, key, rest) or " ", delete_mark, last.id, expected_version=last.version,
         apply=removed)


def _final(screen: RegisterScreen, cell: CellRef, what: str) -> None:

    from ejournal_tui.domain.finals import KIND_PERIOD
    from ejournal_tui.services.finals import set_final_mark

    reg = screen.reg
    assert reg is not None
    summary = reg.summary.get(cell.pupil_id)
    if summary is None:
        return
    if what == "accept":
        if not summary.suggested:
            screen.notify(t("reg.no_suggestion"), severity="warning")
            return
        value: str | None = summary.suggested
    elif what == "clear":
        value = None
    elif what in ("2", "3", "4", "5"):
        value = what
    else:
        return
    final_cell = CellRef(cell.pupil_id, None)

    def applied(ref: Any) -> str:
        reg.summary[cell.pupil_id] = reg.summary[cell.pupil_id]._replace(
            final=ref.value if ref else None, final_id=ref.id if ref else None,
            final_version=ref.version if ref else 0)
        return t("reg.final", value=ref.value if ref else "—")

    send(screen, final_cell, value or " ", set_final_mark, reg.ref.class_id, reg.ref.subject_id, cell.pupil_id,
         KIND_PERIOD, value, period_code=reg.period, expected_version=summary.final_version or None, apply=applied)
