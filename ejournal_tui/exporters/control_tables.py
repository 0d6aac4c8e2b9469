"""The control reports as printed tables (Russian, as official forms are): each report
becomes a title and a few sheets of headers and rows, which `control_xlsx` and `control_pdf`
render. Built from the frozen rows of `services.control`, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ejournal_tui.domain.control_shares import (
    homework_percent,
    material_percent,
    no_marks_percent,
    one_mark_percent,
    participation_percent,
)
from ejournal_tui.exporters.data import PERIOD_LABELS

KINDS = {"period": "", "month": "месяц", "week": "неделя"}
WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
ISSUE_RU = {
    "not_recorded": "не записаны уроки", "plan_lag": "отставание от КТП", "no_topic": "нет темы",
    "no_homework": "нет д/з", "late_lessons": "уроки записаны поздно", "late_homework": "д/з записано поздно",
    "late_marks": "отметки поздно", "no_marks": "без отметок", "one_mark": "одна отметка",
    "below_minimum": "меньше минимума", "uncoded_absences": "пропуски без причины",
    "uncoded_absence": "пропуск без причины", "substituted": "замена",
}


@dataclass(frozen=True)
class Sheet:
    name: str  # worksheet name
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths (characters)


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    sheets: tuple[Sheet, ...]
    signatures: tuple[str, ...] = ()  # roles that sign the printed copy


def d(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def verdict_ru(codes: tuple[str, ...], counts: dict[str, int]) -> str:
    return "; ".join(f"{ISSUE_RU[c]}: {counts.get(c, 0)}" for c in codes) or "в порядке"


_FIG_HEADERS = ("По расписанию", "Проведено", "Не записано", "% участия", "По КТП", "Отставание", "Без темы",
                "% с темой", "Без д/з", "% с д/з", "Уроки поздно", "Д/з поздно", "Отметки поздно", "Учеников",
                "Без отметок", "% без отметок", "Одна отметка", "% с одной отметкой", "Меньше минимума", "Замены")
_FIG_WIDTHS = (8.0, 8.0, 8.0, 9.0, 8.0, 8.0, 8.0, 9.0, 8.0, 9.0, 8.0, 8.0, 8.0, 8.0, 8.0, 9.0, 8.0, 9.0, 8.0, 8.0)


def _figs(f: Any) -> tuple[int | float | str, ...]:
    """A row's figures in the order of _FIG_HEADERS; the shares of pupils with no marks and
    with one mark as `domain.control_shares` computes them ("" without pupils)."""
    return (f.scheduled, f.held, f.not_recorded, _share(participation_percent(f.scheduled, f.not_recorded)),
            f.planned, f.plan_lag, f.no_topic, _share(material_percent(f.held, f.no_topic)), f.no_homework,
            _share(homework_percent(f.held, f.no_homework)), f.late_lessons, f.late_homework, f.late_marks, f.pupils,
            f.no_marks, _share(no_marks_percent(f.no_marks, f.pupils)), f.one_mark,
            _share(one_mark_percent(f.one_mark, f.pupils)), f.below_minimum, f.substituted)


def _share(value: float | None) -> float | str:
    return "" if value is None else value


def _counts(f: Any, extra: dict[str, int] | None = None) -> dict[str, int]:
    out = {k: getattr(f, k) for k in ISSUE_RU if hasattr(f, k)}
    return {**out, **(extra or {})}


def control_document(r: Any) -> Document:
    """The deputy director's control report (services.control.ControlReport)."""
    window = f"{PERIOD_LABELS.get(r.period, r.period)}"
    if r.kind != "period":
        window += f", {KINDS[r.kind]} {d(r.start)} – {d(r.end)}"
    rows = tuple((x.teacher, x.class_name + (f" ({x.group})" if x.group else ""), x.subject, x.hours_per_week,
                  *_figs(x.figures), "" if x.minimum is None else x.minimum,
                  verdict_ru(x.verdict, _counts(x.figures))) for x in r.rows)
    teachers = tuple((x.teacher, *_figs(x.figures), x.substitutions_given, x.uncoded_absences,
                      verdict_ru(x.verdict, _counts(x.figures, {"uncoded_absences": x.uncoded_absences})))
                     for x in r.teachers)
    total = ("Итого по школе", *_figs(r.totals), len(r.substitutions), r.uncoded_absences, "")
    leaders = tuple((x.class_name, x.leader, x.uncoded_absences, x.pupils, x.informed_email, x.informed_paper,
                     x.not_informed) for x in r.leaders)
    subs = substitution_rows(r.substitutions)
    items = tuple((x.teacher, x.class_name, x.subject, ISSUE_RU.get(i.issue, i.issue.replace("late_mark_", "отметка поздно: ")),
                   d(i.date), i.number or "", i.pupil, i.count, d(i.due)) for x in r.rows for i in x.items)
    return Document(
        "Контроль ведения электронного журнала", f"{r.school_name} · {window} · учтено по {d(r.counted_to)}",
        (Sheet("Контроль", "Учитель × класс × предмет", ("Учитель", "Класс", "Предмет", "Ч/нед", *_FIG_HEADERS,
                                                         "Минимум", "Что исправить"), rows,
               (20, 9, 22, 6, *_FIG_WIDTHS, 8, 40)),
         Sheet("Учителя", "Итоги по учителям", ("Учитель", *_FIG_HEADERS, "Заменял", "Пропуски без причины",
                                                "Что исправить"), (*teachers, total), (20, *_FIG_WIDTHS, 8, 8, 40)),
         Sheet("Кл. руководители", "Пропуски без причины и информирование родителей (за 2 недели) по классам",
               ("Класс", "Классный руководитель", "Пропуски без причины", "Учеников", "Родители: по e-mail",
                "Родители: на бумаге", "Родители: не информированы"), leaders, (8, 24, 12, 9, 11, 11, 13)),
         Sheet("Замены", "Замены", SUB_HEADERS, subs, SUB_WIDTHS),
         Sheet("Подробно", "Уроки и ученики за цифрами", ("Учитель", "Класс", "Предмет", "Что", "Дата", "Урок",
                                                          "Ученик", "Кол-во", "Срок"), items,
               (20, 8, 22, 24, 11, 6, 22, 7, 11))),
        ("Заместитель директора",),
    )


