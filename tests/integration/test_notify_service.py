"""`notify_parents` against a real SMTP server on loopback (aiosmtpd in this process), on the
small known school of tests/factory.py with parents' contacts written straight into the
table (the contacts' own import and screen are tested with them): families and the paper
list, every entry told once, refusals logged, nothing told twice, finals apart, dry runs,
corrections, a dropped or absent server, who may.

The families: Алексеев (5А) and Ильин (10А) share their mother's address, Ильин's father has
his own; Борисова one address; Волков's only address without consent; Григорьева, Жуков and
Зайцева (1А) none; Дмитриев an address the server refuses; Климова one good address and one
refused; Лебедев an address at a Cyrillic domain."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.services.attendance import set_attendance, set_reason
from ejournal_tui.services.finals import set_final_mark
from ejournal_tui.services.marks import add_mark, correct_mark
from ejournal_tui.services.notify import last_deliveries, notify_parents
from ejournal_tui.services.notify.smtp import SmtpSettings
from tests.conftest import FROZEN_NOW
from tests.mailserver import MailServer, told

ENTERED = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)  # the day before the run
LESSON_DAY = date(2026, 11, 19)
CONTACTS = {
    "Алексеев": [("Мама", "ivanovs@example.org", True)],
    "Ильин": [("Мама", "IVANOVS@example.org ", True), ("Папа", "papa.ilyin@example.org", True)],
    "Борисова": [("Мама", "borisova@example.org", True)],
    "Волков": [("Папа", "volkov@example.org", False)],
    "Дмитриев": [("Мама", "nobody@example.org", True)],
    "Климова": [("Мама", "klimova@example.org", True), ("Папа", "gone@example.org", True)],
    "Лебедев": [("Мама", "lebedeva@школа.рф", True)],
}
REFUSED = ("nobody@example.org", "gone@example.org")
LEBEDEVA = "lebedeva@" + "школа.рф".encode("idna").decode()  # the Cyrillic domain as the server takes it
PAPER = {"Волков", "Григорьева", "Жуков", "Зайцева"}


@pytest.fixture
def server():  # noqa: ANN201
    with MailServer() as srv:
        srv.refuse(*REFUSED)
        yield srv


@pytest.fixture
def informed(school, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """The school with its parents' contacts and a day of entries, run from tmp_path."""
    monkeypatch.chdir(tmp_path)
    with Session(school.db.engine) as s:
        for last, rows in CONTACTS.items():
            for name, email, consent in rows:
                s.add(m.ParentContact(school_id=school.school_id, pupil_id=school.pupils[last], name=name, email=email,
                                      consent=consent, consent_date=date(2026, 9, 1) if consent else None))
        s.commit()
    at(school, ENTERED)
    lessons = {key: school.lesson(key, LESSON_DAY, n) for n, key in enumerate(("rus5", "math5", "alg10", "math1"), 1)}
    p, a = school.pupils, school.actors
    with school.uow() as uow:
        add_mark(uow, a["petrov"], lessons["math5"], p["Алексеев"], "5", comment="Отличный ответ у доски")
        add_mark(uow, a["ivanova"], lessons["rus5"], p["Борисова"], "4", work_kind="dictation")
        add_mark(uow, a["ivanova"], lessons["rus5"], p["Борисова"], "3", work_kind="dictation")
        add_mark(uow, a["petrov"], lessons["math5"], p["Дмитриев"], "3")
        add_mark(uow, a["petrov"], lessons["math5"], p["Волков"], "4")
        add_mark(uow, a["petrov"], lessons["alg10"], p["Ильин"], "4", work_kind="control")
        add_mark(uow, a["petrov"], lessons["alg10"], p["Климова"], "5")
        add_mark(uow, a["petrov"], lessons["alg10"], p["Лебедев"], "2")
        absent = set_attendance(uow, a["ivanova"], lessons["rus5"], p["Григорьева"], "absent")
        set_reason(uow, a["ivanova"], absent.id, "Б")  # type: ignore[arg-type]
        set_attendance(uow, a["petrov"], lessons["math5"], p["Алексеев"], "late")
    with Session(school.db.engine) as s:
        s.add(m.Remark(school_id=school.school_id, lesson_id=lessons["alg10"], pupil_id=p["Климова"],
                       text="Помогла однокласснику разобраться с задачей", praise=True, entered_by=school.staff["petrov"],
                       entered_at=ENTERED))
        s.commit()
    at(school, FROZEN_NOW)
    school.lessons = lessons
    return school


def at(school, when: datetime) -> None:  # noqa: ANN001
    school.db.clock.frozen = when


