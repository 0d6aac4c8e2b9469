"""Finding a Unicode TrueType font for the printed forms: the one named in the school's
settings, else PT Sans Narrow (with PT Sans behind it) installed with the program from PyPI
(`fontpkg-pt-sans-narrow`, `fontpkg-pt-sans`: ParaType's public fonts of the peoples of
Russia, OFL), so a register prints the same on every machine; only when those packages are
missing, a common font installed on the system (DejaVu, Liberation, PT, Arial).

Without any font the PDF cannot show Cyrillic, so a missing font is a typed error that says
how to install one.
"""

from __future__ import annotations

import importlib.util
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


# (package, regular, bold): the fonts that travel with the program, best first
_PACKAGED = (
    ("fontpkg_pt_sans_narrow", "PT_Sans-Narrow-Web-Regular.ttf", "PT_Sans-Narrow-Web-Bold.ttf"),
    ("fontpkg_pt_sans", "PT_Sans-Web-Regular.ttf", "PT_Sans-Web-Bold.ttf"),
)


class FontNotFound(EjournalError):
    key = "err.font_missing"


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path  # the regular file again when the family has no bold face

    @property
    def name(self) -> str:
        """The face's full name as the font file gives it (for the manifest)."""
        return font_name(self.regular)


@lru_cache(maxsize=8)
def font_name(path: Path) -> str:
    try:
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            return str(font["name"].getDebugName(4) or path.stem)
    except Exception:  # noqa: BLE001 - a name is a courtesy; the file name will do
        return path.stem


def packaged_font() -> FontFiles | None:
    """PT Sans Narrow (or PT Sans) from the font packages the program depends on."""
    for package, regular, bold in _PACKAGED:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        folder = Path(spec.origin).parent / "files"
        if (folder / regular).is_file():
            return FontFiles(folder / regular, folder / bold if (folder / bold).is_file() else folder / regular)
    return None


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
    """The font named in settings (a path or a file name), else the one shipped with the
    program, else the best one installed on the system."""
    if preferred:
        path = Path(preferred).expanduser()
        if not path.exists():
            path = _installed().get(preferred) or _installed().get(f"{preferred}.ttf") or path
        if path.exists():
            return FontFiles(path, _bold_beside(path))
        raise FontNotFound(detail=f" ({preferred})")
    shipped = packaged_font()
    if shipped is not None:
        return shipped
    installed = _installed()
    for regular, bold in _CANDIDATES:
        if regular in installed:
            return FontFiles(installed[regular], installed.get(bold, installed[regular]))
    raise FontNotFound(detail="")


# Latin, Latin-1 and Extended, Cyrillic with its supplement (names of every people of
# Russia), general punctuation, №, currency and arrows: what a register can contain.
_RANGES = ((0x20, 0x24F), (0x400, 0x52F), (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x2122),
           (0x2190, 0x2199), (0x2212, 0x2212), (0x25A0, 0x25CF))


def _subset_path(source: Path) -> Path:
    import hashlib
    import tempfile

    stat = source.stat()
    key = hashlib.sha256(f"{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"ejournal-fonts-{os.getuid() if hasattr(os, 'getuid') else 0}" / \
        f"{source.stem}-{key}.ttf"


def _subset(source: Path) -> Path:
    """A copy of the font cut to the characters above: fpdf2 parses every glyph of a font
    for each document, and DejaVu's 6,000 glyphs cost more than drawing a whole register."""
    target = _subset_path(source)
    if target.exists():
        return target
    import logging

    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" is noise here
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for a, b in _RANGES for u in range(a, b + 1)])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    subset.save_font(font, str(tmp), options)
    tmp.replace(target)  # atomic: parallel workers may build the same file
    return target


@lru_cache(maxsize=8)
def _light(source: Path) -> Path:
    try:
        return _subset(source)
    except Exception:  # noqa: BLE001 - a font fontTools cannot cut is used whole
        return source


def light(files: FontFiles) -> FontFiles:
    """The same faces, cut to the characters a register uses (built once, cached on disk)."""
    return FontFiles(_light(files.regular), _light(files.bold))
