"""The exporters and their services import neither the entry points' toolkits (Textual,
Typer) nor, until a file is rendered, fpdf2 and openpyxl."""

from __future__ import annotations

import subprocess
import sys


def test_exporters_and_services_import_light() -> None:
    code = (
        "import sys\n"
        "import ejournal_tui.exporters.register_pdf, ejournal_tui.exporters.summary, "
        "ejournal_tui.exporters.report_cards, ejournal_tui.exporters.xlsx\n"
        "import ejournal_tui.services.exports.single, ejournal_tui.services.exports.batch, "
        "ejournal_tui.services.imports.people, ejournal_tui.services.imports.school\n"
        "print(sorted(m for m in ('textual', 'typer', 'fpdf', 'openpyxl') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
