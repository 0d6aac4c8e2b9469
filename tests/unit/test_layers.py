"""The headless core never imports Textual or Typer (DESIGN.md, "Layers")."""

from __future__ import annotations

import subprocess
import sys

CORE = ["ejournal_tui.domain.marks", "ejournal_tui.data.db", "ejournal_tui.data.models", "ejournal_tui.services.marks",
        "ejournal_tui.services.register", "ejournal_tui.services.periods", "ejournal_tui.services.accounts",
        "ejournal_tui.demo.generator", "ejournal_tui.services.audit_log"]


def test_core_imports_without_textual_or_typer() -> None:
    code = "import sys\n" + "\n".join(f"import {m}" for m in CORE) + (
        "\nbad = [m for m in ('textual', 'typer') if m in sys.modules]\nprint(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_non_ui_module_has_a_docstring() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "ejournal_tui"
    missing = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or "tui" in path.parts or path.name == "__main__.py":
            continue
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None:
            missing.append(str(path.relative_to(root)))
    assert missing == []
