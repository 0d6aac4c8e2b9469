"""A new school's first run: the database is empty, so instead of the login screen a short
form creates the school (services/school_setup.py `create_school`, as `ejournal school
create` does) and its first administrator, who then signs in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ejournal_tui.services.school_setup import NewSchool, SchoolCreated

register_many({
    "firstrun.title": ("Новая школа: первый запуск", "A new school: first run"),
    "firstrun.why": (
        "База данных пуста. Будут созданы школа, справочники со значениями по умолчанию, календарь "
        "учебного года и администратор. Сотрудников, учеников, нагрузку, расписание и КТП добавьте "
        "затем: «ejournal import …» или экран администрирования.",
        "The database is empty. This creates the school, its reference data with the defaults, the "
        "year's calendar and the administrator. Staff, pupils, load, timetable and plans come next: "
        "'ejournal import …' or the administration screen.",
    ),
    "firstrun.code": ("Код школы", "School code"),
    "firstrun.code.hint": ("латиницей, например sch1234", "Latin letters, e.g. sch1234"),
    "firstrun.name": ("Название школы", "School name"),
    "firstrun.name.hint": ("как в шапке журнала: МБОУ СОШ № 12", "as on the registers: МБОУ СОШ № 12"),
    "firstrun.city": ("Населённый пункт", "Town"),
    "firstrun.director": ("Директор", "Director"),
    "firstrun.optional": ("необязательно", "optional"),
    "firstrun.login": ("Логин администратора", "Administrator's login"),
    "firstrun.admin_name": ("ФИО администратора", "Administrator's full name"),
    "firstrun.admin_name.hint": ("Фамилия Имя Отчество", "Surname First name Patronymic"),
    "firstrun.password": ("Пароль", "Password"),
    "firstrun.password.hint": ("не короче 8 знаков", "at least 8 characters"),
    "firstrun.repeat": ("Пароль ещё раз", "Password again"),
    "firstrun.year": ("Первый учебный год", "First academic year"),
    "firstrun.create": ("Создать школу", "Create the school"),
    "firstrun.create.tip": ("Создать школу и администратора из заполненной формы",
                            "Create the school and its administrator from the form"),
    "firstrun.creating": ("Создание школы…", "Creating the school…"),
    "firstrun.mismatch": ("Пароли не совпадают", "The passwords differ"),
    "firstrun.bad_year": ("Учебный год «{text}»: укажите, например, {example}",
                          "Academic year {text!r}: write it as e.g. {example}"),
    "firstrun.failed": ("Школа не создана: {detail}", "The school was not created: {detail}"),
    "firstrun.created": ("Школа «{code}» создана: учебный год {year}. Войдите как {login}.",
                         "School {code} created: academic year {year}. Sign in as {login}."),
})


@dataclass(frozen=True)
class Field:
    """One line of the form: its input's id, label and placeholder keys, masked or not."""

    id: str
    label: str
    hint: str = ""
    password: bool = False


FIELDS = (
    Field("code", "firstrun.code", "firstrun.code.hint"),
    Field("name", "firstrun.name", "firstrun.name.hint"),
    Field("city", "firstrun.city"),
    Field("director", "firstrun.director", "firstrun.optional"),
    Field("login", "firstrun.login"),
    Field("admin-name", "firstrun.admin_name", "firstrun.admin_name.hint"),
    Field("password", "firstrun.password", "firstrun.password.hint", password=True),
    Field("repeat", "firstrun.repeat", password=True),
    Field("year", "firstrun.year"),
)
LAST_FIELD = FIELDS[-1].id
# the field a service refusal is about, by the refusal's message key
FAULTS = {
    "setup.bad_code": "code", "setup.code_taken": "code", "setup.no_name": "name", "setup.bad_year": "year",
    "acc.bad_login": "login", "acc.login_short": "login", "acc.taken": "login", "acc.no_name": "admin-name",
}
_YEAR = re.compile(r"^(\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?$")


