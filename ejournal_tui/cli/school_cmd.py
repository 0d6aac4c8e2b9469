"""`ejournal school create|show|edit` and the school's reference data: `school kinds|kind`,
`school reasons|reason`, `school bells|bell`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "school.create_admin_only": ("создание школы в базе, где уже есть учётные записи, — для администратора (admin "
                                 "или sysadmin)",
                                 "a school is added to a database that holds accounts by an administrator (admin or "
                                 "sysadmin)"),
})


def create_cmd(
    code: Annotated[str, typer.Option("--code", help="The school's code (Latin letters, digits, - _), e.g. sch1234")],
    name: Annotated[str, typer.Option("--name", help="The school's name as printed on the registers")],
    city: Annotated[str, typer.Option("--city", help="Town")] = "",
    director: Annotated[str, typer.Option("--director", help="The director's full name")] = "",
    admin: Annotated[str, typer.Option("--admin", help="Login of the first administrator")] = "admin",
    admin_name: Annotated[str, typer.Option("--admin-name", help="Full name of the first administrator")] = "Администратор",
    year: Annotated[int | None, typer.Option("--year", min=2000, max=2100, help="First academic year, e.g. 2026 (default: the running one; from June, the coming one)")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the administrator's password from stdin")] = False,
) -> None:
    """Create a school in this database with its reference data, the academic year and the
    first administrator (on a district database: one more school).

    On an empty database the operating-system user creates it; a school added to a database
    that already holds accounts (a district's) is created by an administrator signed in with
    --user (and --school for the school whose account it is).

    Example: echo 'a-long-password' | ejournal school create --code sch1234 --name "МБОУ СОШ № 12" --city Тверь --admin ivanov --admin-name "Иванов Пётр Сергеевич" --password-stdin
    """
    from ejournal_tui.cli.users_cmd import read_password
    from ejournal_tui.services.school_setup import NewSchool, create_school

    founder = _founder()
    password = read_password(password_stdin, "Administrator's password")
    spec = NewSchool(code.strip(), name, city, director, admin, admin_name, year)
    created = create_school(STATE.engine(), spec, password, founder)
    print(f"school {created.code} created: academic year {created.start_year}/{created.start_year + 1}, "
          f"administrator {created.admin_login}")
    print("next: ejournal import staff FILE, then students, load, timetable, plan (see ejournal import --help)")


def _founder() -> str:
    """Who creates the school (CLI.md, "who acts"): the operating-system user while the
    database has no account (the first administrator is being made); after that, an
    administrator signed in with --user (a district's database: one more school)."""
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.domain.errors import NotAllowed
    from ejournal_tui.services.accounts import database_has_accounts

    if not database_has_accounts(STATE.engine()):
        return STATE.machine_actor().login
    db = STATE.database()
    actor = STATE.actor(db)
    if not perm.may(actor.roles, "manage_accounts"):  # it makes the new school's administrator
        raise NotAllowed(what=Phrase("school.create_admin_only"))
    return actor.login


def show_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """The school's details, its years and how much reference data it has.

    Example: ejournal --school sch1234 school show --json
    """
    from dataclasses import asdict

    from ejournal_tui.services.school_setup import school_details

    details = school_details(STATE.database())
    if as_json:
        print(json.dumps(asdict(details), ensure_ascii=False))
        return
    print(f"{details.code}: {details.name}" + (f", {details.city}" if details.city else "")
          + (" (demo)" if details.is_demo else ""))
    print(f"director: {details.director or '—'}")
    print(f"academic years: {', '.join(details.years) or '—'}; current: {details.current_year or '—'}")
    print(f"kinds of work: {details.kinds}; absence reasons: {details.reasons}; bells: {details.bells}; "
          f"accounts: {details.accounts}")


def edit_cmd(
    name: Annotated[str | None, typer.Option("--name", help="New name")] = None,
    city: Annotated[str | None, typer.Option("--city", help="New town")] = None,
    director: Annotated[str | None, typer.Option("--director", help="New director's full name")] = None,
) -> None:
    """Change the school's name, town or director.

    Example: ejournal school edit --director "Смирнова Ольга Викторовна"
    """
    from ejournal_tui.services.school_setup import edit_school

    db = STATE.database()
    details = edit_school(db, STATE.actor(db), name=name, city=city, director=director)
    print(f"{details.code}: {details.name}, {details.city or '—'}; director: {details.director or '—'}")


def kinds_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Kinds of work: code, name, short name, weight, oral/written (which deadline applies).

    Example: ejournal school kinds
    """
    from dataclasses import asdict

    from ejournal_tui.services.reference import list_kinds

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        kinds = list_kinds(uow)
    if as_json:
        print(json.dumps([asdict(k) for k in kinds], ensure_ascii=False))
        return
    for k in kinds:
        print(f"{k.code:<12} {k.name:<26} {k.short:<7} {k.weight:>4g}  {k.category:<8} marks: {k.marks}")


def kind_cmd(
    code: Annotated[str, typer.Argument(help="The kind's code (a new code adds a kind)")],
    name: Annotated[str | None, typer.Option("--name", help="Name, e.g. «Самостоятельная работа»")] = None,
    short: Annotated[str | None, typer.Option("--short", help="Short name for narrow columns, e.g. «с/р»")] = None,
    weight: Annotated[float | None, typer.Option("--weight", help="Weight in the weighted average (above 0, at most 10)")] = None,
    category: Annotated[str | None, typer.Option("--category", help="oral or written: which mark deadline applies")] = None,
) -> None:
    """Add a kind of work or change one.

    Example: ejournal school kind independent --name "Самостоятельная работа" --short с/р --weight 1.5 --category written
    """
    from ejournal_tui.services.reference import set_kind

    db = STATE.database()
    with db.uow() as uow:
        k = set_kind(uow, STATE.actor(db), code, name=name, short=short, weight=weight, category=category)
    print(f"{k.code}: {k.name} ({k.short}), weight {k.weight:g}, {k.category}")


def reasons_cmd() -> None:
    """Absence reasons: the four codes and their names.

    Example: ejournal school reasons
    """
    from ejournal_tui.services.reference import list_reasons

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        for r in list_reasons(uow):
            print(f"{r.code}  {r.name}  ({r.category})")


def reason_cmd(
    code: Annotated[str, typer.Argument(help="Б, У, Н or О")],
    name: Annotated[str, typer.Option("--name", help="The name the school uses")],
) -> None:
    """Rename an absence reason (the codes stay).

    Example: ejournal school reason У --name "по заявлению родителей"
    """
    from ejournal_tui.services.reference import rename_reason

    db = STATE.database()
    with db.uow() as uow:
        r = rename_reason(uow, STATE.actor(db), code, name)
    print(f"{r.code}  {r.name}")


def bells_cmd() -> None:
    """The bell schedule.

    Example: ejournal school bells
    """
    from ejournal_tui.services.admin import bells

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        for b in bells(uow):
            print(f"{b.number}. {b.start}–{b.end}")


def bell_cmd(
    number: Annotated[int, typer.Argument(min=1, max=12, help="Lesson number")],
    start: Annotated[str, typer.Option("--start", help="HH:MM")],
    end: Annotated[str, typer.Option("--end", help="HH:MM")],
) -> None:
    """Set (or add) one lesson's bell times.

    Example: ejournal school bell 1 --start 08:00 --end 08:40
    """
    from ejournal_tui.services.admin import set_bell

    db = STATE.database()
    with db.uow() as uow:
        b = set_bell(uow, STATE.actor(db), number, start, end)
    print(f"{b.number}. {b.start}–{b.end}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The school: create it, its details and reference data.", no_args_is_help=True)
    app.add_typer(group, name="school")
    for name, fn in (("create", create_cmd), ("show", show_cmd), ("edit", edit_cmd), ("kinds", kinds_cmd),
                     ("kind", kind_cmd), ("reasons", reasons_cmd), ("reason", reason_cmd), ("bells", bells_cmd),
                     ("bell", bell_cmd)):
        group.command(name)(fn)
