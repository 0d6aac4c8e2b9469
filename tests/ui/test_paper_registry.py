"""«Реестр бумажных копий» in the TUI, used as a person uses it: the secretary opens it from
the command palette, enters the PDF the program printed of 5А's closed first quarter (`a`,
the path, the class, the period, Enter), records the director's signature (`s`) after a
refusal (the archive before the director) that kept the form, prints the registry (`p`);
the deputy director opens it (F9) to record only their own signature; a teacher is told it
is not for their role. At 80×24 the number, the class and the period stay in view.

Only keys are pressed; what was stored is read back through the service (and the PDF with
pypdf)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from textual.widgets import DataTable, Select
from textual.widgets._footer import FooterKey

from ejournal_tui.i18n import set_language
from tests.ui.harness import SMALL, actor, demo_database, screen_text, settle, signed_in_app

TODAY = date(2026, 11, 20)  # the harness's frozen clock


@pytest.fixture(autouse=True)
def _russian() -> None:
    set_language("ru")


@pytest.fixture
def print_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The printing screen's folder, here the test's own (never the user's documents)."""
    from ejournal_tui.tui.screens import printing_jobs

    folder = tmp_path / "печать"
    monkeypatch.setattr(printing_jobs, "default_folder", lambda: folder)
    return folder


def export_q1(url: str, path: Path) -> Path:
    """5А's register for the first quarter (closed in the demo), as the program prints it."""
    from ejournal_tui.services.exports import export_register

    db = demo_database(url)
    export_register(db, actor(db, "deputy"), "5А", "Q1", "pdf", path)
    return path


def copies(url: str) -> list[Any]:
    from ejournal_tui.services.paper_copies import list_copies

    db = demo_database(url)
    with db.uow(read_only=True) as uow:
        return list_copies(uow, actor(db, "secretary"))


def enter_copy(url: str, path: Path) -> None:
    """A copy entered beforehand, as the secretary would with `ejournal archive add`."""
    from ejournal_tui.services.paper_copies import register_copy

    db = demo_database(url)
    with db.uow() as uow:
        register_copy(uow, actor(db, "secretary"), path, "5А", "Q1")


async def keys(pilot: Any, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def choose(pilot: Any, option: str) -> None:
    """In the focused drop-down field: open its list (Space), arrow to `option`'s words, Enter."""
    select = pilot.app.screen.focused
    assert isinstance(select, Select)
    await keys(pilot, "space")
    options = [str(prompt) for prompt, _value in select._options]  # noqa: SLF001 - what the list shows
    current = next(i for i, (_p, v) in enumerate(select._options) if v == select.value)  # noqa: SLF001
    wanted = options.index(option)
    step = "down" if wanted >= current else "up"
    await keys(pilot, *[step] * abs(wanted - current), "enter")
    assert select.value == select._options[wanted][1]  # noqa: SLF001


def notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]  # noqa: SLF001 - what was shown


def cells(app: Any, row: int = 0) -> list[str]:
    table = app.screen.query_one("#preg-rows", DataTable)
    return [str(c) for c in table.get_row_at(row)]


# ---- the secretary ------------------------------------------------------------------------------


