"""Cell text is never read as a formula (issue 14, item 8): a pupil imported with a name like
`=HYPERLINK("http://x","y")` is written as text, shown as typed, by every spreadsheet writer;
numbers stay numbers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ejournal_tui.services.exports import export_register, export_summary
from ejournal_tui.services.imports import import_file
from tests.exporters.helpers import Q1_DAYS, fill_lessons

EVIL = '=HYPERLINK("http://x","y")'


def _import_pupil(school, tmp_path: Path) -> None:  # noqa: ANN001
    from openpyxl import Workbook

    wb = Workbook()
    for row in (["Фамилия", "Имя", "Класс", "Дата рождения"], [EVIL, "Ян", "5А", "05.05.2015"]):
        wb.active.append(row)
    wb.active["A2"].data_type = "s"  # a text cell in the school's file, as a secretary typed it
    wb.save(tmp_path / "pupils.xlsx")
    assert import_file(school.db, school.actors["admin"], "students", tmp_path / "pupils.xlsx").created == 1


def _cells(path: Path) -> list:
    wb = load_workbook(path)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def test_register_and_summary_store_the_name_as_text(school, tmp_path) -> None:  # noqa: ANN001
    _import_pupil(school, tmp_path)
    fill_lessons(school, Q1_DAYS)
    register = export_register(school.db, school.actors["deputy"], "5А", "Q1", "xlsx", tmp_path / "r.xlsx")
    summary = export_summary(school.db, school.actors["deputy"], "5А", "xlsx", tmp_path / "s.xlsx")
    for result in (register, summary):
        cells = _cells(result.path)
        named = [c for c in cells if isinstance(c.value, str) and EVIL in c.value]
        assert named, result.kind
        assert all(c.data_type == "s" and c.value.startswith(EVIL) for c in named)
        assert not [c for c in cells if c.data_type == "f"]
    marks = [c for c in _cells(register.path) if c.value in (4, 5)]
    assert marks and all(c.data_type == "n" for c in marks)  # marks stay numbers


@pytest.mark.parametrize(("value", "kind"), [("+7 999", "s"), ("-", "s"), ("@x", "s"), ("=1+1", "s"),
                                             (-3, "n"), (4, "n"), ("5", "s")])
def test_put_escapes_only_text(value: object, kind: str) -> None:
    from ejournal_tui.exporters.xlsx import new_workbook, put, save

    wb = new_workbook()
    ws = wb.create_sheet("x")
    put(ws, 1, 1, value)
    cell = load_workbook(io.BytesIO(save(wb))).active.cell(1, 1)
    assert (cell.value, cell.data_type) == (value, kind)
