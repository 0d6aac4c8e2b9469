"""`ejournal archive add|sign|list|print`: the secretary's registry of paper copies
(реестр бумажных копий ЭЖ): enter a printed copy, record its signatures and its handing to
the archive, list the year's copies, print the registry for signing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import register_many, t

if TYPE_CHECKING:
    from ejournal_tui.services.paper_copies import CopyRow

register_many({
    "archive.added": ("копия № {number} внесена в реестр {year}: {klass}, {period}, {kind}, листов: {sheets}{draft}",
                      "copy no. {number} entered in the registry of {year}: {klass}, {period}, {kind}, {sheets} sheets{draft}"),
    "archive.draft": (" — ЧЕРНОВИК", " — DRAFT"),
    "archive.signed": ("копия № {number}: {what} {day}", "copy no. {number}: {what} {day}"),
    "archive.by.teachers": ("подписи учителей", "teachers signed"),
    "archive.by.leader": ("подпись классного руководителя", "class leader signed"),
    "archive.by.deputy": ("подпись заместителя директора", "deputy director signed"),
    "archive.by.director": ("подпись директора", "director signed"),
    "archive.by.archive": ("сдана в архив", "handed to the archive"),
    "archive.empty": ("в реестре {year} копий нет", "the registry of {year} holds no copies"),
    "archive.printed": ("{path} (реестр {year}: копий {copies}, страниц {pages}, sha256 {sha}…)",
                        "{path} (registry of {year}: {copies} copies, {pages} pages, sha256 {sha}…)"),
    "archive.kind.register": ("журнал", "register"),
    "archive.kind.summary": ("сводная ведомость", "summary sheet"),
    "archive.h": ("№|Класс|Период|Документ|Листов|Напечатана|Кем|Учителя|Кл. рук.|Зам. дир.|Директор|Архив|Примечание",
                  "No.|Class|Period|Document|Sheets|Printed|By|Teachers|Leader|Deputy|Director|Archived|Note"),
})

YearOpt = Annotated[int | None, typer.Option("--year", min=1990, max=2100,
                                             help="Academic year by its first year, e.g. 2026; default the current one")]


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The registry of paper copies (реестр бумажных копий ЭЖ): enter printed copies, "
                             "record their signatures and archiving, print the registry.", no_args_is_help=True)
    app.add_typer(group, name="archive")
    group.command("add")(add_cmd)
    group.command("sign")(sign_cmd)
    group.command("list")(list_cmd)
    group.command("print")(print_cmd)


def add_cmd(
    file: Annotated[str, typer.Argument(help="The PDF written by `ejournal export register|summary`")],
    klass: Annotated[str, typer.Option("--class", help="The class, e.g. 5А (5A is the same)")],
    period: Annotated[str | None, typer.Option("--period", help="Q1–Q4, H1–H2 or Y; a summary sheet is Y")] = None,
    kind: Annotated[str, typer.Option("--kind", help="register (the class register) or summary (summary sheet)")] = "register",
    draft: Annotated[bool, typer.Option("--draft", help="Enter a copy printed before the period was closed, as a draft")] = False,
    year: YearOpt = None,
) -> None:
    """Enter a printed copy in the registry under the year's next number.

    Its sheets are the PDF's pages. The class, period and document must be what the file
    and its export in the change log say; a draft (printed before the period was closed)
    only with --draft; a file already entered is refused.

    Example: ejournal archive add register-5А-Q1-2026.pdf --class 5А --period Q1
    """
    from ejournal_tui.services.paper_copies import register_copy

    db = STATE.database()
    with db.uow() as uow:
        row = register_copy(uow, STATE.actor(db), file, klass, period, kind, draft, year)
    print(t("archive.added", number=row.number, year=row.year_label, klass=row.class_name, period=_period(row),
            kind=t(f"archive.kind.{row.kind}"), sheets=row.sheets, draft=t("archive.draft") if row.draft else ""))


def sign_cmd(
    number: Annotated[str, typer.Argument(help="The copy's number in the registry")],
    by: Annotated[str, typer.Option("--by", help="teachers | leader | deputy | director | archive (handed to the archive)")],
    day: Annotated[str | None, typer.Option("--date", help="DD.MM.YYYY or YYYY-MM-DD; default today")] = None,
    year: YearOpt = None,
) -> None:
    """Record the date a copy was signed (teachers, class leader, deputy director, director)
    or handed to the archive.

    A date is never before the copy was printed nor in the future; a copy goes to the archive
    only after the director signed it, and is final then.

    Example: ejournal archive sign 3 --by director --date 28.10.2026
    """
    from ejournal_tui.services.paper_copies import parse_day, sign

    db = STATE.database()
    with db.uow() as uow:
        row = sign(uow, STATE.actor(db), number, by, parse_day(day), year)
    who = by.strip().lower()
    print(t("archive.signed", number=row.number, what=t(f"archive.by.{who}"), day=_day(_date_of(row, who))))


def list_cmd(
    year: YearOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The year's registry: number, class, period, sheets, printed when and by whom, signed
    by the teachers, the class leader, the deputy and the director, handed to the archive.

    Example: ejournal archive list --year 2026 --json
    """
    from ejournal_tui.services.paper_copies import list_copies

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        rows = list_copies(uow, STATE.actor(db), year)
    if as_json:
        print(json.dumps([as_dict(r) for r in rows], ensure_ascii=False, indent=1))
    elif not rows:
        from ejournal_tui.services.lookup import current_year

        with db.uow(read_only=True) as uow:
            start = current_year(uow, year).start_year
        print(t("archive.empty", year=f"{start}/{start + 1}"))
    else:
        _print_table(rows)


