"""A year in the life of a school, from an empty database, with the program's own commands
only (issue 8): no row comes from tests/factory.py.

The sysadmin creates the school in late August and imports the shipped sample files; the
secretary's accounts get passwords; a mathematics teacher of 5Б keeps the register through
September and October (topics from the КТП, homework, marks of several kinds, an absence);
the deputy director records a substitution; the class leader brings a sick note; the first
quarter is closed, printed, reopened for one correction and closed again; year marks and the
summary sheet in May; `year new 2027` in June; the second year's imports (timetable included)
in August; the first lesson of the new year on 1 September. At each step the test checks
what the school would check; after the rollover, last year's counts and its printed register
read the same as before.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import EjournalError
from ejournal_tui.services import accounts, attendance, finals, lessons, marks, register, today
from tests.acceptance.runner import Calendar, School, cli
from tests.signin import password_file, person_env

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
ADMIN_PW = "Школа-2026-admin"
START_PW = "temporary-pass-1"
OWN_PW = {"semenov.ip": "Семёнов-пароль-7", "frolov.do": "Фролов-пароль-8", "orlova": "Орлова-пароль-9",
          "lebedeva": "Лебедева-пароль-10"}
PUPILS_5B = ("Гришина", "Дёмин", "Ершова")


@pytest.fixture
def calendar(monkeypatch: pytest.MonkeyPatch) -> Calendar:
    return Calendar(monkeypatch)


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty (migrated, school-less) database, no settings file, a backup passphrase."""
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    (tmp_path / "backups").mkdir()
    (tmp_path / "none.toml").write_text(f'backup_dirs = ["{tmp_path / "backups"}"]\n')
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", "код-директора-для-копий")
    monkeypatch.delenv("EJOURNAL_SCHOOL", raising=False)
    # the administrator runs the commands until someone else signs in (`as_person`); the first
    # `school create` is the machine's (an empty database), so the account need not exist yet
    (tmp_path / "passwords").mkdir()
    monkeypatch.setenv("EJOURNAL_USER", "admin7")
    monkeypatch.setenv("EJOURNAL_PASSWORD_FILE", str(password_file(tmp_path / "passwords", ADMIN_PW, "password-admin7")))
    return tmp_path