async def test_the_secretary_enters_a_copy_and_records_the_directors_signature(
        demo_url: str, tmp_path: Path, print_folder: Path) -> None:
    pdf = export_q1(demo_url, tmp_path / "5А-Q1.pdf")
    sheets = len(PdfReader(str(pdf)).pages)
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await keys(pilot, "ctrl+p")
        await type_text(pilot, "Реестр бумажных")
        await settle(pilot)
        await keys(pilot, "enter")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        assert "Копий в реестре нет" in screen_text(app)

        # a: the path, the class, the period, Enter in the last field
        await keys(pilot, "a")
        assert type(app.screen).__name__ == "AddCopyModal" and app.screen.focused.id == "f-file"
        await type_text(pilot, str(pdf))
        await keys(pilot, "enter", "enter")  # the document: a class register, as offered
        await type_text(pilot, "5А")
        await keys(pilot, "enter")
        await type_text(pilot, "Q1")
        await keys(pilot, "enter")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        [row] = copies(demo_url)
        assert (row.number, row.class_name, row.period_code, row.sheets, row.draft) == (1, "5А", "Q1", sheets, False)
        shown = cells(app)
        assert shown[:5] == ["1", "5А", "I четверть", "журнал", str(sheets)]
        assert "Копия № 1 внесена" in screen_text(app)

        # s: the archive before the director signed is refused; the form stays as typed
        await keys(pilot, "s")
        assert type(app.screen).__name__ == "PromptModal" and app.screen.focused.id == "f-who"
        await choose(pilot, "Сдана в архив")
        await keys(pilot, "tab", "enter")
        form = app.screen
        assert type(form).__name__ == "PromptModal"
        assert form.query_one("#f-who", Select).value == "archive" and form.focused.id == "f-who"
        assert form.query_one("#f-day").value == "20.11.2026"
        refusal = "копия № 1 ещё не подписана директором: в архив сдаётся подписанная копия"
        assert any(refusal in n for n in notes(app))
        assert refusal in " ".join(str(form.query_one("#prompt-note").render()).split())  # in the form too
        assert copies(demo_url) == [row]

        # the same form: the director, today's date, Ctrl+S
        await choose(pilot, "Директор")
        await keys(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        [signed] = copies(demo_url)
        assert signed.director_signed == TODAY and signed.archived is None
        assert cells(app)[11] == "20.11.2026"
        assert "подпись: Директор — 20.11.2026" in screen_text(app) or "Директор — 20.11.2026" in screen_text(app)


async def test_a_refused_file_keeps_the_form_and_its_button_saves_the_corrected_one(
        demo_url: str, tmp_path: Path, print_folder: Path) -> None:
    pdf = export_q1(demo_url, tmp_path / "5А-Q1.pdf")
    stranger = tmp_path / "notes.pdf"
    stranger.write_text("не PDF", encoding="utf-8")
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await keys(pilot, "f9")
        await keys(pilot, "a")
        await type_text(pilot, str(stranger))
        await keys(pilot, "enter", "enter")
        await type_text(pilot, "5А")
        await keys(pilot, "enter")
        await type_text(pilot, "Q1")
        await keys(pilot, "ctrl+s")
        form = app.screen
        assert type(form).__name__ == "AddCopyModal" and form.focused.id == "f-file"
        assert "не PDF-документ" in str(form.query_one("#add-note").render())
        assert [form.query_one(f"#f-{name}").value for name in ("file", "class", "period")] == [str(stranger), "5А", "Q1"]
        assert copies(demo_url) == []

        await keys(pilot, "ctrl+u")
        await type_text(pilot, str(pdf))
        await pilot.click("#add-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        assert [c.file_name for c in copies(demo_url)] == ["5А-Q1.pdf"]


async def test_escape_discards_the_form(demo_url: str, tmp_path: Path, print_folder: Path) -> None:
    pdf = export_q1(demo_url, tmp_path / "5А-Q1.pdf")
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await keys(pilot, "f9", "a")
        await type_text(pilot, str(pdf))
        await keys(pilot, "enter", "enter")
        await type_text(pilot, "5А")
        await keys(pilot, "escape")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        assert copies(demo_url) == []


async def test_the_form_starts_with_the_newest_file_the_printing_screen_made(
        demo_url: str, print_folder: Path) -> None:
    print_folder.mkdir()
    export_q1(demo_url, print_folder / "register-5А-Q1-2026.pdf")
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await keys(pilot, "f9", "a")
        form = app.screen
        assert [form.query_one(f"#f-{name}").value for name in ("file", "class", "period")] == [
            str(print_folder / "register-5А-Q1-2026.pdf"), "5А", "Q1"]
        await keys(pilot, "ctrl+s")
        assert [(c.number, c.file_name) for c in copies(demo_url)] == [(1, "register-5А-Q1-2026.pdf")]
        await keys(pilot, "a")  # entered already: the folder, not the same file again
        assert app.screen.query_one("#f-file").value == f"{print_folder}/"


async def test_p_prints_the_registry_into_the_printing_folder(demo_url: str, tmp_path: Path,
                                                                print_folder: Path) -> None:
    enter_copy(demo_url, export_q1(demo_url, tmp_path / "5А-Q1.pdf"))
    async with signed_in_app(demo_url, "secretary") as (app, pilot):
        await keys(pilot, "f9", "p")
        path = print_folder / "registry-2026.pdf"
        assert path.exists()
        assert f"Реестр напечатан: {path}" in " ".join(screen_text(app).split())
        text = " ".join((PdfReader(str(path)).pages[0].extract_text() or "").split())
        assert "РЕЕСТР БУМАЖНЫХ КОПИЙ" in text and "5А" in text
        await keys(pilot, "p")  # there already: asked before it is replaced
        assert type(app.screen).__name__ == "ConfirmModal"
        await keys(pilot, "enter")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        assert "Реестр напечатан" in screen_text(app)


# ---- the deputy, a teacher ----------------------------------------------------------------------


async def test_the_deputy_reads_the_registry_and_records_only_their_signature(
        demo_url: str, tmp_path: Path, print_folder: Path) -> None:
    enter_copy(demo_url, export_q1(demo_url, tmp_path / "5А-Q1.pdf"))
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await keys(pilot, "f9")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        shown = {str(k.key) for k in app.screen.query(FooterKey)}
        assert "s" in shown and "a" not in shown
        assert "вы отмечаете свою подпись" in screen_text(app)
        await keys(pilot, "a")  # not theirs: nothing opens
        assert type(app.screen).__name__ == "PaperRegistryScreen"

        await keys(pilot, "s")
        form = app.screen
        assert [value for _prompt, value in form.query_one("#f-who", Select)._options] == ["deputy"]  # noqa: SLF001
        await keys(pilot, "tab", "ctrl+u")
        await type_text(pilot, "2026-11-20")
        await keys(pilot, "enter")
        assert type(app.screen).__name__ == "PaperRegistryScreen"
        [row] = copies(demo_url)
        assert row.deputy_signed == TODAY and row.director_signed is None
        assert cells(app)[10] == "20.11.2026"


@pytest.mark.parametrize("way", ["key", "palette"])
async def test_a_teacher_is_told_the_registry_is_not_for_their_role(demo_url: str, way: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        if way == "key":
            await keys(pilot, "f9")
        else:
            await keys(pilot, "ctrl+p")
            await type_text(pilot, "Реестр бумажных")
            await settle(pilot)
            await keys(pilot, "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        assert any("не для вашей роли" in n for n in notes(app))


# ---- 80×24 ------------------------------------------------------------------------------------------


async def test_at_80x24_the_number_class_and_period_stay_in_view(demo_url: str, tmp_path: Path,
                                                                   print_folder: Path) -> None:
    enter_copy(demo_url, export_q1(demo_url, tmp_path / "5А-Q1.pdf"))
    async with signed_in_app(demo_url, "secretary", size=SMALL) as (app, pilot):
        await keys(pilot, "f9")
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Класс" in line and "Период" in line)
        assert header.split()[0] == "№"
        assert any(line.split()[:4] == ["1", "5А", "I", "четверть"] for line in lines)
        await keys(pilot, *["right"] * 60)  # to the signatures on the right
        assert app.screen.query_one("#preg-rows", DataTable).scroll_x > 0
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Класс" in line)
        assert "Архив" in header and header.split()[0] == "№"
        assert any(line.split()[:4] == ["1", "5А", "I", "четверть"] for line in lines)
        # the footer's keys are whole and clear of the palette's key
        footer = list(app.screen.query(FooterKey))
        palette = next(k for k in footer if k.has_class("-command-palette"))
        assert all(k.region.right <= palette.region.x for k in footer if k is not palette)
        assert {"a", "s", "p", "f1", "f2"} <= {str(k.key) for k in footer}
