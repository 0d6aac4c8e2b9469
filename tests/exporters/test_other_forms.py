"""Summary sheet, report cards and spreadsheets read back."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.services.exports import export_register, export_report_cards, export_summary
from tests.exporters.helpers import Q2_DAYS, fill_lessons, flat, pdf_pages


def _finals(school) -> None:  # noqa: ANN001
    with Session(school.db.engine) as s:
        for kind, code, value in (("period", "Q1", "5"), ("period", "Q2", "4"), ("year", "", "5")):
            s.add(m.FinalMark(school_id=school.school_id, year_id=school.year_id, class_id=school.classes["5А"],
                              pupil_id=school.pupils["Алексеев"], subject_id=school.subjects["Русский язык"],
                              kind=kind, period_code=code, value=value, entered_by=school.staff["ivanova"]))
        s.commit()


def test_summary_sheet_pdf_and_xlsx(school, tmp_path) -> None:
    _finals(school)
    fill_lessons(school, Q2_DAYS)
    pdf = export_summary(school.db, school.actors["secretary"], "5А", "pdf", tmp_path / "s.pdf")
    text = flat(" ".join(pdf_pages(pdf.path)))
    assert "Сводная ведомость" in text and "Алексеев Антон" in text and "Дмитриев Денис" in text
    assert "Русский язык" in text and "Директор" in text
    xlsx = export_summary(school.db, school.actors["secretary"], "5А", "xlsx", tmp_path / "s.xlsx")
    ws = load_workbook(xlsx.path).active
    top = next(c.row for row in ws.iter_rows() for c in row if c.value == "№")
    assert ws.freeze_panes == f"C{top + 2}"
    header = [c.value for c in ws[top + 1]]
    assert header[2:9] == ["I", "II", "III", "IV", "Год", "Экз", "Итог"]
    row = next(r for r in ws.iter_rows(min_row=top + 2, values_only=True) if r[1] == "Алексеев Антон")
    assert row[2:7] == (5, 4, None, None, 5)
    volkov = next(r for r in ws.iter_rows(min_row=top + 2, values_only=True) if r[1] == "Волков Виктор")
    assert volkov[-3] == len(Q2_DAYS)  # lessons missed, all for illness
    assert volkov[-2] == len(Q2_DAYS)


def test_report_cards_one_page_per_pupil(school, tmp_path) -> None:
    fill_lessons(school, Q2_DAYS)
    result = export_report_cards(school.db, school.actors["ivanova"], "5А", 2, tmp_path / "cards.pdf")
    pages = pdf_pages(result.path)
    names = ["Алексеев Антон", "Борисова Бэлла", "Волков Виктор", "Григорьева Галина", "Дмитриев Денис"]
    assert len(pages) == result.pages == len(names)  # Егоров left in October
    for name, page in zip(names, pages, strict=True):
        assert name in flat(page)
    first = flat(pages[0])
    assert "20.11 5 уст" in first and "5,00" in first
    assert "Пропущено уроков: 0" in first
    assert f"Пропущено уроков: {len(Q2_DAYS)} (по болезни {len(Q2_DAYS)}" in flat(pages[2])


def test_register_xlsx_sheets_per_subject(school, tmp_path) -> None:
    fill_lessons(school, Q2_DAYS)
    result = export_register(school.db, school.actors["deputy"], "5А", "Q2", "xlsx", tmp_path / "r.xlsx")
    wb = load_workbook(result.path)
    assert result.pages == len(wb.sheetnames) == 6  # marks and lessons of three subjects
    ws = wb["Русский язык"]
    top = next(c.row for row in ws.iter_rows() for c in row if c.value == "№")
    assert ws.freeze_panes == f"C{top + 2}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["B"].width >= 16
    assert ws.cell(top, 3).value == "ноябрь" and ws.cell(top + 1, 3).value == "09"
    rows = {r[1]: r for r in ws.iter_rows(min_row=top + 2, max_row=top + 7, values_only=True)}
    assert rows["Алексеев Антон"][2] == 5 and rows["Волков Виктор"][2] == "н"
    assert rows["Григорьева Галина"][2] == "оп"
    assert "ЧЕРНОВИК" in ws.cell(3, 1).value


def test_control_tables_xlsx() -> None:
    from io import BytesIO

    from ejournal_tui.exporters.control_tables import Document, Sheet
    from ejournal_tui.exporters.control_xlsx import document_xlsx

    doc = Document("Контроль ведения журнала", "Школа № 1 · 2026/2027",
                   (Sheet("Ведение журнала", "Контроль ведения журнала", ("Учитель", "Уроков"),
                          (("Иванова А. П.", 12),)),))
    data, sheets = document_xlsx(doc)
    ws = load_workbook(BytesIO(data)).active
    assert sheets == 1 and ws.title == "Ведение журнала" and ws.freeze_panes == "B4"
    assert [c.value for c in ws[4]] == ["Иванова А. П.", 12]
