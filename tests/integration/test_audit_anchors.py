"""The change log against someone who has the database but neither the backups nor the paper,
on each engine (issue «A record no one can quietly rewrite», detection): events cut off with
the head row deleted, events cut off with the head moved back, a chain recomputed with the
public `event_hash` after an edit. The first is caught by the chain itself; the others verify
on their own and are caught by an anchor taken outside the database: a backup's manifest, the
log of backup use, the number and checksum printed on a closed period's paper copy."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from ejournal_tui.data import models as m
from ejournal_tui.services import audit, marks, periods
from ejournal_tui.services.audit_anchor import anchors_in_note, parse_anchor
from ejournal_tui.services.backup import create_backup, read_log, restore_backup
from ejournal_tui.services.exports import export_register
from tests.cli.test_backup_cli import cli
from tests.exporters.helpers import flat, pdf_pages
from tests.integration.test_backup import ADMIN, PASS

DAY = date(2026, 11, 20)


@pytest.fixture
def logged(school, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # noqa: ANN001, ANN201
    """Six marks by Иванова in 5А: six events; the CLI pointed at the database, no settings."""
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", PASS)
    (tmp_path / "none.toml").write_text("")
    _marks(school, 6)
    return school


def _marks(school, n: int, number: int = 1) -> None:  # noqa: ANN001
    """`n` marks at lesson `number` of the day (a new lesson each call)."""
    lesson = school.lesson("rus5", DAY, number)
    for _ in range(n):
        with school.uow() as uow:
            marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5")


def _head(engine: Engine, school_id: int) -> tuple[int, str]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT seq, hash FROM audithead WHERE school_id = :s"), {"s": school_id}).one())


def _chain_ok(school) -> bool:  # noqa: ANN001
    with school.uow() as uow:
        return audit.verify_chain(uow).ok


def _cut(engine: Engine, school_id: int, keep: int, *, head: str) -> None:
    """Delete the events after `keep`; then delete the head row (`head="delete"`) or move it
    back onto event `keep` (`head="rewind"`), as someone with the database can."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM auditevent WHERE school_id = :s AND seq > :k"), {"s": school_id, "k": keep})
        if head == "delete":
            conn.execute(text("DELETE FROM audithead WHERE school_id = :s"), {"s": school_id})
        else:
            conn.execute(text("UPDATE audithead SET seq = :k, hash = (SELECT hash FROM auditevent "
                              "WHERE school_id = :s AND seq = :k) WHERE school_id = :s"), {"s": school_id, "k": keep})


def _recompute_from(engine: Engine, school_id: int, seq: int) -> None:
    """Edit event `seq` (a 5 becomes a 3) and recompute every hash from it on with the public
    `event_hash`, moving the head along: a chain that verifies."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE auditevent SET after = replace(after, '\"5\"', '\"3\"') "
                          "WHERE school_id = :s AND seq = :q"), {"s": school_id, "q": seq})
        events = m.AuditEvent.__table__  # typed: the hash covers the values as the program reads them
        rows = conn.execute(select(events).where(events.c.school_id == school_id).order_by(events.c.seq)).mappings().all()
        prev = ""
        for row in rows:
            if row["seq"] >= seq:
                new = audit.event_hash(dict(row), prev)
                conn.execute(text("UPDATE auditevent SET prev_hash = :p, hash = :h WHERE id = :i"),
                             {"p": prev, "h": new, "i": row["id"]})
                prev = new
            else:
                prev = row["hash"]
        conn.execute(text("UPDATE audithead SET hash = :h WHERE school_id = :s"), {"h": prev, "s": school_id})


def _forget_backups(engine: Engine) -> None:
    """The thorough intruder also empties the log of backup use, which is in the database."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM backuprecord"))


# ---- the head row deleted ----------------------------------------------------------------------

def test_events_cut_with_the_head_row_deleted_fail_verify_and_db_check(logged, engine) -> None:  # noqa: ANN001
    _cut(engine, logged.school_id, 3, head="delete")
    assert not _chain_ok(logged)
    code, _, err = cli("audit", "verify")
    assert code == 1 and "broken at event 3" in err and "record of the chain's last event is missing" in err
    code, _, err = cli("db", "check")
    assert code == 1 and "change log of school test is broken at event 3" in err


# ---- the head moved back -------------------------------------------------------------------------

def test_a_rewound_head_is_caught_by_the_anchor_of_a_backup(logged, engine, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "nas").mkdir()
    made = create_backup(engine, ADMIN, [tmp_path / "nas"], PASS)
    seq, digest = _head(engine, logged.school_id)
    assert made.manifest.anchors == [{"school": "test", "seq": seq, "hash": digest}]  # in every backup's manifest
    note = read_log(engine, 1)[0].note  # and in the log of backup use
    assert [(a.school, a.seq, a.hash) for a in anchors_in_note(note)] == [("test", seq, digest[:16])]
    code, out, _ = cli("audit", "verify", "--against", str(made.files[0]))
    assert code == 0 and "holds every anchor from outside the database" in out
    _cut(engine, logged.school_id, 3, head="rewind")
    assert _chain_ok(logged)  # the chain alone cannot tell
    code, _, err = cli("audit", "verify")  # the log of backup use still says where the chain reached
    assert code == 1 and f"does not hold anchor {seq}:{digest[:16]}" in err and "from the log of backup use" in err
    _forget_backups(engine)
    assert cli("audit", "verify")[0] == 0  # with the log emptied too, only the backup itself can tell
    code, _, err = cli("audit", "verify", "--against", str(made.files[0]))
    assert code == 1 and err.count("\n") == 1 and err.startswith("error: ")
    assert f"does not hold anchor {seq}:{digest[:16]} (from backup {made.files[0].name})" in err
    assert "the chain ends at event 3 but the anchor is at event 6: events after 3 were deleted" in err


