"""`ejournal archive …`: the secretary's registry of paper copies (реестр бумажных копий ЭЖ,
001 4.6–4.7, 5.2 секретарь а–б), from an empty database with the program's own commands:
the demo school, a period reopened, printed as a draft, closed and printed again; both
copies entered (the draft only with --draft), signed by the teachers, the class leader, the
deputy and the director, handed to the archive; the registry listed as JSON and printed as
a PDF read back. Every refusal (a draft, a duplicate, archiving before the director, a date
in the future or before printing, a file that is not a PDF or not the program's, a wrong
number) is one line `error: …`, exit 1, and leaves the registry and the change log as they
were. The whole story runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.acceptance.runner import Calendar, Result, cli
from tests.signin import person_env

AS_OF = "2026-11-20"
PRINTED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # the calendar when the copies are exported
SCHOOL = "МБОУ «Средняя общеобразовательная школа № 7»"


def local_iso(at: datetime) -> str:
    return at.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def registry() -> list[dict]:
    return json.loads(cli("archive", "list", "--json").ok().out)


def events(prefix: str) -> list[dict]:
    """The change log as the deputy director reads it, without the sign-ins (each command's own)."""
    rows = json.loads(cli("--user", "deputy", "audit", "log", "--json", "--limit", "1000000").ok().out)
    rows = rows if isinstance(rows, list) else rows["events"]
    return [e for e in rows if e["action"].startswith(prefix) and not e["action"].startswith("auth.")]


def refused(*args: str, says: str) -> Result:
    """The command fails with one line `error: …` in Russian and changes nothing."""
    before, logged = registry(), len(events(""))
    result = cli("--lang", "ru", *args)
    assert result.code == 1, (args, result)
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err and says in result.err, result.err
    assert registry() == before and len(events("")) == logged
    return result


@pytest.fixture
def calendar(monkeypatch: pytest.MonkeyPatch) -> Calendar:
    calendar = Calendar(monkeypatch)
    calendar.at = PRINTED
    return calendar


@pytest.fixture
def demo(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calendar: Calendar) -> Path:
    """The small demo school on this engine; the test's folder the current directory; the
    secretary signed in (every demo account's password is the same, so `--user deputy` on a
    command line signs the deputy director in)."""
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.delenv("EJOURNAL_SCHOOL", raising=False)
    (tmp_path / "settings.toml").write_text("", encoding="utf-8")  # the machine's own settings play no part
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "settings.toml"))
    monkeypatch.chdir(tmp_path)
    cli("demo", "--size", "small", "--no-tui", "--as-of", AS_OF).ok()
    for name, value in person_env(tmp_path, "secretary").items():
        monkeypatch.setenv(name, value)
    return tmp_path


