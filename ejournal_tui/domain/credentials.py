"""What makes a login and a password acceptable: rules on the text alone, no database.

A password a guesser tries first is refused whatever its length: the common ones of Russian
and English users (`12345678`, `password`, `qwertyuiop`, `Пароль1234`), a run along a
keyboard row or the digits, with or without digits added at the end. A login has at least
`MIN_LOGIN_LENGTH` characters: a one-letter login is as good as none in the change log.
"""

from __future__ import annotations

MIN_LOGIN_LENGTH = 3

# what guessers try first; compared lower-cased, with trailing digits and punctuation removed
_COMMON = frozenset({
    "password", "passw0rd", "pass", "parol", "admin", "administrator", "root", "user", "guest", "login",
    "welcome", "letmein", "master", "secret", "school", "teacher", "qwerty", "iloveyou", "monkey",
    "dragon", "sunshine", "football", "baseball", "princess", "shadow", "superman", "test", "demo",
    "пароль", "школа", "учитель", "админ", "администратор", "привет", "любовь", "солнышко",
    "журнал", "директор", "секретарь", "наташа", "катя", "маша", "саша",
})
# keyboard rows and the digits, either way round: any run of 6 or more along one is refused
_RUNS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "йцукенгшщзхъ", "фывапролджэ",
         "ячсмитьбю", "abcdefghijklmnopqrstuvwxyz", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "1qaz2wsx3edc")
_MIN_RUN = 6


def is_common_password(password: str) -> bool:
    """A password on the guessers' first list, or a run along a keyboard row or the digits."""
    text = password.strip().lower()
    stem = text.rstrip("0123456789!?.,_-@#$%^&*()")
    if stem in _COMMON or text in _COMMON:
        return True
    for candidate in {text, stem}:
        if len(candidate) >= _MIN_RUN and any(candidate in row or candidate in row[::-1] for row in _RUNS):
            return True
    return False


def login_too_short(login: str) -> bool:
    return len(login) < MIN_LOGIN_LENGTH
