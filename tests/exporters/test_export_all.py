"""`export all`: every class of the period in a folder, manifest.json with each file's
pages and SHA-256, rendered by two worker processes, one audit event per file."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.services.exports import export_all
from tests.exporters.helpers import Q2_DAYS, fill_lessons, pdf_pages


def test_every_class_with_manifest_using_two_processes(school, tmp_path) -> None:
    fill_lessons(school, Q2_DAYS)
    seen: list[tuple[str, int, int]] = []
    out = tmp_path / "Q2"
    results = export_all(school.db, school.actors["secretary"], "Q2", out, "pdf",
                         progress=lambda label, done, total: seen.append((label, done, total)), workers=2)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["class"] for f in manifest["files"]] == ["1А", "5А"]  # 10А is certified by half-years
    for entry in manifest["files"]:
        data = (out / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pages"] == len(pdf_pages(out / entry["file"])) and entry["kind"] == "register"
    assert seen[-1][1:] == (2, 2)
    assert [r.class_name for r in results] == ["1А", "5А"]
    with school.uow() as uow:
        events = uow.session.scalars(select(m.AuditEvent.action).where(m.AuditEvent.action == "export.register")).all()
    assert len(events) == 2


def test_the_manifest_says_whose_folder_it_is_and_which_copies_are_drafts(school, tmp_path) -> None:
    """manifest.json was for machines only: no school, year, who exported, draft or closed (issue 10)."""
    reopened_5a = "5А"
    with school.uow() as uow:
        from ejournal_tui.services import periods

        periods.reopen_period(uow, school.actors["deputy"], "Q1", reopened_5a, "исправление")
    out = tmp_path / "Q1"
    export_all(school.db, school.actors["secretary"], "Q1", out, "pdf", workers=1)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["school"] == {"code": "test", "name": "Тестовая школа № 1"}
    assert manifest["year"] == "2026/2027" and manifest["period"] == "Q1" and manifest["period_name"] == "I четверть"
    assert manifest["exported_by"] == {"login": "secretary", "name": "Секретарёва С.И."}
    assert {f["class"]: f["status"] for f in manifest["files"]} == {"1А": "closed", reopened_5a: "draft"}


def test_year_end_adds_summary_sheets_as_xlsx(school, tmp_path) -> None:
    folder = tmp_path / "y"  # tmp_path may hold the test's database: not an empty folder
    export_all(school.db, school.actors["admin"], "Y", folder, "xlsx", workers=1)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    kinds = {(f["class"], f["kind"]) for f in manifest["files"]}
    assert ("10А", "summary") in kinds and ("5А", "register") in kinds and ("1А", "summary") in kinds
    assert all(f["file"].endswith(".xlsx") for f in manifest["files"])
