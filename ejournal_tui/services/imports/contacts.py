"""Parents' contacts from the pupils' file.

Schools send parents as extra columns of the class list: «Родитель» (or «ФИО родителя»),
«E-mail родителя», «Телефон», «Согласие на электронную рассылку» (да/нет, 1/0, +/-; empty is
no). Several parents come either as numbered groups of those columns («Родитель 1»,
«E-mail родителя 1», «Телефон 1», «Согласие 1», «Родитель 2», …) or as several values in one
cell separated by «;», matched by position («Иванова М. П.; Иванов П. С.» over
«ivanova@mail.ru; »), or both: the un-numbered group first, then the numbered ones in order.

A file with any of these columns is the truth about its pupils' parents: each pupil's
contacts become the file's (`parent_contacts.replace_family`, matched by position, so the same
file imported again changes nothing), and the printed register's text of parents and phones
follows them (a «Родители (законные представители)» column is then not read). A file
without them leaves the contacts alone, and its «Телефон» and «Родители» are the register's
text as before. In a file with parents, an un-numbered «Телефон» is the phone of its first
parent group that has no phone column of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ejournal_tui.domain.contacts import (
    MAX_NAME,
    Contact,
    ContactProblem,
    clean_contact,
    normalize_email,
    normalize_phone,
    parse_consent,
)
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services.imports.reader import Table, clean, norm

register_many({
    "import.contact_cell": ("«{column}»: {problem}", "{column!r}: {problem}"),
    "import.contact_name_long": ("имя родителя длиннее {n} символов", "a parent's name longer than {n} characters"),
    "import.contact_counts": (
        "в столбцах родителя разное число значений через «;» ({counts}): неясно, что к кому относится",
        "parent columns hold different numbers of «;»-separated values ({counts}): which belongs to whom is unclear",
    ),
})

NAME, EMAIL, PHONE, CONSENT = "name", "email", "phone", "consent"
# normalized headers (reader.norm) without their number → the field they hold
_HEADERS: dict[str, str] = {
    **{h: NAME for h in ("родитель", "фио родителя", "родитель фио", "родитель законный представитель",
                         "фио родителя законного представителя", "законный представитель")},
    **{h: EMAIL for h in ("e mail родителя", "email родителя", "e mail", "email", "эл почта родителя",
                          "электронная почта родителя", "электронная почта", "эл почта", "почта родителя",
                          "адрес электронной почты родителя", "адрес электронной почты")},
    **{h: PHONE for h in ("телефон", "телефон родителя", "контактный телефон", "контактный телефон родителя")},
    **{h: CONSENT for h in ("согласие на электронную рассылку", "согласие на рассылку", "согласие",
                            "согласие родителя", "согласие на получение сведений в электронном виде",
                            "согласие на электронную рассылку родителя", "согласие на рассылку родителя")},
}
_NUMBER = re.compile(r"(?:^| )(\d{1,2})(?= |$)")


def contact_field(header: str) -> tuple[str, int] | None:
    """(field, parent number; 0 for un-numbered) of a normalized header, None if it is not a
    parent's column."""
    found = _NUMBER.search(header)
    number = int(found[1]) if found else 0
    rest = " ".join(_NUMBER.sub(" ", header).split()) if found else header
    field = _HEADERS.get(rest)
    return (field, number) if field else None


def is_contact_header(header: str) -> bool:
    return contact_field(header) is not None


class ContactColumns:
    """The file's parent columns by parent number; `read` turns a row into its parents."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.groups: dict[int, dict[str, tuple[str, int]]] = {}  # number → field → (header, column)
        for label, index in table.extra:
            found = contact_field(norm(label))
            if found is not None:
                self.groups.setdefault(found[1], {}).setdefault(found[0], (label, index))
        first = self.groups[min(self.groups)] if self.groups else {}
        if "phone" in table.columns and PHONE not in first:
            first[PHONE] = ("Телефон", table.columns["phone"])  # the first parent's phone

    def __bool__(self) -> bool:
        return bool(self.groups)

    def read(self, cells: list[object]) -> list[Contact]:
        """The row's parents in order; ValueError naming the column of the first bad value."""
        parents: list[Contact] = []
        for number in sorted(self.groups):
            parents.extend(self._group(self.groups[number], cells))
        return parents

    def _group(self, columns: dict[str, tuple[str, int]], cells: list[object]) -> list[Contact]:
        values = {field: self._split(cells[i] if i < len(cells) else None) for field, (_, i) in columns.items()}
        counts = {field: len(v) for field, v in values.items() if len(v) > 1}
        if len(set(counts.values())) > 1:
            shown = ", ".join(f"«{columns[f][0]}»: {n}" for f, n in counts.items())
            raise ValueError(t("import.contact_counts", counts=shown))
        size = max((len(v) for v in values.values()), default=0)
        found = []
        for k in range(size):
            raw = {field: (v[k] if k < len(v) else "") for field, v in values.items()}
            contact = self._parent(columns, raw)
            if contact is not None:
                found.append(contact)
        return found

    @staticmethod
    def _split(value: object) -> list[str]:
        text = clean(value)
        if not text:
            return []
        return [part.strip() for part in text.split(";")] if ";" in text else [text]

    def _parent(self, columns: dict[str, tuple[str, int]], raw: dict[str, str]) -> Contact | None:
        if not any(raw.values()):
            return None

        def take(field: str, rule: Callable[[str], object]) -> object:
            try:
                return rule(raw.get(field, ""))
            except ContactProblem as exc:
                raise ValueError(t("import.contact_cell", column=columns[field][0], problem=exc)) from None

        name = " ".join(raw.get(NAME, "").split())
        if len(name) > MAX_NAME:
            raise ValueError(t("import.contact_cell", column=columns[NAME][0],
                               problem=t("import.contact_name_long", n=MAX_NAME)))
        email = str(take(EMAIL, normalize_email)) if EMAIL in columns else ""
        phone = str(take(PHONE, normalize_phone)) if PHONE in columns else ""
        consent = bool(take(CONSENT, parse_consent)) if CONSENT in columns else False
        if consent and not email:
            take(CONSENT, lambda _v: clean_contact(name, email, phone, consent))
        if not (name or email or phone):
            return None  # a consent alone, «нет», for a parent the row does not have
        return Contact(name, email, phone, consent)