def run(school, server: MailServer, who: str = "admin", **kw: object):  # noqa: ANN001, ANN201
    return notify_parents(school.db, school.actors[who], server.settings(), **kw)  # type: ignore[arg-type]


def deliveries(school) -> list[m.Delivery]:  # noqa: ANN001
    with Session(school.db.engine) as s:
        return list(s.scalars(select(m.Delivery).order_by(m.Delivery.id)))


def names(school) -> dict[int, str]:  # noqa: ANN001
    return {pid: last for last, pid in school.pupils.items()}


def test_one_message_per_family_to_its_consenting_addresses(informed, server: MailServer) -> None:  # noqa: ANN001
    report = run(informed, server)
    got = {tuple(sorted(r.recipients)): r for r in server.received}
    assert set(got) == {("ivanovs@example.org", "papa.ilyin@example.org"), ("borisova@example.org",),
                        ("klimova@example.org",), (LEBEDEVA,)}
    siblings = got[("ivanovs@example.org", "papa.ilyin@example.org")]
    assert set(told(siblings.text).pupils) == {"Алексеев Антон, 5А", "Ильин Игорь, 10А"}
    assert siblings.subject == "Электронный журнал: Алексеев Антон, 5А; Ильин Игорь, 10А — новое с 01.09 по 20.11"
    assert all("volkov@example.org" not in r.recipients for r in server.received)
    assert report.sent == 4 and report.failed == 1 and report.printed == 4 and not report.stopped
    assert {(f.address, f.error.split()[0]) for f in report.failures} == {(a, "550") for a in REFUSED}


def test_every_mark_absence_and_remark_is_told_once_to_its_own_family(informed, server: MailServer) -> None:  # noqa: ANN001
    run(informed, server)
    lines: dict[str, list[str]] = {}
    for r in server.received:
        for pupil, sections in told(r.text).pupils.items():
            assert pupil not in lines, f"{pupil} told in two messages"
            lines[pupil] = [f"{title}: {line}" for title, items in sections.items() for line in items]
            for other in told(r.text).pupils:
                assert other.split(",")[0] in r.text
    assert "Новые отметки: Математика, 19.11: 5 (устный ответ) — «Отличный ответ у доски»" in lines["Алексеев Антон, 5А"]
    assert "Пропуски и опоздания: 19.11, 2-й урок, Математика: опоздание" in lines["Алексеев Антон, 5А"]
    assert [x for x in lines["Борисова Бэлла, 5А"] if x.startswith("Новые")] == [
        "Новые отметки: Русский язык, 19.11: 4 (диктант)", "Новые отметки: Русский язык, 19.11: 3 (диктант)"]
    assert "Новые отметки: Алгебра, 19.11: 4 (контрольная работа)" in lines["Ильин Игорь, 10А"]
    assert ("Замечания и благодарности: 19.11, Алгебра — благодарность: Помогла однокласснику разобраться с задачей"
            in lines["Климова Ксения, 10А"])
    assert "Новые отметки: Алгебра, 19.11: 2 (устный ответ)" in lines["Лебедев Лев, 10А"]
    # the database's marks of the span, each told once, in its own pupil's section
    with Session(informed.db.engine) as s:
        marks = s.execute(select(m.Mark.pupil_id, m.Mark.value)).all()
    by_name = names(informed)
    emailed = {by_name[pid] for pid, _ in marks} - PAPER - {"Дмитриев"}
    for pid, value in marks:
        last = by_name[pid]
        if last in emailed:
            pupil = next(k for k in lines if k.startswith(last))
            assert sum(1 for x in lines[pupil] if x.startswith("Новые отметки") and f": {value} (" in x) >= 1
    assert sum(1 for ls in lines.values() for x in ls if x.startswith("Новые отметки")) == len(
        [1 for pid, _ in marks if by_name[pid] in emailed])


