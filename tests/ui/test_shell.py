"""The app shell: sign-in, the idle lock, help, opening screens."""

from __future__ import annotations

from sqlalchemy import select

from ejournal_tui.data import models as m
from tests.ui.harness import demo_database, make_app, screen_text, settle, signed_in_app


async def _sign_in(pilot, login: str, password: str) -> None:  # noqa: ANN001
    app = pilot.app
    app.screen.query_one("#login").value = login
    app.screen.query_one("#password").value = password
    app.screen.query_one("#password").focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_login_then_today(demo_url: str) -> None:
    app = make_app(demo_url, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen"
        assert "teacher" in str(app.screen.query_one("#demo-logins").render())
        await _sign_in(pilot, "teacher", "demo")
        assert app.session is not None and app.session.actor.login == "teacher"
        assert type(app.screen).__name__ == "TodayScreen"


async def test_wrong_password_refused_and_repeated_failures_lock(demo_url: str) -> None:
    app = make_app(demo_url, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(5):
            await _sign_in(pilot, "teacher", "wrong")
        assert app.session is None
        assert "locked" in str(app.screen.query_one("#login-error").render())
        await _sign_in(pilot, "teacher", "demo")  # even the right password is refused now
        assert app.session is None
    db = demo_database(demo_url)
    with db.uow() as uow:
        staff = uow.session.scalars(select(m.Staff).where(m.Staff.login == "teacher")).one()
        assert staff.locked_until is not None


async def test_idle_lock_hides_register_and_needs_same_password(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        assert "Русский язык" in screen_text(app)
        app.idle_limit = 0.01
        app.last_input = 0
        app._check_idle()
        await settle(pilot)
        assert type(app.screen).__name__ == "LockScreen"
        # the register underneath is not painted: nothing of Today shows on screen
        assert "Русский язык" not in screen_text(app)
        app.screen.query_one("#lock-password").value = "wrong"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "LockScreen"
        app.screen.query_one("#lock-password").value = "demo"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"


async def test_switch_user_from_lock(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.session is None
        assert type(app.screen).__name__ == "LoginScreen"


async def test_help_lists_keys(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpModal"
        keys = [row[0] for row in app.screen.rows]
        assert any("F1" in k for k in keys) and any("F5" in k for k in keys)


async def test_a_burst_of_typed_keys_signs_in(demo_url: str) -> None:
    """A password manager's auto-type (or a fast typist) sends «login Tab password Enter» as one
    burst: the Tab used to be handled after the password's letters, typing `teacherdemo` as the
    login (issue 9)."""
    from textual import events

    app = make_app(demo_url, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = [*"teacher", "tab", *"demo", "enter"]
        for key in keys:  # all queued at once, none waiting for the screen to catch up
            app.post_message(events.Key(key, {"tab": "\t", "enter": "\r"}.get(key, key)))
        await settle(pilot)
        assert app.session is not None and app.session.actor.login == "teacher"
        assert type(app.screen).__name__ == "TodayScreen"


async def test_an_unexpected_error_is_logged_and_the_file_named(demo_url: str, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """«Непредвиденная ошибка: TypeError» used to be logged nowhere an administrator could read."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        seen: list[str] = []
        monkeypatch.setattr(app, "notify", lambda message, **kw: seen.append(str(message)))
        try:
            raise TypeError("action_save() got a message object")
        except TypeError as exc:
            app.show_error(exc)
        await settle(pilot)
    log = tmp_path / "state" / "ejournal" / "log" / "crash.log"
    assert seen and str(log) in seen[-1] and "TypeError" in seen[-1]
    assert "action_save() got a message object" in log.read_text(encoding="utf-8")
