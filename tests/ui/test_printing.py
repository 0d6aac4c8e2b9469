"""Printing from the TUI (F6), driven as a person does it: the register, the summary sheet,
parents' reports and the class leader's report come out of the same export services as the
CLI, into the folder typed, are refused with a message when not allowed or when the file is
there already, are recorded in the change log, and open in the system's viewer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from ejournal_tui.tui.screens import printing
from tests.ui.harness import SMALL, demo_database, screen_text, settle, signed_in_app


@pytest.fixture(autouse=True)
def russian() -> None:
    set_language("ru")


async def press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def open_printing(pilot: Any) -> Any:
    await press(pilot, "f6")
    screen = pilot.app.screen
    assert type(screen).__name__ == "PrintScreen"
    assert screen.focused.id == "what"
    return screen


async def type_class(pilot: Any, name: str) -> None:
    """From «Что печатать» to «Класс», typing over the class offered."""
    await press(pilot, "tab", *name)
    assert pilot.app.screen.focused.id == "klass"


async def type_folder(pilot: Any, folder: Path) -> None:
    """Tab on to «Папка» and type the folder over the one offered (Enter then prints)."""
    screen = pilot.app.screen
    while screen.focused.id != "folder":
        await press(pilot, "tab")
    await press(pilot, *str(folder))


async def choose(pilot: Any, *moves: str) -> None:
    """Open the focused list with Enter, move, take the option with Enter."""
    await press(pilot, "enter", *moves, "enter")


def pupils_of(url: str, class_name: str) -> list[str]:
    db = demo_database(url)
    with db.uow() as uow:
        rows = uow.session.execute(
            select(m.Pupil.last_name).join(m.Membership, m.Membership.pupil_id == m.Pupil.id)
            .join(m.SchoolClass, m.SchoolClass.id == m.Membership.class_id).where(m.SchoolClass.name == class_name))
        return sorted({r[0] for r in rows})


def recorded_exports(url: str) -> list[m.AuditEvent]:
    db = demo_database(url)
    with db.uow() as uow:
        events = list(uow.session.scalars(select(m.AuditEvent).where(m.AuditEvent.action.like("export.%") | m.AuditEvent.action.like("report.%"))
                                          .order_by(m.AuditEvent.seq)))
        uow.session.expunge_all()
        return events


def sheet_cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def shown(app: Any) -> str:
    """The screen's text without spaces and line ends: a long path wraps at 80 columns."""
    return "".join(screen_text(app).split())


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_secretary_prints_a_register_and_opens_it(demo_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(printing, "open_with_viewer", lambda path: opened.append(path) or True)
    out = tmp_path / "печать"
    async with signed_in_app(demo_url, "secretary", size=SMALL) as (app, pilot):
        screen = await open_printing(pilot)
        await type_class(pilot, "5А")
        await press(pilot, "tab")  # «Период»: today's quarter offered, the one before it chosen
        assert screen.query_one("#period").value == "Q2"
        await choose(pilot, "up")
        assert screen.query_one("#period").value == "Q1"
        await type_folder(pilot, out)
        await press(pilot, "enter")  # Enter in the last field prints

        path = out / "register-5А-Q1-2026.pdf"
        assert path.is_file()
        assert oct(out.stat().st_mode & 0o777) == "0o700"
        assert str(path) in shown(app)
        text = pdf_text(path)
        assert "5А" in text
        names = pupils_of(demo_url, "5А")
        assert names and all(name in text for name in names), [n for n in names if n not in text]

        assert screen.focused.id == "open"  # the file is there: Enter opens it
        await press(pilot, "enter")
        assert opened == [path]
        await press(pilot, "ctrl+o")
        assert opened == [path, path]

    events = recorded_exports(demo_url)
    assert [(e.action, e.actor) for e in events] == [("export.register", "secretary")]
    assert json.loads(events[0].after)["file"] == str(path)


async def test_secretary_prints_the_class_report_of_any_class(demo_url: str, tmp_path: Path) -> None:
    """The secretary leads no class, yet prints and archives every class's papers: the class
    leader's report too, the same file `ejournal report class` makes."""
    out = tmp_path / "архив"
    async with signed_in_app(demo_url, "secretary", size=SMALL) as (app, pilot):
        screen = await open_printing(pilot)
        await choose(pilot, "down", "down", "down")  # «Отчёт классного руководителя»
        assert screen.query_one("#what").value == "class"
        await type_class(pilot, "5А")
        await press(pilot, "tab")
        await choose(pilot, "up")  # Q1 is over: its report is the final one
        assert (screen.query_one("#period").value, screen.query_one("#kind").value) == ("Q1", "final")
        await type_folder(pilot, out)
        await press(pilot, "enter")

        path = out / "class-5А-Q1-final.pdf"
        assert path.is_file(), screen_text(app)
        assert str(path) in shown(app) and screen.focused.id == "open"
        text = pdf_text(path)
        assert "Отчёт классного руководителя (итоговый)" in text and "5А" in text
        names = pupils_of(demo_url, "5А")
        assert names and any(name in text for name in names)

    events = recorded_exports(demo_url)
    assert [(e.action, e.actor) for e in events] == [("report.class", "secretary")]
    assert json.loads(events[0].after)["file"] == str(path)


async def test_summary_sheet_as_xlsx_is_not_replaced_unless_asked(demo_url: str, tmp_path: Path) -> None:
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        screen = await open_printing(pilot)
        await choose(pilot, "down")  # «Сводная ведомость»: no period to choose
        assert screen.query_one("#what").value == "summary"
        assert not screen.query_one("#row-period").display
        await type_class(pilot, "5А")
        await press(pilot, "tab")
        assert screen.focused.id == "fmt"
        await choose(pilot, "down")
        await type_folder(pilot, tmp_path)
        await press(pilot, "ctrl+s")

        path = tmp_path / "summary-5А-2026.xlsx"
        cells = sheet_cells(path)
        assert any("5А" in c for c in cells)

        path.write_bytes(b"an earlier copy")
        await press(pilot, "ctrl+s")  # the file is there: refused, nothing written
        assert "Файл уже есть" in screen_text(app)
        assert path.read_bytes() == b"an earlier copy"
        assert len(recorded_exports(demo_url)) == 1

        assert screen.focused.id == "overwrite"  # the way to replace it, offered
        await press(pilot, "space", "ctrl+s")
        assert sheet_cells(path) == cells  # replaced by the same sheet
        assert [e.action for e in recorded_exports(demo_url)] == ["export.summary", "export.summary"]


async def test_a_teacher_is_refused_a_class_they_do_not_teach(demo_url: str, tmp_path: Path) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        screen = await open_printing(pilot)
        assert screen.query_one("#klass").value == "5А"  # their own class, offered first
        await type_class(pilot, "1А")
        await type_folder(pilot, tmp_path / "out")
        await press(pilot, "enter")

        assert "Нет прав" in screen_text(app) and "1А" in screen_text(app)
        assert not (tmp_path / "out").exists()
        assert recorded_exports(demo_url) == []
        assert screen.query_one("#klass").value == "1А"  # the input is kept
        await press(pilot, "ctrl+t")  # the refusal too is said again in the other language
        assert "Not allowed" in screen_text(app)


async def test_class_leader_prints_parents_reports_and_class_report(demo_url: str, tmp_path: Path) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await open_printing(pilot)
        await choose(pilot, "down", "down")  # «Отчёты для родителей»: PDF only, by weeks
        assert screen.query_one("#what").value == "cards"
        assert screen.query_one("#weeks").display and not screen.query_one("#period").display
        await type_folder(pilot, tmp_path)
        await press(pilot, "enter")
        cards = tmp_path / "report-cards-5А-2026-11-20.pdf"
        assert cards.is_file() and "5А" in pdf_text(cards)

        await press(pilot, "shift+tab")
        while screen.focused.id != "what":
            await press(pilot, "shift+tab")
        await choose(pilot, "down")  # «Отчёт классного руководителя»
        assert screen.query_one("#kind").display
        assert screen.query_one("#kind").value == "preliminary"  # Q2 is running
        await press(pilot, "ctrl+s")
        report = tmp_path / "class-5А-Q2-preliminary.pdf"
        assert report.is_file()
        text = pdf_text(report)
        assert "5А" in text and pupils_of(demo_url, "5А")[0] in text
        assert str(report) in shown(app)

    # the class leader's report is recorded as the CLI's `report class` records it
    assert [e.action for e in recorded_exports(demo_url)] == ["export.report-cards", "report.class"]


async def test_no_viewer_is_said_and_escape_closes(demo_url: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing.sys, "platform", "linux")
    monkeypatch.setattr(printing.shutil, "which", lambda _name: None)
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await open_printing(pilot)
        await type_class(pilot, "5А")
        await type_folder(pilot, tmp_path)
        await press(pilot, "enter", "ctrl+o")
        assert "Программа просмотра не найдена" in screen_text(app)
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "TodayScreen"


async def test_the_palette_lists_printing_and_ctrl_t_translates_it(demo_url: str) -> None:
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await press(pilot, "ctrl+p", *"Печать")
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "PrintScreen"
        assert "Классный журнал" in screen_text(app) and "II четверть" in screen_text(app)
        await press(pilot, "ctrl+t")
        text = screen_text(app)
        assert all(words in text for words in ("What to print", "Class register", "2nd quarter", "Replace an existing file",
                                               "^s Print", "esc Close")), text
        assert app.screen.query_one("#klass").value == "1А"  # what was chosen stays


async def test_the_screen_answers_while_printing_and_says_where_the_file_went_after_closing(
        demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export is held (then made for real) so the test can act while it runs."""
    import asyncio
    import threading

    release = threading.Event()
    real = printing.make_file

    def held(*args: Any) -> Any:
        release.wait(60)
        return real(*args)

    monkeypatch.setattr(printing, "make_file", held)
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        screen = await open_printing(pilot)
        await type_folder(pilot, tmp_path)
        await pilot.press("enter")
        assert "Печатается…" in screen_text(app) and screen.query_one("#print-progress").display
        await pilot.press("escape")  # the UI answers while the file is being made
        assert type(app.screen).__name__ == "TodayScreen"
        release.set()
        for _ in range(600):
            if app._notifications:  # noqa: SLF001 - what is shown
                break
            await asyncio.sleep(0.05)
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert messages == [f"Готово (страниц: {printing_pages(tmp_path)}): {tmp_path / 'register-1А-Q2-2026.pdf'}"]


def printing_pages(folder: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(folder / "register-1А-Q2-2026.pdf").pages)
