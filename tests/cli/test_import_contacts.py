"""`ejournal import students` reads parents: names, e-mail, phones and consent, several parents
per pupil as numbered groups of columns and as «;»-separated values (by position); a bad
address rejects the file naming its row and column; the same file again changes nothing; a
file without parents' columns leaves the contacts alone; the printed register's text of
parents and phones follows the contacts."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from tests.cli.test_export_cli import school_db  # noqa: F401 - the fixture
from tests.factory import PASSWORD
from tests.signin import person_env

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
Parent = tuple[str, str, str, bool]


def ejournal(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"EJOURNAL_LANG": "en", "PATH": "/usr/bin:/bin", "HOME": "/tmp", **person_env(folder, "admin", PASSWORD)}
    return subprocess.run([sys.executable, "-m", "ejournal_tui", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def parents(url: str, last_name: str) -> list[Parent]:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            P, C = m.Pupil, m.ParentContact
            rows = s.execute(select(C.name, C.email, C.phone, C.consent).join(P, P.id == C.pupil_id)
                             .where(P.last_name == last_name).order_by(C.id))
            return [(r[0], r[1], r[2], bool(r[3])) for r in rows]
    finally:
        engine.dispose()


def paper(url: str, last_name: str) -> tuple[str, str]:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            return tuple(s.execute(select(m.Pupil.parents, m.Pupil.phone).where(m.Pupil.last_name == last_name)).one())
    finally:
        engine.dispose()


def counts(url: str) -> tuple[int, int]:
    """Parents stored, change-log events other than sign-ins."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            events = select(m.AuditEvent.id).where(~m.AuditEvent.action.startswith("auth."))  # not the sign-ins
            return len(conn.execute(select(m.ParentContact.id)).all()), len(conn.execute(events).all())
    finally:
        engine.dispose()


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_the_sample_file_brings_parents_and_a_second_import_changes_nothing(school_db, tmp_path) -> None:  # noqa: F811
    first = ejournal(tmp_path, "--db", school_db, "import", "students", str(SAMPLES / "students.xlsx"))
    assert first.returncode == 0, first.stderr
    assert parents(school_db, "Алексеева") == [
        ("Алексеева Ольга Петровна", "alekseeva.o@example.org", "+7 912 000-11-01", True),
        ("Алексеев Игорь Олегович", "alekseev.i@example.org", "+7 912 000-21-01", False)]
    assert parents(school_db, "Белов") == [("Белов Сергей Иванович", "belov.s@example.org", "+7 912 000-11-02", True)]
    assert parents(school_db, "Васильев") == [("Васильева Мария Олеговна", "", "", False)]
    assert parents(school_db, "Гришина")[0][1:] == ("grishin.v@example.org", "+7 912 000-11-04", True)
    assert parents(school_db, "Дёмин")[0][3] is False  # an address without consent: paper
    assert paper(school_db, "Алексеева") == ("Алексеева Ольга Петровна; Алексеев Игорь Олегович",
                                             "+7 912 000-11-01; +7 912 000-21-01")
    before = counts(school_db)
    again = ejournal(tmp_path, "--db", school_db, "import", "students", str(SAMPLES / "students.xlsx"))
    assert again.returncode == 0, again.stderr
    assert "added 0, updated 0, unchanged 8" in again.stdout
    assert counts(school_db) == before


