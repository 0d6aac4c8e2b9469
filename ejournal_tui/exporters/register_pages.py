"""The printed register's pages around the subjects (001 4.4–4.7, DOMAIN.md "Paper copies and
archive"): the title page with the certification lines of the class leader, the deputy
director and the director (М. П.), the contents, the page of remarks on keeping the register
and the closing page that states how many sheets were numbered and bound.

The register is printed on one side of each sheet, so a sheet is a page: the closing page's
count is the document's page count and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ejournal_tui.exporters.data import RegisterDoc
from ejournal_tui.exporters.layout import Row, cut_tall, short_name, split_by_height
from ejournal_tui.exporters.pdfbase import DRAFT, Col, Painter, fmt_date, scaled

TOP = 14.0  # first line under the band
BOTTOM = 197.0  # last line above the footer
SIGN_Y = BOTTOM - 5  # the box of a page's signature line, its text just above the footer
TABLE_END = SIGN_Y - 0.5  # the lowest a table may reach on a page with a signature line
CONTENTS_COLS = (Col("№", 10, "C"), Col("Раздел", 130), Col("Учитель", 100), Col("Страницы", 37, "C"))
CONTENTS_TOP = TOP + 16
CONTENTS_ROW_H = 6.0
REMARK_COLS = (Col("Дата", 24, "C"), Col("Замечание", 139), Col("Подпись проверяющего", 52),
               Col("Отметка о выполнении", 52))
REMARK_ROW_H = 9.0
LEADER, DEPUTY, DIRECTOR = "Классный руководитель", "Заместитель директора по УВР", "Директор"


@dataclass(frozen=True)
class Entry:
    """A line of the contents: what, whose, on which pages."""

    title: str
    teacher: str
    first: int
    last: int


class RegisterPainter(Painter):
    """The painter of the register: its band (which names the school) is kept whole."""

    def draw_band(self) -> None:
        pdf = self.pdf
        self._font = None
        top = pdf.t_margin
        self.whole_in(self.left, top, self.width * 0.7, 4, pdf.band, 7.5, style="B")
        if pdf.draft:
            pdf.set_text_color(190, 0, 0)
            self.text_in(self.left + self.width * 0.7, top, self.width * 0.3, 4, f"{DRAFT}: период не закрыт", 9,
                         align="R", style="B")
            pdf.set_text_color(0, 0, 0)


# --- title page -----------------------------------------------------------------------
def title_page(p: Painter, doc: RegisterDoc) -> None:
    """School, class, year, period, class leader; the certification lines."""
    h = doc.head
    p.page(h.school)
    x, w = p.left, p.width
    p.whole_in(x, 26, w, 16, h.school, 14, align="C", style="B")
    p.text_in(x, 50, w, 14, "КЛАССНЫЙ ЖУРНАЛ", 26, align="C", style="B")
    p.text_in(x, 68, w, 10, f"{h.class_name} класс", 18, align="C", style="B")
    p.text_in(x, 80, w, 8, f"{h.year_label} учебный год", 13, align="C")
    span = f" ({fmt_date(h.period_start)} – {fmt_date(h.period_end)})" if h.period_start else ""
    p.text_in(x, 89, w, 8, f"{h.period_label}{span}", 13, align="C")
    p.whole_in(x, 98, w, 8, f"Классный руководитель: {h.leader or '—'}", 12, align="C")
    p.whole_in(x, 108, w, 6, p.pdf.note, 9, align="C")
    if doc.missing_period_marks:  # a copy that lacks marks says so where it is signed
        p.whole_in(x, 115, w, 6, f"Не выставлено итоговых отметок за период: {doc.missing_period_marks}",
                   10, align="C", style="B")
    y = 124
    p.text_in(x + 15, y, 200, 6, "Достоверность бумажной копии электронного журнала заверяют:", 10, style="B")
    signers = ((LEADER, h.leader), (DEPUTY, doc.deputy), (DIRECTOR, doc.director))
    role_w = p.label_width([f"{role}:" for role, _ in signers], 10) + 1
    for role, name in signers:
        y += 11
        p.sign_line(x + 15, y, role, short_name(name) if name else "", size=10, role_w=role_w)
    p.text_in(x + 15, y + 7, 60, 6, "М. П.", 10, style="B")


# --- contents -------------------------------------------------------------------------
def contents_rows(p: Painter, entries: Sequence[Entry]) -> list[Row]:
    cols = scaled(CONTENTS_COLS, p.width)
    rows = []
    for i, e in enumerate(entries):
        pages = str(e.first) if e.first == e.last else f"{e.first}–{e.last}"
        rows.append(p.lay_row(cols, (str(i + 1), e.title, e.teacher, pages), 9, CONTENTS_ROW_H))
    return cut_tall(rows, BOTTOM - CONTENTS_TOP)


def contents_runs(p: Painter, entries: Sequence[Entry]) -> list[range]:
    """The contents' lines page by page (the pages' numbers do not change a line's height)."""
    heights = [r.height for r in contents_rows(p, entries)]
    return split_by_height(heights, BOTTOM - CONTENTS_TOP, balance=False)


