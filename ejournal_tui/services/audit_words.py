"""The change log in words: what an event's action code, its ids and its JSON mean, said in
the user's language («Отметка исправлена · 5А · Алгебра · 16.11.2026 · Волков Виктор · 3 → 4»).
The TUI's change log and `ejournal audit log` both read events through here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ejournal_tui.domain import settings_rules  # noqa: F401 - registers the settings' labels
from ejournal_tui.domain.calendar import period_name
from ejournal_tui.i18n import language, register_many, t
from ejournal_tui.services.audit_log import Glossary, LogEntry

ACTIONS: dict[str, tuple[str, str]] = {
    "mark.add": ("Отметка выставлена", "Mark entered"),
    "mark.correct": ("Отметка исправлена", "Mark corrected"),
    "mark.delete": ("Отметка удалена", "Mark deleted"),
    "remark.add": ("Замечание или благодарность родителям", "Remark or thanks to parents"),
    "remark.edit": ("Замечание или благодарность изменены", "Remark or thanks changed"),
    "remark.delete": ("Замечание или благодарность удалены", "Remark or thanks removed"),
    "final.set": ("Итоговая отметка", "Final mark"),
    "period.close": ("Период закрыт", "Period closed"),
    "period.reopen": ("Период переоткрыт", "Period reopened"),
    "period.dates": ("Даты периода изменены", "Period dates changed"),
    "lesson.open": ("Урок открыт", "Lesson opened"),
    "lesson.record": ("Урок записан", "Lesson recorded"),
    "lesson.update": ("Урок изменён", "Lesson changed"),
    "lesson.substitute": ("Замена учителя", "Substitute teacher"),
    "lesson.unsubstitute": ("Замена отменена", "Substitution cancelled"),
    "attendance.set": ("Посещаемость", "Attendance"),
    "attendance.reason": ("Причина пропуска", "Reason for absence"),
    "attendance.note": ("Справка о пропуске", "Absence note"),
    "account.add": ("Учётная запись создана", "Account created"),
    "account.passwd": ("Пароль изменён", "Password changed"),
    "account.disable": ("Учётная запись отключена", "Account disabled"),
    "account.enable": ("Учётная запись включена", "Account enabled"),
    "account.roles": ("Роли изменены", "Roles changed"),
    "account.unlock": ("Учётная запись разблокирована", "Account unlocked"),
    "account.recover": ("Доступ администратора восстановлен владельцем базы данных", "Administrator's access recovered by the database's owner"),
    "auth.login": ("Вход в программу", "Signed in"),
    "auth.fail": ("Неудачный вход", "Failed sign-in"),
    "import.students": ("Импорт учеников", "Pupils imported"),
    "import.staff": ("Импорт сотрудников", "Staff imported"),
    "import.load": ("Импорт нагрузки", "Teaching load imported"),
    "import.timetable": ("Импорт расписания", "Timetable imported"),
    "import.plan": ("Импорт КТП", "Lesson plans imported"),
    "export.register": ("Выгрузка журнала", "Register exported"),
    "export.summary": ("Выгрузка сводной ведомости", "Summary sheet exported"),
    "export.report-cards": ("Выгрузка табелей", "Report cards exported"),
    "export.class-report": ("Выгрузка отчёта классного руководителя", "Class report exported"),
    "export.all": ("Выгрузка всех классов", "Every class exported"),
    "school.create": ("Школа создана", "School created"),
    "school.edit": ("Данные школы изменены", "School details changed"),
    "year.new": ("Новый учебный год", "New school year"),
    "year.dates": ("Даты учебного года изменены", "School year dates changed"),
    "workkind.set": ("Вид работы изменён", "Kind of work set"),
    "reason.rename": ("Причина пропуска переименована", "Absence reason renamed"),
    "setting.set": ("Настройка изменена", "Setting changed"),
    "class.add": ("Класс создан", "Class added"),
    "class.leader": ("Классный руководитель назначен", "Class leader set"),
    "pupil.add": ("Ученик зачислен", "Pupil enrolled"),
    "pupil.edit": ("Данные ученика изменены", "Pupil details changed"),
    "pupil.groups": ("Группы ученика изменены", "Pupil's groups changed"),
    "pupil.move": ("Ученик переведён", "Pupil moved"),
    "pupil.leave": ("Ученик выбыл", "Pupil left"),
    "contacts.save": ("Контакты родителей изменены", "Parents' contacts changed"),
    "subject.add": ("Предмет добавлен", "Subject added"),
    "load.add": ("Нагрузка назначена", "Teaching load added"),
    "load.hours": ("Часы нагрузки изменены", "Load hours changed"),
    "load.remove": ("Нагрузка снята", "Teaching load removed"),
    "timetable.add": ("Урок добавлен в расписание", "Timetable lesson added"),
    "timetable.remove": ("Урок убран из расписания", "Timetable lesson removed"),
    "bell.set": ("Время звонка", "Bell time set"),
    "holiday.add": ("Каникулы добавлены", "Holiday added"),
    "holiday.edit": ("Каникулы изменены", "Holiday changed"),
    "holiday.remove": ("Каникулы удалены", "Holiday removed"),
    "demo.generate": ("Демонстрационная школа создана", "Demo school generated"),
    "paper.add": ("Копия внесена в реестр бумажных копий", "Paper copy entered in the registry"),
    "paper.sign": ("Подпись на бумажной копии", "Paper copy signed"),
    "paper.archive": ("Бумажная копия сдана в архив", "Paper copy handed to the archive"),
    "paper.print": ("Реестр бумажных копий напечатан", "Registry of paper copies printed"),
    "notify.parents": ("Родители проинформированы", "Parents informed"),
}

# labels of the JSON fields, in the order they are told; fields not here are told by their name
FIELDS: dict[str, tuple[str, str]] = {
    "value": ("отметка", "mark"), "topic": ("тема", "topic"), "homework": ("д/з", "homework"),
    "work_kind": ("вид работы", "kind of work"), "kind": ("вид", "kind"), "comment": ("комментарий", "comment"),
    "text": ("текст", "text"), "praise": ("благодарность", "thanks"),
    "number": ("урок №", "lesson no."), "weekday": ("день недели", "weekday"), "room": ("кабинет", "room"),
    "teacher_id": ("учитель", "teacher"), "teacher": ("учитель", "teacher"), "leader_id": ("руководитель", "leader"),
    "leader": ("руководитель", "leader"), "name": ("название", "name"), "short": ("сокращение", "short name"),
    "code": ("код", "code"), "weight": ("вес", "weight"), "category": ("категория", "category"),
    "login": ("логин", "login"), "roles": ("роли", "roles"), "disabled": ("отключена", "disabled"),
    "class_id": ("класс", "class"), "class": ("класс", "class"), "subject": ("предмет", "subject"),
    "hours": ("часов в неделю", "hours a week"), "start": ("с", "from"), "end": ("по", "to"),
    "last_day": ("последний день", "last day"), "from": ("с", "from"), "to": ("по", "to"),
    "reason": ("причина", "reason"), "lessons": ("уроков", "lessons"), "period": ("период", "period"),
    "year": ("год", "year"), "with": ("вместе с", "together with"), "city": ("город", "city"),
    "director": ("директор", "director"), "file": ("файл", "file"), "rows": ("строк", "rows"),
    "created": ("добавлено", "created"), "updated": ("обновлено", "updated"), "pages": ("страниц", "pages"),
    "format": ("формат", "format"), "weeks": ("недель", "weeks"), "as_of": ("на дату", "as of"),
    "promoted": ("переведено классов", "classes promoted"), "graduated": ("выпущено", "graduated"),
    "kept_back": ("оставлено", "kept back"), "pupils": ("учеников", "pupils"), "groups": ("группы", "groups"),
    "last_name": ("фамилия", "last name"), "first_name": ("имя", "first name"), "patronymic": ("отчество", "patronymic"),
    "birth_date": ("дата рождения", "birth date"), "personal_file_no": ("№ личного дела", "personal file no."),
    "parents": ("родители", "parents"), "phone": ("телефоны", "phones"), "gender": ("пол", "gender"),
    "contacts": ("контакты родителей", "parents' contacts"),
    "closed": ("закрыт", "closed"), "folder": ("папка", "folder"), "complete": ("завершена", "complete"),
    "files": ("файлов", "files"),
    "copy": ("копия №", "copy no."), "document": ("документ", "document"), "sheets": ("листов", "sheets"),
    "draft": ("черновик", "draft"), "printed_by": ("напечатал", "printed by"),
    "teachers_signed": ("подписи учителей", "teachers signed"),
    "leader_signed": ("подпись классного руководителя", "class leader signed"),
    "deputy_signed": ("подпись заместителя директора", "deputy director signed"),
    "director_signed": ("подпись директора", "director signed"), "archived": ("сдана в архив", "archived"),
    "copies": ("копий", "copies"),
    "sent": ("отправлено писем", "messages sent"), "written": ("записано писем", "messages written"),
    "failed": ("не доставлено", "failed"), "printed": ("на бумаге", "on paper"), "finals": ("итоговые", "finals"),
    "dry_run": ("пробный запуск", "dry run"), "stopped": ("прервано", "stopped"),
}
# ids and digests: the detail view shows them, the sentence leaves them out
_SILENT = re.compile(r".*_id$|.*sha256$|^(load|batch|status)$")
_NAMED_IDS = {"teacher_id", "leader_id", "class_id"}

ROLES: dict[str, tuple[str, str]] = {
    "teacher": ("учитель", "teacher"), "class_leader": ("классный руководитель", "class leader"),
    "deputy": ("заместитель директора", "deputy director"), "secretary": ("секретарь", "secretary"),
    "sysadmin": ("системный администратор", "system administrator"), "director": ("директор", "director"),
    "admin": ("администратор", "administrator"),
}

register_many({f"ev.act.{code}": words for code, words in ACTIONS.items()})
register_many({f"ev.field.{name}": words for name, words in FIELDS.items()})
register_many({f"ev.role.{name}": words for name, words in ROLES.items()})
register_many({
    "ev.yes": ("да", "yes"),
    "ev.no": ("нет", "no"),
    # the register's own notation, in either language (the grid writes н and оп in English too)
    "ev.absent": ("н", "н"),
    "ev.late": ("оп", "оп"),
    "ev.none": ("—", "—"),
    "ev.d.seq": ("№ события", "Event no."),
    "ev.d.at": ("Когда", "When"),
    "ev.d.who": ("Кто", "Who"),
    "ev.d.action": ("Действие", "Action"),
    "ev.d.class": ("Класс", "Class"),
    "ev.d.pupil": ("Ученик", "Pupil"),
    "ev.d.subject": ("Предмет", "Subject"),
    "ev.d.lesson_date": ("Дата урока", "Lesson date"),
    "ev.d.period": ("Период", "Period"),
    "ev.d.change": ("Было → стало", "Before → after"),
    "ev.d.reason": ("Причина", "Reason"),
    "ev.d.flagged": ("Запись с опозданием", "Late entry"),
    "ev.d.entity": ("Объект", "Object"),
    "ev.d.before": ("Было (данные)", "Before (data)"),
    "ev.d.after": ("Стало (данные)", "After (data)"),
})

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMPTY = Glossary()


@dataclass(frozen=True)
class EventWords:
    """One event as a person reads it; empty strings where the event has nothing to say."""

    seq: int
    when: str
    who: str
    action: str
    class_name: str
    subject: str
    lesson_date: str
    pupil: str
    change: str
    reason: str
    flagged: bool

    @property
    def where(self) -> str:
        """Class · subject · lesson date, as far as the event has them."""
        return " · ".join(p for p in (self.class_name, self.subject, self.lesson_date) if p)


def action_words(code: str) -> str:
    """The action in words; a code this module does not know is shown as it is."""
    return t(f"ev.act.{code}") if code in ACTIONS else code


def period_words(code: str) -> str:
    return str(period_name(code))


def day_words(day: date | None, short: bool = False) -> str:
    """A day as the user's language writes it: 16.11.2026 (short: 16.11.26), or 2026-11-16."""
    if day is None:
        return ""
    if language() != "ru":
        return day.isoformat()
    return day.strftime("%d.%m.%y" if short else "%d.%m.%Y")


