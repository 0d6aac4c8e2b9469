"""A parents' digest as an e-mail message (Russian, as the school's letters are): plain text
and an HTML alternative of the same lines, the report cards attached when the school wants
them. Pure: `FamilyDigest` in, `email.message.EmailMessage` out; the standard library's
default policy encodes the Cyrillic names in the headers and the attachments' file names.

Every item is one line that names its subject and day, so that a parent reading on a phone,
and a test reading the message back, need no context to place it."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import format_datetime

from ejournal_tui.exporters.digest_data import (
    DigestAbsence,
    DigestFinal,
    DigestForecast,
    DigestHomework,
    DigestMark,
    DigestRemark,
    FamilyDigest,
    PupilDigest,
)

TITLE = "Электронный журнал"
RULE = "─" * 60
SECTIONS = {
    "marks": "Новые отметки",
    "absences": "Пропуски и опоздания",
    "remarks": "Замечания и благодарности",
    "homework": "Домашние задания",
    "finals": "Итоговые отметки",
}
QUIET = "Новых отметок, пропусков и замечаний нет."
FOOTER = (
    "Письмо отправлено электронным журналом автоматически; отвечать на него не нужно. С вопросами "
    "обращайтесь к классному руководителю.",
    "Вы получаете эти письма, потому что дали согласие на получение сведений об успеваемости в электронном "
    "виде; отозвать его можно у классного руководителя.",
)


def subject_line(digest: FamilyDigest) -> str:
    """«Электронный журнал: Иванов Пётр, 5А — новое с 12.11 по 19.11» (siblings joined by «; »)."""
    who = "; ".join(f"{p.short_name}, {p.class_name}" for p in digest.pupils)
    if digest.finals_only:
        return f"{TITLE}: {who} — итоговые отметки"
    return f"{TITLE}: {who} — новое с {digest.start:%d.%m} по {digest.end:%d.%m}"


def digest_message(digest: FamilyDigest) -> EmailMessage:
    """The message, ready to send: From, To, Subject, Date, Message-ID, text and HTML."""
    msg = EmailMessage()
    msg["From"] = digest.sender
    msg["To"] = ", ".join(digest.recipients)
    msg["Subject"] = subject_line(digest)
    msg["Date"] = format_datetime(digest.end.astimezone())
    msg["Message-ID"] = digest.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    msg.set_content(digest_text(digest))
    msg.add_alternative(digest_html(digest), subtype="html")
    for item in digest.attachments:
        maintype, _, subtype = item.mime.partition("/")
        msg.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    msg["Content-Language"] = "ru"
    return msg


# --- the lines, shared by the text and the HTML ---------------------------------------------

def _day(day) -> str:  # noqa: ANN001 - a date
    return f"{day:%d.%m}"


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def mark_line(mk: DigestMark) -> str:
    line = f"{mk.subject}, {_day(mk.day)}: {mk.value} ({mk.kind})"
    if mk.comment:
        line += f" — «{mk.comment}»"
    if mk.corrected:
        line += f" — исправлена, было {mk.was}" if mk.was else " — исправлена"
    return line


def absence_line(a: DigestAbsence) -> str:
    what = "опоздание" if a.late else "пропуск"
    if not a.late:
        what += f" {a.reason}" if a.reason else ", причина не указана"
    line = f"{_day(a.day)}, {a.number}-й урок, {a.subject}: {what}"
    return line + (" (причина указана позже)" if a.corrected else "")


def remark_line(r: DigestRemark) -> str:
    return f"{_day(r.day)}, {r.subject} — {'благодарность' if r.praise else 'замечание'}: {r.text}"


def homework_line(h: DigestHomework) -> str:
    return f"{_day(h.day)}, {h.subject}: {h.text}"


def final_line(f: DigestFinal) -> str:
    return f"{f.subject}, {f.period}: {f.value}" + (" (исправлена)" if f.corrected else "")


def forecast_line(f: DigestForecast) -> str:
    if f.given:
        return f"{f.subject}: выставлена {f.given}"
    if f.average is None:
        return f"{f.subject}: отметок пока нет"
    line = f"{f.subject}: средний балл {_decimal(f.average)}, отметок {f.marks}"
    if f.marks < f.minimum:
        line += f" из {f.minimum} нужных"
    return line + (f" — прогноз {f.forecast}" if f.forecast else "")


def sections(p: PupilDigest) -> list[tuple[str, list[str]]]:
    """The pupil's sections with their lines, in the order a parent reads them."""
    out = [(SECTIONS["finals"], [final_line(f) for f in p.finals]),
           (SECTIONS["marks"], [mark_line(mk) for mk in p.marks]),
           (SECTIONS["absences"], [absence_line(a) for a in p.absences]),
           (SECTIONS["remarks"], [remark_line(r) for r in p.remarks]),
           (SECTIONS["homework"], [homework_line(h) for h in p.homework])]
    shown = [(title, lines) for title, lines in out if lines]
    if p.forecasts:
        title = f"Средний балл и прогноз отметки за {p.period}" if p.period else "Средний балл"
        shown.append((title, [forecast_line(f) for f in p.forecasts]))
    return shown


def quiet(p: PupilDigest) -> bool:
    """Nothing new of this pupil but the homework and the period so far (a sibling's news
    brought the message)."""
    return not (p.marks or p.absences or p.remarks or p.finals)


def intro(digest: FamilyDigest) -> str:
    if digest.finals_only:
        return f"Выставлены итоговые отметки (по состоянию на {digest.end:%d.%m.%Y %H:%M})."
    return f"Новое в электронном журнале с {digest.start:%d.%m.%Y %H:%M} по {digest.end:%d.%m.%Y %H:%M}."


def pupil_heading(p: PupilDigest) -> str:
    return f"{p.name}, {p.class_name}"


# --- text ------------------------------------------------------------------------------------

def digest_text(digest: FamilyDigest) -> str:
    lines = ["Здравствуйте!", "", f"{digest.school}. {intro(digest)}"]
    for p in digest.pupils:
        lines += ["", pupil_heading(p), RULE]
        shown = sections(p)
        if quiet(p):
            lines.append(QUIET)
        for title, items in shown:
            lines += ["", title, *(f"  {line}" for line in items)]
    if digest.attachments:
        lines += ["", "Отчёт об успеваемости — во вложении (PDF)."]
    lines += ["", RULE, *FOOTER]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------

def digest_html(digest: FamilyDigest) -> str:
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="ru"><head><meta charset="utf-8">',
             f"<title>{e(subject_line(digest))}</title></head>",
             '<body style="font-family: sans-serif; line-height: 1.4">',
             "<p>Здравствуйте!</p>", f"<p>{e(digest.school)}. {e(intro(digest))}</p>"]
    for p in digest.pupils:
        parts.append(f"<h2>{e(pupil_heading(p))}</h2>")
        shown = sections(p)
        if quiet(p):
            parts.append(f"<p>{QUIET}</p>")
        for title, items in shown:
            parts.append(f"<h3>{e(title)}</h3><ul>")
            parts += [f"<li>{e(line)}</li>" for line in items]
            parts.append("</ul>")
    if digest.attachments:
        parts.append("<p>Отчёт об успеваемости — во вложении (PDF).</p>")
    parts += ["<hr>", *(f'<p style="color: #555; font-size: small">{e(line)}</p>' for line in FOOTER),
              "</body></html>"]
    return "\n".join(parts) + "\n"
