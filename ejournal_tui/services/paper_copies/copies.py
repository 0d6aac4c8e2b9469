"""The registry of paper copies (реестр бумажных копий ЭЖ, 001 4.6–4.7, 5.2 секретарь а–б):
a printed register or summary sheet is entered with its number, class, period, sheets and
who printed it when; then the dates it was signed by the teachers, the class leader, the
deputy director and the director, and the day it was handed to the archive.

Each use case checks the actor, validates, writes the row and its change-log event in one
transaction and commits; a refusal changes nothing."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year, find_class, find_period
from ejournal_tui.services.paper_copies.pdf_facts import NotAPdf, PdfFacts, read_pdf
from ejournal_tui.services.paper_copies.recognise import (
    KINDS,
    ExportTrace,
    PrintedForm,
    closed_when_exported,
    export_trace,
    printed_form,
    printer_name,
    utc,
)
from ejournal_tui.services.versioning import update_versioned

# who signs → the column holding the date; "archive" is the day it went to the archive
SIGNERS = {"teachers": "teachers_signed", "leader": "leader_signed", "deputy": "deputy_signed",
           "director": "director_signed", "archive": "archived"}

register_many({
    "paper.keepers": ("реестр бумажных копий ведут секретарь, директор и администратор "
                      "(заместитель директора отмечает только свою подпись)",
                      "the registry of paper copies is kept by the secretary, the director and the administrator "
                      "(the deputy director records only their own signature)"),
    "paper.viewers": ("реестр бумажных копий (секретарь, заместитель директора, директор, администратор)",
                      "the registry of paper copies (secretary, deputy director, director, administrator)"),
    "paper.no_file": ("файл {file}", "file {file}"),
    "paper.folder": ("{file} — папка, а нужен PDF-файл", "{file} is a folder, not a PDF file"),
    "paper.unreadable": ("не удалось прочитать файл {file}: {detail}", "cannot read {file}: {detail}"),
    "paper.not_pdf": ("файл {file} — не PDF-документ (в реестр вносится PDF, напечатанный программой)",
                      "{file} is not a PDF document (the registry takes a PDF printed by the program)"),
    "paper.kind": ("вид документа «{kind}»: используйте register (журнал) или summary (сводная ведомость)",
                   "document kind {kind!r}: use register or summary"),
    "paper.period_needed": ("укажите период журнала: --period Q1…Q4, H1, H2 или Y",
                            "give the register's period: --period Q1…Q4, H1, H2 or Y"),
    "paper.summary_year": ("сводная ведомость — за учебный год: укажите --period Y или не указывайте период",
                           "a summary sheet is for the year: use --period Y or leave the period out"),
    "paper.duplicate": ("файл {file} уже внесён в реестр: копия № {number} ({year} учебный год)",
                        "{file} is already in the registry: copy no. {number} ({year})"),
    "paper.not_exported": ("файл {file} не выгружен этой программой или изменён после выгрузки (в журнале изменений "
                           "нет выгрузки с такой контрольной суммой): в реестр вносится копия, напечатанная из ЭЖ",
                           "{file} was not exported by this program or was changed since (no export with this "
                           "digest in the change log): the registry takes copies printed from the register"),
    "paper.mismatch": ("файл {file} не совпадает с указанным: {field} в файле — {found}, указано — {given}",
                       "{file} does not match what was given: {field} in the file is {found}, given {given}"),
    "paper.f.class": ("класс", "class"),
    "paper.f.period": ("период", "period"),
    "paper.f.kind": ("документ", "document"),
    "paper.f.year": ("учебный год", "school year"),
    "paper.k.register": ("классный журнал", "class register"),
    "paper.k.summary": ("сводная ведомость", "summary sheet"),
    "paper.draft_refused": ("файл {file} — черновик: период «{period}» не был закрыт, когда его печатали. Черновик не "
                            "архивная копия: закройте период и напечатайте заново, или добавьте --draft, чтобы внести "
                            "его в реестр как черновик",
                            "{file} is a draft: the period ({period}) was not closed when it was printed. A draft is no "
                            "archive copy: close the period and print again, or add --draft to enter it as a draft"),
    "paper.not_draft": ("файл {file} напечатан из закрытого периода и не черновик: уберите --draft",
                        "{file} was printed from a closed period and is no draft: leave out --draft"),
    "paper.number": ("номер копии «{value}»: нужно целое положительное число, например 3",
                     "copy number {value!r}: use a positive whole number, e.g. 3"),
    "paper.no_copy": ("копия № {number} в реестре {year} учебного года", "copy no. {number} in the registry of {year}"),
    "paper.who": ("«{value}»: укажите, чья подпись — teachers (учителя), leader (классный руководитель), deputy "
                  "(заместитель директора), director (директор) — или archive (сдана в архив)",
                  "{value!r}: say whose signature — teachers, leader, deputy, director — or archive"),
    "paper.date": ("дата «{value}»: используйте ДД.ММ.ГГГГ или ГГГГ-ММ-ДД", "date {value!r}: use DD.MM.YYYY or YYYY-MM-DD"),
    "paper.future": ("дата {day} ещё не наступила (сегодня {today})", "{day} is in the future (today is {today})"),
    "paper.before_print": ("дата {day} раньше печати копии № {number} ({printed})",
                           "{day} is before copy no. {number} was printed ({printed})"),
    "paper.archived": ("копия № {number} уже сдана в архив {day}: реестр по ней больше не меняется",
                       "copy no. {number} was handed to the archive on {day}: its entry no longer changes"),
    "paper.no_director": ("копия № {number} ещё не подписана директором: в архив сдаётся подписанная копия",
                          "copy no. {number} is not yet signed by the director: only a signed copy goes to the archive"),
    "paper.before_director": ("дата сдачи в архив {day} раньше подписи директора ({signed})",
                              "the archive date {day} is before the director signed ({signed})"),
    "paper.draft_archive": ("копия № {number} — черновик: черновик в архив не сдаётся",
                            "copy no. {number} is a draft: a draft does not go to the archive"),
    "paper.entry": ("реестр бумажных копий, № {number}", "registry of paper copies, no. {number}"),
})

_NUMBER = re.compile(r"^\s*(?:№|N|No\.?)?\s*(\d{1,9})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CopyRow:
    """One line of the registry, as people read it (times local)."""

    number: int
    year_label: str
    class_name: str
    period_code: str
    kind: str
    sheets: int
    draft: bool
    file_name: str
    sha256: str
    printed_at: datetime
    printed_by: str
    teachers_signed: date | None
    leader_signed: date | None
    deputy_signed: date | None
    director_signed: date | None
    archived: date | None
    note: str

    @property
    def period_label(self) -> str:
        return cal.PERIOD_NAMES.get(self.period_code, (self.period_code,))[0]  # printed forms are Russian


# ---- input people type -----------------------------------------------------------------------

def parse_number(value: str | int) -> int:
    match = _NUMBER.match(str(value))
    if not match or int(match.group(1)) < 1:
        raise InvalidInput(what=Phrase("paper.number", value=str(value)))
    return int(match.group(1))


def parse_day(value: str | date | None) -> date | None:
    """DD.MM.YYYY (as Russian readers write it) or YYYY-MM-DD; None stays None (today)."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(what=Phrase("paper.date", value=value))