def year_text(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"


def parse_year(text: str) -> int | None:
    """`2026/2027`, `2026/27`, `2026-2027` or `2026` → 2026; anything else → None."""
    match = _YEAR.match(text.strip())
    if match is None:
        return None
    start, end = int(match[1]), match[2]
    if end and int(end) != (start + 1 if len(end) == 4 else (start + 1) % 100):
        return None
    return start


def default_year() -> int:
    from datetime import date

    from ejournal_tui.domain.reference import year_for_new_school

    today = date.today()
    return year_for_new_school(today.year, today.month)


def field_at_fault(exc: Exception) -> str:
    """The id of the input a refusal is about (the password when it is about a password)."""
    what = getattr(exc, "params", {}).get("what")
    key = what.key if isinstance(what, Phrase) else ""
    if key.startswith("acc.pw_"):
        return "password"
    if key == "setup.long":
        return str(what.params.get("field", "name")).replace("_", "-")  # type: ignore[union-attr]
    return FAULTS.get(key, "code")


class FirstRunScreen(Screen[None]):
    """The form that creates the school on an empty database."""

    CSS_PATH = "first_run.tcss"
    BINDINGS = [
        Binding("ctrl+s", "create", bt("firstrun.create"), tooltip=bt("firstrun.create.tip")),
        # the app's keys to a school's screens and the lock: there is no school yet, and at 80
        # columns they would crowd the footer
        *(Binding(key, "nothing", show=False) for key in ("f2", "f3", "f4", "ctrl+l")),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="firstrun-box"):
            yield Static(t("firstrun.title"), id="firstrun-title")
            yield Static(t("firstrun.why"), id="firstrun-why")
            for field in FIELDS:
                with Horizontal(classes="firstrun-row"):
                    yield Label(t(field.label), id=f"{field.id}-label")
                    yield Input(self._initial(field.id), id=field.id, password=field.password,
                                placeholder=t(field.hint) if field.hint else "")
            yield Static("", id="firstrun-error")
            yield Button(t("firstrun.create"), id="create", variant="primary")
        yield Footer()

    @staticmethod
    def _initial(field_id: str) -> str:
        return {"login": "admin", "year": year_text(default_year())}.get(field_id, "")

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    def action_nothing(self) -> None:
        """Keys of screens that need a school (see BINDINGS)."""

    def retranslate(self) -> None:
        """Ctrl+T: the words painted once are painted again in the language switched to."""
        self.query_one("#firstrun-title", Static).update(t("firstrun.title"))
        self.query_one("#firstrun-why", Static).update(t("firstrun.why"))
        self.query_one("#create", Button).label = t("firstrun.create")
        for field in FIELDS:
            self.query_one(f"#{field.id}-label", Label).update(t(field.label))
            self.query_one(f"#{field.id}", Input).placeholder = t(field.hint) if field.hint else ""

    @on(Input.Submitted)
    def _next_or_create(self, event: Input.Submitted) -> None:
        if event.input.id == LAST_FIELD:
            self.action_create()
        else:
            self.focus_next()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Check what the service cannot (the repeated password, the year's spelling), then create."""
        if self.busy:
            return
        value = {field.id: self.query_one(f"#{field.id}", Input).value for field in FIELDS}
        if value["password"] != value["repeat"]:
            self._refuse("password", t("firstrun.mismatch"))
            return
        start_year = parse_year(value["year"])
        if start_year is None:
            self._refuse("year", t("firstrun.bad_year", text=value["year"], example=year_text(default_year())))
            return
        self._begin()
        self.create(self._spec(value, start_year), value["password"])

    @staticmethod
    def _spec(value: dict[str, str], start_year: int) -> NewSchool:
        from ejournal_tui.services.school_setup import NewSchool

        return NewSchool(value["code"].strip(), value["name"], value["city"], value["director"],
                         value["login"].strip(), value["admin-name"].strip(), start_year)

    def _begin(self) -> None:
        self.busy = True
        self.query_one("#create", Button).disabled = True
        self._message(t("firstrun.creating"))

    def _message(self, text: str) -> None:
        self.query_one("#firstrun-error", Static).update(text)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def create(self, spec: NewSchool, password: str) -> None:
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.context import os_actor
        from ejournal_tui.services.school_setup import create_school

        try:
            created = create_school(self.engine, spec, password, os_actor(0, ()).login)
        except EjournalError as exc:
            self._back(self._refused, exc)
            return
        except Exception as exc:  # noqa: BLE001 - shown on the form and by the app, never raised
            self._back(self._failed, exc)
            return
        self._back(self._created, created)

    def _back(self, callback: Any, arg: object) -> None:
        """Hand the outcome to the UI thread; the app may have closed meanwhile (Ctrl+Q): the
        service has written the whole school or nothing, so there is nothing left to do."""
        try:
            self.app.call_from_thread(callback, arg)
        except RuntimeError:
            pass

    def _refused(self, exc: Exception) -> None:
        self._refuse(field_at_fault(exc), str(exc))

    def _refuse(self, field_id: str, message: str) -> None:
        """Say why on the form; everything typed stays, the field at fault takes the cursor."""
        self.busy = False
        self.query_one("#create", Button).disabled = False
        self._message(message)
        self.query_one(f"#{field_id}", Input).focus()

    def _failed(self, exc: Exception) -> None:
        detail = str(getattr(exc, "orig", exc)).splitlines()[0][:120] if str(exc) else type(exc).__name__
        self._refuse("code", t("firstrun.failed", detail=detail))
        self.app.show_error(exc)  # type: ignore[attr-defined]

    def _created(self, created: SchoolCreated) -> None:
        self.app.notify(t("firstrun.created", code=created.code, year=year_text(created.start_year),
                          login=created.admin_login), timeout=10)
        self.app.school_created(created.admin_login)  # type: ignore[attr-defined]
