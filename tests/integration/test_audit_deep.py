"""`audit verify --deep` on each engine: the events of marks, attendance, final marks and
lessons replayed against the rows. A fresh demo matches its change log row for row; a mark
changed with plain SQL and no event, which the hash chain cannot see, is named; so is a row
written with no event at all; the use cases' own writes, replayed, give no false alarm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from ejournal_tui.demo.generator import DemoOptions, generate
from ejournal_tui.services import attendance, finals, lessons, marks
from ejournal_tui.services.audit_deep import deep_check
from ejournal_tui.services.context import Database, resolve_school
from tests.cli.test_backup_cli import cli

AS_OF = date(2026, 11, 20)
DAY = date(2026, 11, 19)


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")


@pytest.fixture
def demo(engine, cli_env) -> Database:  # noqa: ANN001
    """The small demo, as `ejournal demo` writes it."""
    generate(engine, DemoOptions("small", 1, AS_OF), today=AS_OF)
    return Database(engine, resolve_school(engine, None))


def _deep(db: Database):  # noqa: ANN202
    with db.uow(read_only=True) as uow:
        return deep_check(uow.conn, uow.school_id)


def test_a_fresh_demo_matches_its_change_log(demo: Database) -> None:
    report = _deep(demo)
    assert report.ok, [str(d.problem) for d in report.differences[:5]]
    with demo.engine.connect() as conn:
        rows = conn.execute(text("SELECT (SELECT COUNT(*) FROM mark) + (SELECT COUNT(*) FROM attendance) "
                                 "+ (SELECT COUNT(*) FROM finalmark) + (SELECT COUNT(*) FROM lesson)")).scalar()
    assert report.rows == rows > 5000  # every row compared, each with its event
    code, out, err = cli("audit", "verify", "--deep")
    assert code == 0, err
    assert f"deep check of school demo: all {rows} rows match their last event" in out


def test_a_mark_changed_with_plain_sql_is_named(demo: Database) -> None:
    with demo.engine.begin() as conn:
        mark_id = conn.execute(text("SELECT MIN(id) FROM mark WHERE value <> '5'")).scalar()
        was = conn.execute(text("SELECT value FROM mark WHERE id = :i"), {"i": mark_id}).scalar()
        conn.execute(text("UPDATE mark SET value = '5' WHERE id = :i"), {"i": mark_id})
    code, out, _ = cli("audit", "verify")
    assert code == 0  # the chain is whole: the change left no event to break
    code, out, err = cli("audit", "verify", "--deep")
    assert code == 1 and f"deep check of school demo: rows that differ from the change log: 1 (mark {mark_id})" in err
    line = next(line for line in out.splitlines() if f"mark {mark_id} " in line)
    assert f"value is «5» (the event says «{was}»)" in line and "not what its last change-log event No." in line
    assert " · " in line  # which class, subject, day and pupil: the deputy can find it


def test_rows_deleted_or_written_without_an_event_are_named(demo: Database) -> None:
    with demo.engine.begin() as conn:
        gone = conn.execute(text("SELECT MIN(id) FROM attendance")).scalar()
        conn.execute(text("DELETE FROM attendance WHERE id = :i"), {"i": gone})
        lesson, pupil, teacher = conn.execute(text("SELECT lesson_id, pupil_id, entered_by FROM mark "
                                                   "ORDER BY id LIMIT 1")).one()
        conn.execute(text("INSERT INTO mark (school_id, lesson_id, pupil_id, value, work_kind, weight, comment, "
                          "entered_by, entered_at, late_entry, version) SELECT school_id, :l, :p, '5', 'oral', 1, '', "
                          ":t, entered_at, false, 1 FROM mark WHERE lesson_id = :l LIMIT 1"),
                     {"l": lesson, "p": pupil, "t": teacher})
        added = conn.execute(text("SELECT MAX(id) FROM mark")).scalar()
    found = {(d.entity, d.id): d.kind for d in _deep(demo).differences}
    assert found == {("attendance", gone): "gone", ("mark", added): "no_event"}


def test_the_use_cases_replayed_give_no_false_alarm(school, cli_env) -> None:  # noqa: ANN001
    s, a = school, school.actors
    with s.uow() as uow:
        lesson = lessons.open_lesson(uow, a["ivanova"], s.loads["rus5"], DAY, 1).id
    with s.uow() as uow:
        lessons.record_lesson(uow, a["ivanova"], lesson, topic="Глагол", homework="упр. 5")
    with s.uow() as uow:
        first = marks.add_mark(uow, a["ivanova"], lesson, s.pupils["Алексеев"], "4", comment="у доски")
    with s.uow() as uow:
        second = marks.add_mark(uow, a["ivanova"], lesson, s.pupils["Борисова"], "3")
    with s.uow() as uow:
        marks.correct_mark(uow, a["ivanova"], first.id, value="5", work_kind="written", reason="ошибка ввода")
    with s.uow() as uow:
        marks.delete_mark(uow, a["ivanova"], second.id, reason="не та ученица")
    with s.uow() as uow:
        absent = attendance.set_attendance(uow, a["ivanova"], lesson, s.pupils["Волков"], "absent")
    with s.uow() as uow:
        attendance.set_reason(uow, a["ivanova"], absent.id, "У")
    with s.uow() as uow:
        attendance.set_attendance(uow, a["ivanova"], lesson, s.pupils["Григорьева"], "late")
    with s.uow() as uow:
        attendance.set_attendance(uow, a["ivanova"], lesson, s.pupils["Григорьева"], None)  # the row goes
    with s.uow() as uow:
        attendance.apply_note(uow, a["ivanova"], s.pupils["Волков"], DAY, DAY, "Б")  # one event, many rows
    with s.uow() as uow:
        lessons.assign_substitute(uow, a["deputy"], s.loads["math5"], DAY, 2, s.staff["smirnova"])
    for value in ("4", "5", None):  # set, changed, removed
        with s.uow() as uow:
            finals.set_final_mark(uow, a["ivanova"], s.classes["5А"], s.subjects["Русский язык"], s.pupils["Алексеев"],
                                  "period", value, period_code="Q2")
    with s.uow() as uow:
        finals.set_final_mark(uow, a["ivanova"], s.classes["5А"], s.subjects["Русский язык"], s.pupils["Борисова"],
                              "period", "4", period_code="Q2")
    report = _deep(s.db)
    assert report.ok, [str(d.problem) for d in report.differences]
    assert report.rows == 5  # 2 lessons (one written by the substitution), 1 mark, 1 absence, 1 final mark
    with s.db.engine.begin() as conn:
        conn.execute(text("UPDATE attendance SET reason = 'Н' WHERE id = :i"), {"i": absent.id})
    unmarked = s.lesson("math5", DAY, 3)  # a row no use case wrote
    found = {(d.entity, d.id): (d.kind, [f[0] for f in d.fields]) for d in _deep(s.db).differences}
    assert found == {("attendance", absent.id): ("changed", ["reason"]), ("lesson", unmarked): ("no_event", [])}
    code, out, err = cli("--lang", "ru", "audit", "verify", "--deep")
    assert code == 1 and "причина «Н» (по событию «Б»)" in out
    assert f"урок {unmarked} (5А · Математика · 19.11.2026 · № 3): в журнале изменений нет ни одного события" in out