def print_cmd(
    out: Annotated[str | None, typer.Option("--out", help="PDF file to write (a path ending in / is a folder); default registry-YEAR.pdf here")] = None,
    year: YearOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file")] = False,
) -> None:
    """Print the registry as a PDF table to sign (A4 landscape).

    Example: ejournal archive print --year 2026 --out реестр-2026.pdf
    """
    from ejournal_tui.services.paper_copies import print_registry

    db = STATE.database()
    result = print_registry(db, STATE.actor(db), out, year, force)
    print(t("archive.printed", path=result.path, year=result.year_label, copies=result.copies,
            pages=result.pages, sha=result.sha256[:12]))


# ---- output ----------------------------------------------------------------------------------

def _period(row: CopyRow) -> str:
    from ejournal_tui.services.audit_words import period_words

    return period_words(row.period_code)


def _day(day: object) -> str:
    from ejournal_tui.services.audit_words import day_words

    return day_words(day) if day else ""  # type: ignore[arg-type]


def _date_of(row: CopyRow, who: str) -> object:
    from ejournal_tui.services.paper_copies import SIGNERS

    return getattr(row, SIGNERS[who])


def as_dict(row: CopyRow) -> dict[str, object]:
    """One copy for scripts: dates ISO, `printed_at` local time."""
    def iso(day: object) -> str | None:
        return day.isoformat() if day else None  # type: ignore[attr-defined]

    return {
        "number": row.number, "year": row.year_label, "class": row.class_name, "period": row.period_code,
        "kind": row.kind, "sheets": row.sheets, "draft": row.draft, "file": row.file_name, "sha256": row.sha256,
        "printed_at": row.printed_at.isoformat(timespec="seconds"), "printed_by": row.printed_by,
        "teachers_signed": iso(row.teachers_signed), "leader_signed": iso(row.leader_signed),
        "deputy_signed": iso(row.deputy_signed), "director_signed": iso(row.director_signed),
        "archived": iso(row.archived), "note": row.note,
    }


def _print_table(rows: list[CopyRow]) -> None:
    lines = [t("archive.h").split("|")]
    for r in rows:
        kind = t(f"archive.kind.{r.kind}") + (t("archive.draft") if r.draft else "")
        lines.append([str(r.number), r.class_name, _period(r), kind, str(r.sheets),
                      f"{_day(r.printed_at.date())} {r.printed_at:%H:%M}", r.printed_by, _day(r.teachers_signed),
                      _day(r.leader_signed), _day(r.deputy_signed), _day(r.director_signed), _day(r.archived), r.note])
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
