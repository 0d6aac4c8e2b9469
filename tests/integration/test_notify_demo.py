"""What must hold (issue 13), over the whole small demo school built by the program's own
commands (`ejournal demo`, with its parents' contacts: most families at example.org with
consent, some without an address, some without consent, brothers and sisters sharing one),
sent by `ejournal notify parents` to a real SMTP server on loopback and read back:

- every mark, absence and remark of the span is told exactly once across the digests, in its
  own pupil's section, with the span the delivery log records;
- no message goes to an address without consent, and no pupil without a consenting address
  is named in any message; every pupil's name appears only in their own family's message;
- an address the server refuses is logged as failed with its reply, and the rest go out;
- a second run sends nothing new; a period mark set through the service goes with
  `--finals` the same day and is not repeated by the next digest;
- the paper PDF of each class names exactly the class's pupils on the paper list.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select, text

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.families import ContactLine, Family, group_families, withheld_addresses
from ejournal_tui.services import accounts
from ejournal_tui.services.context import Database, resolve_school
from ejournal_tui.services.notify.plan import SETTLE
from tests.acceptance.runner import Calendar, Result, cli
from tests.mailserver import MailServer, Received, told
from tests.signin import person_env

AS_OF = date(2026, 11, 20)
FIRST_RUN = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)  # after the demo's last entries of the day
MARK_LINE = re.compile(r"^(?P<subject>.+), (?P<day>\d\d\.\d\d): (?P<value>\S+) \(")
ABSENCE_LINE = re.compile(r"^(?P<day>\d\d\.\d\d), (?P<number>\d+)-й урок, (?P<subject>.+): (?P<what>пропуск|опоздание)")
REMARK_LINE = re.compile(r"^(?P<day>\d\d\.\d\d), (?P<subject>.+?) — (?:благодарность|замечание): (?P<text>.+)$")


@dataclass
class Demo:
    url: str
    engine: Engine
    db: Database
    server: MailServer
    calendar: Calendar
    out: Path
    names: dict[int, str]  # pupil id -> "full name, class"
    families: list[Family]
    paper: list[int]
    withheld: frozenset[str]
    refused_whole: Family  # a family whose only address the server refuses
    refused_one: tuple[Family, str]  # a family with two addresses, one refused
    runs: list[Result] = field(default_factory=list)
    received: list[list[Received]] = field(default_factory=list)

    def notify(self, *args: str) -> Result:
        before = len(self.server.received)
        result = cli("notify", "parents", "--out", str(self.out), *args)
        self.runs.append(result)
        self.received.append(self.server.received[before:])
        return result


def _url(request: pytest.FixtureRequest, tmp: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp / 'demo.db'}"
    from tests.conftest import emptied_pg_url

    return emptied_pg_url(request)


def _pupils(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.id, p.last_name, p.first_name, p.patronymic, c.name FROM pupil p "
            "JOIN membership ms ON ms.pupil_id = p.id JOIN schoolclass c ON c.id = ms.class_id "
            "WHERE ms.start <= :d AND (ms.\"end\" IS NULL OR ms.\"end\" >= :d)"), {"d": AS_OF}).all()
    return {pid: f"{' '.join(x for x in (last, first, patr) if x)}, {klass}" for pid, last, first, patr, klass in rows}


def _contacts(engine: Engine) -> list[ContactLine]:
    with engine.connect() as conn:
        return [ContactLine(pid, email, bool(consent)) for pid, email, consent in conn.execute(
            select(m.ParentContact.pupil_id, m.ParentContact.email, m.ParentContact.consent))]


def _remarks(db: Database, calendar: Calendar) -> None:
    """A remark and a word of thanks by the demo's teacher at their last lessons, through the
    service the register's cell editor calls (the demo has none of its own)."""
    from ejournal_tui.services.remarks import add_remark

    calendar.go(AS_OF, 14)
    with db.uow() as uow:
        teacher, _ = accounts.sign_in(uow, "teacher", "demo")
    with db.engine.connect() as conn:
        lesson_id, class_id = conn.execute(select(m.Lesson.id, m.Lesson.class_id).where(
            m.Lesson.teacher_id == teacher.id, m.Lesson.group_id.is_(None), m.Lesson.date <= AS_OF)
            .order_by(m.Lesson.date.desc(), m.Lesson.number.desc()).limit(1)).one()
        pupils = conn.execute(select(m.Membership.pupil_id).where(m.Membership.class_id == class_id)
                              .order_by(m.Membership.pupil_id)).scalars().all()
    with db.uow() as uow:
        add_remark(uow, teacher, lesson_id, pupils[0], "Не выполнил домашнее задание", reason="тест")
    with db.uow() as uow:
        add_remark(uow, teacher, lesson_id, pupils[1], "Помог однокласснику", praise=True, reason="тест")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    tmp = tmp_path_factory.mktemp("notify-demo")
    url = _url(request, tmp)
    with pytest.MonkeyPatch.context() as mp, MailServer() as server:
        mp.setenv("EJOURNAL_DB", url)
        mp.setenv("EJOURNAL_LANG", "en")
        mp.chdir(tmp)
        calendar = Calendar(mp)
        calendar.go(AS_OF, 6)
        cli("demo", "--size", "small", "--no-tui", "--as-of", AS_OF.isoformat()).ok()
        for key, value in {**person_env(tmp, "admin", "demo"), **server.env()}.items():
            mp.setenv(key, value)
        engine = make_engine(url)
        db = Database(engine, resolve_school(engine, None))
        _remarks(db, calendar)
        names = _pupils(engine)
        contacts = _contacts(engine)
        families, paper = group_families(names, contacts)
        graded = [f for f in families if not any(names[p].endswith(", 1А") for p in f.pupil_ids)]  # have marks
        whole = next(f for f in graded if len(f.addresses) == 1 and len(f.pupil_ids) == 1)
        two = next(f for f in graded if len(f.addresses) == 2 and f is not whole)
        server.refuse(whole.addresses[0], two.addresses[1])
        found = Demo(url, engine, db, server, calendar, tmp / "out", names, families, paper,
                     withheld_addresses(contacts), whole, (two, two.addresses[1]))
        calendar.go(AS_OF, FIRST_RUN.hour)
        found.notify().ok()
        yield found
        engine.dispose()


