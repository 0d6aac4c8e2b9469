"""Imports through the service on each backend: the sample files in order, twice (the
second time changes nothing), bad files rejected whole with every bad row named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.demo.rows import TABLES
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.services.imports import ImportRejected, import_file
from tests.conftest import count_rows

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
FLOW = [("students", "students.xlsx"), ("staff", "staff.csv"), ("load", "load.xlsx"),
        ("timetable", "timetable.xlsx"), ("plan", "plan.xlsx")]


def counts(engine) -> dict[str, int]:  # noqa: ANN001
    return {mdl.__table__.name: count_rows(engine, mdl) for mdl in [*TABLES, m.AuditEvent]}


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_start_of_year_flow_then_again_changes_nothing(school, engine) -> None:
    actor = school.actors["admin"]
    for kind, name in FLOW:
        report = import_file(school.db, actor, kind, SAMPLES / name)
        assert report.created > 0, kind
    with school.uow() as uow:
        pupil = uow.session.scalars(select(m.Pupil).where(m.Pupil.last_name == "Дёмин")).one()
        assert str(pupil.birth_date) == "2015-06-21" and pupil.personal_file_no == "Д-1005"
        orlova = uow.session.scalars(select(m.Staff).where(m.Staff.login == "orlova")).one()
        klass = uow.session.scalars(select(m.SchoolClass).where(m.SchoolClass.name == "5Б")).one()
        assert klass.leader_id == orlova.id and "class_leader" in orlova.roles
        assert uow.session.scalars(select(m.Staff.login).where(m.Staff.last_name == "Семёнов")).one() == "semenov.ip"
    before = counts(engine)
    for kind, name in FLOW:
        report = import_file(school.db, actor, kind, SAMPLES / name)
        assert report.created == report.updated == 0 and report.unchanged == report.rows, kind
    assert counts(engine) == before


def test_dry_run_writes_nothing(school, engine) -> None:
    before = counts(engine)
    report = import_file(school.db, school.actors["admin"], "students", SAMPLES / "students.xlsx", dry_run=True)
    assert report.created == 8
    assert counts(engine) == before


def test_bad_rows_reject_the_whole_file(school, engine, tmp_path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        ["Ученики 5А"], [],
        ["ФИО", "Класс", "Дата рождения"],
        ["Новиков  Никита  Петрович", "5А", "01.02.2015"],
        ["Орлова", "5А", "01.02.2015"],
        ["Павлов Павел", "5Ы1", "2015-01-01"],
        ["Руденко Роман", "5А", "31.02.2015"],
    ])
    before = counts(engine)
    with pytest.raises(ImportRejected) as err:
        import_file(school.db, school.actors["admin"], "students", path)
    assert [p.row for p in err.value.problems] == [5, 6, 7]
    reasons = [p.reason for p in err.value.problems]
    assert "no last and first name" in reasons[0] and "5Ы1" in reasons[1] and "31.02.2015" in reasons[2]
    assert "3 bad row(s)" in str(err.value)
    assert counts(engine) == before


def test_csv_in_windows_1251_with_three_name_columns_and_yo(school, tmp_path) -> None:
    path = tmp_path / "pupils.csv"
    with path.open("w", encoding="cp1251", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerows([["Фамилия", "Имя", "Отчество", "Класс", "Дата рождения"],
                          ["Алексеев", "Антон", "", "5А", "05.05.2015"],
                          ["Семёнова ", "Алёна", "Ивановна", "5а", "2015-03-03"]])
    report = import_file(school.db, school.actors["admin"], "students", path)
    assert (report.created, report.unchanged) == (1, 1)  # Алексеев Антон is already in 5А


def test_load_names_unknown_teacher_and_class(school, engine, tmp_path) -> None:
    path = xlsx(tmp_path / "load.xlsx", [["Учитель", "Класс", "Предмет", "Часов в неделю"],
                                         ["Никто Никтович", "5А", "Музыка", 1],
                                         ["petrov", "9Я", "Музыка", 1],
                                         ["petrov", "5А", "Музыка", "много"]])
    before = counts(engine)
    with pytest.raises(ImportRejected) as err:
        import_file(school.db, school.actors["admin"], "load", path)
    assert [p.row for p in err.value.problems] == [2, 3, 4]
    assert counts(engine) == before


def test_unreadable_files_and_permissions(school, tmp_path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(InvalidInput, match="cannot be read"):
        import_file(school.db, school.actors["admin"], "students", junk)
    with pytest.raises(InvalidInput, match="no header row"):
        import_file(school.db, school.actors["admin"], "students", xlsx(tmp_path / "h.xlsx", [["a", "b"], [1, 2]]))
    with pytest.raises(InvalidInput, match="not found"):
        import_file(school.db, school.actors["admin"], "students", tmp_path / "missing.csv")
    with pytest.raises(NotAllowed):
        import_file(school.db, school.actors["petrov"], "students", SAMPLES / "students.xlsx")
