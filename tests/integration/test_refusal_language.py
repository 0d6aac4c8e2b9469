"""Refusals speak the user's language through and through: the detail of a typed error
("kind of work 'x'", "lesson 7") is translated like the error's own words, and at the moment
it is shown, so an error raised in Russian reads in English after Ctrl+T."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from ejournal_tui.domain.errors import Conflict, EjournalError, InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import set_language
from ejournal_tui.services import accounts, admin, attendance, marks, periods, register

TODAY = date(2026, 11, 20)
LATIN = re.compile(r"[A-Za-z]+")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def latin_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """Latin words left in a Russian message once the data in it (codes, logins) is taken out."""
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, "")
    return LATIN.findall(text)


def refused(kind: type[EjournalError], call: Callable[[], object]) -> EjournalError:
    with pytest.raises(kind) as err:
        call()
    return err.value


def test_four_refusals_read_in_russian_then_in_english_after_the_switch(school) -> None:  # noqa: ANN001
    set_language("ru")  # raised while the interface is Russian
    ivanova, petrov = school.actors["ivanova"], school.actors["petrov"]
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        kinds = tuple(marks.work_kinds(uow))
        wrong_kind = refused(InvalidInput, lambda: marks.add_mark(
            uow, ivanova, lesson, school.pupils["Волков"], "4", work_kind="сочинение-7"))
        missing = refused(NotFound, lambda: marks.add_mark(uow, ivanova, 999_999, school.pupils["Волков"], "4"))
        foreign = refused(NotAllowed, lambda: register.open_register(uow, petrov, school.loads["rus5"], "Q2"))
        ref = marks.add_mark(uow, ivanova, lesson, school.pupils["Волков"], "3")
        marks.correct_mark(uow, ivanova, ref.id, value="4", expected_version=ref.version)  # another workstation
        stale = refused(Conflict, lambda: marks.correct_mark(
            uow, ivanova, ref.id, value="5", expected_version=ref.version))

    shown = {name: str(err) for name, err in
             (("kind", wrong_kind), ("lesson", missing), ("register", foreign), ("stale", stale))}
    assert shown["kind"].startswith("Неверные данные: вид работы «сочинение-7»: используйте один из кодов ")
    assert "dictation (" in shown["kind"]  # each code with its name
    assert shown["lesson"] == "Не найдено: урок 999999"
    assert shown["register"].startswith("Нет прав: журнал 5А")
    assert shown["stale"] == ("Запись уже изменена на другом рабочем месте (отметка за 20.11.2026); "
                              "обновите экран и повторите")
    for name, text in shown.items():
        assert latin_words(text, kinds) == [], (name, text)

    set_language("en")  # Ctrl+T after the refusal was raised: the same errors, read again
    assert str(wrong_kind).startswith("Invalid input: kind of work 'сочинение-7': use one of oral, written, ")
    assert str(missing) == "Not found: lesson 999999"
    assert str(foreign).startswith("Not allowed: register 5А")
    assert str(stale) == "This entry was changed at another workstation (mark of 2026-11-20); refresh and try again"
    # in English the only Cyrillic is the data: the typed code, the class and subject names
    assert not CYRILLIC.search(str(missing) + str(stale))


@pytest.mark.parametrize("call, data", [
    (lambda s, uow: periods.reopen_period(uow, s.actors["deputy"], "Q1", "5А", " "), ()),
    (lambda s, uow: accounts.add_account(uow, s.actors["admin"], "ivanova", "Иванова Анна", ["teacher"],
                                         "long-enough-9"), ("ivanova",)),
    (lambda s, uow: accounts.add_account(uow, s.actors["admin"], "new.one", "Новая Нина", ["pilot"],
                                         "long-enough-9"), ("pilot", "sysadmin", "admin", "deputy", "director",
                                                            "secretary", "teacher", "class_leader")),
    (lambda s, uow: admin.add_class(uow, s.actors["deputy"], "5А"), ()),
    (lambda s, uow: admin.set_bell(uow, s.actors["deputy"], 2, "10:00", "9:15"), ()),
    (lambda s, uow: admin.set_setting(uow, s.actors["deputy"], "colour", "red"), ("colour",)),
    (lambda s, uow: attendance.apply_note(uow, s.actors["ivanova"], s.pupils["Волков"], TODAY, TODAY, "Ы"), ()),
    (lambda s, uow: admin.add_subject(uow, s.actors["ivanova"], "Химия", "Хим"), ()),
])
def test_more_refusals_have_no_english_words_in_russian(school, call, data) -> None:  # noqa: ANN001
    set_language("ru")
    with school.uow() as uow:
        err = refused(EjournalError, lambda: call(school, uow))
    assert latin_words(str(err), data) == [], str(err)
    set_language("en")
    assert CYRILLIC.search(str(err)) is None or any(ch in str(err) for ch in ("5А", "Ы")), str(err)
