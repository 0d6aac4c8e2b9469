"""Parents' progress reports: one A4 portrait page per pupil with the marks of the last
weeks per subject (date, mark, kind of work), averages, the forecast of the period mark (or
the period mark once given), absences and remarks. Whatever does not fit one page is
shortened (rows shrink, remarks are cut with a count of the rest)."""

from __future__ import annotations

from ejournal_tui.exporters.data import CardSubject, PupilCard, ReportCardsDoc
from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.exporters.form_data import ForecastSubject
from ejournal_tui.exporters.pdfbase import (
    BINDING_MM,
    Col,
    Painter,
    finish,
    fmt_date,
    make_pdf,
    scaled,
)

TOP, BOTTOM = 14.0, 284.0
COLS = (Col("Предмет", 46), Col("Отметки (дата, отметка, вид работы)", 124), Col("Средний балл", 20, "C"))
FORECAST_COLS = (Col("Предмет", 40), Col("Отметки (дата, отметка, вид работы)", 104), Col("Средний балл", 18, "C"),
                 Col("Прогноз", 28, "C"))
FORECAST_NOTE = ("Прогноз — отметка, к которой округляется средний балл всех отметок {period} на сегодня "
                 "(по правилам школы); отметку за период выставляет учитель.")


def report_cards_pdf(doc: ReportCardsDoc, font: FontFiles, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    p = make_pdf(font, "P", binding_mm)
    h = doc.head
    p.setup("", False, f"Напечатано {h.printed_at:%d.%m.%Y %H:%M}", f"Отчёты для родителей {h.class_name}")
    p.total = max(1, len(doc.cards))
    band = f"{h.school} · {h.class_name} класс · отчёт об успеваемости"
    for card in doc.cards:
        p.page(band)
        _card(p, doc, card)
    if not doc.cards:
        p.page(band)
        p.text_in(p.left, TOP + 10, p.width, 8, f"В классе {h.class_name} нет обучающихся", 11)
    return finish(p.pdf)


def marks_text(card_marks: tuple) -> str:
    return ",  ".join(f"{mk.date:%d.%m} {mk.value} {mk.kind}" for mk in card_marks)


def _period_of(card: PupilCard) -> str:
    """The period the card's forecasts are for ("" when it has none)."""
    return next((s.period for s in card.subjects if isinstance(s, ForecastSubject) and s.period), "")


def _decimal(value: float) -> str:
    """An average as a Russian form writes it: 4,25."""
    return f"{value:.2f}".replace(".", ",")


def forecast_text(subject: CardSubject) -> tuple[str, str]:
    """The forecast cell: the mark (bold) and a note under it."""
    if not isinstance(subject, ForecastSubject):
        return "", ""
    if subject.period_mark:
        return subject.period_mark, "выставлена"
    if not subject.forecast:
        return "—", "нет отметок" if not subject.period_marks else ""
    so_far = f"средний {_decimal(subject.period_average)}" if subject.period_average is not None else ""
    if subject.period_marks < subject.minimum:
        return subject.forecast, "; ".join(x for x in (so_far, f"отметок пока {subject.period_marks} из {subject.minimum}") if x)
    return subject.forecast, so_far


def _card(p: Painter, doc: ReportCardsDoc, card: PupilCard) -> None:
    x, w = p.left, p.width
    period = _period_of(card)
    base = FORECAST_COLS if period else COLS
    cols = scaled(base[:-1] + (Col(f"Прогноз: {period}", base[-1].width, "C"),) if period else base, w)
    p.text_in(x, TOP, w, 7, "Отчёт об успеваемости и посещаемости", 13, align="C", style="B")
    p.text_in(x, TOP + 8, w, 7, card.name, 12, align="C", style="B")
    p.text_in(x, TOP + 15, w, 6, f"{doc.head.class_name} класс · {doc.head.school}", 9, align="C")
    p.text_in(x, TOP + 21, w, 6, f"за период с {fmt_date(doc.start)} по {fmt_date(doc.end)}", 9, align="C")
    y = p.header_row(x, TOP + 29, cols, 7)
    reserved = 66.0  # absences, remarks, legend and signatures below the table
    row_h = min(8.0, (BOTTOM - reserved - y) / max(1, len(card.subjects)))
    p.grid(x, y, [c.width for c in cols], row_h, len(card.subjects))
    for r, subject in enumerate(card.subjects):
        _subject_row(p, cols, x, y + r * row_h, row_h, subject)
    y += row_h * len(card.subjects) + 3
    y = _absences(p, card, y)
    y = _remarks(p, card, y, BOTTOM - 28)
    legend = "; ".join(f"{short} — {name}" for short, name in doc.kinds_legend)
    p.lines_in(x, y, w, 8, f"Виды работ: {legend}" if legend else "", 6.5)
    if period:
        p.lines_in(x, y + 8, w, 5, FORECAST_NOTE.format(period=_genitive(period)), 6.5, max_lines=1)
    p.text_in(x, BOTTOM - 14, w, 6, f"Классный руководитель ______________ / {doc.head.leader} /", 9)
    p.text_in(x, BOTTOM - 7, w, 6, "С отчётом ознакомлен(а), родитель ______________   «___» ________ 20___ г.", 9)


def _subject_row(p: Painter, cols: tuple[Col, ...], x: float, y: float, h: float, subject: CardSubject) -> None:
    avg = _decimal(subject.average) if subject.average is not None else "—"
    p.text_in(x, y, cols[0].width, h, subject.subject, 8.5)
    x += cols[0].width
    p.lines_in(x, y, cols[1].width, h, marks_text(subject.marks) or "нет отметок", 7.5,
               max_lines=2 if h >= 7 else 1)
    x += cols[1].width
    p.text_in(x, y, cols[2].width, h, avg, 9, align="C", style="B")
    if len(cols) > 3:
        mark, note = forecast_text(subject)
        x += cols[2].width
        if note and h >= 6:
            p.text_in(x, y, cols[3].width, h * 0.6, mark, 9, align="C", style="B")
            p.text_in(x, y + h * 0.55, cols[3].width, h * 0.45, note, 6, align="C", min_size=5)
        else:
            p.text_in(x, y, cols[3].width, h, f"{mark} ({note})" if note else mark, 9, align="C", style="B")


def _genitive(period: str) -> str:
    """"II четверть" -> "II четверти", "I полугодие" -> "I полугодия" (for the note)."""
    return period.replace("четверть", "четверти").replace("полугодие", "полугодия")


def _absences(p: Painter, card: PupilCard, y: float) -> float:
    text = (f"Пропущено уроков: {card.missed} (по болезни {card.ill}, по уважительной причине {card.excused}, "
            f"без уважительной причины {card.unexcused}); опозданий: {card.late}")
    p.text_in(p.left, y, p.width, 6, text, 9, style="B")
    return y + 8


def _remarks(p: Painter, card: PupilCard, y: float, limit: float) -> float:
    p.text_in(p.left, y, p.width, 6, "Замечания и благодарности:" if card.remarks else "Замечаний нет.", 9,
              style="B")
    y += 6
    room = max(0, int((limit - y - 10) // 5))
    shown = card.remarks[:room] if len(card.remarks) <= room else card.remarks[: max(0, room - 1)]
    for remark in shown:
        sign = "благодарность" if remark.praise else "замечание"
        p.text_in(p.left, y, p.width, 5, f"{remark.date:%d.%m} · {remark.subject} · {sign}: {remark.text}", 8.5)
        y += 5
    if len(shown) < len(card.remarks):
        p.text_in(p.left, y, p.width, 5, f"… и ещё {len(card.remarks) - len(shown)}", 8.5)
        y += 5
    return y + 2