def when_words(entry: LogEntry, seconds: bool = False, short: bool = False) -> str:
    """The event's time, local."""
    local = entry.at.astimezone()
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{day_words(local.date(), short)} {clock}"


def words(entry: LogEntry, glossary: Glossary = EMPTY) -> EventWords:
    """The event in words: who, when, the action, where, the pupil, before → after, why."""
    return EventWords(
        entry.seq, when_words(entry), glossary.people.get(entry.actor, entry.actor), action_words(entry.action),
        entry.class_name, entry.subject, day_words(entry.lesson_date), entry.pupil,
        change_words(entry, glossary), entry.reason, entry.flagged,
    )


# ---- before → after ------------------------------------------------------------------------

def change_words(entry: LogEntry, glossary: Glossary = EMPTY) -> str:
    """What changed: «3 → 4» for a mark, «н → Б» for an absence, «тема: …» for a lesson."""
    told = _TOLD.get(entry.action)
    if told is not None:
        return told(entry, glossary)
    return _diff(_dict(entry.before), _dict(entry.after), glossary)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _arrow(before: str, after: str) -> str:
    return f"{before or t('ev.none')} → {after or t('ev.none')}"


def _mark_added(entry: LogEntry, glossary: Glossary) -> str:
    after = _dict(entry.after)
    kind = glossary.kinds.get(str(after.get("kind") or ""), str(after.get("kind") or ""))
    told = str(after.get("value") or "") + (f" ({kind})" if kind else "")
    return "; ".join(p for p in (told, _diff({}, {"comment": after.get("comment")}, glossary)) if p)


