"""Command palette providers: jump to any screen of the registry or any register."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ejournal_tui.i18n import register_many, t

if TYPE_CHECKING:
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "screen.today": ("Сегодня", "Today"),
    "screen.register": ("Классный журнал", "Class register"),
    "screen.homework": ("Домашние задания", "Homework"),
    "screen.absences": ("Причины пропусков", "Absence reasons"),
    "screen.closure": ("Закрытие периода", "Period closure"),
    "screen.admin": ("Администрирование", "Administration"),
    "screen.changelog": ("Журнал изменений", "Change log"),
    "screen.control": ("Контроль ведения журнала", "Register control"),
    "screen.substitutions": ("Замены на день", "Substitutions for a day"),
    "cmd.open_screen": ("Открыть экран", "Open screen"),
    "cmd.open_register": ("Открыть журнал", "Open register"),
})


class ScreenCommands(Provider):
    """Every screen present in this build."""

    def _commands(self) -> list[tuple[str, str]]:
        from ejournal_tui.tui.screens import SCREENS, available

        app: EjournalApp = self.app  # type: ignore[assignment]
        if getattr(app, "session", None) is None:
            return []
        return [(key, t(SCREENS[key][2])) for key in available()]

    async def discover(self) -> Hits:
        for key, title in self._commands():
            yield DiscoveryHit(title, partial(self.app.open_screen, key), help=t("cmd.open_screen"))  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key, title in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.open_screen, key),  # type: ignore[attr-defined]
                          help=t("cmd.open_screen"))


class RegisterCommands(Provider):
    """The registers the signed-in person can open (loaded once after sign-in): the running
    year's, then earlier years' labelled with their year (reached only by asking for them)."""

    def _registers(self) -> list[tuple[str, int]]:
        app: EjournalApp = self.app  # type: ignore[assignment]
        if getattr(app, "session", None) is None:
            return []
        refs = [*app.registers, *getattr(app, "past_registers", [])]
        return [(f"{ref.title} · {ref.teacher}", ref.load_id) for ref in refs]

    def _open(self, load_id: int) -> None:
        self.app.open_screen("register", load_id=load_id)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, load_id in self._registers():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._open, load_id), help=t("cmd.open_register"))