def parse_who(value: str) -> str:
    who = (value or "").strip().lower()
    if who not in SIGNERS:
        raise InvalidInput(what=Phrase("paper.who", value=value))
    return who


# ---- who may ---------------------------------------------------------------------------------

def require_keeper(actor: Actor) -> None:
    if not perm.may(actor.roles, "keep_paper_registry"):
        raise NotAllowed(what=Phrase("paper.keepers"))


def require_signer(actor: Actor, who: str) -> None:
    """The deputy director records their own countersignature; the rest is the keepers'."""
    if who == "deputy" and perm.may(actor.roles, "countersign_paper_copy"):
        return
    require_keeper(actor)


def require_viewer(actor: Actor) -> None:
    if not perm.may(actor.roles, "view_paper_registry"):
        raise NotAllowed(what=Phrase("paper.viewers"))


# ---- the file ----------------------------------------------------------------------------------

def read_copy(file: str | Path) -> tuple[bytes, PdfFacts]:
    """The file's bytes and what it says; a missing file, a folder or not a PDF is refused."""
    path = Path(file)
    if not path.exists():
        raise NotFound(what=Phrase("paper.no_file", file=path))
    if path.is_dir():
        raise InvalidInput(what=Phrase("paper.folder", file=path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(what=Phrase("paper.unreadable", file=path, detail=exc.strerror or exc)) from exc
    try:
        return data, read_pdf(data)
    except NotAPdf as exc:
        raise InvalidInput(what=Phrase("paper.not_pdf", file=path)) from exc


def _kind(value: str) -> str:
    kind = (value or "").strip().lower()
    if kind not in KINDS:
        raise InvalidInput(what=Phrase("paper.kind", kind=value))
    return kind


def _period_code(kind: str, period: str | None, klass: m.SchoolClass, uow: UnitOfWork) -> str:
    if kind == "summary":
        if period and cal.normalize_period(period) != cal.YEAR:
            raise InvalidInput(what=Phrase("paper.summary_year"))
        return cal.YEAR
    if not period:
        raise InvalidInput(what=Phrase("paper.period_needed"))
    code = cal.normalize_period(period)
    cal.check_period_applies(code, klass.grade, klass.name, uow.settings)
    return code


def _mismatch(file: Path, field: str, found: object, given: object) -> InvalidInput:
    return InvalidInput(what=Phrase("paper.mismatch", file=file.name, field=Phrase(f"paper.f.{field}"),
                                    found=found, given=given))


def _check_agrees(uow: UnitOfWork, file: Path, form: PrintedForm, trace: ExportTrace, klass: m.SchoolClass,
                  code: str, kind: str, year: m.AcademicYear) -> None:
    """The file and its export event must say what the secretary said; else nothing is entered."""
    traced = _class_and_year(uow, trace.class_id) if trace.class_id not in (None, klass.id) else None
    for said in (form.kind, trace.kind):
        if said is not None and said != kind:
            raise _mismatch(file, "kind", Phrase(f"paper.k.{said}"), Phrase(f"paper.k.{kind}"))
    if form.start_year is not None and form.start_year != year.start_year:
        raise _mismatch(file, "year", _year_label(form.start_year), _year_label(year.start_year))
    if traced is not None and traced[1] != year.start_year:
        raise _mismatch(file, "year", _year_label(traced[1]), _year_label(year.start_year))
    if traced is not None and traced[0] != klass.name:
        raise _mismatch(file, "class", traced[0], klass.name)
    if form.class_name is not None and form.class_name != klass.name:
        raise _mismatch(file, "class", form.class_name, klass.name)
    for said in (form.period_code, trace.period_code or None):
        if said is not None and said != code:
            raise _mismatch(file, "period", _period(said), _period(code))


def _class_and_year(uow: UnitOfWork, class_id: int | None) -> tuple[str, int] | None:
    C, Y = m.SchoolClass, m.AcademicYear
    found = uow.session.execute(select(C.name, Y.start_year).join(Y, Y.id == C.year_id).where(C.id == class_id)).first()
    return (found[0], found[1]) if found else None


def _period(code: str) -> object:
    """The period in words, in the language of the moment the message is shown."""
    return cal.period_name(code)


def _year_label(start: int) -> str:
    return f"{start}/{start + 1}"


# ---- use cases -----------------------------------------------------------------------------------

def register_copy(uow: UnitOfWork, actor: Actor, file: str | Path, class_name: str, period: str | None = None,
                  kind: str = "register", draft: bool = False, start_year: int | None = None) -> CopyRow:
    """Enter a printed PDF into the registry under the year's next number. Its sheets are
    its pages; class, period, document and draft or not are checked against what the file
    and its export event say; a draft only with `draft`; the same file only once."""
    require_keeper(actor)
    kind, path = _kind(kind), Path(file)
    data, facts = read_copy(path)
    digest = hashlib.sha256(data).hexdigest()
    year = current_year(uow, start_year)
    klass = find_class(uow, class_name, year)
    code = _period_code(kind, period, klass, uow)
    period_row = find_period(uow, code, year)
    _refuse_duplicate(uow, path, digest)
    trace = export_trace(uow, digest)
    if trace is None:
        raise InvalidInput(what=Phrase("paper.not_exported", file=path.name))
    form = printed_form(facts)
    _check_agrees(uow, path, form, trace, klass, code, kind, year)
    is_draft = form.draft if form.draft is not None else not closed_when_exported(uow, period_row.id, klass.id, trace.at)
    if is_draft and not draft:
        raise InvalidInput(what=Phrase("paper.draft_refused", file=path.name, period=_period(code)))
    if draft and not is_draft:
        raise InvalidInput(what=Phrase("paper.not_draft", file=path.name))
    row = m.PaperCopy(
        school_id=uow.school_id, year_id=year.id, number=_next_number(uow, year.id), class_id=klass.id,
        period_code=code, kind=kind, sheets=facts.pages, draft=is_draft, file_name=path.name[:255],
        sha256=digest, printed_at=trace.at, printed_by=printer_name(uow, trace.actor)[:200],
        note=f"только предмет: {trace.subject}"[:500] if trace.subject else "",  # the registry is an official, Russian record
    )
    _insert(uow, row)
    audit.record(uow, actor, "paper.add", entity="papercopy", entity_id=row.id, class_id=klass.id,
                 after={"copy": row.number, "period": code, "document": kind, "sheets": row.sheets,
                        "draft": is_draft, "file": row.file_name, "sha256": digest, "printed_by": row.printed_by})
    uow.commit()
    return _row(row, klass.name, year.start_year)


def _refuse_duplicate(uow: UnitOfWork, path: Path, digest: str) -> None:
    P, Y = m.PaperCopy, m.AcademicYear
    found = uow.session.execute(
        select(P.number, Y.start_year).join(Y, Y.id == P.year_id)
        .where(P.school_id == uow.school_id, P.sha256 == digest).order_by(P.id)
    ).first()
    if found is not None:
        raise InvalidInput(what=Phrase("paper.duplicate", file=path.name, number=found[0], year=_year_label(found[1])))


def _next_number(uow: UnitOfWork, year_id: int) -> int:
    P = m.PaperCopy
    last = uow.session.scalar(select(func.max(P.number)).where(P.school_id == uow.school_id, P.year_id == year_id))
    return int(last or 0) + 1


def _insert(uow: UnitOfWork, row: m.PaperCopy) -> None:
    """Two workstations taking the same number at once: the second is told to try again
    (its transaction is rolled back whole)."""
    uow.session.add(row)
    try:
        uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(what=Phrase("paper.entry", number=row.number)) from exc


def sign(uow: UnitOfWork, actor: Actor, number: str | int, who: str, day: str | date | None = None,
         start_year: int | None = None) -> CopyRow:
    """Record the date one signature was put on a copy (teachers, leader, deputy, director),
    or the day it was handed to the archive. A date is never before the printing nor in the
    future; only a copy the director signed goes to the archive, and then it is final."""
    who, number, when = parse_who(who), parse_number(number), parse_day(day)
    require_signer(actor, who)
    year = current_year(uow, start_year)
    copy = _copy(uow, year, number)
    when = when or uow.today()
    _check_date(uow, copy, who, when)
    column = SIGNERS[who]
    before = getattr(copy, column)
    if before != when:
        update_versioned(uow, m.PaperCopy.__table__, copy.id, None, copy.version, {column: when},  # type: ignore[arg-type]
                         Phrase("paper.no_copy", number=number, year=_year_label(year.start_year)))
        audit.record(uow, actor, "paper.archive" if who == "archive" else "paper.sign", entity="papercopy",
                     entity_id=copy.id, class_id=copy.class_id, before={column: before},
                     after={"copy": number, "period": copy.period_code, column: when})
        uow.commit()
        uow.session.refresh(copy)
    return _row(copy, _class_name(uow, copy.class_id), year.start_year)


def _copy(uow: UnitOfWork, year: m.AcademicYear, number: int) -> m.PaperCopy:
    P = m.PaperCopy
    copy = uow.session.scalars(
        select(P).where(P.school_id == uow.school_id, P.year_id == year.id, P.number == number)
    ).first()
    if copy is None:
        raise NotFound(what=Phrase("paper.no_copy", number=number, year=_year_label(year.start_year)))
    return copy


def _check_date(uow: UnitOfWork, copy: m.PaperCopy, who: str, day: date) -> None:
    if copy.archived is not None:
        raise InvalidInput(what=Phrase("paper.archived", number=copy.number, day=copy.archived))
    today, printed = uow.today(), local_time(copy.printed_at).date()
    if day > today:
        raise InvalidInput(what=Phrase("paper.future", day=day, today=today))
    if day < printed:
        raise InvalidInput(what=Phrase("paper.before_print", day=day, number=copy.number, printed=printed))
    if who != "archive":
        return
    if copy.draft:
        raise InvalidInput(what=Phrase("paper.draft_archive", number=copy.number))
    if copy.director_signed is None:
        raise InvalidInput(what=Phrase("paper.no_director", number=copy.number))
    if day < copy.director_signed:
        raise InvalidInput(what=Phrase("paper.before_director", day=day, signed=copy.director_signed))


def list_copies(uow: UnitOfWork, actor: Actor, start_year: int | None = None) -> list[CopyRow]:
    """The year's registry in number order."""
    require_viewer(actor)
    year = current_year(uow, start_year)
    P, C = m.PaperCopy, m.SchoolClass
    rows = uow.session.execute(
        select(P, C.name).join(C, C.id == P.class_id)
        .where(P.school_id == uow.school_id, P.year_id == year.id).order_by(P.number)
    ).all()
    return [_row(copy, name, year.start_year) for copy, name in rows]


def _class_name(uow: UnitOfWork, class_id: int) -> str:
    return uow.session.scalar(select(m.SchoolClass.name).where(m.SchoolClass.id == class_id)) or ""


def local_time(at: datetime) -> datetime:
    return utc(at).astimezone().replace(tzinfo=None)


def _row(copy: m.PaperCopy, class_name: str, start_year: int) -> CopyRow:
    return CopyRow(
        copy.number, _year_label(start_year), class_name, copy.period_code, copy.kind, copy.sheets, copy.draft,
        copy.file_name, copy.sha256, local_time(copy.printed_at), copy.printed_by, copy.teachers_signed,
        copy.leader_signed, copy.deputy_signed, copy.director_signed, copy.archived, copy.note,
    )
