"""The rules of parents' contacts (domain/contacts.py): an e-mail address a class leader can
check by eye, one way of writing a Russian phone number, consent words, and a consent that
needs an address."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.contacts import (
    Contact,
    ContactProblem,
    clean_contact,
    described,
    normalize_email,
    normalize_phone,
    paper_text,
    parse_consent,
    smtp_address,
)


@pytest.mark.parametrize(("typed", "kept"), [
    ("Ivanova.M@Example.org", "ivanova.m@example.org"),
    ("  petrov+school@mail.ru ", "petrov+school@mail.ru"),
    ("mailto:a.b@yandex.ru", "a.b@yandex.ru"),
    ("olga@Школа.РФ", "olga@школа.рф"),
    ("o'neil_2@sub.domain-name.com", "o'neil_2@sub.domain-name.com"),
    ("", ""),
    ("   ", ""),
])
def test_good_addresses_are_kept_in_lower_case(typed: str, kept: str) -> None:
    assert normalize_email(typed) == kept


@pytest.mark.parametrize(("typed", "words"), [
    ("ivanova", "exactly one @"),
    ("a@@b.ru", "exactly one @"),
    ("a@b@c.ru", "exactly one @"),
    ("ivanova @mail.ru", "no spaces"),
    ("a@mail.ru, b@mail.ru", "one address per parent"),
    ("a@mail.ru; b@mail.ru", "one address per parent"),
    ("@mail.ru", "before the @"),
    (".a@mail.ru", "before the @"),
    ("a..b@mail.ru", "before the @"),
    ("иванова@mail.ru", "before the @"),
    ("a@mail", "a domain with a dot"),
    ("a@mail.", "a domain with a dot"),
    ("a@-mail.ru", "a domain with a dot"),
    ("a@mail.123", "a domain with a dot"),
    ("a@mаil.ru", "mixes Latin and Cyrillic"),  # a Cyrillic «а» in «mail»
    ("a" * 65 + "@mail.ru", "before the @"),
    ("a@" + "b" * 64 + ".ru", "a domain with a dot"),
    ("a@" + "b." * 130 + "ru", "at most 254"),
])
def test_bad_addresses_are_refused_saying_why(typed: str, words: str) -> None:
    with pytest.raises(ContactProblem) as err:
        normalize_email(typed)
    assert words in str(err.value)


def test_a_cyrillic_domain_goes_to_the_server_in_its_ascii_form() -> None:
    assert smtp_address("olga@школа.рф") == "olga@xn--80atdl2c.xn--p1ai"
    assert smtp_address("a@mail.ru") == "a@mail.ru"


@pytest.mark.parametrize(("typed", "kept"), [
    ("+7 912 345-67-89", "+7 912 345-67-89"),
    ("8 (912) 345 67 89", "+7 912 345-67-89"),
    ("89123456789", "+7 912 345-67-89"),
    ("+7-912-345-67-89", "+7 912 345-67-89"),
    ("79123456789", "+7 912 345-67-89"),
    ("9123456789", "+7 912 345-67-89"),
    ("8 800 555 35 35", "+7 800 555-35-35"),
    ("2-34-56", "2-34-56"),  # a small town's number
    ("+375  29 123 45 67", "+375 29 123 45 67"),  # a foreign one, spaces tidied
    ("", ""),
])
def test_phones_are_written_one_way(typed: str, kept: str) -> None:
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize(("typed", "words"), [
    ("тел. 123456", "only digits"),
    ("+7 912 345-67-89 доб. 5", "only digits"),
    ("12-34", "too few digits"),
    ("+44 " + "1" * 40, "at most 32"),
])
def test_bad_phones_are_refused(typed: str, words: str) -> None:
    with pytest.raises(ContactProblem) as err:
        normalize_phone(typed)
    assert words in str(err.value)


@pytest.mark.parametrize("word", ["да", "Да", "д", "1", 1, 1.0, "+", "yes", "согласен", "согласна", "✓", True])
def test_consent_words_yes(word: object) -> None:
    assert parse_consent(word) is True


@pytest.mark.parametrize("word", ["нет", "Нет.", "0", 0, "-", "—", "", None, "no", False])
def test_consent_words_no(word: object) -> None:
    assert parse_consent(word) is False


def test_an_unknown_consent_word_is_refused() -> None:
    with pytest.raises(ContactProblem) as err:
        parse_consent("возможно")
    assert "возможно" in str(err.value)


def test_a_consent_needs_an_address_and_a_parent_something_to_reach() -> None:
    with pytest.raises(ContactProblem) as err:
        clean_contact("Иванова Мария", "", "+7 912 345-67-89", True)
    assert "without an address" in str(err.value)
    with pytest.raises(ContactProblem) as err:
        clean_contact("  ", "", "", False)
    assert "empty parent" in str(err.value)
    assert clean_contact(" Иванова   Мария ", "M@Mail.ru", "89123456789", True) == Contact(
        "Иванова Мария", "m@mail.ru", "+7 912 345-67-89", True)
    assert clean_contact("Иванов Пётр", "", "", False).name == "Иванов Пётр"  # a name alone: paper


def test_paper_text_and_the_change_logs_line() -> None:
    mother = Contact("Иванова Мария", "m@mail.ru", "+7 912 345-67-89", True)
    father = Contact("Иванов Пётр", "p@mail.ru", "", False)
    assert paper_text([mother, father]) == ("Иванова Мария; Иванов Пётр", "+7 912 345-67-89")
    assert described(mother) == "Иванова Мария · m@mail.ru ✓ · +7 912 345-67-89"
    assert described(father) == "Иванов Пётр · p@mail.ru"
