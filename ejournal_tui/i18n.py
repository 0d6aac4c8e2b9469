"""Translation layer: every user-visible string goes through `t(key, **params)`.

Catalogs are plain dicts (Russian and English). The language comes from `--lang`,
`EJOURNAL_LANG` or the system locale (`ru*` -> ru, else en). Official printed forms are
always Russian and do not use this module.
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
    Russian readers write it, 19.11.2026, or as ISO 2026-11-19 in English)."""
    lang = language()
    text = _CATALOGS[lang].get(key) or _CATALOGS["en"].get(key) or key
    if not params:
        return text
    if lang == "ru":
        params = {k: _ru_date(v) if type(v) is date else v for k, v in params.items()}
    return text.format(**params)


def _ru_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


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
