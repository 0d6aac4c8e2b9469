"""Imports that can't lose, double or take over people (issue 12): a stale sheet size, Latin
look-alike letters, Excel's "Unicode text", a two-row header, formulas without values,
impossible birth dates, and a staff row that would take over another person's login."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from tests.cli.test_export_cli import ejournal, school_db  # noqa: F401 - the fixture
from tests.factory import PASSWORD
from tests.signin import person_env

HEAD = ["Фамилия", "Имя", "Отчество", "Класс", "Дата рождения"]


def _pupils(url: str, last: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(m.Pupil.last_name, m.Pupil.first_name)
                                                   .where(m.Pupil.last_name.like(f"{last}%")))]
    finally:
        engine.dispose()


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _import(url: str, kind: str, path: Path):  # noqa: ANN202
    """The administrator imports the file (signed in with a password file beside it)."""
    return ejournal("--db", url, "import", kind, str(path), person=person_env(path.parent, "admin", PASSWORD))


def test_a_stale_sheet_size_does_not_cut_the_list_short(school_db, tmp_path: Path) -> None:  # noqa: F811
    rows = [HEAD, *[[f"Тестов{i:02d}", "Иван", "Петрович", "5А", date(2015, 1, 1 + i)] for i in range(20)]]
    path = _xlsx(tmp_path / "stale.xlsx", rows)
    stale = tmp_path / "stale-dim.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stale, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:E3"', data)
            dst.writestr(item, data)
    done = _import(school_db, "students", stale)
    assert done.returncode == 0, done.stderr
    assert len(_pupils(school_db, "Тестов")) == 20  # 2 of 20 before


def test_latin_look_alike_letters_do_not_make_a_second_pupil(school_db, tmp_path: Path) -> None:  # noqa: F811
    first = _xlsx(tmp_path / "a.xlsx", [HEAD, ["Панов", "Ярослав", "Ильич", "5А", date(2014, 5, 17)]])
    assert _import(school_db, "students", first).returncode == 0
    latin = _xlsx(tmp_path / "b.xlsx", [HEAD, ["Пaнoв", "Ярослав", "Ильич", "5А", date(2014, 5, 17)]])  # a, o Latin
    done = _import(school_db, "students", latin)
    assert done.returncode == 0, done.stderr
    engine = make_engine(school_db)
    with engine.connect() as conn:
        found = conn.execute(select(m.Pupil.last_name).where(m.Pupil.birth_date == date(2014, 5, 17))).scalars().all()
    engine.dispose()
    assert found == ["Панов"]  # one pupil, written in Cyrillic


def test_excels_unicode_text_is_read(school_db, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "unicode.txt"
    lines = ["\t".join(HEAD), "\t".join(["Юникодова", "Анна", "Сергеевна", "5А", "01.02.2015"])]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-16")
    done = _import(school_db, "students", path)
    assert done.returncode == 0, done.stderr
    assert _pupils(school_db, "Юникодова") == [("Юникодова", "Анна")]


def test_a_two_row_header_is_understood(school_db, tmp_path: Path) -> None:  # noqa: F811
    wb = Workbook()
    ws = wb.active
    ws.append(["ФИО", None, None, "Класс", "Дата рождения"])
    ws.append(["Фамилия", "Имя", "Отчество", None, None])
    ws.append(["Двухстрочная", "Мария", "Олеговна", "5А", date(2015, 7, 7)])
    ws.merge_cells("A1:C1")
    wb.save(tmp_path / "two.xlsx")
    done = _import(school_db, "students", tmp_path / "two.xlsx")
    assert done.returncode == 0, done.stderr
    assert _pupils(school_db, "Двухстрочная") == [("Двухстрочная", "Мария")]


def test_formulas_without_values_are_refused_naming_the_cells(school_db, tmp_path: Path) -> None:  # noqa: F811
    path = _xlsx(tmp_path / "f.xlsx", [HEAD, ["Формулова", "=B3", "Ивановна", "5А", date(2015, 1, 1)],
                                      ["Иванова", "Ольга", "Ивановна", "5А", date(2015, 2, 2)]])
    done = _import(school_db, "students", path)
    assert done.returncode == 1 and "B2" in done.stderr and "Traceback" not in done.stderr
    assert _pupils(school_db, "Формулова") == []


def test_impossible_birth_dates_are_refused_with_their_rows(school_db, tmp_path: Path) -> None:  # noqa: F811
    path = _xlsx(tmp_path / "birth.xlsx", [HEAD, ["Будущев", "Пётр", "", "5А", date(2030, 1, 1)],
                                          ["Старцев", "Пётр", "", "5А", date(1901, 1, 1)]])
    done = _import(school_db, "students", path)
    assert done.returncode == 1 and "row 2" in done.stderr and "row 3" in done.stderr
    assert "01.01.2030" in done.stderr and _pupils(school_db, "Будущев") == []


def test_a_staff_row_cannot_take_over_another_persons_login(school_db, tmp_path: Path) -> None:  # noqa: F811
    engine = make_engine(school_db)
    with engine.connect() as conn:
        before = conn.execute(select(m.Staff.last_name, m.Staff.roles).where(m.Staff.login == "admin")).one()
    path = _xlsx(tmp_path / "staff.xlsx", [["ФИО", "Логин", "Роли"], ["Петрова Анна Ивановна", "admin", "учитель"]])
    done = _import(school_db, "staff", path)
    assert done.returncode == 1 and "admin" in done.stderr and "Петрова" in done.stderr
    with engine.connect() as conn:
        after = conn.execute(select(m.Staff.last_name, m.Staff.roles).where(m.Staff.login == "admin")).one()
    engine.dispose()
    assert tuple(after) == tuple(before)


def test_an_import_never_changes_the_administrators_name_or_roles(school_db, tmp_path: Path) -> None:  # noqa: F811
    engine = make_engine(school_db)
    with engine.connect() as conn:
        last, first, middle, roles = conn.execute(select(m.Staff.last_name, m.Staff.first_name, m.Staff.patronymic,
                                                         m.Staff.roles).where(m.Staff.login == "admin")).one()
    path = _xlsx(tmp_path / "staff.xlsx", [["ФИО", "Логин", "Роли"], [f"{last} {first} {middle}", "admin", "учитель"]])
    done = _import(school_db, "staff", path)
    assert done.returncode == 1 and "administrator" in done.stderr
    with engine.connect() as conn:
        assert conn.execute(select(m.Staff.roles).where(m.Staff.login == "admin")).scalar_one() == roles
    engine.dispose()


def test_a_birth_date_is_of_school_age(school_db, tmp_path: Path) -> None:  # noqa: F811
    path = _xlsx(tmp_path / "age.xlsx", [HEAD, ["Малышкина", "Ева", "", "1А", date(2023, 3, 3)]])
    done = _import(school_db, "students", path)
    assert done.returncode == 1 and "03.03.2023" in done.stderr  # three years old in September
    assert _pupils(school_db, "Малышкина") == []


def test_case_yo_and_spaces_do_not_make_a_second_pupil(school_db, tmp_path: Path) -> None:  # noqa: F811
    first = _xlsx(tmp_path / "a.xlsx", [HEAD, ["Семёнов", "Артём", "Ильич", "5А", date(2014, 6, 2)]])
    assert _import(school_db, "students", first).returncode == 0
    again = _xlsx(tmp_path / "b.xlsx", [HEAD, ["  семенов ", "АРТЕМ", "Ильич", "5А", date(2014, 6, 2)]])
    done = _import(school_db, "students", again)
    assert done.returncode == 0, done.stderr
    assert len(_pupils(school_db, "Сем")) == 1


def test_a_100000_character_surname_is_refused_naming_its_row(school_db, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "long.csv"
    path.write_text("Фамилия;Имя;Отчество;Класс;Дата рождения\n"
                    "Петров;Иван;Петрович;5А;01.01.2015\n"
                    f"{'Ъ' * 100_000};Иван;Петрович;5А;01.01.2015\n", encoding="utf-8")
    done = _import(school_db, "students", path)
    assert done.returncode == 1
    assert "row 3" in done.stderr and "100000" in done.stderr and "100" in done.stderr
    assert _pupils(school_db, "Ъ") == [] and _pupils(school_db, "Петров") == []  # all or nothing
