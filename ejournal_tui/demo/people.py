"""Russian names for demo pupils and staff, and logins made from them."""

from __future__ import annotations

import random
from dataclasses import dataclass

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def female_surname(surname: str) -> str:
    """The woman's form of a man's surname, each part of a double-barrelled one."""
    return "-".join(_female_part(part) for part in surname.split("-"))


def _female_part(surname: str) -> str:
    for ending, fem in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + fem
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


def male_surname(surname: str) -> str:
    """The man's form of a woman's (or a man's) surname, each part of a double-barrelled one."""
    return "-".join(_male_part(part) for part in surname.split("-"))


def _male_part(surname: str) -> str:
    for ending, male in (("ская", "ский"), ("цкая", "цкий")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + male
    if surname.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return surname[:-1]
    return surname


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    patronymic: str
    gender: str  # "м" | "ж"

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.patronymic}"

    @property
    def initials_name(self) -> str:
        return f"{self.last_name} {self.first_name[0]}.{self.patronymic[0]}."


class NameMaker:
    """Draws distinct-looking people from the demo's name lists with one random source."""

    def __init__(self, rng: random.Random, names: dict) -> None:
        self.rng = rng
        self.surnames = names["surnames"]
        self.male = names["male"]
        self.female = names["female"]
        self.fathers = names["fathers"]

    def person(self, gender: str | None = None) -> Person:
        gender = gender or self.rng.choice("мж")
        surname = self.rng.choice(self.surnames)
        father = self.rng.choice(self.fathers)
        if gender == "м":
            return Person(surname, self.rng.choice(self.male), father[0], "м")
        return Person(female_surname(surname), self.rng.choice(self.female), father[1], "ж")

    def parent(self, child: Person, gender: str) -> str:
        family = male_surname(child.last_name)
        if gender == "м":
            first = self.rng.choice(self.male)
            return f"{family} {first} {self.rng.choice(self.fathers)[0]}"
        return f"{female_surname(family)} {self.rng.choice(self.female)} {self.rng.choice(self.fathers)[1]}"

    def phone(self) -> str:
        r = self.rng
        return f"+7 9{r.randint(10, 99)} {r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(10, 99)}"


def with_second_surname(pupil: dict, second: str) -> None:
    """Make a pupil's row (drawn already) a family's with a double-barrelled surname, «Соколова»
    -> «Соколова-Преображенская»: the pupil's and both parents' names in `parents`
    ("mother, phone; father"). The surname only grows at its end, so the class's
    alphabetical order stays as it was when no classmate's surname begins with this one."""
    family = f"{male_surname(pupil['last_name'])}-{second}"
    pupil["last_name"] = family if pupil["gender"] == "м" else female_surname(family)
    mother, father = pupil["parents"].split("; ", 1)
    pupil["parents"] = f"{_renamed(mother, female_surname(family))}; {_renamed(father, family)}"


def _renamed(person: str, surname: str) -> str:
    """'Соколова Анна Ивановна, +7 …' with `surname` in place of its first word."""
    return surname + person[person.index(" "):]


def login_for(person: Person, taken: set[str]) -> str:
    base = f"{translit(person.last_name)}.{translit(person.first_name[0])}{translit(person.patronymic[0])}"
    login, n = base, 2
    while login in taken:
        login, n = f"{base}{n}", n + 1
    taken.add(login)
    return login
