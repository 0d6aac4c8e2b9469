"""What the registry of paper copies screen reads and understands, without Textual: the
year's copies with what the person may do (read once in a worker), the newest file the
printing screen made as the form's starting point, a period typed with the Russian layout
on, and which field of a form a refusal is about."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ejournal_tui.domain.calendar import PERIOD_NAMES

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor, UnitOfWork
    from ejournal_tui.services.paper_copies import CopyRow

SIGNERS = ("teachers", "leader", "deputy", "director", "archive")
DATE_OF = {"teachers": "teachers_signed", "leader": "leader_signed", "deputy": "deputy_signed",
           "director": "director_signed", "archive": "archived"}
PERIOD_CODES = tuple(PERIOD_NAMES)  # the registry's periods are the calendar's

# a file name the printing screen gives: register-5А-Q1-2026.pdf, summary-5А-2026.pdf
_DEFAULT_NAME = re.compile(r"^(register|summary)-(.+?)(?:-(Q[1-4]|H[12]|Y))?-\d{4}\.pdf$", re.IGNORECASE)
# a period typed with the Russian layout on: Й is the Q key, Р the H key, Н the Y key (and
# looks like H)
_LAYOUT = str.maketrans("йЙрРнН", "qQhHyY")


@dataclass(frozen=True)
class Suggestion:
    """What the form «Внести копию» starts with: the newest printed file not yet entered."""

    file: str = ""
    kind: str = "register"
    class_name: str = ""
    period: str = ""


@dataclass(frozen=True)
class RegistryView:
    """The year's registry and what the signed-in person may do with it (read in a worker)."""

    year_label: str
    rows: tuple[CopyRow, ...]
    today: date
    classes: tuple[str, ...]
    suggestion: Suggestion


def may(actor: Actor, what: str) -> bool:
    from ejournal_tui.domain import permissions as perm

    return perm.may(actor.roles, what)


def load_registry(uow: UnitOfWork, actor: Actor) -> RegistryView:
    from ejournal_tui.services.closure import classes_for
    from ejournal_tui.services.lookup import current_year
    from ejournal_tui.services.paper_copies import list_copies

    rows = tuple(list_copies(uow, actor))
    start = current_year(uow).start_year
    classes = tuple(c.name for c in classes_for(uow, actor))
    return RegistryView(f"{start}/{start + 1}", rows, uow.today(), classes,
                        suggest_file({r.sha256 for r in rows}))


def suggest_file(entered: set[str]) -> Suggestion:
    """The newest register or summary PDF in the printing screen's folder that is not in
    the registry yet, with the class and period its name says; else the folder itself."""
    from ejournal_tui.tui.screens.printing_jobs import default_folder

    folder = default_folder()
    try:
        files = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)[:20]
    except OSError:
        return Suggestion()
    for path in files:
        named = _DEFAULT_NAME.match(path.name)
        if named is None:
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        if digest not in entered:
            kind = named.group(1).lower()
            return Suggestion(str(path), kind, named.group(2), "Y" if kind == "summary" else (named.group(3) or "").upper())
    return Suggestion(f"{folder}/" if folder.is_dir() else "")


def period_typed(text: str) -> str | None:
    """The period code typed (any case, Russian layout too); None when left empty."""
    code = (text or "").strip().translate(_LAYOUT).upper()
    if re.fullmatch(r"Y[12]", code):  # Н1: the Cyrillic letter that looks like H
        code = "H" + code[1]
    return code or None


# ---- the field a refusal is about --------------------------------------------------------------

ADD_FAULTS = {"paper.draft_refused": "draft", "paper.not_draft": "draft", "paper.kind": "kind",
              "paper.period_needed": "period", "paper.summary_year": "period", "cal.bad_period": "period",
              "what.period": "period", "what.class": "class", "paper.": "file"}
SIGN_FAULTS = {"paper.date": "day", "paper.future": "day", "paper.before_": "day", "prompt.bad_date": "day",
               "paper.": "who"}


def fault(exc: BaseException, faults: dict[str, str]) -> str:
    """The form's field the refusal is about: by the message key of what it says."""
    from ejournal_tui.domain.errors import WrongBand

    if isinstance(exc, WrongBand):
        return "period"
    what = getattr(exc, "params", {}).get("what")
    key = getattr(what, "key", "")
    if key == "paper.mismatch":  # the file says another class, period, document or year
        field = getattr(what.params.get("field"), "key", "")  # type: ignore[union-attr]
        return {"paper.f.class": "class", "paper.f.period": "period", "paper.f.kind": "kind"}.get(field, "file")
    return next((f for prefix, f in faults.items() if key.startswith(prefix)), "")
