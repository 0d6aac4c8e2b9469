"""A parents' digest as an e-mail message (exporters/digest_mail.py), read back as a mail
client reads it: the Cyrillic subject, sender and attachment name decode as written, text and
HTML say the same lines, the headers a mail server and a parent's client need are there."""

from __future__ import annotations

from datetime import date, datetime
from email import message_from_bytes, policy
from email.utils import parseaddr
from html import escape

from ejournal_tui.exporters.digest_data import (
    Attachment,
    DigestAbsence,
    DigestFinal,
    DigestForecast,
    DigestHomework,
    DigestMark,
    DigestRemark,
    FamilyDigest,
    PupilDigest,
)
from ejournal_tui.exporters.digest_mail import digest_message, subject_line
from tests.mailserver import told

SENDER = "Школа № 1 «Ёлочка» <journal@school1.example.org>"


def _digest(**kw: object) -> FamilyDigest:
    petya = PupilDigest(
        "Иванов Пётр Сергеевич", "Иванов Пётр", "5А",
        marks=(DigestMark("Алгебра", date(2026, 11, 14), "5", "контрольная работа", "Отличная работа"),
               DigestMark("Физика", date(2026, 11, 10), "4", "устный ответ", corrected=True, was="3")),
        absences=(DigestAbsence("Алгебра", date(2026, 11, 16), 2, False, "по болезни"),
                  DigestAbsence("Физика", date(2026, 11, 17), 1, True)),
        remarks=(DigestRemark("Алгебра", date(2026, 11, 14), "Помог однокласснику", True),),
        homework=(DigestHomework("Алгебра", date(2026, 11, 19), "№ 234, 235"),),
        finals=(DigestFinal("Алгебра", "I четверть", "5"),),
        forecasts=(DigestForecast("Алгебра", 5, 6, 4.6, "5"), DigestForecast("Физика", 0, 3, None, "")),
        period="II четверть")
    masha = PupilDigest("Иванова Мария Сергеевна", "Иванова Мария", "8Б")
    values: dict[str, object] = dict(
        school="Школа № 1", sender=SENDER, recipients=("mama@example.org", "papa@example.org"),
        pupils=(petya, masha), start=datetime(2026, 11, 12, 9, 0), end=datetime(2026, 11, 19, 18, 30),
        message_id="<1.2.3@school1.example.org>")
    return FamilyDigest(**(values | kw))  # type: ignore[arg-type]


def _read_back(digest: FamilyDigest):  # noqa: ANN202
    return message_from_bytes(bytes(digest_message(digest)), policy=policy.default)


def test_headers_decode_as_written() -> None:
    msg = _read_back(_digest())
    assert str(msg["Subject"]) == ("Электронный журнал: Иванов Пётр, 5А; Иванова Мария, 8Б — новое с 12.11 по 19.11")
    assert parseaddr(str(msg["From"])) == ("Школа № 1 «Ёлочка»", "journal@school1.example.org")
    assert [a.addr_spec for a in msg["To"].addresses] == ["mama@example.org", "papa@example.org"]
    assert msg["Message-ID"] == "<1.2.3@school1.example.org>" and msg["Date"] and msg["Auto-Submitted"]
    raw = bytes(digest_message(_digest()))
    assert all(b < 128 for b in raw.split(b"\n\n", 1)[0]), "headers must be 7-bit on the wire"


def test_text_and_html_tell_the_same_lines_each_pupil_apart() -> None:
    msg = _read_back(_digest())
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    sections = told(text).pupils
    assert set(sections) == {"Иванов Пётр Сергеевич, 5А", "Иванова Мария Сергеевна, 8Б"}
    petya = sections["Иванов Пётр Сергеевич, 5А"]
    assert petya["Новые отметки"] == ["Алгебра, 14.11: 5 (контрольная работа) — «Отличная работа»",
                                      "Физика, 10.11: 4 (устный ответ) — исправлена, было 3"]
    assert petya["Пропуски и опоздания"] == ["16.11, 2-й урок, Алгебра: пропуск по болезни",
                                             "17.11, 1-й урок, Физика: опоздание"]
    assert petya["Замечания и благодарности"] == ["14.11, Алгебра — благодарность: Помог однокласснику"]
    assert petya["Домашние задания"] == ["19.11, Алгебра: № 234, 235"]
    assert petya["Итоговые отметки"] == ["Алгебра, I четверть: 5"]
    assert petya["Средний балл и прогноз отметки за II четверть"] == [
        "Алгебра: средний балл 4,60, отметок 5 из 6 нужных — прогноз 5", "Физика: отметок пока нет"]
    assert "Новых отметок, пропусков и замечаний нет." in text
    for lines in petya.values():
        for line in lines:
            assert escape(line) in html, line


def test_a_finals_only_digest_says_so_in_its_subject() -> None:
    assert subject_line(_digest(finals_only=True)).endswith("— итоговые отметки")


def test_report_cards_are_attached_with_their_cyrillic_names() -> None:
    msg = _read_back(_digest(attachments=(Attachment("Отчёт — Иванов Пётр, 5А.pdf", b"%PDF-1.4 test"),)))
    parts = list(msg.iter_attachments())
    assert [p.get_filename() for p in parts] == ["Отчёт — Иванов Пётр, 5А.pdf"]
    assert parts[0].get_content() == b"%PDF-1.4 test" and parts[0].get_content_type() == "application/pdf"
    assert msg.get_body(("plain",)) is not None
