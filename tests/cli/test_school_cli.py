"""`ejournal school …` on an empty database, as a sysadmin runs it: a school made from nothing
with its reference data, refusals that change nothing, a district database with two schools,
reference data edited, and what a new school's imports then accept."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import ReasonRequired
from ejournal_tui.services import lessons
from tests.acceptance.runner import Calendar, School, cli
from tests.signin import person_env

PW = "Пароль-админа-2026"


@pytest.fixture
def calendar(monkeypatch: pytest.MonkeyPatch) -> Calendar:
    cal = Calendar(monkeypatch)
    cal.go(date(2026, 12, 3), 10)  # a school that starts in December
    return cal


@pytest.fixture
def empty(fresh_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # the first administrator runs every person's command once the school exists (CLI.md, "who acts")
    for name, value in person_env(tmp_path, "ivanov", PW).items():
        monkeypatch.setenv(name, value)
    return fresh_db


def create(code: str = "sch12", password: str = PW, *extra: str):  # noqa: ANN201
    return cli("school", "create", "--code", code, "--name", "МБОУ СОШ № 12", "--city", "Тверь", "--admin", "ivanov",
               "--admin-name", "Иванов Пётр Сергеевич", "--password-stdin", *extra, stdin=password + "\n")


def test_an_empty_database_says_how_to_begin(empty: str, calendar: Calendar) -> None:
    out = cli("users", "list")
    assert out.code == 1 and "school create" in out.err and "demo" in out.err


def test_create_makes_everything_a_school_needs(empty: str, calendar: Calendar) -> None:
    created = create().ok()
    assert "2026/2027" in created.out and "ivanov" in created.out
    details = json.loads(cli("school", "show", "--json").ok().out)
    assert details["code"] == "sch12" and details["current_year"] == "2026/2027" and not details["is_demo"]
    assert details["kinds"] >= 14 and details["reasons"] == 4 and details["bells"] >= 6 and details["accounts"] == 1
    names = {k["name"] for k in json.loads(cli("school", "kinds", "--json").ok().out)}
    for wanted in ("Устный ответ", "Письменная работа", "Самостоятельная работа", "Контрольная работа",
                   "Проверочная работа", "Диктант", "Сочинение", "Изложение", "Лабораторная работа",
                   "Практическая работа", "Тест", "Зачёт", "Проект", "Домашняя работа"):
        assert wanted in names
    assert [line.split()[0] for line in cli("school", "reasons").ok().out.splitlines()] == ["Б", "У", "Н", "О"]
    periods = json.loads(cli("period", "list", "--json").ok().out)
    assert {p["code"] for p in periods} == {"Q1", "Q2", "Q3", "Q4", "H1", "H2", "Y"}
    log = json.loads(cli("audit", "log", "--json").ok().out)
    assert {"school.create", "account.add"} <= {e["action"] for e in log}
    school = School(empty)
    try:
        admin = school.sign_in("ivanov", PW)  # the administrator signs in with the chosen password
        assert admin.has("admin")
    finally:
        school.close()


@pytest.mark.parametrize(("code", "password", "why"), [
    ("sch12", "short", "8 characters"),
    ("школа 12", PW, "Latin"),
    ("x", PW, "Latin"),
])
def test_a_refused_create_leaves_the_database_empty(empty: str, calendar: Calendar, code: str, password: str,
                                                    why: str) -> None:
    out = create(code, password)
    assert out.code == 1 and why in out.err and "Traceback" not in out.err
    assert "empty" in cli("school", "show").err  # nothing was left behind


def test_the_same_code_twice_is_refused_and_a_district_holds_two(empty: str, calendar: Calendar) -> None:
    create().ok()
    again = create()
    assert again.code == 1 and "sch12" in again.err
    create("sch13").ok()  # a district's database: one more school
    several = cli("school", "show")
    assert several.code == 1 and "sch12" in several.err and "sch13" in several.err
    assert "sch13" in cli("--school", "sch13", "school", "show").ok().out


def test_reference_data_is_edited_with_clear_refusals(empty: str, calendar: Calendar) -> None:
    create().ok()
    cli("school", "kind", "cut", "--name", "Срез знаний", "--short", "срез", "--weight", "2", "--category",
        "written").ok()
    kinds = {k["code"]: k for k in json.loads(cli("school", "kinds", "--json").ok().out)}
    assert kinds["cut"]["short"] == "срез" and kinds["cut"]["weight"] == 2
    for args, why in ((["independent", "--short", "к/р"], "Контрольная работа"),
                      (["cut", "--weight", "0"], "above 0"),
                      (["cut", "--category", "устная"], "oral or written"),
                      (["к/р", "--name", "Другая"], "Контрольная работа")):
        out = cli("school", "kind", *args)
        assert out.code == 1 and why in out.err, out.err
    assert json.loads(cli("school", "kinds", "--json").ok().out) == list(kinds.values())  # nothing changed
    cli("school", "reason", "У", "--name", "по заявлению родителей").ok()
    assert "У  по заявлению родителей" in cli("school", "reasons").ok().out
    assert cli("school", "reason", "X", "--name", "x").code == 1
    cli("school", "bell", "1", "--start", "08:00", "--end", "08:40").ok()
    assert "1. 08:00–08:40" in cli("school", "bells").ok().out
    cli("school", "edit", "--director", "Смирнова Ольга Викторовна").ok()
    assert "Смирнова" in cli("school", "show").ok().out


def test_a_school_starting_in_december_enters_september_late(empty: str, calendar: Calendar, tmp_path: Path) -> None:
    """Pupils belong to their class from the year's first day unless the file says when they
    joined; September's lessons can be entered, late, with a reason."""
    create().ok()
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("ФИО;Класс;Дата зачисления\nАндреев Павел Ильич;5А;\nБорисова Вера Юрьевна;5А;16.11.2026\n"
                      "Волков Олег Петрович;5А;01.07.2026\n", encoding="utf-8")
    refused = cli("import", "students", str(pupils))
    assert refused.code == 1 and "row 4" in refused.err and "outside the academic year" in refused.err
    pupils.write_text(pupils.read_text(encoding="utf-8").replace("01.07.2026", ""), encoding="utf-8")
    cli("import", "students", str(pupils)).ok()
    (tmp_path / "staff.csv").write_text("ФИО;Логин;Роли\nПетрова Анна Ивановна;petrova;учитель\n", encoding="utf-8")
    cli("import", "staff", str(tmp_path / "staff.csv")).ok()
    (tmp_path / "load.csv").write_text("Учитель;Класс;Предмет;Часов\npetrova;5А;Математика;5\n", encoding="utf-8")
    cli("import", "load", str(tmp_path / "load.csv")).ok()
    (tmp_path / "plan.csv").write_text("Класс;Предмет;№;Тема;Вид работы\n5А;Математика;1;Числа;к/р\n"
                                       "5А;Математика;2;Дроби;Контрольная работа\n", encoding="utf-8")
    cli("import", "plan", str(tmp_path / "plan.csv")).ok()  # kinds by short name or name
    cli("users", "passwd", "petrova", "--password-stdin", stdin="first-pass-2026\n").ok()
    school = School(empty)
    try:
        teacher = school.sign_in("petrova", "first-pass-2026")
        with school.uow() as uow:
            load_id = uow.session.scalars(select(m.TeachingLoad.id)).one()
            starts = dict(uow.session.execute(select(m.Pupil.last_name, m.Membership.start)
                                              .join(m.Membership, m.Membership.pupil_id == m.Pupil.id)).all())
            kinds = set(uow.session.scalars(select(m.PlanItem.work_kind)))
        assert starts == {"Андреев": date(2026, 9, 1), "Борисова": date(2026, 11, 16), "Волков": date(2026, 9, 1)}
        assert kinds == {"control"}
        with school.uow() as uow, pytest.raises(ReasonRequired):
            lessons.open_lesson(uow, teacher, load_id, date(2026, 9, 7), 1)
        with school.uow() as uow:
            ref = lessons.open_lesson(uow, teacher, load_id, date(2026, 9, 7), 1, reason="школа начала вести журнал")
            assert uow.session.get(m.Lesson, ref.id).late_entry
    finally:
        school.close()
