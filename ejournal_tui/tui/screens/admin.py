"""Administration: users and roles, classes and pupils (admit, move, leave), subjects, the
teaching load, timetable and bell times, periods and holidays, the school's rule settings,
the kinds of work and the absence reasons (admin_reference.py). One tab each; `a` adds,
`e` edits, `m`/`l`/`g` move a pupil, the pupil leaves, the pupil's groups (admin_pupils.py),
`d` disables or removes, after a «Да». A refused form comes back with what was typed and the
focus on the field the refusal is about; a holiday over days with lessons asks first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, TabbedContent, TabPane

from ejournal_tui.i18n import Phrase, fmt_date, register_many, t
from ejournal_tui.services import accounts, admin, year_calendar
from ejournal_tui.services.periods import list_periods
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.year_calendar import NeedsConfirmation
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.screens.admin_pupils import PupilForms
from ejournal_tui.tui.screens.admin_reference import REFERENCE_TABS, ReferencePane
from ejournal_tui.tui.screens.admin_timetable import TimetablePane
from ejournal_tui.tui.widgets.admin_prompt import Field, PromptModal, parse_day, refill
from ejournal_tui.tui.widgets.confirm import confirm_then
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import fitted, relabel_columns

if TYPE_CHECKING:
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "adm.users": ("Пользователи", "Users"), "adm.classes": ("Классы и ученики", "Classes and pupils"),
    "adm.subjects": ("Предметы", "Subjects"), "adm.load": ("Нагрузка", "Teaching load"),
    "adm.timetable": ("Расписание и звонки", "Timetable and bells"),
    "adm.periods": ("Периоды и каникулы", "Periods and holidays"), "adm.settings": ("Настройки", "Settings"),
    "adm.add": ("Добавить", "Add"), "adm.edit": ("Изменить", "Edit"), "adm.move": ("Перевести", "Move"),
    "adm.leave": ("Выбыл", "Leaves"), "adm.remove": ("Откл./удалить", "Disable/remove"),
    "adm.refresh": ("Обновить", "Refresh"), "adm.saved": ("Сохранено", "Saved"),
    "adm.login": ("Логин", "Login"), "adm.name": ("ФИО", "Full name"), "adm.roles": ("Роли", "Roles"),
    "adm.password": ("Временный пароль", "Temporary password"),
    "adm.reset": ("Сбросить пароль", "Reset password"), "adm.state": ("Состояние", "State"),
    "adm.disabled": ("отключена", "disabled"), "adm.active": ("активна", "active"),
    "adm.class": ("Класс", "Class"), "adm.leader": ("Кл. руководитель", "Class leader"),
    "adm.pupils": ("Учеников", "Pupils"), "adm.pupil": ("Ученик", "Pupil"), "adm.from": ("С", "From"),
    "adm.to": ("По", "To"), "adm.day": ("Дата (дд.мм.гггг)", "Date (dd.mm.yyyy)"),
    "adm.to_class": ("В класс", "To class"), "adm.subject": ("Предмет", "Subject"),
    "adm.short": ("Кратко", "Short name"), "adm.teacher": ("Учитель", "Teacher"),
    "adm.group": ("Группа", "Group"), "adm.col_hours": ("Часов в неделю", "Hours a week"),
    "adm.slots": ("В расписании", "Timetabled"), "adm.number": ("Урок №", "Lesson no."),
    "adm.start": ("Начало", "Start"), "adm.end": ("Конец", "End"), "adm.code": ("Период", "Period"),
    "adm.what": ("Что", "What"), "adm.setting": ("Настройка", "Setting"), "adm.value": ("Значение", "Value"),
    "adm.default": ("По умолчанию", "Default"), "adm.holiday": ("каникулы", "holiday"),
    "adm.period": ("период", "period"), "adm.pick": ("Выберите строку", "Choose a row"),
    "adm.weekday": ("День недели (1–6)", "Weekday (1–6)"), "adm.room": ("Кабинет", "Room"),
    "adm.bell": ("звонок", "bell"), "adm.next_tab": ("След. вкладка", "Next tab"),
    "adm.prev_tab": ("Пред. вкладка", "Previous tab"), "adm.n_pupils": ("{n} уч.", "{n} pupils"),
    "adm.denied": ("администрирование доступно заместителю директора и администратору",
                   "administration is for the deputy director and the administrator"),
    "adm.add.tip": ("Добавить строку на эту вкладку (ученика — в выбранный класс)",
                    "Add a row to this tab (a pupil to the chosen class)"),
    "adm.edit.tip": ("Изменить выбранную строку", "Change the chosen row"),
    "adm.move.tip": ("Перевести выбранного ученика в другой класс с даты",
                     "Move the chosen pupil to another class from a date"),
    "adm.leave.tip": ("Выбранный ученик выбывает с даты", "The chosen pupil leaves on a date"),
    "adm.reset.tip": ("Дать выбранной учётной записи временный пароль",
                      "Give the chosen account a temporary password"),
    "adm.remove.tip": ("Отключить (включить) учётную запись, удалить каникулы или строку нагрузки",
                       "Disable the account / remove the holiday or load"),
    "adm.refresh.tip": ("Перечитать из базы данных", "Reload from the database"),
    "adm.next_tab.tip": ("Следующая вкладка", "The next tab"),
    "adm.prev_tab.tip": ("Предыдущая вкладка", "The previous tab"),
    "adm.q_disable": ("Отключить учётную запись {login}? Войти с ней будет нельзя.",
                      "Disable the account {login}? It will not be able to sign in."),
    "adm.q_enable": ("Включить учётную запись {login}?", "Enable the account {login}?"),
    "adm.q_holiday": ("Удалить каникулы «{name}» ({start} – {end})? Эти дни снова станут учебными.",
                      "Remove the holiday {name!r} ({start} – {end})? The days become school days again."),
    "adm.q_load": ("Удалить строку нагрузки {klass} · {subject} ({teacher}) и её уроки в расписании?",
                   "Remove the load {klass} · {subject} ({teacher}) and its timetable lessons?"),
    "adm.q_lessons.one": ("На эти дни уже есть {n} урок. Всё равно добавить?",
                          "There is already {n} lesson on these days. Add anyway?"),
    "adm.q_lessons.few": ("На эти дни уже есть {n} урока. Всё равно добавить?",
                          "There are already {n} lessons on these days. Add anyway?"),
    "adm.q_lessons.many": ("На эти дни уже есть {n} уроков. Всё равно добавить?",
                           "There are already {n} lessons on these days. Add anyway?"),
    "adm.holiday_name": ("Название", "Name"),
})

# the field a refusal is about, by the refusal's message key (prefix): the form comes back
# with the focus there, so the correction does not overwrite another field
_FAULTS = {"acc.pw_": "password", "acc.bad_login": "login", "acc.login_short": "login", "acc.taken": "login", "acc.bad_role": "roles",
           "acc.no_role": "roles", "acc.no_name": "name", "pr.birth_": "birth", "adm.average": "value",
           "adm.bad_value": "value", "set.": "value", "adm.hours": "hours", "adm.bad_time": "start"}


def fault_field(exc: BaseException, names: list[str]) -> str:
    """The name of the field among `names` that the refusal `exc` is about, or ""."""
    what = getattr(exc, "params", {}).get("what")
    key = getattr(what, "key", "")
    return next((f for prefix, f in _FAULTS.items() if key.startswith(prefix) and f in names), "")


def lessons_question(n: int) -> str:
    """«На эти дни уже есть N уроков…» with the Russian plural of N."""
    form = "one" if n % 10 == 1 and n % 100 != 11 else \
        "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    return t(f"adm.q_lessons.{form}", n=n)

TABS = ("users", "classes", "subjects", "load", "timetable", "periods", "settings", *REFERENCE_TABS)
# The keys that do something on each tab. The footer shows only these: all six at once did
# not fit 80 columns (the last label was cut), and a key that does nothing here is noise.
TAB_ACTIONS = {
    "users": {"add", "edit", "password", "remove"},
    "classes": {"add", "edit", "move", "leave", "groups"},
    "subjects": {"add"},
    "load": {"add", "edit", "remove"},
    "timetable": {"add", "edit", "remove"},
    "periods": {"add", "edit", "remove"},
    "settings": {"edit"},
    "kinds": {"add", "edit"},
    "reasons": {"edit"},
}
_PER_TAB = set().union(*TAB_ACTIONS.values())
# (title key, width): fixed widths, because auto-measured columns may paint before they are
# measured and the table jumps
_COLUMNS = {
    "users": (("adm.login", 16), ("adm.name", 34), ("adm.roles", 24), ("adm.state", 12)),
    "classes": (("adm.class", 6), ("adm.pupil", 34), ("adm.from", 11), ("adm.to", 11)),
    "subjects": (("adm.subject", 34), ("adm.short", 8)),
    "load": (("adm.class", 6), ("adm.subject", 30), ("adm.group", 14), ("adm.teacher", 22), ("adm.col_hours", 5),
             ("adm.slots", 5)),
    "periods": (("adm.what", 30), ("adm.code", 5), ("adm.start", 11), ("adm.end", 11)),
    "settings": (("adm.setting", 32), ("adm.value", 24), ("adm.default", 24)),
}


def _d(day: Any) -> str:
    return fmt_date(day)  # parse_day reads it back in either language


def _load_tab(uow: Any, actor: Any, tab: str) -> list[tuple[Any, tuple[str, ...]]]:
    """(item, cells) rows of a tab; runs in a worker."""
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.domain.errors import NotAllowed

    if not (perm.may(actor.roles, "manage_school") or perm.may(actor.roles, "manage_accounts")):
        raise NotAllowed(what=Phrase("adm.denied"))
    if tab == "users":
        return [(a, (a.login, a.name, ", ".join(a.roles), t("adm.disabled") if a.disabled else t("adm.active")))
                for a in accounts.list_accounts(uow)]
    if tab == "classes":
        rows: list[tuple[Any, tuple[str, ...]]] = []
        for c in admin.list_classes(uow):
            rows.append((c, (c.name, c.leader, t("adm.n_pupils", n=c.pupils), "")))
            rows += [((c, p), ("", p.name, _d(p.start), _d(p.end))) for p in admin.list_pupils(uow, c.id)]
        return rows
    if tab == "subjects":
        return [(s, (s.name, s.short_name)) for s in admin.list_subjects(uow)]
    if tab == "load":
        return [(x, (x.class_name, x.subject, x.group, x.teacher, f"{x.hours:g}", str(x.slots)))
                for x in admin.list_load(uow)]
    if tab == "periods":
        rows = [(p, (t("adm.period"), p.code, _d(p.start), _d(p.end))) for p in list_periods(uow)]
        return rows + [(h, (h.name or t("adm.holiday"), "", _d(h.start), _d(h.end))) for h in year_calendar.holidays(uow)]
    return [(s, (s.label, s.value + (" *" if s.changed else ""), s.default)) for s in admin.list_settings(uow)]


class AdminScreen(FittedFooter, PupilForms, Screen[None]):
    """The school's reference data and accounts, one tab each."""

    CSS_PATH = "admin.tcss"
    BINDINGS = [
        Binding("a", "add", bt("adm.add"), tooltip=bt("adm.add.tip")),
        Binding("e", "edit", bt("adm.edit"), tooltip=bt("adm.edit.tip")),
        Binding("m", "move", bt("adm.move"), tooltip=bt("adm.move.tip")),
        Binding("l", "leave", bt("adm.leave"), tooltip=bt("adm.leave.tip")),
        Binding("g", "groups", bt("adm.groups"), tooltip=bt("adm.groups.tip")),
        Binding("p", "password", bt("adm.reset"), tooltip=bt("adm.reset.tip")),
        Binding("d", "remove", bt("adm.remove"), tooltip=bt("adm.remove.tip")),
        # F1 lists these two; the footer's 80 columns are for the keys of the tab (below)
        Binding("f5", "refresh", bt("adm.refresh"), show=False, tooltip=bt("adm.refresh.tip")),
        Binding("right_square_bracket", "tab_step(1)", bt("adm.next_tab"), show=False, tooltip=bt("adm.next_tab.tip")),
        Binding("left_square_bracket", "tab_step(-1)", bt("adm.prev_tab"), show=False, tooltip=bt("adm.prev_tab.tip")),
    ]
    # what the footer leaves out at 80 columns, first to last (F1 lists them all)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "open_screen('register')",
                         "open_screen('today')", "help")

    def __init__(self, tab: str = "users") -> None:
        super().__init__()
        self.start_tab = tab if tab in TABS else "users"
        self.items: dict[str, list[Any]] = {}
        self.class_names: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=f"tab-{self.start_tab}"):
            for tab in TABS:
                with TabPane(t(f"adm.{tab}"), id=f"tab-{tab}"):
                    if tab == "timetable":  # the class's week, its rows the bell times
                        yield TimetablePane()
                    elif tab in REFERENCE_TABS:  # a pane of its own: its forms are its own
                        yield ReferencePane(tab)
                    else:
                        yield DataTable(id=f"t-{tab}", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        for tab in _COLUMNS:
            table = self.query_one(f"#t-{tab}", DataTable)
            for key, width in _COLUMNS[tab]:
                table.add_column(t(key), width=fitted(t(key), width))
        for tab in TABS:
            self._reload(tab)

    def retranslate(self) -> None:
        """After Ctrl+T (the app calls it): tab titles, column headers and the words in the
        rows ("active", "12 pupils") in the new language; the rows are read again for those."""
        tabs = self.query_one(TabbedContent)
        for tab in TABS:
            tabs.get_tab(f"tab-{tab}").label = t(f"adm.{tab}")
        for tab, columns in _COLUMNS.items():
            relabel_columns(self.query_one(f"#t-{tab}", DataTable), [(t(key), width) for key, width in columns])
            self._reload(tab)
        self.query_one(TimetablePane).retranslate()
        for pane in self.query(ReferencePane):
            pane.retranslate()

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key of another tab is hidden from the footer and does nothing here."""
        if action not in _PER_TAB:
            return True
        try:
            return action in TAB_ACTIONS[self.tab]
        except NoMatches:  # before the tabs are composed
            return False

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.query_one(f"#t-{self.tab}", DataTable).focus()
        self.refresh_bindings()

    def action_tab_step(self, step: int) -> None:
        index = (TABS.index(self.tab) + step) % len(TABS)
        self.query_one(TabbedContent).active = f"tab-{TABS[index]}"

    def _reload(self, tab: str) -> None:
        if tab == "timetable":
            self.query_one(TimetablePane).reload()
            return
        if tab in REFERENCE_TABS:
            self.query_one(f"#pane-{tab}", ReferencePane).reload()
            return
        self.ejournal.call_service(_load_tab, tab, on_result=lambda rows: self._show(tab, rows),
                                   group=f"admin-{tab}")

    def action_refresh(self) -> None:
        self._reload(self.tab)

    def _show(self, tab: str, rows: list[tuple[Any, tuple[str, ...]]]) -> None:
        self.items[tab] = [item for item, _ in rows]
        if tab == "classes":
            self.class_names = {item.name: item.id for item, _ in rows if hasattr(item, "leader")}
        table = self.query_one(f"#t-{tab}", DataTable)
        row = table.cursor_row
        table.clear()
        for i, (_item, cells) in enumerate(rows):
            table.add_row(*cells, key=str(i))
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))

    def _current(self) -> Any:
        if self.tab == "timetable":
            return self.query_one(TimetablePane).current_bell()
        items = self.items.get(self.tab, [])
        row = self.query_one(f"#t-{self.tab}", DataTable).cursor_row
        return items[row] if 0 <= row < len(items) else None

    # ---- asking and writing ---------------------------------------------------------------

    def _ask(self, title: str, fields: list[Field], save: Callable[[dict[str, str]], tuple[Any, ...]],
             values: dict[str, str] | None = None, note: str = "", focus: str = "") -> None:
        """A form; saved, `save(values)` gives (service, *args) to write. A refusal asks again
        with what was typed and the focus on the field it is about; a change over recorded
        lessons (`NeedsConfirmation`) is asked about and written with `confirm=True` on «Да»."""
        tab = self.tab

        def again(result: dict[str, str], exc: BaseException | None = None) -> None:
            at = fault_field(exc, [f.name for f in fields]) if exc is not None else ""
            self._ask(title, fields, save, result, note, at)

        def write(fn: Callable[..., Any], args: list[Any], result: dict[str, str], **confirm: bool) -> None:
            def refused(exc: Exception) -> None:
                if isinstance(exc, NeedsConfirmation) and not confirm:
                    confirm_then(self.app, lessons_question(exc.lessons),
                                 lambda: write(fn, args, result, confirm=True), otherwise=lambda: again(result))
                else:
                    again(result, exc)

            self.ejournal.write(fn, *args, **confirm, on_result=lambda _r: self._saved(tab), on_error=refused)

        def given(result: dict[str, str] | None) -> None:
            if result is None:
                return
            try:
                fn, *args = save(result)
            except Exception as exc:  # noqa: BLE001 - bad input typed: shown, asked again
                self.ejournal.show_error(exc)
                again(result, exc)
                return
            write(fn, args, result)

        form = PromptModal(title, refill(fields, values) if values else fields, note=note, focus=focus)
        self.app.push_screen(form, given)

    def _saved(self, tab: str) -> None:
        self.notify(t("adm.saved"))
        self._reload(tab)
        if tab == "classes":
            self._reload("load")
            self._reload("timetable")
        if tab == "timetable":
            self._reload("load")  # its "timetabled" counts

    @on(TimetablePane.Saved)
    def _timetable_saved(self) -> None:
        self._saved("timetable")

    def _write(self, fn: Callable[..., Any], *args: Any) -> None:
        tab = self.tab
        self.ejournal.write(fn, *args, on_result=lambda _r: self._saved(tab))

    def _day(self, text: str) -> Any:
        return parse_day(text, self.ejournal.session.db.clock.today().year)  # type: ignore[union-attr]

    def _class_id(self, name: str) -> int:
        from ejournal_tui.domain.errors import NotFound
        from ejournal_tui.services.lookup import normalize_class_name

        wanted = normalize_class_name(name)
        if wanted not in self.class_names:
            raise NotFound(what=noun("class_named", name=name))
        return self.class_names[wanted]

    def _today(self) -> str:
        return _d(self.ejournal.session.db.clock.today())  # type: ignore[union-attr]

    # ---- actions per tab ------------------------------------------------------------------

    def _reference(self) -> ReferencePane | None:
        """The open tab's pane if it is a reference tab (kinds of work, absence reasons)."""
        return self.query_one(f"#pane-{self.tab}", ReferencePane) if self.tab in REFERENCE_TABS else None

    def action_add(self) -> None:
        if (pane := self._reference()) is not None:
            pane.add()
            return
        tab, item = self.tab, self._current()
        if tab == "users":
            self._ask(t("adm.add"), [Field("login", t("adm.login")), Field("name", t("adm.name")),
                                     Field("roles", t("adm.roles"), "teacher"),
                                     Field("password", t("adm.password"), secret=True)],
                      lambda v: (accounts.add_account, v["login"], v["name"], v["roles"].replace(",", " ").split(),
                                 v["password"]))
        elif tab == "classes":
            klass = item[0] if isinstance(item, tuple) else item
            name = klass.name if klass else ""
            self._ask(t("adm.add"), [Field("class", t("adm.class"), name), Field("name", t("adm.name")),
                                     Field("start", t("adm.from"), self._today())],
                      lambda v: (admin.add_pupil, self._class_id(v["class"]), v["name"], self._day(v["start"])))
        elif tab == "subjects":
            self._ask(t("adm.add"), [Field("name", t("adm.subject")), Field("short", t("adm.short"))],
                      lambda v: (admin.add_subject, v["name"], v["short"]))
        elif tab == "load":
            self._add_load()
        elif tab == "timetable":
            self.query_one(TimetablePane).add()
        elif tab == "periods":
            self._ask(t("adm.add"), [Field("name", t("adm.holiday_name"), t("adm.holiday")),
                                     Field("start", t("adm.from")), Field("end", t("adm.to"))],
                      lambda v: (year_calendar.add_holiday, self._day(v["start"]), self._day(v["end"]), v["name"]))

    def _add_load(self) -> None:
        subjects = {s.name.lower(): s.id for s in self.items.get("subjects", [])}

        def save(v: dict[str, str]) -> tuple[Any, ...]:
            from ejournal_tui.domain.errors import NotFound

            subject = subjects.get(v["subject"].strip().lower())
            if subject is None:
                raise NotFound(what=noun("subject_named", name=v["subject"]))
            return (admin.add_load, v["teacher"], self._class_id(v["class"]), subject,
                    float(v["hours"].replace(",", ".") or 0))

        self._ask(t("adm.add"), [Field("teacher", t("adm.login")), Field("class", t("adm.class")),
                                 Field("subject", t("adm.subject")), Field("hours", t("adm.col_hours"), "1")], save)

    def action_edit(self) -> None:
        if (pane := self._reference()) is not None:
            pane.edit()
            return
        tab, item = self.tab, self._current()
        if tab == "users" and item is not None:
            self._ask(item.login, [Field("roles", t("adm.roles"), " ".join(item.roles))],
                      lambda v: (accounts.set_roles, item.login, v["roles"].replace(",", " ").split()))
        elif tab == "load" and item is not None:
            self._ask(f"{item.class_name} · {item.subject}", [Field("hours", t("adm.col_hours"), f"{item.hours:g}")],
                      lambda v: (admin.set_load_hours, item.id, float(v["hours"].replace(",", "."))))
        elif tab == "timetable":
            number = str(item.number) if item else ""
            self._ask(t("adm.bell"), [Field("number", t("adm.number"), number),
                                      Field("start", t("adm.start"), item.start if item else ""),
                                      Field("end", t("adm.end"), item.end if item else "")],
                      lambda v: (admin.set_bell, int(v["number"]), v["start"], v["end"]))
        elif tab == "periods" and item is not None:
            self._edit_calendar(item)
        elif tab == "classes" and isinstance(item, tuple):
            self.edit_pupil(item[1])
        elif tab == "classes" and item is not None:
            self._ask(item.name, [Field("leader", t("adm.leader") + " (" + t("adm.login") + ")")],
                      lambda v: (admin.set_leader, item.id, v["leader"]))
        elif tab == "settings" and item is not None:
            self._ask(item.label, [Field("value", t("adm.value"), item.value)],
                      lambda v: (admin.set_setting, item.name, v["value"]), note=item.explanation)

    def _edit_calendar(self, item: Any) -> None:
        """A period's dates, or a holiday's dates and name."""
        if hasattr(item, "code"):
            self._ask(item.code, [Field("start", t("adm.from"), _d(item.start)), Field("end", t("adm.to"), _d(item.end))],
                      lambda v: (year_calendar.set_period_dates, item.code, self._day(v["start"]), self._day(v["end"])))
            return
        fields = [Field("name", t("adm.holiday_name"), item.name), Field("start", t("adm.from"), _d(item.start)),
                  Field("end", t("adm.to"), _d(item.end))]
        self._ask(item.name or t("adm.holiday"), fields,
                  lambda v: (year_calendar.edit_holiday, item.id, self._day(v["start"]), self._day(v["end"]), v["name"]))

    def action_password(self) -> None:
        """A temporary password for the chosen account; its owner must change it at sign-in."""
        item = self._current()
        if self.tab != "users" or item is None:
            self.notify(t("adm.pick"), severity="warning")
            return
        self._ask(item.login, [Field("password", t("adm.password"), secret=True)],
                  lambda v: (accounts.change_password, item.login, v["password"]))

    def action_remove(self) -> None:
        tab, item = self.tab, self._current()
        if tab == "timetable":
            self.query_one(TimetablePane).remove()
            return
        if item is None:
            return
        if tab == "users":
            question = t("adm.q_enable" if item.disabled else "adm.q_disable", login=item.login)
            confirm_then(self.app, question, lambda: self._write(accounts.set_disabled, item.login, not item.disabled))
        elif tab == "load":
            question = t("adm.q_load", klass=item.class_name, subject=item.subject, teacher=item.teacher)
            confirm_then(self.app, question, lambda: self._write(admin.remove_load, item.id))
        elif tab == "periods" and hasattr(item, "name") and not hasattr(item, "code"):
            question = t("adm.q_holiday", name=item.name, start=_d(item.start), end=_d(item.end))
            confirm_then(self.app, question, lambda: self._write(year_calendar.remove_holiday, item.id))
