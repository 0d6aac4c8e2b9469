"""`ejournal screenshots` writes a picture of every screen of the demo school."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from ejournal_tui.cli.main import app


def _text(svg: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def test_every_screen_is_written_as_a_readable_svg(tmp_path) -> None:
    from ejournal_tui.cli.screenshots_cmd import shots

    out = tmp_path / "screens"
    result = CliRunner().invoke(app, ["screenshots", "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = {name for name, _login, _steps in shots()}
    assert {p.stem for p in out.glob("*.svg")} == expected
    assert {"login", "today", "register", "admin", "admin_timetable", "changelog"} <= expected
    for path in out.glob("*.svg"):
        svg = path.read_text(encoding="utf-8")
        assert ET.fromstring(svg).tag.endswith("svg"), path.name
    texts = {p.stem: _text(p.read_text(encoding="utf-8")) for p in out.glob("*.svg")}
    assert "Электронный журнал" in texts["today"]  # the pictures are of the Russian interface
    assert "Расписание и звонки" in texts["admin_timetable"] and "08:30" in texts["admin_timetable"]
    assert "Русский язык" in texts["register"] or "Алгебра" in texts["register"]
