"""Parents: the class leader's families (001, class leader: informs parents at least every
two weeks). Each pupil with their parents, the e-mail address their digest goes to and the
consent to it, and the last delivery (when, by e-mail or on paper, and how it went). Enter
(or `e`) opens the form of the pupil's parents; `s` sends the family's digest now; the deputy
director and the administrator go from class to class with `c`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ejournal_tui.i18n import fmt_date, fmt_day, register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.table_labels import SizedColumns

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor, UnitOfWork
    from ejournal_tui.services.parent_contacts import ContactClass, Family
    from ejournal_tui.tui.app import EjournalApp
    from ejournal_tui.tui.screens.parents_form import ParentLine

register_many({
    "par.title": ("Родители · {klass}", "Parents · {klass}"),
    "par.title_more": ("Родители · {klass} (c — другой класс)", "Parents · {klass} (c: another class)"),
    "par.loading": ("Загрузка…", "Loading…"),
    "par.none": ("Нет классов, где вы классный руководитель", "You lead no class"),
    "par.col.pupil": ("Ученик", "Pupil"),
    "par.col.parents": ("Родители", "Parents"),
    "par.col.email": ("E-mail", "E-mail"),
    "par.col.consent": ("Согл.", "Cons."),
    "par.col.last": ("Последнее", "Last sent"),
    "par.yes": ("да", "yes"),
    "par.no": ("нет", "no"),
    "par.email": ("e-mail", "e-mail"),
    "par.paper": ("бумага", "paper"),
    "par.status.sent": ("отправлено", "sent"),
    "par.status.failed": ("не доставлено", "failed"),
    "par.status.printed": ("напечатано", "printed"),
    "par.line": ("{n}. {name}", "{n}. {name}"),
    "par.consent_since": ("согласие с {day}", "consent since {day}"),
    "par.no_consent": ("без согласия", "no consent"),
    "par.no_contacts": ("Контактов нет. В бумажном журнале: {paper}", "No contacts. On the paper register: {paper}"),
    "par.no_contacts_paper": ("Контактов нет: Enter — добавить", "No contacts: Enter to add"),
    "par.last": ("Последнее: {when} · {route} · {status}{address}{error}", "Last: {when} · {route} · {status}{address}{error}"),
    "par.never": ("Сообщений ещё не было", "Nothing delivered yet"),
    "par.route_paper": ("Семья получает отчёт на бумаге (нет адреса с согласием)",
                        "The family gets paper (no address with consent)"),
    "par.route_email": ("Письма: {addresses}", "E-mail to: {addresses}"),
    "par.edit": ("Изменить", "Edit"),
    "par.edit.tip": ("Родители ученика: имена, e-mail, телефоны, согласие", "The pupil's parents: names, e-mail, phones, consent"),
    "par.send": ("Отправить сейчас", "Send now"),
    "par.send.tip": ("Отправить семье письмо с новыми записями журнала сейчас",
                     "Send the family the register's news by e-mail now"),
    "par.class": ("Класс", "Class"),
    "par.class.tip": ("Следующий класс", "The next class"),
    "par.refresh": ("Обновить", "Refresh"),
    "par.refresh.tip": ("Загрузить заново из базы данных", "Reload from the database"),
    "par.saved": ("Контакты сохранены: {pupil}", "Contacts saved: {pupil}"),
    "par.sending": ("Отправка письма: {pupil}…", "Sending the e-mail: {pupil}…"),
    "par.busy": ("Письмо ещё отправляется", "An e-mail is still being sent"),
    "par.paper_only": ("У семьи {pupil} нет адреса с согласием на рассылку: она получает отчёт на бумаге",
                       "The family of {pupil} has no address with consent: it gets a printed report"),
    "par.sent.one": ("Отправлено: {n} письмо ({pupil})", "Sent: {n} e-mail ({pupil})"),
    "par.sent.few": ("Отправлено: {n} письма ({pupil})", "Sent: {n} e-mails ({pupil})"),
    "par.sent.many": ("Отправлено: {n} писем ({pupil})", "Sent: {n} e-mails ({pupil})"),
    "par.refused": ("Не доставлено на {address}: {error}", "Not delivered to {address}: {error}"),
    "par.stopped": ("Не отправлено: {detail}", "Not sent: {detail}"),
    "par.nothing_new": ("Нового для семьи {pupil} нет с последнего письма: отправлять нечего",
                        "Nothing new for the family of {pupil} since the last e-mail: nothing to send"),
    "par.unsaved": ("{pupil} — контакты родителей", "{pupil} — parents' contacts"),
    "par.failed": ("Не отправлено: {detail}", "Not sent: {detail}"),
})

COLUMNS = ("pupil", "parents", "email", "consent", "last")
# the columns' widths at 80 columns (the table's padding and scroll bar take the rest) and from 110
WIDTHS = {False: {"pupil": 17, "parents": 15, "email": 18, "consent": 4, "last": 12},
          True: {"pupil": 26, "parents": 24, "email": 28, "consent": 5, "last": 16}}


@dataclass(frozen=True)
class ParentsSheet:
    """What the screen shows: the class, its families and each pupil's last delivery."""

    klass: ContactClass | None
    families: tuple[Family, ...] = ()
    last: dict[int, Any] = field(default_factory=dict)  # pupil id → notify.DeliveryInfo
    classes: tuple[ContactClass, ...] = ()


