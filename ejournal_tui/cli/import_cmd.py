"""`ejournal import students|staff|load|timetable|plan FILE [--dry-run]`: the school's lists
from XLSX or CSV, all or nothing, with every bad row reported."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE

EXAMPLES = {
    "students": ("Pupils and their classes: ФИО (or Фамилия, Имя, Отчество), Класс, Дата рождения, "
                 "№ личного дела, Родители, Телефон, Дата зачисления (else the year's first day); and their groups: one column per split of a class "
                 "headed «Группа …» or «Подгруппа …» (e.g. «Группа (англ. яз.)»: англ-1 / англ-2; «—»: in none). "
                 "A pupil put in another group leaves the old one the day before.", "data/samples/students.xlsx"),
    "staff": ("Staff accounts: ФИО, Логин, Роли, Классное руководство. New accounts get no password: "
              "set one with 'ejournal users passwd LOGIN'.", "data/samples/staff.csv"),
    "load": ("Teaching load: Учитель (ФИО or login), Класс, Предмет, Группа, Часов в неделю.",
             "data/samples/load.xlsx"),
    "timetable": ("Weekly timetable: День недели, № урока, Класс, Предмет, Группа, Кабинет.",
                  "data/samples/timetable.xlsx"),
    "plan": ("Calendar-thematic plans: Класс, Предмет, Группа, №, Тема урока, Дата, Вид работы.",
             "data/samples/plan.xlsx"),
}


def _run(kind: str, file: str, dry_run: bool, year: int | None) -> None:
    from ejournal_tui.services.imports import ImportRejected, import_file

    db = STATE.database()
    try:
        report = import_file(db, STATE.actor(db), kind, file, dry_run, year)
    except ImportRejected as exc:
        for problem in exc.problems:
            print(f"{exc.params['file']}: {problem}", file=sys.stderr)
        raise
    print(f"{report.file}: {report.rows} rows; added {report.created}, updated {report.updated}, "
          f"unchanged {report.unchanged}" + (" (dry run: nothing written)" if dry_run else ""))
    for note in report.notes:
        print(f"  {note}")


def _command(group: typer.Typer, kind: str) -> None:
    summary, sample = EXAMPLES[kind]

    def command(
        file: Annotated[str, typer.Argument(help="An .xlsx or .csv file")],
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing")] = False,
        year: Annotated[int | None, typer.Option("--year", min=2000, max=2100, help="The academic year the file is for, by its first year (e.g. 2027 for 2027/28); needed between one year's end and the next September")] = None,
    ) -> None:
        _run(kind, file, dry_run, year)

    command.__doc__ = f"{summary}\n\nExample: ejournal import {kind} {sample} --year 2026 --dry-run"
    group.command(kind)(command)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Start-of-year imports from XLSX or CSV: all or nothing.", no_args_is_help=True)
    app.add_typer(group, name="import")
    for kind in EXAMPLES:
        _command(group, kind)
