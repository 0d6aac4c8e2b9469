"""Translation layer: every user-visible string goes through `t(key, **params)`.

Catalogs are plain dicts (Russian and English). The language comes from `--lang`,
`EJOURNAL_LANG` or the system locale (`ru*` -> ru, else en). Dates and numbers on screen are
written by the language's conventions through Babel (20.11.2026 and 4,25 in Russian; ISO
dates, 2026-11-20, and 4.25 in English: the dates the command line takes, never ambiguous). Official printed forms are always Russian and do not use
this module.
"""

from __future__ import annotations

import locale
import os
from datetime import date

_CATALOGS: dict[str, dict[str, str]] = {"ru": {}, "en": {}}
_language: str | None = None


class DuplicateKey(ValueError):
    """A key registered twice with other words: the second would silently replace the first
    (an hours refusal once read «Неверные данные: Часов в неделю»)."""


def register(key: str, *, ru: str, en: str) -> str:
    """Add one message in both languages; returns the key so modules can keep constants.
    The same words again are accepted (a module imported twice); other words are refused."""
    known = (_CATALOGS["ru"].get(key), _CATALOGS["en"].get(key))
    if known != (None, None) and known != (ru, en):
        raise DuplicateKey(f"translation key {key!r} is already registered as {known!r}")
    _CATALOGS["ru"][key] = ru
    _CATALOGS["en"][key] = en
    return key


def register_many(entries: dict[str, tuple[str, str]]) -> None:
    """Add messages given as {key: (ru, en)}."""
    for key, (ru, en) in entries.items():
        register(key, ru=ru, en=en)


def detect_language() -> str:
    env = os.environ.get("EJOURNAL_LANG", "").strip().lower()
    if env in ("ru", "en"):
        return env
    loc = os.environ.get("LC_ALL") or os.environ.get("LANG") or (locale.getlocale()[0] or "")
    return "ru" if loc.lower().startswith("ru") else "en"


def set_language(lang: str | None) -> str:
    global _language
    _language = lang if lang in ("ru", "en") else detect_language()
    return _language


def language() -> str:
    return _language or set_language(None)


def t(key: str, **params: object) -> str:
    """The message for `key` in the current language, formatted with `params` (a date as
    the language writes it: 19.11.2026 in Russian, 2026-11-19 in English)."""
    lang = language()
    text = _CATALOGS[lang].get(key) or _CATALOGS["en"].get(key) or key
    if not params:
        return text
    params = {k: fmt_date(v) if type(v) is date else v for k, v in params.items()}
    return text.format(**params)


# Russian dates by the locale's own pattern; English ones in ISO order (en_US's 11/20/2026
# reads as 11 February to most of Europe)
_DATE_PATTERNS = {"ru": ("yMd", "dd.MM"), "en": ("yyyy-MM-dd", "MM-dd")}


def fmt_date(day: date | None) -> str:
    """A date with its year, as the interface language writes it ("" for none)."""
    return _pattern(0, day)


def fmt_day(day: date | None) -> str:
    """Day and month only (a column of the current year): 20.11 / 11-20."""
    return _pattern(1, day)


def fmt_number(value: float | None, digits: int = 2) -> str:
    """A fraction with `digits` decimals and the language's separator: 4,25 / 4.25."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    return format_decimal(value, format="0." + "0" * digits if digits else "0", locale=language())


def _pattern(which: int, day: date | None) -> str:
    if day is None:
        return ""
    from babel.dates import format_date, format_skeleton  # ~90 ms to import: see warm_up

    lang = language()
    pattern = _DATE_PATTERNS[lang][which]
    if lang == "ru" and which == 0:
        return format_skeleton(pattern, day, locale=lang)
    return format_date(day, pattern, locale=lang)


def warm_up() -> None:
    """Import Babel and load both languages' data (call from a background thread at start, so
    the first date on screen costs nothing)."""
    for lang in ("ru", "en"):
        from babel.dates import format_date, format_skeleton
        from babel.numbers import format_decimal

        format_skeleton("yMd", date(2000, 1, 1), locale=lang)
        format_date(date(2000, 1, 1), "dd.MM", locale=lang)
        format_decimal(1.5, format="0.00", locale=lang)


class Phrase:
    """A message translated when it is shown, not when it is made.

    Errors keep the details they were raised with (`NotFound(what=Phrase("what.lesson",
    id=7))`); the user may switch the language (Ctrl+T) before the message is painted, so
    the words are looked up by `str()`, each time. Params may be phrases themselves.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


class Joined:
    """Lazily joined parts (phrases or plain text): a list of problems in one message."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: list[object], sep: str = ", ") -> None:
        self.parts = list(parts)
        self.sep = sep

    def __str__(self) -> str:
        return self.sep.join(str(part) for part in self.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)
