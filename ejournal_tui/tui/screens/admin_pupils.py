"""The administration screen's pupil forms, on «Классы и ученики»: a pupil's details (`e`),
a move to another class with one group of each split of that class (`m`), leaving (`l`), and
the pupil's groups afterwards (`g`). Mixed into `AdminScreen`, which owns the tabs, the keys
and `_ask` (a form that writes and asks again after a refusal)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from ejournal_tui.i18n import fmt_date, register_many, t
from ejournal_tui.services import admin
from ejournal_tui.services.pupil_records import GroupSplit, PupilCard
from ejournal_tui.tui.widgets.admin_prompt import Field, PromptModal, refill

register_many({
    "adm.groups": ("Группы", "Groups"),
    "adm.groups.tip": ("Группы выбранного ученика (английский, информатика, технология)",
                       "The chosen pupil's groups (English, IT, technology)"),
    "adm.groups_of": ("Группы: {name}", "Groups: {name}"),
    "adm.move_groups": ("{name} → {klass}: группы", "{name} → {klass}: groups"),
    "adm.no_group": ("— без группы —", "— no group —"),
    "adm.no_splits": ("в классе нет групп", "the class has no groups"),
    "adm.since": ("С даты", "From"),
    "adm.birth": ("Дата рождения", "Birth date"),
    "adm.file_no": ("№ личного дела", "Personal file no."),
    "adm.parents": ("Родители", "Parents"),
    "adm.phone": ("Телефоны", "Phones"),
    "adm.last_name": ("Фамилия", "Last name"),
    "adm.first_name": ("Имя", "First name"),
    "adm.patronymic": ("Отчество", "Patronymic"),
})


@dataclass(frozen=True)
class GroupsNow:
    """A class's splits and the groups a pupil is in on a day, to fill the groups form."""

    splits: list[GroupSplit]
    current: set[int]


def groups_now(uow: Any, actor: Any, pupil_id: int, class_id: int, day: date) -> GroupsNow:
    return GroupsNow(admin.class_splits(uow, actor, class_id), admin.pupil_group_ids(uow, pupil_id, class_id, day))


def _d(day: date | None) -> str:
    return fmt_date(day)  # parse_day reads it back in either language


