"""The refusals of the school's administration (classes, pupils, subjects, loads, timetable,
bells, periods, holidays, settings) in both languages; `services.admin` raises them."""

from __future__ import annotations

from ejournal_tui.i18n import register_many

register_many(
    {
        "adm.keepers": ("данные школы ведут заместитель директора или администратор",
                        "the school's data is kept by the deputy director or the administrator"),
        "adm.bad_class": ("класс «{name}»: параллель 1–11 и буква, например 5А",
                          "class {name!r}: a grade 1–11 and a letter, like 5А"),
        "adm.class_exists": ("класс {name} уже есть", "class {name} already exists"),
        "adm.pupil_names": ("у ученика должны быть фамилия и имя", "a pupil needs a last name and a first name"),
        "adm.pupil_no_class": ("ученик не числится ни в одном классе на {day}", "the pupil is in no class on {day}"),
        "adm.pupil_joined": ("ученик зачислен в класс {day}: выберите более позднюю дату",
                             "the pupil joined the class on {day}: choose a later date"),
        "adm.pupil_already": ("ученик уже в {klass}", "the pupil is already in {klass}"),
        "adm.subject_name": ("у предмета должно быть название", "the subject needs a name"),
        "adm.subject_exists": ("предмет «{name}» уже есть", "subject {name!r} already exists"),
        "adm.hours": ("часов в неделю {hours}: от 0,5 до 12", "hours a week {hours}: between 0.5 and 12"),
        "adm.foreign_group": ("группа не относится к {klass}", "the group is not a group of {klass}"),
        "adm.load_used": ("по нагрузке уже есть уроки в журнале, удалить её нельзя",
                          "the load has lessons in the register and cannot be removed"),
        "adm.slot_range": ("день недели 1–6 (понедельник = 1) и номер урока 1–10",
                           "weekday 1–6 (Monday = 1) and lesson number 1–10"),
        "adm.no_bell": ("у {n}-го урока нет времени звонка: сначала задайте его",
                        "lesson {n} has no bell time: set it first"),
        "adm.teacher_busy": ("у учителя уже есть {n}-й урок в день недели {weekday}",
                             "the teacher already has lesson {n} on weekday {weekday}"),
        "adm.class_busy": ("у класса уже есть {n}-й урок в день недели {weekday}",
                           "the class already has lesson {n} on weekday {weekday}"),
        "adm.bad_time": ("время «{text}»: используйте ЧЧ:ММ", "time {text!r}: use HH:MM"),
        "adm.bell_backwards": ("{n}-й урок заканчивается ({end}) раньше, чем начинается ({start})",
                               "lesson {n} ends ({end}) before it starts ({start})"),
        "adm.bad_value": ("{name}: «{raw}» — недопустимое значение", "{name}: {raw!r} is not a valid value"),
        "adm.average": ("average: weighted (взвешенное) или arithmetic (среднее арифметическое)",
                        "average: weighted or arithmetic"),
        "adm.bad_setting": ("неизвестная настройка «{name}»", "unknown setting {name!r}"),
    }
)
