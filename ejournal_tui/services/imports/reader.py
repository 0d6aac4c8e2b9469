"""Reading the tables schools really send: XLSX or CSV (UTF-8, UTF-16 as Excel's "Unicode
text", or Windows-1251; comma, semicolon or tab), the header row anywhere in the first rows
(or two rows: «ФИО» over «Фамилия | Имя | Отчество»), headers spelled many ways, names with
stray spaces and ё for е, dates as dates or as text. A sheet whose size tag is stale is read to
its end; formulas saved without their values are refused, naming the cells."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import register_many, t

HEADER_SCAN = 15  # rows searched for the header

register_many({
    "import.no_file": ("файл {path} не найден", "file {path} not found"),
    "import.bad_type": ("{path}: нужен файл .xlsx или .csv", "{path}: use an .xlsx or .csv file"),
    "import.unreadable": ("{path}: файл не читается ({detail})", "{path}: the file cannot be read ({detail})"),
    "import.no_header": (
        "{path}: в первых {rows} строках нет строки заголовков; нужны столбцы: {needed}",
        "{path}: no header row in the first {rows} rows; expected columns: {needed}",
    ),
    "import.bad_date": ("дата «{value}» не распознана (нужно ДД.ММ.ГГГГ)", "date '{value}' not understood (use DD.MM.YYYY)"),
    "import.formulas": (
        "{path}: в ячейках {cells} формулы без сохранённых значений; откройте файл в Excel или LibreOffice и сохраните его",
        "{path}: cells {cells} hold formulas without saved values; open the file in Excel or LibreOffice and save it",
    ),
})


def norm(text: object) -> str:
    """A header or key as compared: lower case, ё→е, № → n, punctuation and extra spaces gone."""
    value = str(text or "").replace("\xa0", " ").lower().replace("ё", "е").replace("№", " n ")
    value = re.sub(r"[^\w ]+", " ", value)
    return " ".join(value.split())


def clean(text: object) -> str:
    """A value as stored: stray and non-breaking spaces removed."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return " ".join(str(text).replace("\xa0", " ").split())


@dataclass(frozen=True)
class Table:
    path: Path
    header_row: int
    columns: dict[str, int]  # canonical name -> column index
    rows: list[tuple[int, list[object]]]  # (row number as the user sees it, cells)
    extra: tuple[tuple[str, int], ...] = ()  # (header as written, column index) of repeatable columns

    def get(self, cells: list[object], name: str) -> object:
        i = self.columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def text(self, cells: list[object], name: str) -> str:
        return clean(self.get(cells, name))


def _raw_rows(path: Path) -> list[list[object]]:
    if not path.exists():
        raise InvalidInput(what=t("import.no_file", path=path))
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_rows(path)
        if suffix in (".csv", ".txt"):
            return _csv_rows(path)
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is "cannot read this file"
        raise InvalidInput(what=t("import.unreadable", path=path.name, detail=exc.__class__.__name__)) from exc
    raise InvalidInput(what=t("import.bad_type", path=path.name))


def _xlsx_rows(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # read to the last row, not to a stale <dimension> tag
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    _refuse_uncomputed_formulas(path, rows)
    return rows


def _refuse_uncomputed_formulas(path: Path, values: list[list[object]]) -> None:
    """A formula saved by a program that does not compute (a script, some exporters) has no
    value: the cell would read as empty. Name such cells instead of importing blanks."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        missing = []
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, cell in enumerate(row):
                if isinstance(cell, str) and cell.startswith("=") and _value_at(values, r, c) is None:
                    missing.append(f"{get_column_letter(c + 1)}{r + 1}")
    finally:
        wb.close()
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise InvalidInput(what=t("import.formulas", path=path.name, cells=shown))


def _value_at(rows: list[list[object]], r: int, c: int) -> object:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def _csv_rows(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" (tab-separated)
    for encoding in (("utf-16",) if utf16 else ("utf-8-sig", "cp1251")):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(what=t("import.unreadable", path=path.name, detail="encoding"))
    sample = "\n".join(text.splitlines()[:HEADER_SCAN])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(path: str | Path, aliases: dict[str, tuple[str, ...]], required: list[tuple[str, ...]],
               extra: Callable[[str], bool] | None = None) -> Table:
    """The table under the first row that names the required columns.

    `aliases` maps a canonical column to its spellings (compared with `norm`); `required`
    lists alternatives, each a tuple of columns that must all be present (e.g. one ФИО
    column or last and first name). `extra` picks the columns, by their normalized header,
    that may come any number of times (one group column per subject split)."""
    file = Path(path)
    raw = _raw_rows(file)
    lookup = {norm(a): name for name, spellings in aliases.items() for a in (name, *spellings)}
    for index, cells in enumerate(raw[:HEADER_SCAN]):
        columns: dict[str, int] = {}
        for i, cell in enumerate(cells):
            name = lookup.get(norm(cell))
            if name and name not in columns:
                columns[name] = i
        if any(all(c in columns for c in option) for option in required):
            columns, index = _second_header_row(raw, index, columns, lookup)
            rows = [(n + 1, list(r)) for n, r in enumerate(raw) if n > index and any(clean(v) for v in r)]
            more = tuple((clean(cell), i) for i, cell in enumerate(cells)
                         if extra is not None and i not in columns.values() and extra(norm(cell)))
            return Table(file, index + 1, columns, rows, more)
    needed = " или ".join("+".join(option) for option in required)
    raise InvalidInput(what=t("import.no_header", path=file.name, rows=HEADER_SCAN, needed=needed))


def _second_header_row(raw: list[list[object]], index: int, columns: dict[str, int],
                       lookup: dict[str, str]) -> tuple[dict[str, int], int]:
    """A header of two rows («ФИО» merged over «Фамилия | Имя | Отчество»): the lower row's
    names win in the columns it names, and the data start under it."""
    if index + 1 >= len(raw):
        return columns, index
    lower: dict[str, int] = {}
    for i, cell in enumerate(raw[index + 1]):
        name = lookup.get(norm(cell))
        if name and name not in lower:
            lower[name] = i
    if len(lower) < 2:
        return columns, index
    upper = {name: i for name, i in columns.items() if i not in lower.values() and name not in lower}
    if "last" in lower:
        upper.pop("fio", None)  # the full-name heading stood over the name's three columns
    return {**upper, **lower}, index + 1


def parse_date(value: object) -> date | None:
    """A date cell: a date, an Excel serial number or text (31.12.2015, 31.12.15, 2015-12-31)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 10000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = clean(value)
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(t("import.bad_date", value=text))
