"""Sign-in, accounts and the hash-chained change log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from ejournal_tui.domain.errors import AccountLocked, AuthFailed, InvalidInput, NotAllowed
from ejournal_tui.services import accounts, audit, marks
from tests.factory import PASSWORD


def test_sign_in_and_failures_are_logged(school) -> None:
    with school.uow() as uow:
        actor, must_change = accounts.sign_in(uow, "IVANOVA", PASSWORD)
    assert actor.login == "ivanova" and "class_leader" in actor.roles and not must_change
    with school.uow() as uow, pytest.raises(AuthFailed):
        accounts.sign_in(uow, "ivanova", "wrong")
    with school.uow() as uow, pytest.raises(AuthFailed) as err:
        accounts.sign_in(uow, "nobody", "wrong")
    assert "Wrong login or password" in str(err.value)
    with school.uow() as uow:
        actions = list(uow.session.execute(text("SELECT action FROM auditevent ORDER BY seq")).scalars())
    assert actions == ["auth.login", "auth.fail", "auth.fail"]


def test_five_failures_lock_the_account(school) -> None:
    for _ in range(4):
        with school.uow() as uow, pytest.raises(AuthFailed):
            accounts.sign_in(uow, "petrov", "nope")
    with school.uow() as uow, pytest.raises(AccountLocked):
        accounts.sign_in(uow, "petrov", "nope")
    with school.uow() as uow, pytest.raises(AccountLocked):  # even the right password waits
        accounts.sign_in(uow, "petrov", PASSWORD)


def test_admin_adds_an_account_that_must_change_its_password(school) -> None:
    with school.uow() as uow, pytest.raises(NotAllowed):
        accounts.add_account(uow, school.actors["deputy"], "new", "Новиков Н Н", ["teacher"], "longenough")
    with school.uow() as uow, pytest.raises(InvalidInput):
        accounts.add_account(uow, school.actors["admin"], "new", "Новиков Н Н", ["teacher"], "short")
    with school.uow() as uow, pytest.raises(InvalidInput):
        accounts.add_account(uow, school.actors["admin"], "new", "Новиков Н Н", ["wizard"], "longenough")
    with school.uow() as uow:
        info = accounts.add_account(uow, school.actors["admin"], "new", "Новиков Николай Н", ["teacher"], "longenough")
    assert info.must_change_password
    with school.uow() as uow:
        actor, must_change = accounts.sign_in(uow, "new", "longenough")
    assert must_change
    with school.uow() as uow:
        accounts.change_password(uow, actor, "new", "another-secret", old_password="longenough")
    with school.uow() as uow:
        assert accounts.sign_in(uow, "new", "another-secret")[1] is False


def test_disabled_account_cannot_sign_in(school) -> None:
    from ejournal_tui.domain.errors import AccountDisabled

    with school.uow() as uow:
        accounts.set_disabled(uow, school.actors["admin"], "petrov")
    with school.uow() as uow, pytest.raises(AccountDisabled):
        accounts.sign_in(uow, "petrov", PASSWORD)


def test_audit_chain_verifies_and_detects_an_edit(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        for value in "345":
            marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], value)
    with school.uow() as uow:
        report = audit.verify_chain(uow)
    assert report.ok and report.events == 3
    with engine.begin() as conn:
        conn.execute(text("UPDATE auditevent SET after = replace(after, '4', '5') WHERE seq = 2"))
    with school.uow() as uow:
        report = audit.verify_chain(uow)
    assert not report.ok and report.broken_at == 2


def test_audit_chain_detects_a_deleted_last_event(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        for value in "34":
            marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], value)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM auditevent WHERE seq = 2"))
    with school.uow() as uow:
        assert not audit.verify_chain(uow).ok
