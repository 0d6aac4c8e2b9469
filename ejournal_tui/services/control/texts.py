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
    "control.class_denied": (
        "отчёт класса {klass} доступен его классному руководителю и администрации",
        "the report of class {klass} is for its class leader and the school's management",
    ),
    "remind.not_recorded": ("{klass} {subject}: запишите урок от {date}", "{klass} {subject}: record the lesson of {date}"),
    "remind.no_topic": ("{klass} {subject}: укажите тему урока от {date}", "{klass} {subject}: enter the topic of {date}"),
    "remind.no_homework": ("{klass} {subject}: запишите д/з к уроку от {date}", "{klass} {subject}: enter the homework of {date}"),
    "remind.plan_lag": ("{klass} {subject}: отставание от КТП на {n} ур.", "{klass} {subject}: {n} lessons behind the plan"),
    "remind.no_marks": ("{klass} {subject}: {pupil} — нет отметок", "{klass} {subject}: {pupil} has no marks"),
    "remind.one_mark": ("{klass} {subject}: {pupil} — одна отметка", "{klass} {subject}: {pupil} has one mark"),
    "remind.below_minimum": (
        "{klass} {subject}: {pupil} — {n} отм. из {need} нужных",
        "{klass} {subject}: {pupil} has {n} of {need} marks needed",
    ),
    "remind.uncoded_absence": (
        "{klass}: {pupil} — пропуски без причины: {n}", "{klass}: {pupil} has {n} absences without a reason",
    ),
})


def verdict_text(codes: tuple[str, ...], counts: dict[str, int]) -> str:
    """'no topic: 2; marks entered late: 1' or 'in order'."""
    if not codes:
        return t("control.ok")
    return "; ".join(t(f"control.fix.{code}", n=counts.get(code, 0)) for code in codes)