def _deliveries(demo: Demo) -> list[m.Delivery]:
    with demo.engine.connect() as conn:
        return [m.Delivery(**dict(r._mapping)) for r in conn.execute(select(m.Delivery).order_by(m.Delivery.id))]


def _told_lines(received: list[Received]) -> dict[str, list[str]]:
    """Each pupil's told lines as «section: line», over the messages."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in received:
        for pupil, sections in told(r.text).pupils.items():
            out[pupil] += [f"{title}: {line}" for title, items in sections.items() for line in items]
    return out


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def test_the_demo_has_every_route(demo: Demo) -> None:
    assert len(demo.families) >= 10 and len(demo.paper) >= 3
    assert any(len(f.pupil_ids) > 1 for f in demo.families), "brothers and sisters share an address"
    assert demo.withheld, "some parents gave an address without consent"
    assert all(a.endswith("@example.org") for f in demo.families for a in f.addresses)


def test_every_mark_absence_and_remark_of_the_span_is_told_exactly_once(demo: Demo) -> None:
    rows = [r for r in _deliveries(demo) if r.status == "sent"]
    span = {r.pupil_id: (_utc(r.covered_from), _utc(r.covered_to)) for r in rows}  # type: ignore[arg-type]
    lines = _told_lines(demo.received[0])
    expected_marks: Counter[tuple[str, str, str, str]] = Counter()
    expected_absences: Counter[tuple[str, str, str, str]] = Counter()
    expected_remarks: Counter[tuple[str, str, str]] = Counter()
    with demo.engine.connect() as conn:
        subjects = dict(conn.execute(select(m.Subject.id, m.Subject.name)).all())
        for pid, subject_id, day, value, at in conn.execute(select(
                m.Mark.pupil_id, m.Lesson.subject_id, m.Lesson.date, m.Mark.value, m.Mark.entered_at)
                .join(m.Lesson, m.Lesson.id == m.Mark.lesson_id)):
            if pid in span and span[pid][0] < _utc(at) <= span[pid][1]:
                expected_marks[(demo.names[pid], subjects[subject_id], f"{day:%d.%m}", value)] += 1
        for pid, subject_id, day, number, at in conn.execute(select(
                m.Attendance.pupil_id, m.Lesson.subject_id, m.Lesson.date, m.Lesson.number, m.Attendance.entered_at)
                .join(m.Lesson, m.Lesson.id == m.Attendance.lesson_id)):
            if pid in span and span[pid][0] < _utc(at) <= span[pid][1]:
                expected_absences[(demo.names[pid], f"{day:%d.%m}", str(number), subjects[subject_id])] += 1
        for pid, _subject_id, day, body, at in conn.execute(select(
                m.Remark.pupil_id, m.Lesson.subject_id, m.Lesson.date, m.Remark.text, m.Remark.entered_at)
                .join(m.Lesson, m.Lesson.id == m.Remark.lesson_id)):
            if pid in span and span[pid][0] < _utc(at) <= span[pid][1]:
                expected_remarks[(demo.names[pid], f"{day:%d.%m}", body)] += 1
    got_marks: Counter[tuple[str, str, str, str]] = Counter()
    got_absences: Counter[tuple[str, str, str, str]] = Counter()
    got_remarks: Counter[tuple[str, str, str]] = Counter()
    for pupil, items in lines.items():
        for item in items:
            section, _, line = item.partition(": ")
            if section == "Новые отметки" and (mk := MARK_LINE.match(line)):
                got_marks[(pupil, mk["subject"], mk["day"], mk["value"])] += 1
            elif section == "Пропуски и опоздания" and (a := ABSENCE_LINE.match(line)):
                got_absences[(pupil, a["day"], a["number"], a["subject"])] += 1
            elif section == "Замечания и благодарности" and (r := REMARK_LINE.match(line)):
                got_remarks[(pupil, r["day"], r["text"])] += 1
    assert sum(expected_marks.values()) > 500 and expected_absences and sum(expected_remarks.values()) >= 1
    assert got_marks == expected_marks
    assert got_absences == expected_absences
    assert got_remarks == expected_remarks


def test_the_first_digest_covers_the_current_period(demo: Demo) -> None:
    with demo.engine.connect() as conn:
        starts = dict(conn.execute(select(m.Period.code, m.Period.start)).all())
        grades = dict(conn.execute(select(m.Membership.pupil_id, m.SchoolClass.grade)
                                   .join(m.SchoolClass, m.SchoolClass.id == m.Membership.class_id)).all())
    for row in _deliveries(demo):
        code = "Q2" if grades[row.pupil_id] <= 9 else "H1"
        assert _utc(row.covered_from) == datetime.combine(starts[code], time()).astimezone(UTC)  # type: ignore[arg-type]
        assert _utc(row.covered_to) == FIRST_RUN - SETTLE


def test_no_message_without_consent_and_no_pupil_in_another_familys_message(demo: Demo) -> None:
    family_of = {a: f for f in demo.families for a in f.addresses}
    every = set(demo.names.values())
    on_paper = {demo.names[p] for p in demo.paper}
    logged = {r.pupil_id for r in _deliveries(demo) if r.route == "email"}
    messaged = [f for f in demo.families if logged & set(f.pupil_ids)]
    assert len(demo.received[0]) == len(messaged) - 1  # all but the family the server refuses
    with demo.engine.connect() as conn:  # the families left out had nothing to tell
        quiet = {p for f in demo.families if f not in messaged for p in f.pupil_ids}
        for model in (m.Mark, m.Attendance, m.Remark):
            assert not conn.execute(select(model.id).where(model.pupil_id.in_(quiet), model.entered_at > datetime(
                2026, 11, 1, tzinfo=UTC), model.entered_at <= FIRST_RUN)).first()
    for r in demo.received[0]:
        assert r.recipients and not set(r.recipients) & demo.withheld
        family = family_of[r.recipients[0]]
        assert set(r.recipients) <= set(family.addresses)
        mine = {demo.names[p] for p in family.pupil_ids}
        assert set(told(r.text).pupils) == mine
        for name in every - mine:
            full = name.split(", ")[0]
            assert full not in r.text and full not in r.html, f"{full} in the message to {r.recipients}"
        assert not on_paper & mine
    assert all(demo.refused_whole.addresses[0] not in r.recipients for r in demo.received[0])


def test_refused_addresses_are_logged_with_the_reply_and_the_rest_go_out(demo: Demo) -> None:
    rows = _deliveries(demo)
    failed = {(r.pupil_id, r.address) for r in rows if r.status == "failed"}
    whole, (two, gone) = demo.refused_whole, demo.refused_one
    assert failed == {(p, whole.addresses[0]) for p in whole.pupil_ids} | {(p, gone) for p in two.pupil_ids}
    assert all(r.error.startswith("550") for r in rows if r.status == "failed")
    sent = {r.pupil_id for r in rows if r.status == "sent"}
    emailed = {p for f in demo.families for p in f.pupil_ids}
    assert sent <= emailed - set(whole.pupil_ids) and len(sent) > len(emailed) // 2
    assert {r.address for r in rows if r.status == "sent" and r.pupil_id in two.pupil_ids} == {two.addresses[0]}
    out = demo.runs[0].out
    assert f"{len(demo.received[0])} messages sent, 1 failed" in out and gone in out


def test_the_paper_pdfs_name_exactly_the_paper_families(demo: Demo) -> None:
    by_class: dict[str, set[str]] = defaultdict(set)
    for name in demo.names.values():
        full, klass = name.split(", ")
        by_class[klass].add(full)
    paper: dict[str, set[str]] = defaultdict(set)
    for pid in demo.paper:
        full, klass = demo.names[pid].split(", ")
        paper[klass].add(full)
    pdfs = sorted(demo.out.glob("report-cards-*-paper-*.pdf"))
    assert {p.name.split("-")[2] for p in pdfs} == set(paper)
    for pdf in pdfs:
        klass = pdf.name.split("-")[2]
        pages = [page.extract_text() for page in PdfReader(pdf).pages]
        named = {full for full in by_class[klass] if any(full in page for page in pages)}
        assert named == paper[klass] and len(pages) == len(paper[klass]), klass
    printed = {r.pupil_id for r in _deliveries(demo) if r.status == "printed"}
    assert printed == set(demo.paper)


def test_a_second_run_tells_nothing_new_and_finals_go_once(demo: Demo) -> None:
    demo.calendar.go(AS_OF, FIRST_RUN.hour + 1)
    second = demo.notify()
    assert second.code == 0 and demo.received[-1] == []  # only the refused family tried, and refused again
    assert "0 messages sent, 1 failed" in second.out
    # a period mark set by the subject's teacher: the daily --finals run takes it that day
    from ejournal_tui.services.finals import set_final_mark

    candidates = [p for f in demo.families if f is not demo.refused_whole and f is not demo.refused_one[0]
                  for p in f.pupil_ids]
    with demo.engine.connect() as conn:  # a pupil of grades 2–9 (quarters, with marks) and a teacher of theirs
        pupil, class_id, subject_id, teacher_login = conn.execute(
            select(m.Membership.pupil_id, m.Membership.class_id, m.TeachingLoad.subject_id, m.Staff.login)
            .join(m.TeachingLoad, m.TeachingLoad.class_id == m.Membership.class_id)
            .join(m.Staff, m.Staff.id == m.TeachingLoad.teacher_id)
            .join(m.SchoolClass, m.SchoolClass.id == m.Membership.class_id)
            .where(m.Membership.pupil_id.in_(candidates), m.TeachingLoad.group_id.is_(None),
                   m.SchoolClass.grade.between(2, 9)).order_by(m.Membership.pupil_id).limit(1)).one()
    with demo.db.uow() as uow:
        teacher, _ = accounts.sign_in(uow, teacher_login, "demo")
    demo.calendar.go(AS_OF, FIRST_RUN.hour + 2)
    with demo.db.uow() as uow:
        set_final_mark(uow, teacher, class_id, subject_id, pupil, "period", "4", period_code="Q2", reason="test")
    demo.calendar.go(AS_OF, FIRST_RUN.hour + 3)
    finals = demo.notify("--finals")
    assert finals.code == 0, finals.err
    got = demo.received[-1]
    assert len(got) == 1 and str(got[0].subject).endswith("— итоговые отметки")
    name = demo.names[pupil]
    assert [x for x in _told_lines(got)[name]] == [
        f"Итоговые отметки: {line}" for line in told(got[0].text).pupils[name]["Итоговые отметки"]]
    assert len(told(got[0].text).pupils[name]["Итоговые отметки"]) == 1
    demo.calendar.go(AS_OF + timedelta(days=1), 9)
    weekly = demo.notify()
    assert weekly.code == 0
    assert all("Итоговые отметки" not in r.text for r in demo.received[-1])
    # across every run, each mark was told once: no later run told a mark again
    later = _told_lines([r for run in demo.received[1:] for r in run])
    assert not [x for xs in later.values() for x in xs if x.startswith("Новые отметки")]