def test_a_rewound_head_is_caught_by_the_anchor_on_paper(logged, engine) -> None:  # noqa: ANN001
    seq, digest = _head(engine, logged.school_id)
    printed = f"{seq}:{digest[:16]}"
    assert cli("audit", "verify", "--anchor", printed)[0] == 0
    _marks(logged, 2, number=2)  # the register goes on after the copy was printed
    assert cli("audit", "verify", "--anchor", printed)[0] == 0
    _cut(engine, logged.school_id, 4, head="rewind")
    assert _chain_ok(logged)
    code, _, err = cli("audit", "verify", "--anchor", printed)
    assert code == 1 and f"does not hold anchor {printed} (from --anchor)" in err
    assert "the chain ends at event 4 but the anchor is at event 6" in err


# ---- the chain recomputed ------------------------------------------------------------------------

def test_a_recomputed_chain_is_caught_by_an_anchor(logged, engine, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "nas").mkdir()
    made = create_backup(engine, ADMIN, [tmp_path / "nas"], PASS)
    seq, digest = _head(engine, logged.school_id)
    _marks(logged, 1, number=2)
    _forget_backups(engine)
    _recompute_from(engine, logged.school_id, 2)
    assert _chain_ok(logged)  # an edited event and a recomputed chain verify on their own
    code, _, err = cli("audit", "verify", "--anchor", f"{seq}:{digest[:12]}")  # 12 digits are enough
    assert code == 1 and f"event {seq} now has another checksum" in err and "rewritten at or before it" in err
    code, _, err = cli("audit", "verify", "--against", str(made.files[0]))
    assert code == 1 and f"from backup {made.files[0].name}" in err and "rewritten" in err
    code, _, err = cli("audit", "verify", "--anchor", f"test:{seq}:{digest}")  # the whole hash, the school named
    assert code == 1 and "rewritten" in err


# ---- no false alarm ------------------------------------------------------------------------------

def test_a_restore_of_an_older_backup_keeps_the_log_anchors_true(logged, engine, tmp_path: Path) -> None:  # noqa: ANN001
    """A restore takes the chain back on purpose: anchors recorded before it no longer apply,
    the restore's own entry anchors what it brought back."""
    (tmp_path / "nas").mkdir()
    older = create_backup(engine, ADMIN, [tmp_path / "nas"], PASS)
    _marks(logged, 3, number=2)
    create_backup(engine, ADMIN, [tmp_path / "nas"], PASS)
    restore_backup(engine, ADMIN, older.files[0], PASS, replace=True, safety_dirs=[tmp_path / "nas"])
    assert _head(engine, logged.school_id)[0] == 6
    code, out, err = cli("audit", "verify")
    assert code == 0, err
    assert "holds every anchor from outside the database: 1 (the newest at event 6)" in out


def test_anchors_as_typed(logged) -> None:  # noqa: ANN001
    assert parse_anchor(" 12 : 3F9A12BC77DE0A41… ", "test").as_dict() == {"school": "test", "seq": 12,
                                                                         "hash": "3f9a12bc77de0a41"}
    for bad in ("12:3f9a12bc77d", "12", "x:3f9a12bc77de0a41", "12:3f9a12bc77de0a4z"):
        code, _, err = cli("audit", "verify", "--anchor", bad)
        assert code == 1 and "use SEQ:HASH" in err, bad
    code, _, err = cli("audit", "verify", "--anchor", "elsewhere:6:3f9a12bc77de0a41")
    assert code == 1 and "school 'elsewhere' is not in this database" in err


# ---- the paper copy ------------------------------------------------------------------------------

def test_a_closed_periods_paper_copy_prints_the_anchor(logged, engine, tmp_path: Path) -> None:  # noqa: ANN001
    with logged.uow() as uow:
        periods.close_period(uow, logged.actors["deputy"], "Q1", "5А")
    seq, digest = _head(engine, logged.school_id)
    out = tmp_path / "5А-Q1.pdf"
    export_register(logged.db, logged.actors["deputy"], "5А", "Q1", "pdf", out)
    closing = flat(pdf_pages(out)[-1])
    line = re.search(r"Журнал изменений: запись № (\d+), контрольная сумма ([0-9a-f]{16})…", closing)
    assert line is not None, closing
    assert (int(line.group(1)), line.group(2)) == (seq, digest[:16])  # the head when printed
    assert closing.index("Журнал изменений") < closing.index("Директор")  # above the director's signature
    assert cli("audit", "verify", "--anchor", f"{line.group(1)}:{line.group(2)}")[0] == 0
    export_register(logged.db, logged.actors["deputy"], "5А", "Q2", "pdf", tmp_path / "5А-Q2.pdf")
    assert "Журнал изменений" not in flat(pdf_pages(tmp_path / "5А-Q2.pdf")[-1])  # a draft anchors nothing