def load_sheet(uow: UnitOfWork, actor: Actor, class_id: int | None) -> ParentsSheet:
    """The families of the class (or of the first the person keeps) with their deliveries."""
    from ejournal_tui.services.parent_contacts import class_contacts, classes_for

    classes = tuple(classes_for(uow, actor))
    if not classes:
        return ParentsSheet(None)
    chosen = next((c for c in classes if c.id == class_id), classes[0])
    families = tuple(class_contacts(uow, actor, chosen.id))
    return ParentsSheet(chosen, families, _deliveries(uow, [f.pupil_id for f in families]), classes)


def _deliveries(uow: UnitOfWork, pupil_ids: list[int]) -> dict[int, Any]:
    try:
        from ejournal_tui.services.notify import last_deliveries
    except ImportError:  # a build without the digest to parents
        return {}
    return dict(last_deliveries(uow, pupil_ids))


# ---- the words of a row ---------------------------------------------------------------------


def short_name(full: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.»."""
    parts = full.split()
    return " ".join(parts[:1] + [f"{p[0]}." for p in parts[1:3]]) if len(parts) > 1 else full


def _more(text: str, count: int) -> str:
    return f"{text} +{count - 1}" if count > 1 else text


def parents_cell(family: Family) -> str:
    names = [p.name for p in family.parents if p.name]
    return _more(short_name(names[0]), len(names)) if names else "—"


def email_cell(family: Family) -> str:
    addresses = list(family.consenting) or [p.email for p in family.parents if p.email]
    return _more(addresses[0], len(addresses)) if addresses else "—"


def consent_cell(family: Family) -> str:
    if family.consenting:
        return t("par.yes")
    return t("par.no") if any(p.email for p in family.parents) else "—"


def _local(at: datetime) -> datetime:
    return at.astimezone()


def last_cell(info: Any) -> str:
    """«20.11 e-mail ✓», «20.11 e-mail ✗», «20.11 бумага»; «—» for none."""
    if info is None:
        return "—"
    route = t("par.email") if info.route == "email" else t("par.paper")
    mark = {"sent": " ✓", "failed": " ✗"}.get(info.status, "")
    return f"{fmt_day(_local(info.at).date())} {route}{mark}"


def detail_text(family: Family, info: Any) -> str:
    """Every parent in full, the route of the family's digests and its last delivery."""
    lines = []
    for n, p in enumerate(family.parents, 1):
        consent = t("par.consent_since", day=fmt_date(p.consent_date)) if p.consent else t("par.no_consent")
        parts = [p.name or "—", p.email, p.phone, consent if p.email else ""]
        lines.append(t("par.line", n=n, name=" · ".join(x for x in parts if x)))
    if not family.parents:
        paper = "; ".join(x for x in (family.paper_parents, family.paper_phone) if x)
        lines.append(t("par.no_contacts", paper=paper) if paper else t("par.no_contacts_paper"))
    addresses = ", ".join(family.consenting)
    lines.append(t("par.route_email", addresses=addresses) if addresses else t("par.route_paper"))
    lines.append(_last_line(info))
    return "\n".join(lines)


def _last_line(info: Any) -> str:
    if info is None:
        return t("par.never")
    at = _local(info.at)
    route = t("par.email") if info.route == "email" else t("par.paper")
    return t("par.last", when=f"{fmt_date(at.date())} {at:%H:%M}", route=route, status=t(f"par.status.{info.status}"),
             address=f" · {info.address}" if info.address else "", error=f" · {info.error}" if info.error else "")


def sent_text(report: Any, pupil: str) -> tuple[str, bool]:
    """What a "send now" did, in a line, and whether it is an error."""
    if report.failures:
        failure = report.failures[0]
        return t("par.refused", address=failure.address, error=failure.error), True
    if report.stopped:
        return t("par.stopped", detail=report.stopped), True
    if report.sent:
        n = report.sent
        form = "one" if n % 10 == 1 and n % 100 != 11 else \
            "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
        return t(f"par.sent.{form}", n=n, pupil=pupil), False
    return t("par.nothing_new", pupil=pupil), False


class ParentsScreen(SizedColumns, FittedFooter, Screen[None]):
    """A class's families: contacts, consent and the last delivery of each."""

    TABLE, COLUMNS, COLUMN_WIDTHS, WIDE_FROM, COLUMN_PHRASE = "#families", COLUMNS, WIDTHS, 110, "par.col.{key}"
    CSS_PATH = "parents.tcss"
    BINDINGS = [
        Binding("enter,e,у", "edit", bt("par.edit"), tooltip=bt("par.edit.tip")),
        Binding("s,ы", "send", bt("par.send"), tooltip=bt("par.send.tip")),
        Binding("c,с", "next_class", bt("par.class"), tooltip=bt("par.class.tip")),
        Binding("f5", "refresh", bt("par.refresh"), tooltip=bt("par.refresh.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "refresh", "open_screen('register')",
                         "next_class")

    def __init__(self, class_id: int | None = None) -> None:
        super().__init__()
        self.class_id = class_id
        self.sheet: ParentsSheet | None = None
        self.sending = False
        self.ticket = 0  # only the latest load's answer is shown

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("par.loading"), id="par-title", classes="section")
        yield DataTable(id="families", cursor_type="row", zebra_stripes=True)
        yield Static("", id="par-detail")
        yield Static("", id="par-status")
        yield Footer()

    def on_mount(self) -> None:
        self.add_sized_columns()
        self.action_refresh()

    def reshow(self) -> None:
        if self.sheet is not None:
            self.show(self.sheet)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`c` only for those who keep several classes; Enter and `s` only on a family."""
        if action == "next_class":
            return self.sheet is not None and len(self.sheet.classes) > 1
        if action in ("edit", "send"):
            return self.sheet is not None and bool(self.sheet.families)
        return True

    # ---- loading ----------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.ticket += 1
        ticket = self.ticket
        self.ejapp.call_service(load_sheet, self.class_id, group="parents",
                                on_result=lambda sheet: self.show(sheet) if ticket == self.ticket else None)

    def show(self, sheet: ParentsSheet) -> None:
        self.sheet = sheet
        title = self.query_one("#par-title", Static)
        table = self.query_one("#families", DataTable)
        keep = self._family()
        table.clear()
        if sheet.klass is None:
            title.update(t("par.none"))
            self.refresh_bindings()
            return
        self.class_id = sheet.klass.id
        title.update(t("par.title_more" if len(sheet.classes) > 1 else "par.title", klass=sheet.klass.name))
        for f in sheet.families:
            table.add_row(" ".join(f.pupil.split()[:2]), parents_cell(f), email_cell(f), consent_cell(f),
                          last_cell(sheet.last.get(f.pupil_id)), key=str(f.pupil_id))
        ids = [f.pupil_id for f in sheet.families]
        if keep is not None and keep.pupil_id in ids:
            table.move_cursor(row=ids.index(keep.pupil_id))
        self._show_detail()
        self.refresh_bindings()

    def _family(self) -> Family | None:
        sheet = self.sheet
        if sheet is None or not sheet.families:
            return None
        row = self.query_one("#families", DataTable).cursor_row
        return sheet.families[row] if 0 <= row < len(sheet.families) else None

    @on(DataTable.RowHighlighted, "#families")
    def _moved(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        family = self._family()
        text = detail_text(family, self.sheet.last.get(family.pupil_id)) if family and self.sheet else ""
        self.query_one("#par-detail", Static).update(text)

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#par-status", Static)
        status.update(text)
        status.set_class(error, "error")

    # ---- the form of a family's parents -------------------------------------------------

    @on(DataTable.RowSelected, "#families")
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self, lines: list[ParentLine] | None = None, focus: int = 0, field: str = "name") -> None:
        from ejournal_tui.tui.screens.parents_form import ParentLine, ParentsModal

        family = self._family()
        if family is None:
            return
        if lines is None:
            lines = [ParentLine(p.name, p.email, p.phone, p.consent, p.id) for p in family.parents]
        paper = "" if family.parents else "; ".join(x for x in (family.paper_parents, family.paper_phone) if x)
        self.app.push_screen(ParentsModal(family.pupil, lines, paper, focus, field),
                             lambda typed: self._edited(family, typed))

    def _edited(self, family: Family, lines: list[ParentLine] | None) -> None:
        from ejournal_tui.services.parent_contacts import ParentInput, save_contacts

        if lines is None:
            return
        parents = [ParentInput(x.name, x.email, x.phone, x.consent, x.id) for x in lines]
        self.ejapp.write(save_contacts, family.pupil_id, parents, family.versions,
                         on_result=lambda saved: self._saved(saved),
                         on_error=lambda exc: self._refused(lines, exc), label=t("par.unsaved", pupil=family.pupil))

    def _saved(self, family: Family) -> None:
        self.notify(t("par.saved", pupil=family.pupil))
        self.action_refresh()

    def _refused(self, lines: list[ParentLine], exc: Exception) -> None:
        """A refused parent: the form again with what was typed, the cursor at the end of the
        field at fault (the address, the phone…) of that parent; a conflict: the family as it
        is now."""
        from ejournal_tui.domain.contacts import problem_field
        from ejournal_tui.domain.errors import InvalidInput

        if not isinstance(exc, InvalidInput):
            self.action_refresh()
            return
        what = getattr(exc, "params", {}).get("what")
        if getattr(what, "key", "") != "pc.parent_n":
            self.action_edit(lines)
            return
        self.action_edit(lines, focus=int(what.params["n"]) - 1, field=problem_field(what.params["problem"]))

    # ---- sending now ------------------------------------------------------------------

    def action_send(self) -> None:
        family = self._family()
        if family is None:
            return
        if self.sending:
            self.notify(t("par.busy"), severity="warning")
            return
        if not family.consenting:
            self.notify(t("par.paper_only", pupil=family.pupil), severity="warning")
            return
        session = self.ejapp.session
        if session is None:
            return
        self.sending = True
        self.say(t("par.sending", pupil=family.pupil))
        app, db, actor = self.ejapp, session.db, session.actor
        self.run_worker(lambda: self._send(app, db, actor, family), thread=True, group="parents-send",
                        exclusive=True, exit_on_error=False)

    def _send(self, app: EjournalApp, db: Any, actor: Actor, family: Family) -> None:
        """In a thread: the family's digest now, by the program's mail settings."""
        from ejournal_tui.services.notify import notify_parents, smtp_settings
        from ejournal_tui.tui.screens.printing_jobs import default_folder

        try:
            report = notify_parents(db, actor, smtp_settings(app.config), pupil_ids=[family.pupil_id],
                                    out=default_folder() / "notify")
        except Exception as exc:  # noqa: BLE001 - every failure is shown, never raised
            app.call_from_thread(self._send_failed, exc)
            return
        app.call_from_thread(self._sent, report, family)

    def _sent(self, report: Any, family: Family) -> None:
        self.sending = False
        text, error = sent_text(report, family.pupil)
        self.say(text, error)
        self.notify(text, severity="error" if error else "information", timeout=8)
        self.action_refresh()

    def _send_failed(self, exc: Exception) -> None:
        from ejournal_tui.domain.errors import DatabaseUnavailable, EjournalError

        self.sending = False
        if isinstance(exc, EjournalError) and not isinstance(exc, DatabaseUnavailable):
            self.say(t("par.failed", detail=exc), error=True)
        self.ejapp.show_error(exc)

    # ---- other classes ----------------------------------------------------------------

    def action_next_class(self) -> None:
        sheet = self.sheet
        if sheet is None or len(sheet.classes) < 2 or sheet.klass is None:
            return
        ids = [c.id for c in sheet.classes]
        self.class_id = ids[(ids.index(sheet.klass.id) + 1) % len(ids)]
        self.action_refresh()