def contents_page(p: Painter, rows: Sequence[Row]) -> None:
    x = p.left
    p.text_in(x, TOP, p.width, 8, "Оглавление", 12, align="C", style="B")
    cols = scaled(CONTENTS_COLS, p.width)
    y = p.header_row(x, TOP + 10, cols, 6)
    p.draw_rows(x, y, cols, rows)


# --- remarks and the closing page -------------------------------------------------------
def remarks_page(p: Painter) -> None:
    """A ruled page for the remarks of whoever checks the register (the deputy director)."""
    x = p.left
    p.text_in(x, TOP, p.width, 6, "Замечания по ведению классного журнала", 11, style="B")
    p.text_in(x, TOP + 5, p.width, 5, "заполняется при проверке журнала заместителем директора (проверяющим); "
              "отметку о выполнении ставит учитель или классный руководитель", 8)
    cols = scaled(REMARK_COLS, p.width)
    y = p.header_row(x, TOP + 11, cols, 8)
    count = int((BOTTOM - 2 - y) // REMARK_ROW_H)
    p.rules(x, y, [c.width for c in cols], [REMARK_ROW_H] * count)


def closing_page(p: Painter, doc: RegisterDoc, sheets: int) -> None:
    """'В журнале пронумеровано и прошнуровано N (words) листов', the director's line, М. П."""
    x, w = p.left, p.width
    p.whole_in(x, 60, w, 10, f"В журнале пронумеровано и прошнуровано {sheets_phrase(sheets)}.", 14, align="C",
               style="B")
    p.whole_in(x, 72, w, 6, f"Печать односторонняя: каждый лист — одна страница, листы пронумерованы "
               f"от 1 до {sheets} (номер листа — номер страницы внизу справа).", 10, align="C")
    if doc.change_log is not None:  # above the signature: the director certifies the change log's state too
        seq, digest = doc.change_log
        p.whole_in(x, 82, w, 6, f"Журнал изменений: запись № {seq}, контрольная сумма {digest[:16]}…", 11, align="C")
    p.sign_line(x + 15, 100, DIRECTOR, short_name(doc.director) if doc.director else "", size=11)
    p.text_in(x + 15, 110, 60, 6, "М. П.", 11, style="B")


# --- the count of sheets in words --------------------------------------------------------
_ONES = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = ("десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
          "семнадцать", "восемнадцать", "девятнадцать")
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
         "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
             "девятьсот")
_THOUSANDS = ("", "одна тысяча", "две тысячи", "три тысячи", "четыре тысячи", "пять тысяч", "шесть тысяч",
              "семь тысяч", "восемь тысяч", "девять тысяч")


def number_words(n: int) -> str:
    """1 <= n <= 9999 in Russian words, masculine ('двадцать один лист')."""
    if not 0 < n < 10000:
        return str(n)
    words = [_THOUSANDS[n // 1000], _HUNDREDS[n // 100 % 10]]
    rest = n % 100
    words += [_TEENS[rest - 10]] if 10 <= rest < 20 else [_TENS[rest // 10], _ONES[rest % 10]]
    return " ".join(w for w in words if w)


def plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def sheets_phrase(n: int) -> str:
    """'36 (тридцать шесть) листов', '21 (двадцать один) лист', '2 (два) листа'."""
    return f"{n} ({number_words(n)}) {plural(n, 'лист', 'листа', 'листов')}"