def _mark_changed(entry: LogEntry, glossary: Glossary) -> str:
    before, after = _dict(entry.before), _dict(entry.after)
    value = _arrow(str(before.get("value") or ""), str(after.get("value") or ""))
    if entry.action == "mark.delete":
        return value
    rest = _diff({k: v for k, v in before.items() if k != "value"}, {k: v for k, v in after.items() if k != "value"},
                 glossary)
    moved = "value" in before or "value" in after
    return "; ".join(p for p in (value if moved else "", rest) if p)


def _final(entry: LogEntry, glossary: Glossary) -> str:
    before, after = _dict(entry.before), _dict(entry.after)
    change = _arrow(str(before.get("value") or ""), str(after.get("value") or ""))
    return f"{period_words(entry.period)}: {change}" if entry.period else change


def _presence(state: Any) -> str:
    """An attendance entry as the register writes it: н, оп, or the reason's code (Б, У)."""
    if not isinstance(state, dict):
        return ""
    if state.get("reason"):
        return str(state["reason"])
    return t("ev.late") if state.get("status") == "late" else t("ev.absent")


def _attendance(entry: LogEntry, glossary: Glossary) -> str:
    return _arrow(_presence(entry.before), _presence(entry.after))


def _period(entry: LogEntry, glossary: Glossary) -> str:
    return period_words(entry.period)