def test_refusals_are_logged_with_the_server_reply_and_the_rest_go_out(informed, server: MailServer) -> None:  # noqa: ANN001
    run(informed, server)
    rows = deliveries(informed)
    by_name = names(informed)
    failed = [(by_name[r.pupil_id], r.address, r.error[:3]) for r in rows if r.status == "failed"]
    assert sorted(failed) == [("Дмитриев", "nobody@example.org", "550"), ("Климова", "gone@example.org", "550")]
    assert any("User unknown" in r.error for r in rows if r.status == "failed")
    sent = {by_name[r.pupil_id]: r for r in rows if r.status == "sent"}
    assert set(sent) == {"Алексеев", "Ильин", "Борисова", "Климова", "Лебедев"}
    assert sent["Климова"].address == "klimova@example.org"
    assert sent["Алексеев"].message_id == sent["Ильин"].message_id and sent["Алексеев"].message_id.endswith("@school1.example.org>")
    assert all(r.covered_to is not None and r.created_by == "admin" for r in rows)
    printed = {by_name[r.pupil_id] for r in rows if r.status == "printed"}
    assert printed == PAPER
    # the last delivery per pupil, as the class leader's screen shows it
    with informed.uow() as uow:
        last = last_deliveries(uow, list(informed.pupils.values()))
    assert last[informed.pupils["Климова"]].status == "sent"
    assert last[informed.pupils["Дмитриев"]].status == "failed" and "550" in last[informed.pupils["Дмитриев"]].error
    assert last[informed.pupils["Волков"]].route == "paper" and informed.pupils["Егоров"] not in last


def test_a_second_run_sends_nothing_new_and_a_new_mark_goes_to_its_family_only(informed, server: MailServer) -> None:  # noqa: ANN001
    run(informed, server)
    first = len(server.received)
    at(informed, FROZEN_NOW + timedelta(hours=1))
    again = run(informed, server)
    # only Дмитриев's family is tried again (its one address refused, so nothing arrives)
    assert len(server.received) == first
    assert again.sent == 0 and again.failed == 1 and again.printed == 0
    assert [f.address for f in again.failures] == ["nobody@example.org"]
    at(informed, FROZEN_NOW + timedelta(hours=2))
    lesson = informed.lesson("alg10", date(2026, 11, 20), 3)
    with informed.uow() as uow:
        add_mark(uow, informed.actors["petrov"], lesson, informed.pupils["Лебедев"], "5")
    at(informed, FROZEN_NOW + timedelta(hours=3))
    before = len(server.received)
    third = run(informed, server)
    new = server.received[before:]
    assert third.sent == 1 and [r.recipients for r in new] == [[LEBEDEVA]]
    lines = told(new[0].text).pupils["Лебедев Лев, 10А"]
    assert lines["Новые отметки"] == ["Алгебра, 20.11: 5 (устный ответ)"]


def test_finals_go_the_same_day_and_the_weekly_digest_does_not_repeat_them(informed, server: MailServer) -> None:  # noqa: ANN001
    run(informed, server)
    at(informed, FROZEN_NOW + timedelta(hours=1))
    with informed.uow() as uow:
        set_final_mark(uow, informed.actors["petrov"], informed.classes["5А"], informed.subjects["Математика"],
                       informed.pupils["Алексеев"], "period", "5", period_code="Q2", reason="test")
    lesson = informed.lesson("math5", date(2026, 11, 20), 2)
    with informed.uow() as uow:
        add_mark(uow, informed.actors["petrov"], lesson, informed.pupils["Алексеев"], "4")
    at(informed, FROZEN_NOW + timedelta(hours=2))
    before = len(server.received)
    finals = run(informed, server, finals_only=True)
    new = server.received[before:]
    assert finals.sent == 1 and len(new) == 1
    assert new[0].subject.endswith("— итоговые отметки")
    text = told(new[0].text).pupils
    assert text["Алексеев Антон, 5А"] == {"Итоговые отметки": ["Математика, II четверть: 5"]}
    assert "Новые отметки" not in new[0].text  # the new mark waits for the weekly digest
    at(informed, FROZEN_NOW + timedelta(hours=3))
    before = len(server.received)
    run(informed, server)
    weekly = [r for r in server.received[before:] if "ivanovs@example.org" in r.recipients]
    assert len(weekly) == 1
    sections = told(weekly[0].text).pupils["Алексеев Антон, 5А"]
    assert sections["Новые отметки"] == ["Математика, 20.11: 4 (устный ответ)"]
    assert "Итоговые отметки" not in sections
    forecast = next(v for k, v in sections.items() if k.startswith("Средний"))
    assert "Математика: выставлена 5" in forecast


def test_a_mark_corrected_after_its_digest_is_told_again_as_corrected(informed, server: MailServer) -> None:  # noqa: ANN001
    run(informed, server)
    with Session(informed.db.engine) as s:
        mark_id = s.execute(select(m.Mark.id).where(m.Mark.pupil_id == informed.pupils["Борисова"],
                                                    m.Mark.value == "3")).scalar_one()
    at(informed, FROZEN_NOW + timedelta(hours=1))
    with informed.uow() as uow:
        correct_mark(uow, informed.actors["ivanova"], mark_id, value="4", reason="пересчитала ошибки")
    at(informed, FROZEN_NOW + timedelta(hours=2))
    before = len(server.received)
    run(informed, server)
    new = [r for r in server.received[before:] if "borisova@example.org" in r.recipients]
    assert len(new) == 1
    assert told(new[0].text).pupils["Борисова Бэлла, 5А"]["Новые отметки"] == [
        "Русский язык, 19.11: 4 (диктант) — исправлена, было 3"]


