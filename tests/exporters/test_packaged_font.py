"""The same paper on every machine (issue 14, item 11): the forms are printed in PT Sans
Narrow from the font package the program depends on, not in whatever the system has; the
`pdf_font` setting still overrides; `export all`'s manifest names the face."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from ejournal_tui.exporters import fonts
from ejournal_tui.services.admin import set_setting
from ejournal_tui.services.exports import export_all, export_register
from tests.exporters.helpers import Q1_DAYS, fill_lessons


def used_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_default_is_the_packaged_pt_sans_narrow(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(fonts, "_installed", lambda: {})  # a machine with no fonts at all
    found = fonts.find_font("")
    assert "fontpkg_pt_sans_narrow" in found.regular.parts and found.bold.name.endswith("Bold.ttf")
    assert found.name == "PT Sans Narrow"


def test_register_prints_in_it_and_the_setting_overrides(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q1_DAYS)
    out = export_register(school.db, school.actors["deputy"], "5А", "Q1", "pdf", tmp_path / "a.pdf").path
    assert any("PTSansNarrow" in name for name in used_fonts(out))
    other = fonts.packaged_font()
    pt_sans = other.regular.parents[2] / "fontpkg_pt_sans" / "files" / "PT_Sans-Web-Regular.ttf"
    with school.uow() as uow:
        set_setting(uow, school.actors["admin"], "pdf_font", str(pt_sans))
    out = export_register(school.db, school.actors["deputy"], "5А", "Q1", "pdf", tmp_path / "b.pdf").path
    names = used_fonts(out)
    assert names and not any("Narrow" in name for name in names)


def test_manifest_names_the_font(school, tmp_path) -> None:  # noqa: ANN001
    export_all(school.db, school.actors["admin"], "Q1", tmp_path / "q1", "pdf", workers=1)
    manifest = json.loads((tmp_path / "q1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["font"] == "PT Sans Narrow"
