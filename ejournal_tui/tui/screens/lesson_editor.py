"""The lesson's right-hand page (`t` in the register): topic picked from the plan (КТП),
homework, the default kind of work for its marks, and — for the deputy — the substitute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "lesson.title": ("Урок {day}, № {number} · ведёт {teacher}", "Lesson of {day}, no. {number} · held by {teacher}"),
    "lesson.substitute_for": (" (замена за {name})", " (substituting for {name})"),
    "lesson.plan": ("Тема из КТП", "Topic from the plan"),
    "lesson.topic": ("Тема урока", "Topic"),
    "lesson.homework": ("Домашнее задание", "Homework"),
    "lesson.kind": ("Вид работы по умолчанию", "Default kind of work"),
    "lesson.substitute": ("Замена (проводит)", "Substitute (held by)"),
    "lesson.save": ("Сохранить", "Save"),
    "lesson.cancel": ("Отмена", "Cancel"),
    "lesson.saved": ("Урок сохранён", "Lesson saved"),
    "lesson.cancel.tip": ("Закрыть без сохранения", "Back without saving"),
    "lesson.save.tip": ("Сохранить урок", "Save the lesson"),
})


class LessonEditorModal(ModalScreen[bool]):
    """Topic, homework, kind of work and substitute of one lesson."""

    CSS_PATH = "lesson_editor.tcss"
    BINDINGS = [
        Binding("escape", "cancel", bt("lesson.cancel"), tooltip=bt("lesson.cancel.tip")),
        Binding("ctrl+s", "save", bt("lesson.save"), tooltip=bt("lesson.save.tip")),
    ]

    def __init__(self, load_id: int, lesson_id: int, kinds: list[Any], *, read_only: bool = False) -> None:
        super().__init__()
        self.load_id, self.lesson_id, self.kinds, self.read_only = load_id, lesson_id, kinds, read_only
        self.detail: Any = None
        self.plan: list[Any] = []
        self.may_substitute = False

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="lesson-box"):
            yield Static("…", id="lesson-title")
            yield Label(t("lesson.plan"))
            yield Select[int]([], id="plan", prompt=t("lesson.plan"))
            yield Label(t("lesson.topic"))
            yield Input(id="topic")
            yield Label(t("lesson.homework"))
            yield Input(id="homework")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(t("lesson.kind"))
                    yield Select([(k.name, k.code) for k in self.kinds], id="kind", prompt="—")
                with Vertical(id="sub-box"):
                    yield Label(t("lesson.substitute"))
                    yield Select[int]([], id="substitute", prompt="—")
            with Horizontal(classes="buttons"):
                yield Button(t("lesson.save"), id="save", variant="primary", disabled=self.read_only)
                yield Button(t("lesson.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.ejapp.call_service(_load, self.load_id, self.lesson_id, on_result=self._loaded, group="lesson")

    def _loaded(self, result: tuple) -> None:
        detail, plan, teachers, may_substitute = result
        self.detail, self.plan, self.may_substitute = detail, plan, may_substitute
        title = t("lesson.title", day=f"{detail.date:%d.%m.%Y}", number=detail.number, teacher=detail.teacher)
        if detail.substitute_for:
            title += t("lesson.substitute_for", name=detail.substitute_for)
        self.query_one("#lesson-title", Static).update(title)
        plan_select = self.query_one("#plan", Select)
        plan_select.set_options([(f"{p.seq}. {p.topic}"[:70], p.id) for p in plan])
        if detail.plan_item_id:
            plan_select.value = detail.plan_item_id
        self.query_one("#topic", Input).value = detail.topic
        self.query_one("#homework", Input).value = detail.homework
        if detail.work_kind:
            self.query_one("#kind", Select).value = detail.work_kind
        sub = self.query_one("#substitute", Select)
        sub.set_options([(teacher.name, teacher.id) for teacher in teachers])
        sub.value = detail.teacher_id
        self.query_one("#sub-box").display = may_substitute
        self.query_one("#topic", Input).focus()

    @on(Select.Changed, "#plan")
    def _plan_chosen(self, event: Select.Changed) -> None:
        item = next((p for p in self.plan if p.id == event.value), None)
        if item is not None and self.detail is not None:
            self.query_one("#topic", Input).value = item.topic
            if item.work_kind:
                self.query_one("#kind", Select).value = item.work_kind

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self, reason: str = "") -> None:
        if self.read_only or self.detail is None:
            return
        plan = self.query_one("#plan", Select).value
        kind = self.query_one("#kind", Select).value
        sub = self.query_one("#substitute", Select).value
        values = {
            "topic": self.query_one("#topic", Input).value.strip(),
            "homework": self.query_one("#homework", Input).value.strip(),
            "plan_item_id": plan if isinstance(plan, int) else self.detail.plan_item_id,
            "work_kind": kind if isinstance(kind, str) else self.detail.work_kind,
        }
        substitute = sub if self.may_substitute and isinstance(sub, int) and sub != self.detail.teacher_id else None
        self.ejapp.write(_save, self.detail, values, substitute, reason, on_result=self._saved, on_error=self._failed)

    def _saved(self, _result: Any) -> None:
        self.notify(t("lesson.saved"), timeout=2)
        self.dismiss(True)

    def _failed(self, exc: Exception) -> None:
        from ejournal_tui.domain.errors import ReasonRequired
        from ejournal_tui.tui.screens.cell_editor import ReasonModal

        if isinstance(exc, ReasonRequired):
            exc.handled = True  # type: ignore[attr-defined]
            self.app.push_screen(ReasonModal(str(exc)), lambda why: self.action_save(why) if why else None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def _load(uow: Any, actor: Any, load_id: int, lesson_id: int) -> tuple:
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.services.register_view import lesson_detail, plan_of, teachers

    may = perm.may(actor.roles, "manage_school")
    return lesson_detail(uow, actor, lesson_id), plan_of(uow, actor, load_id), teachers(uow) if may else [], may


def _save(uow: Any, actor: Any, detail: Any, values: dict, substitute: int | None, reason: str) -> int:
    from ejournal_tui.services.lessons import assign_substitute, record_lesson

    changed = {k: v for k, v in values.items() if v != getattr(detail, k)}
    version = detail.version
    if changed:
        version = record_lesson(uow, actor, detail.id, expected_version=detail.version, reason=reason, **changed)
    if substitute is not None:
        version = assign_substitute(uow, actor, detail.load_id, detail.date, detail.number, substitute).version
    return version
