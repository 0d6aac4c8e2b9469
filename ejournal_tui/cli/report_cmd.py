"""`ejournal report control|activity|substitutions|timesheet|class`: the deputy director's
control of the register and the class leader's reports, as a table, JSON, XLSX or PDF."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import register_many, t

register_many({
    "report.written": ("записано: {path} ({n} {what})", "written {path} ({n} {what})"),
    "report.sheets": ("листов", "sheets"),
    "report.pages": ("стр.", "pages"),
    "report.idle": ("Без записей за неделю", "No entries this week"),
    "report.at_risk": ("в зоне риска", "at risk"),
    "report.total": ("Итого", "Total"),
    "report.col.teacher": ("Учитель", "Teacher"),
    "report.col.class": ("Класс", "Class"),
    "report.col.subject": ("Предмет", "Subject"),
    "report.col.held": ("Пров/расп", "Held/tt"),
    "report.col.plan": ("КТП/отст", "Plan/lag"),
    "report.col.gaps": ("Тема/дз", "Topic/hw"),
    "report.col.late": ("Поздно у/дз/о", "Late l/hw/m"),
    "report.col.pupils": ("0/1/<мин", "0/1/<min"),
    "report.col.subs": ("Замен", "Subs"),
    "report.col.fix": ("Что исправить", "What to fix"),
    "report.col.substitute": ("Заменял", "Substitute"),
    "report.col.date": ("Дата", "Date"),
    "report.col.hours": ("Часов", "Hours"),
    "report.col.user": ("Пользователь", "User"),
    "report.col.pupil": ("Ученик", "Pupil"),
    "report.col.own": ("Своих", "Own"),
    "report.col.scheduled": ("По расп.", "Timetable"),
    "report.col.missed": ("Пропущено", "Missed"),
    "report.parents": ("Родители проинформированы за 2 недели (учеников)", "Parents informed in the last 2 weeks (pupils)"),
    "report.col.leader": ("Классный руководитель", "Class leader"),
    "report.col.pupils_n": ("Учеников", "Pupils"),
    "report.col.paper": ("на бумаге", "paper"),
    "report.col.uninformed": ("не информированы", "not informed"),
})


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


class PrintFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


class Kind(StrEnum):
    preliminary = "preliminary"
    final = "final"


FormatOpt = Annotated[TableFormat, typer.Option("--format", help="table, json or xlsx")]
PrintOpt = Annotated[PrintFormat, typer.Option("--format", help="table, json, xlsx or pdf")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write to this file (xlsx/pdf default: a file named after the report in the current folder)")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Count as if today were this date (YYYY-MM-DD); default today")]
YearOpt = Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year, e.g. 2026")]


def _as_of(text: str | None) -> date | None:
    from ejournal_tui.services.control.window import parse_day

    return parse_day(text, "as-of date") if text else None


def _month(text: str | None, as_of: date | None) -> str:
    from ejournal_tui.services.control.window import parse_month

    if text:
        return parse_month(text)[0].strftime("%Y-%m")
    return (as_of or date.today()).strftime("%Y-%m")


def _emit(fmt: str, out: Path | None, default_name: str, data: Any, document: Any,
          lines: list[str]) -> tuple[Path | None, bytes]:
    """Print or write the report in the format asked for; (the file written or None for the
    screen, the bytes that left)."""
    if fmt in ("json", "table"):
        text = json.dumps(data, ensure_ascii=False, indent=1) if fmt == "json" else "\n".join(lines)
        if not out:
            print(text)
            return None, text.encode("utf-8")
        content = (text + "\n").encode("utf-8")
        out.write_bytes(content)
        if fmt == "json":
            print(t("report.written", path=out, n=1, what="JSON"))
        return out, content
    path = out or Path(f"{default_name}.{fmt}")
    if fmt == "xlsx":
        from ejournal_tui.exporters.control_xlsx import document_xlsx

        content, n = document_xlsx(document, _binding())
        what = t("report.sheets")
    else:
        content, n = _pdf(document)
        what = t("report.pages")
    path.write_bytes(content)
    print(t("report.written", path=path, n=n, what=what))
    return path, content


def _trail(db: Any, actor: Any, kind: str, details: dict[str, object], fmt: str,
           emitted: tuple[Path | None, bytes]) -> None:
    """Pupils' data has left the system: the change log says which report, to where."""
    from ejournal_tui.services.exports.common import record_report

    record_report(db, actor, kind, {**details, "format": fmt}, *emitted)