def as_person(login: str, password: str) -> None:
    """The next commands act as LOGIN, signed in as a script does (CLI.md, "who acts"); the
    `env` fixture puts the variables back afterwards."""
    os.environ.update(person_env(Path(os.environ["EJOURNAL_PASSWORD_FILE"]).parent, login, password))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _set_up(env: Path) -> School:
    assert "empty" in cli("stats").err  # nothing yet: the error says how to begin
    cli("school", "create", "--code", "sch7", "--name", "МБОУ СОШ № 7", "--city", "Тверь",
        "--director", "Смирнова Ольга Викторовна", "--admin", "admin7", "--admin-name", "Козлов Пётр Ильич",
        "--password-stdin", stdin=ADMIN_PW + "\n").ok()
    refused = cli("school", "create", "--code", "sch7", "--name", "Другая", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert refused.code == 1 and "sch7" in refused.err
    for kind, name in (("students", "students.xlsx"), ("staff", "staff.csv"), ("load", "load.xlsx"),
                       ("timetable", "timetable.xlsx"), ("plan", "plan.xlsx")):
        cli("import", kind, str(SAMPLES / name)).ok()
    for login in OWN_PW:
        cli("users", "passwd", login, "--password-stdin", stdin=START_PW + "\n").ok()
    school = School(str(cli_url()))
    for login, own in OWN_PW.items():  # each changes the password the secretary gave at first sign-in
        actor = school.sign_in(login, START_PW)
        with school.uow() as uow:
            accounts.change_password(uow, actor, login, own, old_password=START_PW)
        school.sign_in(login, own)
    return school


def cli_url() -> str:
    return os.environ["EJOURNAL_DB"]


def _ids(school: School) -> dict:
    with school.uow() as uow:
        s = uow.session
        klass = s.scalars(select(m.SchoolClass).where(m.SchoolClass.name == "5Б")).one()
        math = s.scalars(select(m.Subject).where(m.Subject.name == "Математика")).one()
        load = s.scalars(select(m.TeachingLoad).where(m.TeachingLoad.class_id == klass.id,
                                                      m.TeachingLoad.subject_id == math.id)).one()
        pupils = {p.last_name: p.id for p in s.scalars(select(m.Pupil))}
        plan = [p.id for p in s.scalars(select(m.PlanItem).where(m.PlanItem.load_id == load.id).order_by(m.PlanItem.seq))]
        slots = {(sl.weekday, sl.number) for sl in s.scalars(select(m.TimetableSlot).where(m.TimetableSlot.load_id == load.id))}
        return {"class": klass.id, "math": math.id, "load": load.id, "pupils": pupils, "plan": plan, "slots": slots}


def _school_days(start: date, end: date):
    return cal.school_days(start, end, [(a, b) for a, b, _ in cal.default_holidays(2026)])


def _teach_autumn(school: School, calendar: Calendar, ids: dict) -> dict:
    """Math in 5Б on its timetable days from 1 September to the end of Q1, each lesson entered
    on its day; returns what was entered, to compare with the printed register."""
    teacher = school.people["semenov.ip"]
    entered = {"lessons": 0, "marks": 0, "topics": []}
    kinds = ("oral", "independent", "control")
    for n, day in enumerate(d for d in _school_days(date(2026, 9, 1), date(2026, 10, 23))
                            if any(wd == d.isoweekday() for wd, _ in ids["slots"])):
        number = next(num for wd, num in sorted(ids["slots"]) if wd == day.isoweekday())
        calendar.go(day, 11)
        if day == date(2026, 9, 22):
            continue  # a substitution, below
        with school.uow() as uow:
            ref = lessons.open_lesson(uow, teacher, ids["load"], day, number)
            topic = f"Тема урока {n + 1}: действия с натуральными числами"
            plan_item = ids["plan"][n] if n < len(ids["plan"]) else None
            lessons.record_lesson(uow, teacher, ref.id, topic=topic, homework=f"№ {100 + n}, с. {10 + n}",
                                  plan_item_id=plan_item)
        entered["lessons"] += 1
        entered["topics"].append(topic)
        for i, name in enumerate(PUPILS_5B):
            if name == "Дёмин" and day in (date(2026, 9, 14), date(2026, 9, 15)):
                with school.uow() as uow:
                    attendance.set_attendance(uow, teacher, ref.id, ids["pupils"][name], "absent")
                continue
            with school.uow() as uow:
                marks.add_mark(uow, teacher, ref.id, ids["pupils"][name], str(5 - (n + i) % 3),
                               work_kind=kinds[(n + i) % 3])
            entered["marks"] += 1
    return entered


def _substitution(school: School, calendar: Calendar, ids: dict) -> None:
    """22 September: Семёнов is ill; the deputy puts Фролов in, who keeps the lesson."""
    day = date(2026, 9, 22)
    calendar.go(day, 8)
    deputy, frolov = school.people["lebedeva"], school.people["frolov.do"]
    with school.uow() as uow:
        ref = lessons.assign_substitute(uow, deputy, ids["load"], day, 1, frolov.id)  # type: ignore[arg-type]
    calendar.go(day, 11)
    with school.uow() as uow:
        lessons.record_lesson(uow, frolov, ref.id, topic="Замена: решение задач на движение", homework="№ 77")
        marks.add_mark(uow, frolov, ref.id, ids["pupils"]["Ершова"], "4")


def _q1_marks(school: School, calendar: Calendar, ids: dict) -> None:
    calendar.go(date(2026, 10, 26), 10)
    teacher = school.people["semenov.ip"]
    with school.uow() as uow:
        for name in PUPILS_5B:
            finals.set_final_mark(uow, teacher, ids["class"], ids["math"], ids["pupils"][name], "period", "4",
                                  period_code="Q1")


def test_a_year_in_the_life_from_nothing(env: Path, calendar: Calendar) -> None:
    school = _set_up(env)
    try:
        _live_the_year(school, calendar, env)
    finally:
        school.close()


def _live_the_year(school: School, calendar: Calendar, env: Path) -> None:
    ids = _ids(school)
    assert json.loads(cli("stats", "--json").ok().out)["students"] == 8
    assert "Контрольная работа" in [k["name"] for k in json.loads(cli("school", "kinds", "--json").ok().out)]

    entered = _teach_autumn(school, calendar, ids)
    _substitution(school, calendar, ids)
    calendar.go(date(2026, 9, 17), 15)  # the class leader brings Дёмин's sick note
    with school.uow() as uow:
        assert attendance.apply_note(uow, school.people["orlova"], ids["pupils"]["Дёмин"], date(2026, 9, 14),
                                     date(2026, 9, 15), "Б", "справка № 112") == 2
    calendar.go(date(2026, 10, 26), 9)
    as_person("lebedeva", OWN_PW["lebedeva"])  # the deputy director closes, prints and reopens
    early = cli("period", "close", "Q1", "--class", "5Б")  # the same checklist as the TUI's
    assert early.code == 1 and "final marks missing" in early.err and "Математика" in early.err
    _q1_marks(school, calendar, ids)
    cli("period", "close", "Q1", "--class", "5Б").ok()

    # the printed register of Q1 holds what was entered
    pdf = env / "5Б-Q1.pdf"
    cli("export", "register", "--class", "5Б", "--period", "Q1", "--subject", "Математика", "--format", "pdf",
        "--out", str(pdf)).ok()
    text = pdf_text(pdf)
    for name in PUPILS_5B:
        assert name in text
    assert "Замена: решение задач на движение" in text and "Фролов" in text
    assert sum(topic[:14] in text for topic in entered["topics"]) == entered["lessons"]
    stats = json.loads(cli("stats", "--class", "5Б", "--json").ok().out)
    assert stats["lessons"] == entered["lessons"] + 1 and stats["marks"] == entered["marks"] + 1
    assert stats["absences"] == 2 and stats["final_marks"] == 3

    _correct_after_reopening(school, calendar, ids)
    _year_end(school, calendar, ids, env)

    before = {"stats": cli("stats", "--class", "5Б", "--json").ok().out,
              "register": _print_q1(env, "before")}
    _rollover(calendar, env)
    _second_year(school, calendar, ids, env)
    calendar.go(date(2027, 9, 2), 12)
    assert cli("stats", "--class", "5Б", "--year", "2026", "--json").ok().out == before["stats"]
    assert _print_q1(env, "after", "--year", "2026") == before["register"]


def _correct_after_reopening(school: School, calendar: Calendar, ids: dict) -> None:
    teacher = school.people["semenov.ip"]
    with school.uow() as uow:
        mark_id = uow.session.scalars(select(m.Mark.id).where(m.Mark.pupil_id == ids["pupils"]["Гришина"])
                                      .order_by(m.Mark.id)).first()
        assert mark_id is not None
    calendar.go(date(2026, 11, 9), 10)
    with school.uow() as uow, pytest.raises(EjournalError, match="closed"):
        marks.correct_mark(uow, teacher, mark_id, value="3", reason="ошибка при вводе")
    cli("period", "reopen", "Q1", "--class", "5Б", "--reason", "исправление ошибочной отметки").ok()
    with school.uow() as uow:
        marks.correct_mark(uow, teacher, mark_id, value="3", reason="ошибка при вводе")
    cli("period", "close", "Q1", "--class", "5Б").ok()
    log = cli("audit", "log", "--class", "5Б", "--json").ok().out
    events = [e["action"] for e in json.loads(log)]
    assert "mark.correct" in events and "period.reopen" in events
    assert events.count("period.close") == 2


def _year_end(school: School, calendar: Calendar, ids: dict, env: Path) -> None:
    calendar.go(date(2027, 5, 28), 10)
    teacher = school.people["semenov.ip"]
    with school.uow() as uow:
        for name in PUPILS_5B:
            finals.set_final_mark(uow, teacher, ids["class"], ids["math"], ids["pupils"][name], "year", "4")
    out = env / "5Б-summary.pdf"
    cli("export", "summary", "--class", "5Б", "--format", "pdf", "--out", str(out)).ok()
    text = pdf_text(out)
    assert all(name in text for name in PUPILS_5B)


def _print_q1(env: Path, tag: str, *extra: str) -> str:
    out = env / f"5Б-Q1-{tag}.pdf"
    cli("export", "register", "--class", "5Б", "--period", "Q1", "--subject", "Математика", "--format", "pdf",
        "--out", str(out), *extra).ok()
    # the print's own time stamp («Напечатано 28.05.2027 10:00») and the change log's state when
    # printed («Журнал изменений: запись № 412, контрольная сумма …») are all that differ
    text = re.sub(r"апечатано \d\d\.\d\d\.\d{4} \d\d:\d\d", "апечатано …", pdf_text(out))
    return re.sub(r"запись № \d+, контрольная сумма [0-9a-f]+", "запись № …", text)


def _rollover(calendar: Calendar, env: Path) -> None:
    calendar.go(date(2027, 6, 20), 10)
    as_person("admin7", ADMIN_PW)  # the administrator rolls the school over and imports
    cli("year", "new", "2027").ok()
    assert list((env / "backups").glob("*-safety.ejbk")), "a safety backup comes first"
    again = cli("year", "new", "2027")
    assert again.code == 1 and "2027/2028" in again.err
    years = json.loads(cli("year", "list", "--json").ok().out)
    assert [y["name"] for y in years] == ["2026/2027", "2027/2028"]
    assert [y["current"] for y in years] == [True, False]  # 2027/28 begins on 1 September


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _second_year(school: School, calendar: Calendar, ids: dict, env: Path) -> None:
    calendar.go(date(2027, 8, 26), 10)
    load = _csv(env / "load-2027.csv", ["Учитель;Класс;Предмет;Часов в неделю", "semenov.ip;6Б;Математика;5"])
    between = cli("import", "load", str(load))
    assert between.code == 1 and "--year 2027" in between.err and "2026/2027" in between.err
    cli("import", "load", str(load), "--year", "2027").ok()
    cli("import", "timetable", str(_csv(env / "tt-2027.csv", ["День;Урок;Класс;Предмет", "Среда;1;6Б;Математика",
                                                             "Четверг;2;6Б;Математика"])), "--year", "2027").ok()
    cli("import", "plan", str(_csv(env / "plan-2027.csv", ["Класс;Предмет;№;Тема урока;Вид работы",
                                                         "6Б;Математика;1;Повторение курса 5 класса;с/р"])),
        "--year", "2027").ok()
    nowhere = cli("import", "load", str(load), "--year", "2031")
    assert nowhere.code == 1 and "2031" in nowhere.err

    calendar.go(date(2027, 9, 1), 8)  # a Wednesday: the first lesson of the new year
    teacher = school.people["semenov.ip"]
    with school.uow() as uow:
        view = today.today_view(uow, teacher)
        assert [(lesson.class_name, lesson.number) for lesson in view.lessons] == [("6Б", 1)]
        refs = register.registers_for(uow, teacher)
        assert [r.class_name for r in refs] == ["6Б"] and refs[0].year == ""
        past = register.past_registers_for(uow, teacher)  # last year: reached explicitly, labelled
        assert [(r.class_name, r.year) for r in past] == [("5Б", "2026/2027"), ("10А", "2026/2027")] and "2026/2027" in past[0].title
        with pytest.raises(EjournalError):  # last year's register takes no September lesson
            lessons.open_lesson(uow, teacher, ids["load"], date(2027, 9, 1), 1)
    with school.uow() as uow:
        ref = lessons.open_lesson(uow, teacher, view.lessons[0].load_id, date(2027, 9, 1), 1)
        lessons.record_lesson(uow, teacher, ref.id, topic="Повторение курса 5 класса", homework="№ 1, 2")
        marks.add_mark(uow, teacher, ref.id, ids["pupils"]["Гришина"], "5", work_kind="oral")
    six_b = json.loads(cli("stats", "--class", "6Б", "--json").ok().out)
    assert six_b["students"] == 3 and six_b["lessons"] == 1 and six_b["marks"] == 1
    with school.uow() as uow:  # last year's final marks stay with the teacher who sets them
        finals.set_final_mark(uow, teacher, ids["class"], ids["math"], ids["pupils"]["Ершова"], "year", "5",
                              reason="исправление годовой отметки")
    last_year_lesson = date(2027, 5, 17)
    with school.uow() as uow, pytest.raises(EjournalError, match="over"):
        lessons.open_lesson(uow, teacher, ids["load"], last_year_lesson, 2, reason="поздняя запись")
