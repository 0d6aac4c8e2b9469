"""Parents' contacts: what makes an e-mail address, a phone and a consent acceptable, on the
text alone (no database). The pupils' import and the class leader's form both go through here.

The rules are the ones a class leader can check by eye, not RFC 5322's full grammar:

- an e-mail address has one @, something before it, and a domain with a dot; no spaces, no
  commas (one address per parent), at most 254 characters. It is kept in lower case. A
  domain in Cyrillic (`школа.рф`) is accepted: Russian schools and parents use them, and the
  sender turns it into its ASCII form (`smtp_address`). The mailbox name before the @ must be
  Latin: a Cyrillic one needs a server extension few servers have, and is far more often a
  typo on the wrong keyboard layout. A domain word mixing Latin and Cyrillic letters
  (`mаil.ru` with a Cyrillic «а») is refused for the same reason.
- a Russian phone number is written one way: `+7 912 345-67-89`, whether it came as
  `8 (912) 345 67 89`, `89123456789`, `+7-912-345-67-89` or the ten digits alone. Other numbers
  (a town's short number, a foreign one) stay as written, spaces tidied.
- a consent to electronic delivery (152-ФЗ) needs an address: a consent without one would put
  the family on neither list, so it is refused rather than kept for later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ejournal_tui.i18n import Phrase, register_many

MAX_EMAIL = 254
MAX_LOCAL = 64
MAX_LABEL = 63  # one word of a domain
MAX_PHONE = 32
MAX_NAME = 200

register_many({
    "contact.email_at": ("адрес «{value}»: нужен ровно один знак @", "address {value!r}: needs exactly one @"),
    "contact.email_space": ("адрес «{value}»: пробелы в адресе недопустимы", "address {value!r}: no spaces allowed"),
    "contact.email_comma": ("адрес «{value}»: один адрес на родителя (без запятых)",
                            "address {value!r}: one address per parent (no commas)"),
    "contact.email_local": ("адрес «{value}»: до @ — латинские буквы, цифры и . _ - +",
                            "address {value!r}: before the @ use Latin letters, digits and . _ - +"),
    "contact.email_domain": ("адрес «{value}»: после @ нужен домен с точкой (например, mail.ru)",
                             "address {value!r}: after the @ a domain with a dot is needed (e.g. mail.ru)"),
    "contact.email_mixed": ("адрес «{value}»: в домене смешаны латинские и русские буквы",
                            "address {value!r}: the domain mixes Latin and Cyrillic letters"),
    "contact.email_long": ("адрес «{value}»: не более {n} символов", "address {value!r}: at most {n} characters"),
    "contact.phone_chars": ("телефон «{value}»: только цифры, пробелы и + ( ) -",
                            "phone {value!r}: only digits, spaces and + ( ) -"),
    "contact.phone_short": ("телефон «{value}»: слишком мало цифр", "phone {value!r}: too few digits"),
    "contact.phone_long": ("телефон «{value}»: не более {n} символов", "phone {value!r}: at most {n} characters"),
    "contact.name_long": ("имя родителя: не более {n} символов", "parent's name: at most {n} characters"),
    "contact.consent_no_email": ("согласие на рассылку без адреса: укажите e-mail или снимите согласие",
                                 "consent to e-mail without an address: give the e-mail or take the consent away"),
    "contact.empty": ("пустая строка родителя: укажите имя, e-mail или телефон",
                      "an empty parent: give a name, an e-mail or a phone"),
    "contact.consent_word": ("согласие «{value}» не распознано (да, нет, 1, 0, +, -)",
                             "consent {value!r} not understood (да, нет, 1, 0, +, -)"),
})

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")  # letters or digits, hyphens inside
_PHONE_CHARS = re.compile(r"[\d\s+()\-.]+")
_CYRILLIC = re.compile("[а-яё]")
_LATIN = re.compile("[a-z]")
MIN_PHONE_DIGITS = 5
YES = frozenset({"да", "д", "1", "+", "yes", "y", "true", "есть", "согласие", "согласен", "согласна", "v", "✓", "x"})
NO = frozenset({"", "нет", "н", "0", "-", "—", "–", "no", "n", "false"})


class ContactProblem(ValueError):
    """A contact that cannot be taken; `phrase` says why in the user's language."""

    def __init__(self, phrase: Phrase) -> None:
        self.phrase = phrase
        super().__init__(str(phrase))

    def __str__(self) -> str:
        return str(self.phrase)


def problem_field(problem: Phrase) -> str:
    """The part of a parent's contact a refusal is about ("email", "phone", "consent" or
    "name"): where a form puts the cursor for the correction."""
    key = problem.key
    if key.startswith("contact.email") or key == "contact.consent_no_email":
        return "email"
    if key.startswith("contact.phone"):
        return "phone"
    return "consent" if key == "contact.consent_word" else "name"


def _refuse(key: str, **params: object) -> ContactProblem:
    return ContactProblem(Phrase(key, **params))