def test_dry_run_writes_messages_and_sends_and_logs_nothing(informed, server: MailServer, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "dry"
    report = run(informed, server, dry_run=True, out=out)
    assert server.received == [] and deliveries(informed) == []
    emls = sorted(out.glob("*.eml"))
    assert report.written == len(emls) == 5 and report.sent == 0
    from email import message_from_bytes, policy

    first = message_from_bytes(emls[0].read_bytes(), policy=policy.default)
    assert str(first["Subject"]).startswith("Электронный журнал: Алексеев Антон, 5А; Ильин Игорь, 10А")
    assert sorted(p.name for p in out.glob("*.pdf")) == ["report-cards-1А-paper-2026-11-20.pdf",
                                                        "report-cards-5А-paper-2026-11-20.pdf"]
    # the real run afterwards tells the same news
    run(informed, server)
    assert len(server.received) == 4


def test_paper_lists_exactly_the_families_without_consent_or_address(informed, server: MailServer, tmp_path: Path) -> None:  # noqa: ANN001
    report = run(informed, server, out=tmp_path / "out")
    pdfs = {p.name: p for p in report.files if p.suffix == ".pdf"}
    texts = {name: " ".join(page.extract_text() for page in PdfReader(path).pages) for name, path in pdfs.items()}
    assert set(texts) == {"report-cards-5А-paper-2026-11-20.pdf", "report-cards-1А-paper-2026-11-20.pdf"}
    five = texts["report-cards-5А-paper-2026-11-20.pdf"]
    assert "Волков Виктор" in five and "Григорьева Галина" in five
    assert all(n not in five for n in ("Алексеев", "Борисова", "Дмитриев", "Егоров"))
    assert len(PdfReader(pdfs["report-cards-5А-paper-2026-11-20.pdf"]).pages) == 2
    one = texts["report-cards-1А-paper-2026-11-20.pdf"]
    assert "Жуков Жора" in one and "Зайцева Зина" in one
    # a second run prints no one again: nothing new, and the last printout is recent
    at(informed, FROZEN_NOW + timedelta(hours=1))
    assert run(informed, server, out=tmp_path / "out").printed == 0


def test_report_cards_are_attached_when_the_school_wants_them(informed, server: MailServer) -> None:  # noqa: ANN001
    from ejournal_tui.services.admin import set_setting

    with informed.uow() as uow:
        set_setting(uow, informed.actors["admin"], "notify_attach_card", "true")
        uow.commit()
    run(informed, server)
    siblings = next(r for r in server.received if "ivanovs@example.org" in r.recipients)
    files = {p.get_filename(): p.get_content() for p in siblings.message.iter_attachments()}
    assert set(files) == {"Отчёт об успеваемости — Алексеев Антон, 5А.pdf", "Отчёт об успеваемости — Ильин Игорь, 10А.pdf"}
    from io import BytesIO

    reader = PdfReader(BytesIO(files["Отчёт об успеваемости — Алексеев Антон, 5А.pdf"]))
    assert len(reader.pages) == 1 and "Алексеев Антон" in reader.pages[0].extract_text()


def test_a_dropped_connection_is_opened_again_once(informed, server: MailServer) -> None:  # noqa: ANN001
    server.handler.drop_next = 1
    report = run(informed, server)
    assert report.sent == 4 and not report.stopped and server.handler.connections == 2


def test_an_unreachable_server_stops_sending_and_logs_nothing_as_sent(informed, server: MailServer) -> None:  # noqa: ANN001
    server.down()
    report = run(informed, server)
    assert report.stopped and "127.0.0.1" in report.stopped and report.sent == 0
    assert {r.status for r in deliveries(informed)} == {"printed"}


def test_missing_settings_are_one_clear_refusal_before_anything(informed, server: MailServer, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput, match="smtp_host"):
        notify_parents(informed.db, informed.actors["admin"], SmtpSettings(sender=server.settings().sender))
    with pytest.raises(InvalidInput, match="smtp_from"):
        notify_parents(informed.db, informed.actors["admin"], SmtpSettings(host="127.0.0.1"), dry_run=True)
    secret = tmp_path / "smtp.pw"
    secret.write_text("secret\n")
    os.chmod(secret, 0o644)
    open_file = SmtpSettings("127.0.0.1", server.port, "none", "journal", str(secret), server.settings().sender)
    with pytest.raises(InvalidInput, match="chmod 600"):
        notify_parents(informed.db, informed.actors["admin"], open_file)
    assert deliveries(informed) == [] and server.received == []


def test_a_class_leader_informs_their_own_class_only(informed, server: MailServer) -> None:  # noqa: ANN001
    report = run(informed, server, who="ivanova")
    assert {r for rec in server.received for r in rec.recipients} == {
        "ivanovs@example.org", "borisova@example.org"}  # 5А only: Ильин's news wait for 10А's run
    assert report.printed == 2
    with pytest.raises(NotAllowed):
        run(informed, server, who="ivanova", class_name="10А")
    with pytest.raises(NotAllowed):
        run(informed, server, who="petrov")
    # the TUI's "send this family's digest now": the pupil asked for, with the brother in 5А
    # (whose news went in 5А's run: he is named, with nothing new)
    at(informed, FROZEN_NOW + timedelta(hours=1))
    one = run(informed, server, who="deputy", pupil_ids=[informed.pupils["Ильин"]])
    assert one.sent == 1 and server.received[-1].recipients == ["ivanovs@example.org", "papa.ilyin@example.org"]
    pupils = told(server.received[-1].text).pupils
    assert list(pupils) == ["Алексеев Антон, 5А", "Ильин Игорь, 10А"]
    assert "Новые отметки" not in pupils["Алексеев Антон, 5А"] and "Новые отметки" in pupils["Ильин Игорь, 10А"]
    assert one.printed == 0  # no one else's paper


def test_the_control_report_counts_the_families_informed_per_class(informed, server: MailServer,  # noqa: ANN001
                                                                    tmp_path: Path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from ejournal_tui.exporters.control_tables import control_document
    from ejournal_tui.exporters.control_xlsx import document_xlsx
    from ejournal_tui.services.control import control_report

    run(informed, server)
    with informed.uow() as uow:
        report = control_report(uow, informed.actors["deputy"], "Q2", as_of=date(2026, 11, 20))
    five = next(x for x in report.leaders if x.class_name == "5А")
    # Алексеев and Борисова by e-mail, Волков and Григорьева on paper, Дмитриев's address refused
    assert (five.pupils, five.informed_email, five.informed_paper, five.not_informed) == (5, 2, 2, 1)
    data = report.as_json()
    assert next(c for c in data["class_leaders"] if c["class"] == "5А")["parents_informed"] == {
        "days": 14, "pupils": 5, "email": 2, "paper": 2, "none": 1}
    content, _ = document_xlsx(control_document(report))
    ws = load_workbook(BytesIO(content))["Кл. руководители"]
    head = [c.value for c in ws[3]]
    row = next([c.value for c in r] for r in ws.iter_rows(min_row=4) if r[0].value == "5А")
    assert dict(zip(head, row, strict=False))["Родители: по e-mail"] == 2
    assert dict(zip(head, row, strict=False))["Родители: не информированы"] == 1
    # two weeks on, nobody counts as informed any more
    with informed.uow() as uow:
        later = control_report(uow, informed.actors["deputy"], "Q2", as_of=date(2026, 12, 4))
    assert next(x for x in later.leaders if x.class_name == "5А").informed_email == 0


def test_the_mail_account_signs_in_with_the_password_from_its_file(informed, tmp_path: Path) -> None:  # noqa: ANN001
    secret = tmp_path / "smtp.password"
    secret.write_text("Пароль-почты-1\nthe rest is ignored\n", encoding="utf-8")
    os.chmod(secret, 0o600)
    with MailServer(account=("journal", "Пароль-почты-1")) as srv:
        good = SmtpSettings("127.0.0.1", srv.port, "none", "journal", str(secret), srv.settings().sender)
        report = notify_parents(informed.db, informed.actors["admin"], good)
        assert report.sent == 5 and not report.stopped and len(srv.received) == 5  # no address refused here
    secret.write_text("wrong\n", encoding="utf-8")
    at(informed, FROZEN_NOW + timedelta(hours=1))
    with MailServer(account=("journal", "Пароль-почты-1")) as srv:
        bad = SmtpSettings("127.0.0.1", srv.port, "none", "journal", str(secret), srv.settings().sender)
        report = notify_parents(informed.db, informed.actors["admin"], bad, since=date(2026, 11, 1))
        assert report.stopped and "journal" in report.stopped and "535" in report.stopped and srv.received == []
