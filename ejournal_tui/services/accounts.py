"""Staff accounts: sign-in with lockout, adding, listing, passwords, roles, disabling and
unlocking, and an administrator's access recovered by whoever holds the database.

Passwords are hashed with Argon2id; an account is locked for a while after repeated failed
sign-ins; every sign-in and failure goes into the change log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain import credentials
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import (
    AccountDisabled,
    AccountLocked,
    AuthFailed,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.phrases import noun

register_many(
    {
        "acc.admin_only": ("учётными записями управляет системный администратор",
                           "accounts are managed by the system administrator"),
        "acc.pw_short": ("пароль должен содержать не менее {n} символов", "the password must have at least {n} characters"),
        "acc.pw_long": ("пароль должен содержать не более {n} символов", "the password must have at most {n} characters"),
        "acc.pw_login": ("пароль не должен содержать логин", "the password must not contain the login"),
        "acc.pw_repeated": ("пароль не должен состоять из одного-двух повторяющихся символов",
                            "the password must not be one or two characters repeated"),
        "acc.pw_same": ("новый пароль должен отличаться от старого", "the new password must differ from the old one"),
        "acc.pw_common": ("этот пароль подбирают первым (распространённый пароль или ряд клавиш): придумайте другой",
                          "this password is among the first a guesser tries (a common one or a run of keys): choose another"),
        "acc.login_short": ("логин «{login}» слишком короткий: не менее {n} символов",
                            "login {login!r} is too short: at least {n} characters"),
        "acc.bad_login": ("логин «{login}»: допустимы буквы, цифры, «.», «_» и «-»",
                          "login {login!r}: letters, digits, '.', '_' and '-'"),
        "acc.bad_role_use": ("неизвестная роль {role}: используйте {roles}", "unknown role {role}: use {roles}"),
        "acc.bad_role": ("неизвестная роль {role}", "unknown role {role}"),
        "acc.no_role": ("у учётной записи должна быть хотя бы одна роль", "an account needs at least one role"),
        "acc.taken": ("логин «{login}» уже занят", "login {login!r} is taken"),
        "acc.no_name": ("у учётной записи должно быть имя", "the account needs a name"),
        "acc.disable_self": ("нельзя отключить собственную учётную запись", "you cannot disable your own account"),
        "acc.keep_own_admin": ("нельзя снять с себя право управлять учётными записями: это сделает другой администратор",
                               "you cannot take away your own right to manage accounts: another administrator can"),
        "acc.recover_not_admin": ("«{login}» не управляет учётными записями (нет роли admin или sysadmin): "
                                  "восстанавливается доступ администратора, пароли остальных меняет он",
                                  "{login!r} does not manage accounts (no admin or sysadmin role): recovery is for an "
                                  "administrator's access; the administrator then resets the others' passwords"),
        "acc.recover_not_owner": ("восстановить доступ может только владелец базы данных (роль {owner}), а не «{user}»: "
                                  "выполните команду на сервере с его адресом базы данных",
                                  "only the database's owner (role {owner}) may recover access, not {user!r}: run the "
                                  "command on the server with the owner's database URL"),
        "acc.last_admin": ("«{login}» — последняя действующая учётная запись с ролью admin или sysadmin: сначала "
                           "дайте эту роль другой, иначе учётными записями будет некому управлять",
                           "{login!r} is the last active account with the admin or sysadmin role: give that role to "
                           "another account first, or no one could manage accounts"),
    }
)

_hasher = None


def hasher():  # noqa: ANN201 - argon2 is imported on first use
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()  # Argon2id with the library's recommended parameters
    return _hasher


def hash_password(password: str) -> str:
    return hasher().hash(password)


def check_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if not stored:
        return False
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class AccountInfo:
    id: int
    login: str
    name: str
    roles: tuple[str, ...]
    disabled: bool
    locked_until: datetime | None
    must_change_password: bool


def _info(s: m.Staff) -> AccountInfo:
    return AccountInfo(s.id, s.login, s.full_name, s.role_list, s.disabled, s.locked_until,  # type: ignore[arg-type]
                       s.must_change_password)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return value


def actor_of(staff: m.Staff) -> Actor:
    roles = set(staff.role_list)
    return Actor(login=staff.login, school_id=staff.school_id, roles=tuple(r for r in perm.ROLES if r in roles),
                 id=staff.id, name=staff.short_name)


def find_account(uow: UnitOfWork, login: str) -> m.Staff:
    staff = uow.session.scalars(
        select(m.Staff).where(m.Staff.school_id == uow.school_id, m.Staff.login == login.strip().lower())
    ).first()
    if staff is None:
        raise NotFound(what=noun("account", login=login))
    return staff


def sign_in(uow: UnitOfWork, login: str, password: str) -> tuple[Actor, bool]:
    """The account's actor and whether it must change its password now.

    Raises `AuthFailed` (same message for an unknown login and a wrong password),
    `AccountLocked` or `AccountDisabled`. Failures are committed even though they raise.
    """
    settings = uow.settings
    staff = uow.session.scalars(
        select(m.Staff).where(m.Staff.school_id == uow.school_id, m.Staff.login == (login or "").strip().lower())
    ).first()
    now = uow.now()
    probe = Actor(login=(login or "?").strip().lower()[:64], school_id=uow.school_id, roles=())
    if staff is None:
        audit.record(uow, probe, "auth.fail", reason="unknown login")
        uow.commit()
        raise AuthFailed()
    if staff.disabled:
        _refuse(uow, probe, staff, "account disabled")
        raise AccountDisabled()
    locked = _aware(staff.locked_until)
    if locked and locked > now:
        # even the right password is refused until the lock expires, and the try is logged
        _refuse(uow, probe, staff, "account locked")
        raise AccountLocked(until=locked.astimezone().strftime("%H:%M"))
    if not check_password(staff.password_hash, password):
        staff.failed_logins += 1
        if staff.failed_logins >= settings.max_failed_logins:
            staff.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            staff.failed_logins = 0
        audit.record(uow, probe, "auth.fail", entity="staff", entity_id=staff.id,
                     after={"locked": staff.locked_until is not None and _aware(staff.locked_until) > now})
        uow.commit()
        if staff.locked_until and _aware(staff.locked_until) > now:  # type: ignore[operator]
            raise AccountLocked(until=_aware(staff.locked_until).astimezone().strftime("%H:%M"))  # type: ignore[union-attr]
        raise AuthFailed()
    staff.failed_logins, staff.locked_until = 0, None
    actor = actor_of(staff)
    audit.record(uow, actor, "auth.login", entity="staff", entity_id=staff.id)
    uow.commit()
    return actor, staff.must_change_password


def _refuse(uow: UnitOfWork, probe: Actor, staff: m.Staff, why: str) -> None:
    """Log a refused sign-in that does not count towards the lock, and keep the record."""
    audit.record(uow, probe, "auth.fail", entity="staff", entity_id=staff.id, reason=why)
    uow.commit()


def _require_admin(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_accounts"):
        raise NotAllowed(what=Phrase("acc.admin_only"))


MAX_PASSWORD_LENGTH = 256


def _check_password_rules(uow: UnitOfWork, password: str, login: str = "") -> None:
    if len(password or "") < uow.settings.min_password_length:
        raise InvalidInput(what=Phrase("acc.pw_short", n=uow.settings.min_password_length))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(what=Phrase("acc.pw_long", n=MAX_PASSWORD_LENGTH))
    if login and login.lower() in password.lower():
        raise InvalidInput(what=Phrase("acc.pw_login"))
    if len(set(password)) < 3:
        raise InvalidInput(what=Phrase("acc.pw_repeated"))
    if credentials.is_common_password(password):
        raise InvalidInput(what=Phrase("acc.pw_common"))


def add_account(
    uow: UnitOfWork, actor: Actor, login: str, full_name: str, roles: list[str], password: str,
    *, must_change: bool = True,
) -> AccountInfo:
    _require_admin(actor)
    login = (login or "").strip().lower()
    if not login or not login.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(what=Phrase("acc.bad_login", login=login))
    if credentials.login_too_short(login):
        raise InvalidInput(what=Phrase("acc.login_short", login=login, n=credentials.MIN_LOGIN_LENGTH))
    try:
        roles_t = perm.normalize_roles(roles)
    except ValueError as exc:
        raise InvalidInput(what=Phrase("acc.bad_role_use", role=exc, roles=", ".join(perm.ROLES))) from exc
    if not roles_t:
        raise InvalidInput(what=Phrase("acc.no_role"))
    _check_password_rules(uow, password, login)
    exists = uow.session.scalars(select(m.Staff.id).where(m.Staff.school_id == uow.school_id, m.Staff.login == login)).first()
    if exists:
        raise InvalidInput(what=Phrase("acc.taken", login=login))
    parts = (full_name or "").split()
    if not parts:
        raise InvalidInput(what=Phrase("acc.no_name"))
    staff = m.Staff(school_id=uow.school_id, login=login, last_name=parts[0], first_name=" ".join(parts[1:2]),
                    patronymic=" ".join(parts[2:]), roles=",".join(roles_t), password_hash=hash_password(password),
                    must_change_password=must_change)
    uow.session.add(staff)
    uow.session.flush()
    audit.record(uow, actor, "account.add", entity="staff", entity_id=staff.id,
                 after={"login": login, "name": staff.full_name, "roles": list(roles_t)})
    uow.commit()
    return _info(staff)


def database_has_accounts(engine: Engine) -> bool:
    """Whether any school of the database has a staff account yet. Until then no one can sign
    in, and the operating-system user creates the first school (CLI.md, "who acts")."""
    with Session(engine) as session:
        return session.scalars(select(m.Staff.id).limit(1)).first() is not None


def list_accounts(uow: UnitOfWork, actor: Actor | None = None) -> list[AccountInfo]:
    """Every account of the school; with `actor`, only for those who see the administration
    screen (who manages accounts or the school)."""
    if actor is not None and not (perm.may(actor.roles, "manage_accounts") or perm.may(actor.roles, "manage_school")):
        raise NotAllowed(what=Phrase("acc.admin_only"))
    rows = uow.session.scalars(select(m.Staff).where(m.Staff.school_id == uow.school_id).order_by(m.Staff.login))
    return [_info(s) for s in rows]


def change_password(uow: UnitOfWork, actor: Actor, login: str, new_password: str,
                    *, old_password: str | None = None) -> None:
    """A user changes their own password (giving the old one), or an admin resets it (the
    user must then change it at first sign-in)."""
    staff = find_account(uow, login)
    own = actor.id == staff.id
    if own:
        # the old password proves it is the owner at the keyboard, not a passer-by
        if old_password is None or not check_password(staff.password_hash, old_password):
            _refuse(uow, actor, staff, "wrong old password at a password change")
            raise AuthFailed()
    else:
        _require_admin(actor)
    _check_password_rules(uow, new_password, staff.login)
    if check_password(staff.password_hash, new_password):
        raise InvalidInput(what=Phrase("acc.pw_same"))
    staff.password_hash = hash_password(new_password)
    staff.must_change_password = not own
    staff.failed_logins, staff.locked_until = 0, None
    audit.record(uow, actor, "account.passwd", entity="staff", entity_id=staff.id, after={"login": staff.login})
    uow.commit()


def set_disabled(uow: UnitOfWork, actor: Actor, login: str, disabled: bool = True) -> AccountInfo:
    _require_admin(actor)
    staff = find_account(uow, login)
    if actor.id == staff.id and disabled:
        raise InvalidInput(what=Phrase("acc.disable_self"))
    if disabled and not staff.disabled and _manages_accounts(staff.role_list):
        _keep_an_account_manager(uow, staff)
    before = staff.disabled
    staff.disabled = disabled
    audit.record(uow, actor, "account.disable" if disabled else "account.enable", entity="staff",
                 entity_id=staff.id, before={"disabled": before}, after={"disabled": disabled})
    uow.commit()
    return _info(staff)


def set_roles(uow: UnitOfWork, actor: Actor, login: str, roles: list[str]) -> AccountInfo:
    _require_admin(actor)
    staff = find_account(uow, login)
    try:
        roles_t = perm.normalize_roles(roles)
    except ValueError as exc:
        raise InvalidInput(what=Phrase("acc.bad_role", role=exc)) from exc
    if not roles_t:
        raise InvalidInput(what=Phrase("acc.no_role"))
    if _manages_accounts(staff.role_list) and not _manages_accounts(roles_t):
        if actor.id == staff.id:
            raise InvalidInput(what=Phrase("acc.keep_own_admin"))
        if not staff.disabled:
            _keep_an_account_manager(uow, staff)
    before = staff.role_list
    staff.roles = ",".join(roles_t)
    audit.record(uow, actor, "account.roles", entity="staff", entity_id=staff.id,
                 before={"roles": list(before)}, after={"roles": list(roles_t)})
    uow.commit()
    return _info(staff)


def unlock(uow: UnitOfWork, actor: Actor, login: str) -> AccountInfo:
    """Lift a lock left by failed sign-ins and forget the failures counted so far."""
    _require_admin(actor)
    staff = find_account(uow, login)
    locked = _aware(staff.locked_until)
    before = {"failed_logins": staff.failed_logins, "locked_until": locked.isoformat() if locked else None}
    staff.failed_logins, staff.locked_until = 0, None
    audit.record(uow, actor, "account.unlock", entity="staff", entity_id=staff.id, before=before,
                 after={"failed_logins": 0, "locked_until": None})
    uow.commit()
    return _info(staff)


def _manages_accounts(roles: tuple[str, ...] | list[str]) -> bool:
    return perm.may(roles, "manage_accounts")


def _keep_an_account_manager(uow: UnitOfWork, staff: m.Staff) -> None:
    """Someone active must still hold admin or sysadmin after `staff` loses it: the command
    line acts only as a signed-in person, so no one else could give the role back."""
    others = uow.session.scalars(
        select(m.Staff).where(m.Staff.school_id == uow.school_id, m.Staff.id != staff.id,
                              m.Staff.disabled == False)  # noqa: E712 - SQL, not Python
    )
    if not any(_manages_accounts(other.role_list) for other in others):
        raise InvalidInput(what=Phrase("acc.last_admin", login=staff.login))


def recover_admin(uow: UnitOfWork, actor: Actor, login: str, new_password: str) -> AccountInfo:
    """The way back in when every administrator's password is lost or locked: the person who
    holds the database (its file, or on a server the owner role; not a workstation) gives the
    administrator's account `login` a new password, which must be changed at the next sign-in,
    and enables and unlocks it. Recorded in the change log under the operating-system user."""
    from ejournal_tui.data.pg_security import owner_problem

    problem = owner_problem(uow.conn)
    if problem is not None:
        raise NotAllowed(what=Phrase("acc.recover_not_owner", owner=problem[0], user=problem[1]))
    staff = find_account(uow, login)
    if not _manages_accounts(staff.role_list):
        raise InvalidInput(what=Phrase("acc.recover_not_admin", login=staff.login))
    _check_password_rules(uow, new_password, staff.login)
    before = {"disabled": staff.disabled, "failed_logins": staff.failed_logins}
    staff.password_hash = hash_password(new_password)
    staff.must_change_password = True
    staff.disabled, staff.failed_logins, staff.locked_until = False, 0, None
    audit.record(uow, actor, "account.recover", entity="staff", entity_id=staff.id, before=before,
                 after={"login": staff.login, "disabled": False, "failed_logins": 0})
    uow.commit()
    return _info(staff)
