"""Anchors of the change log outside the database, and the check that the chain still holds them.

An anchor is the chain's head at one moment: (school, sequence number, hash of that event).
Every backup's manifest records the head of each school, and so does the backup's entry in the
log of backup use; a closed period's paper copy prints it on its closing page, under the
director's signature. A chain cut short and its head moved back, or recomputed after an edit
with the public `event_hash`, verifies on its own; it no longer holds an anchor taken before:
the anchored event is gone (the chain was cut below it) or has another hash (it was rewritten).

Written as `SEQ:HASH` (or `SCHOOL:SEQ:HASH`); the hash may be shortened to its first
`MIN_DIGITS` hex digits, as the paper copy prints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many

MIN_DIGITS = 12  # hex digits of a hash an anchor must give at least (48 bits)
SHOWN_DIGITS = 16  # what the paper copy and the log of backup use print (64 bits)
NOTE_LEAD = "change-log anchors:"
_NOTE_ITEM = re.compile(rf"([A-Za-z0-9_-]+) (\d+):([0-9a-f]{{{MIN_DIGITS},64}})")
_TEXT = re.compile(rf"^(?:([A-Za-z0-9_-]+):)?(\d+):([0-9a-fA-F]{{{MIN_DIGITS},64}})$")

register_many({
    "anchor.bad": (
        "привязка «{text}»: укажите НОМЕР:СУММА — номер записи и не меньше {digits} первых знаков контрольной суммы, "
        "как в бумажной копии (или ШКОЛА:НОМЕР:СУММА)",
        "anchor {text!r}: use SEQ:HASH, the event's number and at least the first {digits} hex digits of its "
        "checksum as the paper copy prints them (or SCHOOL:SEQ:HASH)",
    ),
    "anchor.which_school": (
        "привязка «{text}»: в базе несколько школ — укажите --school КОД или ШКОЛА:НОМЕР:СУММА",
        "anchor {text!r}: the database holds several schools: add --school CODE or write SCHOOL:SEQ:HASH",
    ),
    "anchor.none_in_backup": (
        "в копии {path} нет привязок журнала изменений (она сделана версией, которая их не записывала)",
        "backup {path} records no change-log anchor (it was made by a version that did not record them)",
    ),
    "anchor.not_of": (
        "в копии {path} нет привязки ни одной из проверяемых школ ({schools}): это копия другой базы данных?",
        "backup {path} holds no anchor of the schools being verified ({schools}): a backup of another database?",
    ),
    "anchor.src.option": ("из --anchor", "from --anchor"),
    "anchor.src.backup": ("из копии {path}", "from backup {path}"),
    "anchor.src.log": ("из журнала резервного копирования, запись {id} от {at}", "from the log of backup use, entry {id} of {at}"),
    "anchor.cut": (
        "цепочка заканчивается событием {end}, а привязка указывает на событие {seq}: события после {end} удалены",
        "the chain ends at event {end} but the anchor is at event {seq}: events after {end} were deleted",
    ),
    "anchor.missing": ("события {seq}, на которое указывает привязка, нет", "event {seq}, which the anchor names, is missing"),
    "anchor.differs": (
        "событие {seq} теперь имеет другую контрольную сумму ({found}…): журнал изменений переписан на этом событии или раньше",
        "event {seq} now has another checksum ({found}…): the change log was rewritten at or before it",
    ),
    "anchor.no_school": ("школы «{school}» в базе данных нет", "school {school!r} is not in this database"),
})


@dataclass(frozen=True)
class Anchor:
    """The chain of the school with code `school` held event `seq` with a hash beginning with
    `hash`; `source` says where the anchor was found."""

    school: str
    seq: int
    hash: str
    source: object = ""  # a Phrase, worded when shown

    @property
    def label(self) -> str:
        """`SEQ:HASH` as the paper copy prints it (the hash's first SHOWN_DIGITS digits)."""
        return f"{self.seq}:{self.hash[:SHOWN_DIGITS]}"

    def as_dict(self) -> dict[str, Any]:
        return {"school": self.school, "seq": self.seq, "hash": self.hash}


@dataclass(frozen=True)
class AnchorFailure:
    anchor: Anchor
    problem: Phrase


# ---- where anchors come from --------------------------------------------------------------

def parse_anchor(text: str, school: str = "") -> Anchor:
    """`SEQ:HASH` or `SCHOOL:SEQ:HASH` as typed from a paper copy (spaces and a final «…»
    are forgiven); `school` is the one meant when the text names none."""
    cleaned = "".join(text.split()).rstrip("…").rstrip(".")
    match = _TEXT.match(cleaned)
    if match is None:
        raise InvalidInput(what=Phrase("anchor.bad", text=text, digits=MIN_DIGITS))
    code, seq, digest = match.groups()
    if not code and not school:
        raise InvalidInput(what=Phrase("anchor.which_school", text=text))
    return Anchor(code or school, int(seq), digest.lower(), Phrase("anchor.src.option"))


def head_of(conn: Connection, school_id: int) -> tuple[int, str] | None:
    """(seq, hash) of a school's chain head; None before its first event."""
    row = conn.execute(select(m.AuditHead.seq, m.AuditHead.hash).where(m.AuditHead.school_id == school_id)).first()
    return (row[0], row[1]) if row is not None and row[0] > 0 else None


def manifest_anchors(rows: Iterable[tuple[str, int, str]]) -> list[dict[str, Any]]:
    """The heads as a backup's manifest records them."""
    return [{"school": code, "seq": int(seq), "hash": digest} for code, seq, digest in rows]


def note_text(anchors: Iterable[dict[str, Any]]) -> str:
    """The anchors as the log of backup use notes them: `change-log anchors: demo 1234:3f9a…`."""
    items = [f"{a['school']} {a['seq']}:{a['hash'][:SHOWN_DIGITS]}" for a in anchors if a.get("seq")]
    return f"{NOTE_LEAD} {', '.join(items)}" if items else ""


def anchors_in_note(note: str, source: object = "") -> list[Anchor]:
    """The anchors a note of the log of backup use holds (none if it has no anchor part; a part
    cut short by the note's length limit still counts while it keeps MIN_DIGITS digits)."""
    at = note.find(NOTE_LEAD)
    if at < 0:
        return []
    return [Anchor(code, int(seq), digest, source) for code, seq, digest in _NOTE_ITEM.findall(note[at:])]


def anchors_from_backup(path: str | Path, passphrase: str) -> list[Anchor]:
    """The anchors in a backup's manifest: the file is decrypted and read to its end, which
    also checks that it is whole and unaltered (the manifest is its last line)."""
    from contextlib import closing

    from ejournal_tui.services.backup.content import Manifest, read_content
    from ejournal_tui.services.backup.crypto import BackupReader

    reader = BackupReader(path, passphrase)
    reader.unlock()
    manifest = None
    with closing(read_content(reader.chunks(), str(path))) as items:
        for item in items:
            if isinstance(item, Manifest):
                manifest = item
    source = Phrase("anchor.src.backup", path=Path(path).name)
    found = [Anchor(a["school"], int(a["seq"]), str(a["hash"]), source) for a in (manifest.anchors if manifest else [])]
    if not found:
        raise InvalidInput(what=Phrase("anchor.none_in_backup", path=path))
    return found


def anchors_from_log(engine: Engine) -> dict[str, list[Anchor]]:
    """The anchors the log of backup use holds, by school code: those of backups made (and of
    the restore) since the latest restore, which replaced the chain the older ones anchored,
    and of a demo school only those recorded after the demo was written."""
    from ejournal_tui.demo.guard import WATERMARK

    log = m.BackupRecord
    with engine.connect() as conn:
        rows = conn.execute(select(log.id, log.at, log.action, log.note).where(
            log.ok.is_(True), log.action.in_(("create", "restore"))).order_by(log.id)).all()
        marks = dict(conn.execute(select(m.School.code, m.Setting.value).join(m.Setting, m.Setting.school_id == m.School.id)
                                  .where(m.Setting.key == WATERMARK)).all())
    since = max((r.id for r in rows if r.action == "restore"), default=0)
    out: dict[str, list[Anchor]] = {}
    for r in rows:
        if r.id < since:
            continue
        source = Phrase("anchor.src.log", id=r.id, at=f"{r.at:%Y-%m-%d %H:%M}")
        for anchor in anchors_in_note(r.note or "", source):
            if r.id > _demo_backups(marks.get(anchor.school)):
                out.setdefault(anchor.school, []).append(anchor)
    return out


def _demo_backups(watermark: str | None) -> int:
    """The last entry of the log of backup use made before a demo school was written (its
    watermark); 0 for a school that is no demo."""
    import json

    if not watermark:
        return 0
    try:
        return int(json.loads(watermark).get("backuprecord", 0))
    except (ValueError, TypeError, AttributeError):
        return 0


# ---- the check ------------------------------------------------------------------------------

def check_anchors(conn: Connection, school_id: int, anchors: Iterable[Anchor]) -> list[AnchorFailure]:
    """Each anchor the school's chain no longer holds, with what is wrong: the chain ends before
    it (cut, its head moved back), its event is missing, or has another hash (rewritten)."""
    anchors = [a for a in anchors if a.seq > 0]  # a chain with no event yet anchors nothing
    if not anchors:
        return []
    E = m.AuditEvent
    head = conn.execute(select(m.AuditHead.seq).where(m.AuditHead.school_id == school_id)).scalar()
    last = conn.execute(select(E.seq).where(E.school_id == school_id).order_by(E.seq.desc()).limit(1)).scalar()
    end = last or 0
    if head is not None:  # a missing head is verify_chain's to report; the events still tell
        end = min(end, head)
    wanted = sorted({a.seq for a in anchors if a.seq <= end})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        found.update(conn.execute(select(E.seq, E.hash).where(E.school_id == school_id, E.seq.in_(part))).all())
    return [AnchorFailure(a, p) for a in anchors if (p := _problem(a, end, found)) is not None]


def _problem(anchor: Anchor, end: int, found: dict[int, str]) -> Phrase | None:
    if anchor.seq > end:
        return Phrase("anchor.cut", end=end, seq=anchor.seq)
    digest = found.get(anchor.seq)
    if digest is None:
        return Phrase("anchor.missing", seq=anchor.seq)
    if not digest.startswith(anchor.hash):
        return Phrase("anchor.differs", seq=anchor.seq, found=digest[:SHOWN_DIGITS])
    return None

