"""A school from nothing (DOMAIN.md, "A school starts from nothing"): `ejournal school create`
and the TUI's first-run form both call `create_school`. It writes, in one transaction, the
school, its reference data with the defaults (kinds of work, absence reasons, bells; the
rule settings are the defaults until changed), the academic year with the default calendar,
and the first administrator, whose password the person creating the school chose.

On a district database it adds one more school beside the others. `school_details` and
`edit_school` are `school show` and `school edit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain import reference as ref
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import accounts, audit, reference, years
from ejournal_tui.services.context import Actor, Clock, Database

register_many({
    "setup.code_taken": ("школа с кодом «{code}» уже есть в этой базе данных: выберите другой код",
                         "a school with the code {code!r} is already in this database: choose another code"),
    "setup.bad_code": ("код школы «{code}»: от 2 до 40 латинских букв, цифр, знаков - или _ (например, sch1234)",
                       "school code {code!r}: 2 to 40 Latin letters, digits, - or _ (e.g. sch1234)"),
    "setup.no_name": ("нужно название школы", "the school needs a name"),
    "setup.long": ("«{field}» длиннее {n} знаков", "{field!r} is longer than {n} characters"),
    "setup.bad_year": ("учебный год {year}: нужен год от 2000 до 2100", "academic year {year}: a year from 2000 to 2100"),
    "setup.edit_denied": ("изменение сведений о школе (администратор)", "changing the school's details (administrator)"),
})

_CODE = re.compile(r"^[A-Za-z0-9_-]{2,40}$")
NAME_LENGTH = 200
ADMIN_ROLES = (perm.ADMIN, perm.SYSADMIN)


@dataclass(frozen=True)
class NewSchool:
    code: str
    name: str
    city: str = ""
    director: str = ""
    admin_login: str = "admin"
    admin_name: str = "Администратор"
    start_year: int | None = None  # default: domain.reference.year_for_new_school


@dataclass(frozen=True)
class SchoolCreated:
    school_id: int
    code: str
    start_year: int
    admin_login: str


@dataclass(frozen=True)
class SchoolDetails:
    code: str
    name: str
    city: str
    director: str
    is_demo: bool
    years: tuple[str, ...]
    current_year: str
    kinds: int
    reasons: int
    bells: int
    accounts: int


def _check(spec: NewSchool) -> None:
    if not _CODE.match(spec.code or ""):
        raise InvalidInput(what=Phrase("setup.bad_code", code=spec.code))
    if not (spec.name or "").strip():
        raise InvalidInput(what=Phrase("setup.no_name"))
    for label, value in (("name", spec.name), ("city", spec.city), ("director", spec.director)):
        if len(value or "") > NAME_LENGTH:
            raise InvalidInput(what=Phrase("setup.long", field=label, n=NAME_LENGTH))
    if spec.start_year is not None and not 2000 <= spec.start_year <= 2100:
        raise InvalidInput(what=Phrase("setup.bad_year", year=spec.start_year))


def _new_school_row(session: Session, spec: NewSchool) -> m.School:
    taken = session.scalars(select(m.School.id).where(m.School.code == spec.code)).first()
    if taken is not None:
        raise InvalidInput(what=Phrase("setup.code_taken", code=spec.code))
    school = m.School(code=spec.code, name=spec.name.strip(), city=(spec.city or "").strip(),
                      director=(spec.director or "").strip(), is_demo=False)
    session.add(school)
    session.flush()
    return school


def _add_bells(session: Session, school_id: int) -> None:
    for number, (start, end) in enumerate(ref.DEFAULT_BELLS, 1):
        session.add(m.BellTime(school_id=school_id, number=number, start=start, end=end))


def create_school(engine: Engine, spec: NewSchool, admin_password: str, founder: str,
                  clock: Clock | None = None) -> SchoolCreated:
    """Make the school with everything it needs to start; `founder` is who ran it (`os:name`).
    Refused, with nothing written, when the code is taken or any value is wrong."""
    _check(spec)
    clock = clock or Clock()
    today = clock.today()
    start_year = spec.start_year or ref.year_for_new_school(today.year, today.month)
    with Session(engine, expire_on_commit=False) as session:
        school = _new_school_row(session, spec)
        session.commit()  # the id is needed for the unit of work; removed again on failure
    try:
        return _fill(Database(engine, school.id, clock=clock), school, spec, start_year, admin_password, founder)  # type: ignore[arg-type]
    except BaseException:
        with Session(engine) as session:
            session.delete(session.get(m.School, school.id))
            session.commit()
        raise


def _fill(db: Database, school: m.School, spec: NewSchool, start_year: int, password: str,
          founder: str) -> SchoolCreated:
    actor = Actor(login=founder, school_id=db.school_id, roles=ADMIN_ROLES)
    with db.uow() as uow:  # one transaction: a refused password leaves nothing behind
        reference.add_default_kinds(uow)
        reference.add_default_reasons(uow)
        _add_bells(uow.session, db.school_id)
        years.add_year(uow, start_year)
        audit.record(uow, actor, "school.create", entity="school", entity_id=db.school_id,
                     after={"code": school.code, "name": school.name, "city": school.city,
                            "director": school.director, "year": years.year_name(start_year)})
        # the administrator chose the password now: no change is forced at first sign-in
        accounts.add_account(uow, actor, spec.admin_login, spec.admin_name, list(ADMIN_ROLES), password,
                             must_change=False)  # commits everything above with it
    return SchoolCreated(db.school_id, school.code, start_year, spec.admin_login.strip().lower())


def school_details(db: Database) -> SchoolDetails:
    with db.uow(read_only=True) as uow:
        school = uow.session.get(m.School, db.school_id)
        assert school is not None
        found = years.all_years(uow)
        current = years.running_year(found, uow.today())
        count = {model: len(list(uow.session.scalars(select(model.id).where(model.school_id == db.school_id))))
                 for model in (m.WorkKind, m.AbsenceReason, m.BellTime, m.Staff)}
        return SchoolDetails(school.code, school.name, school.city, school.director, school.is_demo,
                             tuple(years.year_name(y.start_year) for y in found),
                             years.year_name(current.start_year) if current else "",
                             count[m.WorkKind], count[m.AbsenceReason], count[m.BellTime], count[m.Staff])


def edit_school(db: Database, actor: Actor, *, name: str | None = None, city: str | None = None,
                director: str | None = None) -> SchoolDetails:
    """Change the school's name, town or director (as printed on the title pages)."""
    if not actor.has(perm.ADMIN, perm.SYSADMIN):
        raise NotAllowed(what=Phrase("setup.edit_denied"))
    with db.uow() as uow:
        school = uow.session.get(m.School, db.school_id)
        assert school is not None
        before = {"name": school.name, "city": school.city, "director": school.director}
        wanted = {k: v.strip() for k, v in (("name", name), ("city", city), ("director", director)) if v is not None}
        _check(NewSchool(school.code, wanted.get("name", school.name), wanted.get("city", ""),
                         wanted.get("director", "")))
        for key, value in wanted.items():
            setattr(school, key, value)
        audit.record(uow, actor, "school.edit", entity="school", entity_id=school.id, before=before,
                     after={**before, **wanted})
        uow.commit()
    return school_details(db)