SUB_HEADERS = ("Дата", "Урок", "Класс", "Предмет", "Отсутствовал", "Заменял", "Часов")
SUB_WIDTHS = (11, 6, 10, 24, 22, 22, 7)


def substitution_rows(subs: Any) -> tuple[tuple[Any, ...], ...]:
    return tuple((d(s.date), s.number, s.class_name + (f" ({s.group})" if s.group else ""), s.subject, s.teacher,
                  s.substitute, s.hours) for s in subs)


def substitutions_document(j: Any) -> Document:
    totals = tuple((name, hours) for name, hours in j.hours_by_substitute())
    return Document("Журнал замен", f"{j.school_name} · {j.month}",
                    (Sheet("Замены", "Замены уроков", SUB_HEADERS, substitution_rows(j.entries), SUB_WIDTHS),
                     Sheet("Итого", "Часы замен по учителям", ("Заменял", "Часов"), totals, (24, 8))),
                    ("Заместитель директора",))


def activity_document(a: Any) -> Document:
    days = tuple(f"{WEEKDAYS[i]} {x.strftime('%d.%m')}" for i, x in enumerate(a.days))
    rows = tuple((r.name, r.login, *r.per_day, r.total) for r in a.rows)
    idle = tuple((name, login) for login, name in a.idle)
    return Document("Активность пользователей в журнале", f"{a.school_name} · неделя {d(a.start)} – {d(a.end)}",
                    (Sheet("Активность", "Записей по дням", ("Пользователь", "Логин", *days, "Всего"), rows,
                           (22, 14, *([9] * 7), 8)),
                     Sheet("Без записей", "Учителя без записей за неделю", ("Учитель", "Логин"), idle, (24, 14))))


def timesheet_document(ts: Any) -> Document:
    days = tuple(str(x.day) for x in ts.days)
    rows = []
    for r in ts.rows:
        cells = tuple(_day_cell(o, s) for o, s in zip(r.own, r.substitutions, strict=True))
        rows.append((r.teacher, *cells, r.own_total, r.substitutions_total, r.own_total + r.substitutions_total,
                     r.scheduled))
    return Document("Табель учёта рабочего времени учителей", f"{ts.school_name} · {_month_ru(ts.month)}",
                    (Sheet("Табель", "Часы по дням (замены через «+»)",
                           ("Учитель", *days, "Своих", "Замен", "Всего", "По расписанию"), tuple(rows),
                           (20, *([3.2] * len(days)), 6, 6, 6, 8)),),
                    ("Заместитель директора", "Директор"))


def _day_cell(own: int, subs: int) -> str:
    if not own and not subs:
        return ""
    return f"{own}+{subs}" if subs else str(own)


_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
           "ноябрь", "декабрь")


def _month_ru(month: str) -> str:
    year, mon = month.split("-")
    return f"{_MONTHS[int(mon) - 1]} {year}"


def class_document(c: Any) -> Document:
    kind = "предварительный" if c.kind == "preliminary" else "итоговый"
    headers = ("№", "Ученик", "Риск", *c.subjects, "Пропущено", "Б", "У", "Н", "Без причины", "Опоздания")
    rows = []
    for i, p in enumerate(c.pupils, 1):
        cells = tuple(_class_cell(x) for x in p.cells)
        a = p.absences
        rows.append((i, p.name, _risk_ru(p.risks), *cells, a.missed, a.ill, a.excused, a.unexcused, a.uncoded, a.late))
    legend = "Клетка: отметка за период (или предлагаемая) / число отметок; «!» — меньше минимума"
    return Document(f"Отчёт классного руководителя ({kind}): успеваемость и посещаемость",
                    f"{c.school_name} · {c.class_name} класс · {PERIOD_LABELS.get(c.period, c.period)} · "
                    f"с {d(c.start)} по {d(c.counted_to)} · классный руководитель {c.leader}",
                    (Sheet("Класс", legend, headers, tuple(rows),
                           (4, 20, 24, *([7] * len(c.subjects)), 8, 4, 4, 4, 7, 7)),),
                    ("Классный руководитель",))


def _class_cell(cell: Any) -> str:
    if cell is None:
        return ""
    mark = cell.mark or "–"
    return f"{mark}/{cell.marks}{'!' if cell.below_minimum else ''}"


def _risk_ru(risks: tuple[str, ...]) -> str:
    parts = []
    below = [r.split(":", 1)[1] for r in risks if r.startswith("below_minimum:")]
    twos = [r.split(":", 1)[1] for r in risks if r.startswith("mark_2:")]
    if twos:
        parts.append("«2»: " + ", ".join(twos))
    if below:
        parts.append("мало отметок: " + ", ".join(below))
    parts.extend(f"без уваж. причины: {r.split(':', 1)[1]} ур." for r in risks if r.startswith("unexcused:"))
    return "; ".join(parts)