def _binding() -> float:
    """The school's binding margin (mm) for a printed or printable report."""
    with STATE.database().uow() as uow:
        return uow.settings.binding_margin_mm


def _pdf(document: Any) -> tuple[bytes, int]:
    from datetime import datetime

    from ejournal_tui.exporters.control_pdf import document_pdf
    from ejournal_tui.exporters.fonts import find_font

    db = STATE.database()
    with db.uow() as uow:
        font, binding = find_font(uow.settings.pdf_font), uow.settings.binding_margin_mm
    return document_pdf(document, font, datetime.now(), binding)


def _grid(headers: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Control reports: how the register is kept, activity, substitutions, time sheets, "
                             "class leaders' reports.", no_args_is_help=True)
    app.add_typer(group, name="report")
    for name, fn in (("control", control_cmd), ("activity", activity_cmd), ("substitutions", substitutions_cmd),
                     ("timesheet", timesheet_cmd), ("class", class_cmd)):
        group.command(name)(fn)


def control_cmd(
    period: Annotated[str, typer.Option("--period", help="Q1–Q4, H1–H2 or Y")],
    month: Annotated[str | None, typer.Option("--month", help="Only this month of the period: YYYY-MM")] = None,
    week: Annotated[str | None, typer.Option("--week", help="Only the week of this date: YYYY-MM-DD")] = None,
    fmt: PrintOpt = PrintFormat.table,
    out: OutOpt = None,
    details: Annotated[bool, typer.Option("--details", help="JSON: list the lessons and pupils behind each figure")] = False,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The deputy director's control report per teacher × class × subject, with totals and
    what to fix.

    Example: ejournal report control --period Q2 --month 2026-11 --format pdf --out control.pdf
    """
    from ejournal_tui.exporters.control_tables import control_document
    from ejournal_tui.services.control import control_report

    db = STATE.database()
    actor = STATE.actor(db)
    with db.uow() as uow:
        report = control_report(uow, actor, period, month=month, week=week, year=year,  # type: ignore[arg-type]
                                as_of=_as_of(as_of))
    name = f"control-{report.period}" + (f"-{report.start.isoformat()}" if report.kind != "period" else "")
    lines = _control_lines(report) if fmt == PrintFormat.table else []
    doc = control_document(report) if fmt in (PrintFormat.xlsx, PrintFormat.pdf) else None
    emitted = _emit(fmt.value, out, name, report.as_json(details) if fmt == PrintFormat.json else None, doc, lines)
    _trail(db, actor, "control", {"period": report.period, "from": report.start, "to": report.end,
                                  "details": details}, fmt.value, emitted)


def _control_lines(r: Any) -> list[str]:
    from ejournal_tui.services.control.texts import verdict_text

    def fig(f: Any) -> list[str]:
        return [f"{f.held}/{f.scheduled}", f"{f.planned}/{f.plan_lag}", f"{f.no_topic}/{f.no_homework}",
                f"{f.late_lessons}/{f.late_homework}/{f.late_marks}", f"{f.no_marks}/{f.one_mark}/{f.below_minimum}",
                str(f.substituted)]

    def counts(f: Any, extra: int = 0) -> dict[str, int]:
        return {**{k: getattr(f, k) for k in f.__dataclass_fields__}, "uncoded_absences": extra}

    rows = [[x.teacher, x.class_name + (f" ({x.group})" if x.group else ""), x.subject, *fig(x.figures),
             verdict_text(x.verdict, counts(x.figures))] for x in r.rows]
    rows.append([t("report.total"), "", "", *fig(r.totals), ""])
    heads = [t(f"report.col.{k}") for k in ("teacher", "class", "subject", "held", "plan", "gaps", "late", "pupils",
                                             "subs", "fix")]
    title = f"{r.school_name} · {r.period} · {r.start} – {r.end} · ≤ {r.counted_to}"
    informed = [[x.class_name, x.leader, x.pupils, x.informed_email, x.informed_paper, x.not_informed]
                for x in r.leaders]
    parents = [t("report.col.class"), t("report.col.leader"), t("report.col.pupils_n"), "e-mail",
               t("report.col.paper"), t("report.col.uninformed")]
    return [title, "", *_grid(heads, rows), "", t("report.parents"), *_grid(parents, informed)]



def activity_cmd(
    week: Annotated[str | None, typer.Option("--week", help="The week of this date: YYYY-MM-DD; default this week")] = None,
    fmt: FormatOpt = TableFormat.table,
    out: OutOpt = None,
) -> None:
    """Users' activity: entries in the register per user per day of a week, and the teachers
    who entered nothing.

    Example: ejournal report activity --week 2026-11-16 --format json
    """
    from ejournal_tui.exporters.control_tables import activity_document
    from ejournal_tui.services.control.activity import activity_report

    db = STATE.database()
    with db.uow() as uow:
        a = activity_report(uow, STATE.actor(db), week)
    days = [d.strftime("%a %d") for d in a.days]
    lines = [f"{a.school_name} · {a.start} – {a.end}", "",
             *_grid([t("report.col.user"), *days, t("report.total")],
                    [[f"{r.name} ({r.login})", *r.per_day, r.total] for r in a.rows]),
             "", f"{t('report.idle')}: {len(a.idle)}", *(f"  {name} ({login})" for login, name in a.idle)]
    _emit(fmt.value, out, f"activity-{a.start.isoformat()}", a.as_json(), activity_document(a), lines)


def substitutions_cmd(
    month: Annotated[str | None, typer.Option("--month", help="YYYY-MM; default this month")] = None,
    fmt: FormatOpt = TableFormat.table,
    out: OutOpt = None,
) -> None:
    """The substitutions journal of a month: who substituted whom, class, subject, date, hours.

    Example: ejournal report substitutions --month 2026-11 --format xlsx
    """
    from ejournal_tui.exporters.control_tables import substitutions_document
    from ejournal_tui.services.control.journal import substitutions_journal

    db = STATE.database()
    actor = STATE.actor(db)
    with db.uow() as uow:
        j = substitutions_journal(uow, actor, _month(month, uow.today()))
    rows = [[e.date, e.number, e.class_name + (f" ({e.group})" if e.group else ""), e.subject, e.teacher,
             e.substitute, e.hours] for e in j.entries]
    heads = [t("report.col.date"), "#", t("report.col.class"), t("report.col.subject"), t("report.col.teacher"),
             t("report.col.substitute"), t("report.col.hours")]
    lines = [f"{j.school_name} · {j.month}", "", *_grid(heads, rows), "",
             *(f"{name}: {hours}" for name, hours in j.hours_by_substitute())]
    emitted = _emit(fmt.value, out, f"substitutions-{j.month}", j.as_json(), substitutions_document(j), lines)
    _trail(db, actor, "substitutions", {"month": j.month}, fmt.value, emitted)


def timesheet_cmd(
    month: Annotated[str | None, typer.Option("--month", help="YYYY-MM; default this month")] = None,
    teacher: Annotated[str | None, typer.Option("--teacher", help="Only this teacher's login")] = None,
    fmt: PrintOpt = PrintFormat.table,
    out: OutOpt = None,
) -> None:
    """The teachers' time sheet of a month: lessons actually given (recorded in the register)
    per day, substitutions apart, next to the timetable's hours.

    Example: ejournal report timesheet --month 2026-11 --format pdf --out timesheet.pdf
    """
    from ejournal_tui.exporters.control_tables import timesheet_document
    from ejournal_tui.services.control.journal import timesheet

    db = STATE.database()
    actor = STATE.actor(db)
    with db.uow() as uow:
        ts = timesheet(uow, actor, _month(month, uow.today()), teacher)
    rows = [[r.teacher, r.own_total, r.substitutions_total, r.own_total + r.substitutions_total, r.scheduled]
            for r in ts.rows]
    heads = [t("report.col.teacher"), t("report.col.own"), t("report.col.subs"), t("report.total"),
             t("report.col.scheduled")]
    lines = [f"{ts.school_name} · {ts.month}", "", *_grid(heads, rows)]
    emitted = _emit(fmt.value, out, f"timesheet-{ts.month}", ts.as_json(), timesheet_document(ts), lines)
    _trail(db, actor, "timesheet", {"month": ts.month, "teacher": teacher or ""}, fmt.value, emitted)


def class_cmd(
    klass: Annotated[str, typer.Option("--class", help="The class, e.g. 5А")],
    period: Annotated[str, typer.Option("--period", help="Q1–Q4 or H1–H2")],
    kind: Annotated[Kind, typer.Option("--kind", help="preliminary (two weeks before the end) or final")] = Kind.preliminary,
    fmt: PrintOpt = PrintFormat.table,
    out: Annotated[str | None, typer.Option("--out", help="Write to this file, or into this folder (ending in /), "
                                                          "default: class-5А-Q1-final.pdf in the current folder")] = None,
    force: Annotated[bool, typer.Option("--force", help="xlsx/pdf: replace the file if it exists")] = False,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The class leader's progress and attendance report; pupils at risk first. As XLSX or
    PDF it is the file the TUI prints (F6).

    Example: ejournal report class --class 5А --period Q1 --kind final --format pdf
    """
    db = STATE.database()
    actor = STATE.actor(db)
    if fmt in (PrintFormat.pdf, PrintFormat.xlsx):
        _class_file(db, actor, klass, period, kind.value, fmt.value, out, force, year, _as_of(as_of))
        return
    from ejournal_tui.exporters.control_tables import class_document
    from ejournal_tui.services.control.classreport import class_report

    with db.uow() as uow:
        c = class_report(uow, actor, klass, period, kind=kind.value, year=year, as_of=_as_of(as_of))
    rows = [[p.name, len(p.risks) or "",
             " ".join(f"{(x.mark or '-')}/{x.marks}" if x else "." for x in p.cells), p.absences.missed]
            for p in c.pupils]
    heads = [t("report.col.pupil"), t("report.at_risk"), " ".join(s[:3] for s in c.subjects), t("report.col.missed")]
    lines = [f"{c.school_name} · {c.class_name} · {c.period} · {c.kind} · {c.start} – {c.counted_to}", "",
             *_grid(heads, rows)]
    name = f"class-{c.class_name}-{c.period}-{c.kind}"
    emitted = _emit(fmt.value, Path(out) if out else None, name, c.as_json(), class_document(c), lines)
    _trail(db, actor, "class", {"class": c.class_name, "period": c.period, "kind": c.kind}, fmt.value, emitted)


def _class_file(db: Any, actor: Any, klass: str, period: str, kind: str, fmt: str, out: str | None,
                force: bool, year: int | None, as_of: date | None) -> None:
    """The XLSX or PDF made by the export service the TUI's printing screen calls."""
    from ejournal_tui.services.exports.class_report import export_class_report

    result = export_class_report(db, actor, klass, period, kind, fmt, out, year=year, as_of=as_of, force=force)
    what = t("report.sheets") if fmt == "xlsx" else t("report.pages")
    print(t("report.written", path=result.path, n=result.pages, what=what))
