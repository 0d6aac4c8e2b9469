"""Finding a Unicode TrueType font for the printed forms: the one named in the school's
settings, else a common one installed on the system (DejaVu, Liberation, PT, Arial).

The repository ships no font; without one the PDF cannot show Cyrillic, so a missing font
is a typed error that says how to install one.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ejournal_tui.domain.errors import EjournalError
from ejournal_tui.i18n import register_many

register_many({
    "err.font_missing": (
        "Не найден шрифт TrueType с кириллицей для печатных форм{detail}. Установите, например, "
        "«sudo apt-get install fonts-dejavu-core» или укажите файл шрифта в настройке pdf_font",
        "No TrueType font with Cyrillic found for printed forms{detail}. Install one, e.g. "
        "'sudo apt-get install fonts-dejavu-core', or name a font file in the pdf_font setting",
    ),
})

# (regular, bold) file names, best first: condensed faces fit more text in table cells
_CANDIDATES = (
    ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("PTS55F.ttf", "PTS75F.ttf"),
    ("PT_Sans-Web-Regular.ttf", "PT_Sans-Web-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
    ("FreeSans.ttf", "FreeSansBold.ttf"),
)


class FontNotFound(EjournalError):
    key = "err.font_missing"


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path  # the regular file again when the family has no bold face


def font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts",
            home / ".fonts"]
    if sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"), home / "Library/Fonts"]
    if os.name == "nt":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return [d for d in dirs if d.is_dir()]


@lru_cache(maxsize=1)
def _installed() -> dict[str, Path]:
    """Every .ttf under the font folders by file name (first found wins)."""
    found: dict[str, Path] = {}
    for folder in font_dirs():
        for path in sorted(folder.rglob("*.[tT][tT][fF]")):
            found.setdefault(path.name, path)
    return found


def _bold_beside(regular: Path) -> Path:
    for name in (regular.stem + "-Bold.ttf", regular.stem.replace("-Regular", "-Bold") + ".ttf"):
        candidate = regular.with_name(name)
        if candidate != regular and candidate.exists():
            return candidate
    return regular


def find_font(preferred: str = "") -> FontFiles:
    """The font named in settings (a path or a file name), else the best one installed."""
    if preferred:
        path = Path(preferred).expanduser()
        if not path.exists():
            path = _installed().get(preferred) or _installed().get(f"{preferred}.ttf") or path
        if path.exists():
            return FontFiles(path, _bold_beside(path))
        raise FontNotFound(detail=f" ({preferred})")
    installed = _installed()
    for regular, bold in _CANDIDATES:
        if regular in installed:
            return FontFiles(installed[regular], installed.get(bold, installed[regular]))
    raise FontNotFound(detail="")
