"""Dates inside messages read as each language writes them: 19.11.2026 for a Russian
teacher, ISO 2026-11-19 in English; the same error object follows a language switch."""

from __future__ import annotations

from datetime import date

import pytest

from ejournal_tui.domain.errors import ReasonRequired
from ejournal_tui.i18n import language, set_language


@pytest.fixture(autouse=True)
def _restore_language():  # noqa: ANN202
    before = language()
    yield
    set_language(before)


def test_a_late_entry_names_the_lesson_date_as_each_language_writes_it() -> None:
    error = ReasonRequired(days=3, date=date(2026, 11, 19))
    set_language("ru")
    assert "19.11.2026" in str(error) and "2026-11-19" not in str(error)
    set_language("en")
    assert "2026-11-19" in str(error)