_TOLD: dict[str, Callable[[LogEntry, Glossary], str]] = {
    "mark.add": _mark_added, "mark.correct": _mark_changed, "mark.delete": _mark_changed, "final.set": _final,
    "attendance.set": _attendance, "attendance.reason": _attendance, "period.close": _period,
    "period.reopen": _period,
}


def _diff(before: dict[str, Any], after: dict[str, Any], glossary: Glossary) -> str:
    """«label: before → after» for each field that changed, «label: value» for a new one."""
    order = list(FIELDS)
    keys = sorted({*before, *after}, key=lambda k: (order.index(k) if k in order else len(order), k))
    parts = []
    for key in keys:
        if _SILENT.match(key) and key not in _NAMED_IDS:
            continue
        old, new = (_value(key, d.get(key), glossary) if key in d else None for d in (before, after))
        if old == new or (old is None and new == ""):
            continue
        told = new if old is None else _arrow(old, new or "")
        parts.append(f"{field_label(key)}: {told}")
    return "; ".join(parts)


def field_label(key: str) -> str:
    """A field's label: ours, a school setting's, or its own name."""
    if key in FIELDS:
        return t(f"ev.field.{key}")
    setting = t(f"set.{key}")
    return key if setting == f"set.{key}" else setting


def _value(key: str, value: Any, glossary: Glossary) -> str:
    """One JSON value in words: names for ids, logins and codes; dates by the language."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return t("ev.yes") if value else t("ev.no")
    if isinstance(value, list):
        if key == "groups":  # a pupil's groups by id (a number alone is a count of groups)
            return ", ".join(glossary.groups.get(v, str(v)) for v in value) or t("ev.none")
        return ", ".join(_value(key, v, glossary) for v in value)
    if key == "roles":
        return t(f"ev.role.{value}") if value in ROLES else str(value)
    return _named(key, value, glossary)


def _named(key: str, value: Any, glossary: Glossary) -> str:
    if key in ("teacher_id", "leader_id") and isinstance(value, int):
        return glossary.staff.get(value, str(value))
    if key == "class_id" and isinstance(value, int):
        return glossary.classes.get(value, str(value))
    if key in ("teacher", "leader"):
        return glossary.people.get(str(value), str(value))
    if key in ("kind", "work_kind"):
        return glossary.kinds.get(str(value), str(value))
    if key in ("period", "with"):
        return period_words(str(value))
    if isinstance(value, str) and _ISO_DAY.match(value):
        return day_words(date.fromisoformat(value))
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if language() == "ru" else text
    return str(value)


# ---- every field, for the detail view --------------------------------------------------------

def _pretty(value: Any) -> str:
    if value is None or value == "":
        return t("ev.none")
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def details(entry: LogEntry, glossary: Glossary = EMPTY) -> list[tuple[str, str]]:
    """(label, text) of every field of the event, its data as indented JSON."""
    said = words(entry, glossary)
    who = f"{said.who} ({entry.actor})" if said.who != entry.actor else entry.actor
    action = f"{said.action} ({entry.action})" if said.action != entry.action else entry.action
    entity = f"{entry.entity} {entry.entity_id}" if entry.entity_id is not None else entry.entity
    rows = [
        ("seq", str(entry.seq)), ("at", when_words(entry, seconds=True)), ("who", who), ("action", action),
        ("class", entry.class_name), ("pupil", entry.pupil), ("subject", entry.subject),
        ("lesson_date", said.lesson_date), ("period", period_words(entry.period) if entry.period else ""),
        ("change", said.change), ("reason", entry.reason), ("flagged", t("ev.yes") if entry.flagged else t("ev.no")),
        ("entity", entity), ("before", _pretty(entry.before)), ("after", _pretty(entry.after)),
    ]
    return [(t(f"ev.d.{key}"), text or t("ev.none")) for key, text in rows]
