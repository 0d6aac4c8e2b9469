"""Write the sample import files of data/samples/ the way schools really send them: a title
above the header, one ФИО column in one file and three in another, dates as dates and as
text, ё and е, stray spaces, CSV in Windows-1251 with semicolons, the pupils' groups as one
column per split of a class, the parents with their e-mail (at example.org, a domain reserved
for examples) and their consent to electronic delivery, two parents in one cell by «;».

Run: .venv/bin/python scripts/make-samples.py
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "data" / "samples"

PUPILS = [  # ... then the parents (two in one cell, by «;»), and the groups of the English and the IT splits
    ("Алексеева", "Дарья", "Игоревна", "5А", date(2015, 3, 14), "ж", "А-1001",
     "Алексеева Ольга Петровна; Алексеев Игорь Олегович", "+7 912 000-11-01; 8 912 000 21 01",
     "alekseeva.o@example.org; alekseev.i@example.org", "да; нет", "англ-1", ""),
    ("Белов ", "Артём", "Сергеевич", "5А", "02.07.2015", "м", "Б-1002", "Белов Сергей Иванович", "+7 912 000-11-02",
     "Belov.S@Example.org", "+", "англ-2", ""),
    ("Васильев", "Егор", "Андреевич", "5 А", "2015-11-30", "м", "В-1003", "Васильева Мария Олеговна", "", "", "нет",
     "Англ-1 ", ""),
    ("Гришина", "Алёна", "Викторовна", "5Б", date(2015, 1, 9), "ж", "Г-1004", "Гришин Виктор Павлович", "89120001104",
     "grishin.v@example.org", "1", "", "Инф. гр. 1"),
    ("Дёмин", "Фёдор", "Ильич", "5Б", date(2015, 6, 21), "м", "Д-1005", "Дёмина Анна Сергеевна", "+7 912 000-11-05",
     "demina.a@example.org", "нет", "", "Инф. гр. 2"),
    ("Ершова", "Ксения", "", "5б", "17.09.2015", "ж", "Е-1006", "Ершов Илья Романович", "+7 912 000-11-06",
     "ershov.i@example.org", "да", "", "инф. гр. 1"),
    ("Жукова", "Полина", "Максимовна", "10А", date(2010, 4, 2), "ж", "Ж-1007", "Жуков Максим Юрьевич", "", "", "",
     "англ-1", ""),
    ("Зуев", "Матвей", "Олегович", "10A", date(2010, 12, 12), "м", "З-1008", "Зуева Ирина Львовна", "+7 912 000-11-08",
     "zueva.i@example.org", "да", "англ-2", ""),
]
STAFF = [
    ("Орлова  Наталья Викторовна", "orlova", "учитель, классный руководитель", "5Б"),
    ("Семёнов Игорь Петрович", "", "учитель", ""),
    ("Кузнецова Тамара Андреевна", "kuznetsova", "учитель", "10А"),
    ("Фролов Денис Олегович", "", "учитель", ""),
    ("Лебедева Ирина Сергеевна", "lebedeva", "заместитель директора", ""),
]
LOAD = [
    ("orlova", "5Б", "Русский язык", "", 6),
    ("Семёнов Игорь Петрович", "5Б", "Математика", "", 5),
    ("Семенов И. П.", "10А", "Алгебра", "", "3"),
    ("kuznetsova", "10А", "История", "", "2,0"),
    ("Фролов Денис Олегович", "5Б", "Информатика", "Инф. гр. 1", 1),
]
TIMETABLE = [
    ("Понедельник", 1, "5Б", "Русский язык", "", "12"),
    ("Пн", 2, "5Б", "Математика", "", "14"),
    ("понедельник", 3, "10А", "Алгебра", "", "21"),
    ("Вторник", 1, "5Б", "Математика", "", "14"),
    ("Вт", 2, "5Б", "Информатика", "Инф. гр. 1", "30"),
    ("Среда", 1, "10А", "История", "", "22"),
]
PLAN = [
    ("5Б", "Математика", "", 1, "Натуральные числа и шкалы", date(2026, 9, 1), ""),
    ("5Б", "Математика", "", 2, "Сложение и вычитание натуральных чисел", "02.09.2026", ""),
    ("5Б", "Математика", "", 3, "Контрольная работа № 1", "08.09.2026", "Контрольная работа"),
    ("10А", "Алгебра", "", 1, "Действительные числа", date(2026, 9, 1), ""),
    ("10А", "Алгебра", "", 2, "Степень с рациональным показателем", "", ""),
]


def sheet(path: Path, title: str, header: list[str], rows: list[tuple]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    for cell in ws[3]:
        ws.column_dimensions[cell.column_letter].width = 22
    wb.save(path)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sheet(OUT / "students.xlsx", "Список обучающихся на 2026/2027 учебный год",
          ["Фамилия", "Имя", "Отчество", "Класс", "Дата рождения", "Пол", "№ личного дела",
           "Родитель", "Телефон", "E-mail родителя", "Согласие на электронную рассылку", "Группа (англ. яз.)",
           "Подгруппа (информатика)"], PUPILS)
    with (OUT / "staff.csv").open("w", encoding="cp1251", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Педагогические работники"])
        writer.writerow(["ФИО", "Логин", "Роли", "Классное руководство"])
        writer.writerows(STAFF)
    sheet(OUT / "load.xlsx", "Тарификация 2026/2027", ["Учитель", "Класс", "Предмет", "Группа", "Часов в неделю"], LOAD)
    sheet(OUT / "timetable.xlsx", "Расписание уроков", ["День недели", "№ урока", "Класс", "Предмет", "Группа",
                                                         "Кабинет"], TIMETABLE)
    sheet(OUT / "plan.xlsx", "КТП", ["Класс", "Предмет", "Группа", "№", "Тема урока", "Дата", "Вид работы"], PLAN)
    print(f"samples written to {OUT}")


if __name__ == "__main__":
    main()
