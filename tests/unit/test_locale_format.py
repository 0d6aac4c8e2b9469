"""Dates and numbers on screen follow the interface language (Babel), not hand formatting:
a Russian teacher reads 05.11.2026 and 4,25; the English interface ISO dates and 4.25."""

from __future__ import annotations

from datetime import date

import pytest

from ejournal_tui import i18n


@pytest.mark.parametrize("lang, day, day_month, average, key_date", [
    ("ru", "05.11.2026", "05.11", "4,25", "срок 05.11.2026"),
    ("en", "2026-11-05", "11-05", "4.25", "due 2026-11-05"),
])
def test_dates_and_numbers_by_the_language(lang: str, day: str, day_month: str, average: str, key_date: str) -> None:
    i18n.set_language(lang)
    try:
        assert i18n.fmt_date(date(2026, 11, 5)) == day
        assert i18n.fmt_day(date(2026, 11, 5)) == day_month
        assert i18n.fmt_number(4.25) == average and i18n.fmt_number(4.254) == average
        assert i18n.fmt_number(None) == "" and i18n.fmt_date(None) == ""
        i18n.register("test.fmt.due", ru="срок {day}", en="due {day}")
        assert i18n.t("test.fmt.due", day=date(2026, 11, 5)) == key_date  # a date param alike
    finally:
        i18n.set_language("en")


def test_no_screen_formats_a_date_or_an_average_by_hand() -> None:
    """strftime and :.2f in the TUI were the hand formatting Babel replaces."""
    from pathlib import Path

    import ejournal_tui.tui as tui

    offenders = []
    for path in Path(tui.__file__).parent.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ".strftime(" in line or ":.2f}" in line or ":.1f}" in line:
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []
