"""The school's reference data besides classes and the timetable: kinds of work (name, short
name, weight, oral/written category) and the names of the absence reasons. Bells are kept by
`services.admin.set_bell`. Every change checks `manage_school` and is in the change log.

A kind's short name is kept in the school's settings (key `work_kind_short`, a JSON map
code → short name) rather than in a column of its own: the schema stays the one every
existing backup was made with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain import reference as ref
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork

SHORT_NAMES_KEY = "work_kind_short"

register_many({
    "ref.keepers": ("изменение справочников школы (администратор, заместитель директора)",
                    "changing the school's reference data (administrator, deputy director)"),
    "ref.kind": ("вид работы «{value}»", "kind of work {value!r}"),
    "ref.reason": ("причина отсутствия «{value}»", "absence reason {value!r}"),
    "ref.bad_code": ("код вида работы «{code}»: до 16 букв, цифр или знаков _ / . -",
                     "kind of work code {code!r}: up to 16 letters, digits or _ / . -"),
    "ref.bad_weight": ("вес «{value}»: нужно число больше 0 и не больше 10",
                       "weight {value!r}: a number above 0 and at most 10"),
    "ref.bad_category": ("категория «{value}»: oral (устная) или written (письменная)",
                         "category {value!r}: oral or written"),
    "ref.no_name": ("у вида работы должно быть название", "a kind of work needs a name"),
    "ref.name_taken": ("название или сокращение «{value}» уже у вида работы «{other}»",
                       "the name or short name {value!r} is already used by the kind {other!r}"),
    "ref.reason_codes": ("коды причин постоянны: Б, У, Н, О; меняются только названия",
                         "the reason codes are fixed (Б, У, Н, О); only their names can change"),
})


@dataclass(frozen=True)
class KindInfo:
    code: str
    name: str
    short: str
    weight: float
    category: str
    marks: int  # marks of this kind already given (its code then cannot go)


def _require(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("ref.keepers"))


def short_names(uow: UnitOfWork) -> dict[str, str]:
    raw = uow.session.scalars(select(m.Setting.value).where(m.Setting.school_id == uow.school_id,
                                                            m.Setting.key == SHORT_NAMES_KEY)).first()
    return json.loads(raw) if raw else {}


def _store_short_names(uow: UnitOfWork, names: dict[str, str]) -> None:
    row = uow.session.scalars(select(m.Setting).where(m.Setting.school_id == uow.school_id,
                                                      m.Setting.key == SHORT_NAMES_KEY)).first()
    if row is None:
        row = m.Setting(school_id=uow.school_id, key=SHORT_NAMES_KEY, value="")
        uow.session.add(row)
    row.value = json.dumps(names, ensure_ascii=False, sort_keys=True)


def list_kinds(uow: UnitOfWork) -> list[KindInfo]:
    W, Mk = m.WorkKind, m.Mark
    shorts = short_names(uow)
    used = dict(uow.session.execute(select(Mk.work_kind, func.count(Mk.id)).where(Mk.school_id == uow.school_id)
                                    .group_by(Mk.work_kind)).all())
    rows = uow.session.scalars(select(W).where(W.school_id == uow.school_id).order_by(W.order, W.id))
    return [KindInfo(k.code, k.name, shorts.get(k.code, ""), k.weight, k.category, used.get(k.code, 0)) for k in rows]


def kinds_by_any_name(uow: UnitOfWork) -> dict[str, str]:
    """Every way a kind may be written (code, name, short name) → its code."""
    found: dict[str, str] = {}
    for kind in list_kinds(uow):
        for text in (kind.short, kind.name, kind.code):
            if text:
                found[ref.kind_key(text)] = kind.code
    return found


def add_default_kinds(uow: UnitOfWork) -> None:
    """A new school's kinds of work (domain.reference.DEFAULT_KINDS), without the log."""
    for order, kind in enumerate(ref.DEFAULT_KINDS):
        uow.session.add(m.WorkKind(school_id=uow.school_id, code=kind.code, name=kind.name, weight=kind.weight,
                                   category=kind.category, order=order))
    _store_short_names(uow, {k.code: k.short for k in ref.DEFAULT_KINDS})


def _checked(code: str, name: str, short: str, weight: float, category: str) -> None:
    if ref.code_problem(code):
        raise InvalidInput(what=Phrase("ref.bad_code", code=code))
    if not name:
        raise InvalidInput(what=Phrase("ref.no_name"))
    if not ref.weight_ok(weight):
        raise InvalidInput(what=Phrase("ref.bad_weight", value=weight))
    if category not in ref.CATEGORIES:
        raise InvalidInput(what=Phrase("ref.bad_category", value=category))


def _clash(uow: UnitOfWork, code: str, name: str, short: str) -> None:
    """A name or short name may mean one kind only: the plan import matches by them."""
    for other in list_kinds(uow):
        if other.code == code:
            continue
        theirs = {ref.kind_key(other.code), ref.kind_key(other.name), ref.kind_key(other.short)} - {""}
        for text in (code, name, short):
            if text and ref.kind_key(text) in theirs:
                raise InvalidInput(what=Phrase("ref.name_taken", value=text, other=other.name))


def set_kind(uow: UnitOfWork, actor: Actor, code: str, *, name: str | None = None, short: str | None = None,
             weight: float | None = None, category: str | None = None) -> KindInfo:
    """Add a kind of work (a new code) or change an existing one; unset fields stay."""
    _require(actor)
    code = (code or "").strip()
    W = m.WorkKind
    row = uow.session.scalars(select(W).where(W.school_id == uow.school_id, W.code == code)).first()
    shorts = short_names(uow)
    old = None if row is None else {"name": row.name, "short": shorts.get(code, ""), "weight": row.weight,
                                    "category": row.category}
    new = {"name": (name if name is not None else (old or {}).get("name", "")).strip(),
           "short": (short if short is not None else (old or {}).get("short", "")).strip(),
           "weight": weight if weight is not None else (old or {}).get("weight", 1.0),
           "category": (category if category is not None else (old or {}).get("category", ref.WRITTEN)).strip()}
    _checked(code, new["name"], new["short"], new["weight"], new["category"])
    _clash(uow, code, new["name"], new["short"])
    if row is None:
        count = uow.session.scalar(select(func.count(W.id)).where(W.school_id == uow.school_id)) or 0
        row = W(school_id=uow.school_id, code=code, name="", order=count)
        uow.session.add(row)
    row.name, row.weight, row.category = new["name"], new["weight"], new["category"]
    _store_short_names(uow, {**shorts, code: new["short"]})
    uow.session.flush()
    audit.record(uow, actor, "workkind.set", entity="workkind", entity_id=row.id, before=old,
                 after={"code": code, **new})
    uow.commit()
    uow.db.forget()
    return next(k for k in list_kinds(uow) if k.code == code)


@dataclass(frozen=True)
class ReasonInfo:
    code: str
    name: str
    category: str


def list_reasons(uow: UnitOfWork) -> list[ReasonInfo]:
    R = m.AbsenceReason
    order = list(ref.REASON_CATEGORIES)
    rows = uow.session.scalars(select(R).where(R.school_id == uow.school_id))
    found = [ReasonInfo(r.code, r.name, r.category) for r in rows]
    return sorted(found, key=lambda r: order.index(r.code) if r.code in order else len(order))


def add_default_reasons(uow: UnitOfWork) -> None:
    for code, name in ref.DEFAULT_REASONS:
        uow.session.add(m.AbsenceReason(school_id=uow.school_id, code=code, name=name,
                                        category=ref.REASON_CATEGORIES[code]))


def rename_reason(uow: UnitOfWork, actor: Actor, code: str, name: str) -> ReasonInfo:
    """A reason's name as the school says it; the four codes and their meaning stay."""
    _require(actor)
    code, name = (code or "").strip().upper(), (name or "").strip()
    if code not in ref.REASON_CATEGORIES:
        raise InvalidInput(what=Phrase("ref.reason_codes"))
    if not name:
        raise InvalidInput(what=Phrase("ref.no_name"))
    R = m.AbsenceReason
    row = uow.session.scalars(select(R).where(R.school_id == uow.school_id, R.code == code)).first()
    if row is None:
        raise NotFound(what=Phrase("ref.reason", value=code))
    before, row.name = row.name, name
    audit.record(uow, actor, "reason.rename", entity="absencereason", entity_id=row.id,
                 before={"code": code, "name": before}, after={"code": code, "name": name})
    uow.commit()
    uow.db.forget()
    return ReasonInfo(code, name, row.category)