def normalize_email(text: str) -> str:
    """The address as stored (trimmed, lower case), "" for none; `ContactProblem` if it
    breaks a rule of the module's docstring."""
    value = (text or "").strip().removeprefix("mailto:").strip()
    if not value:
        return ""
    if len(value) > MAX_EMAIL:
        raise _refuse("contact.email_long", value=value[:40] + "…", n=MAX_EMAIL)
    if "," in value or ";" in value:
        raise _refuse("contact.email_comma", value=value)
    if any(ch.isspace() for ch in value):
        raise _refuse("contact.email_space", value=value)
    if value.count("@") != 1:
        raise _refuse("contact.email_at", value=value)
    local, domain = value.lower().split("@")
    _check_local(value, local)
    _check_domain(value, domain)
    return f"{local}@{domain}"


def _check_local(value: str, local: str) -> None:
    if (not local or len(local) > MAX_LOCAL or not _LOCAL.fullmatch(local) or local.startswith(".")
            or local.endswith(".") or ".." in local):
        raise _refuse("contact.email_local", value=value)


def _check_domain(value: str, domain: str) -> None:
    labels = domain.split(".")
    if (len(labels) < 2 or labels[-1].isdigit()
            or not all(len(label) <= MAX_LABEL and _LABEL.fullmatch(label) for label in labels)):
        raise _refuse("contact.email_domain", value=value)
    if any(_CYRILLIC.search(label) and _LATIN.search(label) for label in labels):
        raise _refuse("contact.email_mixed", value=value)
    if not domain.isascii():
        try:
            domain.encode("idna")
        except UnicodeError:
            raise _refuse("contact.email_domain", value=value) from None


def smtp_address(email: str) -> str:
    """The address as a mail server takes it: a Cyrillic domain in its ASCII (IDNA) form."""
    local, _, domain = email.rpartition("@")
    if domain.isascii():
        return email
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def normalize_phone(text: str) -> str:
    """A Russian number as `+7 912 345-67-89`; another kept as written; "" for none."""
    value = " ".join((text or "").split())
    if not value:
        return ""
    if not _PHONE_CHARS.fullmatch(value):
        raise _refuse("contact.phone_chars", value=value)
    digits = re.sub(r"\D", "", value)
    if len(digits) < MIN_PHONE_DIGITS:
        raise _refuse("contact.phone_short", value=value)
    russian = _russian_digits(value, digits)
    if russian is not None:
        return f"+7 {russian[:3]} {russian[3:6]}-{russian[6:8]}-{russian[8:]}"
    if len(value) > MAX_PHONE:
        raise _refuse("contact.phone_long", value=value, n=MAX_PHONE)
    return value


def _russian_digits(value: str, digits: str) -> str | None:
    """The ten digits after the country code of a Russian number, else None."""
    if len(digits) == 11 and (digits[0] == "7" or (digits[0] == "8" and not value.startswith("+"))):
        return digits[1:]
    if len(digits) == 10 and digits[0] == "9" and not value.startswith("+"):
        return digits  # a mobile number without its 8 or +7
    return None


def parse_consent(text: object) -> bool:
    """A consent cell: да/нет, 1/0, +/- (and yes/no, true/false); empty is no."""
    if isinstance(text, bool):
        return text
    if isinstance(text, int | float) and float(text).is_integer():
        text = int(text)  # a spreadsheet's 1 or 1.0
    word = str(text if text is not None else "").strip().lower().rstrip(".")
    if word in YES:
        return True
    if word in NO:
        return False
    raise _refuse("contact.consent_word", value=str(text).strip())


@dataclass(frozen=True)
class Contact:
    """One parent as the rules leave them: name tidied, address and phone normalized."""

    name: str
    email: str
    phone: str
    consent: bool


def clean_contact(name: str, email: str, phone: str, consent: bool) -> Contact:
    """The parent as stored, or `ContactProblem` naming the first rule broken."""
    tidy = " ".join((name or "").split())
    if len(tidy) > MAX_NAME:
        raise _refuse("contact.name_long", n=MAX_NAME)
    address = normalize_email(email)
    number = normalize_phone(phone)
    if consent and not address:
        raise _refuse("contact.consent_no_email")
    if not (tidy or address or number):
        raise _refuse("contact.empty")
    return Contact(tidy, address, number, bool(consent))


def paper_text(contacts: Iterable[Contact]) -> tuple[str, str]:
    """What the printed register's pupils page says of the parents: (names, phones), each
    joined by «; » in the contacts' order, so paper and contacts agree."""
    listed = list(contacts)
    names = "; ".join(c.name for c in listed if c.name)
    phones = "; ".join(c.phone for c in listed if c.phone)
    return names, phones


def described(contact: Contact) -> str:
    """One contact on one line, for the change log: «Иванова М. П. · ivanova@mail.ru ✓ · +7 …»
    (✓: consents to e-mail)."""
    email = f"{contact.email} ✓" if contact.consent else contact.email
    return " · ".join(part for part in (contact.name, email, contact.phone) if part)
