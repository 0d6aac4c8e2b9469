"""Group (subgroup) columns of the pupils' file, on each backend: groups created under the
pupil's class with memberships from the day the pupil joined the class, a pupil moved to the
other group leaving the old one the day before (history kept), a pupil moved to another class
leaving its groups, bad cells rejecting the whole file, a second import changing nothing, and
the imported groups' registers listing exactly their pupils.

The test school (tests/factory.py): 5А has Алексеев, Борисова, Волков in «Англ. гр. 1»
(load eng5) since 2026-09-01; the clock stands at 2026-11-20."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.demo.rows import TABLES
from ejournal_tui.services.imports import ImportRejected, import_file
from ejournal_tui.services.register import open_register
from tests.conftest import count_rows

HEADER = ["ФИО", "Класс", "Дата рождения", "Группа (англ. яз.)", "Подгруппа технология"]
SPLIT = [  # the whole of 5А (Егоров left in October) and one pupil of 10А, which is not split
    ["Алексеев Антон", "5А", "05.05.2015", "Англ. гр. 1", "мальчики"],
    ["Борисова  Бэлла", "5а", "05.05.2015", "англ.  гр. 1", "девочки"],
    ["Волков Виктор", "5А", "05.05.2015", "Англ. гр. 1", "мальчики"],
    ["Григорьева Галина", "5 А", "05.05.2015", "Англ. гр. 2", "девочки"],
    ["Дмитриев Денис", "5А", "05.05.2015", "Англ. гр. 2", "мальчики"],
    ["Ильин Игорь", "10А", "05.05.2015", "", ""],
]


def counts(engine) -> dict[str, int]:  # noqa: ANN001
    return {mdl.__table__.name: count_rows(engine, mdl) for mdl in [*TABLES, m.AuditEvent]}


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    wb.active.append(["Деление 5А на группы"])  # a title above the header, as schools send it
    wb.active.append([])
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def cp1251_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="cp1251", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


def members(school) -> dict[str, list[tuple[str, date, date | None]]]:  # noqa: ANN001
    """Group name -> (pupil, start, end) of every membership, history included."""
    G, SG, P = m.GroupMember, m.StudyGroup, m.Pupil
    found: dict[str, list[tuple[str, date, date | None]]] = {}
    with school.uow() as uow:
        rows = uow.session.execute(select(SG.name, P.last_name, G.start, G.end).join(G, G.group_id == SG.id)
                                   .join(P, P.id == G.pupil_id).order_by(SG.name, P.last_name, G.start))
        for group, last, start, end in rows:
            found.setdefault(group, []).append((last, start, end))
    return found


def register_pupils(school, load_id: int, period: str) -> list[tuple[str, date | None]]:  # noqa: ANN001
    with school.uow() as uow:
        reg = open_register(uow, school.actors["admin"], load_id, period)
        return [(p.name.split()[0], p.end) for p in reg.pupils]


def group_load(school, group: str) -> int:  # noqa: ANN001
    with school.uow() as uow:
        return uow.session.scalars(select(m.TeachingLoad.id).join(m.StudyGroup, m.StudyGroup.id == m.TeachingLoad.group_id)
                                   .where(m.StudyGroup.name == group)).one()


def test_xlsx_creates_groups_from_class_start_and_twice_changes_nothing(school, engine, tmp_path) -> None:
    path = xlsx(tmp_path / "groups.xlsx", [HEADER, *SPLIT])
    report = import_file(school.db, school.actors["admin"], "students", path)
    assert (report.created, report.updated, report.unchanged) == (0, 5, 1)
    assert sorted(report.notes) == ["+ 5А / Англ. гр. 2", "+ 5А / девочки", "+ 5А / мальчики"]
    sept = date(2026, 9, 1)
    groups = members(school)
    assert groups["Англ. гр. 1"] == [("Алексеев", sept, None), ("Борисова", sept, None), ("Волков", sept, None)]
    assert groups["Англ. гр. 2"] == [("Григорьева", sept, None), ("Дмитриев", sept, None)]
    assert [g[0] for g in groups["мальчики"]] == ["Алексеев", "Волков", "Дмитриев"]
    assert [g[0] for g in groups["девочки"]] == ["Борисова", "Григорьева"]
    before = counts(engine)
    again = import_file(school.db, school.actors["admin"], "students", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6) and again.notes == []
    assert counts(engine) == before


def test_registers_of_imported_groups_list_exactly_their_pupils(school, tmp_path) -> None:
    import_file(school.db, school.actors["admin"], "students", xlsx(tmp_path / "groups.xlsx", [HEADER, *SPLIT]))
    load = xlsx(tmp_path / "load.xlsx", [["Учитель", "Класс", "Предмет", "Группа", "Часов в неделю"],
                                         ["smirnova", "5А", "Иностранный язык (английский)", "англ. гр. 2", 1]])
    report = import_file(school.db, school.actors["admin"], "load", load)
    assert report.created == 1
    with school.uow() as uow:  # the load found the imported group rather than making another
        assert len(uow.session.scalars(select(m.StudyGroup).where(m.StudyGroup.name.like("%гр. 2"))).all()) == 1
    assert register_pupils(school, group_load(school, "Англ. гр. 1"), "Q1") == [
        ("Алексеев", None), ("Борисова", None), ("Волков", None)]
    assert register_pupils(school, group_load(school, "Англ. гр. 2"), "Q1") == [
        ("Григорьева", None), ("Дмитриев", None)]


def test_csv_moves_a_pupil_to_the_other_group_keeping_history(school, engine, tmp_path) -> None:
    moved = [row[:] for row in SPLIT]
    moved[2][3] = "Англ. гр. 2"  # Волков
    path = cp1251_csv(tmp_path / "groups.csv", [["Фамилия", "Имя", "Отчество", "Класс", "Дата рождения",
                                                 "Группа англ."],
                                                *([*row[0].split(), "", *row[1:4]] for row in moved)])
    report = import_file(school.db, school.actors["admin"], "students", path)
    assert (report.created, report.updated) == (0, 3)  # Волков moved; Григорьева and Дмитриев joined
    groups = members(school)
    assert ("Волков", date(2026, 9, 1), date(2026, 11, 19)) in groups["Англ. гр. 1"]
    assert ("Волков", date(2026, 11, 20), None) in groups["Англ. гр. 2"]
    # the old group's register still holds him, up to his last day in it
    assert register_pupils(school, group_load(school, "Англ. гр. 1"), "Q2") == [
        ("Алексеев", None), ("Борисова", None), ("Волков", date(2026, 11, 19))]
    before = counts(engine)
    again = import_file(school.db, school.actors["admin"], "students", path)
    assert again.updated == 0 and counts(engine) == before


def test_a_one_row_file_moves_a_pupil_between_groups_the_load_teaches_one_subject(school, tmp_path) -> None:
    import_file(school.db, school.actors["admin"], "students", xlsx(tmp_path / "groups.xlsx", [HEADER, *SPLIT]))
    import_file(school.db, school.actors["admin"], "load", xlsx(tmp_path / "load.xlsx", [
        ["Учитель", "Класс", "Предмет", "Группа", "Часов в неделю"],
        ["smirnova", "5А", "Иностранный язык (английский)", "Англ. гр. 2", 1]]))
    one = xlsx(tmp_path / "one.xlsx", [["ФИО", "Класс", "Дата рождения", "Группа"],
                                       ["Алексеев Антон", "5А", "05.05.2015", "Англ. гр. 2"]])
    report = import_file(school.db, school.actors["admin"], "students", one)
    assert report.updated == 1
    groups = members(school)
    assert ("Алексеев", date(2026, 9, 1), date(2026, 11, 19)) in groups["Англ. гр. 1"]
    assert ("Алексеев", date(2026, 11, 20), None) in groups["Англ. гр. 2"]
    assert [g[0] for g in groups["мальчики"]].count("Алексеев") == 1  # other splits untouched


def test_a_dash_takes_the_pupil_out_of_the_split(school, tmp_path) -> None:
    rows = [row[:4] for row in SPLIT[:5]]
    rows[0][3] = "—"  # Алексеев learns no English at school any more
    import_file(school.db, school.actors["admin"], "students", xlsx(tmp_path / "g.xlsx", [HEADER[:4], *rows]))
    assert ("Алексеев", date(2026, 9, 1), date(2026, 11, 19)) in members(school)["Англ. гр. 1"]


def test_a_pupil_moved_to_another_class_leaves_the_old_class_groups(school, tmp_path) -> None:
    path = xlsx(tmp_path / "move.xlsx", [["ФИО", "Класс", "Дата рождения"],
                                         ["Волков Виктор", "10А", "05.05.2015"]])
    import_file(school.db, school.actors["admin"], "students", path)
    assert ("Волков", date(2026, 9, 1), date(2026, 11, 19)) in members(school)["Англ. гр. 1"]
    assert "Волков" not in [p[0] for p in register_pupils(school, group_load(school, "Англ. гр. 1"), "Q3")]


def test_dry_run_changes_nothing(school, engine, tmp_path) -> None:
    before = counts(engine)
    report = import_file(school.db, school.actors["admin"], "students",
                         xlsx(tmp_path / "groups.xlsx", [HEADER, *SPLIT]), dry_run=True)
    assert report.updated == 5 and report.dry_run
    assert counts(engine) == before


def test_bad_group_cells_are_reported_by_row_and_nothing_changes(school, engine, tmp_path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        HEADER,                                                                        # row 3
        ["Алексеев Антон", "5А", "05.05.2015", "Англ. гр. 1", "мальчики"],             # fine
        ["Борисова Бэлла", "5Ы1", "05.05.2015", "Англ. гр. 1", "девочки"],             # 5: no such class
        ["Волков Виктор", "5А", "05.05.2015", "...", "мальчики"],                      # 6: empty name
        ["Григорьева Галина", "5А", "05.05.2015", "", "девочки"],                      # 7: no group
        ["Дмитриев Денис", "5А", "05.05.2015", "Англ. гр. 2, мальчики", "мальчики"],   # 8: two in a cell
        ["Новикова Нина", "5А", "01.01.2015", "девочки", "девочки"],                   # 9: group in two columns
    ])
    before = counts(engine)
    with pytest.raises(ImportRejected) as err:
        import_file(school.db, school.actors["admin"], "students", path)
    problems = {p.row: p.reason for p in err.value.problems}
    assert sorted(problems) == [5, 6, 7, 8, 9]
    assert "5Ы1" in problems[5]
    assert "empty group name" in problems[6] and "Группа (англ. яз.)" in problems[6]
    assert "no group in column 'Группа (англ. яз.)'" in problems[7] and "5А" in problems[7]
    assert "one group per cell" in problems[8]
    assert "already named in column 'Подгруппа технология' (row 7)" in problems[9]
    assert counts(engine) == before


def test_sample_file_groups_are_the_ones_the_sample_load_teaches(school, tmp_path) -> None:
    samples = Path(__file__).resolve().parents[2] / "data" / "samples"
    for kind, name in (("students", "students.xlsx"), ("staff", "staff.csv"), ("load", "load.xlsx")):
        import_file(school.db, school.actors["admin"], kind, samples / name)
    groups = members(school)
    assert sorted(g[0] for g in groups["Инф. гр. 1"]) == ["Гришина", "Ершова"]
    assert register_pupils(school, group_load(school, "Инф. гр. 1"), "Q2") == [("Гришина", None), ("Ершова", None)]
    assert sorted(g[0] for g in groups["англ-1"]) == ["Алексеева", "Васильев", "Жукова"]  # 5А's and 10А's