def _short(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def split_fields(splits: list[GroupSplit], current: set[int] | None) -> list[Field]:
    """One drop-down per split: its groups and «no group», the pupil's `current` group chosen
    (None, for a pupil joining the class: the first group of each split)."""
    fields = []
    for i, split in enumerate(splits):
        choices = tuple((g.name, str(g.id)) for g in split.groups)
        chosen = next((str(g.id) for g in split.groups if g.id in (current or ())),
                      choices[0][1] if current is None else "")
        fields.append(Field(f"split{i}", _short(split.subjects), chosen,
                            choices=(*choices, (t("adm.no_group"), ""))))
    return fields


def chosen_groups(values: dict[str, str]) -> list[int]:
    return [int(v) for k, v in values.items() if k.startswith("split") and v]


def card_fields(card: PupilCard) -> list[Field]:
    return [Field("last_name", t("adm.last_name"), card.last_name), Field("first_name", t("adm.first_name"), card.first_name),
            Field("patronymic", t("adm.patronymic"), card.patronymic),
            Field("birth", t("adm.birth"), _d(card.birth_date), "дд.мм.гггг"),
            Field("file_no", t("adm.file_no"), card.personal_file_no), Field("parents", t("adm.parents"), card.parents),
            Field("phone", t("adm.phone"), card.phone)]


class PupilForms:
    """The pupil keys of `AdminScreen` (mixed in before `Screen`)."""

    app: Any
    ejournal: Any
    tab: str
    _ask: Any
    _current: Any
    _day: Any
    _class_id: Any
    _today: Any
    _saved: Any
    notify: Any

    def _pupil(self) -> Any:
        item = self._current()
        if self.tab != "classes" or not isinstance(item, tuple):
            self.notify(t("adm.pick"), severity="warning")
            return None
        return item[1]

    def edit_pupil(self, pupil: Any) -> None:
        self.ejournal.call_service(admin.pupil_card, pupil.id, on_result=self._ask_card)

    def _ask_card(self, card: PupilCard) -> None:
        def save(v: dict[str, str]) -> tuple[Any, ...]:
            birth = self._day(v["birth"]) if v["birth"].strip() else None
            return (partial(admin.edit_pupil, birth_date=birth, personal_file_no=v["file_no"], parents=v["parents"],
                            phone=v["phone"], last_name=v["last_name"], first_name=v["first_name"],
                            patronymic=v["patronymic"]), card.id)

        self._ask(f"{card.last_name} {card.first_name}", card_fields(card), save)

    def action_move(self) -> None:
        pupil = self._pupil()
        if pupil is not None:
            self._ask_move(pupil, [Field("class", t("adm.to_class")), Field("day", t("adm.day"), self._today())])

    def _ask_move(self, pupil: Any, fields: list[Field], values: dict[str, str] | None = None) -> None:
        form = PromptModal(pupil.name, refill(fields, values) if values else fields)
        self.app.push_screen(form, lambda v: self._move_to(pupil, fields, v))

    def _move_to(self, pupil: Any, fields: list[Field], values: dict[str, str] | None) -> None:
        """The class and day typed: then the target class's groups, one of each split."""
        if values is None:
            return
        try:
            class_id, day = self._class_id(values["class"]), self._day(values["day"])
        except Exception as exc:  # noqa: BLE001 - bad input typed: shown, asked again
            self.ejournal.show_error(exc)
            self._ask_move(pupil, fields, values)
            return
        move = (pupil.id, class_id, day)  # move_pupil's arguments after the actor
        self.ejournal.call_service(admin.class_splits, class_id, on_result=lambda splits: self._ask_move_groups(
            pupil, values["class"], splits, move, lambda: self._ask_move(pupil, fields, values)))

    def _ask_move_groups(self, pupil: Any, klass: str, splits: list[GroupSplit], move: tuple[int, int, date],
                         again: Callable[[], None]) -> None:
        """One group of each split of the new class; a refused move asks again from the class."""
        if not splits:  # nothing to choose: move now
            self._move(move, [], again)
            return
        form = PromptModal(t("adm.move_groups", name=pupil.name, klass=klass), split_fields(splits, None))
        self.app.push_screen(form, lambda v: self._move(move, chosen_groups(v), again) if v is not None else None)

    def _move(self, move: tuple[int, int, date], groups: list[int], again: Callable[[], None]) -> None:
        self.ejournal.write(admin.move_pupil, *move, groups, on_result=lambda _r: self._saved("classes"),
                            on_error=lambda _e: again())

    def action_leave(self) -> None:
        pupil = self._pupil()
        if pupil is not None:
            self._ask(pupil.name, [Field("day", t("adm.day"), self._today())],
                      lambda v: (admin.pupil_leaves, pupil.id, self._day(v["day"])))

    def action_groups(self) -> None:
        pupil = self._pupil()
        if pupil is None:
            return
        klass = self._current()[0]
        # a pupil who joins the class later: their groups from the day they join
        day = max(self.ejournal.session.db.clock.today(), pupil.start)
        self.ejournal.call_service(groups_now, pupil.id, klass.id, day,
                                   on_result=lambda now: self._ask_groups(pupil, now, day))

    def _ask_groups(self, pupil: Any, now: GroupsNow, day: date) -> None:
        if not now.splits:
            self.notify(t("adm.no_splits"), severity="warning")
            return
        fields = [Field("day", t("adm.since"), _d(day)), *split_fields(now.splits, now.current)]
        self._ask(t("adm.groups_of", name=pupil.name), fields,
                  lambda v: (admin.set_pupil_groups, pupil.id, chosen_groups(v), self._day(v["day"])))
