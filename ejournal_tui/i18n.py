"""Translation layer: every user-visible string goes through `t(key, **params)`.

Catalogs are plain dicts (Russian and English). The language comes from `--lang`,
`EJOURNAL_LANG` or the system locale (`ru*` -> ru, else en). Official printed forms are
always Russian and do not use this module.
"""

from __future__ import annotations

import locale
import os

_CATALOGS: dict[str, dict[str, str]] = {"ru": {}, "en": {}}
_language: str | None = None


def register(key: str, *, ru: str, en: str) -> str:
    """Add one message in both languages; returns the key so modules can keep constants."""
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
    """The message for `key` in the current language, formatted with `params`."""
    text = _CATALOGS[language()].get(key) or _CATALOGS["en"].get(key) or key
    return text.format(**params) if params else text
