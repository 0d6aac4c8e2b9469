"""The change log in words: every action the program records has words in Russian and
English; a mark correction, an absence's reason, a final mark, a substitution, a setting and
roles read as sentences, never as codes or JSON; an unknown action falls back to its code."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ejournal_tui.i18n import set_language
from ejournal_tui.services.audit_log import Glossary, LogEntry
from ejournal_tui.services.audit_words import ACTIONS, action_words, change_words, details, words

CYRILLIC = re.compile("[А-Яа-яЁё]")
PACKAGE = Path(__file__).resolve().parents[2] / "ejournal_tui"
# `audit.record(uow, actor, "mark.add", …)`, `_log(uow, actor, "class.add", …)`, and the
# `"period.close" if closed else "period.reopen"` form
RECORDED = re.compile(r"(?:record|_log)\(\s*uow,\s*\w+,\s*\"([a-z]+\.[a-z_-]+)\"(?:\s+if\s+\w+\s+else\s+\"([a-z.]+)\")?")


def recorded_actions() -> set[str]:
    """Every action code the program writes into the change log, read from its source."""
    from ejournal_tui.services.imports import KINDS

    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in RECORDED.finditer(text):
            found.update(code for code in match.groups() if code)
        found.update(f"export.{kind}" for kind in re.findall(r"ExportResult\([^)]*?\"([a-z-]+)\"", text))
    history = (PACKAGE / "demo" / "history.py").read_text(encoding="utf-8")
    found.update(re.findall(r"\"([a-z]+\.(?:generate|record|close))\"", history))
    return found | {f"import.{kind}" for kind in KINDS}


def entry(action: str, before: Any = None, after: Any = None, **fields: Any) -> LogEntry:
    values: dict[str, Any] = {
        "seq": 7, "at": datetime(2026, 11, 20, 9, 30, tzinfo=UTC), "actor": "ivanova", "action": action,
        "entity": "", "entity_id": None, "class_name": "5А", "pupil": "Волков Виктор", "lesson_date": None,
        "before": before, "after": after, "reason": "", "flagged": False,
    }
    return LogEntry(**(values | fields))


GLOSSARY = Glossary(people={"ivanova": "Иванова А.П.", "petrov": "Петров П.И."},
                    staff={4: "Иванова А.П.", 5: "Петров П.И."}, classes={2: "5А"}, kinds={"oral": "Устный ответ"},
                    groups={7: "Англ. гр. 1", 8: "Инф. гр. 2"})


def test_the_scan_finds_the_actions_of_every_kind_of_work() -> None:
    found = recorded_actions()
    assert {"mark.add", "mark.correct", "final.set", "period.close", "period.reopen", "lesson.open",
            "lesson.record", "attendance.reason", "account.enable", "import.students", "export.register",
            "setting.set", "auth.fail", "demo.generate"} <= found


def test_every_recorded_action_has_words_in_both_languages() -> None:
    missing = sorted(code for code in recorded_actions() if code not in ACTIONS)
    assert missing == [], f"actions written to the change log with no words: {missing}"
    for code in ACTIONS:
        set_language("ru")
        russian = action_words(code)
        set_language("en")
        english = action_words(code)
        assert CYRILLIC.search(russian) and not CYRILLIC.search(english), (code, russian, english)
        assert code not in (russian, english)


def test_an_unknown_action_is_shown_as_its_code() -> None:
    set_language("ru")
    assert action_words("robot.dance") == "robot.dance"
    assert words(entry("robot.dance", after={"steps": 3})).change == "steps: 3"


def test_a_mark_correction_reads_before_and_after_with_subject_and_lesson_date() -> None:
    set_language("ru")
    e = entry("mark.correct", {"value": "3"}, {"value": "4"}, subject="Алгебра", lesson_date=date(2026, 11, 16),
              reason="ошибка ввода", flagged=True)
    w = words(e, GLOSSARY)
    assert (w.action, w.who, w.change, w.reason, w.flagged) == ("Отметка исправлена", "Иванова А.П.", "3 → 4",
                                                                 "ошибка ввода", True)
    assert w.where == "5А · Алгебра · 16.11.2026" and w.pupil == "Волков Виктор"
    set_language("en")
    assert words(e, GLOSSARY).where == "5А · Алгебра · 2026-11-16"
    assert words(e, GLOSSARY).action == "Mark corrected"


@pytest.mark.parametrize(("action", "before", "after", "said"), [
    ("mark.add", None, {"value": "5", "kind": "oral", "comment": ""}, "5 (Устный ответ)"),
    ("mark.correct", {"work_kind": "oral"}, {"work_kind": "test"}, "вид работы: Устный ответ → test"),
    ("mark.delete", {"value": "4", "kind": "oral", "comment": ""}, None, "4 → —"),
    ("attendance.set", None, {"status": "absent", "reason": None}, "— → н"),
    ("attendance.set", {"status": "absent", "reason": None}, {"status": "late", "reason": None}, "н → оп"),
    ("attendance.reason", {"reason": None}, {"reason": "Б"}, "н → Б"),
    ("final.set", None, {"value": "5", "kind": "period", "period": "Q2", "subject_id": 3}, "II четверть: — → 5"),
    ("final.set", {"value": "3"}, {"value": None, "kind": "period", "period": "Q2", "subject_id": 3},
     "II четверть: 3 → —"),
    ("lesson.substitute", {"teacher_id": 4}, {"teacher_id": 5}, "учитель: Иванова А.П. → Петров П.И."),
    ("lesson.update", {"topic": "Дроби"}, {"topic": "Десятичные дроби", "plan_item_id": 9},
     "тема: Дроби → Десятичные дроби"),
    ("lesson.open", None, {"number": 3, "load": 12}, "урок №: 3"),
    ("setting.set", {"idle_lock_minutes": 5}, {"idle_lock_minutes": 10}, "Блокировка при простое, минут: 5 → 10"),
    ("account.roles", {"roles": ["teacher"]}, {"roles": ["teacher", "class_leader"]},
     "роли: учитель → учитель, классный руководитель"),
    ("holiday.add", None, {"start": "2026-12-29", "end": "2027-01-10", "name": "Зимние"},
     "название: Зимние; с: 29.12.2026; по: 10.01.2027"),
    ("period.close", None, {"closed": True, "period": "Q1"}, "I четверть"),
    ("pupil.groups", {"groups": [7]}, {"groups": [7, 8], "from": "2026-11-20"},
     "с: 20.11.2026; группы: Англ. гр. 1 → Англ. гр. 1, Инф. гр. 2"),
    ("year.new", None, {"year": "2027/2028", "groups": 7}, "год: 2027/2028; группы: 7"),
])
def test_changes_read_in_words(action: str, before: Any, after: Any, said: str) -> None:
    set_language("ru")
    e = entry(action, before, after, period=str((after or {}).get("period", "")))
    assert change_words(e, GLOSSARY) == said


def test_no_sentence_shows_json_or_ids() -> None:
    set_language("ru")
    e = entry("load.remove", {"subject_id": 3, "teacher_id": 5, "hours": 2.5})
    assert change_words(e, GLOSSARY) == "учитель: Петров П.И. → —; часов в неделю: 2,5 → —"
    assert "{" not in change_words(entry("import.students", after={"file": "a.csv", "rows": 3, "sha256": "ab"}))


def test_the_detail_view_has_every_field_and_the_json() -> None:
    set_language("ru")
    e = entry("mark.correct", {"value": "3"}, {"value": "4"}, entity="mark", entity_id=41, subject="Алгебра",
              lesson_date=date(2026, 11, 16), reason="ошибка ввода")
    shown = dict(details(e, GLOSSARY))
    assert shown["Кто"] == "Иванова А.П. (ivanova)" and shown["Действие"] == "Отметка исправлена (mark.correct)"
    assert shown["Предмет"] == "Алгебра" and shown["Дата урока"] == "16.11.2026" and shown["Объект"] == "mark 41"
    assert shown["Было (данные)"] == '{\n  "value": "3"\n}' and shown["Причина"] == "ошибка ввода"
    assert len(shown) == 15
