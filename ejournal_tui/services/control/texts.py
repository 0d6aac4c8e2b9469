"""Words of the control reports in both languages: the verdict's "what to fix" phrases and
the reminders shown on a teacher's Today screen. Printed forms are Russian and keep their
own labels in the exporters."""

from __future__ import annotations

from ejournal_tui.i18n import register_many, t

register_many({
    "control.ok": ("в порядке", "in order"),
    "control.fix.not_recorded": ("не записаны уроки: {n}", "lessons not recorded: {n}"),
    "control.fix.plan_lag": ("отставание от КТП: {n}", "behind the plan: {n}"),
    "control.fix.no_topic": ("нет темы: {n}", "no topic: {n}"),
    "control.fix.no_homework": ("нет д/з: {n}", "no homework: {n}"),
    "control.fix.late_lessons": ("уроки записаны поздно: {n}", "lessons entered late: {n}"),
    "control.fix.late_homework": ("д/з записано поздно: {n}", "homework entered late: {n}"),
    "control.fix.late_marks": ("отметки выставлены поздно: {n}", "marks entered late: {n}"),
    "control.fix.no_marks": ("без отметок: {n}", "pupils with no marks: {n}"),
    "control.fix.one_mark": ("с одной отметкой: {n}", "pupils with one mark: {n}"),
    "control.fix.below_minimum": ("меньше минимума отметок: {n}", "below the minimum of marks: {n}"),
    "control.fix.uncoded_absences": ("пропуски без причины: {n}", "absences without a reason: {n}"),
    "control.denied": (
        "отчёты о контроле ведения журнала доступны заместителю директора, директору и администратору",
        "control reports are for the deputy director, the director and the administrator",
    ),
    "control.bad_month": ("месяц «{text}»: используйте ГГГГ-ММ, например 2026-11",
                          "month {text!r}: use YYYY-MM, e.g. 2026-11"),
    "control.bad_day": ("{what} «{text}»: используйте ГГГГ-ММ-ДД, например 2026-11-16",
                        "{what} {text!r}: use YYYY-MM-DD, e.g. 2026-11-16"),
    "control.field.date": ("дата", "date"),
    "control.field.week": ("неделя", "week"),
    "control.field.as-of date": ("дата отчёта", "as-of date"),
    "control.month_or_week": ("укажите либо --month, либо --week, но не оба", "give either --month or --week, not both"),
    "control.outside.period": ("запрошенный период лежит вне {code} ({start} – {end})",
                               "the period asked for lies outside {code} ({start} – {end})"),
    "control.outside.month": ("запрошенный месяц лежит вне {code} ({start} – {end})",
                              "the month asked for lies outside {code} ({start} – {end})"),
    "control.outside.week": ("запрошенная неделя лежит вне {code} ({start} – {end})",
                             "the week asked for lies outside {code} ({start} – {end})"),
    "control.bad_kind": ("вид отчёта «{kind}»: используйте {a} или {b}", "report kind {kind!r}: use {a} or {b}"),
    "control.final_too_early": ("итоговый отчёт за {code} можно сделать после {end}",
                                "the final report of {code} can be made after {end}"),
    "control.class_denied": (
        "отчёт класса {klass} доступен его классному руководителю, секретарю и администрации",
        "the report of class {klass} is for its class leader, the secretary and the school's management",
    ),
    "remind.not_recorded": ("{klass} {subject}: запишите урок от {date}", "{klass} {subject}: record the lesson of {date}"),
    "remind.no_topic": ("{klass} {subject}: укажите тему урока от {date}", "{klass} {subject}: enter the topic of {date}"),
    "remind.no_homework": ("{klass} {subject}: запишите д/з к уроку от {date}", "{klass} {subject}: enter the homework of {date}"),
    "remind.plan_lag": ("{klass} {subject}: отставание от КТП на {n} ур.", "{klass} {subject}: lessons behind the plan: {n}"),
    "remind.no_marks": ("{klass} {subject}: {pupil} — нет отметок", "{klass} {subject}: {pupil} has no marks"),
    "remind.one_mark": ("{klass} {subject}: {pupil} — одна отметка", "{klass} {subject}: {pupil} has one mark"),
    "remind.below_minimum": (
        "{klass} {subject}: {pupil} — {n} отм. из {need} нужных",
        "{klass} {subject}: {pupil} has {n} of {need} marks needed",
    ),
    "remind.uncoded_absence": (
        "{klass}: {pupil} — пропуски без причины: {n}", "{klass}: {pupil} — absences without a reason: {n}",
    ),
})


def verdict_text(codes: tuple[str, ...], counts: dict[str, int]) -> str:
    """'no topic: 2; marks entered late: 1' or 'in order'."""
    if not codes:
        return t("control.ok")
    return "; ".join(t(f"control.fix.{code}", n=counts.get(code, 0)) for code in codes)