def test_a_quarters_copies_from_print_to_archive(demo: Path, calendar: Calendar) -> None:
    # Q1 of 5А was closed by the demo: reopened for a correction, printed then (a draft),
    # closed again and printed for the archive
    cli("--user", "deputy", "period", "reopen", "Q1", "--class", "5А", "--reason", "исправление отметки").ok()
    cli("export", "register", "--class", "5А", "--period", "Q1", "--out", "draft.pdf").ok()
    cli("--user", "deputy", "period", "close", "Q1", "--class", "5А").ok()
    cli("export", "register", "--class", "5А", "--period", "Q1", "--out", "5А-Q1.pdf").ok()
    sheets = len(PdfReader("5А-Q1.pdf").pages)
    assert registry() == []

    refused("archive", "add", "draft.pdf", "--class", "5А", "--period", "Q1", says="черновик")
    added = cli("archive", "add", "5А-Q1.pdf", "--class", "5A", "--period", "Q1").ok()
    assert "1" in added.out and str(sheets) in added.out
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Q1", says="уже внесён в реестр: копия № 1")
    shutil.copy("5А-Q1.pdf", "copy-of-the-same.pdf")  # the same bytes under another name
    refused("archive", "add", "copy-of-the-same.pdf", "--class", "5А", "--period", "Q1", says="копия № 1")
    cli("archive", "add", "draft.pdf", "--class", "5А", "--period", "Q1", "--draft").ok()

    refused("archive", "sign", "1", "--by", "archive", says="не подписана директором")
    refused("archive", "sign", "1", "--by", "teachers", "--date", "21.11.2026", says="ещё не наступила")
    refused("archive", "sign", "1", "--by", "teachers", "--date", "19.11.2026", says="раньше печати")
    calendar.go(date(2026, 11, 27))
    cli("archive", "sign", "1", "--by", "teachers", "--date", "21.11.2026").ok()
    cli("archive", "sign", "1", "--by", "leader", "--date", "2026-11-23").ok()
    cli("archive", "sign", "1", "--by", "deputy", "--date", "24.11.2026").ok()
    cli("archive", "sign", "1", "--by", "director", "--date", "25.11.2026").ok()
    refused("archive", "sign", "1", "--by", "archive", "--date", "24.11.2026", says="раньше подписи директора")
    cli("archive", "sign", "1", "--by", "archive").ok()  # today, 27.11.2026
    refused("archive", "sign", "1", "--by", "director", "--date", "26.11.2026", says="уже сдана в архив")
    cli("archive", "sign", "2", "--by", "director", "--date", "25.11.2026").ok()
    refused("archive", "sign", "2", "--by", "archive", says="черновик в архив не сдаётся")

    first, second = registry()
    assert first == {  # printed by the secretary signed in
        "number": 1, "year": "2026/2027", "class": "5А", "period": "Q1", "kind": "register", "sheets": sheets,
        "draft": False, "file": "5А-Q1.pdf", "sha256": hashlib.sha256(Path("5А-Q1.pdf").read_bytes()).hexdigest(),
        "printed_at": local_iso(PRINTED), "printed_by": "Алексеева У.М.", "teachers_signed": "2026-11-21",
        "leader_signed": "2026-11-23", "deputy_signed": "2026-11-24", "director_signed": "2026-11-25",
        "archived": "2026-11-27", "note": "",
    }
    assert second["number"] == 2 and second["draft"] is True and second["file"] == "draft.pdf"
    assert second["director_signed"] == "2026-11-25" and second["archived"] is None

    assert [e["action"] for e in reversed(events("paper."))] == (
        ["paper.add"] * 2 + ["paper.sign"] * 4 + ["paper.archive", "paper.sign"])
    signed = next(e for e in events("paper.archive"))
    assert signed["after"]["archived"] == "2026-11-27" and signed["class"] == "5А"

    printed = cli("archive", "print", "--out", "реестр.pdf").ok()
    assert "реестр.pdf" in printed.out
    text = pdf_text(demo / "реестр.pdf")
    assert "РЕЕСТР БУМАЖНЫХ КОПИЙ ЭЛЕКТРОННОГО ЖУРНАЛА" in text and SCHOOL in text and "2026/2027" in text
    printed_at = datetime.fromisoformat(local_iso(PRINTED))
    assert (f"1 5А I четверть Классный журнал {sheets} {printed_at:%d.%m.%Y %H:%M} Алексеева У.М. "
            "21.11.2026 23.11.2026 24.11.2026 25.11.2026 27.11.2026") in text
    assert "2 5А I четверть Классный журнал" in text and "ЧЕРНОВИК" in text
    assert "Реестр ведёт: секретарь" in text
    assert PdfReader(str(demo / "реестр.pdf")).pages[0].mediabox.width > PdfReader(str(demo / "реестр.pdf")).pages[0].mediabox.height
    assert events("paper.print")[0]["after"]["copies"] == 2
    again = cli("--lang", "ru", "archive", "print", "--out", "реестр.pdf")
    assert again.code == 1 and "--force" in again.err
    cli("archive", "print", "--out", "реестр.pdf", "--force").ok()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_what_is_not_a_printed_copy_of_the_register_is_refused(demo: Path) -> None:
    cli("export", "register", "--class", "5А", "--period", "Q1", "--out", "5А-Q1.pdf").ok()
    cli("export", "register", "--class", "7Б", "--period", "Q1", "--out", "7Б-Q1.pdf").ok()
    Path("notes.pdf").write_text("Это не PDF, а заметки секретаря\n", encoding="utf-8")
    data = bytearray(Path("5А-Q1.pdf").read_bytes())
    data[data.rfind(b"%%EOF") - 2] ^= 1  # one byte changed after the export
    Path("changed.pdf").write_bytes(bytes(data))

    refused("archive", "add", "notes.pdf", "--class", "5А", "--period", "Q1", says="не PDF")
    refused("archive", "add", "missing.pdf", "--class", "5А", "--period", "Q1", says="missing.pdf")
    refused("archive", "add", ".", "--class", "5А", "--period", "Q1", says="папка")
    refused("archive", "add", "changed.pdf", "--class", "5А", "--period", "Q1", says="не выгружен этой программой")
    refused("archive", "add", "7Б-Q1.pdf", "--class", "5А", "--period", "Q1", says="класс в файле — 7Б, указано — 5А")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Q2", says="период в файле — I четверть")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Q1", "--kind", "summary",
            says="сводная ведомость — за учебный год")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Y", "--kind", "summary",
            says="документ в файле — классный журнал, указано — сводная ведомость")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "H1", says="H1")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Q1", "--draft", says="уберите --draft")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", says="--period")
    refused("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Q1", "--kind", "journal", says="register")
    assert registry() == []

    cli("archive", "add", "5А-Q1.pdf", "--class", "5А", "--period", "Q1").ok()
    refused("archive", "sign", "abc", "--by", "director", says="номер копии «abc»")
    refused("archive", "sign", "7", "--by", "director", says="копия № 7")
    refused("archive", "sign", "1", "--by", "boss", says="teachers")
    refused("archive", "sign", "1", "--by", "director", "--date", "31.02.2026", says="дата «31.02.2026»")
    cli("archive", "sign", "№1", "--by", "director").ok()
    assert registry()[0]["director_signed"] == "2026-11-20"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_summary_sheet_is_a_years_copy(demo: Path) -> None:
    cli("export", "summary", "--class", "5А", "--out", "свод-5А.pdf").ok()
    refused("archive", "add", "свод-5А.pdf", "--class", "5А", "--kind", "summary", says="черновик")
    refused("archive", "add", "свод-5А.pdf", "--class", "5А", "--period", "Q1", says="документ в файле — сводная ведомость")
    cli("archive", "add", "свод-5А.pdf", "--class", "5А", "--kind", "summary", "--draft").ok()
    (row,) = registry()
    assert (row["kind"], row["period"], row["draft"]) == ("summary", "Y", True)
    english = cli("--lang", "en", "archive", "list").ok().out
    assert "summary sheet — DRAFT" in english and "school year" in english


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_empty_registry_lists_and_prints(demo: Path) -> None:
    assert "копий нет" in cli("--lang", "ru", "archive", "list").ok().out
    cli("archive", "print").ok()  # default name, here
    assert "Записей в реестре за этот учебный год нет" in pdf_text(demo / "registry-2026.pdf")


def test_every_archive_command_has_help_with_an_example() -> None:
    for command in ("add", "sign", "list", "print"):
        result = cli("archive", command, "--help").ok()
        assert "Example: ejournal archive " + command in result.out, command
