"""`ejournal export register|summary|report-cards|all`: printed forms and spreadsheets."""

from __future__ import annotations

from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE

FORMAT_HELP = "pdf or xlsx"
OUT_HELP = "File or folder to write (a path ending in / is a folder, created); default here"
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file")]


def _done(result) -> None:  # noqa: ANN001 - an ExportResult
    unit = "pages" if result.path.suffix == ".pdf" else "sheets"
    print(f"{result.path} ({result.class_name}, {result.pages} {unit}, sha256 {result.sha256[:12]}…)")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Printed registers, summary sheets, parents' reports, spreadsheets.",
                        no_args_is_help=True)
    app.add_typer(group, name="export")

    @group.command("register")
    def register_cmd(
        klass: Annotated[str, typer.Option("--class", help="The class, e.g. 5А (5A is the same)")],
        period: Annotated[str, typer.Option("--period", help="Q1–Q4 (grades 1–9), H1–H2 (10–11) or Y")],
        fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "pdf",
        subject: Annotated[str | None, typer.Option("--subject", help="Only this subject")] = None,
        out: Annotated[str | None, typer.Option("--out", help=OUT_HELP)] = None,
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year, e.g. 2025")] = None,
        force: ForceOpt = False,
    ) -> None:
        """The printed register of a class for a period.

        Example: ejournal export register --class 5А --period Q1 --format pdf --out 5А-Q1.pdf
        """
        from ejournal_tui.services.exports import export_register

        db = STATE.database()
        _done(export_register(db, STATE.actor(db), klass, period, fmt, out, subject, year, force))

    @group.command("summary")
    def summary_cmd(
        klass: Annotated[str, typer.Option("--class", help="The class, e.g. 5А")],
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year, e.g. 2025")] = None,
        fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "pdf",
        out: Annotated[str | None, typer.Option("--out", help=OUT_HELP)] = None,
        force: ForceOpt = False,
    ) -> None:
        """The year's summary sheet (сводная ведомость) of a class.

        Example: ejournal export summary --class 9Б --year 2025 --format xlsx --out 9Б.xlsx
        """
        from ejournal_tui.services.exports import export_summary

        db = STATE.database()
        _done(export_summary(db, STATE.actor(db), klass, fmt, out, year, force))

    @group.command("report-cards")
    def cards_cmd(
        klass: Annotated[str, typer.Option("--class", help="The class, e.g. 5А")],
        weeks: Annotated[int, typer.Option("--weeks", min=1, max=52, help="Marks of the last N weeks")] = 2,
        out: Annotated[str | None, typer.Option("--out", help=OUT_HELP)] = None,
        force: ForceOpt = False,
    ) -> None:
        """Progress reports for parents: one page per pupil, one PDF for the class.

        Example: ejournal export report-cards --class 5А --weeks 2 --out reports-5А.pdf
        """
        from ejournal_tui.services.exports import export_report_cards

        db = STATE.database()
        _done(export_report_cards(db, STATE.actor(db), klass, weeks, out, force))

    @group.command("all")
    def all_cmd(
        period: Annotated[str, typer.Option("--period", help="Q1–Q4, H1–H2 or Y (Y adds summary sheets)")],
        out: Annotated[str, typer.Option("--out", help="Folder for the files and manifest.json")],
        fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "pdf",
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year")] = None,
        workers: Annotated[int | None, typer.Option("--workers", min=1, max=64, help="Processes; default one per core")] = None,
        force: Annotated[bool, typer.Option("--force", help="Replace a non-empty folder as a whole")] = False,
    ) -> None:
        """Every class's register for the period into a folder, with manifest.json (SHA-256 of each file).

        The folder appears complete or not at all; a non-empty one is refused without --force.

        Example: ejournal export all --period Q1 --out /srv/archive/2026-Q1
        """
        from ejournal_tui.cli.progress import progress_bar
        from ejournal_tui.services.exports import export_all

        db = STATE.database()
        with progress_bar("export") as report:
            results = export_all(db, STATE.actor(db), period, out, fmt, report, workers, year, force)
        pages = sum(r.pages for r in results)
        print(f"{len(results)} files, {pages} {'pages' if fmt == 'pdf' else 'sheets'} in {out} (manifest.json)")
