"""The lesson's right-hand page (`t` in the register): topic picked from the plan (КТП),
homework, the default kind of work for its marks, and — for the deputy — the substitute.
A lesson not held yet is written only when its page is saved with something on it. The
deputy reads another teacher's page but may still save the substitute chosen on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.services.register_editor import LessonTarget
    from ejournal_tui.services.register_view import LessonDetail, PlanTopic, Teacher
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
    "lesson.hint": ("Enter — следующее поле / сохранить · Ctrl+S — сохранить · Esc — отмена",
                    "Enter: next field / save · Ctrl+S: save · Esc: cancel"),
    "lesson.cancel.tip": ("Закрыть без сохранения", "Back without saving"),
    "lesson.save.tip": ("Сохранить урок", "Save the lesson"),
})


@dataclass(frozen=True)
class LessonLoad:
    """What the page shows, read in a worker."""

    detail: LessonDetail
    plan: list[PlanTopic]
    teachers: list[Teacher]
    may_substitute: bool


class PlanSelect(Select[int]):
    """The plan (КТП): opened with no topic chosen yet, it shows the next topic due."""

    due: int | None = None  # the plan item the list opens at

    def watch_expanded(self, expanded: bool) -> None:
        # runs after Select's own watcher, which highlights the first entry (or none)
        if not expanded or self.value != Select.NULL or self.due is None:
            return
        values = [value for _prompt, value in self._options]
        if self.due in values:
            self.query_one(OptionList).highlighted = values.index(self.due)


class LessonEditorModal(ModalScreen[bool]):
    """Topic, homework, kind of work and substitute of one lesson (held or not yet)."""

    CSS_PATH = "lesson_editor.tcss"
    BINDINGS = [
        Binding("escape", "cancel", bt("lesson.cancel"), tooltip=bt("lesson.cancel.tip")),
        Binding("ctrl+s", "save", bt("lesson.save"), tooltip=bt("lesson.save.tip")),
    ]

    def __init__(self, load_id: int, target: LessonTarget, kinds: list[Any], *, read_only: bool = False) -> None:
        super().__init__()
        self.load_id, self.target, self.kinds, self.read_only = load_id, target, kinds, read_only
        self.detail: LessonDetail | None = None
        self.plan: list[PlanTopic] = []
        self.may_substitute = False
        self.busy = False  # a save on its way: a second Enter does not send it twice

    @property
    def ejapp(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="lesson-box"):
            yield Static("…", id="lesson-title")
            yield Label(t("lesson.plan"))
            yield PlanSelect([], id="plan", prompt=t("lesson.plan"))
            yield Label(t("lesson.topic"))
            # typing adds to the text there, never replaces it (no select-all on focus)
            yield Input(id="topic", select_on_focus=False)
            yield Label(t("lesson.homework"))
            yield Input(id="homework", select_on_focus=False)
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
            yield Static(t("lesson.hint"), id="lesson-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#topic", Input).focus()  # what is typed right after `t` is the topic
        self.ejapp.call_service(_load, self.load_id, self.target, on_result=self._loaded, group="lesson")

    def _loaded(self, load: LessonLoad) -> None:
        detail = self.detail = load.detail
        self._lock_page(load.may_substitute)
        self.plan, self.may_substitute = load.plan, load.may_substitute
        title = t("lesson.title", day=f"{detail.date:%d.%m.%Y}", number=detail.number, teacher=detail.teacher)
        if detail.substitute_for:
            title += t("lesson.substitute_for", name=detail.substitute_for)
        self.query_one("#lesson-title", Static).update(title)
        self._fill_plan(detail, load.plan)
        self._fill_text("#topic", detail.topic)
        self._fill_text("#homework", detail.homework)
        kind = self.query_one("#kind", Select)
        if detail.work_kind and any(k.code == detail.work_kind for k in self.kinds):
            with kind.prevent(Select.Changed):
                kind.value = detail.work_kind
        sub = self.query_one("#substitute", Select)
        sub.set_options([(teacher.name, teacher.id) for teacher in load.teachers])
        if any(teacher.id == detail.teacher_id for teacher in load.teachers):
            sub.value = detail.teacher_id
        self.query_one("#sub-box").display = load.may_substitute

    def _lock_page(self, may_substitute: bool) -> None:
        """A page this person may not write: its fields read-only; the deputy's substitute
        picker stays open, and Save with it (it was once disabled with the page, so the
        deputy's choice was silently dropped)."""
        if not self.read_only:
            return
        for selector in ("#plan", "#topic", "#homework", "#kind"):
            self.query_one(selector).disabled = True
        self.query_one("#save", Button).disabled = not may_substitute
        if may_substitute:
            self.query_one("#substitute", Select).focus()

    def _fill_plan(self, detail: LessonDetail, plan: list[PlanTopic]) -> None:
        from ejournal_tui.services.register_view import next_due

        select = self.query_one("#plan", PlanSelect)
        due = next_due(plan)
        select.due = due.id if due else None
        with select.prevent(Select.Changed):  # the page's own topic stays as it was written
            select.set_options([(f"{p.seq}. {p.topic}"[:70], p.id) for p in plan])
            if detail.plan_item_id in {p.id for p in plan}:
                select.value = detail.plan_item_id  # type: ignore[assignment]

    def _fill_text(self, selector: str, text: str) -> None:
        """The stored text, the cursor at its end so that typing goes on from there; what
        was typed while it was loading follows it, as if it had been there all along."""
        field = self.query_one(selector, Input)
        field.value = text + field.value
        field.cursor_position = len(field.value)

    @on(Select.Changed, "#plan")
    def _plan_chosen(self, event: Select.Changed) -> None:
        item = next((p for p in self.plan if p.id == event.value), None)
        if item is not None and self.detail is not None:
            self.query_one("#topic", Input).value = item.topic
            if any(k.code == item.work_kind for k in self.kinds):
                self.query_one("#kind", Select).value = item.work_kind

    # ---- the three ways to save ---------------------------------------------------------

    @on(Input.Submitted, "#topic")
    def _next_field(self) -> None:
        self.query_one("#homework", Input).focus()

    @on(Input.Submitted, "#homework")
    @on(Button.Pressed, "#save")
    def _save_asked(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Write what changed (opening a lesson not held yet); nothing changed, nothing written."""
        from ejournal_tui.services.register_editor import lesson_page, write_lesson_page
        from ejournal_tui.tui.widgets.reason_retry import write_asking_reason

        if self.detail is None or self.busy or (self.read_only and not self.may_substitute):
            return
        values = self._values(self.detail) if not self.read_only else {}  # a locked page changes nothing
        page = lesson_page(self.detail, values, self._substitute(self.detail))
        if page is None:
            self.dismiss(False)
            return
        self.busy = True
        write_asking_reason(self, write_lesson_page, page, on_result=self._saved, on_error=self._failed)

    def _values(self, detail: LessonDetail) -> dict[str, object]:
        plan, kind = self.query_one("#plan", Select).value, self.query_one("#kind", Select).value
        return {
            "topic": self.query_one("#topic", Input).value.strip(),
            "homework": self.query_one("#homework", Input).value.strip(),
            "plan_item_id": plan if isinstance(plan, int) else detail.plan_item_id,
            "work_kind": kind if isinstance(kind, str) else detail.work_kind,
        }

    def _substitute(self, detail: LessonDetail) -> int | None:
        sub = self.query_one("#substitute", Select).value
        chosen = self.may_substitute and isinstance(sub, int) and sub != detail.teacher_id
        return sub if chosen else None  # type: ignore[return-value]

    def _saved(self, _version: int) -> None:
        self.notify(t("lesson.saved"), timeout=2)
        self.dismiss(True)

    def _failed(self, _exc: Exception) -> None:  # the app says why; the page keeps what was typed
        self.busy = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def _load(uow: Any, actor: Any, load_id: int, target: LessonTarget) -> LessonLoad:
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.services.register_view import lesson_detail, plan_of, slot_detail, teachers

    may = perm.may(actor.roles, "manage_school")
    if isinstance(target, int):
        detail = lesson_detail(uow, actor, target)
    else:
        detail = slot_detail(uow, actor, target.load_id, target.day, target.number)
    return LessonLoad(detail, plan_of(uow, actor, load_id), teachers(uow) if may else [], may)