def test_numbered_groups_and_semicolons_in_a_csv(school_db, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "pupils.csv"
    rows = [["ФИО", "Класс", "Родитель 1", "E-mail родителя 1", "Телефон 1", "Согласие 1", "Родитель 2",
             "E-mail родителя 2", "Согласие 2"],
            ["Яковлев Ян", "5А", "Яковлева Яна", "yana@example.org", "89001112233", "да", "Яковлев Олег",
             "oleg@example.org", "0"],
            ["Юдина Юлия", "5А", "Юдина Ольга", " Olga@Школа.РФ ", "", "1", "", "", ""],
            ["Щукин Щука", "5А", "Щукина Анна; Щукин Борис", "a@example.org; b@example.org", "", "да; нет",
             "Щукина Вера", "", ""]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    done = ejournal(tmp_path, "--db", school_db, "import", "students", str(path))
    assert done.returncode == 0, done.stderr
    assert parents(school_db, "Яковлев") == [("Яковлева Яна", "yana@example.org", "+7 900 111-22-33", True),
                                             ("Яковлев Олег", "oleg@example.org", "", False)]
    assert parents(school_db, "Юдина") == [("Юдина Ольга", "olga@школа.рф", "", True)]
    assert parents(school_db, "Щукин") == [("Щукина Анна", "a@example.org", "", True),
                                           ("Щукин Борис", "b@example.org", "", False),
                                           ("Щукина Вера", "", "", False)]
    assert paper(school_db, "Щукин") == ("Щукина Анна; Щукин Борис; Щукина Вера", "")


def test_a_bad_address_rejects_the_file_naming_row_and_column(school_db, tmp_path) -> None:  # noqa: F811
    path = xlsx(tmp_path / "bad.xlsx", [
        ["Фамилия", "Имя", "Класс", "Родитель", "E-mail родителя", "Родитель 2", "E-mail родителя 2", "Согласие 2"],
        ["Яковлев", "Ян", "5А", "Яковлева Яна", "yana@example.org", "", "", ""],
        ["Юдина", "Юлия", "5А", "Юдина Ольга", "olga@example", "", "", ""],
        ["Щукин", "Щука", "5А", "", "", "Щукина Анна", "anna example.org", ""],
        ["Зотов", "Захар", "5А", "", "", "Зотова Зоя", "", "да"],
    ])
    before = counts(school_db)
    done = ejournal(tmp_path, "--db", school_db, "import", "students", str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("bad.xlsx: row 3: 'E-mail родителя': address 'olga@example'"), lines
    assert lines[1].startswith("bad.xlsx: row 4: 'E-mail родителя 2': address 'anna example.org'"), lines
    assert lines[2].startswith("bad.xlsx: row 5: 'Согласие 2': consent to e-mail without an address"), lines
    assert "nothing was imported" in lines[-1]
    assert counts(school_db) == before and parents(school_db, "Яковлев") == []


def test_a_file_without_parents_columns_leaves_the_contacts_alone(school_db, tmp_path) -> None:  # noqa: F811
    with_parents = xlsx(tmp_path / "a.xlsx", [["ФИО", "Класс", "Дата рождения", "Родитель", "E-mail родителя",
                                               "Согласие на электронную рассылку"],
                                              ["Яковлев Ян", "5А", date(2015, 1, 2), "Яковлева Яна", "y@example.org",
                                               "да"]])
    assert ejournal(tmp_path, "--db", school_db, "import", "students", str(with_parents)).returncode == 0
    without = xlsx(tmp_path / "b.xlsx", [["ФИО", "Класс", "Дата рождения", "Телефон"],
                                         ["Яковлев Ян", "5А", date(2015, 1, 2), "+7 900 000-00-00"]])
    done = ejournal(tmp_path, "--db", school_db, "import", "students", str(without))
    assert done.returncode == 0, done.stderr
    assert parents(school_db, "Яковлев") == [("Яковлева Яна", "y@example.org", "", True)]
    # a changed file replaces the family: the second parent goes, the first one's consent too
    changed = xlsx(tmp_path / "c.xlsx", [["ФИО", "Класс", "Дата рождения", "Родитель", "E-mail родителя",
                                          "Согласие на электронную рассылку"],
                                         ["Яковлев Ян", "5А", date(2015, 1, 2), "Яковлева Яна", "y@example.org", "нет"]])
    done = ejournal(tmp_path, "--db", school_db, "import", "students", str(changed))
    assert done.returncode == 0 and "updated 1" in done.stdout, done.stdout
    assert parents(school_db, "Яковлев") == [("Яковлева Яна", "y@example.org", "", False)]
