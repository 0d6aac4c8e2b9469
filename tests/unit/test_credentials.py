"""Logins and passwords a guesser would not get first (issue 12: `12345678`, `password`,
`qwertyuiop`, `Пароль1234` and a one-letter login were accepted)."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.credentials import is_common_password, login_too_short


@pytest.mark.parametrize("password", ["12345678", "password", "qwertyuiop", "Пароль1234", "PASSWORD2024!",
                                      "йцукенгшщз", "87654321", "asdfghjkl", "школа2026", "1qaz2wsx3edc"])
def test_common_passwords_are_refused(password: str) -> None:
    assert is_common_password(password)


@pytest.mark.parametrize("password", ["first-password", "Ветер-над-рекой", "temporary-42", "initial-pass-1",
                                      "long-enough-pass", "k8#Lq2!vZ"])
def test_ordinary_passwords_pass(password: str) -> None:
    assert not is_common_password(password)


def test_a_login_has_three_characters_at_least() -> None:
    assert login_too_short("a") and login_too_short("ab") and not login_too_short("ivanova")
